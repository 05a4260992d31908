//! `dct init`, `dct sign`, `dct status` and `dct revoke`: Docker's signing rules (which roles a
//! tag is signed into, the "Existing signatures" notice, initialising on first sign) on
//! notary's files and changelist.

use std::collections::BTreeMap;

use super::publish::Writer;
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::keys::pkcs11::Pkcs11Uri;
use crate::oci::Digest;
use crate::reference::{RepoRef, TagRef};
use crate::remote::registry::Registry;
use crate::roles::{self, LOOKUP_ORDER, RELEASES, TARGETS};
use crate::tuf::changelist::{Change, Changelist, Staged};
use crate::tuf::edit::{Editor, signable_roles};
use crate::tuf::meta::{Delegations, FileMeta, Hashes};

/// Outcome of `dct init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitOutcome {
    /// The collection already had trust data.
    AlreadyInitialized,
    /// It was created and published.
    Initialized,
}

/// `dct init IMAGE [--root-key URI]`: creates the collection as Docker does (see
/// [`Writer::create`]) — with its root key on the PKCS#11 token `root_key` names, when given —
/// and publishes root v1 with an empty targets; an existing collection is left alone.
pub fn init(
    session: &mut Session,
    ui: &dyn Ui,
    repo: &RepoRef,
    root_key: Option<&Pkcs11Uri>,
) -> Result<InitOutcome> {
    let mut w = Writer::new(session, ui)?;
    let reference = repo.reference();
    let _lock = w.lock(reference)?;
    if w.load(reference, repo.as_typed())?.is_some() {
        if root_key.is_some() {
            ui.warn(&format!(
                "{} already has trust data: --root-key was not used (to move its root to the \
                 token, run dct key rotate {} root --key URI)",
                repo.gun(),
                repo.gun()
            ));
        }
        return Ok(InitOutcome::AlreadyInitialized);
    }
    ui.progress(&format!(
        "Initializing signed repository for {}...",
        repo.gun()
    ));
    let server = w.server_keys(reference)?;
    let editor = w.create_with_root(reference, server, root_key)?;
    w.publish(reference, repo.as_typed(), Some(editor), &[])?;
    Ok(InitOutcome::Initialized)
}

/// What `dct sign` signs.
#[derive(Debug, Clone)]
pub struct SignRequest {
    /// The tags, in the order given, each with the digest it was pinned to (`NAME:TAG@DIGEST`).
    pub tags: Vec<(TagRef, Option<Digest>)>,
    /// The manifest digest and size to sign for every tag, instead of asking the registry.
    pub digest: Option<(Digest, u64)>,
    /// Only stage the signatures (`--local`).
    pub local: bool,
}

/// One tag `dct sign` handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTag {
    /// The repository (GUN).
    pub gun: String,
    /// The tag.
    pub tag: String,
    /// The digest signed.
    pub digest: Digest,
    /// Whether it was only staged (`--local`).
    pub staged: bool,
}

/// One tag to sign, resolved.
struct Wanted {
    tag: TagRef,
    meta: FileMeta,
}

/// The digest and size of every tag: given, or from the registry. Nothing is staged unless
/// all of them are known.
fn resolve_digests(session: &mut Session, req: &SignRequest) -> Result<Vec<Wanted>> {
    let mut wanted = Vec::new();
    for (tag, pinned) in &req.tags {
        let (digest, size) = match (req.digest, pinned) {
            (Some((d, _)), Some(p)) if d != *p => {
                return Err(Error::invalid(format!(
                    "--digest {d} does not match the digest of {}: sign one of them",
                    tag.as_typed()
                )));
            }
            (Some(g), _) => g,
            // The size of exactly that manifest: no race with a tag moved since the push.
            (None, Some(p)) => {
                let http = session.http()?;
                let m = Registry::new(http, tag.reference())?.manifest(&p.to_string())?;
                (m.digest, m.size)
            }
            (None, None) => {
                let http = session.http()?;
                let m = Registry::new(http, tag.reference())?.manifest(tag.tag())?;
                (m.digest, m.size)
            }
        };
        let meta = FileMeta {
            length: i64::try_from(size)
                .map_err(|_| Error::invalid(format!("size {size} is too large")))?,
            hashes: Hashes::from([("sha256".to_string(), digest.0.to_vec())]),
            custom: None,
        };
        wanted.push(Wanted {
            tag: tag.clone(),
            meta,
        });
    }
    Ok(wanted)
}

