//! The metadata cache Docker and notary share: `<trust dir>/tuf/<GUN>/metadata/<role>.json`
//! (delegations as sub-paths). Files are the exact verified bytes; they are written only after a
//! whole update verified, atomically, 0600 in 0700 dirs.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};
use crate::fsutil;
use crate::trust_dir::TrustDir;

/// The metadata cache of one collection (`<trust dir>/tuf/<GUN>/metadata`): the trust data last
/// verified, which the next update is checked against.
pub struct Cache {
    trust_dir: PathBuf,
    dir: PathBuf,
}

impl Cache {
    /// The cache of `gun` under `trust_dir`. The GUN must already be a valid repository name
    /// (no `..` segments); it becomes a relative path as in Docker.
    pub fn new(trust_dir: &Path, gun: &str) -> Result<Cache> {
        let collection = TrustDir::new(trust_dir).collection(gun)?;
        // The temp files of a killed dct's cache writes (see fsutil::debris).
        fsutil::sweep_tree(&collection.metadata_dir(), &[fsutil::TMP_PREFIX]);
        Ok(Cache {
            trust_dir: trust_dir.to_path_buf(),
            dir: collection.metadata_dir(),
        })
    }

    /// The collection's `metadata` directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cached file of `role` (`<role>.json`).
    pub fn path(&self, role: &str) -> PathBuf {
        self.dir.join(format!("{role}.json"))
    }

    /// Where dct keeps its index of `role`'s cached targets file (see [`super::index`]):
    /// `<role>.idx` next to `<role>.json` (no role file ends in `.idx`).
    pub fn index_path(&self, role: &str) -> PathBuf {
        self.dir.join(format!("{role}.idx"))
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
    ///
    /// Every file is replaced atomically (temp file + rename, 0600), but only `root.json` is
    /// made durable: its data is fsynced before the rename and the metadata directory once
    /// after all renames. The others are not synced, because nothing depends on them surviving
    /// a crash: every cached file is re-verified on every use (timestamp and top-level roles by
    /// signature; snapshot, targets and delegations also by length and hashes from their
    /// parent), and one that is missing, stale, truncated or fails a check is simply fetched
    /// again (a lost or damaged timestamp or role only loses its use as the rollback floor
    /// for the next update, as if the cache had been cleared). `root.json` is different: it is
    /// the trust anchor (trust on first use, root rotations), a damaged one is a hard error
    /// (`TufError::CachedRoot`) and a lost one would silently fall back to trusting whatever
    /// root the server sends, so it keeps the full fsync. Before this, each file got its own
    /// file and directory fsync: 8 per cold lookup, ~10 ms of a 1-target cold lookup on a busy
    /// disk. Now a cold lookup does 2 and an update that leaves the root alone none. Key files
    /// and changelists still use [`fsutil::write_atomic`] (full fsync).
    pub fn commit(&self, files: &[(String, Vec<u8>)]) -> Result<()> {
        self.commit_with_indexes(files, &[])
    }

    /// [`Cache::commit`], and the indexes of targets files the update verified in full, under
    /// the same lock. An index that cannot be written is left out (it only saves time).
    pub fn commit_with_indexes(
        &self,
        files: &[(String, Vec<u8>)],
        indexes: &[super::index::Pending],
    ) -> Result<()> {
        let changed: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(role, bytes)| {
                let path = self.path(role);
                // Another length is another file: no need to read a large one to compare.
                let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
                    && std::fs::read(&path).is_ok_and(|old| &old == bytes);
                !same
            })
            .collect();
        if changed.is_empty() && indexes.is_empty() {
            return Ok(());
        }
        fsutil::create_private_dir(&self.trust_dir)?;
        // A signal waits for the whole commit (a kill -9 may leave some files old, some new:
        // each is verified on use).
        let _whole = fsutil::interrupt::defer();
        // Each file is written to its temp file (root.json also synced) before the lock is
        // taken, so that commits running at once (a batch lookup's threads) wait for the disk
        // together rather than in turn; only the renames happen under the lock.
        let mut prepared = Vec::with_capacity(changed.len());
        let mut root_written = false;
        for (role, bytes) in changed {
            let path = self.path(role);
            let dir = path.parent().unwrap_or(&self.dir);
            fsutil::create_private_dir(dir)?;
            let mut tmp = fsutil::debris::locked_tempfile(dir, fsutil::TMP_PREFIX)?;
            tmp.write_all(bytes).ctx("cannot write", tmp.path())?;
            let is_root = role == "root";
            if is_root {
                tmp.as_file().sync_all().ctx("cannot sync", tmp.path())?;
            }
            root_written |= is_root;
            prepared.push((tmp, path));
        }
        let lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        for (tmp, path) in prepared {
            tmp.persist(&path)
                .map_err(|e| e.error)
                .ctx("cannot write", &path)?;
        }
        for p in indexes {
            if let super::index::TargetIndex::Memory { bytes, entries } = &*p.index {
                let _ = super::index::write(
                    &self.index_path(&p.role),
                    p.header.clone(),
                    bytes,
                    entries,
                );
            }
        }
        drop(lock);
        if root_written {
            // One directory fsync for the commit: it makes root.json's rename durable (the
            // other files' renames in the same directory ride along for free).
            fsutil::sync_dir(&self.dir);
        }
        Ok(())
    }
}
