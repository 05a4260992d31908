//! Writing a collection: open its verified trust data for editing (or create it as Docker
//! does), stage changes in notary's changelist, and publish staged plus new changes in one
//! upload, with a retry when another client published first. `dct publish` is the plain use of
//! it; `sign`, `signer`, `revoke` and `key rotate` build on [`Writer`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::read::{LoadError, Need, ReadFrom, load_with};
use super::session::StoreKeys;
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::keys::passphrase::env_vars_for;
use crate::keys::pkcs11::Pkcs11Uri;
use crate::keys::private::PrivateKey;
use crate::keys::store::store_new_key;
use crate::reference::{Reference, RepoRef};
use crate::remote::Http;
use crate::remote::trust::{TrustServer, is_conflict, trust_server_url};
use crate::roles;
use crate::trust_dir::TrustDir;
use crate::tuf::cache::Cache;
use crate::tuf::changelist::{Change, Changelist};
use crate::tuf::client::{Repo, TufError};
use crate::tuf::edit::{Editor, KeyProvider};
use crate::tuf::meta::{Delegations, Envelope, Key, Targets};
use crate::tuf::root::Pinning;

/// Everything a write needs: the run's HTTP client, the trust dir and server, pinning, the
/// keys, and where progress goes.
pub struct Writer<'a> {
    http: &'a Http,
    trust: &'a TrustDir,
    server: Option<&'a str>,
    pinning: Pinning,
    pub(crate) keys: &'a mut StoreKeys,
    pub(crate) ui: &'a dyn Ui,
}

/// The keys a trust server holds for a new collection.
#[derive(Debug, Clone)]
pub struct ServerKeys {
    /// The timestamp key (always the server's).
    pub timestamp: Key,
    /// The snapshot key (the server's, as Docker initialises collections).
    pub snapshot: Key,
}

/// How many times a publish that lost a race against another client is redone (each time on
/// fresh trust data, after a growing pause), within [`RETRY_BUDGET`].
const PUBLISH_TRIES: u32 = 6;
/// How long a publish keeps retrying after losing races, at most.
const RETRY_BUDGET: Duration = Duration::from_secs(60);

/// What a publish did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Published {
    /// Staged changes applied and cleared, plus the command's own.
    pub changes: usize,
    /// The collection was created by this publish.
    pub initialized: bool,
}

