//! `dct key generate|load` (Docker's signer-key commands) and `dct key list|export|import|
//! remove|passwd` (notary's key commands), on the shared key store.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::{Session, Ui};
use crate::error::{Error, IoContext, Result};
use crate::fsutil;
use crate::keys::keyfile::{self, role_keeps_gun};
use crate::keys::passphrase::{NEW_PASSPHRASE_VAR, Passphrase, Retriever, env_vars_for};
use crate::keys::pem::{self, Block};
use crate::keys::pkcs11::{Pkcs11Uri, TokenRecord};
use crate::keys::store::{self, Ask, StoredKey, is_key_id};
use crate::keys::{KeySigner, PrivateKey, check_name};

/// Prefix of a `NAME.pub` that `key generate` has written but not yet named (see [`generate`]);
/// the key ID follows: `.dct-pub-<key ID>-<random>`.
const PENDING_PUB_PREFIX: &str = ".dct-pub-";

/// `dct key generate NAME [--dir DIR] [--pkcs11 URI]`: a new ECDSA P-256 key stored with
/// `role: NAME` — or, with `pkcs11`, generated on that token (labelled NAME, its `CKA_ID` the
/// key ID, sensitive and not extractable) and recorded in the trust dir — and `DIR/NAME.pub`.
/// Returns the public key's path.
///
/// A kill at any point leaves nothing, or the pair, or a pair that the next `key generate` in
/// `DIR` completes — never a key whose `NAME.pub` a re-run would replace with a second key: the
/// public key is written first under a pending name (`DIR/.dct-pub-<ID>-…`, locked while this
/// run lives), then the private key (the commit point), then the pending file is renamed to
/// `NAME.pub`. A pending file whose writer died is finished by [`finish_interrupted`]: renamed
/// to its `NAME.pub` when the store has its key, else removed. Signals wait for the three
/// steps. For a token key the commit point is its record; the key pair is made on the token
/// before anything is written.
pub fn generate(
    session: &mut Session,
    ui: &dyn Ui,
    name: &str,
    dir: &Path,
    pkcs11: Option<&Pkcs11Uri>,
) -> Result<(PathBuf, String)> {
    check_name(name)?;
    if let Some(object) = pkcs11.and_then(|u| u.object.as_deref())
        && object != name
    {
        return Err(Error::invalid(format!(
            "the URI names object \"{object}\", but a generated key is labelled with its name \
             \"{name}\": leave object= out"
        )));
    }
    if fs::metadata(dir).is_err() {
        return Err(Error::invalid(format!(
            "public key path does not exist: \"{}\"",
            dir.display()
        )));
    }
    let pub_path = dir.join(format!("{name}.pub"));
    if finish_interrupted(session, ui, dir)?
        .iter()
        .any(|r| r == name)
    {
        let id = crate::keys::public::read_public_key(&pub_path)?.id();
        return Ok((pub_path, id));
    }
    if fs::symlink_metadata(&pub_path).is_ok() {
        return Err(Error::invalid(format!(
            "public key file already exists: \"{}\"",
            pub_path.display()
        )));
    }
    ui.progress(&format!("Generating key for {name}..."));
    enum New {
        File(Box<PrivateKey>, Passphrase),
        Token(String),
    }
    let (new, public_key) = match pkcs11 {
        None => {
            let key = PrivateKey::generate_ecdsa();
            let pass = session
                .retriever()
                .new_passphrase(name, &key.id(), env_vars_for(name))?;
            let public = key.public_key();
            (New::File(Box::new(key), pass), public)
        }
        Some(uri) => {
            let id = session.keys().generate_token_key(uri, name)?;
            let key = session
                .keys()
                .opened_token_key(&id)
                .expect("just generated");
            ui.debug(&format!(
                "generated key {id} on PKCS#11 token: {}",
                key.uri()
            ));
            let public = key.public_key();
            (New::Token(id), public)
        }
    };
    let id = public_key.id();
    let mut public = Block::new("PUBLIC KEY", public_key.public);
    public.set_header("role", Some(name));
    let _lock = session.trust_dir().lock()?;
    let _whole = fsutil::interrupt::defer();
    let mut pending = fsutil::debris::locked_tempfile(dir, &format!("{PENDING_PUB_PREFIX}{id}-"))?;
    pending
        .write_all(public.encode().as_bytes())
        .and_then(|()| pending.as_file().sync_all())
        .ctx("cannot write", pending.path())?;
    fsutil::sync_dir(dir);
    let key_path = match new {
        New::File(key, pass) => Some(store::store_new_key(
            session.key_store(),
            &key,
            pass.as_bytes(),
            name,
            None,
        )?),
        New::Token(id) => {
            session.keys().record_token_key(&id, name, None)?;
            None
        }
    };
    if let Err(e) = pending.persist_noclobber(&pub_path) {
        // NAME.pub appeared meanwhile (another run): this key would have no public key file.
        match key_path {
            Some(p) => {
                let _ = fs::remove_file(&p);
            }
            None => {
                let _ = session.keys().token_records().remove(&id);
            }
        }
        return Err(Error::invalid(format!(
            "public key file already exists: \"{}\" ({})",
            pub_path.display(),
            e.error
        )));
    }
    fsutil::sync_dir(dir);
    Ok((pub_path, id))
}

