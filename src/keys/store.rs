//! The private key store at `<trust dir>/private`, shared with Docker and notary: one file per
//! key named `<key ID>.key`, role and GUN in PEM headers, files 0600 in 0700 directories.
//!
//! Permissions are checked as ssh checks private keys: a key file that anyone but its owner
//! may read or change (`mode & 0o077 != 0`) is refused ([`Error::Invalid`], exit 2) with the
//! `chmod 600` to run, whichever command reads it; a key directory that group or others may
//! write is only warned about ([`KeyStore::permission_warnings`]), with the `chmod 700`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::keyfile::{self, OpenError};
use super::passphrase::{Retriever, Source};
use super::pem::{self, Block};
use super::private::PrivateKey;
use crate::error::{Error, IoContext, Result};
use crate::fsutil;

/// One key file found in the store.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// The key ID (the file name without `.key`).
    pub id: String,
    /// The key's role (`role:` header, or what an old layout says).
    pub role: String,
    /// The key's GUN; empty for root and delegation keys.
    pub gun: String,
    /// Where the key file is (in any of notary's layouts).
    pub path: PathBuf,
    /// The key file's PEM block, still encrypted.
    pub block: Block,
}

/// The private key store of a trust dir (`<trust dir>/private`), shared with Docker and notary.
#[derive(Debug, Clone)]
pub struct KeyStore {
    dir: PathBuf,
}

/// A key file's role and GUN as notary reads them (its 0.4 migration of older stores): the
/// `role:`/`gun:` headers, else what an old layout says — the role in a notary 0.1
/// `<id>_<role>.key` name, `root` for `root_keys/` files, the GUN of
/// `tuf_keys/<GUN>/<id>.key`. `rel` is the file's path below `private/`.
pub fn role_and_gun(block: &Block, rel: &Path) -> (String, String) {
    let suffix_role = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.split_once('_'))
        .map(|(_, r)| r.to_string());
    let role = block
        .header("role")
        .map(str::to_string)
        .or(suffix_role)
        .unwrap_or_else(|| {
            if rel.starts_with("root_keys") {
                "root".into()
            } else {
                String::new()
            }
        });
    let gun = block
        .header("gun")
        .map(str::to_string)
        .or_else(|| legacy_gun(rel))
        .unwrap_or_default();
    (role, gun)
}

/// The GUN an old notary store keeps in the path: `tuf_keys/<GUN>/<id>.key`.
fn legacy_gun(rel: &Path) -> Option<String> {
    let dir = rel.parent()?.strip_prefix("tuf_keys").ok()?;
    let gun = dir.to_str()?.trim_matches('/');
    (!gun.is_empty()).then(|| gun.to_string())
}

