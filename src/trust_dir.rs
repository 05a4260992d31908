//! The trust dir's layout, shared with Docker and notary, in one place:
//!
//! ```text
//! <trust dir>/private/<key ID>.key          keys (0600 in 0700 dirs)
//! <trust dir>/pkcs11/<key ID>.json          where dct's PKCS#11 token keys are (public only)
//! <trust dir>/tuf/<GUN>/metadata/<role>.json the verified metadata cache
//! <trust dir>/tuf/<GUN>/changelist/          notary's staged changes
//! <trust dir>/config.json                    notary's client config (trust_pinning)
//! <trust dir>/.dct.lock                      dct's advisory lock
//! ```
//!
//! A GUN becomes a relative path here, so it is checked once, in [`TrustDir::collection`].

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::{DirLock, FileLock};

/// A trust dir (`~/.docker/trust` by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustDir {
    path: PathBuf,
}

/// One collection's directory, `<trust dir>/tuf/<GUN>/`, with a GUN that is safe as a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionDir {
    gun: String,
    dir: PathBuf,
}

impl TrustDir {
    /// The trust dir at `path` (nothing is created).
    pub fn new(path: impl Into<PathBuf>) -> TrustDir {
        TrustDir { path: path.into() }
    }

    /// The trust dir itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `<trust dir>/private`: the key store.
    pub fn private_dir(&self) -> PathBuf {
        self.path.join("private")
    }

    /// `<trust dir>/pkcs11`: the records of the PKCS#11 token keys (no private material).
    pub fn pkcs11_dir(&self) -> PathBuf {
        self.path.join("pkcs11")
    }

    /// `<trust dir>/config.json`: notary's client config (`trust_pinning`).
    pub fn config_file(&self) -> PathBuf {
        self.path.join("config.json")
    }

    /// The directory of collection `gun`. The GUN must be a valid repository name (no empty,
    /// `.` or `..` segments); it becomes a relative path as in Docker.
    pub fn collection(&self, gun: &str) -> Result<CollectionDir> {
        if gun
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        {
            return Err(Error::invalid(format!(
                "\"{gun}\" cannot be a trust collection name"
            )));
        }
        Ok(CollectionDir {
            gun: gun.to_string(),
            dir: self.path.join("tuf").join(gun),
        })
    }

    /// Takes the trust dir's lock (waiting for another dct process to finish), creating the
    /// trust dir if needed.
    pub fn lock(&self) -> Result<DirLock> {
        DirLock::acquire(&self.path)
    }

    /// The lock file of collection `gun`'s writers: `<trust dir>/.dct-locks/<sha256 of GUN>`
    /// (outside `tuf/<GUN>/`, which `dct delete` and notary may remove).
    pub fn collection_lock_path(&self, gun: &str) -> PathBuf {
        use sha2::{Digest as _, Sha256};
        self.path
            .join(".dct-locks")
            .join(hex::encode(Sha256::digest(gun.as_bytes())))
    }

    /// Takes the lock of collection `gun`'s writers: creating, staging into and publishing one
    /// collection is one process at a time per trust dir, so concurrent `dct sign`s of one
    /// repository (a CI build matrix) take turns instead of racing. `waiting` is called once
    /// when another process holds it.
    pub fn collection_lock(&self, gun: &str, waiting: &dyn Fn()) -> Result<FileLock> {
        let path = self.collection_lock_path(gun);
        if let Some(lock) = FileLock::try_acquire(&path)? {
            return Ok(lock);
        }
        waiting();
        FileLock::acquire(&path)
    }

    /// Fails (exit 1) when the trust dir exists but is not a directory: every command would
    /// otherwise fail later with a less useful message, or (key list) wrongly report no keys.
    pub fn check(&self) -> Result<()> {
        match std::fs::metadata(&self.path) {
            Ok(m) if !m.is_dir() => Err(Error::Other(format!(
                "the trust dir {} is not a directory: move it away, or point --trust-dir / \
                 --config / DOCKER_CONFIG at another place",
                self.path.display()
            ))),
            _ => Ok(()),
        }
    }
}

impl CollectionDir {
    /// The collection name.
    pub fn gun(&self) -> &str {
        &self.gun
    }

    /// `<trust dir>/tuf/<GUN>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<trust dir>/tuf/<GUN>/metadata`: the verified metadata cache.
    pub fn metadata_dir(&self) -> PathBuf {
        self.dir.join("metadata")
    }

    /// `<trust dir>/tuf/<GUN>/changelist`: notary's staged changes.
    pub fn changelist_dir(&self) -> PathBuf {
        self.dir.join("changelist")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_gun_rules() {
        let t = TrustDir::new("/x/trust");
        let c = t.collection("reg.example:5000/a/b").unwrap();
        assert_eq!(
            c.metadata_dir(),
            Path::new("/x/trust/tuf/reg.example:5000/a/b/metadata")
        );
        assert_eq!(
            c.changelist_dir(),
            Path::new("/x/trust/tuf/reg.example:5000/a/b/changelist")
        );
        assert_eq!(t.private_dir(), Path::new("/x/trust/private"));
        for bad in ["a/../b", "/a", "a//b", "a/.", ""] {
            assert!(t.collection(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_is_not_a_trust_dir() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("trust");
        std::fs::write(&file, b"x").unwrap();
        let err = TrustDir::new(&file).check().unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Failure);
        assert!(TrustDir::new(dir.path()).check().is_ok());
        assert!(TrustDir::new(dir.path().join("missing")).check().is_ok());
    }
}
