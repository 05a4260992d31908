//! `dct key …`: Docker's signer-key commands (`generate`, `load`) and notary's key commands
//! (`list`, `export`, `import`, `remove`, `passwd`), on the shared trust dir.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{Ctx, table};
use crate::error::{Error, Result};
use crate::fsutil::{self, DirLock};
use crate::keys::PrivateKey;
use crate::keys::backup::{self, Action, Format};
use crate::keys::keyfile::{self, role_keeps_gun};
use crate::keys::passphrase::{
    BACKUP_PASSPHRASE_VAR, NEW_PASSPHRASE_VAR, Retriever, Source, env_vars_for,
};
use crate::keys::pem::{self, Block};
use crate::keys::store::{self, StoredKey, is_key_id};

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR
    Generate {
        /// Signer name (lower-case letters, digits, '-' and '_')
        name: String,
        /// Directory for NAME.pub [default: current directory]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Load a private key file (encrypted or not) into the trust dir, re-encrypted
    Load {
        /// Private key file (PEM)
        file: PathBuf,
        /// Role (signer name) for a key file that names none
        #[arg(long, default_value = "signer")]
        name: String,
    },
    /// List the keys in the trust dir
    List,
    /// Export keys as encrypted PEM (all keys, or the ones selected)
    Export {
        /// Export the key with this ID (repeatable)
        #[arg(long = "key", value_name = "KEYID")]
        keys: Vec<String>,
        /// Export the keys of this GUN (repeatable)
        #[arg(long = "gun", value_name = "GUN", conflicts_with = "keys")]
        guns: Vec<String>,
        /// Export only keys of this role
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// Write to FILE (mode 0600) instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Re-encrypt each key under a new passphrase ($DCT_NEW_PASSPHRASE or a prompt)
        #[arg(long)]
        reencrypt: bool,
    },
    /// Import keys from PEM files (as written by `key export`, notary or openssl)
    Import {
        /// PEM files holding one or more private keys
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Role for keys whose file names none
        #[arg(long, default_value = "delegation")]
        role: String,
        /// GUN for targets/snapshot/timestamp keys whose file names none
        #[arg(long)]
        gun: Option<String>,
    },
    /// Remove a key from the trust dir
    Remove {
        /// ID of the key to remove
        key_id: String,
        /// Do not ask for confirmation
        #[arg(short, long)]
        yes: bool,
    },
    /// Change the passphrase of a key
    Passwd {
        /// ID of the key
        key_id: String,
    },
    /// Rotate a repository's root, targets, snapshot or timestamp key and publish
    Rotate(super::sign::RotateArgs),
    /// Back up every private key: a tar of <trust dir>/private, sealed with a passphrase
    #[command(
        long_about = "Back up every private key: a tar of <trust dir>/private, sealed with a \
        passphrase.\n\n\
        The archive is encrypted with Argon2id + XChaCha20-Poly1305 under a backup passphrase \
        ($DCT_BACKUP_PASSPHRASE, or a prompt with confirmation); the key files inside keep their \
        own passphrases too. --plain writes a classic .tar.gz instead (entries under private/), \
        protected only by the keys' own passphrases. The file is written atomically with mode \
        0600. `dct key restore` reads both."
    )]
    Backup {
        /// Archive to write
        file: PathBuf,
        /// Write an unencrypted .tar.gz (like `tar -zcf FILE ~/.docker/trust/private`)
        #[arg(long)]
        plain: bool,
        /// Replace FILE if it exists
        #[arg(short, long)]
        force: bool,
    },
    /// Restore private keys from a backup (dct's sealed format, a .tar.gz or a .tar)
    #[command(
        long_about = "Restore private keys from a backup: dct's sealed format, a .tar.gz or a \
        .tar, including one made by hand with `tar -zcf FILE ~/.docker/trust/private`.\n\n\
        Only key files (<key ID>.key below a private/ directory) that parse as private keys are \
        restored; an archive with absolute paths, \"..\", links, devices or oversized entries is \
        refused whole. Everything is checked before anything is written. Keys already present \
        and identical are skipped; a different key with the same ID is refused (nothing is \
        written, exit 7) unless --force. The passphrase of a sealed backup comes from \
        $DCT_BACKUP_PASSPHRASE or a prompt."
    )]
    Restore {
        /// Archive to read
        file: PathBuf,
        /// Replace keys in the trust dir that differ from the backup's key with the same ID
        #[arg(short, long)]
        force: bool,
        /// Show what would be restored, skipped or refused, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(ctx: &mut Ctx, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Generate { name, dir } => generate(ctx, &name, dir),
        KeyCommand::Load { file, name } => load(ctx, &file, &name),
        KeyCommand::List => list(ctx),
        KeyCommand::Export {
            keys,
            guns,
            role,
            output,
            reencrypt,
        } => export(
            ctx,
            &keys,
            &guns,
            role.as_deref(),
            output.as_deref(),
            reencrypt,
        ),
        KeyCommand::Import { files, role, gun } => import(ctx, &files, &role, gun.as_deref()),
        KeyCommand::Remove { key_id, yes } => remove(ctx, &key_id, yes),
        KeyCommand::Passwd { key_id } => passwd(ctx, &key_id),
        KeyCommand::Rotate(args) => super::sign::rotate(ctx, args),
        KeyCommand::Backup { file, plain, force } => backup(ctx, &file, plain, force),
        KeyCommand::Restore {
            file,
            force,
            dry_run,
        } => restore(ctx, &file, force, dry_run),
    }
}

