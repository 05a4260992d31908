//! A builder of notary-exact trust repositories with their own keys, for tests that play the
//! trust server (honest or hostile).
//!
//! Keys are what notary and notary-server use: an ECDSA root key behind a self-signed
//! certificate whose CN is the GUN (root.json lists the `ecdsa-x509` key and the root signatures
//! carry the certificate-based key ID), ECDSA targets and snapshot keys, an **Ed25519**
//! timestamp key (notary-server's local signer), and ECDSA delegation keys. Every file is signed
//! with `dct::tuf::sign::sign`, i.e. canonical JSON in notary's envelope.
//!
//! [`RepoBuilder::build`] produces the files a notary-server serves ([`Files`]): `root.json`,
//! `<v>.root.json` and `root.<sha256>.json` for every root version, `timestamp.json`,
//! `snapshot.<sha256>.json`, `targets.<sha256>.json` and `<delegation>.<sha256>.json`. The
//! snapshot lists root, targets and every delegation (sha256 + sha512 + length); the timestamp
//! lists the snapshot.
//!
//! Hostile variants are made by changing the public fields before `build` (versions, expiries,
//! targets, delegation paths, [`RepoBuilder::signers`] to sign a role with unlisted keys,
//! [`RepoBuilder::edits`] to change a role's bytes after signing and before its parent hashes
//! them, [`RepoBuilder::replace`] to make the parent describe other bytes), by root rotations
//! ([`RepoBuilder::rotate_root`]), or by editing the built [`Files`] (what is served under a
//! name, regardless of what the parent says).

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use dct::keys::cert::{root_certificate, x509_public_key};
use dct::keys::private::PrivateKey;
use dct::tuf::meta::{
    DelegatedRole, Delegations, FileMeta, Key, MetaList, RoleKeys, Root, Targets,
};
use dct::tuf::sign::sign;

pub const DAY: Duration = Duration::from_secs(86_400);
pub const YEAR: Duration = Duration::from_secs(365 * 86_400);

/// A root key: the private key, its certificate as the `ecdsa-x509` key root.json lists, and
/// that key's (certificate-based) ID, under which root signatures are made.
#[derive(Clone)]
pub struct RootKey {
    pub key: Rc<PrivateKey>,
    pub public: Key,
    pub id: String,
}

impl RootKey {
    pub fn generate(gun: &str, now: OffsetDateTime) -> RootKey {
        let key = PrivateKey::generate_ecdsa();
        let cert = root_certificate(&key, gun, SystemTime::from(now)).expect("root certificate");
        let public = Key::from(&x509_public_key(&cert));
        let id = public.id();
        RootKey {
            key: Rc::new(key),
            public,
            id,
        }
    }
}

/// A plain (non-certificate) key with its TUF key and ID.
#[derive(Clone)]
pub struct RoleKey {
    pub key: Rc<PrivateKey>,
    pub public: Key,
    pub id: String,
}

impl RoleKey {
    pub fn ecdsa() -> RoleKey {
        Self::of(PrivateKey::generate_ecdsa())
    }

    pub fn ed25519() -> RoleKey {
        Self::of(PrivateKey::generate_ed25519())
    }

    fn of(key: PrivateKey) -> RoleKey {
        let public = Key::from(&key.public_key());
        let id = public.id();
        RoleKey {
            key: Rc::new(key),
            public,
            id,
        }
    }
}

/// A delegation role of `targets` and its own file.
#[derive(Clone)]
pub struct Delegation {
    pub name: String,
    pub key: RoleKey,
    pub paths: Vec<String>,
    pub targets: BTreeMap<String, FileMeta>,
    pub version: i64,
    pub expires: OffsetDateTime,
}

/// A change to a role's file bytes after signing.
pub type Edit = Rc<dyn Fn(&mut Vec<u8>)>;

#[derive(Clone)]
pub struct RepoBuilder {
    pub gun: String,
    pub now: OffsetDateTime,
    /// Keys of the root role now.
    pub root_keys: Vec<RootKey>,
    /// Keys of earlier root roles: kept in root.json's `keys`, as notary does after a rotation.
    pub old_root_keys: Vec<RootKey>,
    pub targets_key: RoleKey,
    pub snapshot_key: RoleKey,
    pub timestamp_key: RoleKey,
    pub root_version: i64,
    pub targets_version: i64,
    pub snapshot_version: i64,
    pub timestamp_version: i64,
    pub root_expires: OffsetDateTime,
    pub targets_expires: OffsetDateTime,
    pub snapshot_expires: OffsetDateTime,
    pub timestamp_expires: OffsetDateTime,
    /// Targets of the top-level `targets` role (tag → FileMeta, as Docker writes them).
    pub targets: BTreeMap<String, FileMeta>,
    /// Delegations of `targets`, in priority order.
    pub delegations: Vec<Delegation>,
    /// Every signed root file, by version (`<v>.root.json`).
    pub roots: BTreeMap<i64, Vec<u8>>,
    /// The root version that the snapshot lists and `root.json` serves (default: the newest).
    pub current_root: Option<i64>,
    /// Role → keys that sign it instead of its own (listed nowhere).
    pub signers: BTreeMap<String, Vec<RoleKey>>,
    /// Role → edit of its file bytes after signing, before the parent hashes them.
    pub edits: BTreeMap<String, Edit>,
    /// Role → the bytes its parent describes and the server serves instead of the built ones.
    pub replace: BTreeMap<String, Vec<u8>>,
}

