//! Write use-cases: initialise a collection, stage and publish changes (notary's changelist),
//! sign tags with Docker's role rules, manage signers, revoke. Keys come from the shared key
//! store; passphrases from the environment or a prompt.

use std::collections::HashMap;

use crate::error::Result;
use crate::keys::passphrase::Retriever;
use crate::keys::private::PrivateKey;
use crate::keys::store::{Ask, KeyStore, unlock};
use crate::tuf::edit::KeyProvider;

/// Where [`StoreKeys`] sends warnings.
type Warn = Box<dyn Fn(&str)>;

/// Private keys from the key store, unlocked once per run.
pub struct StoreKeys {
    store: KeyStore,
    retriever: Retriever,
    unlocked: HashMap<String, PrivateKey>,
    /// Where the store's permission warnings go, once, when the first key is loaded.
    warn: Option<Warn>,
}

impl StoreKeys {
    /// Permission warnings go to stderr unless [`StoreKeys::warn_with`] says otherwise.
    pub fn new(store: KeyStore, retriever: Retriever) -> Self {
        StoreKeys {
            store,
            retriever,
            unlocked: HashMap::new(),
            warn: Some(Box::new(|w: &str| eprintln!("dct: warning: {w}"))),
        }
    }

    /// Sends the store's permission warnings ([`KeyStore::permission_warnings`]) to `warn`.
    pub fn warn_with(mut self, warn: impl Fn(&str) + 'static) -> Self {
        self.warn = Some(Box::new(warn));
        self
    }

    /// Whether the store holds key `id` (without unlocking it). A key file refused for its
    /// permissions counts as held, so that using it fails with the `chmod` advice (exit 2)
    /// rather than as a missing key.
    pub fn has(&self, id: &str) -> bool {
        match self.store.get(id) {
            Ok(found) => found.is_some(),
            Err(_) => self.store.is_refused(id),
        }
    }

    pub fn store(&self) -> &KeyStore {
        &self.store
    }

    pub fn retriever(&mut self) -> &mut Retriever {
        &mut self.retriever
    }
}

impl KeyProvider for StoreKeys {
    fn private_key(&mut self, _role: &str, id: &str) -> Result<Option<&PrivateKey>> {
        if let Some(warn) = self.warn.take() {
            for w in self.store.permission_warnings() {
                warn(&w);
            }
        }
        if !self.unlocked.contains_key(id) {
            let Some(stored) = self.store.get(id)? else {
                return Ok(None);
            };
            // The key file's own role header picks the passphrase (root, targets, or a signer
            // name → the repository passphrase), as in Docker.
            let key = unlock(
                &stored.block,
                &stored.role,
                id,
                &stored.path,
                &mut self.retriever,
                Ask::default(),
            )?;
            self.unlocked.insert(id.to_string(), key);
        }
        Ok(self.unlocked.get(id))
    }
}

use std::path::Path;

use time::OffsetDateTime;

use crate::error::Error;
use crate::keys::cert::canonical_key_id;
use crate::keys::passphrase::env_vars_for;
use crate::keys::store::store_new_key;
use crate::reference::Reference;
use crate::remote::Http;
use crate::remote::trust::{TrustServer, is_conflict, trust_server_url};
use crate::trust::{LoadError, ReadOptions, load_with};
use crate::tuf::changelist::{Change, Changelist};
use crate::tuf::client::{Repo, TufError};
use crate::tuf::edit::Editor;
use crate::tuf::meta::Key;
use crate::tuf::root::Pinning;

/// Everything a write needs: the run's HTTP client, the trust dir and server, the keys.
pub struct Writer<'a> {
    pub http: &'a Http,
    pub trust_dir: &'a Path,
    pub server: Option<&'a str>,
    pub pinning: &'a Pinning,
    pub keys: StoreKeys,
    /// Progress lines on stderr (silenced by `-q`).
    pub progress: &'a dyn Fn(&str),
}

/// What a publish did.
#[derive(Debug, Default)]
pub struct Published {
    /// Staged changes applied and cleared.
    pub changes: usize,
    /// The collection was created by this publish.
    pub initialized: bool,
}

