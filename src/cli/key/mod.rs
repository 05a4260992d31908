//! `dct key …`: Docker's signer-key commands (`generate`, `load`), notary's key commands
//! (`list`, `export`, `import`, `remove`, `passwd`, `rotate`) and backups (`backup`, `restore`).

mod backup;

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::ops::Ui as _;
use crate::ops::keys::{self, ExportSelection, Imported, RemoveOutcome};
use crate::ops::rotate::{self, RotateOutcome, RotateRequest};
use crate::reference::RepoRef;
use crate::tabwriter;

#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR
    Generate {
        /// Signer name (lower-case letters, digits, '-' and '_')
        name: String,
        /// Directory for NAME.pub [default: current directory]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Generate the key on this PKCS#11 token (RFC 7512 URI, e.g. pkcs11:token=NAME): it
        /// never leaves the token; PIN from $DCT_PKCS11_PIN or a prompt
        #[arg(long, value_name = "URI", value_parser = super::Pkcs11UriParser)]
        pkcs11: Option<Box<crate::ops::Pkcs11Uri>>,
    },
    /// Load a private key file (encrypted or not) into the trust dir, re-encrypted
    Load {
        /// Private key file (PEM)
        file: PathBuf,
        /// Role (signer name) for a key file that names none
        #[arg(long, default_value = "signer")]
        name: String,
    },
    /// List the keys in the trust dir (key files and PKCS#11 token keys)
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
    /// Remove a key from the trust dir (a token key: from its token)
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
    #[command(long_about = super::help::ROTATE, after_long_help = super::help::ROTATE_EXAMPLES)]
    Rotate(RotateArgs),
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

#[derive(Debug, Args)]
pub(crate) struct RotateArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// root, targets, snapshot or timestamp
    #[arg(value_name = "ROLE")]
    pub role: String,
    /// Let the server manage the new key (snapshot; timestamp always is)
    #[arg(long)]
    pub server_managed: bool,
    /// Use this private key instead of generating one (root, targets, snapshot): a PEM file,
    /// or a PKCS#11 URI (the key on the token, object ROLE when the URI names none, generated
    /// there if the token holds none)
    #[arg(long, value_name = "FILE|URI", value_parser = super::KeyArgParser)]
    pub key: Option<super::KeyArg>,
    /// Do not ask before rotating the root key
    #[arg(short = 'y', long)]
    pub yes: bool,
}

pub(super) fn run(ctx: &mut Ctx, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::Generate { name, dir, pkcs11 } => generate(ctx, &name, dir, pkcs11.as_deref()),
        KeyCommand::Load { file, name } => {
            let (id, role) = keys::load(&mut ctx.session, &*ctx.ui, &file, &name)?;
            if ctx.json {
                return ctx.out_json(&serde_json::json!({"id": id, "role": role}));
            }
            ctx.out(&format!(
                "Successfully imported key from {}\n",
                file.display()
            ))
        }
        KeyCommand::List => list(ctx),
        KeyCommand::Export {
            keys,
            guns,
            role,
            output,
            reencrypt,
        } => {
            let sel = ExportSelection {
                ids: keys,
                guns,
                role,
                reencrypt,
            };
            export(ctx, &sel, output.as_deref())
        }
        KeyCommand::Import { files, role, gun } => import(ctx, &files, &role, gun.as_deref()),
        KeyCommand::Remove { key_id, yes } => {
            let outcome = keys::remove(&mut ctx.session, &*ctx.ui, &key_id, yes)?;
            if ctx.json {
                let removed = matches!(outcome, RemoveOutcome::Removed(_));
                return ctx.out_json(&serde_json::json!({"id": key_id, "removed": removed}));
            }
            match outcome {
                RemoveOutcome::Aborted => Ok(()),
                RemoveOutcome::Removed(what) => ctx.out(&format!("Deleted {what}.\n")),
            }
        }
        KeyCommand::Passwd { key_id } => {
            keys::passwd(&mut ctx.session, &*ctx.ui, &key_id)?;
            if ctx.json {
                return ctx.out_json(&serde_json::json!({"id": key_id}));
            }
            ctx.out(&format!(
                "Successfully updated passphrase for key ID: {key_id}\n"
            ))
        }
        KeyCommand::Rotate(args) => rotate(ctx, args),
        KeyCommand::Backup { file, plain, force } => backup::backup(ctx, &file, plain, force),
        KeyCommand::Restore {
            file,
            force,
            dry_run,
        } => backup::restore(ctx, &file, force, dry_run),
    }
}