impl<'a> Writer<'a> {
    /// A writer over `session`, trusting roots as the trust dir's pinning config says.
    pub fn new(session: &'a mut Session, ui: &'a dyn Ui) -> Result<Writer<'a>> {
        let pinning = session.pinning(&[])?;
        let parts = session.parts()?;
        for w in parts.keys.permission_warnings_once() {
            ui.warn(&w);
        }
        Ok(Writer {
            http: parts.http,
            trust: parts.trust,
            server: parts.server,
            pinning,
            keys: parts.keys,
            ui,
        })
    }

    /// The trust dir.
    pub(crate) fn trust(&self) -> &TrustDir {
        self.trust
    }

    fn server(&self, reference: &Reference) -> Result<TrustServer<'_>> {
        super::retired::note(self.server, reference, self.ui);
        let url = trust_server_url(self.server, None, reference.domain())?;
        TrustServer::new(self.http, &url, &reference.name(), "push,pull")
    }

    /// The collection's verified trust data ready for editing, or a new collection when the
    /// server has none (Docker initialises on first sign or signer add).
    pub fn open(&mut self, reference: &Reference, as_typed: &str) -> Result<Editor> {
        match self.load(reference, as_typed)? {
            Some(repo) => Ok(Editor::from_repo_owned(repo)),
            None => self.create(reference),
        }
    }

    /// The delegations of `targets` as this trust dir last saw them (its cached targets.json,
    /// no request): enough to say which roles a tag would be signed into, so a signature can be
    /// staged before any network step. Not trusted beyond that: what is published is checked
    /// against the fresh, verified trust data. `None` when this trust dir never saw the
    /// collection.
    pub fn cached_delegations(&self, reference: &Reference) -> Option<Delegations> {
        let cache = Cache::new(self.trust.path(), &reference.name()).ok()?;
        let bytes = cache.read(roles::TARGETS, crate::tuf::client::MAX_META)?;
        // Only the delegations are needed: a 100,000-target file is not parsed whole for them.
        crate::tuf::index::delegations_only(&bytes).or_else(|| {
            Envelope::<Targets>::parse(bytes, "Targets")
                .ok()
                .map(|env| env.signed.delegations)
        })
    }

    /// The collection's verified trust data, `None` when the server has none yet.
    ///
    /// Read with the push scope, as Docker does; a user the server refuses that scope is read
    /// with `pull` instead, so that the changes are still staged: the publish then fails with
    /// the same refusal and `dct publish` can retry later with other credentials.
    pub fn load(&mut self, reference: &Reference, as_typed: &str) -> Result<Option<Repo>> {
        match self.load_scoped(reference, as_typed, "push,pull") {
            Err(e @ Error::Auth(_)) => self.load_scoped(reference, as_typed, "pull").map_err(|_| e),
            r => r,
        }
    }

    fn load_scoped(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        actions: &str,
    ) -> Result<Option<Repo>> {
        super::retired::note(self.server, reference, self.ui);
        let from = ReadFrom {
            http: self.http,
            trust: self.trust,
            server: self.server,
            pinning: &self.pinning,
        };
        match load_with(from, reference, actions, Need::All) {
            Ok(repo) => {
                for w in &repo.warnings {
                    self.ui.warn(w);
                }
                Ok(Some(repo))
            }
            Err(LoadError::Tuf(TufError::RepositoryNotExist { .. })) => Ok(None),
            Err(LoadError::Tuf(e)) => Err(e.into_error(as_typed)),
            Err(LoadError::Other(e)) => Err(e),
        }
    }

    /// A new collection as Docker makes it (see [`Writer::create_with`]), asking the server
    /// for its keys first.
    pub fn create(&mut self, reference: &Reference) -> Result<Editor> {
        let keys = self.server_keys(reference)?;
        self.create_with(reference, keys)
    }

    /// What the trust server must provide for a new collection — its timestamp and snapshot
    /// keys (`GET <role>.key`) — asked before any key is made or passphrase asked for, so that
    /// a wrong or unreachable server leaves nothing behind. The error names the URL asked and,
    /// when it is the default for the registry, how to set another.
    pub fn server_keys(&self, reference: &Reference) -> Result<ServerKeys> {
        let gun = reference.name();
        let server = self.server(reference)?;
        let fetch = |role: &str| -> Result<Key> {
            let bytes = server.get_key(role)?;
            serde_json::from_slice(&bytes).map_err(|e| {
                Error::Network(format!(
                    "trust server sent an unreadable {role} key for {gun}: {e}"
                ))
            })
        };
        let got = fetch(roles::TIMESTAMP).and_then(|timestamp| {
            Ok(ServerKeys {
                timestamp,
                snapshot: fetch(roles::SNAPSHOT)?,
            })
        });
        got.map_err(|e| {
            if matches!(e, Error::Auth(_)) {
                return e;
            }
            let hint = self
                .default_server_hint(reference)
                .map(|h| format!("{h} "))
                .unwrap_or_default();
            e.with_note(&format!("{hint}Nothing was created or staged for {gun}."))
        })
    }

    /// A new collection as Docker makes it: the user's root key (the smallest root key ID,
    /// else a new one — one per trust dir even when several dct processes create collections
    /// at once), a targets key for this GUN (reused if an earlier attempt made one), the
    /// server's snapshot and timestamp keys.
    pub fn create_with(&mut self, reference: &Reference, server: ServerKeys) -> Result<Editor> {
        self.create_with_root(reference, server, None)
    }

    /// Like [`Writer::create_with`], with the root key on the PKCS#11 token `root` names when
    /// given (found there, or generated on it: see [`StoreKeys::token_key`]).
    pub fn create_with_root(
        &mut self,
        reference: &Reference,
        server: ServerKeys,
        root: Option<&Pkcs11Uri>,
    ) -> Result<Editor> {
        let gun = reference.name();
        let root_id = match root {
            Some(uri) => self.token_key(uri, roles::ROOT, None)?,
            None => self.root_key_id()?,
        };
        // Docker asks for the root key's passphrase first, then for the new repository key's.
        self.keys
            .private_key(roles::ROOT, &root_id)?
            .ok_or_else(|| Error::key(format!("root key {root_id} vanished")))?;
        let stored = self.keys.store().list()?;
        let targets_id = match stored
            .iter()
            .filter(|k| k.role == roles::TARGETS && k.gun == gun)
            .map(|k| &k.id)
            .min()
        {
            Some(id) => id.clone(),
            None => self.new_key(roles::TARGETS, Some(&gun))?,
        };
        let targets_pub = self
            .keys
            .private_key(roles::TARGETS, &targets_id)?
            .ok_or_else(|| Error::key(format!("targets key {targets_id} vanished")))?
            .public_key();
        let root_key = self
            .keys
            .private_key(roles::ROOT, &root_id)?
            .ok_or_else(|| Error::key(format!("root key {root_id} vanished")))?;
        Editor::init(
            &gun,
            root_key,
            &targets_pub,
            server.snapshot,
            server.timestamp,
            OffsetDateTime::now_utc(),
        )
    }

    /// The key on the PKCS#11 token `uri` names for `role` (found, or generated there and
    /// said so), recorded in the trust dir. Returns its ID.
    pub(crate) fn token_key(
        &mut self,
        uri: &Pkcs11Uri,
        role: &str,
        gun: Option<&str>,
    ) -> Result<String> {
        let trust = self.trust;
        let (id, created) = self.keys.token_key(uri, role, gun, &|| trust.lock())?;
        let key = self.keys.opened_token_key(&id).expect("just opened");
        let token = format!("PKCS#11 token \"{}\"", key.token_label());
        self.ui.progress(&if created {
            format!("Generated {role} key {id} on {token}: {}", key.uri())
        } else {
            format!("Using {role} key {id} on {token}")
        });
        Ok(id)
    }

    /// The user's root key: the smallest root key ID among the store's key files and the
    /// trust dir's token keys, else a new key file. The check and the creation happen under
    /// the trust dir's lock, so concurrent dct processes end up with one root key; the new
    /// key's passphrase is asked for before taking the lock.
    fn root_key_id(&mut self) -> Result<String> {
        let smallest = |keys: &StoreKeys| -> Result<Option<String>> {
            let files = keys.store().list()?.into_iter().map(|k| (k.role, k.id));
            let tokens = keys
                .token_records()
                .list()?
                .into_iter()
                .map(|k| (k.role, k.id));
            Ok(files
                .chain(tokens)
                .filter(|(role, _)| role == roles::ROOT)
                .map(|(_, id)| id)
                .min())
        };
        if let Some(id) = smallest(self.keys)? {
            return Ok(id);
        }
        let key = PrivateKey::generate_ecdsa();
        let pass = self.keys.retriever().new_passphrase(
            roles::ROOT,
            &key.id(),
            env_vars_for(roles::ROOT),
        )?;
        let _lock = self.trust.lock()?;
        if let Some(id) = smallest(self.keys)? {
            return Ok(id);
        }
        let path = store_new_key(self.keys.store(), &key, pass.as_bytes(), roles::ROOT, None)?;
        self.ui.progress(&root_key_created(&key.id(), &path));
        Ok(key.id())
    }

    /// Generates and stores a new ECDSA key for `role`, asking for its passphrase.
    fn new_key(&mut self, role: &str, gun: Option<&str>) -> Result<String> {
        self.store_key(PrivateKey::generate_ecdsa(), role, gun)
            .map(|k| k.id())
    }

    /// Stores `key` for `role` under a new passphrase (the role's variable or a prompt).
    pub(crate) fn store_key(
        &mut self,
        key: PrivateKey,
        role: &str,
        gun: Option<&str>,
    ) -> Result<PrivateKey> {
        let pass = self
            .keys
            .retriever()
            .new_passphrase(role, &key.id(), env_vars_for(role))?;
        let _lock = self.trust.lock()?;
        let path = store_new_key(self.keys.store(), &key, pass.as_bytes(), role, gun)?;
        if role == roles::ROOT {
            self.ui.progress(&root_key_created(&key.id(), &path));
        }
        Ok(key)
    }

    /// Takes the lock of the collection's writers in this trust dir (see
    /// [`TrustDir::collection_lock`]), saying so when another dct process holds it.
    pub fn lock(&self, reference: &Reference) -> Result<crate::fsutil::FileLock> {
        let gun = reference.name();
        self.trust.collection_lock(&gun, &|| {
            self.ui.progress(&format!(
                "Waiting for another dct process to finish writing {gun}..."
            ))
        })
    }

    /// The line added to a failure that left changes staged for the collection: how many, and
    /// how to publish them. `None` when nothing is staged.
    pub fn staged_note(&self, reference: &Reference) -> Option<String> {
        let gun = reference.name();
        let n = Changelist::open(self.trust.path(), &gun)
            .and_then(|cl| cl.list())
            .map(|l| l.len())
            .unwrap_or(0);
        (n > 0).then(|| {
            format!(
                "{n} change{} staged for {gun}: run `dct publish {gun}` to publish {} once the \
                 problem is fixed (`dct status {gun}` lists {})",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "it" } else { "them" },
                if n == 1 { "it" } else { "them" },
            )
        })
    }

    /// `e` with what the user needs next: the staged-changes note when changes are staged;
    /// for a network failure with the default trust server, how to name another.
    pub fn noting_staged(&self, reference: &Reference, e: Error) -> Error {
        let e = match self.staged_note(reference) {
            Some(note) => e.with_note(&note),
            None => e,
        };
        match self.default_server_hint(reference) {
            Some(hint) if e.exit_code() == crate::ExitCode::Network => e.with_note(&hint),
            _ => e,
        }
    }

    /// When no trust server was given: which one was used, and how to name another.
    fn default_server_hint(&self, reference: &Reference) -> Option<String> {
        if self.server.is_some() {
            return None;
        }
        let url = trust_server_url(None, None, reference.domain()).ok()?;
        Some(format!(
            "{} is the default trust server for {}: if yours is elsewhere, set --server or \
             DOCKER_CONTENT_TRUST_SERVER.",
            url.origin().ascii_serialization(),
            reference.domain()
        ))
    }

    /// Removes staged change files this run wrote (when they turned out to be the wrong ones).
    pub fn unstage(&self, files: &[PathBuf]) {
        for f in files {
            let _ = std::fs::remove_file(f);
        }
    }

    /// Stages `changes` in the collection's changelist (notary's format).
    /// A change identical to the latest one staged for the same role and path (a retried
    /// `dct sign`) is not staged twice; anything else is appended in order.
    pub fn stage(&self, reference: &Reference, changes: &[Change]) -> Result<Vec<PathBuf>> {
        let cl = Changelist::open(self.trust.path(), &reference.name())?;
        // Latest staged change per (role, type, path).
        let key = |c: &Change| (c.scope.clone(), c.kind.as_str(), c.path.clone());
        let mut latest: HashMap<_, Vec<u8>> = HashMap::new();
        for s in cl.list()? {
            latest.insert(key(&s.change), s.change.to_json());
        }
        let mut new = Vec::new();
        for c in changes {
            let json = c.to_json();
            if latest.get(&key(c)) != Some(&json) {
                latest.insert(key(c), json);
                new.push(c.clone());
            }
        }
        cl.add_all(&new)
    }

    /// Applies every staged change, then `changes`, to fresh trust data, signs, and uploads
    /// in one request. Staged changes are cleared only after the server accepted them; when
    /// another client published first (400 `VERSION`), the whole thing is redone on the new
    /// data, after a growing random pause, up to [`PUBLISH_TRIES`] times within
    /// [`RETRY_BUDGET`]. Nothing staged, no change and nothing else to sign: no request (a
    /// concurrent `dct sign` already published what this one staged).
    ///
    /// `changes` not staged yet are written to the changelist only if the publish fails (then
    /// `dct status` shows them and `dct publish` retries); the error then says so.
    pub fn publish(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        editor: Option<Editor>,
        changes: &[Change],
    ) -> Result<Published> {
        let result = self.publish_staged(reference, as_typed, editor, changes);
        let Err(e) = result else {
            return result;
        };
        // Bad input (a tag the role is not delegated, say) is not kept: it would only fail
        // again. Everything else (keys, network, auth, a refusing server) is.
        if matches!(e, Error::Invalid(_)) {
            return Err(e);
        }
        if !changes.is_empty()
            && let Err(e) = self.stage(reference, changes)
        {
            self.ui.warn(&format!(
                "could not stage the changes that failed to publish: {e}"
            ));
        }
        Err(self.noting_staged(reference, e))
    }

    fn publish_staged(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        editor: Option<Editor>,
        changes: &[Change],
    ) -> Result<Published> {
        let cl = Changelist::open(self.trust.path(), &reference.name())?;
        let mut editor = editor;
        let started = Instant::now();
        for attempt in 0..PUBLISH_TRIES {
            let mut ed = match editor.take() {
                Some(e) => e,
                None => self.open(reference, as_typed)?,
            };
            let t = Instant::now();
            let phase = |what: &str, t: Instant| {
                self.ui
                    .debug(&format!("{what} in {} ms", t.elapsed().as_millis()));
            };
            let initialized = ed.is_initial();
            let now = OffsetDateTime::now_utc();
            // Each staged change applied as it is read; only its file is kept (to remove it
            // once published).
            let staged = cl.each(|s| {
                ed.apply(&s.change, now).map_err(|e| {
                    Error::invalid(format!(
                        "cannot apply the staged change {}: {e}. Nothing was published; remove \
                         that file to drop the change",
                        s.path.display()
                    ))
                })
            })?;
            phase(
                &format!("read and applied {} staged changes", staged.len()),
                t,
            );
            for c in changes {
                ed.apply(c, now)?;
            }
            if staged.is_empty() && changes.is_empty() && !ed.is_dirty() {
                // Nothing to do: another dct process published what this one staged.
                return Ok(Published::default());
            }
            let (files, ed) = ed.sign_spent(self.keys, now)?;
            // The signed files are all that is uploaded; the editor (its maps) is not needed
            // any more, whatever the server answers.
            drop_in_background(ed);
            phase("applied and signed", t);
            let server = self.server(reference)?;
            match server.publish(&files) {
                Ok(()) => {
                    phase("published", t);
                    cl.remove_files(&staged)?;
                    phase("removed the published changes", t);
                    self.remember_published(reference, files);
                    phase("cached the published files", t);
                    return Ok(Published {
                        changes: staged.len() + changes.len(),
                        initialized,
                    });
                }
                Err(e) if is_conflict(&e) && attempt + 1 < PUBLISH_TRIES => {
                    let pause = backoff(attempt);
                    if started.elapsed() + pause > RETRY_BUDGET {
                        return Err(e);
                    }
                    self.ui.progress(&format!(
                        "dct: {e}; applying the changes to the new trust data in {} ms",
                        pause.as_millis()
                    ));
                    std::thread::sleep(pause);
                }
                Err(e) => return Err(e),
            }
        }
        Err(Error::Conflict(format!(
            "{} kept changing while dct published ({PUBLISH_TRIES} tries)",
            reference.name()
        )))
    }

    /// Keeps the targets and delegation files just published in the metadata cache, so the
    /// next read does not download them again (a 10,000-target file is 1 MB). Unlike notary,
    /// which leaves the cache alone on publish. Safe: a cached file is only ever used when its
    /// hash is the one the next verified snapshot names, and its signatures are checked again;
    /// root.json, the trust anchor, is never written here. A failure only costs a download.
    fn remember_published(&self, reference: &Reference, files: Vec<(String, Vec<u8>)>) {
        let keep: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter(|(role, _)| roles::is_under(role, roles::TARGETS))
            .collect();
        let gun = reference.name();
        let done = Cache::new(self.trust.path(), &gun).and_then(|c| c.commit(&keep));
        if let Err(e) = done {
            self.ui.progress(&format!(
                "dct: warning: could not cache what was published: {e}"
            ));
        }
    }

    /// HTTP requests sent so far in this run.
    pub fn request_count(&self) -> usize {
        self.http.request_count()
    }

    /// Whether this trust dir holds the private key with canonical ID `id`.
    pub(crate) fn has_key(&self, id: &str) -> bool {
        self.keys.has(id)
    }

    /// The trust server's public key of `role` for `reference` (`GET <role>.key`).
    pub(crate) fn rotate_server_key(&self, reference: &Reference, role: &str) -> Result<Key> {
        let bytes = self.server(reference)?.rotate_key(role)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Network(format!("trust server sent an unreadable {role} key: {e}")))
    }

    /// Deletes the collection's trust data on the server.
    pub(crate) fn delete_remote(&self, reference: &Reference) -> Result<()> {
        self.server(reference)?.delete()
    }
}

