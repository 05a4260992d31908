//! Editing a collection as notary's publish does (spec §7): start from verified trust data (or a
//! fresh initialisation), apply target and delegation changes, then re-sign what changed —
//! version + 1, new expiry, signatures by the keys this machine holds — and produce the exact
//! files to upload. The server hashes its own re-serialisation of every file (§3.9), so every
//! file is written the way notary's Go structs serialise.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

use super::changelist::{Action, Change, ChangeType};
use super::client::Repo;
use super::meta::{
    DelegatedRole, Delegations, FileMeta, Key, MetaList, RoleKeys, Root, Targets, canonical_bytes,
    envelope_bytes,
};
use super::sign::signature_by;
use crate::error::{Error, Result};
use crate::keys::cert::{root_certificate, x509_public_key};
use crate::keys::private::PublicKey;
use crate::keys::signer::KeySigner;
use crate::roles::{is_delegation_name, parent_role};

/// Default expiries (notary's): root 10 years, targets/delegations and snapshot 3 years.
pub const ROOT_EXPIRY: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// Default expiry of targets, delegations and snapshot (3 years).
pub const TARGETS_EXPIRY: Duration = Duration::from_secs(3 * 365 * 24 * 3600);
/// Root is re-signed on publish when it expires within six months.
const ROOT_RENEW: Duration = Duration::from_secs(182 * 24 * 3600);

/// Where private keys come from when signing: this machine's key store (passphrases from the
/// environment or a prompt) and its PKCS#11 token keys (PIN from the environment or a prompt).
/// `id` is the canonical key ID (the key file's name).
pub trait KeyProvider {
    /// The signer of key `id` for `role`; `Ok(None)` if this machine does not have it.
    fn private_key(&mut self, role: &str, id: &str) -> Result<Option<&dyn KeySigner>>;
}

/// Whole seconds in UTC: what Go prints back unchanged (§3.9).
fn expiry(now: OffsetDateTime, after: Duration) -> OffsetDateTime {
    let t = now + after;
    t.replace_nanosecond(0).expect("0 is a valid nanosecond")
}

/// Signed files to upload: (role name, exact bytes), in upload order.
pub type SignedFiles = Vec<(String, Vec<u8>)>;

/// A targets role being edited.
#[derive(Debug, Clone)]
struct Role {
    signed: Targets,
    /// The file as loaded (None for a role created in this edit).
    bytes: Option<Vec<u8>>,
    dirty: bool,
}

/// A collection being edited.
pub struct Editor {
    gun: String,
    root: Root,
    root_bytes: Vec<u8>,
    /// First publish of this collection: root and targets are uploaded whatever changed.
    initial: bool,
    roles: BTreeMap<String, Role>,
    snapshot: Option<MetaList>,
    /// Base-role keys were replaced: root must be re-signed.
    root_dirty: bool,
    /// The root role before a root key rotation: the new root must be signed by these keys
    /// (to the old threshold) as well, so clients holding the old root follow it (§6.4).
    previous_root_role: Option<(BTreeMap<String, Key>, i64)>,
}