/// Docker's signer-name rule: `^[a-z0-9][a-z0-9_-]*$`.
pub(crate) fn check_key_name(name: &str) -> Result<()> {
    let mut bytes = name.bytes();
    let ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "key name \"{name}\" must start with lowercase alphanumeric characters and can include \"-\" or \"_\" after the first character"
        )))
    }
}

fn generate(ctx: &mut Ctx, name: &str, dir: Option<PathBuf>) -> Result<()> {
    check_key_name(name)?;
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| Error::io("cannot read", Path::new("the current directory"), e))?,
    };
    if fs::metadata(&dir).is_err() {
        return Err(Error::invalid(format!(
            "public key path does not exist: \"{}\"",
            dir.display()
        )));
    }
    let pub_path = dir.join(format!("{name}.pub"));
    if fs::symlink_metadata(&pub_path).is_ok() {
        return Err(Error::invalid(format!(
            "public key file already exists: \"{}\"",
            pub_path.display()
        )));
    }
    ctx.progress(&format!("Generating key for {name}..."));
    let key = PrivateKey::generate_ecdsa();
    let id = key.id();
    let mut retriever = Retriever::new();
    let pass = retriever.new_passphrase(name, &id, env_vars_for(name))?;
    let store = ctx.key_store();
    let _lock = DirLock::acquire(&ctx.trust_dir)?;
    store::store_new_key(&store, &key, pass.as_bytes(), name, None)?;
    let mut public = Block::new("PUBLIC KEY", key.public_key().public);
    public.set_header("role", Some(name));
    fsutil::write_atomic(&pub_path, public.encode().as_bytes())?;
    ctx.out(&format!(
        "Successfully generated and loaded private key. Corresponding public key available: {}\n",
        pub_path.display()
    ))
}

/// Reads a private key file given by the user, refusing one that others may read or write
/// (Docker's rule: such a key may already be compromised).
/// Reads and decrypts the private key in `file` (the same rules as `key load`), for `role`.
pub(crate) fn read_private_key(file: &Path, role: &str) -> Result<PrivateKey> {
    let bytes = read_private_key_file(file)?;
    let block = pem::parse_all(&bytes)
        .ok()
        .and_then(|b| b.into_iter().find(keyfile::is_private_key_block))
        .ok_or_else(|| {
            Error::invalid(format!("{} is not a supported private key", file.display()))
        })?;
    store::unlock(
        &block,
        role,
        "",
        file,
        &mut Retriever::new(),
        store::Ask {
            prompt: Some("Enter passphrase for encrypted key: "),
            wrong: None,
        },
    )
}

