//! File-system helpers shared by everything that writes under the trust dir: atomic writes with
//! notary's permissions (dirs 0700, files 0600) and an advisory lock between dct processes;
//! temp files that carry a lock of their own so that stale ones can be swept ([`debris`]); and
//! what a signal may and may not cut short ([`interrupt`]).

pub mod debris;
pub mod interrupt;

pub use debris::{TMP_PREFIX, sweep, sweep_tree};

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};

/// Creates `dir` and its missing parents with mode 0700 (existing dirs are left as they are).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .ctx("cannot create directory", dir)
}

/// Writes `bytes` to `path` so that a reader (or a crash) sees either the old file or the whole
/// new one: temp file in the same directory (0600), fsync, rename, fsync of the directory.
/// For key files, changelists and everything else that cannot be fetched again. Stale temp
/// files of earlier atomic writes in that directory are swept first (see [`debris`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    sweep(dir, &[TMP_PREFIX]);
    let _whole = interrupt::defer();
    write_replace(path, bytes, true)?;
    sync_dir(dir);
    Ok(())
}

/// Replaces `path` atomically — temp file in the same directory (0600), then rename, so a
/// concurrent reader sees the old file or the whole new one — but durably only if `sync`: with
/// `sync` the file's data is fsynced before the rename; the directory is never synced here (see
/// [`sync_dir`]). Without `sync`, a crash soon after may leave the old file, the new one, or
/// (on some file systems) an empty or partial one; only for files that are verified on every
/// read and can be fetched again (the TUF metadata cache, see `tuf::cache::Cache::commit`).
///
/// The temp file (`.dct-tmp-*`) is locked while it exists (see [`debris`]), and a signal waits
/// until the write is done (see [`interrupt`]).
pub fn write_replace(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let _whole = interrupt::defer();
    let mut tmp = debris::locked_tempfile(dir, TMP_PREFIX)?;
    tmp.write_all(bytes).ctx("cannot write", tmp.path())?;
    if sync {
        tmp.as_file().sync_all().ctx("cannot sync", tmp.path())?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .ctx("cannot write", path)?;
    Ok(())
}

/// Writes a file anyone may read (0644: for files without secrets, such as a trust data bundle)
/// atomically and durably (see [`write_atomic_mode`]). The directory must exist.
pub fn write_atomic_public(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_mode(path, bytes, fs::Permissions::from_mode(0o644))
}

/// Writes `path` atomically and durably with `mode` (whatever the umask): a locked `.dct-tmp-*`
/// in the same directory (stale ones there swept first), fsync, rename, fsync of the directory;
/// signals wait for the rename. The directory must exist.
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: fs::Permissions) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    sweep(dir, &[TMP_PREFIX]);
    let _whole = interrupt::defer();
    let mut tmp = debris::locked_tempfile(dir, TMP_PREFIX)?;
    tmp.write_all(bytes).ctx("cannot write", tmp.path())?;
    tmp.as_file()
        .set_permissions(mode)
        .ctx("cannot set the mode of", tmp.path())?;
    tmp.as_file().sync_all().ctx("cannot sync", tmp.path())?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .ctx("cannot write", path)?;
    sync_dir(dir);
    Ok(())
}

/// Makes the renames done in `dir` durable (fsync of the directory). A failure here is not
/// worth failing the command for: the files themselves are in place.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// An exclusive advisory lock held for the life of the value, so that two dct processes never
/// interleave read-modify-write cycles on the same trust dir.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Locks `<dir>/.dct.lock`, waiting for another dct process to finish.
    pub fn acquire(dir: &Path) -> Result<Self> {
        create_private_dir(dir)?;
        let path: PathBuf = dir.join(".dct.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .ctx("cannot open lock file", &path)?;
        file.lock().ctx("cannot lock", &path)?;
        Ok(DirLock { _file: file })
    }
}