/// `dct sign IMAGE:TAG…`: signs every tag into the roles this trust dir can sign (Docker's
/// rule, see [`Editor::signable_roles`]), one publish per repository; a new repository is
/// initialised and the tags go into `targets`. Whatever fails after the changes are known
/// (keys, network, auth), they end up staged for `dct publish`.
pub fn sign(session: &mut Session, ui: &dyn Ui, req: &SignRequest) -> Result<Vec<SignedTag>> {
    let wanted = resolve_digests(session, req)?;
    let mut by_repo: BTreeMap<String, Vec<Wanted>> = BTreeMap::new();
    for w in wanted {
        by_repo.entry(w.tag.gun()).or_default().push(w);
    }
    for tags in by_repo.values() {
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = tags.iter().find(|t| !seen.insert(t.tag.tag())) {
            return Err(Error::invalid(format!(
                "{} is given twice: sign each tag once",
                dup.tag.as_typed()
            )));
        }
    }
    let mut w = Writer::new(session, ui)?;
    let mut done = Vec::new();
    for (name, tags) in by_repo {
        for t in &tags {
            ui.progress(&format!(
                "Signing and pushing trust metadata for {}",
                t.tag.as_typed()
            ));
        }
        sign_repo(&mut w, &name, &tags, req.local)?;
        for t in &tags {
            done.push(SignedTag {
                gun: name.clone(),
                tag: t.tag.tag().to_string(),
                digest: Digest(t.meta.sha256().unwrap_or_default()),
                staged: req.local,
            });
        }
    }
    Ok(done)
}

/// The changes that sign `tags` into the roles `editor` says this trust dir can sign (Docker's
/// rule; `targets` for a new collection). With `notice`, Docker's "Existing signatures" lines.
fn changes_for(
    w: &Writer<'_>,
    editor: Option<&Editor>,
    tags: &[Wanted],
    notice: bool,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for t in tags {
        let roles = match editor {
            None => vec![TARGETS.to_string()],
            Some(editor) => {
                if notice {
                    existing_signatures(w.ui, editor, t);
                }
                editor.signable_roles(t.tag.tag(), &|id| w.has_key(id))?
            }
        };
        for role in roles {
            changes.push(Change::add_target(&role, t.tag.tag(), &t.meta));
        }
    }
    Ok(changes)
}

/// The changes [`changes_for`] would make, from the delegations this trust dir last saw.
fn cached_changes(
    w: &Writer<'_>,
    gun: &str,
    top: &Delegations,
    tags: &[Wanted],
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for t in tags {
        let roles = signable_roles(gun, top, t.tag.tag(), &|id| w.has_key(id))?;
        for role in roles {
            changes.push(Change::add_target(&role, t.tag.tag(), &t.meta));
        }
    }
    Ok(changes)
}