fn read_private_key_file(file: &Path) -> Result<Vec<u8>> {
    let refuse = |why: String| {
        Error::invalid(format!(
            "refusing to load key from {}: {why}",
            file.display()
        ))
    };
    let meta = fs::metadata(file).map_err(|e| refuse(e.to_string()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(refuse(format!(
            "private key file {} must not be readable or writable by others (chmod 600 it)",
            file.display()
        )));
    }
    fs::read(file).map_err(|e| refuse(e.to_string()))
}

fn load(ctx: &mut Ctx, file: &Path, name: &str) -> Result<()> {
    check_key_name(name)?;
    ctx.progress(&format!("Loading key from \"{}\"...", file.display()));
    let bytes = read_private_key_file(file)?;
    let not_a_key = || {
        Error::invalid(format!(
            "error importing key from {f}: provided file {f} is not a supported private key - to add a signer's public key use docker trust signer add",
            f = file.display()
        ))
    };
    let blocks = pem::parse_all(&bytes).map_err(|_| not_a_key())?;
    let block = blocks
        .into_iter()
        .find(keyfile::is_private_key_block)
        .ok_or_else(not_a_key)?;
    let role = block
        .header("role")
        .filter(|r| !r.is_empty())
        .unwrap_or(name)
        .to_string();
    let gun = block.header("gun").map(str::to_string);
    let mut retriever = Retriever::new();
    let key = store::unlock(
        &block,
        &role,
        "",
        file,
        &mut retriever,
        store::Ask {
            prompt: Some("Enter passphrase for encrypted key: "),
            wrong: Some(format!(
                "error importing key from {f}: cannot load key from provided file {f}: could not decrypt key",
                f = file.display()
            )),
        },
    )?;
    let id = key.id();
    let pass = retriever.new_passphrase(&role, &id, &new_key_vars(&role))?;
    let _lock = DirLock::acquire(&ctx.trust_dir)?;
    store::store_new_key(
        &ctx.key_store(),
        &key,
        pass.as_bytes(),
        &role,
        gun.as_deref(),
    )?;
    ctx.out(&format!(
        "Successfully imported key from {}\n",
        file.display()
    ))
}

/// notary's LOCATION column: the store dir, left-truncated to 40 characters.
fn truncate_left(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        let tail: String = s.chars().skip(n - (max - 3)).collect();
        format!("...{tail}")
    }
}

fn list(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.key_store();
    let keys = store.list()?;
    for w in store.permission_warnings() {
        ctx.warn(&w);
    }
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Item<'a> {
            id: &'a str,
            role: &'a str,
            gun: &'a str,
            location: String,
        }
        let items: Vec<Item> = keys
            .iter()
            .map(|k| Item {
                id: &k.id,
                role: &k.role,
                gun: &k.gun,
                location: k.path.display().to_string(),
            })
            .collect();
        let text = serde_json::to_string_pretty(&items).expect("JSON values serialise");
        return ctx.out(&format!("{text}\n"));
    }
    if keys.is_empty() {
        return ctx.out("No signing keys found.\n");
    }
    let location = truncate_left(&store.dir().display().to_string(), 40);
    let mut rows = vec![
        ["ROLE", "GUN", "KEY ID", "LOCATION"]
            .map(String::from)
            .to_vec(),
        ["----", "---", "------", "--------"]
            .map(String::from)
            .to_vec(),
    ];
    for k in &keys {
        rows.push(vec![
            k.role.clone(),
            truncate_left(&k.gun, 25),
            k.id.clone(),
            location.clone(),
        ]);
    }
    ctx.out(&format!("\n{}\n", table::layout(&rows, 4, 4)))
}

