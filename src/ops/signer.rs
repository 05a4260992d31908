//! `dct signer add|remove`: Docker's signer semantics — a signer is `targets/<name>` plus its
//! keys in `targets/releases` — one repository at a time (the command line loops over
//! repositories and reports each, as Docker does).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::publish::{Writer, canonical_ids};
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::keys::KeySigner;
use crate::keys::pkcs11::Pkcs11Uri;
use crate::keys::public::read_public_key;
use crate::reference::RepoRef;
use crate::roles::{self, RELEASES};
use crate::tuf::changelist::Change;
use crate::tuf::edit::Editor;
use crate::tuf::meta::{Key, Signature};

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

/// The public key of signer `name`'s key on a PKCS#11 token (`signer add --key URI`): the
/// key `uri` names (it must be there: made with the token's own tools, such as `ykman piv
/// keys generate`, or by `dct key generate --pkcs11`), recorded in this trust dir with role
/// `name` so that `dct sign` signs with it.
pub fn token_signer_key(
    session: &mut Session,
    ui: &dyn Ui,
    name: &str,
    uri: &Pkcs11Uri,
) -> Result<Key> {
    let keys = session.keys();
    let id = keys.find_token_key(uri)?.ok_or_else(|| {
        Error::key(format!(
            "no private key matching {uri} on PKCS#11 token {}: generate one first (dct key \
             generate {name} --pkcs11 URI, or the token's own tools)",
            uri.token_name()
        ))
    })?;
    let public = keys
        .opened_token_key(&id)
        .expect("just opened")
        .public_key();
    {
        let _lock = session.trust_dir().lock()?;
        session.keys().record_token_key(&id, name, None)?;
    }
    ui.progress(&format!(
        "Using key {id} on PKCS#11 token {}",
        uri.token_name()
    ));
    Ok(Key::from(&public))
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
    let need = loaded.role(RELEASES).is_some_and(|rel| {
        let (keys, threshold) = editor.role_keys(RELEASES).unwrap_or_default();
        releases_need_signer(
            !rel.env.signed.targets.is_empty(),
            &rel.env.signatures,
            &keys,
            threshold,
            &signer_ids,
        )
    });
    if !force && need {
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

/// Docker's question: whether the current releases (when they hold any tag) would be signed by
/// fewer than their `threshold` of `keys` once the keys `signer_ids` are gone.
fn releases_need_signer(
    released: bool,
    signatures: &[Signature],
    keys: &BTreeMap<String, Key>,
    threshold: i64,
    signer_ids: &[String],
) -> bool {
    if !released {
        return false;
    }
    let remaining = signatures
        .iter()
        .filter(|s| keys.contains_key(&s.keyid))
        .filter(|s| {
            let canonical = canonical_ids(std::slice::from_ref(&keys[&s.keyid]));
            !canonical.iter().any(|c| signer_ids.contains(c))
        })
        .count();
    (remaining as i64) < threshold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testkit::signer_key;

    fn sig(keyid: &str) -> Signature {
        Signature {
            keyid: keyid.to_string(),
            method: "ecdsa".into(),
            sig: vec![1, 2, 3],
        }
    }

    #[test]
    fn docker_asks_before_removing_the_signer_the_releases_need() {
        let (alice, alice_id) = signer_key();
        let (bob, bob_id) = signer_key();
        let keys: BTreeMap<String, Key> = [(alice.id(), alice.clone()), (bob.id(), bob.clone())]
            .into_iter()
            .collect();
        // Releases signed by alice only, threshold 1.
        let sigs = [sig(&alice.id())];
        assert!(releases_need_signer(
            true,
            &sigs,
            &keys,
            1,
            std::slice::from_ref(&alice_id)
        ));
        assert!(!releases_need_signer(
            true,
            &sigs,
            &keys,
            1,
            std::slice::from_ref(&bob_id)
        ));
        // Nothing released yet: nothing to lose.
        assert!(!releases_need_signer(
            false,
            &sigs,
            &keys,
            1,
            std::slice::from_ref(&alice_id)
        ));
        // Signed by both with threshold 2: either one leaving breaks them.
        let both = [sig(&alice.id()), sig(&bob.id())];
        assert!(releases_need_signer(true, &both, &keys, 2, &[bob_id]));
        assert!(!releases_need_signer(true, &both, &keys, 1, &[alice_id]));
    }

    #[test]
    fn signer_names_follow_docker() {
        assert!(check_signer_name("alice-1_x").is_ok());
        for bad in ["releases", "Alice", "-a", "", "a b"] {
            let err = check_signer_name(bad).unwrap_err();
            assert_eq!(err.exit_code(), crate::ExitCode::Usage, "{bad}");
        }
    }
}