/// Signs `tags` (all of repository `name`) in one publish, or stages them with `local`.
///
/// When this trust dir knows the repository, the signatures are staged first, before any
/// request (notary's order), into the roles its cached trust data gives: whatever fails later
/// (network, server, keys, a kill), they stay staged and the error says how to publish them.
/// Then, under the repository's lock (one writer per trust dir at a time), the fresh trust data
/// is read and everything staged is published at once — also what concurrent `dct sign`s
/// staged, so they take turns without conflicts. A new repository is created under the lock,
/// after the server was asked for its keys (a wrong server leaves nothing behind).
fn sign_repo(w: &mut Writer<'_>, name: &str, tags: &[Wanted], local: bool) -> Result<()> {
    let reference = tags[0].tag.reference().clone();
    let as_typed = tags[0].tag.as_typed();
    let mut staged = None;
    if let Some(top) = w.cached_delegations(&reference) {
        let changes = cached_changes(w, name, &top, tags)?;
        let files = w.stage(&reference, &changes)?;
        if local {
            return Ok(());
        }
        staged = Some((changes, files));
    }
    let _lock = w.lock(&reference)?;
    let loaded = w
        .load(&reference, as_typed)
        .map_err(|e| w.noting_staged(&reference, e))?
        .map(Editor::from_repo_owned);
    let Some(editor) = loaded else {
        return create_and_sign(w, name, &reference, as_typed, tags, local);
    };
    let changes =
        changes_for(w, Some(&editor), tags, true).map_err(|e| w.noting_staged(&reference, e))?;
    // The fresh trust data may sign into other roles than the cached one said.
    let own = match staged {
        Some((cached_changes, _)) if cached_changes == changes => Vec::new(),
        Some((_, files)) => {
            w.unstage(&files);
            changes
        }
        None => changes,
    };
    if local {
        w.stage(&reference, &own)?;
        return Ok(());
    }
    w.publish(&reference, as_typed, Some(editor), &own)?;
    Ok(())
}

/// Signs `tags` into a repository that has no trust data yet: Docker creates it and signs into
/// `targets`.
fn create_and_sign(
    w: &mut Writer<'_>,
    name: &str,
    reference: &crate::reference::Reference,
    as_typed: &str,
    tags: &[Wanted],
    local: bool,
) -> Result<()> {
    let changes = changes_for(w, None, tags, false)?;
    if local {
        w.stage(reference, &changes)?;
        return Ok(());
    }
    w.ui.progress(&format!("Initializing signed repository for {name}..."));
    // A wrong or unreachable server leaves nothing behind; a server that refuses these
    // credentials is the right one, so the signatures are kept for `dct publish` with others.
    let server_keys = match w.server_keys(reference) {
        Ok(k) => k,
        Err(e @ Error::Auth(_)) => {
            w.stage(reference, &changes)?;
            return Err(w.noting_staged(reference, e));
        }
        Err(e) => return Err(e),
    };
    let editor = match w.create_with(reference, server_keys) {
        Ok(e) => e,
        // Keys failed (no passphrase, say): keep the signatures staged.
        Err(e) => {
            w.stage(reference, &changes)?;
            return Err(w.noting_staged(reference, e));
        }
    };
    w.publish(reference, as_typed, Some(editor), &changes)?;
    w.ui.progress(&format!("Finished initializing \"{name}\""));
    Ok(())
}

/// Docker's notice when a tag is already signed: by whom, and for which digest.
fn existing_signatures(ui: &dyn Ui, editor: &Editor, t: &Wanted) {
    let tag = t.tag.tag();
    let mut signers = Vec::new();
    let mut digest = None;
    for role in LOOKUP_ORDER {
        if let Some(m) = editor.targets(role).and_then(|r| r.targets.get(tag)) {
            digest.get_or_insert(m.sha256());
            signers.push(if role == TARGETS {
                "Repo Admin".to_string()
            } else {
                "Repo Admin (releases)".to_string()
            });
        }
    }
    for (d, _) in editor.delegations() {
        if d.name != RELEASES
            && editor
                .targets(&d.name)
                .is_some_and(|r| r.targets.contains_key(tag))
        {
            signers.push(roles::signer_name(&d.name).to_string());
        }
    }
    if let Some(Some(d)) = digest {
        ui.progress(&format!(
            "Existing signatures for tag {tag} digest {} from:\n{}\n",
            hex::encode(d),
            signers.join(", ")
        ));
        if t.meta.sha256() != Some(d) {
            ui.progress(&format!(
                "The registry now has {} for {tag}: signing the new digest",
                Digest(t.meta.sha256().unwrap_or_default())
            ));
        }
    }
}

/// `dct status IMAGE`: the changes staged for the repository, in publish order.
pub fn status(session: &Session, repo: &RepoRef) -> Result<Vec<Staged>> {
    Changelist::open(session.trust_dir().path(), &repo.gun())?.list()
}