fn export(
    ctx: &mut Ctx,
    ids: &[String],
    guns: &[String],
    role: Option<&str>,
    output: Option<&Path>,
    reencrypt: bool,
) -> Result<()> {
    let store = ctx.key_store();
    let mut selected: Vec<StoredKey> = if ids.is_empty() {
        store
            .list()?
            .into_iter()
            .filter(|k| guns.is_empty() || guns.contains(&k.gun))
            .collect()
    } else {
        ids.iter()
            .map(|id| store.require(id))
            .collect::<Result<_>>()?
    };
    if let Some(role) = role {
        selected.retain(|k| k.role == role);
    }
    if selected.is_empty() {
        return Err(Error::key(format!(
            "no keys match in {}; run `dct key list` to see the keys you have",
            store.dir().display()
        )));
    }
    let mut retriever = Retriever::new();
    let mut text = String::new();
    for k in &selected {
        let mut block = if reencrypt {
            reseal(k, &mut retriever)?
        } else {
            k.block.clone()
        };
        // notary's export adds `path:` so that `notary key import` files the key under its ID.
        block.set_header("path", Some(&k.id));
        text.push_str(&block.encode());
    }
    match output {
        Some(path) => {
            fsutil::write_atomic(path, text.as_bytes())?;
            ctx.progress(&format!(
                "Exported {} key(s) to {}",
                selected.len(),
                path.display()
            ));
            Ok(())
        }
        None => ctx.out(&text),
    }
}

/// A new passphrase from `DCT_NEW_PASSPHRASE` or the prompt — never the role's variable, which
/// holds the old one.
fn new_passphrase_only(
    retriever: &mut Retriever,
    role: &str,
    id: &str,
) -> Result<crate::keys::passphrase::Passphrase> {
    retriever.new_passphrase(role, id, &[NEW_PASSPHRASE_VAR])
}

/// Variables for the passphrase of a key being loaded or imported: `DCT_NEW_PASSPHRASE`, then
/// the role's own (Docker's `key load` uses the repository passphrase).
fn new_key_vars(role: &str) -> Vec<&'static str> {
    std::iter::once(NEW_PASSPHRASE_VAR)
        .chain(env_vars_for(role).iter().copied())
        .collect()
}

fn import(
    ctx: &mut Ctx,
    files: &[PathBuf],
    fallback_role: &str,
    fallback_gun: Option<&str>,
) -> Result<()> {
    let store = ctx.key_store();
    let mut retriever = Retriever::new();
    // Decode and check every block of every file before writing anything.
    let mut staged: Vec<(String, String, Block, PathBuf)> = Vec::new();
    for file in files {
        let bytes = read_private_key_file(file)?;
        let blocks = pem::parse_all(&bytes)
            .map_err(|e| Error::invalid(format!("cannot import {}: {e}", file.display())))?;
        let blocks: Vec<Block> = blocks
            .into_iter()
            .filter(keyfile::is_private_key_block)
            .collect();
        if blocks.is_empty() {
            return Err(Error::invalid(format!(
                "cannot import {}: it holds no private key",
                file.display()
            )));
        }
        for mut block in blocks {
            let role = block
                .header("role")
                .filter(|r| !r.is_empty())
                .unwrap_or(fallback_role)
                .to_string();
            let gun = block
                .header("gun")
                .filter(|g| !g.is_empty())
                .or(fallback_gun)
                .map(str::to_string);
            if role_keeps_gun(&role) && gun.is_none() {
                return Err(Error::invalid(format!(
                    "cannot import the {role} key in {}: it names no GUN; pass --gun",
                    file.display()
                )));
            }
            let claimed = block.header("path").map(|p| {
                Path::new(p)
                    .file_name()
                    .map(|f| f.to_string_lossy().trim_end_matches(".key").to_string())
                    .unwrap_or_default()
            });
            let hint = claimed.clone().unwrap_or_default();
            let key = store::unlock(
                &block,
                &role,
                &hint,
                file,
                &mut retriever,
                store::Ask::default(),
            )?;
            let id = key.id();
            if let Some(claimed) = claimed.filter(|c| is_key_id(c))
                && claimed != id
            {
                return Err(Error::invalid(format!(
                    "cannot import {}: its path header names key {claimed} but the key is {id}",
                    file.display()
                )));
            }
            let sealed = if keyfile::is_encrypted(&block) {
                // Keep the user's encryption as it is; only the headers are normalised.
                block.set_header("path", None);
                block.set_header("role", Some(&role));
                block.set_header("gun", gun.as_deref().filter(|_| role_keeps_gun(&role)));
                block
            } else {
                let pass = retriever.new_passphrase(&role, &id, &new_key_vars(&role))?;
                keyfile::seal(&key, pass.as_bytes(), &role, gun.as_deref())
            };
            staged.push((id, role, sealed, file.clone()));
        }
    }
    let _lock = DirLock::acquire(&ctx.trust_dir)?;
    for (id, role, block, file) in staged {
        if store.get(&id)?.is_some() {
            ctx.progress(&format!(
                "Key {id} ({role}) is already in the trust dir; kept it"
            ));
            continue;
        }
        store.put(&id, &block)?;
        ctx.out(&format!(
            "Imported {role} key {id} from {}\n",
            file.display()
        ))?;
    }
    Ok(())
}

