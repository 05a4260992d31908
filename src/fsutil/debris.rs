//! dct's temporary files and directories carry a lock of their own: the process that creates
//! one holds an exclusive `flock` on it for as long as it exists. The kernel drops the lock when
//! that process ends, however it ends (`kill -9`, a crash), so a later dct command tells a stale
//! temp from a live one by trying the lock, and removes only the stale ones ([`sweep`]):
//!
//! * `.dct-tmp-*`: an atomic write not yet renamed into place ([`super::write_replace`]) — a
//!   copy of what was being written, never the only copy of anything that was committed;
//! * `.dct-change-*`: a staged change not yet renamed into the changelist; a change is staged
//!   only once it has its name in `changelist/` (notary never reads these), so a stale one is a
//!   change whose command was killed before it staged it;
//! * `.dct-pull-*`: a pull's staging directory (or, from older dct versions, archive file).
//!
//! The protocol, so that a sweeper never removes a live temp: the owner creates the entry, then
//! locks it (blocking), then checks the name still leads to the entry it holds (a sweeper may
//! have taken it in between: then it starts again with a new name). A sweeper opens the entry
//! without following links, tries the lock, checks the name still leads to what it locked, and
//! removes it while holding the lock. dct from before this scheme did not lock its temps, so a
//! temp of an older dct running at the same moment could be taken for stale.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{IoContext, Result};

/// Prefix of the temp files of atomic writes.
pub const TMP_PREFIX: &str = ".dct-tmp-";

/// Whether `path` still names the file `file` is open on.
fn same_file(path: &Path, file: &File) -> bool {
    match (fs::symlink_metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn open_dir(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// A new temp file `<prefix><random>` in `dir` (mode 0600), locked by this process until it is
/// dropped or persisted and closed.
pub fn locked_tempfile(dir: &Path, prefix: &str) -> Result<tempfile::NamedTempFile> {
    loop {
        let tmp = tempfile::Builder::new()
            .prefix(prefix)
            .permissions(fs::Permissions::from_mode(0o600))
            .tempfile_in(dir)
            .ctx("cannot create a temporary file in", dir)?;
        tmp.as_file().lock().ctx("cannot lock", tmp.path())?;
        if same_file(tmp.path(), tmp.as_file()) {
            return Ok(tmp);
        }
        // Swept in the instant before the lock: the name is no longer ours to remove.
        let _ = tmp.into_temp_path().keep();
    }
}

/// A new temp directory `<prefix><random>` in `dir` (mode 0700), with the open handle that
/// holds its lock; removed when the [`tempfile::TempDir`] is dropped.
pub fn locked_tempdir(dir: &Path, prefix: &str) -> Result<(tempfile::TempDir, File)> {
    loop {
        let tmp = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(dir)
            .ctx("cannot create a temporary directory in", dir)?;
        let handle = match open_dir(tmp.path()) {
            Ok(h) => h,
            // Swept before it could be opened: start again with a new name.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let _ = tmp.keep();
                continue;
            }
            Err(e) => return Err(e).ctx("cannot open", tmp.path()),
        };
        handle.lock().ctx("cannot lock", tmp.path())?;
        if same_file(tmp.path(), &handle) {
            return Ok((tmp, handle));
        }
        let _ = tmp.keep();
    }
}

/// Opens and locks the stale temp at `path` (a regular file or a directory, never a link):
/// `None` when its owner still holds it, or it is gone, or it is something else.
pub fn claim(path: &Path) -> Option<File> {
    let meta = fs::symlink_metadata(path).ok()?;
    let file = if meta.is_dir() {
        open_dir(path).ok()?
    } else if meta.is_file() {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(path)
            .ok()?
    } else {
        return None;
    };
    file.try_lock().ok()?;
    same_file(path, &file).then_some(file)
}

/// Directories (with their prefixes) already swept in this run.
static SWEPT: Mutex<Option<HashSet<(PathBuf, String)>>> = Mutex::new(None);

/// Removes the stale entries of `dir` whose names start with one of `prefixes` (see the
/// module docs); returns their paths. Each directory is swept once per run; errors (a missing
/// or read-only directory) are ignored: a stale temp costs only space.
pub fn sweep(dir: &Path, prefixes: &[&str]) -> Vec<PathBuf> {
    {
        let mut swept = SWEPT.lock().unwrap_or_else(|e| e.into_inner());
        let key = (dir.to_path_buf(), prefixes.join("\0"));
        if !swept.get_or_insert_with(HashSet::new).insert(key) {
            return Vec::new();
        }
    }
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let path = entry.path();
        let Some(held) = claim(&path) else {
            continue;
        };
        let gone = if held.metadata().is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// [`sweep`] of `dir` and every directory below it (links not followed).
pub fn sweep_tree(dir: &Path, prefixes: &[&str]) -> Vec<PathBuf> {
    let mut removed = sweep(dir, prefixes);
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                removed.extend(sweep_tree(&entry.path(), prefixes));
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stale_temps_with_our_prefixes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Stale: nobody holds them.
        fs::write(d.join(".dct-tmp-stale"), b"complete key copy").unwrap();
        fs::create_dir_all(d.join(".dct-pull-stale/blobs")).unwrap();
        fs::write(d.join(".dct-pull-stale/blobs/x"), b"x").unwrap();
        // Live: held by this process.
        let live = locked_tempfile(d, TMP_PREFIX).unwrap();
        let (live_dir, _h) = locked_tempdir(d, ".dct-pull-").unwrap();
        // Not ours, or not a plain file or dir.
        fs::write(d.join("keep.key"), b"k").unwrap();
        fs::write(d.join(".tmp-other"), b"k").unwrap();
        std::os::unix::fs::symlink(d.join("keep.key"), d.join(".dct-tmp-link")).unwrap();

        let mut removed = sweep(d, &[TMP_PREFIX, ".dct-pull-"]);
        removed.sort();
        assert_eq!(
            removed,
            vec![d.join(".dct-pull-stale"), d.join(".dct-tmp-stale")]
        );
        assert!(live.path().exists() && live_dir.path().exists());
        assert!(d.join("keep.key").exists() && d.join(".tmp-other").exists());
        assert!(fs::symlink_metadata(d.join(".dct-tmp-link")).is_ok());
        // Once per run per directory.
        fs::write(d.join(".dct-tmp-later"), b"x").unwrap();
        assert!(sweep(d, &[TMP_PREFIX, ".dct-pull-"]).is_empty());
        // Once the owner is done (here: drops the lock), it is stale.
        let path = live.path().to_path_buf();
        let kept = live.into_temp_path().keep().unwrap();
        assert_eq!(kept, path);
        assert!(claim(&path).is_some());
    }
}