/// Finishes the `key generate` runs in `dir` that were killed before they named their public
/// key file (see [`generate`]); returns the roles whose `ROLE.pub` it completed. Pending files
/// of a live run are left alone.
fn finish_interrupted(session: &mut Session, ui: &dyn Ui, dir: &Path) -> Result<Vec<String>> {
    let pending: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(PENDING_PUB_PREFIX)
            })
            .map(|e| e.path())
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let _lock = session.trust_dir().lock()?;
    let mut done = Vec::new();
    for path in pending {
        let Some(_held) = fsutil::debris::claim(&path) else {
            continue;
        };
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let id = file_name[PENDING_PUB_PREFIX.len()..]
            .split('-')
            .next()
            .unwrap_or_default()
            .to_string();
        let role = fs::read(&path)
            .ok()
            .and_then(|b| pem::parse_all(&b).ok())
            .and_then(|blocks| blocks.into_iter().next())
            .filter(|b| b.label == "PUBLIC KEY")
            .and_then(|b| b.header("role").map(str::to_string))
            .filter(|r| check_name(r).is_ok());
        let stored = is_key_id(&id)
            && (session
                .key_store()
                .get(&id)
                .ok()
                .flatten()
                .is_some_and(|k| Some(&k.role) == role.as_ref())
                || session
                    .keys()
                    .token_records()
                    .get(&id)
                    .ok()
                    .flatten()
                    .is_some_and(|k| Some(&k.role) == role.as_ref()));
        if let (true, Some(role)) = (stored, role) {
            let dest = dir.join(format!("{role}.pub"));
            // Renamed only to a free name (a hard link fails on an existing one).
            if fs::hard_link(&path, &dest).is_ok() {
                let _ = fs::remove_file(&path);
                fsutil::sync_dir(dir);
                ui.warn(&format!(
                    "completed the interrupted generation of key {id} ({role}): its public key \
                     is {} (the key is encrypted with the passphrase given to that run)",
                    dest.display()
                ));
                done.push(role);
                continue;
            }
        }
        // Its key was never stored (or its name is taken): the pending file is only debris.
        let _ = fs::remove_file(&path);
    }
    Ok(done)
}

/// Reads a private key file given by the user, refusing one that others may read or write
/// (Docker's rule: such a key may already be compromised).
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

/// Reads and decrypts the private key in `file` (the same rules as `key load`), for `role`
/// (`key rotate --key FILE`).
pub(crate) fn read_private_key(session: &Session, file: &Path, role: &str) -> Result<PrivateKey> {
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
        &mut session.fresh_retriever(),
        Ask {
            prompt: Some("Enter passphrase for encrypted key: "),
            wrong: None,
        },
    )
}

/// Variables for the passphrase of a key being loaded or imported: `DCT_NEW_PASSPHRASE`, then
/// the role's own (Docker's `key load` uses the repository passphrase).
fn new_key_vars(role: &str) -> Vec<&'static str> {
    std::iter::once(NEW_PASSPHRASE_VAR)
        .chain(env_vars_for(role).iter().copied())
        .collect()
}

/// `dct key load FILE [--name NAME]`: Docker's `trust key load`, without its bug — an
/// encrypted key really is imported. The key is re-encrypted under a new passphrase; a `role:`
/// header in the file wins over `name`.
pub fn load(
    session: &mut Session,
    ui: &dyn Ui,
    file: &Path,
    name: &str,
) -> Result<(String, String)> {
    check_name(name)?;
    ui.progress(&format!("Loading key from \"{}\"...", file.display()));
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
    let key = store::unlock(
        &block,
        &role,
        "",
        file,
        session.retriever(),
        Ask {
            prompt: Some("Enter passphrase for encrypted key: "),
            wrong: Some(format!(
                "error importing key from {f}: cannot load key from provided file {f}: could not decrypt key",
                f = file.display()
            )),
        },
    )?;
    let id = key.id();
    let pass = session
        .retriever()
        .new_passphrase(&role, &id, &new_key_vars(&role))?;
    let _lock = session.trust_dir().lock()?;
    store::store_new_key(
        session.key_store(),
        &key,
        pass.as_bytes(),
        &role,
        gun.as_deref(),
    )?;
    Ok((id, role))
}