/// `{length, hashes{sha256}}` of a manifest, as Docker writes a tag's target.
pub fn docker_target(manifest: &[u8]) -> FileMeta {
    let hashes =
        dct::tuf::meta::Hashes::from([("sha256".to_string(), Sha256::digest(manifest).to_vec())]);
    FileMeta {
        length: manifest.len() as i64,
        hashes,
        custom: None,
    }
}

/// The hex SHA-256 a target names (what `<gun>@sha256:<hex>` shows).
pub fn digest_hex(meta: &FileMeta) -> String {
    hex::encode(meta.sha256().expect("sha256"))
}

fn now_seconds() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).expect("0 ns is valid")
}

impl RepoBuilder {
    /// A repository of `gun` with fresh keys, root v1 signed, every other role at version 1
    /// with notary's default expiries, and no targets.
    pub fn new(gun: &str) -> RepoBuilder {
        let now = now_seconds();
        let mut b = RepoBuilder {
            gun: gun.to_string(),
            now,
            root_keys: vec![RootKey::generate(gun, now)],
            old_root_keys: Vec::new(),
            targets_key: RoleKey::ecdsa(),
            snapshot_key: RoleKey::ecdsa(),
            timestamp_key: RoleKey::ed25519(),
            root_version: 1,
            targets_version: 1,
            snapshot_version: 1,
            timestamp_version: 1,
            root_expires: now + 10 * YEAR,
            targets_expires: now + 3 * YEAR,
            snapshot_expires: now + 3 * YEAR,
            timestamp_expires: now + 14 * DAY,
            targets: BTreeMap::new(),
            delegations: Vec::new(),
            roots: BTreeMap::new(),
            current_root: None,
            signers: BTreeMap::new(),
            edits: BTreeMap::new(),
            replace: BTreeMap::new(),
        };
        b.sign_root(&[]);
        b
    }

    /// Adds tag `tag` with the digest of `manifest` to `role` (`targets` or a delegation);
    /// returns its FileMeta.
    pub fn add_target(&mut self, role: &str, tag: &str, manifest: &[u8]) -> FileMeta {
        let meta = docker_target(manifest);
        self.role_targets(role)
            .insert(tag.to_string(), meta.clone());
        meta
    }

    pub fn role_targets(&mut self, role: &str) -> &mut BTreeMap<String, FileMeta> {
        if role == "targets" {
            return &mut self.targets;
        }
        &mut self.delegation_mut(role).targets
    }

