//! The private key store at `<trust dir>/private`, shared with Docker and notary: one file per
//! key named `<key ID>.key`, role and GUN in PEM headers, files 0600 in 0700 directories.

use std::fs;
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
    pub id: String,
    pub role: String,
    pub gun: String,
    pub path: PathBuf,
    pub block: Block,
}

#[derive(Debug, Clone)]
pub struct KeyStore {
    dir: PathBuf,
}

/// A key file's role and GUN as notary reads them: the `role:`/`gun:` headers, else the role
/// in an old `<id>_<role>.key` name, else `root` for old `root_keys/` files.
pub fn role_and_gun(
    block: &Block,
    suffix_role: Option<String>,
    in_root_keys: bool,
) -> (String, String) {
    let role = block
        .header("role")
        .map(str::to_string)
        .or(suffix_role)
        .unwrap_or_else(|| {
            if in_root_keys {
                "root".into()
            } else {
                String::new()
            }
        });
    let gun = block.header("gun").unwrap_or_default().to_string();
    (role, gun)
}

/// A key ID is 64 lower-case hex characters (SHA-256).
pub fn is_key_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl KeyStore {
    pub fn new(trust_dir: &Path) -> Self {
        KeyStore {
            dir: crate::trust_dir::TrustDir::new(trust_dir).private_dir(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every `*.key` file below the store (symlinks skipped, as notary does), sorted as
    /// `notary key list` sorts: root keys first, then by GUN, role and ID.
    pub fn list(&self) -> Result<Vec<StoredKey>> {
        let mut keys = Vec::new();
        if self.dir.exists() {
            self.walk(&self.dir, &mut keys)?;
        }
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

    fn walk(&self, dir: &Path, out: &mut Vec<StoredKey>) -> Result<()> {
        let entries = fs::read_dir(dir).ctx("cannot read key directory", dir)?;
        for entry in entries {
            let entry = entry.ctx("cannot read key directory", dir)?;
            let path = entry.path();
            let ft = entry.file_type().ctx("cannot read", &path)?;
            if ft.is_dir() {
                self.walk(&path, out)?;
            } else if ft.is_file() && path.extension().is_some_and(|e| e == "key") {
                out.push(self.read_file(&path)?);
            }
        }
        Ok(())
    }

    fn read_file(&self, path: &Path) -> Result<StoredKey> {
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
        let (id, suffix_role) = match stem.split_once('_') {
            Some((id, role)) => (id.to_string(), Some(role.to_string())),
            None => (stem, None),
        };
        let in_root_keys = path
            .strip_prefix(&self.dir)
            .is_ok_and(|p| p.starts_with("root_keys"));
        let (role, gun) = role_and_gun(&block, suffix_role, in_root_keys);
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
