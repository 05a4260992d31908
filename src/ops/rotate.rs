//! `dct key rotate` (notary's base-role key rotation, published at once) and `dct delete`
//! (notary's delete of a collection's local and, optionally, remote trust data).

use std::path::Path;

use super::publish::Writer;
use super::{Session, Ui, keys};
use crate::error::{Error, Result};
use crate::keys::cert::{root_certificate, x509_public_key};
use crate::keys::pkcs11::Pkcs11Uri;
use crate::keys::private::PrivateKey;
use crate::keys::signer::KeySigner;
use crate::reference::RepoRef;
use crate::roles::{ROOT, SNAPSHOT, TARGETS, TIMESTAMP};
use crate::tuf::edit::Editor;
use crate::tuf::meta::Key;

/// What `dct key rotate` does.
#[derive(Debug, Clone)]
pub struct RotateRequest<'a> {
    /// The repository.
    pub repo: &'a RepoRef,
    /// `root`, `targets`, `snapshot` or `timestamp` (lower case).
    pub role: String,
    /// Let the server manage the new key (snapshot; timestamp always is).
    pub server_managed: bool,
    /// A private key file to use instead of a new key.
    pub key_file: Option<&'a Path>,
    /// A key on a PKCS#11 token to use instead of a new key file (found there, or generated
    /// on the token when it holds none).
    pub token_key: Option<&'a Pkcs11Uri>,
    /// Skip the root rotation's confirmation.
    pub yes: bool,
}

/// Outcome of `dct key rotate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotateOutcome {
    /// The user declined the confirmation.
    Aborted,
    /// The role has a new key (its ID).
    Rotated(String),
}

/// Rotates the key of base role `role` (notary-spec §7.5) and publishes at once: `root` gets a
/// new key and certificate and the new root is signed by the old and the new root keys
/// (clients with the old root follow); `targets` gets a new local key (or `--key`) and is
/// re-signed with it; `snapshot` moves to a new local key, or to the server with
/// `server_managed`; `timestamp` is always the server's. Old non-root keys are deleted from
/// the key store after the publish, as notary does.
pub fn rotate(
    session: &mut Session,
    ui: &dyn Ui,
    req: &RotateRequest<'_>,
) -> Result<RotateOutcome> {
    let gun = req.repo.gun();
    let role = req.role.as_str();
    if role == ROOT && !req.yes {
        let ok = ui.confirm(
            "Warning: you are about to rotate your root key.\n\nYou must use your old key to \
             sign this root rotation.\nAre you sure you want to proceed?  (yes/no)  ",
            &format!("rotating the root key of {gun}"),
            "-y",
        )?;
        if !ok {
            ui.progress("\nAborting action.");
            return Ok(RotateOutcome::Aborted);
        }
    }
    let key = match req.key_file {
        Some(file) => Some(keys::read_private_key(session, file, role)?),
        None => None,
    };
    let mut w = Writer::new(session, ui)?;
    let reference = req.repo.reference();
    let as_typed = req.repo.as_typed();
    let _lock = w.lock(reference)?;
    let repo = w.load(reference, as_typed)?.ok_or_else(|| {
        Error::NotSigned(format!(
            "remote trust data does not exist for {as_typed}: nothing to rotate"
        ))
    })?;
    let mut editor = Editor::from_repo(&repo);
    let old: Vec<String> = editor
        .role_keys(role)
        .map(|(k, _)| k.values().filter_map(Key::canonical_id).collect())
        .unwrap_or_default();
    let (new_key, new_id) = new_role_key(&mut w, req, key)?;
    editor.replace_base_role_keys(role, vec![new_key])?;
    w.publish(reference, as_typed, Some(editor), &[])?;
    if role != ROOT {
        let store = w.keys.store();
        for id in old.iter().filter(|id| **id != new_id) {
            if let Ok(Some(k)) = store.get(id) {
                let _ = store.remove(&k);
            }
        }
    }
    ui.debug(&format!("new {role} key {new_id}"));
    Ok(RotateOutcome::Rotated(new_id))
}