/// One key `dct key list` shows: a key file or a token key.
#[derive(Debug, Clone)]
pub struct ListedKey {
    /// The canonical key ID (a key file's name).
    pub id: String,
    /// The key's role (`root`, `targets`, a delegation or a signer name).
    pub role: String,
    /// The key's GUN; empty for root and delegation keys.
    pub gun: String,
    /// The key file (None for a token key).
    pub file: Option<PathBuf>,
    /// The token key's record (None for a key file).
    pub token: Option<TokenRecord>,
}

/// `dct key list`: every key of the store and every token key of the trust dir, sorted as
/// `notary key list` sorts them (a key directory others may write is warned about).
pub fn list(session: &Session, ui: &dyn Ui) -> Result<Vec<ListedKey>> {
    let files = session.key_store().list()?;
    for w in session.key_store().permission_warnings() {
        ui.warn(&w);
    }
    let tokens = token_records(session)?;
    let mut keys: Vec<ListedKey> = files
        .into_iter()
        .map(|k| ListedKey {
            id: k.id,
            role: k.role,
            gun: k.gun,
            file: Some(k.path),
            token: None,
        })
        .chain(tokens.into_iter().map(|r| ListedKey {
            id: r.id.clone(),
            role: r.role.clone(),
            gun: r.gun.clone(),
            file: None,
            token: Some(r),
        }))
        .collect();
    keys.sort_by(|a, b| {
        (a.role != "root", &a.gun, &a.role, &a.id).cmp(&(b.role != "root", &b.gun, &b.role, &b.id))
    });
    Ok(keys)
}

/// The trust dir's token key records.
fn token_records(session: &Session) -> Result<Vec<TokenRecord>> {
    crate::keys::pkcs11::TokenRecords::new(session.trust_dir().pkcs11_dir()).list()
}

/// The record of token key `id`, if `id` is one.
fn token_record(session: &Session, id: &str) -> Result<Option<TokenRecord>> {
    crate::keys::pkcs11::TokenRecords::new(session.trust_dir().pkcs11_dir()).get(id)
}

/// The line for a token key that cannot be exported or backed up.
pub fn cannot_leave(rec: &TokenRecord) -> String {
    let role = if rec.role.is_empty() {
        String::new()
    } else {
        format!("{} ", rec.role)
    };
    format!(
        "Skipped {role}key {}: it is on PKCS#11 token {} and cannot leave it",
        rec.id,
        rec.token_name()
    )
}

/// Which keys `dct key export` writes.
#[derive(Debug, Clone, Default)]
pub struct ExportSelection {
    /// These key IDs (else every key).
    pub ids: Vec<String>,
    /// Keys of these GUNs (with no IDs given).
    pub guns: Vec<String>,
    /// Only keys of this role.
    pub role: Option<String>,
    /// Re-encrypt each key under a new passphrase.
    pub reencrypt: bool,
}

/// What `dct key export` produced.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The PEM text.
    pub text: String,
    /// How many keys it holds.
    pub count: usize,
    /// Selected token keys, which cannot leave their token (one line each, see
    /// [`cannot_leave`]).
    pub skipped: Vec<TokenRecord>,
}