fn generate(
    ctx: &mut Ctx,
    name: &str,
    dir: Option<PathBuf>,
    pkcs11: Option<&crate::ops::Pkcs11Uri>,
) -> Result<()> {
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| Error::io("cannot read", Path::new("the current directory"), e))?,
    };
    let (pub_path, id) = keys::generate(&mut ctx.session, &*ctx.ui, name, &dir, pkcs11)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({
            "id": id,
            "role": name,
            "public_key": pub_path.display().to_string(),
            "pkcs11": pkcs11.is_some(),
        }));
    }
    if pkcs11.is_some() {
        return ctx.out(&format!(
            "Successfully generated the private key on the PKCS#11 token. Corresponding public \
             key available: {}\n",
            pub_path.display()
        ));
    }
    ctx.out(&format!(
        "Successfully generated and loaded private key. Corresponding public key available: {}\n",
        pub_path.display()
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
    let keys = keys::list(&ctx.session, &*ctx.ui)?;
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Item<'a> {
            id: &'a str,
            role: &'a str,
            gun: &'a str,
            location: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            uri: Option<&'a str>,
        }
        let items: Vec<Item> = keys
            .iter()
            .map(|k| Item {
                id: &k.id,
                role: &k.role,
                gun: &k.gun,
                location: match (&k.file, &k.token) {
                    (_, Some(t)) => t.location(),
                    (Some(f), None) => f.display().to_string(),
                    (None, None) => String::new(),
                },
                uri: k.token.as_ref().map(|t| t.uri.as_str()),
            })
            .collect();
        return ctx.out_json(&items);
    }
    if keys.is_empty() {
        return ctx.out("No signing keys found.\n");
    }
    let location = truncate_left(&ctx.session.key_store().dir().display().to_string(), 40);
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
            match &k.token {
                Some(t) => t.location(),
                None => location.clone(),
            },
        ]);
    }
    ctx.out(&format!("\n{}\n", tabwriter::layout(&rows, 4, 4)))
}

fn export(ctx: &mut Ctx, sel: &ExportSelection, output: Option<&Path>) -> Result<()> {
    if output.is_none() {
        ctx.no_json("key export prints PEM key blocks (with -o FILE it says what it wrote)")?;
    }
    let done = keys::export(&mut ctx.session, sel)?;
    for r in &done.skipped {
        ctx.ui.progress(&keys::cannot_leave(r));
    }
    let (text, n) = (done.text, done.count);
    match output {
        Some(path) => {
            fsutil::write_atomic(path, text.as_bytes())?;
            if ctx.json {
                return ctx.out_json(&serde_json::json!({
                    "file": path.display().to_string(),
                    "keys": n,
                }));
            }
            ctx.ui
                .progress(&format!("Exported {n} key(s) to {}", path.display()));
            Ok(())
        }
        None => ctx.out(&text),
    }
}

fn import(ctx: &mut Ctx, files: &[PathBuf], role: &str, gun: Option<&str>) -> Result<()> {
    let outcomes = keys::import(&mut ctx.session, files, role, gun)?;
    if ctx.json {
        let keys: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| match o {
                Imported::Stored(role, id, file) => serde_json::json!({
                    "id": id, "role": role, "file": file.display().to_string(), "action": "imported",
                }),
                Imported::Kept(role, id) => {
                    serde_json::json!({"id": id, "role": role, "action": "kept"})
                }
            })
            .collect();
        return ctx.out_json(&serde_json::json!({ "keys": keys }));
    }
    for outcome in outcomes {
        match outcome {
            Imported::Kept(role, id) => ctx.ui.progress(&format!(
                "Key {id} ({role}) is already in the trust dir; kept it"
            )),
            Imported::Stored(role, id, file) => ctx.out(&format!(
                "Imported {role} key {id} from {}\n",
                file.display()
            ))?,
        }
    }
    Ok(())
}

fn rotate(ctx: &mut Ctx, args: RotateArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    let req = RotateRequest {
        repo: &repo,
        role: args.role.to_ascii_lowercase(),
        server_managed: args.server_managed,
        key_file: match &args.key {
            Some(super::KeyArg::File(f)) => Some(f.as_path()),
            _ => None,
        },
        token_key: match &args.key {
            Some(super::KeyArg::Token(u)) => Some(u),
            _ => None,
        },
        yes: args.yes,
    };
    let outcome = rotate::rotate(&mut ctx.session, &*ctx.ui, &req)?;
    if ctx.json {
        let key = match &outcome {
            RotateOutcome::Rotated(id) => Some(id.clone()),
            RotateOutcome::Aborted => None,
        };
        return ctx.out_json(&serde_json::json!({
            "name": repo.gun(),
            "role": req.role,
            "key_id": key,
        }));
    }
    match outcome {
        RotateOutcome::Aborted => Ok(()),
        RotateOutcome::Rotated(_) => ctx.out(&format!(
            "Successfully rotated {} key for repository {}\n",
            req.role,
            repo.gun()
        )),
    }
}