fn remove(ctx: &mut Ctx, id: &str, yes: bool) -> Result<()> {
    if !is_key_id(id) {
        return Err(Error::invalid(format!("invalid key ID provided: {id}")));
    }
    let store = ctx.key_store();
    let key = store.require(id)?;
    ctx.debug(&format!("key file {}", key.path.display()));
    let description = format!("{id} (role {}) from {}", key.role, store.dir().display());
    if !yes
        && !ctx.confirm(
            &format!("Are you sure you want to remove {description}?  (yes/no)  "),
            &format!("removing key {id}"),
            "-y",
        )?
    {
        eprintln!("\nAborting action.");
        return Ok(());
    }
    let _lock = DirLock::acquire(&ctx.trust_dir)?;
    store.remove(&key)?;
    ctx.out(&format!("Deleted {description}.\n"))
}

fn passwd(ctx: &mut Ctx, id: &str) -> Result<()> {
    if !is_key_id(id) {
        return Err(Error::invalid(format!("invalid key ID provided: {id}")));
    }
    let store = ctx.key_store();
    let k = store.require(id)?;
    ctx.debug(&format!("key file {}", k.path.display()));
    let mut retriever = Retriever::new();
    let block = reseal(&k, &mut retriever)?;
    let _lock = DirLock::acquire(&ctx.trust_dir)?;
    store.put(id, &block)?;
    ctx.out(&format!(
        "Successfully updated passphrase for key ID: {id}\n"
    ))
}

/// "root key ID" or "targets key ID for GUN", as backup and restore report keys.
fn describe(role: &str, id: &str, gun: &str) -> String {
    let role = if role.is_empty() {
        String::new()
    } else {
        format!("{role} ")
    };
    if gun.is_empty() {
        format!("{role}key {id}")
    } else {
        format!("{role}key {id} for {gun}")
    }
}

#[derive(serde::Serialize)]
struct JsonKey<'a> {
    id: &'a str,
    role: &'a str,
    gun: &'a str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
}