/// `dct key export`: the selected keys as PEM, each with notary's `path:` header (so that
/// `notary key import` files it under its ID), as stored or re-encrypted. Token keys selected
/// are skipped (they cannot leave the token); only token keys selected is exit 7.
pub fn export(session: &mut Session, sel: &ExportSelection) -> Result<Exported> {
    let store = session.key_store();
    let mut skipped = Vec::new();
    let mut selected: Vec<StoredKey> = if sel.ids.is_empty() {
        skipped = token_records(session)?
            .into_iter()
            .filter(|k| sel.guns.is_empty() || sel.guns.contains(&k.gun))
            .collect();
        store
            .list()?
            .into_iter()
            .filter(|k| sel.guns.is_empty() || sel.guns.contains(&k.gun))
            .collect()
    } else {
        let mut out = Vec::new();
        for id in &sel.ids {
            match token_record(session, id)? {
                Some(rec) if store.get(id)?.is_none() => skipped.push(rec),
                _ => out.push(store.require(id)?),
            }
        }
        out
    };
    if let Some(role) = &sel.role {
        selected.retain(|k| &k.role == role);
        skipped.retain(|k| &k.role == role);
    }
    if selected.is_empty() {
        if !skipped.is_empty() {
            let lines: Vec<String> = skipped.iter().map(cannot_leave).collect();
            return Err(Error::key(format!(
                "nothing to export: {}",
                lines.join("; ")
            )));
        }
        return Err(Error::key(format!(
            "no keys match in {}; run `dct key list` to see the keys you have",
            store.dir().display()
        )));
    }
    let mut text = String::new();
    for k in &selected {
        let mut block = if sel.reencrypt {
            reseal(k, session.retriever())?
        } else {
            k.block.clone()
        };
        // An old notary layout keeps role and GUN in the path: carry them in headers.
        if block.header("role").is_none() && !k.role.is_empty() {
            block.set_header("role", Some(&k.role));
        }
        if block.header("gun").is_none() && !k.gun.is_empty() && role_keeps_gun(&k.role) {
            block.set_header("gun", Some(&k.gun));
        }
        block.set_header("path", Some(&k.id));
        text.push_str(&block.encode());
    }
    Ok(Exported {
        text,
        count: selected.len(),
        skipped,
    })
}

/// What `dct key import` did with one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// Stored (role, key ID, the file it came from).
    Stored(String, String, PathBuf),
    /// Already in the store; kept as it was (role, key ID).
    Kept(String, String),
}

/// One key block checked for import: (ID, role, sealed block, file).
type Checked = (String, String, Block, PathBuf);

/// `dct key import FILE…`: every private key block of every file, checked (decrypted to prove
/// its ID) before anything is written; encrypted keys are stored as they came, unencrypted
/// ones encrypted under a new passphrase. A key already present is kept.
pub fn import(
    session: &mut Session,
    files: &[PathBuf],
    fallback_role: &str,
    fallback_gun: Option<&str>,
) -> Result<Vec<Imported>> {
    let mut staged: Vec<Checked> = Vec::new();
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
        for block in blocks {
            staged.push(check_import(
                session.retriever(),
                block,
                file,
                fallback_role,
                fallback_gun,
            )?);
        }
    }
    let _lock = session.trust_dir().lock()?;
    let store = session.key_store();
    let mut out = Vec::new();
    for (id, role, block, file) in staged {
        if store.get(&id)?.is_some() {
            out.push(Imported::Kept(role, id));
            continue;
        }
        store.put(&id, &block)?;
        out.push(Imported::Stored(role, id, file));
    }
    Ok(out)
}

/// Decrypts one block to prove its ID and seals it for the store.
fn check_import(
    retriever: &mut Retriever,
    mut block: Block,
    file: &Path,
    fallback_role: &str,
    fallback_gun: Option<&str>,
) -> Result<Checked> {
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
    let key = store::unlock(&block, &role, &hint, file, retriever, Ask::default())?;
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
    Ok((id, role, sealed, file.to_path_buf()))
}

/// Outcome of `dct key remove`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveOutcome {
    /// The user declined the confirmation.
    Aborted,
    /// Removed: notary's description (`<id> (role R) from <dir>`).
    Removed(String),
}

/// `dct key remove KEYID`: after notary's confirmation (`yes` skips it). A token key is
/// deleted from its token (private and public objects; the token's PIN is needed) and from
/// the trust dir's records.
pub fn remove(session: &mut Session, ui: &dyn Ui, id: &str, yes: bool) -> Result<RemoveOutcome> {
    if !is_key_id(id) {
        return Err(Error::invalid(format!("invalid key ID provided: {id}")));
    }
    // notary's confirmation; false: the user declined and was told so.
    let confirmed = |description: &str| -> Result<bool> {
        if yes
            || ui.confirm(
                &format!("Are you sure you want to remove {description}?  (yes/no)  "),
                &format!("removing key {id}"),
                "-y",
            )?
        {
            return Ok(true);
        }
        ui.progress("\nAborting action.");
        Ok(false)
    };
    if session.key_store().get(id)?.is_none()
        && let Some(rec) = token_record(session, id)?
    {
        let description = format!("{id} (role {}) from {}", rec.role, rec.location());
        if !confirmed(&description)? {
            return Ok(RemoveOutcome::Aborted);
        }
        let _lock = session.trust_dir().lock()?;
        session.keys().remove_token_key(&rec)?;
        return Ok(RemoveOutcome::Removed(description));
    }
    let store = session.key_store();
    let key = store.require(id)?;
    ui.debug(&format!("key file {}", key.path.display()));
    let description = format!("{id} (role {}) from {}", key.role, store.dir().display());
    if !confirmed(&description)? {
        return Ok(RemoveOutcome::Aborted);
    }
    let _lock = session.trust_dir().lock()?;
    session.key_store().remove(&key)?;
    Ok(RemoveOutcome::Removed(description))
}

