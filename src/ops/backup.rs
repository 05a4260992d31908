//! `dct key backup` and `dct key restore`: every key file of the store in one archive — sealed
//! with a backup passphrase (Argon2id + XChaCha20-Poly1305) or a classic `.tar.gz` — and back,
//! checked whole before anything is written, never overwriting a different key unless forced.

use std::fs;
use std::path::Path;

use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::keys::backup::{self, BackupEntry, Format};
pub use crate::keys::backup::{Action, Planned};
use crate::keys::passphrase::{BACKUP_PASSPHRASE_VAR, Source};
use crate::keys::pkcs11::{TokenRecord, TokenRecords};

/// What `dct key backup` wrote.
#[derive(Debug)]
pub struct BackupOutcome {
    /// The keys, as archived.
    pub entries: Vec<BackupEntry>,
    /// `tar.gz` or `sealed`.
    pub format: &'static str,
    /// Token keys of the trust dir, which cannot leave their token (see
    /// [`super::keys::cannot_leave`]).
    pub skipped: Vec<TokenRecord>,
}

/// "root key ID" or "targets key ID for GUN", as backup and restore report keys.
pub fn describe(role: &str, id: &str, gun: &str) -> String {
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

/// `dct key backup FILE [--plain] [-f]`: an archive of every key file of the store (as stored,
/// still encrypted with their own passphrases), sealed under a backup passphrase unless
/// `plain`; written atomically with mode 0600. An existing FILE is kept unless `force`.
pub fn backup(
    session: &mut Session,
    ui: &dyn Ui,
    file: &Path,
    plain: bool,
    force: bool,
) -> Result<BackupOutcome> {
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
    let store = session.key_store();
    let entries = {
        let _lock = if store.dir().is_dir() {
            Some(session.trust_dir().lock()?)
        } else {
            None
        };
        backup::collect(store)?
    };
    let skipped = TokenRecords::new(session.trust_dir().pkcs11_dir()).list()?;
    if entries.is_empty() {
        let tokens = if skipped.is_empty() {
            String::new()
        } else {
            let lines: Vec<String> = skipped.iter().map(super::keys::cannot_leave).collect();
            format!(" ({})", lines.join("; "))
        };
        return Err(Error::key(format!(
            "no keys to back up in {}{tokens}; run `dct key list` to see the keys you have",
            store.dir().display()
        )));
    }
    let tar_gz = backup::build_tar_gz(&entries)?;
    let bytes = if plain {
        tar_gz.to_vec()
    } else {
        let pass = session.retriever().new_backup_passphrase(file)?;
        ui.progress("Sealing the backup (Argon2id, 64 MiB)...");
        backup::seal(&tar_gz, pass.as_bytes(), backup::DEFAULT_KDF)
    };
    fsutil::write_atomic(file, &bytes)?;
    Ok(BackupOutcome {
        entries,
        format: if plain { "tar.gz" } else { "sealed" },
        skipped,
    })
}

/// Reads the archive at `file` and returns the keys it holds, asking for the passphrase of a
/// sealed one. Every error leaves the trust dir untouched.
fn read_backup(session: &mut Session, file: &Path) -> Result<backup::ArchiveContents> {
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
    if format != Format::Sealed {
        return backup::read_archive(format, &bytes).map_err(|e| bad(&e));
    }
    let sealed = backup::Sealed::parse(&bytes).map_err(|e| bad(&e))?;
    let retriever = session.retriever();
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
    backup::read_archive(Format::Sealed, &payload).map_err(|e| bad(&e))
}

/// What `dct key restore` did or, with `--dry-run`, would do.
#[derive(Debug)]
pub struct RestoreOutcome {
    /// Each key of the archive with its action.
    pub planned: Vec<Planned>,
    /// A dry run's refusal (conflicting keys without `--force`): reported after the plan.
    pub refusal: Option<Error>,
}

/// `dct key restore FILE [-f] [--dry-run]`: restores the archive's key files (see the module
/// docs); a conflicting key refuses the whole restore (exit 7) unless `force`.
pub fn restore(
    session: &mut Session,
    ui: &dyn Ui,
    file: &Path,
    force: bool,
    dry_run: bool,
) -> Result<RestoreOutcome> {
    let contents = read_backup(session, file)?;
    for name in &contents.ignored {
        ui.warn(&format!(
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
    let store = session.key_store();
    // Plan without the lock first, so a refusal leaves no trace (not even a lock file); then
    // plan again under the lock and write.
    let planned = backup::plan(store, contents.keys.clone(), force)?;
    let refusal = refusal(file, &planned);
    if dry_run {
        return Ok(RestoreOutcome { planned, refusal });
    }
    if let Some(e) = refusal {
        return Err(e);
    }
    let _lock = session.trust_dir().lock()?;
    let planned = backup::plan(store, contents.keys, force)?;
    if planned.iter().any(|p| p.action == Action::Refuse) {
        return Err(Error::key(format!(
            "refusing to restore from {}: the trust dir changed while restoring; nothing was restored",
            file.display()
        )));
    }
    backup::apply(&planned)?;
    Ok(RestoreOutcome {
        planned,
        refusal: None,
    })
}

/// The error for keys the trust dir holds differently, naming each.
fn refusal(file: &Path, planned: &[Planned]) -> Option<Error> {
    let refused: Vec<&Planned> = planned
        .iter()
        .filter(|p| p.action == Action::Refuse)
        .collect();
    if refused.is_empty() {
        return None;
    }
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
    Some(Error::key(msg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;
    use crate::keys::backup::{build_tar_gz, collect};
    use crate::keys::{keyfile, store};
    use crate::ops::testkit::{RecordingUi, session};

    /// A plain (`--plain`) backup of `keys`, as another trust dir would write it.
    fn archive(dir: &Path, keys: &[&PrivateKey]) -> std::path::PathBuf {
        let other = crate::keys::store::KeyStore::new(&dir.join("other"));
        for k in keys {
            store::store_new_key(&other, k, b"keypass", "targets", Some("reg.example/app"))
                .unwrap();
        }
        let tar = build_tar_gz(&collect(&other).unwrap()).unwrap();
        let file = dir.join("keys.tar.gz");
        std::fs::write(&file, &*tar).unwrap();
        file
    }

    #[test]
    fn restore_skips_identical_keys_and_refuses_different_ones_unless_forced() {
        let (mut s, dir) = session();
        let (a, b) = (PrivateKey::generate_ecdsa(), PrivateKey::generate_ecdsa());
        let file = archive(dir.path(), &[&a, &b]);
        // The trust dir has `a` sealed differently (another passphrase): same ID, other bytes.
        let mine = keyfile::seal(&a, b"mypassphrase", "targets", Some("reg.example/app"));
        s.key_store().put(&a.id(), &mine).unwrap();
        let ui = RecordingUi::default();
        let dry = restore(&mut s, &ui, &file, false, true).unwrap();
        let actions: Vec<(String, Action)> = dry
            .planned
            .iter()
            .map(|p| (p.key.id.clone(), p.action))
            .collect();
        assert!(actions.contains(&(a.id(), Action::Refuse)), "{actions:?}");
        assert!(actions.contains(&(b.id(), Action::Restore)), "{actions:?}");
        assert_eq!(dry.refusal.unwrap().exit_code(), crate::ExitCode::Key);
        // Not a dry run: refused whole, nothing written.
        let err = restore(&mut s, &ui, &file, false, false).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Key);
        assert!(s.key_store().get(&b.id()).unwrap().is_none());
        // Forced: `a` replaced, `b` restored; again: both skipped.
        let done = restore(&mut s, &ui, &file, true, false).unwrap();
        let mut actions: Vec<Action> = done.planned.iter().map(|p| p.action).collect();
        actions.sort_by_key(|a| a.as_str());
        assert_eq!(actions, [Action::Replace, Action::Restore]);
        let again = restore(&mut s, &ui, &file, false, false).unwrap();
        assert!(again.planned.iter().all(|p| p.action == Action::Skip));
    }
}