impl Writer<'_> {
    fn server(&self, reference: &Reference) -> Result<TrustServer<'_>> {
        let url = trust_server_url(self.server, None, reference.domain())?;
        TrustServer::new(self.http, &url, &reference.name(), "push,pull")
    }

    /// The collection's verified trust data ready for editing, or a new collection when the
    /// server has none (Docker initialises on first sign or signer add).
    pub fn open(&mut self, reference: &Reference, as_typed: &str) -> Result<Editor> {
        match self.load(reference, as_typed)? {
            Some(repo) => Ok(Editor::from_repo(&repo)),
            None => self.initialize(reference),
        }
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
        let opts = ReadOptions {
            http: self.http,
            trust_dir: self.trust_dir,
            server: self.server,
            pinning: self.pinning,
        };
        match load_with(&opts, reference, actions) {
            Ok(repo) => {
                for w in &repo.warnings {
                    (self.progress)(&format!("dct: warning: {w}"));
                }
                Ok(Some(repo))
            }
            Err(LoadError::Tuf(TufError::RepositoryNotExist { .. })) => Ok(None),
            Err(LoadError::Tuf(e)) => Err(e.into_error(as_typed)),
            Err(LoadError::Other(e)) => Err(e),
        }
    }

    /// A new collection for `reference` (when [`Writer::load`] found none).
    pub fn create(&mut self, reference: &Reference) -> Result<Editor> {
        self.initialize(reference)
    }

    /// A new collection as Docker makes it: the user's root key (the smallest root key ID,
    /// else a new one), a targets key for this GUN (reused if an earlier attempt made one),
    /// snapshot and timestamp keys managed by the server.
    fn initialize(&mut self, reference: &Reference) -> Result<Editor> {
        let gun = reference.name();
        let stored = self.keys.store().list()?;
        let root_id = match stored
            .iter()
            .filter(|k| k.role == "root")
            .map(|k| &k.id)
            .min()
        {
            Some(id) => id.clone(),
            None => self.new_key("root", None)?,
        };
        let targets_id = match stored
            .iter()
            .filter(|k| k.role == "targets" && k.gun == gun)
            .map(|k| &k.id)
            .min()
        {
            Some(id) => id.clone(),
            None => self.new_key("targets", Some(&gun))?,
        };
        let server = self.server(reference)?;
        let server_key = |role: &str| -> Result<Key> {
            let bytes = server.get_key(role)?;
            serde_json::from_slice(&bytes).map_err(|e| {
                Error::Network(format!(
                    "trust server sent an unreadable {role} key for {gun}: {e}"
                ))
            })
        };
        let timestamp = server_key("timestamp")?;
        let snapshot = server_key("snapshot")?;
        let targets_pub = self
            .keys
            .private_key("targets", &targets_id)?
            .ok_or_else(|| Error::key(format!("targets key {targets_id} vanished")))?
            .public_key();
        let root_key = self
            .keys
            .private_key("root", &root_id)?
            .ok_or_else(|| Error::key(format!("root key {root_id} vanished")))?;
        Editor::init(
            &gun,
            root_key,
            &targets_pub,
            snapshot,
            timestamp,
            OffsetDateTime::now_utc(),
        )
    }

    /// Generates and stores a new ECDSA key for `role`, asking for its passphrase.
    fn new_key(&mut self, role: &str, gun: Option<&str>) -> Result<String> {
        self.store_key(PrivateKey::generate_ecdsa(), role, gun)
            .map(|k| k.id())
    }

    /// Stores `key` for `role` under a new passphrase (the role's variable or a prompt).
    fn store_key(&mut self, key: PrivateKey, role: &str, gun: Option<&str>) -> Result<PrivateKey> {
        let pass = self
            .keys
            .retriever()
            .new_passphrase(role, &key.id(), env_vars_for(role))?;
        let _lock = crate::fsutil::DirLock::acquire(self.trust_dir)?;
        store_new_key(self.keys.store(), &key, pass.as_bytes(), role, gun)?;
        Ok(key)
    }

    /// Stages `changes` in the collection's changelist (notary's format).
    /// A change identical to the latest one staged for the same role and path (a retried
    /// `dct sign`) is not staged twice; anything else is appended in order.
    pub fn stage(&self, reference: &Reference, changes: &[Change]) -> Result<()> {
        let cl = Changelist::open(self.trust_dir, &reference.name())?;
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
        cl.add_all(&new)?;
        Ok(())
    }

    /// Applies every staged change, then `changes`, to fresh trust data, signs, and uploads
    /// in one request. Staged changes are cleared only after the server accepted them; when
    /// another client published first, the whole thing is redone once on the new data.
    ///
    /// `changes` (the ones this command makes) are written to the changelist only if the
    /// publish fails — then `dct status` shows them and `dct publish` retries — so a
    /// successful `dct sign` of 1,000 tags creates no files (file creation dominated it).
    pub fn publish(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        editor: Option<Editor>,
        changes: &[Change],
    ) -> Result<Published> {
        let result = self.publish_staged(reference, as_typed, editor, changes);
        // Bad input (a tag the role is not delegated, say) is not kept: it would only fail
        // again. Everything else (keys, network, auth, a refusing server) is.
        if matches!(&result, Err(e) if !matches!(e, Error::Invalid(_)))
            && !changes.is_empty()
            && let Err(e) = self.stage(reference, changes)
        {
            (self.progress)(&format!(
                "dct: warning: could not stage the changes that failed to publish: {e}"
            ));
        }
        result
    }

    fn publish_staged(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        editor: Option<Editor>,
        changes: &[Change],
    ) -> Result<Published> {
        let cl = Changelist::open(self.trust_dir, &reference.name())?;
        let mut editor = editor;
        for attempt in 0..2 {
            let staged = cl.list()?;
            let mut ed = match editor.take() {
                Some(e) => e,
                None => self.open(reference, as_typed)?,
            };
            let initialized = ed.is_initial();
            let now = OffsetDateTime::now_utc();
            for s in &staged {
                ed.apply(&s.change, now).map_err(|e| {
                    Error::invalid(format!(
                        "cannot apply the staged change {}: {e}. Nothing was published; remove \
                         that file to drop the change",
                        s.path.display()
                    ))
                })?;
            }
            for c in changes {
                ed.apply(c, now)?;
            }
            let files = ed.sign(&mut self.keys, now)?;
            let server = self.server(reference)?;
            match server.publish(&files) {
                Ok(()) => {
                    cl.remove(&staged)?;
                    self.remember_published(reference, &files);
                    return Ok(Published {
                        changes: staged.len() + changes.len(),
                        initialized,
                    });
                }
                Err(e) if is_conflict(&e) && attempt == 0 => {
                    (self.progress)(&format!(
                        "dct: {e}; applying the changes to the new trust data"
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        Err(Error::Other(format!(
            "{} kept changing while dct published; the changes are staged: run `dct publish {as_typed}` again",
            reference.name()
        )))
    }

    /// Keeps the targets and delegation files just published in the metadata cache, so the
    /// next read does not download them again (a 10,000-target file is 1 MB). Unlike notary,
    /// which leaves the cache alone on publish. Safe: a cached file is only ever used when its
    /// hash is the one the next verified snapshot names, and its signatures are checked again;
    /// root.json, the trust anchor, is never written here. A failure only costs a download.
    fn remember_published(&self, reference: &Reference, files: &[(String, Vec<u8>)]) {
        let keep: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(role, _)| role == "targets" || role.starts_with("targets/"))
            .cloned()
            .collect();
        let gun = reference.name();
        let done =
            crate::tuf::cache::Cache::new(self.trust_dir, &gun).and_then(|c| c.commit(&keep));
        if let Err(e) = done {
            (self.progress)(&format!(
                "dct: warning: could not cache what was published: {e}"
            ));
        }
    }

    /// Whether this trust dir holds the private key with canonical ID `id`.
    pub fn has_key(&self, id: &str) -> bool {
        self.keys.has(id)
    }
}

/// The canonical IDs of a delegation's keys (x509 → the key inside the certificate).
pub fn canonical_ids(keys: &[Key]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| {
            let kt = k.keytype()?;
            canonical_key_id(&crate::keys::private::PublicKey::new(kt, k.public.clone())).ok()
        })
        .collect()
}

impl Writer<'_> {
    /// Rotates the key of base role `role` (§7.5) and publishes at once: `root` gets a new key
    /// and certificate and the new root is signed by the old and the new root keys (clients
    /// with the old root follow); `targets` gets a new local key (or `key`) and is re-signed
    /// with it; `snapshot` moves to a new local key, or to the server with `server_managed`;
    /// `timestamp` is always the server's. Returns the new key's ID. Old non-root keys are
    /// deleted from the key store after the publish, as notary does.
    pub fn rotate(
        &mut self,
        reference: &Reference,
        as_typed: &str,
        role: &str,
        server_managed: bool,
        key: Option<PrivateKey>,
    ) -> Result<String> {
        let gun = reference.name();
        let repo = self.load(reference, as_typed)?.ok_or_else(|| {
            Error::NotSigned(format!(
                "remote trust data does not exist for {as_typed}: nothing to rotate"
            ))
        })?;
        let mut editor = Editor::from_repo(&repo);
        let old: Vec<String> = editor
            .role_keys(role)
            .map(|(k, _)| {
                k.values()
                    .filter_map(crate::tuf::edit::canonical_of)
                    .collect()
            })
            .unwrap_or_default();
        let local = |w: &mut Self, key: Option<PrivateKey>| -> Result<PrivateKey> {
            let key = key.unwrap_or_else(PrivateKey::generate_ecdsa);
            w.store_key(key, role, (role != "root").then_some(gun.as_str()))
        };
        let (new_key, new_id) = match (role, server_managed) {
            ("root", false) => {
                let k = local(self, key)?;
                let cert =
                    crate::keys::cert::root_certificate(&k, &gun, std::time::SystemTime::now())?;
                let id = k.id();
                (Key::from(&crate::keys::cert::x509_public_key(&cert)), id)
            }
            ("targets" | "snapshot", false) => {
                let k = local(self, key)?;
                (Key::from(&k.public_key()), k.id())
            }
            ("snapshot" | "timestamp", true) | ("timestamp", false) => {
                if key.is_some() {
                    return Err(Error::invalid(format!(
                        "the {role} key is managed by the server: --key cannot be used"
                    )));
                }
                let bytes = self.server(reference)?.rotate_key(role)?;
                let k: Key = serde_json::from_slice(&bytes).map_err(|e| {
                    Error::Network(format!("trust server sent an unreadable {role} key: {e}"))
                })?;
                let id = k.id();
                (k, id)
            }
            (r, true) => {
                return Err(Error::invalid(format!(
                    "notary does not permit the server managing the {r} key"
                )));
            }
            (r, false) => {
                return Err(Error::invalid(format!(
                    "{r} is not a base role (root, targets, snapshot, timestamp): signer keys \
                     change with dct signer add/remove"
                )));
            }
        };
        editor.replace_base_role_keys(role, vec![new_key])?;
        self.publish(reference, as_typed, Some(editor), &[])?;
        if role != "root" {
            for id in old.iter().filter(|id| **id != new_id) {
                if let Ok(Some(k)) = self.keys.store().get(id) {
                    let _ = self.keys.store().remove(&k);
                }
            }
        }
        Ok(new_id)
    }

    /// Removes the collection's local trust data (`<trust dir>/tuf/<GUN>/`: cached metadata and
    /// staged changes; keys stay) and, with `remote`, the server's.
    pub fn delete(&mut self, reference: &Reference, remote: bool) -> Result<()> {
        let gun = reference.name();
        if remote {
            self.server(reference)?.delete()?;
        }
        let dir = self.trust_dir.join("tuf").join(&gun);
        crate::tuf::cache::Cache::new(self.trust_dir, &gun)?; // validates the GUN as a path
        if dir.exists() {
            let _lock = crate::fsutil::DirLock::acquire(self.trust_dir)?;
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot remove", &dir, e))?;
        }
        Ok(())
    }
}