/// `dct key passwd KEYID`: the old passphrase from the role's variable or a prompt, the new
/// one from `DCT_NEW_PASSPHRASE` or a prompt.
pub fn passwd(session: &mut Session, ui: &dyn Ui, id: &str) -> Result<()> {
    if !is_key_id(id) {
        return Err(Error::invalid(format!("invalid key ID provided: {id}")));
    }
    if session.key_store().get(id)?.is_none()
        && let Some(rec) = token_record(session, id)?
    {
        return Err(Error::invalid(format!(
            "key {id} is on PKCS#11 token {}: the token's PIN protects it, not a passphrase \
             (change the PIN with the token's own tools)",
            rec.token_name()
        )));
    }
    let k = session.key_store().require(id)?;
    ui.debug(&format!("key file {}", k.path.display()));
    let block = reseal(&k, session.retriever())?;
    let _lock = session.trust_dir().lock()?;
    session.key_store().replace(&k, &block)?;
    Ok(())
}

/// A new passphrase from `DCT_NEW_PASSPHRASE` or the prompt — never the role's variable, which
/// holds the old one.
fn new_passphrase_only(retriever: &mut Retriever, role: &str, id: &str) -> Result<Passphrase> {
    retriever.new_passphrase(role, id, &[NEW_PASSPHRASE_VAR])
}

/// Opens a stored key with its passphrase and seals it again under a new one (same role and
/// GUN headers): `key export --reencrypt` and `key passwd`.
fn reseal(k: &StoredKey, retriever: &mut Retriever) -> Result<Block> {
    let key = store::unlock(&k.block, &k.role, &k.id, &k.path, retriever, Ask::default())?;
    let pass = new_passphrase_only(retriever, &k.role, &k.id)?;
    let gun = (!k.gun.is_empty()).then_some(k.gun.as_str());
    Ok(keyfile::seal(&key, pass.as_bytes(), &k.role, gun))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExitCode;
    use crate::ops::testkit::{RecordingUi, session};

    #[test]
    fn generate_without_a_passphrase_source_writes_nothing() {
        let (mut s, dir) = session();
        let ui = RecordingUi::default();
        let err = generate(&mut s, &ui, "alice", dir.path(), None).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Key);
        assert!(
            err.to_string()
                .contains("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE")
        );
        assert!(!dir.path().join("alice.pub").exists());
        assert!(s.key_store().list().unwrap().is_empty());
        // Docker's name rule comes first.
        let err = generate(&mut s, &ui, "Alice", dir.path(), None).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
    }

    #[test]
    fn remove_checks_the_id_and_asks() {
        let (mut s, _dir) = session();
        let ui = RecordingUi::default();
        assert_eq!(
            remove(&mut s, &ui, "abc", true).unwrap_err().exit_code(),
            ExitCode::Usage
        );
        let id = "ab".repeat(32);
        assert_eq!(
            remove(&mut s, &ui, &id, true).unwrap_err().exit_code(),
            ExitCode::Key
        );
        let key = PrivateKey::generate_ecdsa();
        store::store_new_key(s.key_store(), &key, b"passphrase", "alice", None).unwrap();
        let err = remove(&mut s, &ui, &key.id(), false).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        let no = RecordingUi {
            answer: Some(false),
            ..Default::default()
        };
        assert_eq!(
            remove(&mut s, &no, &key.id(), false).unwrap(),
            RemoveOutcome::Aborted
        );
        assert_eq!(s.key_store().list().unwrap().len(), 1);
        let yes = RecordingUi {
            answer: Some(true),
            ..Default::default()
        };
        assert!(matches!(
            remove(&mut s, &yes, &key.id(), false).unwrap(),
            RemoveOutcome::Removed(_)
        ));
        assert!(s.key_store().list().unwrap().is_empty());
    }
}
