//! `dct signer add|remove`: Docker's signer semantics — a signer is `targets/<name>` plus its
//! keys in `targets/releases` — one repository at a time (the command line loops over
//! repositories and reports each, as Docker does).

use std::path::PathBuf;

use super::publish::{Writer, canonical_ids};
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::keys::public::read_public_key;
use crate::reference::RepoRef;
use crate::roles::{self, RELEASES};
use crate::tuf::changelist::Change;
use crate::tuf::client::Repo;
use crate::tuf::edit::Editor;
use crate::tuf::meta::Key;

/// Checks a signer name: Docker's key-name rule, and `releases` is reserved.
pub fn check_signer_name(name: &str) -> Result<()> {
    if name == "releases" {
        return Err(Error::invalid(
            "releases is a reserved keyword, use a different signer name",
        ));
    }
    crate::keys::check_name(name)
}

/// Reads the signer's public keys or certificates (PEM), all before anything is changed.
pub fn read_signer_keys(files: &[PathBuf]) -> Result<Vec<Key>> {
    files
        .iter()
        .map(|f| read_public_key(f).map(|k| Key::from(&k)))
        .collect()
}

/// `dct signer add NAME IMAGE --key …` for one repository: `targets/NAME` with `keys` and
/// paths `""`, and the keys added to `targets/releases`; a repository without trust data is
/// initialised first. Returns whether it was.
pub fn add(
    session: &mut Session,
    ui: &dyn Ui,
    name: &str,
    keys: &[Key],
    repo: &RepoRef,
) -> Result<bool> {
    let image = repo.as_typed();
    let reference = repo.reference();
    let role = roles::signer_role(name);
    let mut w = Writer::new(session, ui)?;
    let _lock = w.lock(reference)?;
    ui.progress(&format!("Adding signer \"{name}\" to {image}..."));
    let editor = match w.load(reference, image)? {
        Some(repo) => Editor::from_repo(&repo),
        None => {
            ui.progress(&format!("Initializing signed repository for {image}..."));
            w.create(reference)?
        }
    };
    let created = editor.is_initial();
    let all = vec![String::new()];
    let changes = [
        Change::create_delegation(&role, keys, 1),
        Change::add_delegation_paths(&role, &all),
        Change::create_delegation(RELEASES, keys, 1),
        Change::add_delegation_paths(RELEASES, &all),
    ];
    w.publish(reference, image, Some(editor), &changes)?;
    if created {
        ui.progress(&format!("Successfully initialized \"{}\"", repo.gun()));
    }
    Ok(created)
}

/// Outcome of `dct signer remove` for one repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveOutcome {
    /// The user declined the confirmation.
    Aborted,
    /// The signer was removed and the change published.
    Removed,
}

/// `dct signer remove NAME IMAGE` for one repository, as it worked before Docker 26: NAME's
/// keys leave `targets/releases` and `targets/NAME` is deleted. Docker's question comes first
/// when NAME signed the current releases and they would fall below their threshold (`force`
/// skips it).
pub fn remove(
    session: &mut Session,
    ui: &dyn Ui,
    name: &str,
    repo: &RepoRef,
    force: bool,
) -> Result<RemoveOutcome> {
    let image = repo.as_typed();
    let reference = repo.reference();
    let role = roles::signer_role(name);
    let mut w = Writer::new(session, ui)?;
    let _lock = w.lock(reference)?;
    ui.progress(&format!("Removing signer \"{name}\" from {image}..."));
    let no_signer = || Error::invalid(format!("no signer {name} for repository {image}"));
    let loaded = w.load(reference, image)?.ok_or_else(no_signer)?;
    let editor = Editor::from_repo(&loaded);
    let Some((decl, parent_keys)) = editor
        .delegations()
        .into_iter()
        .find(|(d, _)| d.name == role)
    else {
        return Err(no_signer());
    };
    let signer_keys: Vec<Key> = decl
        .ids()
        .iter()
        .filter_map(|id| parent_keys.get(id).cloned())
        .collect();
    let signer_ids = canonical_ids(&signer_keys);
    if !force && releases_need_signer(&loaded, &editor, &signer_ids) {
        let ok = ui.confirm(
            &format!(
                "The signer \"{name}\" signed the last released version of {image}. Removing \
                 this signer will make {image} unpullable. Are you sure you want to continue? [y/N] "
            ),
            &format!("removing the last signer of the releases of {image}"),
            "-f",
        )?;
        if !ok {
            ui.progress("\nAborting action.");
            return Ok(RemoveOutcome::Aborted);
        }
    }
    let changes = [
        Change::remove_delegation_keys(RELEASES, &signer_ids),
        Change::delete_delegation(&role),
    ];
    w.publish(reference, image, Some(editor), &changes)?;
    Ok(RemoveOutcome::Removed)
}

/// Docker's question: whether the current (non-empty) releases would be signed by fewer than
/// their threshold of keys once the keys `signer_ids` are gone.
fn releases_need_signer(repo: &Repo, editor: &Editor, signer_ids: &[String]) -> bool {
    let Some(rel) = repo.role(RELEASES) else {
        return false;
    };
    if rel.env.signed.targets.is_empty() {
        return false;
    }
    let (keys, threshold) = editor.role_keys(RELEASES).unwrap_or_default();
    let remaining = rel
        .env
        .signatures
        .iter()
        .filter(|s| keys.contains_key(&s.keyid))
        .filter(|s| {
            let canonical = canonical_ids(std::slice::from_ref(&keys[&s.keyid]));
            !canonical.iter().any(|c| signer_ids.contains(c))
        })
        .count();
    (remaining as i64) < threshold
}