impl Editor {
    /// Starts from verified trust data, read in full (`Updater::update`): a repository read
    /// for lookups has no targets maps to edit, and publishing from it would drop every
    /// target, so it is refused with a panic (a bug, never input).
    pub fn from_repo(repo: &Repo) -> Editor {
        assert!(
            repo.roles.iter().all(|r| r.index.is_none()),
            "a repository read for lookups cannot be edited"
        );
        let roles = repo
            .roles
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    Role {
                        signed: r.env.signed.clone(),
                        bytes: Some(r.env.bytes.clone()),
                        dirty: false,
                    },
                )
            })
            .collect();
        Editor {
            gun: repo.gun.clone(),
            root: repo.root.signed.clone(),
            root_bytes: repo.root.bytes.clone(),
            initial: false,
            roles,
            snapshot: Some(repo.snapshot.signed.clone()),
            root_dirty: false,
            previous_root_role: None,
        }
    }

    /// [`Editor::from_repo`] taking the repository, so that its maps and files are moved, not
    /// copied (a 100,000-target file is 10 MB and a map of 100,000 entries).
    pub fn from_repo_owned(repo: Repo) -> Editor {
        assert!(
            repo.roles.iter().all(|r| r.index.is_none()),
            "a repository read for lookups cannot be edited"
        );
        let roles = repo
            .roles
            .into_iter()
            .map(|r| {
                (
                    r.name,
                    Role {
                        signed: r.env.signed,
                        bytes: Some(r.env.bytes),
                        dirty: false,
                    },
                )
            })
            .collect();
        Editor {
            gun: repo.gun,
            root: repo.root.signed,
            root_bytes: repo.root.bytes,
            initial: false,
            roles,
            snapshot: Some(repo.snapshot.signed),
            root_dirty: false,
            previous_root_role: None,
        }
    }

    /// A new collection as Docker initialises it: a certificate for the root key (CN = GUN),
    /// a local targets key, server-managed snapshot and timestamp keys; root v1 signed now,
    /// empty targets signed at publish.
    pub fn init(
        gun: &str,
        root_key: &dyn KeySigner,
        targets_key: &PublicKey,
        snapshot_key: Key,
        timestamp_key: Key,
        now: OffsetDateTime,
    ) -> Result<Editor> {
        let cert = root_certificate(root_key, gun, SystemTime::from(now))?;
        let root_pub = Key::from(&x509_public_key(&cert));
        let targets_pub = Key::from(targets_key);
        let mut keys = BTreeMap::new();
        let mut roles = BTreeMap::new();
        for (name, key) in [
            ("root", &root_pub),
            ("targets", &targets_pub),
            ("snapshot", &snapshot_key),
            ("timestamp", &timestamp_key),
        ] {
            keys.insert(key.id(), key.clone());
            roles.insert(
                name.to_string(),
                RoleKeys {
                    keyids: Some(vec![key.id()]),
                    threshold: 1,
                },
            );
        }
        let root = Root {
            type_: "Root".into(),
            consistent_snapshot: false,
            expires: expiry(now, ROOT_EXPIRY),
            keys,
            roles,
            version: 1,
        };
        let canonical = canonical_bytes(&root);
        let sig = signature_by(&root_pub.id(), root_key, &canonical)?;
        let root_bytes = envelope_bytes(&canonical, &[sig]);
        let targets = Targets {
            type_: "Targets".into(),
            delegations: Delegations::default(),
            expires: expiry(now, TARGETS_EXPIRY),
            targets: BTreeMap::new(),
            version: 0,
        };
        Ok(Editor {
            gun: gun.to_string(),
            root,
            root_bytes,
            initial: true,
            roles: BTreeMap::from([(
                "targets".to_string(),
                Role {
                    signed: targets,
                    bytes: None,
                    dirty: true,
                },
            )]),
            snapshot: None,
            root_dirty: false,
            previous_root_role: None,
        })
    }

    /// The collection edited.
    pub fn gun(&self) -> &str {
        &self.gun
    }

    /// Whether the collection is new (no trust data on the server yet).
    pub fn is_initial(&self) -> bool {
        self.initial
    }

    /// The root as edited so far.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The verified root bytes (what an initial publish uploads and the cache keeps).
    pub fn root_bytes(&self) -> &[u8] {
        &self.root_bytes
    }

    /// The signed state of a targets role, if it exists or was created in this edit.
    pub fn targets(&self, role: &str) -> Option<&Targets> {
        self.roles.get(role).map(|r| &r.signed)
    }

    /// Every delegation declared in the loaded roles: (name, its entry, its parent's keys).
    pub fn delegations(&self) -> Vec<(&DelegatedRole, &BTreeMap<String, Key>)> {
        let mut out = Vec::new();
        for role in self.roles.values() {
            for d in &role.signed.delegations.roles {
                out.push((d, &role.signed.delegations.keys));
            }
        }
        out
    }

    /// The declaration of delegation `name` in its parent.
    fn declaration(&self, name: &str) -> Option<&DelegatedRole> {
        self.roles
            .get(parent_role(name))?
            .signed
            .delegations
            .roles
            .iter()
            .find(|d| d.name == name)
    }

    /// The paths `role` may sign, restricted by every ancestor (`[""]` for targets).
    pub fn allowed_paths(&self, role: &str) -> Vec<String> {
        if role == "targets" {
            return vec![String::new()];
        }
        let Some(decl) = self.declaration(role) else {
            return Vec::new();
        };
        let parent = self.allowed_paths(parent_role(role));
        decl.paths
            .iter()
            .filter(|p| parent.iter().any(|pp| p.starts_with(pp.as_str())))
            .cloned()
            .collect()
    }

    /// The role's keys (TUF ID → key) and threshold, from root or the parent delegation.
    pub fn role_keys(&self, role: &str) -> Option<(BTreeMap<String, Key>, i64)> {
        let (ids, keys, threshold) = match role {
            "root" | "targets" | "snapshot" | "timestamp" => {
                let r = self.root.roles.get(role)?;
                (r.ids().to_vec(), &self.root.keys, r.threshold)
            }
            _ => {
                let d = self.declaration(role)?;
                let parent = &self.roles.get(parent_role(role))?.signed.delegations.keys;
                (d.ids().to_vec(), parent, d.threshold)
            }
        };
        let map = ids
            .iter()
            .filter_map(|id| keys.get(id).map(|k| (id.clone(), k.clone())))
            .collect();
        Some((map, threshold))
    }

    /// A role's targets, creating the (empty) delegation file on first use as notary does.
    fn role_mut(&mut self, role: &str, now: OffsetDateTime) -> Result<&mut Role> {
        if role != "targets" && self.declaration(role).is_none() {
            return Err(Error::invalid(format!(
                "{} has no role {role}: add the signer first (dct signer add)",
                self.gun
            )));
        }
        Ok(self.roles.entry(role.to_string()).or_insert_with(|| Role {
            signed: Targets {
                type_: "Targets".into(),
                delegations: Delegations::default(),
                expires: expiry(now, TARGETS_EXPIRY),
                targets: BTreeMap::new(),
                version: 0,
            },
            bytes: None,
            dirty: false,
        }))
    }

    /// Adds (or replaces) target `name` in `role`, which must be delegated that path.
    pub fn add_target(
        &mut self,
        role: &str,
        name: &str,
        meta: FileMeta,
        now: OffsetDateTime,
    ) -> Result<()> {
        if !self
            .allowed_paths(role)
            .iter()
            .any(|p| name.starts_with(p.as_str()))
            && role != "targets"
        {
            return Err(Error::invalid(format!(
                "cannot sign {name} into {role} of {}: the role is not delegated that name",
                self.gun
            )));
        }
        let r = self.role_mut(role, now)?;
        if r.signed.targets.get(name) != Some(&meta) {
            r.signed.targets.insert(name.to_string(), meta);
            r.dirty = true;
        }
        Ok(())
    }

    /// Removes target `name` from `role`; true if it was there.
    pub fn remove_target(&mut self, role: &str, name: &str) -> bool {
        let Some(r) = self.roles.get_mut(role) else {
            return false;
        };
        let removed = r.signed.targets.remove(name).is_some();
        r.dirty |= removed;
        removed
    }

    /// Creates delegation `role` or merges `keys` into it (notary's "create" change), with
    /// `threshold` when given.
    pub fn add_delegation_keys(
        &mut self,
        role: &str,
        keys: &[Key],
        threshold: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let parent = self.delegation_parent(role, now)?;
        let entry = match parent
            .signed
            .delegations
            .roles
            .iter_mut()
            .find(|d| d.name == role)
        {
            Some(e) => e,
            None => {
                parent.signed.delegations.roles.push(DelegatedRole {
                    keyids: None,
                    name: role.to_string(),
                    paths: Vec::new(),
                    threshold: threshold.unwrap_or(1),
                });
                parent
                    .signed
                    .delegations
                    .roles
                    .last_mut()
                    .expect("just pushed")
            }
        };
        let mut ids = entry.keyids.take().unwrap_or_default();
        for k in keys {
            let id = k.id();
            if !ids.contains(&id) {
                ids.push(id.clone());
            }
            parent.signed.delegations.keys.insert(id, k.clone());
        }
        entry.keyids = (!ids.is_empty()).then_some(ids);
        if let Some(t) = threshold {
            entry.threshold = t;
        }
        parent.dirty = true;
        Ok(())
    }

    /// Adds delegated paths to `role` (which must exist).
    pub fn add_delegation_paths(
        &mut self,
        role: &str,
        paths: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let parent = self.delegation_parent(role, now)?;
        let entry = existing(parent, role)?;
        for p in paths {
            if !entry.paths.contains(p) {
                entry.paths.push(p.clone());
            }
        }
        parent.dirty = true;
        Ok(())
    }

    /// Removes keys (canonical or TUF IDs) from `role`; keys no longer used are pruned from
    /// the parent. The role stays, possibly with no keys (`keyids: null`).
    pub fn remove_delegation_keys(
        &mut self,
        role: &str,
        ids: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let parent = self.delegation_parent(role, now)?;
        let keys = parent.signed.delegations.keys.clone();
        let entry = existing(parent, role)?;
        let before = entry.ids().len();
        let kept: Vec<String> = entry
            .ids()
            .iter()
            .filter(|id| {
                let canonical = keys
                    .get(*id)
                    .and_then(Key::canonical_id)
                    .unwrap_or_else(|| (*id).clone());
                !ids.contains(id) && !ids.contains(&canonical)
            })
            .cloned()
            .collect();
        if kept.len() != before {
            entry.keyids = (!kept.is_empty()).then_some(kept);
            prune_keys(&mut parent.signed.delegations);
            parent.dirty = true;
        }
        Ok(())
    }

    /// Deletes delegation `role` (and, as notary does, its whole entry from the parent).
    pub fn delete_delegation(&mut self, role: &str, now: OffsetDateTime) -> Result<bool> {
        let parent = self.delegation_parent(role, now)?;
        let before = parent.signed.delegations.roles.len();
        parent.signed.delegations.roles.retain(|d| d.name != role);
        let removed = parent.signed.delegations.roles.len() != before;
        if removed {
            prune_keys(&mut parent.signed.delegations);
            parent.dirty = true;
            let prefix = format!("{role}/");
            self.roles
                .retain(|name, _| name != role && !name.starts_with(&prefix));
        }
        Ok(removed)
    }

    /// Removes delegated paths from `role`, or all of them.
    pub fn remove_delegation_paths(
        &mut self,
        role: &str,
        paths: &[String],
        clear: bool,
        now: OffsetDateTime,
    ) -> Result<()> {
        let parent = self.delegation_parent(role, now)?;
        let entry = existing(parent, role)?;
        let before = entry.paths.len();
        entry.paths.retain(|p| !clear && !paths.contains(p));
        parent.dirty |= entry_changed(before, parent, role);
        Ok(())
    }

    /// Re-signs `role` unchanged (notary's witness).
    pub fn witness(&mut self, role: &str, now: OffsetDateTime) -> Result<()> {
        self.role_mut(role, now)?.dirty = true;
        Ok(())
    }

    /// Applies one staged change (notary's changelist semantics, §5.2 / §7.2).
    pub fn apply(&mut self, change: &Change, now: OffsetDateTime) -> Result<()> {
        let scope = change.scope.as_str();
        match (change.kind, change.action) {
            (ChangeType::Target, Action::Delete) => {
                self.remove_target(scope, &change.path);
                Ok(())
            }
            (ChangeType::Target, _) => {
                let meta = change.target_payload()?;
                self.add_target(scope, &change.path, meta, now)
            }
            (ChangeType::Delegation, Action::Delete) => {
                self.delete_delegation(scope, now).map(|_| ())
            }
            (ChangeType::Delegation, action) => {
                let p = change.delegation_payload()?;
                if scope == "targets/*" {
                    let names: Vec<String> = self
                        .delegations()
                        .into_iter()
                        .map(|(d, _)| d.name.clone())
                        .collect();
                    for name in names {
                        self.remove_delegation_keys(&name, &p.remove_keys, now)?;
                    }
                    return Ok(());
                }
                let exists = self.declaration(scope).is_some();
                if !exists && action == Action::Update {
                    return Err(Error::invalid(format!(
                        "cannot update delegation {scope} of {}: it does not exist",
                        self.gun
                    )));
                }
                let threshold = (p.threshold > 0).then_some(i64::from(p.threshold));
                if !p.add_keys.is_empty() || !exists || threshold.is_some() {
                    self.add_delegation_keys(scope, &p.add_keys, threshold, now)?;
                }
                if !p.remove_keys.is_empty() {
                    self.remove_delegation_keys(scope, &p.remove_keys, now)?;
                }
                if p.clear_paths || !p.remove_paths.is_empty() {
                    self.remove_delegation_paths(scope, &p.remove_paths, p.clear_paths, now)?;
                }
                if !p.add_paths.is_empty() {
                    self.add_delegation_paths(scope, &p.add_paths, now)?;
                }
                Ok(())
            }
            (ChangeType::Witness, _) => self.witness(scope, now),
            (ChangeType::Role, _) => Err(Error::invalid(format!(
                "staged change for {scope}/{} replaces base-role keys, which dct does not apply \
                 from a changelist yet: publish it with notary, or remove the file",
                change.path
            ))),
        }
    }

    fn delegation_parent(&mut self, role: &str, now: OffsetDateTime) -> Result<&mut Role> {
        if !is_delegation_name(role) {
            return Err(Error::invalid(format!(
                "{role} is not a valid delegation name"
            )));
        }
        self.role_mut(parent_role(role), now)
    }

    /// Re-signs everything that changed and returns the files to upload (root first), as
    /// notary's publish does. Signatures come from `keys`; a role this machine cannot sign to
    /// its threshold is an error naming it.
    pub fn sign(&mut self, keys: &mut dyn KeyProvider, now: OffsetDateTime) -> Result<SignedFiles> {
        self.sign_keeping(keys, now, true)
    }

    /// [`Editor::sign`] for an editor that is dropped afterwards (a publish): the signed targets
    /// files move out of it instead of being copied — a 100,000-target file is 10 MB.
    pub fn sign_spent(
        mut self,
        keys: &mut dyn KeyProvider,
        now: OffsetDateTime,
    ) -> Result<(SignedFiles, Editor)> {
        let files = self.sign_keeping(keys, now, false)?;
        Ok((files, self))
    }

    fn sign_keeping(
        &mut self,
        keys: &mut dyn KeyProvider,
        now: OffsetDateTime,
        keep: bool,
    ) -> Result<SignedFiles> {
        let mut files = Vec::new();
        if self.root_dirty || self.root.expires < now + ROOT_RENEW {
            self.root.version += 1;
            self.root.expires = expiry(now, ROOT_EXPIRY);
            self.root_bytes = self.sign_root(keys)?;
            self.root_dirty = false;
            self.previous_root_role = None;
            files.push(("root".to_string(), self.root_bytes.clone()));
        } else if self.initial {
            files.push(("root".to_string(), self.root_bytes.clone()));
        }
        let dirty: Vec<String> = self
            .roles
            .iter()
            .filter(|(_, r)| r.dirty || r.bytes.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        // Parents before children does not matter for signing; keep a stable order.
        let mut signed_roles = Vec::with_capacity(dirty.len());
        for name in dirty {
            // Taken out and put back rather than cloned (a large role is a large map); its
            // signing keys come from its parent or the root, never from the role itself.
            let role = self.roles.get_mut(&name).expect("listed above");
            let placeholder = Targets {
                type_: String::new(),
                delegations: Delegations::default(),
                expires: role.signed.expires,
                targets: BTreeMap::new(),
                version: 0,
            };
            let mut signed = std::mem::replace(&mut role.signed, placeholder);
            let before = (signed.version, signed.expires);
            signed.version += 1;
            signed.expires = expiry(now, TARGETS_EXPIRY);
            let result = self.sign_role(&name, &signed, keys);
            let role = self.roles.get_mut(&name).expect("listed above");
            let bytes = match result {
                Ok(bytes) => bytes,
                Err(e) => {
                    (signed.version, signed.expires) = before;
                    role.signed = signed;
                    return Err(e);
                }
            };
            role.signed = signed;
            role.bytes = Some(bytes);
            role.dirty = false;
            signed_roles.push(name);
        }
        // The snapshot hashes the roles' bytes first; then they are handed over.
        let snapshot = self.local_snapshot(keys, now)?;
        for name in signed_roles {
            let role = self.roles.get_mut(&name).expect("signed above");
            let bytes = if keep {
                role.bytes.clone()
            } else {
                role.bytes.take()
            };
            files.push((name, bytes.expect("signed above")));
        }
        if let Some(snapshot) = snapshot {
            files.push(("snapshot".to_string(), snapshot));
        }
        self.initial = false;
        Ok(files)
    }

    /// Replaces the keys of base role `role` in root (notary's key rotation, §7.5). Old keys of
    /// other roles leave root's key list; old root certificates stay in it, as notary keeps
    /// them. The role's metadata is re-signed with the new keys at the next [`Editor::sign`].
    pub fn replace_base_role_keys(&mut self, role: &str, keys: Vec<Key>) -> Result<()> {
        if !matches!(role, "root" | "targets" | "snapshot" | "timestamp") {
            return Err(Error::invalid(format!(
                "{role} is not a base role: delegation keys are managed with dct signer"
            )));
        }
        if keys.is_empty() {
            return Err(Error::invalid(format!("no new key for {role}")));
        }
        if role == "root" && self.previous_root_role.is_none() {
            self.previous_root_role = self.role_keys("root");
        }
        let old: Vec<String> = self
            .root
            .roles
            .get(role)
            .map(|r| r.ids().to_vec())
            .unwrap_or_default();
        let ids: Vec<String> = keys.iter().map(Key::id).collect();
        for k in keys {
            self.root.keys.insert(k.id(), k);
        }
        let entry = self.root.roles.entry(role.to_string()).or_insert(RoleKeys {
            keyids: None,
            threshold: 1,
        });
        entry.keyids = Some(ids);
        if role != "root" {
            let used: BTreeSet<String> = self
                .root
                .roles
                .values()
                .flat_map(|r| r.ids().to_vec())
                .collect();
            for id in old {
                if !used.contains(&id) {
                    self.root.keys.remove(&id);
                }
            }
        }
        if role == "targets"
            && let Some(t) = self.roles.get_mut("targets")
        {
            t.dirty = true;
        }
        self.root_dirty = true;
        Ok(())
    }

    /// Signs root with its keys and, after a root rotation, the previous root keys too; each
    /// set must meet its own threshold with keys this machine holds.
    fn sign_root(&self, keys: &mut dyn KeyProvider) -> Result<Vec<u8>> {
        let canonical = canonical_bytes(&self.root);
        let mut sets = vec![
            self.role_keys("root")
                .ok_or_else(|| Error::invalid(format!("{} has no root role", self.gun)))?,
        ];
        sets.extend(self.previous_root_role.clone());
        let mut sigs: Vec<super::meta::Signature> = Vec::new();
        for (i, (role_keys, threshold)) in sets.iter().enumerate() {
            let mut count = 0;
            for (tuf_id, key) in role_keys {
                let Some(id) = key.canonical_id() else {
                    continue;
                };
                if let Some(private) = keys.private_key("root", &id)? {
                    count += 1;
                    if !sigs.iter().any(|s| &s.keyid == tuf_id) {
                        sigs.push(signature_by(tuf_id, private, &canonical)?);
                    }
                }
            }
            if count == 0 || (count as i64) < *threshold {
                let which = if i == 0 { "new" } else { "current" };
                return Err(Error::key(format!(
                    "could not find signing keys for remote repository {}: the {which} root needs \
                     {threshold} of its keys, and {count} of them are in this trust dir",
                    self.gun
                )));
            }
        }
        Ok(envelope_bytes(&canonical, &sigs))
    }

    /// A new snapshot when this machine holds the snapshot key (notary-initialised
    /// collections); `None` when the server manages it (Docker's collections).
    fn local_snapshot(
        &mut self,
        keys: &mut dyn KeyProvider,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>> {
        let Some((role_keys, _)) = self.role_keys("snapshot") else {
            return Ok(None);
        };
        let mut held = false;
        for key in role_keys.values() {
            if let Some(id) = key.canonical_id()
                && keys.private_key("snapshot", &id)?.is_some()
            {
                held = true;
            }
        }
        if !held {
            return Ok(None);
        }
        let mut snap = self.snapshot.clone().unwrap_or(MetaList {
            type_: "Snapshot".into(),
            expires: now,
            meta: BTreeMap::new(),
            version: 0,
        });
        snap.meta
            .insert("root".into(), FileMeta::of(&self.root_bytes));
        for (name, role) in &self.roles {
            if let Some(bytes) = &role.bytes {
                snap.meta.insert(name.clone(), FileMeta::of(bytes));
            }
        }
        let live: BTreeSet<&String> = self.roles.keys().collect();
        snap.meta.retain(|name, _| {
            name == "root" || live.contains(name) || !name.starts_with("targets")
        });
        snap.version += 1;
        snap.expires = expiry(now, TARGETS_EXPIRY);
        let bytes = self.sign_role("snapshot", &snap, keys)?;
        self.snapshot = Some(snap);
        Ok(Some(bytes))
    }

    /// Signs `signed` with every key of `role` this machine holds; errors below threshold.
    fn sign_role<T: serde::Serialize>(
        &self,
        role: &str,
        signed: &T,
        keys: &mut dyn KeyProvider,
    ) -> Result<Vec<u8>> {
        let (role_keys, threshold) = self
            .role_keys(role)
            .ok_or_else(|| Error::invalid(format!("{} has no role {role}", self.gun)))?;
        let canonical = canonical_bytes(signed);
        let mut sigs = Vec::new();
        for (tuf_id, key) in &role_keys {
            let Some(id) = key.canonical_id() else {
                continue;
            };
            if let Some(private) = keys.private_key(role, &id)? {
                sigs.push(signature_by(tuf_id, private, &canonical)?);
            }
        }
        if sigs.is_empty() || (sigs.len() as i64) < threshold {
            let ids: Vec<String> = role_keys.values().filter_map(Key::canonical_id).collect();
            return Err(Error::key(format!(
                "could not find signing keys for remote repository {}: {role} needs {} of the \
                 keys {}, and {} of them are in this trust dir",
                self.gun,
                threshold,
                ids.join(", "),
                sigs.len()
            )));
        }
        Ok(envelope_bytes(&canonical, &sigs))
    }

    /// Whether anything would be uploaded besides an unchanged root.
    pub fn is_dirty(&self) -> bool {
        self.initial || self.root_dirty || self.roles.values().any(|r| r.dirty || r.bytes.is_none())
    }

    /// Delegations directly under `targets` whose paths allow `target` and for which this
    /// machine holds a key (Docker's "signable roles"); `targets` itself when the collection has
    /// no delegations at all.
    pub fn signable_roles(
        &self,
        target: &str,
        has_key: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<String>> {
        signable_roles(
            &self.gun,
            &self.roles["targets"].signed.delegations,
            target,
            has_key,
        )
    }
}

/// Docker's signable roles for `target` given the delegations of `targets` (see
/// [`Editor::signable_roles`]).
pub fn signable_roles(
    gun: &str,
    top: &Delegations,
    target: &str,
    has_key: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>> {
    {
        if top.roles.is_empty() {
            return Ok(vec!["targets".into()]);
        }
        let out: Vec<String> = top
            .roles
            .iter()
            .filter(|d| d.paths.iter().any(|p| target.starts_with(p.as_str())))
            .filter(|d| {
                d.ids()
                    .iter()
                    .filter_map(|id| top.keys.get(id).and_then(Key::canonical_id))
                    .any(|id| has_key(&id))
            })
            .map(|d| d.name.clone())
            .collect();
        if out.is_empty() {
            return Err(Error::key(format!(
                "no valid signing keys for delegation roles of {}: this trust dir holds no key of \
                 targets/releases or of any signer (dct key load, or dct signer add)",
                gun
            )));
        }
        Ok(out)
    }
}

fn entry_changed(before: usize, parent: &Role, role: &str) -> bool {
    parent
        .signed
        .delegations
        .roles
        .iter()
        .find(|d| d.name == role)
        .is_some_and(|d| d.paths.len() != before)
}

fn existing<'a>(parent: &'a mut Role, role: &str) -> Result<&'a mut DelegatedRole> {
    parent
        .signed
        .delegations
        .roles
        .iter_mut()
        .find(|d| d.name == role)
        .ok_or_else(|| Error::invalid(format!("no delegation {role}")))
}

/// Drops delegation keys no role references any more (notary prunes them on edit).
fn prune_keys(d: &mut Delegations) {
    let used: BTreeSet<String> = d.roles.iter().flat_map(|r| r.ids().to_vec()).collect();
    d.keys.retain(|id, _| used.contains(id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::private::PrivateKey;
    use crate::tuf::meta::{Envelope, Signable};
    use crate::tuf::verify::verify_threshold;

    struct Mem(BTreeMap<String, PrivateKey>);

    impl KeyProvider for Mem {
        fn private_key(&mut self, _role: &str, id: &str) -> Result<Option<&dyn KeySigner>> {
            Ok(self.0.get(id).map(|k| k as &dyn KeySigner))
        }
    }

    /// A file as the server re-serialises it: parse, re-encode the struct, same bytes.
    fn round_trips<T: Signable>(bytes: &[u8], ty: &str) -> Envelope<T> {
        let env: Envelope<T> = Envelope::parse(bytes.to_vec(), ty).unwrap();
        assert_eq!(canonical_bytes(&env.signed), env.canonical);
        assert_eq!(envelope_bytes(&env.canonical, &env.signatures), bytes);
        env
    }

    #[test]
    fn init_add_targets_and_delegations_sign_byte_exact_files() {
        let now = OffsetDateTime::now_utc();
        let root = PrivateKey::generate_ecdsa();
        let targets = PrivateKey::generate_ecdsa();
        let alice = PrivateKey::generate_ecdsa();
        let alice_key = Key::from(&alice.public_key());
        let server = |_: ()| Key::from(&PrivateKey::generate_ed25519().public_key());
        let mut ed = Editor::init(
            "example.com/edit/app",
            &root,
            &targets.public_key(),
            server(()),
            server(()),
            now,
        )
        .unwrap();
        let mut keys = Mem(BTreeMap::from([
            (root.id(), root),
            (targets.id(), targets),
            (alice.id(), alice),
        ]));
        let meta = FileMeta {
            length: 42,
            hashes: crate::tuf::meta::Hashes::from([("sha256".to_string(), vec![7u8; 32])]),
            custom: None,
        };
        ed.add_target("targets", "v<1>&", meta.clone(), now)
            .unwrap();
        ed.add_delegation_keys(
            "targets/releases",
            std::slice::from_ref(&alice_key),
            Some(1),
            now,
        )
        .unwrap();
        ed.add_delegation_paths("targets/releases", &[String::new()], now)
            .unwrap();
        ed.add_target("targets/releases", "v1", meta.clone(), now)
            .unwrap();
        let files = ed.sign(&mut keys, now).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["root", "targets", "targets/releases"]);

        let root_env: Envelope<Root> = round_trips(&files[0].1, "Root");
        let t: Envelope<Targets> = round_trips(&files[1].1, "Targets");
        let r: Envelope<Targets> = round_trips(&files[2].1, "Targets");
        assert!(String::from_utf8_lossy(&files[1].1).contains("v\\u003c1\\u003e\\u0026"));
        assert_eq!((t.signed.version, r.signed.version), (1, 1));
        let tk = ed.role_keys("targets").unwrap().0;
        verify_threshold("targets", &t.canonical, &t.signatures, &tk, 1).unwrap();
        let rk = ed.role_keys("targets/releases").unwrap().0;
        verify_threshold("targets/releases", &r.canonical, &r.signatures, &rk, 1).unwrap();
        assert_eq!(root_env.signed.version, 1);

        // Nothing changed: nothing to upload; a removal re-signs releases only.
        assert!(!ed.is_dirty());
        assert!(ed.sign(&mut keys, now).unwrap().is_empty());
        assert!(ed.remove_target("targets/releases", "v1"));
        let files = ed.sign(&mut keys, now).unwrap();
        assert_eq!(files.len(), 1);
        let r: Envelope<Targets> = round_trips(&files[0].1, "Targets");
        assert_eq!(r.signed.version, 2);

        // Removing alice's key leaves the role with `keyids: null` and prunes the key.
        ed.remove_delegation_keys("targets/releases", &[alice_key.id()], now)
            .unwrap();
        let files = ed.sign(&mut keys, now).unwrap();
        let t: Envelope<Targets> = round_trips(&files[0].1, "Targets");
        assert_eq!(t.signed.delegations.roles[0].keyids, None);
        assert!(t.signed.delegations.keys.is_empty());
        assert!(String::from_utf8_lossy(&files[0].1).contains("\"keyids\":null"));
    }

    #[test]
    fn targets_outside_a_delegations_paths_are_refused() {
        let now = OffsetDateTime::now_utc();
        let root = PrivateKey::generate_ecdsa();
        let targets = PrivateKey::generate_ecdsa();
        let k = Key::from(&PrivateKey::generate_ed25519().public_key());
        let mut ed = Editor::init(
            "example.com/p",
            &root,
            &targets.public_key(),
            k.clone(),
            k.clone(),
            now,
        )
        .unwrap();
        ed.add_delegation_keys("targets/releases", &[k], Some(1), now)
            .unwrap();
        ed.add_delegation_paths("targets/releases", &["rel-".to_string()], now)
            .unwrap();
        let meta = FileMeta::of(b"x");
        assert!(
            ed.add_target("targets/releases", "latest", meta.clone(), now)
                .is_err()
        );
        ed.add_target("targets/releases", "rel-1", meta.clone(), now)
            .unwrap();
        assert!(ed.add_target("targets/bob", "x", meta, now).is_err());
    }
}