    /// Adds delegation `name` of `targets` with a fresh ECDSA key, threshold 1, and `paths`.
    pub fn add_delegation(&mut self, name: &str, paths: &[&str]) {
        self.delegations.push(Delegation {
            name: name.to_string(),
            key: RoleKey::ecdsa(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            targets: BTreeMap::new(),
            version: 1,
            expires: self.targets_expires,
        });
    }

    /// The FileMeta of `tag` in `role`.
    pub fn role_meta(&self, role: &str, tag: &str) -> &FileMeta {
        if role == "targets" {
            return &self.targets[tag];
        }
        let d = self.delegations.iter().find(|d| d.name == role);
        &d.unwrap_or_else(|| panic!("no delegation {role}")).targets[tag]
    }

    pub fn delegation_mut(&mut self, name: &str) -> &mut Delegation {
        self.delegations
            .iter_mut()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no delegation {name}"))
    }

    /// The `signed` part of root.json as it is now.
    pub fn root_signed(&self) -> Root {
        let mut keys = BTreeMap::new();
        for k in self.old_root_keys.iter().chain(&self.root_keys) {
            keys.insert(k.id.clone(), k.public.clone());
        }
        for k in [&self.targets_key, &self.snapshot_key, &self.timestamp_key] {
            keys.insert(k.id.clone(), k.public.clone());
        }
        let role = |ids: Vec<String>| RoleKeys {
            keyids: Some(ids),
            threshold: 1,
        };
        let mut roles = BTreeMap::new();
        roles.insert(
            "root".to_string(),
            role(self.root_keys.iter().map(|k| k.id.clone()).collect()),
        );
        roles.insert("targets".into(), role(vec![self.targets_key.id.clone()]));
        roles.insert("snapshot".into(), role(vec![self.snapshot_key.id.clone()]));
        roles.insert(
            "timestamp".into(),
            role(vec![self.timestamp_key.id.clone()]),
        );
        Root {
            type_: "Root".into(),
            consistent_snapshot: false,
            expires: self.root_expires,
            keys,
            roles,
            version: self.root_version,
        }
    }

    /// Signs root.json at `root_version` with the current root keys plus `also`, and records it
    /// as that version (replacing any file of that version).
    pub fn sign_root(&mut self, also: &[RootKey]) {
        let signed = self.root_signed();
        let keys: Vec<(String, Rc<PrivateKey>)> = match self.signers.get("root") {
            Some(over) => over.iter().map(|k| (k.id.clone(), k.key.clone())).collect(),
            None => self
                .root_keys
                .iter()
                .chain(also)
                .map(|k| (k.id.clone(), k.key.clone()))
                .collect(),
        };
        let refs: Vec<(&str, &PrivateKey)> = keys.iter().map(|(i, k)| (i.as_str(), &**k)).collect();
        self.roots.insert(self.root_version, sign(&signed, &refs));
    }

    /// A new root version with the same keys (e.g. new expiry), signed by them.
    pub fn resign_root(&mut self) {
        self.root_version += 1;
        self.sign_root(&[]);
    }

    /// Rotates the root key: a new version whose root role holds only a fresh key, signed by
    /// the new key and, if `old_signs`, by the previous root keys too (what notary does).
    pub fn rotate_root(&mut self, old_signs: bool) {
        let new = RootKey::generate(&self.gun, self.now);
        let old = std::mem::replace(&mut self.root_keys, vec![new]);
        self.old_root_keys.extend(old.iter().cloned());
        self.root_version += 1;
        self.sign_root(if old_signs { &old } else { &[] });
    }

    fn sign_role<T: serde::Serialize>(&self, role: &str, signed: &T, own: &RoleKey) -> Vec<u8> {
        if let Some(bytes) = self.replace.get(role) {
            return bytes.clone();
        }
        let keys: Vec<&RoleKey> = match self.signers.get(role) {
            Some(over) => over.iter().collect(),
            None => vec![own],
        };
        let refs: Vec<(&str, &PrivateKey)> =
            keys.iter().map(|k| (k.id.as_str(), &*k.key)).collect();
        let mut bytes = sign(signed, &refs);
        if let Some(edit) = self.edits.get(role) {
            edit(&mut bytes);
        }
        bytes
    }

    /// The `signed` part of targets.json as it is now.
    pub fn targets_signed(&self) -> Targets {
        let mut keys = BTreeMap::new();
        let mut roles = Vec::new();
        for d in &self.delegations {
            keys.insert(d.key.id.clone(), d.key.public.clone());
            roles.push(DelegatedRole {
                keyids: Some(vec![d.key.id.clone()]),
                name: d.name.clone(),
                paths: d.paths.clone(),
                threshold: 1,
            });
        }
        Targets {
            type_: "Targets".into(),
            delegations: Delegations { keys, roles },
            expires: self.targets_expires,
            targets: self.targets.clone(),
            version: self.targets_version,
        }
    }

    /// Signs every role and lays out the server's files.
    pub fn build(&self) -> Files {
        let root_version = self
            .current_root
            .unwrap_or_else(|| *self.roots.keys().max().expect("a signed root"));
        let root = self
            .replace
            .get("root")
            .cloned()
            .unwrap_or_else(|| self.roots[&root_version].clone());
        let mut roles: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        roles.insert("root".into(), root.clone());

        for d in &self.delegations {
            let signed = Targets {
                type_: "Targets".into(),
                delegations: Delegations::default(),
                expires: d.expires,
                targets: d.targets.clone(),
                version: d.version,
            };
            roles.insert(d.name.clone(), self.sign_role(&d.name, &signed, &d.key));
        }
        let targets = self.sign_role("targets", &self.targets_signed(), &self.targets_key);
        roles.insert("targets".into(), targets);

        let mut meta = BTreeMap::new();
        for (role, bytes) in &roles {
            meta.insert(role.clone(), FileMeta::of(bytes));
        }
        let snapshot = MetaList {
            type_: "Snapshot".into(),
            expires: self.snapshot_expires,
            meta,
            version: self.snapshot_version,
        };
        let snapshot = self.sign_role("snapshot", &snapshot, &self.snapshot_key);
        let mut meta = BTreeMap::new();
        meta.insert("snapshot".to_string(), FileMeta::of(&snapshot));
        roles.insert("snapshot".into(), snapshot);
        let timestamp = MetaList {
            type_: "Timestamp".into(),
            expires: self.timestamp_expires,
            meta,
            version: self.timestamp_version,
        };
        let timestamp = self.sign_role("timestamp", &timestamp, &self.timestamp_key);
        roles.insert("timestamp".into(), timestamp.clone());

        let mut served = BTreeMap::new();
        for (v, bytes) in &self.roots {
            served.insert(format!("{v}.root.json"), bytes.clone());
            served.insert(by_hash("root", bytes), bytes.clone());
        }
        served.insert("root.json".into(), root.clone());
        for (role, bytes) in &roles {
            if role == "timestamp" {
                served.insert("timestamp.json".into(), bytes.clone());
            } else {
                served.insert(by_hash(role, bytes), bytes.clone());
            }
        }
        Files { roles, served }
    }
}

/// `<role>.<sha256 hex>.json`.
pub fn by_hash(role: &str, bytes: &[u8]) -> String {
    format!("{role}.{}.json", hex::encode(Sha256::digest(bytes)))
}

/// A built repository: each role's file bytes, and what the server serves by name.
#[derive(Clone, Debug)]
pub struct Files {
    /// Role name → the file the snapshot (or timestamp) describes.
    pub roles: BTreeMap<String, Vec<u8>>,
    /// Served name (relative to `_trust/tuf/`) → body.
    pub served: BTreeMap<String, Vec<u8>>,
}

impl Files {
    pub fn role(&self, role: &str) -> &[u8] {
        &self.roles[role]
    }