/// Outcome of `dct revoke`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeOutcome {
    /// The user declined the confirmation.
    Aborted,
    /// The signatures were removed and published.
    Revoked,
}

/// `dct revoke IMAGE[:TAG]`: removes the tag's signature from every role this trust dir can
/// sign that holds it — or, without a tag and after confirmation (`yes` skips it), every
/// signed tag's.
pub fn revoke(
    session: &mut Session,
    ui: &dyn Ui,
    repo: &RepoRef,
    yes: bool,
) -> Result<RevokeOutcome> {
    let arg = repo.as_typed();
    let tag = repo.tag().map(str::to_string);
    if tag.is_none() && !yes {
        let ok = ui.confirm(
            &format!("Confirm you would like to delete all signature data for {arg}? [y/N] "),
            &format!("revoking every signed tag of {arg}"),
            "-y",
        )?;
        if !ok {
            ui.progress("\nAborting action.");
            return Ok(RevokeOutcome::Aborted);
        }
    }
    let mut w = Writer::new(session, ui)?;
    let fail =
        |why: String| Error::NotSigned(format!("could not remove signature for {arg}: {why}"));
    let reference = repo.reference();
    let _lock = w.lock(reference)?;
    let loaded = w
        .load(reference, arg)?
        .ok_or_else(|| fail(format!("{} has no trust data", repo.gun())))?;
    let editor = Editor::from_repo(&loaded);
    let tags = revoked_tags(&editor, tag.as_deref()).map_err(fail)?;
    let mut changes = Vec::new();
    for t in &tags {
        for role in editor.signable_roles(t, &|id| w.has_key(id))? {
            if editor
                .targets(&role)
                .is_some_and(|x| x.targets.contains_key(t))
            {
                changes.push(Change::remove_target(&role, t));
            }
        }
    }
    if changes.is_empty() {
        return Err(Error::key(format!(
            "could not remove signature for {arg}: this trust dir holds no key of a role that signed it"
        )));
    }
    w.publish(reference, arg, Some(editor), &changes)?;
    Ok(RevokeOutcome::Revoked)
}