/// What to say when a new root key was made: where it is, and that it needs a backup.
pub(crate) fn root_key_created(id: &str, path: &std::path::Path) -> String {
    format!(
        "Created root key {} in {}: it is the key to every repository this trust dir creates, \
         and it cannot be recovered if lost. Back it up now: `dct key backup FILE`",
        &id[..id.len().min(12)],
        path.display()
    )
}

/// Frees `value` on a thread of its own: an editor of a 100,000-target repository takes a
/// noticeable time to free, which nobody needs to wait for (a process that exits first does
/// not free it at all).
fn drop_in_background<T: Send + 'static>(value: T) {
    // Without a thread, the closure and `value` are freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// The pause before publish try `attempt + 2`: 100 ms doubling each time, plus up to as much
/// again at random, so that clients that lost the same race do not collide again.
fn backoff(attempt: u32) -> Duration {
    let base = 100u64 << attempt.min(6);
    let mut r = [0u8; 2];
    let _ = getrandom::fill(&mut r);
    Duration::from_millis(base + u64::from(u16::from_le_bytes(r)) % (base + 1))
}

/// The canonical IDs of a delegation's keys (x509 → the key inside the certificate).
pub(crate) fn canonical_ids(keys: &[Key]) -> Vec<String> {
    keys.iter().filter_map(Key::canonical_id).collect()
}

/// Outcome of `dct publish`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishOutcome {
    /// Nothing was staged.
    NothingStaged,
    /// The staged changes were published.
    Published(Published),
}

/// `dct publish IMAGE`: publishes the changes staged for the repository.
pub fn publish(session: &mut Session, ui: &dyn Ui, repo: &RepoRef) -> Result<PublishOutcome> {
    let cl = Changelist::open(session.trust_dir().path(), &repo.gun())?;
    if cl.is_empty()? {
        return Ok(PublishOutcome::NothingStaged);
    }
    let mut w = Writer::new(session, ui)?;
    let _lock = w.lock(repo.reference())?;
    ui.progress(&format!("Pushing changes to {}", repo.gun()));
    let p = w.publish(repo.reference(), repo.as_typed(), None, &[])?;
    Ok(PublishOutcome::Published(p))
}
