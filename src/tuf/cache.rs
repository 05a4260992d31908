//! The metadata cache Docker and notary share: `<trust dir>/tuf/<GUN>/metadata/<role>.json`
//! (delegations as sub-paths). Files are the exact verified bytes; they are written only after a
//! whole update verified, atomically, 0600 in 0700 dirs.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil;

pub struct Cache {
    trust_dir: PathBuf,
    dir: PathBuf,
}

impl Cache {
    /// The cache of `gun` under `trust_dir`. The GUN must already be a valid repository name
    /// (no `..` segments); it becomes a relative path as in Docker.
    pub fn new(trust_dir: &Path, gun: &str) -> Result<Cache> {
        if gun
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        {
            return Err(Error::invalid(format!(
                "\"{gun}\" cannot be a trust collection name"
            )));
        }
        Ok(Cache {
            trust_dir: trust_dir.to_path_buf(),
            dir: trust_dir.join("tuf").join(gun).join("metadata"),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, role: &str) -> PathBuf {
        self.dir.join(format!("{role}.json"))
    }

    /// The cached bytes of `role`, if present and not larger than `limit` (a cached file gets
    /// the same bound as a download).
    pub fn read(&self, role: &str, limit: u64) -> Option<Vec<u8>> {
        let path = self.path(role);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > limit {
            return None;
        }
        std::fs::read(path).ok()
    }

    /// Writes every file of a verified update (skipping unchanged ones) under the trust-dir
    /// lock.
    pub fn commit(&self, files: &[(String, Vec<u8>)]) -> Result<()> {
        let changed: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(role, bytes)| {
                std::fs::read(self.path(role)).map_or(true, |old| &old != bytes)
            })
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        fsutil::create_private_dir(&self.trust_dir)?;
        let _lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        for (role, bytes) in changed {
            fsutil::write_atomic(&self.path(role), bytes)?;
        }
        Ok(())
    }
}