    /// The name under which the server serves `role`'s file.
    pub fn name_of(&self, role: &str) -> String {
        match role {
            "timestamp" => "timestamp.json".into(),
            _ => by_hash(role, &self.roles[role]),
        }
    }

    /// Changes what the server sends for `role`, under the same name (its parent still
    /// describes the original bytes).
    pub fn tamper(&mut self, role: &str, edit: impl FnOnce(&mut Vec<u8>)) {
        let name = self.name_of(role);
        let body = self.served.get_mut(&name).expect("served");
        edit(body);
        if role == "root" {
            let root = body.clone();
            self.served.insert("root.json".into(), root);
        }
    }

    /// Serves `body` under `name`.
    pub fn serve(&mut self, name: &str, body: Vec<u8>) {
        self.served.insert(name.to_string(), body);
    }

    /// Writes the served files into `dir` (emptied first), as the fake trust server reads them.
    pub fn write_to(&self, dir: &Path) {
        if dir.exists() {
            std::fs::remove_dir_all(dir).unwrap();
        }
        std::fs::create_dir_all(dir).unwrap();
        for (name, body) in &self.served {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
    }
}

/// Replaces the first occurrence of `from` in `bytes` by `to` (a targeted edit of a signed file).
pub fn replace_once(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(from)));
    bytes.splice(at..at + from.len(), to.iter().copied());
}

/// An in-memory trust server for the library-level tests: serves a [`Files`] and enforces the
/// download limit as the real client does (a body longer than `limit` is
/// `dct::Error::Verification`). Names in `endless` stand for a body that never ends.
pub struct MemSource {
    pub files: std::cell::RefCell<Files>,
    pub endless: std::cell::RefCell<Vec<String>>,
    /// Every requested name, in order.
    pub requests: std::cell::RefCell<Vec<String>>,
}

impl MemSource {
    pub fn new(files: Files) -> MemSource {
        MemSource {
            files: std::cell::RefCell::new(files),
            endless: Default::default(),
            requests: Default::default(),
        }
    }

    pub fn set(&self, files: Files) {
        *self.files.borrow_mut() = files;
        self.endless.borrow_mut().clear();
    }
}

impl dct::tuf::client::Source for MemSource {
    fn fetch(&self, name: &str, limit: u64) -> dct::Result<Option<Vec<u8>>> {
        self.requests.borrow_mut().push(name.to_string());
        let too_long = || {
            dct::Error::Verification(format!(
                "127.0.0.1 sent more than the {limit} bytes allowed for {name}"
            ))
        };
        if self.endless.borrow().iter().any(|n| n == name) {
            return Err(too_long());
        }
        match self.files.borrow().served.get(name) {
            Some(body) if body.len() as u64 > limit => Err(too_long()),
            Some(body) => Ok(Some(body.clone())),
            None => Ok(None),
        }
    }

    fn host(&self) -> String {
        "127.0.0.1".into()
    }
}