fn backup(ctx: &mut Ctx, file: &Path, plain: bool, force: bool) -> Result<()> {
    if fs::symlink_metadata(file).is_ok() && !force {
        return Err(Error::invalid(format!(
            "{} already exists: pass --force to replace it",
            file.display()
        )));
    }
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::invalid(format!(
            "cannot write {}: directory {} does not exist",
            file.display(),
            parent.display()
        )));
    }
    let store = ctx.key_store();
    let entries = {
        let _lock = if store.dir().is_dir() {
            Some(DirLock::acquire(&ctx.trust_dir)?)
        } else {
            None
        };
        backup::collect(&store)?
    };
    if entries.is_empty() {
        return Err(Error::key(format!(
            "no keys to back up in {}; run `dct key list` to see the keys you have",
            store.dir().display()
        )));
    }
    let tar_gz = backup::build_tar_gz(&entries)?;
    let bytes = if plain {
        tar_gz.to_vec()
    } else {
        let pass = Retriever::new().new_backup_passphrase(file)?;
        ctx.progress("Sealing the backup (Argon2id, 64 MiB)...");
        backup::seal(&tar_gz, pass.as_bytes(), backup::DEFAULT_KDF)
    };
    fsutil::write_atomic(file, &bytes)?;
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            file: String,
            format: &'a str,
            keys: Vec<JsonKey<'a>>,
        }
        let out = Out {
            file: file.display().to_string(),
            format: if plain { "tar.gz" } else { "sealed" },
            keys: entries
                .iter()
                .map(|e| JsonKey {
                    id: &e.id,
                    role: &e.role,
                    gun: &e.gun,
                    path: Path::new("private").join(&e.rel).display().to_string(),
                    action: None,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&out).expect("JSON values serialise");
        ctx.out(&format!("{text}\n"))?;
    } else {
        let mut text = String::new();
        for e in &entries {
            text.push_str(&format!("Backed up {}\n", describe(&e.role, &e.id, &e.gun)));
        }
        ctx.out(&text)?;
    }
    ctx.progress(&format!(
        "Wrote {} key(s) to {} ({})",
        entries.len(),
        file.display(),
        if plain {
            "a plain tar.gz: protected only by the keys' own passphrases"
        } else {
            "sealed with Argon2id + XChaCha20-Poly1305"
        }
    ));
    Ok(())
}

/// Reads the archive at `file` and returns the keys it holds, asking for the passphrase of a
/// sealed one. Every error leaves the trust dir untouched.
fn read_backup(file: &Path) -> Result<backup::ArchiveContents> {
    let bad = |why: &str| {
        Error::invalid(format!(
            "cannot restore from {}: {why}; nothing was restored",
            file.display()
        ))
    };
    let meta = fs::metadata(file).map_err(|e| Error::io("cannot read", file, e))?;
    if !meta.is_file() {
        return Err(bad("not a regular file"));
    }
    if meta.len() > backup::MAX_ARCHIVE {
        return Err(bad(&format!(
            "the file is larger than {} MiB",
            backup::MAX_ARCHIVE / (1024 * 1024)
        )));
    }
    let bytes = fs::read(file).map_err(|e| Error::io("cannot read", file, e))?;
    let format = backup::detect(&bytes)
        .ok_or_else(|| bad("not a dct backup, a .tar.gz or a .tar archive"))?;
    let contents = if format == Format::Sealed {
        let sealed = backup::Sealed::parse(&bytes).map_err(|e| bad(&e))?;
        let mut retriever = Retriever::new();
        let mut attempt = 0;
        let k = loop {
            let (pass, source) = retriever.backup_passphrase(file, attempt)?;
            match sealed.unlock(pass.as_bytes()) {
                Ok(k) => break k,
                Err(_) if matches!(source, Source::Prompt) => attempt += 1,
                Err(_) => {
                    return Err(Error::key(format!(
                        "the passphrase in {BACKUP_PASSPHRASE_VAR} does not open {} (or its header is damaged): fix {BACKUP_PASSPHRASE_VAR} or unset it to be asked",
                        file.display()
                    )));
                }
            }
        };
        let payload = sealed.decrypt(&k).map_err(|e| match e {
            backup::OpenError::Damaged(why) => bad(&why),
            backup::OpenError::WrongPassphrase => bad("wrong passphrase"),
        })?;
        backup::read_archive(Format::Sealed, &payload).map_err(|e| bad(&e))?
    } else {
        backup::read_archive(format, &bytes).map_err(|e| bad(&e))?
    };
    Ok(contents)
}