/// Makes everything written under `dir` durable with one call: `syncfs` of its file system on
/// Linux (one journal commit for a whole batch of files), then an fsync of `dir` itself.
pub fn sync_filesystem(dir: &Path) -> Result<()> {
    let d = File::open(dir).ctx("cannot open directory", dir)?;
    #[cfg(target_os = "linux")]
    rustix::fs::syncfs(&d).map_err(|e| {
        crate::error::Error::io(
            "cannot sync the file system of",
            dir,
            std::io::Error::from(e),
        )
    })?;
    #[cfg(not(target_os = "linux"))]
    {
        // Portable fallback: sync every file in the directory.
        for entry in fs::read_dir(dir).ctx("cannot read directory", dir)? {
            let path = entry.ctx("cannot read directory", dir)?.path();
            if path.is_file() {
                File::open(&path)
                    .and_then(|f| f.sync_all())
                    .ctx("cannot sync", &path)?;
            }
        }
    }
    d.sync_all().ctx("cannot sync", dir)
}

/// A temporary directory beside a target path (same file system, so its result can be renamed
/// into place): a pull builds a new OCI layout or an archive here, so nothing partial is ever
/// visible at the target. Locked while it exists (stale ones from a killed dct are swept, see
/// [`debris`]), registered for removal on a signal (see [`interrupt`]), removed on drop unless
/// renamed with [`Staging::rename_to`].
#[derive(Debug)]
pub struct Staging {
    parent: PathBuf,
    // Dropped in this order: the directory is removed, then unlocked, then unregistered.
    dir: Option<tempfile::TempDir>,
    _lock: File,
    _registered: interrupt::Registered,
}

impl Staging {
    /// A new `<prefix>XXXXXX` directory in `target`'s parent directory, after sweeping the stale
    /// ones there; `what` says what it holds (for the interruption message).
    pub fn beside(target: &Path, prefix: &str, what: &'static str) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Staging::new_in(&parent, prefix, what)
    }

    /// A new `<prefix>XXXXXX` directory in `parent`, after sweeping the stale ones there.
    pub fn new_in(parent: &Path, prefix: &str, what: &'static str) -> Result<Staging> {
        sweep(parent, &[prefix]);
        let ((dir, lock), registered) = interrupt::register_new(what, || {
            let (dir, lock) = debris::locked_tempdir(parent, prefix)?;
            let path = dir.path().to_path_buf();
            Ok(((dir, lock), path))
        })?;
        Ok(Staging {
            parent: parent.to_path_buf(),
            dir: Some(dir),
            _lock: lock,
            _registered: registered,
        })
    }

    /// The staging directory.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("not renamed yet").path()
    }

    /// The directory the staging directory is in.
    pub fn parent(&self) -> &Path {
        &self.parent
    }

    /// Renames the staging directory to `dest` (in the same parent directory, made durable),
    /// uninterrupted by signals; on failure the staging directory is removed.
    pub fn rename_to(mut self, dest: &Path) -> Result<()> {
        self.try_rename_to(dest)
            .map_err(|e| crate::error::Error::io("cannot rename the new layout to", dest, e))
    }

    /// [`Staging::rename_to`] that keeps the staging directory (still locked) when the rename
    /// fails, so that the caller can use it otherwise: another process may have created `dest`
    /// first.
    pub fn try_rename_to(&mut self, dest: &Path) -> std::io::Result<()> {
        let _whole = interrupt::defer();
        fs::rename(self.path(), dest)?;
        // Renamed: nothing is left to remove.
        let _ = self.dir.take().expect("not renamed yet").keep();
        sync_dir(&self.parent);
        Ok(())
    }
}

/// Writes `bytes` to a new file at `path` with `mode`, synced.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut f = File::create(path).ctx("cannot create", path)?;
    f.write_all(bytes).ctx("cannot write", path)?;
    f.sync_all().ctx("cannot sync", path)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).ctx("cannot set the mode of", path)
}

/// An exclusive advisory lock on the file at `path` (created 0600 if missing), held for the
/// life of the value: the lock one collection's writers take (see `TrustDir::collection_lock`).
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    fn open(path: &Path) -> Result<File> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(path)
            .ctx("cannot open lock file", path)
    }

    /// Takes the lock, waiting for its holder to finish.
    pub fn acquire(path: &Path) -> Result<FileLock> {
        let file = Self::open(path)?;
        file.lock().ctx("cannot lock", path)?;
        Ok(FileLock { _file: file })
    }

    /// Takes the lock if nobody holds it.
    pub fn try_acquire(path: &Path) -> Result<Option<FileLock>> {
        let file = Self::open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(crate::error::Error::io("cannot lock", path, e))
            }
        }
    }
}