/// The tags a revoke removes: `tag` when `targets/releases` or `targets` holds it, else (no
/// tag) every tag they hold; the error says why there is nothing to remove.
fn revoked_tags(editor: &Editor, tag: Option<&str>) -> std::result::Result<Vec<String>, String> {
    let released = |t: &str| {
        LOOKUP_ORDER
            .iter()
            .any(|r| editor.targets(r).is_some_and(|x| x.targets.contains_key(t)))
    };
    match tag {
        Some(t) if released(t) => Ok(vec![t.to_string()]),
        Some(t) => Err(format!("No valid trust data for {t}")),
        None => {
            let mut all: Vec<String> = LOOKUP_ORDER
                .iter()
                .filter_map(|r| editor.targets(r))
                .flat_map(|x| x.targets.keys().cloned())
                .collect();
            all.sort();
            all.dedup();
            if all.is_empty() {
                return Err("no signed tags to remove".into());
            }
            Ok(all)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testkit::{RecordingUi, collection, meta, session, signer_key};
    use crate::roles::RELEASES;
    use crate::tuf::meta::Key;

    fn delegate(role: &str, keys: &[Key], paths: &[&str]) -> [Change; 2] {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        [
            Change::create_delegation(role, keys, 1),
            Change::add_delegation_paths(role, &paths),
        ]
    }

    #[test]
    fn tags_are_signed_into_the_roles_dockers_rule_gives() {
        // No delegations: the repository admin's targets.
        let plain = collection(&[]);
        assert_eq!(plain.signable_roles("v1", &|_| false).unwrap(), [TARGETS]);
        // releases + alice (key A, every tag) and bob (key B, prod/ only).
        let (a, a_id) = signer_key();
        let (b, b_id) = signer_key();
        let mut changes = Vec::new();
        changes.extend(delegate(RELEASES, std::slice::from_ref(&a), &[""]));
        changes.extend(delegate("targets/alice", std::slice::from_ref(&a), &[""]));
        changes.extend(delegate(
            "targets/bob",
            std::slice::from_ref(&b),
            &["prod/"],
        ));
        let ed = collection(&changes);
        fn holds(id: &str) -> impl Fn(&str) -> bool + '_ {
            move |k| k == id
        }
        assert_eq!(
            ed.signable_roles("v1", &holds(&a_id)).unwrap(),
            [RELEASES, "targets/alice"]
        );
        assert_eq!(
            ed.signable_roles("prod/x", &holds(&b_id)).unwrap(),
            ["targets/bob"]
        );
        // bob may not sign v1 (outside prod/), and no key at all: a key error naming how to
        // get one, never a fall back to targets.
        for (tag, id) in [("v1", b_id.as_str()), ("v1", "none")] {
            let err = ed.signable_roles(tag, &holds(id)).unwrap_err();
            assert_eq!(err.exit_code(), crate::ExitCode::Key, "{err}");
            assert!(err.to_string().contains("dct signer add"), "{err}");
        }
    }

    #[test]
    fn revoke_takes_one_released_tag_or_every_one() {
        let ed = collection(&[
            Change::add_target(TARGETS, "v1", &meta(1, 10)),
            Change::add_target(TARGETS, "v2", &meta(2, 10)),
            Change::add_target(TARGETS, "latest", &meta(2, 10)),
        ]);
        assert_eq!(revoked_tags(&ed, Some("v1")).unwrap(), ["v1"]);
        assert_eq!(
            revoked_tags(&ed, Some("nope")).unwrap_err(),
            "No valid trust data for nope"
        );
        assert_eq!(revoked_tags(&ed, None).unwrap(), ["latest", "v1", "v2"]);
        assert_eq!(
            revoked_tags(&collection(&[]), None).unwrap_err(),
            "no signed tags to remove"
        );
    }

    #[test]
    fn an_already_signed_tag_gets_dockers_notice() {
        let (a, _) = signer_key();
        let mut changes = Vec::new();
        changes.extend(delegate(RELEASES, std::slice::from_ref(&a), &[""]));
        changes.extend(delegate("targets/alice", std::slice::from_ref(&a), &[""]));
        changes.push(Change::add_target(RELEASES, "v1", &meta(0xaa, 10)));
        changes.push(Change::add_target("targets/alice", "v1", &meta(0xaa, 10)));
        let ed = collection(&changes);
        let ui = RecordingUi::default();
        let wanted = |byte| Wanted {
            tag: TagRef::parse("reg.example/app:v1").unwrap(),
            meta: meta(byte, 10),
        };
        existing_signatures(&ui, &ed, &wanted(0xaa));
        assert_eq!(
            ui.text(),
            format!(
                "Existing signatures for tag v1 digest {} from:\nRepo Admin (releases), alice\n",
                "aa".repeat(32)
            )
        );
        let ui = RecordingUi::default();
        existing_signatures(&ui, &ed, &wanted(0xbb));
        assert!(
            ui.text().ends_with(&format!(
                "The registry now has sha256:{} for v1: signing the new digest",
                "bb".repeat(32)
            )),
            "{}",
            ui.text()
        );
        // A tag nobody signed: nothing said.
        let ui = RecordingUi::default();
        existing_signatures(&ui, &collection(&[]), &wanted(0xaa));
        assert_eq!(ui.text(), "");
    }

    #[test]
    fn revoking_every_tag_needs_a_confirmation_before_anything_else() {
        let (mut s, _dir) = session();
        let repo = RepoRef::parse("reg.invalid/app").unwrap();
        let ui = RecordingUi::default();
        let err = revoke(&mut s, &ui, &repo, false).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);
        assert!(err.to_string().contains("pass -y"), "{err}");
        // Declined: nothing happens, no request (the registry does not exist).
        let ui = RecordingUi {
            answer: Some(false),
            ..Default::default()
        };
        assert_eq!(
            revoke(&mut s, &ui, &repo, false).unwrap(),
            RevokeOutcome::Aborted
        );
        assert_eq!(s.request_count(), None);
    }
}