fn restore(ctx: &mut Ctx, file: &Path, force: bool, dry_run: bool) -> Result<()> {
    let contents = read_backup(file)?;
    for name in &contents.ignored {
        ctx.warn(&format!(
            "skipped entry \"{name}\" of {}: not a key file below a private/ directory",
            file.display()
        ));
    }
    if contents.keys.is_empty() {
        return Err(Error::invalid(format!(
            "cannot restore from {}: it holds no key files (<key ID>.key below a private/ directory)",
            file.display()
        )));
    }
    let store = ctx.key_store();
    // Plan without the lock first, so a refusal leaves no trace (not even a lock file); then
    // plan again under the lock and write.
    let mut planned = backup::plan(&store, contents.keys.clone(), force)?;
    let refused: Vec<&backup::Planned> = planned
        .iter()
        .filter(|p| p.action == Action::Refuse)
        .collect();
    let refusal = (!refused.is_empty()).then(|| {
        let mut msg = format!(
            "refusing to restore from {}: the trust dir holds a different key with the same ID as {} key(s) of the backup:\n",
            file.display(),
            refused.len()
        );
        for p in &refused {
            msg.push_str(&format!(
                "  {} ({})\n",
                describe(&p.key.role, &p.key.id, &p.key.gun),
                p.dest.display()
            ));
        }
        msg.push_str(
            "nothing was restored; pass --force to replace them with the backup's keys (the keys they replace are lost unless backed up)",
        );
        Error::key(msg)
    });
    if !dry_run {
        if let Some(e) = refusal {
            return Err(e);
        }
        let _lock = DirLock::acquire(&ctx.trust_dir)?;
        planned = backup::plan(&store, contents.keys, force)?;
        if planned.iter().any(|p| p.action == Action::Refuse) {
            return Err(Error::key(format!(
                "refusing to restore from {}: the trust dir changed while restoring; nothing was restored",
                file.display()
            )));
        }
        backup::apply(&planned)?;
    }
    report_restore(ctx, &planned, dry_run)?;
    if dry_run {
        ctx.progress("Dry run: nothing was written.");
        if let Some(e) = refusal {
            return Err(e);
        }
    }
    Ok(())
}

fn report_restore(ctx: &mut Ctx, planned: &[backup::Planned], dry_run: bool) -> Result<()> {
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            dry_run: bool,
            keys: Vec<JsonKey<'a>>,
        }
        let out = Out {
            dry_run,
            keys: planned
                .iter()
                .map(|p| JsonKey {
                    id: &p.key.id,
                    role: &p.key.role,
                    gun: &p.key.gun,
                    path: p.dest.display().to_string(),
                    action: Some(p.action.as_str()),
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&out).expect("JSON values serialise");
        return ctx.out(&format!("{text}\n"));
    }
    let mut text = String::new();
    for p in planned {
        let what = describe(&p.key.role, &p.key.id, &p.key.gun);
        let line = match (p.action, dry_run) {
            (Action::Restore, false) => format!("Restored {what}"),
            (Action::Restore, true) => format!("Would restore {what}"),
            (Action::Skip, false) => format!("Skipped {what}: already in the trust dir"),
            (Action::Skip, true) => format!("Would skip {what}: already in the trust dir"),
            (Action::Replace, false) => {
                format!("Replaced {what}: the trust dir held a different key with this ID")
            }
            (Action::Replace, true) => {
                format!("Would replace {what}: the trust dir holds a different key with this ID")
            }
            (Action::Refuse, _) => format!(
                "Would refuse {what}: the trust dir holds a different key with this ID (--force replaces it)"
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    ctx.out(&text)
}

/// Opens a stored key with its passphrase and seals it again under a new one (same role and
/// GUN headers): `key export --reencrypt` and `key passwd`.
fn reseal(k: &store::StoredKey, retriever: &mut Retriever) -> Result<pem::Block> {
    let key = store::unlock(
        &k.block,
        &k.role,
        &k.id,
        &k.path,
        retriever,
        store::Ask::default(),
    )?;
    let pass = new_passphrase_only(retriever, &k.role, &k.id)?;
    let gun = (!k.gun.is_empty()).then_some(k.gun.as_str());
    Ok(keyfile::seal(&key, pass.as_bytes(), &k.role, gun))
}