/// The mode of `path` when group or others may read, write or execute it.
fn too_open(path: &Path) -> Option<u32> {
    let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

/// `path` as a shell word (single-quoted unless it only has safe characters).
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let safe = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@%=,".contains(&b));
    if safe {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The error for key files others may read or change: each file with its mode, and the one
/// `chmod 600` that fixes them all.
fn refused(files: &[(PathBuf, u32)]) -> Error {
    let words: Vec<String> = files.iter().map(|(p, _)| shell_word(p)).collect();
    let what = match files {
        [(p, mode)] => format!(
            "key file {} is accessible by others (mode {mode:04o})",
            p.display()
        ),
        _ => format!(
            "key files are accessible by others: {}",
            files
                .iter()
                .map(|(p, mode)| format!("{} (mode {mode:04o})", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Error::invalid(format!(
        "{what}: private keys must be readable by their owner only, so dct refuses to use \
         them (as ssh does); run `chmod 600 {}`",
        words.join(" ")
    ))
}

/// A key ID is 64 lower-case hex characters (SHA-256).
pub fn is_key_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl KeyStore {
    /// The store of the trust dir `trust_dir`; nothing is read yet.
    pub fn new(trust_dir: &Path) -> Self {
        KeyStore {
            dir: crate::trust_dir::TrustDir::new(trust_dir).private_dir(),
        }
    }

    /// The `private` directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every `*.key` file below the store (symlinks skipped, as notary does), sorted as
    /// `notary key list` sorts: root keys first, then by GUN, role and ID.
    ///
    /// Key files others may access are refused, all of them named in one error.
    pub fn list(&self) -> Result<Vec<StoredKey>> {
        let mut paths = Vec::new();
        if self.dir.exists() {
            self.walk(&self.dir, &mut paths)?;
        }
        let mut open: Vec<(PathBuf, u32)> = paths
            .iter()
            .filter_map(|p| too_open(p).map(|m| (p.clone(), m)))
            .collect();
        open.sort();
        if !open.is_empty() {
            return Err(refused(&open));
        }
        let mut keys = paths
            .iter()
            .map(|p| self.read_file(p))
            .collect::<Result<Vec<_>>>()?;
        keys.sort_by(|a, b| {
            (a.role != "root", &a.gun, &a.role, &a.id).cmp(&(
                b.role != "root",
                &b.gun,
                &b.role,
                &b.id,
            ))
        });
        Ok(keys)
    }

    /// The paths of the `*.key` files below `dir` (symlinks skipped).
    fn walk(&self, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries = fs::read_dir(dir).ctx("cannot read key directory", dir)?;
        for entry in entries {
            let entry = entry.ctx("cannot read key directory", dir)?;
            let path = entry.path();
            let ft = entry.file_type().ctx("cannot read", &path)?;
            if ft.is_dir() {
                self.walk(&path, out)?;
            } else if ft.is_file() && path.extension().is_some_and(|e| e == "key") {
                out.push(path);
            }
        }
        Ok(())
    }

    fn read_file(&self, path: &Path) -> Result<StoredKey> {
        if let Some(mode) = too_open(path) {
            return Err(refused(&[(path.to_path_buf(), mode)]));
        }
        let bytes = fs::read(path).ctx("cannot read key file", path)?;
        let block = pem::parse_all(&bytes)
            .map_err(|e| Error::invalid(format!("key file {}: {e}", path.display())))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                Error::invalid(format!("key file {} holds no PEM block", path.display()))
            })?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // notary 0.1 named files `<id>_<role>.key`.
        let id = stem.split('_').next().unwrap_or_default().to_string();
        let rel = path.strip_prefix(&self.dir).unwrap_or(path);
        let (role, gun) = role_and_gun(&block, rel);
        Ok(StoredKey {
            id,
            role,
            gun,
            path: path.to_path_buf(),
            block,
        })
    }

    /// The key with this ID, or `None`.
    pub fn get(&self, id: &str) -> Result<Option<StoredKey>> {
        if !is_key_id(id) {
            return Err(Error::invalid(format!(
                "invalid key ID \"{id}\": a key ID is 64 lower-case hex characters (see `dct key list`)"
            )));
        }
        let path = self.dir.join(format!("{id}.key"));
        if path.is_file() {
            return self.read_file(&path).map(Some);
        }
        Ok(self.list()?.into_iter().find(|k| k.id == id))
    }

    /// Whether the key file of this ID is there but refused because others may access it (so
    /// a caller asking "do I hold this key?" can say yes and let the use fail with the advice).
    pub fn is_refused(&self, id: &str) -> bool {
        is_key_id(id) && too_open(&self.dir.join(format!("{id}.key"))).is_some()
    }

    /// Warnings about the store's directories: `private/` and the directories below it that
    /// group or others may write (anyone who can write there can swap keys), each with the
    /// `chmod 700` to run. Empty when all is well or there is no store yet.
    pub fn permission_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut dirs = vec![self.dir.clone()];
        while let Some(dir) = dirs.pop() {
            let Ok(meta) = fs::metadata(&dir) else {
                continue;
            };
            if !meta.is_dir() {
                continue;
            }
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o022 != 0 {
                out.push(format!(
                    "key directory {} is writable by others (mode {mode:04o}): they could \
                     replace or remove your keys; run `chmod 700 {}`",
                    dir.display(),
                    shell_word(&dir)
                ));
            }
            if let Ok(entries) = fs::read_dir(&dir) {
                let mut subs: Vec<PathBuf> = entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .collect();
                subs.sort_by(|a, b| b.cmp(a));
                dirs.extend(subs);
            }
        }
        out
    }

    /// The key with this ID, or a "key not found" error (exit 7).
    pub fn require(&self, id: &str) -> Result<StoredKey> {
        self.get(id)?.ok_or_else(|| {
            Error::key(format!(
                "no key with ID {id} in {}; run `dct key list` to see the keys you have",
                self.dir.display()
            ))
        })
    }

    /// Stores `block` as `<id>.key`, atomically and with mode 0600.
    pub fn put(&self, id: &str, block: &Block) -> Result<PathBuf> {
        let path = self.dir.join(format!("{id}.key"));
        fsutil::write_atomic(&path, block.encode().as_bytes())?;
        Ok(path)
    }

    /// Replaces `key`'s file with `block` where it is (an old notary layout's
    /// `tuf_keys/<GUN>/<id>_<role>.key` stays there, so notary still finds it), atomically.
    pub fn replace(&self, key: &StoredKey, block: &Block) -> Result<PathBuf> {
        fsutil::write_atomic(&key.path, block.encode().as_bytes())?;
        Ok(key.path.clone())
    }

    /// Deletes `key`'s file.
    pub fn remove(&self, key: &StoredKey) -> Result<()> {
        fs::remove_file(&key.path).ctx("cannot remove key file", &key.path)
    }
}

/// How to ask for a key's passphrase and what to say when it is wrong.
#[derive(Default)]
pub struct Ask<'a> {
    /// Prompt text instead of Docker's usual one.
    pub prompt: Option<&'a str>,
    /// Error message when the passphrase (from a variable) does not decrypt the key.
    pub wrong: Option<String>,
}

/// Opens `block` (a key of `role` with ID `key_id`, read from `origin`), asking `retriever` for
/// passphrases: a wrong variable fails at once, a wrong typed one is asked again (4 tries).
pub fn unlock(
    block: &Block,
    role: &str,
    key_id: &str,
    origin: &Path,
    retriever: &mut Retriever,
    ask: Ask<'_>,
) -> Result<PrivateKey> {
    let prompt = ask.prompt;
    match keyfile::open(block, None) {
        Err(OpenError::NeedsPassphrase) => {}
        other => return other.map_err(|e| open_error(e, origin, None)),
    }
    // Every variable set for the role is tried (Docker's, then notary's) before failing.
    let from_env = retriever.env_passphrases(role);
    if !from_env.is_empty() {
        let mut tried = Vec::new();
        for (var, pass) in from_env {
            match keyfile::open(block, Some(pass.as_bytes())) {
                Ok(key) => {
                    retriever.remember(role, &pass);
                    return Ok(key);
                }
                Err(OpenError::WrongPassphrase) => tried.push(var),
                Err(e) => return Err(open_error(e, origin, Some(&Source::Env(var)))),
            }
        }
        if let Some(wrong) = ask.wrong {
            return Err(Error::key(wrong));
        }
        return Err(match tried.as_slice() {
            [var] => open_error(OpenError::WrongPassphrase, origin, Some(&Source::Env(var))),
            _ => Error::key(format!(
                "none of the passphrases in {} decrypts {}: fix them or unset them to be asked",
                tried.join(" and "),
                origin.display()
            )),
        });
    }
    let mut attempt = 0;
    loop {
        let (pass, source) = retriever.existing(role, key_id, attempt, prompt)?;
        match keyfile::open(block, Some(pass.as_bytes())) {
            Ok(key) => {
                retriever.remember(role, &pass);
                return Ok(key);
            }
            Err(OpenError::WrongPassphrase) if matches!(source, Source::Prompt) => attempt += 1,
            Err(OpenError::WrongPassphrase) if ask.wrong.is_some() => {
                return Err(Error::key(ask.wrong.unwrap_or_default()));
            }
            Err(e) => return Err(open_error(e, origin, Some(&source))),
        }
    }
}

fn open_error(e: OpenError, origin: &Path, source: Option<&Source>) -> Error {
    match e {
        OpenError::Invalid(inner) => {
            Error::invalid(format!("cannot read key {}: {inner}", origin.display()))
        }
        OpenError::WrongPassphrase => match source {
            Some(Source::Env(var)) => Error::key(format!(
                "the passphrase in {var} does not decrypt {}: fix {var} or unset it to be asked",
                origin.display()
            )),
            _ => Error::key(format!("wrong passphrase for {}", origin.display())),
        },
        OpenError::NeedsPassphrase => Error::key(format!(
            "{} is encrypted and no passphrase was given",
            origin.display()
        )),
    }
}

/// Seals `key` under `passphrase` as notary would and stores it.
pub fn store_new_key(
    store: &KeyStore,
    key: &PrivateKey,
    passphrase: &[u8],
    role: &str,
    gun: Option<&str>,
) -> Result<PathBuf> {
    let block = keyfile::seal(key, passphrase, role, gun);
    store.put(&key.id(), &block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExitCode;

    const ROOT_KEY: &str =
        "root-419df12e13c3bc86cd4be90aab5a4168d61e66682f85b9cc637810d86d8be88b.key";
    const ROOT_ID: &str = "419df12e13c3bc86cd4be90aab5a4168d61e66682f85b9cc637810d86d8be88b";

    fn chmod(p: &Path, mode: u32) {
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A store holding notary's root key fixture with `mode`.
    fn store_with_key(mode: u32) -> (tempfile::TempDir, KeyStore, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        fs::create_dir_all(store.dir()).unwrap();
        chmod(store.dir(), 0o700);
        let path = store.dir().join(format!("{ROOT_ID}.key"));
        fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/notary")
                .join(ROOT_KEY),
            &path,
        )
        .unwrap();
        chmod(&path, mode);
        (tmp, store, path)
    }

    #[test]
    fn key_files_others_can_access_are_refused_with_the_chmod_to_run() {
        let (_tmp, store, path) = store_with_key(0o600);
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(store.get(ROOT_ID).unwrap().is_some());
        assert!(!store.is_refused(ROOT_ID));
        for mode in [0o644, 0o640, 0o604, 0o620, 0o610, 0o601, 0o666] {
            chmod(&path, mode);
            for err in [
                store.list().unwrap_err(),
                store.get(ROOT_ID).unwrap_err(),
                store.require(ROOT_ID).unwrap_err(),
            ] {
                assert_eq!(err.exit_code(), ExitCode::Usage, "{err}");
                let text = err.to_string();
                assert!(
                    text.contains(&format!("{} is accessible by others", path.display()))
                        && text.contains(&format!("(mode {mode:04o})"))
                        && text.ends_with(&format!("run `chmod 600 {}`", path.display())),
                    "{text}"
                );
            }
            assert!(store.is_refused(ROOT_ID));
        }
        // Several: all named, one command.
        let other = store.dir().join(format!("{}.key", "ab".repeat(32)));
        fs::write(&other, "x").unwrap();
        chmod(&other, 0o666);
        let text = store.list().unwrap_err().to_string();
        assert!(
            text.contains("(mode 0666)")
                && text.contains(&format!("chmod 600 {} {}", path.display(), other.display())),
            "{text}"
        );
    }

    #[test]
    fn writable_key_directories_are_warned_about() {
        let (_tmp, store, _path) = store_with_key(0o600);
        assert!(store.permission_warnings().is_empty());
        let sub = store.dir().join("tuf_keys");
        fs::create_dir(&sub).unwrap();
        chmod(&sub, 0o775);
        chmod(store.dir(), 0o777);
        let w = store.permission_warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("(mode 0777)")
                && w[0].ends_with(&format!("run `chmod 700 {}`", store.dir().display())),
            "{w:?}"
        );
        assert!(w[1].ends_with(&format!("run `chmod 700 {}`", sub.display())));
        // Readable is fine: the files themselves are protected.
        chmod(store.dir(), 0o755);
        chmod(&sub, 0o700);
        assert!(store.permission_warnings().is_empty());
        // Keys are still usable: a warning, not a refusal.
        chmod(store.dir(), 0o777);
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(
            KeyStore::new(Path::new("/nonexistent"))
                .permission_warnings()
                .is_empty()
        );
    }

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(shell_word(Path::new("/a/b-c_d.key")), "/a/b-c_d.key");
        assert_eq!(shell_word(Path::new("/my keys/x")), "'/my keys/x'");
        assert_eq!(shell_word(Path::new("/it's")), r"'/it'\''s'");
    }
}