/// The new key of the rotated role (as root.json lists it) and its canonical ID.
fn new_role_key(
    w: &mut Writer<'_>,
    req: &RotateRequest<'_>,
    key: Option<PrivateKey>,
) -> Result<(Key, String)> {
    let gun = req.repo.gun();
    let role = req.role.as_str();
    if let Some(uri) = req.token_key {
        if !matches!(role, ROOT | TARGETS | SNAPSHOT) || req.server_managed {
            return Err(Error::invalid(format!(
                "a {role} key managed by the server cannot be on a PKCS#11 token"
            )));
        }
        let id = w.token_key(uri, role, (role != ROOT).then_some(gun.as_str()))?;
        let key = w.keys.opened_token_key(&id).expect("just opened");
        if role == ROOT {
            let cert = root_certificate(key, &gun, std::time::SystemTime::now())?;
            return Ok((Key::from(&x509_public_key(&cert)), id));
        }
        return Ok((Key::from(&key.public_key()), id));
    }
    let mut local = |key: Option<PrivateKey>| -> Result<PrivateKey> {
        let key = key.unwrap_or_else(PrivateKey::generate_ecdsa);
        w.store_key(key, role, (role != ROOT).then_some(gun.as_str()))
    };
    match (role, req.server_managed) {
        (ROOT, false) => {
            let k = local(key)?;
            let cert = root_certificate(&k, &gun, std::time::SystemTime::now())?;
            Ok((Key::from(&x509_public_key(&cert)), k.id()))
        }
        (TARGETS | SNAPSHOT, false) => {
            let k = local(key)?;
            Ok((Key::from(&k.public_key()), k.id()))
        }
        (SNAPSHOT | TIMESTAMP, true) | (TIMESTAMP, false) => {
            if key.is_some() {
                return Err(Error::invalid(format!(
                    "the {role} key is managed by the server: --key cannot be used"
                )));
            }
            let k = w.rotate_server_key(req.repo.reference(), role)?;
            let id = k.id();
            Ok((k, id))
        }
        (r, true) => Err(Error::invalid(format!(
            "notary does not permit the server managing the {r} key"
        ))),
        (r, false) => Err(Error::invalid(format!(
            "{r} is not a base role (root, targets, snapshot, timestamp): signer keys \
             change with dct signer add/remove"
        ))),
    }
}

/// `dct delete IMAGE [--remote]`: removes the collection's local trust data
/// (`<trust dir>/tuf/<GUN>/`: cached metadata and staged changes; keys stay) and, with
/// `remote`, the server's (needs the `*` permission there).
pub fn delete(session: &mut Session, ui: &dyn Ui, repo: &RepoRef, remote: bool) -> Result<()> {
    let gun = repo.gun();
    ui.progress(&format!("Deleting trust data for repository {gun}"));
    let w = Writer::new(session, ui)?;
    let _lock = w.lock(repo.reference())?;
    if remote {
        w.delete_remote(repo.reference())?;
    }
    let dir = w.trust().collection(&gun)?;
    if dir.dir().exists() {
        let _lock = w.trust().lock()?;
        std::fs::remove_dir_all(dir.dir()).map_err(|e| Error::io("cannot remove", dir.dir(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testkit::{RecordingUi, session};

    #[test]
    fn rotating_root_asks_first_and_refuses_without_a_terminal() {
        let (mut s, _dir) = session();
        let repo = RepoRef::parse("reg.invalid/app").unwrap();
        let req = RotateRequest {
            repo: &repo,
            role: ROOT.into(),
            server_managed: false,
            key_file: None,
            token_key: None,
            yes: false,
        };
        let err = rotate(&mut s, &RecordingUi::default(), &req).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);
        assert!(err.to_string().contains("pass -y"), "{err}");
        let no = RecordingUi {
            answer: Some(false),
            ..Default::default()
        };
        assert_eq!(rotate(&mut s, &no, &req).unwrap(), RotateOutcome::Aborted);
        assert!(no.text().contains("rotate your root key"), "{}", no.text());
        assert_eq!(s.request_count(), None);
    }
}
