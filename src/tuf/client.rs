//! The read path (spec §6): bootstrap the root (cache, TOFU or pin), then timestamp → snapshot
//! → targets → delegations, with every check: signatures and thresholds, hashes and lengths
//! against the parent, versions against the cache (every role, whether or not its parent
//! changed), expiry, delegation names and paths, root rotation through `<v>.root.json`.
//! Nothing reaches the cache unless the whole update verified.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use sha2::{Digest, Sha256, Sha512};
use time::OffsetDateTime;

use super::cache::Cache;
use super::index::{self, Lite, TargetIndex};
use super::meta::{
    Delegations, Envelope, FileMeta, Hashes, Key, MetaList, Root, Signable, Targets,
    format_go_expiry,
};
use super::root::{Pinning, RootCheck, RootError, check_pin_root, validate_root};
use super::verify::{SigError, verify_threshold};
use crate::error::{Error, ExitCode};
use crate::roles::{self, is_delegation_name, parent_role};

/// Largest file accepted when no parent states a length (root.json, `<v>.root.json`).
pub const MAX_META: u64 = 100 << 20;
/// Largest timestamp.json accepted.
pub const MAX_TIMESTAMP: u64 = 1 << 20;

/// Where metadata comes from: the trust server, or a test double.
pub trait Source {
    /// Fetches `name` relative to the collection's `_trust/tuf/` URL (`timestamp.json`,
    /// `snapshot.<sha256>.json`, `2.root.json`…), reading at most `limit` bytes.
    /// `Ok(None)` means the server has no such file (404).
    fn fetch(&self, name: &str, limit: u64) -> crate::Result<Option<Vec<u8>>>;
    /// The server as Docker names it in "does not have trust data" (host[:port]).
    fn host(&self) -> String;
}

/// A failed update, in notary's error classes; [`TufError::into_error`] words it as Docker does.
#[derive(Debug, thiserror::Error)]
pub enum TufError {
    /// The server has no root.json for the collection: it was never signed.
    #[error("{host} does not have trust data for {gun}")]
    RepositoryNotExist {
        /// The server, as [`Source::host`] names it.
        host: String,
        /// The collection asked for.
        gun: String,
    },
    /// A file the trust data needs is missing on the server (the role named).
    #[error("{0} trust data unavailable.  Has a notary repository been initialized?")]
    MetaNotFound(String),
    /// A role's `expires` has passed.
    #[error("{role} expired at {at}")]
    Expired {
        /// The expired role.
        role: String,
        /// When it expired, as notary words it.
        at: String,
    },
    /// A role's version is lower than the cached one: a rollback.
    #[error("{role}: version {new} is lower than current version {current}")]
    LowVersion {
        /// The role rolled back.
        role: String,
        /// The version the server sent.
        new: i64,
        /// The version in the cache.
        current: i64,
    },
    /// A role's signatures do not verify to its threshold.
    #[error("{0}")]
    Signatures(SigError),
    /// The root is not acceptable, or cannot be rotated to.
    #[error("{0}")]
    Root(RootError),
    /// The cached root, the trust anchor, does not validate: dct will not replace it silently.
    #[error("the cached root {path} is not valid: {reason}")]
    CachedRoot {
        /// The cached file.
        path: String,
        /// Why it is not valid.
        reason: String,
    },
    /// A file's length or hashes differ from what its parent says.
    #[error("{0}")]
    Checksum(String),
    /// A file does not parse as its role's metadata, or breaks the format's rules.
    #[error("{role}: {msg}")]
    Malformed {
        /// The file's role (`<v>.root` for an intermediate root).
        role: String,
        /// What is wrong.
        msg: String,
    },
    /// A delegation lists a target outside the paths delegated to it: no notary client writes
    /// such a file, so the role is invalid (notary would silently ignore the entry).
    #[error("{role} lists target \"{target}\", which it is not delegated")]
    NotDelegated {
        /// The delegation listing it.
        role: String,
        /// The target outside its paths.
        target: String,
    },
    /// The root the snapshot names differs from ours: the root was rotated.
    #[error("root changed on the server")]
    RootOutdated(FileMeta),
    /// Fetching a file failed (network, authentication, limits).
    #[error("{0}")]
    Remote(Error),
}

impl TufError {
    /// The user-facing error for image `name`, with Docker's wording and dct's exit code.
    pub fn into_error(self, name: &str) -> Error {
        let mal = "potential malicious behavior";
        match self {
            TufError::RepositoryNotExist { .. } => Error::NotSigned(format!(
                "remote trust data does not exist for {name}: {self}"
            )),
            TufError::MetaNotFound(ref res) if res == "timestamp" => Error::NotSigned(format!(
                "trust data missing for remote repository {name} or remote repository not found: {self}"
            )),
            TufError::MetaNotFound(_) => Error::Verification(format!(
                "trust data missing for remote repository {name} or remote repository not found: {self}"
            )),
            TufError::Expired { .. } => {
                Error::Verification(format!("remote repository {name} out-of-date: {self}"))
            }
            TufError::LowVersion { .. } => Error::Verification(format!(
                "{mal} - trust data version is lower than expected for remote repository {name}: {self}"
            )),
            TufError::Signatures(SigError::InvalidKeyId)
            | TufError::Root(_)
            | TufError::NotDelegated { .. } => Error::Verification(format!(
                "{mal} - trust data mismatch for remote repository {name}: {self}"
            )),
            TufError::Signatures(_) => Error::Verification(format!(
                "{mal} - trust data has insufficient signatures for remote repository {name}: {self}"
            )),
            TufError::CachedRoot { .. } => Error::Verification(format!(
                "{self}: it is the trust anchor for {name}, so dct stops here; if you trust the \
                 server's current root, delete that file and run again"
            )),
            TufError::Checksum(_) | TufError::RootOutdated(_) => Error::Verification(format!(
                "{mal} - trust data checksum mismatch for remote repository {name}: {self}"
            )),
            TufError::Malformed { .. } => Error::Verification(format!(
                "invalid trust data for remote repository {name}: {self}. Is the trust server \
                 (-s, DOCKER_CONTENT_TRUST_SERVER) a notary server?"
            )),
            TufError::Remote(e) => match e.exit_code() {
                ExitCode::Network => Error::Network(format!("error contacting notary server: {e}")),
                _ => e,
            },
        }
    }

    /// Errors a newer root could explain (key rotation), worth one root update and a retry.
    fn may_be_root_change(&self) -> bool {
        matches!(self, TufError::Signatures(_) | TufError::RootOutdated(_))
    }
}

type Res<T> = std::result::Result<T, TufError>;

/// A delegation or the top-level targets role as loaded.
#[derive(Debug, Clone)]
pub struct LoadedRole {
    /// The role's name (`targets`, `targets/releases`…).
    pub name: String,
    /// Paths after restriction by every ancestor (`[""]` = all).
    pub paths: Vec<String>,
    /// The keys that may sign the role, as its parent gives them.
    pub keyids: Vec<String>,
    /// How many of those keys must sign.
    pub threshold: i64,
    /// The role's metadata. In a repository read for lookups
    /// ([`Updater::update_for_lookup`]) its `targets` map is empty and `bytes` and `canonical`
    /// are too: the targets are in `index`.
    pub env: Envelope<Targets>,
    /// Where the targets of a role read for lookups are (see [`super::index`]).
    pub index: Option<Arc<TargetIndex>>,
}

impl LoadedRole {
    /// Whether the role is delegated `target` (one of its paths is a prefix of it).
    pub fn covers(&self, target: &str) -> bool {
        self.paths.iter().any(|p| target.starts_with(p.as_str()))
    }

    /// The target `name` of this role, if it lists it (from its index, when it has one).
    pub fn target(&self, name: &str) -> Result<Option<FileMeta>, String> {
        match &self.index {
            Some(index) => index.get(name),
            None => Ok(self.env.signed.targets.get(name).cloned()),
        }
    }
}

/// Verified trust data of one collection.
#[derive(Debug)]
pub struct Repo {
    /// The collection's name (GUN).
    pub gun: String,
    /// The trusted root.
    pub root: Envelope<Root>,
    /// The timestamp the update verified.
    pub timestamp: Envelope<MetaList>,
    /// The snapshot the timestamp names.
    pub snapshot: Envelope<MetaList>,
    /// Pre-order walk of the role tree; the first entry is `targets`.
    pub roles: Vec<LoadedRole>,
    /// Delegations that failed verification (expired, below threshold): skipped, as notary does.
    pub invalid: Vec<(String, String)>,
    /// Things the user should hear about (stale cached timestamp used, invalid delegations).
    pub warnings: Vec<String>,
}

/// A target found by [`Repo::find_target`].
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// The role that signs the target.
    pub role: &'a LoadedRole,
    /// The target's length and hashes.
    pub meta: FileMeta,
}

impl Repo {
    /// The loaded role `name`, if it was loaded.
    pub fn role(&self, name: &str) -> Option<&LoadedRole> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// notary's `GetTargetByName(name, roles…)` (§6.6): for each requested role, a breadth-first
    /// walk from `targets` through ancestors into the role's subtree (excluding the other
    /// requested roles' subtrees); the first role holding `name` within its paths wins.
    /// A target found in a role that is not delegated that path is an error: such a file was
    /// not written by a notary client and is treated as tampering.
    pub fn find_target(&self, name: &str, roles: &[&str]) -> Result<Option<Found<'_>>, String> {
        let under = |r: &str, base: &str| r == base || r.starts_with(&format!("{base}/"));
        for &wanted in roles {
            let mut queue = VecDeque::from(["targets".to_string()]);
            while let Some(current) = queue.pop_front() {
                if roles
                    .iter()
                    .any(|&o| o != wanted && under(&current, o) && !under(wanted, &current))
                {
                    continue;
                }
                let Some(role) = self.role(&current) else {
                    continue;
                };
                let children = role
                    .env
                    .signed
                    .delegations
                    .roles
                    .iter()
                    .map(|c| c.name.clone());
                if under(&current, wanted) {
                    if let Some(meta) = role.target(name)? {
                        if !role.covers(name) {
                            return Err(format!(
                                "{} lists target \"{name}\", which it is not delegated",
                                role.name
                            ));
                        }
                        return Ok(Some(Found { role, meta }));
                    }
                    queue.extend(children);
                } else if under(wanted, &current) {
                    queue.extend(children);
                }
            }
        }
        Ok(None)
    }
}

/// The warning for a verified update that could not be cached. On first use the trusted root
/// is not remembered either: the next run trusts the server's root anew (trust on first use
/// every time, as with a fresh trust dir), which the warning says, with the way out.
fn cache_warning(e: &crate::error::Error, first_use: bool, pinned: bool) -> String {
    let mut w = format!("cannot update the trust data cache ({e}): the answer was verified, but");
    if first_use && !pinned {
        w.push_str(
            " the root it was verified with was trusted on first use and not saved, so the next \
             run trusts the server's root again; make the trust dir writable, or pin the root \
             with --pin-root KEYID (see `dct inspect --pretty`)",
        );
    } else {
        w.push_str(" is not remembered: the next run checks it against the older cached data");
    }
    w
}

/// One update of one collection.
pub struct Updater<'a> {
    /// The collection to update.
    pub gun: &'a str,
    /// Where metadata is fetched from.
    pub source: &'a dyn Source,
    /// The collection's cache: what the update is checked against and where it is kept.
    pub cache: &'a Cache,
    /// How the first root is trusted (TOFU, config pinning, `--pin-root`).
    pub pinning: &'a Pinning,
    /// The time expiry is checked against.
    pub now: OffsetDateTime,
}

/// Verified files to cache: (role, exact bytes).
pub type RoleFiles = Vec<(String, Vec<u8>)>;

/// Files verified in this run, written to the cache at the end.
type Pending = BTreeMap<String, Vec<u8>>;

/// Delegations that failed verification, with why.
type Invalid = Vec<(String, String)>;

/// What one pass over timestamp → snapshot → targets verified.
struct Walk {
    timestamp: Envelope<MetaList>,
    snapshot: Envelope<MetaList>,
    /// Pre-order walk of the role tree; the first entry is `targets`.
    roles: Vec<LoadedRole>,
    /// Delegations that failed verification, with why.
    invalid: Invalid,
    warnings: Vec<String>,
    /// Verified files to cache.
    files: Pending,
    /// Indexes of the targets files verified in full (lookups only), to cache with them.
    indexes: Vec<index::Pending>,
}

impl Updater<'_> {
    /// Runs the whole update and, if it verified completely, writes the cache.
    pub fn update(&self) -> Res<Repo> {
        self.run(false)
    }

    /// [`Updater::update`] for lookups of single targets: the same checks, but targets files
    /// are not turned into typed maps — a role's targets are answered by
    /// [`LoadedRole::target`] from the verified file, or, when the snapshot names exactly the
    /// file an earlier update verified with the same keys, from the index it left in the cache
    /// (see [`super::index`]), without reading that file at all. Such a repository cannot be
    /// edited or listed (`Editor::from_repo` refuses it).
    pub fn update_for_lookup(&self) -> Res<Repo> {
        self.run(true)
    }

    fn run(&self, lite: bool) -> Res<Repo> {
        let (mut repo, files, indexes) = self.verify_as(None, lite)?;
        if repo.invalid.is_empty() {
            // The answer verified: a cache that cannot be written (a read-only trust dir) only
            // costs the rollback floor and the root's continuity, so it is said, not fatal —
            // as notary does (see `cache_warning`).
            if let Err(e) = self.cache.commit_with_indexes(&files, &indexes) {
                let first_use = self.cache.read("root", MAX_META).is_none();
                repo.warnings.push(cache_warning(
                    &e,
                    first_use,
                    !self.pinning.pin_root.is_empty(),
                ));
            }
        }
        Ok(repo)
    }

    /// The whole update without writing the cache: the verified trust data and the files a
    /// commit would write. `anchor` stands in for a missing cached root: a root trusted by other
    /// means (a pin that chose a root of a bundle's chain), so the source's root is never
    /// trusted on first use; rotations from it are followed as from a cached root.
    pub fn verify(&self, anchor: Option<&Envelope<Root>>) -> Res<(Repo, RoleFiles)> {
        let (repo, files, _) = self.verify_as(anchor, false)?;
        Ok((repo, files))
    }

    /// [`Updater::verify`], for lookups (`lite`) also with the indexes to cache.
    fn verify_as(
        &self,
        anchor: Option<&Envelope<Root>>,
        lite: bool,
    ) -> Res<(Repo, RoleFiles, Vec<index::Pending>)> {
        let mut pending = Pending::new();
        let mut root = self.bootstrap(&mut pending, anchor)?;
        check_pin_root(&root.signed, &self.pinning.pin_root).map_err(TufError::Root)?;
        let repo = match self.update_once(&root, lite) {
            Ok(parts) => parts,
            Err(first) if first.may_be_root_change() => {
                let checksum = match &first {
                    TufError::RootOutdated(meta) => Some(meta.clone()),
                    _ => None,
                };
                let newer = self.update_root(&root, checksum.as_ref())?;
                if newer.bytes == root.bytes {
                    return Err(first);
                }
                root = newer;
                check_pin_root(&root.signed, &self.pinning.pin_root).map_err(TufError::Root)?;
                pending.insert("root".into(), root.bytes.clone());
                self.update_once(&root, lite)?
            }
            Err(e) => return Err(e),
        };
        let Walk {
            timestamp,
            snapshot,
            roles,
            invalid,
            mut warnings,
            files,
            indexes,
        } = repo;
        pending.extend(files);
        for (role, why) in &invalid {
            warnings.push(format!("skipping invalid delegation {role}: {why}"));
        }
        let repo = Repo {
            gun: self.gun.to_string(),
            root,
            timestamp,
            snapshot,
            roles,
            invalid,
            warnings,
        };
        Ok((repo, pending.into_iter().collect(), indexes))
    }

    fn fetch(&self, name: &str, limit: u64) -> Res<Option<Vec<u8>>> {
        self.source.fetch(name, limit).map_err(TufError::Remote)
    }

    fn parse<T: Signable>(&self, role: &str, bytes: Vec<u8>, ty: &str) -> Res<Envelope<T>> {
        Envelope::parse(bytes, ty).map_err(|e| TufError::Malformed {
            role: role.to_string(),
            msg: e.0,
        })
    }

    /// §6.1: the cached root is the trust anchor; otherwise `anchor`, or else the server's root,
    /// trusted on first use unless pinned. An expired anchor is replaced through a root update.
    fn bootstrap(
        &self,
        pending: &mut Pending,
        anchor: Option<&Envelope<Root>>,
    ) -> Res<Envelope<Root>> {
        if let Some(bytes) = self.cache.read("root", MAX_META) {
            let path = self.cache.path("root").display().to_string();
            let cached: Envelope<Root> =
                Envelope::parse(bytes, "Root").map_err(|e| TufError::CachedRoot {
                    path: path.clone(),
                    reason: e.0,
                })?;
            let check = RootCheck {
                gun: self.gun,
                previous: None,
                pinning: None,
                check_expiry: false,
                min_version: 1,
                now: self.now,
            };
            validate_root(&cached, &check).map_err(|e| TufError::CachedRoot {
                path,
                reason: e.to_string(),
            })?;
            if cached.signed.expires >= self.now {
                return Ok(cached);
            }
            let newer = self.update_root(&cached, None)?;
            pending.insert("root".into(), newer.bytes.clone());
            return Ok(newer);
        }
        if let Some(anchor) = anchor {
            pending.insert("root".into(), anchor.bytes.clone());
            if anchor.signed.expires >= self.now {
                return Ok(anchor.clone());
            }
            let newer = self.update_root(anchor, None)?;
            pending.insert("root".into(), newer.bytes.clone());
            return Ok(newer);
        }
        let bytes =
            self.fetch("root.json", MAX_META)?
                .ok_or_else(|| TufError::RepositoryNotExist {
                    host: self.source.host(),
                    gun: self.gun.to_string(),
                })?;
        let root: Envelope<Root> = self.parse("root", bytes, "Root")?;
        let check = RootCheck {
            gun: self.gun,
            previous: None,
            pinning: Some(self.pinning),
            check_expiry: true,
            min_version: 1,
            now: self.now,
        };
        validate_root(&root, &check).map_err(|e| root_err("root", e))?;
        pending.insert("root".into(), root.bytes.clone());
        Ok(root)
    }

    /// §6.4: fetch the newest root and verify it against the trusted one, walking
    /// `<v>.root.json` when versions were skipped.
    fn update_root(
        &self,
        current: &Envelope<Root>,
        checksum: Option<&FileMeta>,
    ) -> Res<Envelope<Root>> {
        let bytes = match checksum {
            Some(meta) => {
                let name = by_hash_name("root", meta)?;
                let limit = meta_limit(meta);
                let bytes = self
                    .fetch(&name, limit)?
                    .ok_or_else(|| TufError::MetaNotFound(name.trim_end_matches(".json").into()))?;
                check_hashes("root", &bytes, meta)?;
                bytes
            }
            None => {
                self.fetch("root.json", MAX_META)?
                    .ok_or_else(|| TufError::RepositoryNotExist {
                        host: self.source.host(),
                        gun: self.gun.to_string(),
                    })?
            }
        };
        let newest: Envelope<Root> = self.parse("root", bytes, "Root")?;
        if newest.bytes == current.bytes {
            if newest.signed.expires < self.now {
                return Err(TufError::Expired {
                    role: "root".into(),
                    at: format_go_expiry(newest.signed.expires),
                });
            }
            return Ok(newest);
        }
        fn check<'a>(
            gun: &'a str,
            now: OffsetDateTime,
            prev: &'a Root,
            min: i64,
            expiry: bool,
        ) -> RootCheck<'a> {
            RootCheck {
                gun,
                previous: Some(prev),
                pinning: None,
                check_expiry: expiry,
                min_version: min,
                now,
            }
        }
        let cur_version = current.signed.version;
        match validate_root(
            &newest,
            &check(self.gun, self.now, &current.signed, cur_version, true),
        ) {
            Ok(()) => return Ok(newest),
            Err(RootError::Rotation) if newest.signed.version > cur_version + 1 => {}
            Err(e) => return Err(root_err("root", e)),
        }
        let mut prev = current.clone();
        for v in cur_version + 1..newest.signed.version {
            let name = format!("{v}.root.json");
            let bytes = self
                .fetch(&name, MAX_META)?
                .ok_or_else(|| TufError::MetaNotFound(format!("{v}.root")))?;
            let step: Envelope<Root> = self.parse("root", bytes, "Root")?;
            if step.signed.version != v {
                return Err(TufError::Malformed {
                    role: format!("{v}.root"),
                    msg: format!("has version {}", step.signed.version),
                });
            }
            validate_root(&step, &check(self.gun, self.now, &prev.signed, v, false))
                .map_err(|e| root_err("root", e))?;
            prev = step;
        }
        validate_root(
            &newest,
            &check(self.gun, self.now, &prev.signed, prev.signed.version, true),
        )
        .map_err(|e| root_err("root", e))?;
        Ok(newest)
    }

    /// The keys and threshold root.json gives base role `name`.
    fn base_role(root: &Envelope<Root>, name: &str) -> (BTreeMap<String, Key>, i64) {
        let role = &root.signed.roles[name];
        let keys = role
            .ids()
            .iter()
            .filter_map(|id| root.signed.keys.get(id).map(|k| (id.clone(), k.clone())))
            .collect();
        (keys, role.threshold)
    }

    /// One pass of §6.2–6.5 under `root`: timestamp → snapshot → the targets tree.
    fn update_once(&self, root: &Envelope<Root>, lite: bool) -> Res<Walk> {
        let mut files = Pending::new();
        let mut warnings = Vec::new();
        let timestamp = self.load_timestamp(root, &mut files, &mut warnings)?;
        let snapshot = self.load_snapshot(root, &timestamp, &mut files)?;
        let mut targets = TargetsLoad {
            lite,
            files,
            indexes: Vec::new(),
        };
        let (roles, invalid) = self.load_targets_tree(root, &snapshot, &mut targets)?;
        Ok(Walk {
            timestamp,
            snapshot,
            roles,
            invalid,
            warnings,
            files: targets.files,
            indexes: targets.indexes,
        })
    }

    /// §6.2: the timestamp, always from the server; the cached copy sets the minimum version
    /// and is the fallback when the server cannot be reached.
    fn load_timestamp(
        &self,
        root: &Envelope<Root>,
        files: &mut Pending,
        warnings: &mut Vec<String>,
    ) -> Res<Envelope<MetaList>> {
        let (ts_keys, ts_threshold) = Self::base_role(root, roles::TIMESTAMP);
        let verify = |e: &Envelope<MetaList>| {
            verify_threshold(
                roles::TIMESTAMP,
                &e.canonical,
                &e.signatures,
                &ts_keys,
                ts_threshold,
            )
        };
        let cached_bytes = self.cache.read(roles::TIMESTAMP, MAX_TIMESTAMP);
        // The cached timestamp, if it still verifies: the version floor, and the fallback
        // when the server cannot be reached.
        let cached = |bytes: Option<Vec<u8>>| {
            bytes
                .and_then(|b| Envelope::<MetaList>::parse(b, "Timestamp").ok())
                .filter(|e| verify(e).is_ok())
        };
        match self.source.fetch("timestamp.json", MAX_TIMESTAMP) {
            Ok(Some(bytes)) => {
                // The very bytes cached: the same version, no floor to check (and no second
                // signature check).
                let same = cached_bytes.as_ref() == Some(&bytes);
                let ts: Envelope<MetaList> = self.parse(roles::TIMESTAMP, bytes, "Timestamp")?;
                verify(&ts).map_err(TufError::Signatures)?;
                if !same && let Some(c) = cached(cached_bytes) {
                    check_version(roles::TIMESTAMP, ts.signed.version, c.signed.version)?;
                }
                check_expiry(roles::TIMESTAMP, ts.signed.expires, self.now)?;
                files.insert(roles::TIMESTAMP.into(), ts.bytes.clone());
                Ok(ts)
            }
            Ok(None) => Err(TufError::MetaNotFound(roles::TIMESTAMP.into())),
            Err(e) if e.exit_code() == ExitCode::Network => match cached(cached_bytes) {
                Some(c) if c.signed.expires >= self.now => {
                    warnings.push(format!(
                        "cannot download the timestamp ({e}); using the cached timestamp, which \
                         might not be the latest version available remotely"
                    ));
                    Ok(c)
                }
                _ => Err(TufError::Remote(e)),
            },
            Err(e) => Err(TufError::Remote(e)),
        }
    }

    /// §6.3: the snapshot the timestamp names; it must name root and targets, and a root other
    /// than ours means the root was rotated.
    fn load_snapshot(
        &self,
        root: &Envelope<Root>,
        timestamp: &Envelope<MetaList>,
        files: &mut Pending,
    ) -> Res<Envelope<MetaList>> {
        let snap_meta = required_meta(&timestamp.signed, roles::SNAPSHOT, roles::TIMESTAMP)?;
        let (sn_keys, sn_threshold) = Self::base_role(root, roles::SNAPSHOT);
        let snapshot: Envelope<MetaList> = self.load(
            roles::SNAPSHOT,
            "Snapshot",
            snap_meta,
            &sn_keys,
            sn_threshold,
            files,
        )?;
        let root_meta = required_meta(&snapshot.signed, roles::ROOT, roles::SNAPSHOT)?;
        required_meta(&snapshot.signed, roles::TARGETS, roles::SNAPSHOT)?;
        if check_hashes(roles::ROOT, &root.bytes, root_meta).is_err() {
            return Err(TufError::RootOutdated(root_meta.clone()));
        }
        Ok(snapshot)
    }

    /// §6.5: `targets` and every delegation the snapshot names, pre-order, children in
    /// delegation order. Invalid delegations are skipped (and reported), as notary does.
    fn load_targets_tree(
        &self,
        root: &Envelope<Root>,
        snapshot: &Envelope<MetaList>,
        load: &mut TargetsLoad,
    ) -> Res<(Vec<LoadedRole>, Invalid)> {
        let (tg_keys, tg_threshold) = Self::base_role(root, roles::TARGETS);
        let mut loaded = Vec::new();
        let mut invalid = Vec::new();
        let (top, index) = self.load_targets(
            roles::TARGETS,
            &snapshot.signed.meta[roles::TARGETS],
            &tg_keys,
            tg_threshold,
            load,
        )?;
        check_delegations(roles::TARGETS, &top.signed.delegations)?;
        let mut stack = vec![LoadedRole {
            name: roles::TARGETS.into(),
            paths: vec![String::new()],
            keyids: tg_keys.keys().cloned().collect(),
            threshold: tg_threshold,
            env: top,
            index,
        }];
        while let Some(role) = stack.pop() {
            let children = self.load_children(&role, snapshot, load, &mut invalid)?;
            loaded.push(role);
            stack.extend(children.into_iter().rev());
        }
        Ok((loaded, invalid))
    }

    /// The delegations of `role` the snapshot names, loaded and checked; invalid ones go to
    /// `invalid` (and leave no file to cache).
    fn load_children(
        &self,
        role: &LoadedRole,
        snapshot: &Envelope<MetaList>,
        load: &mut TargetsLoad,
        invalid: &mut Invalid,
    ) -> Res<Vec<LoadedRole>> {
        let mut children = Vec::new();
        for d in &role.env.signed.delegations.roles {
            let Some(meta) = snapshot.signed.meta.get(&d.name) else {
                continue; // never published: nothing to load
            };
            if meta.hashes.is_empty() {
                continue;
            }
            let keys: BTreeMap<String, Key> = d
                .ids()
                .iter()
                .filter_map(|id| {
                    role.env
                        .signed
                        .delegations
                        .keys
                        .get(id)
                        .map(|k| (id.clone(), k.clone()))
                })
                .collect();
            let paths: Vec<String> = d
                .paths
                .iter()
                .filter(|p| role.paths.iter().any(|pp| p.starts_with(pp.as_str())))
                .cloned()
                .collect();
            match self.load_targets(&d.name, meta, &keys, d.threshold, load) {
                Ok((env, index)) => {
                    check_delegations(&d.name, &env.signed.delegations)?;
                    // No notary client writes a target outside the role's paths: the role is
                    // invalid (notary would silently drop the entry). Like an under-signed
                    // delegation it is skipped, nothing is cached, and a lookup through it
                    // (targets/releases) fails with exit 4.
                    let outside = match &index {
                        Some(index) => {
                            index
                                .first_outside(&paths)
                                .map_err(|msg| TufError::Malformed {
                                    role: d.name.clone(),
                                    msg,
                                })?
                        }
                        None => env
                            .signed
                            .targets
                            .keys()
                            .find(|t| !paths.iter().any(|p| t.starts_with(p.as_str())))
                            .cloned(),
                    };
                    if let Some(target) = outside {
                        let e = TufError::NotDelegated {
                            role: d.name.clone(),
                            target,
                        };
                        load.files.remove(&d.name);
                        load.indexes.retain(|p| p.role != d.name);
                        invalid.push((d.name.clone(), e.to_string()));
                        continue;
                    }
                    children.push(LoadedRole {
                        name: d.name.clone(),
                        paths,
                        keyids: d.ids().to_vec(),
                        threshold: d.threshold,
                        env,
                        index,
                    });
                }
                // notary skips an expired or under-signed delegation with a warning; the
                // lookup decides whether that is fatal for the role it needs.
                Err(
                    e @ (TufError::Expired { .. }
                    | TufError::Signatures(SigError::Threshold(_))
                    | TufError::Signatures(SigError::NoSignatures)),
                ) => {
                    load.files.remove(&d.name);
                    load.indexes.retain(|p| p.role != d.name);
                    invalid.push((d.name.clone(), e.to_string()));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(children)
    }

    /// A targets role (the top-level one or a delegation) named by its parent's FileMeta. A
    /// full read ([`Updater::load`]), or for lookups: from the verified index of exactly that
    /// file when the cache has one (expiry checked again), else the file — cached when it is
    /// exactly that file, else fetched — with every check [`Updater::load`] makes, read with
    /// the light parse ([`Lite`]) and indexed. Anything the light parse does not take (odd
    /// JSON) goes through [`Updater::load`], with its exact errors.
    fn load_targets(
        &self,
        role: &str,
        meta: &FileMeta,
        keys: &BTreeMap<String, Key>,
        threshold: i64,
        load: &mut TargetsLoad,
    ) -> Res<(Envelope<Targets>, Option<Arc<TargetIndex>>)> {
        if !load.lite {
            let env = self.load(role, "Targets", meta, keys, threshold, &mut load.files)?;
            return Ok((env, None));
        }
        let binding = index::key_binding(keys, threshold);
        if let Some(idx) = index::open(&self.cache.index_path(role), role, meta, &binding)
            && let TargetIndex::File { header, .. } = &idx
        {
            check_expiry(role, header.expires, self.now)?;
            let env = Envelope {
                signed: header.targets_head(),
                signatures: Vec::new(),
                canonical: Vec::new(),
                bytes: Vec::new(),
            };
            return Ok((env, Some(Arc::new(idx))));
        }
        let limit = meta_limit(meta);
        let (parsed, min_version) = match self.cache.read(role, limit) {
            Some(bytes) if check_hashes(role, &bytes, meta).is_ok() => (Lite::parse(bytes), None),
            cached => {
                let min_version =
                    cached.and_then(|b| self.verified_version(role, b, keys, threshold, &binding));
                let name = by_hash_name(role, meta)?;
                let bytes = self
                    .fetch(&name, limit)?
                    .ok_or_else(|| TufError::MetaNotFound(name.trim_end_matches(".json").into()))?;
                // A large file is hashed on another thread while it is read (the hash check
                // still decides first).
                let parsed = if bytes.len() >= PARALLEL_HASH_FROM {
                    Lite::parse_checked(bytes, |b| check_hashes(role, b, meta))?
                } else {
                    check_hashes(role, &bytes, meta)?;
                    Lite::parse(bytes)
                };
                (parsed, Some(min_version))
            }
        };
        let Ok(lite) = parsed else {
            let env = self.load(role, "Targets", meta, keys, threshold, &mut load.files)?;
            return Ok((env, None));
        };
        verify_threshold(role, &lite.canonical, &lite.signatures, keys, threshold)
            .map_err(TufError::Signatures)?;
        if let Some(min_version) = min_version {
            // Fetched: as in `load`, not older than the cached copy, version ≥ 1, and cached.
            if let Some(min) = min_version {
                check_version(role, lite.head.version, min)?;
            }
            if lite.head.version < 1 {
                return Err(TufError::Malformed {
                    role: role.into(),
                    msg: "version must be at least 1".into(),
                });
            }
            check_expiry(role, lite.head.expires, self.now)?;
            load.files.insert(role.to_string(), lite.bytes.clone());
        } else {
            check_expiry(role, lite.head.expires, self.now)?;
        }
        let header = index::Header::new(role, &lite.bytes, meta, binding, &lite.head);
        let env = Envelope {
            signed: lite.head,
            signatures: lite.signatures,
            canonical: Vec::new(),
            bytes: Vec::new(),
        };
        let idx = Arc::new(TargetIndex::Memory {
            bytes: lite.bytes,
            entries: lite.entries,
        });
        load.indexes.push(index::Pending {
            role: role.to_string(),
            header,
            index: idx.clone(),
        });
        Ok((env, Some(idx)))
    }

    /// The version of a cached targets file (the rollback floor for its replacement), if it
    /// still verifies with `keys` and `threshold`: from the index built from exactly that file
    /// with those keys when there is one, else by reading it.
    fn verified_version(
        &self,
        role: &str,
        bytes: Vec<u8>,
        keys: &BTreeMap<String, Key>,
        threshold: i64,
        binding: &str,
    ) -> Option<i64> {
        let meta = FileMeta {
            length: bytes.len() as i64,
            hashes: Hashes::from([("sha256".to_string(), Sha256::digest(&bytes).to_vec())]),
            custom: None,
        };
        if let Some(TargetIndex::File { header, .. }) =
            index::open(&self.cache.index_path(role), role, &meta, binding)
        {
            return Some(header.version);
        }
        let (version, canonical, signatures) = match Lite::parse(bytes) {
            Ok(l) => (l.head.version, l.canonical, l.signatures),
            Err(bytes) => {
                let e = Envelope::<Targets>::parse(bytes, "Targets").ok()?;
                (e.signed.version, e.canonical, e.signatures)
            }
        };
        verify_threshold(role, &canonical, &signatures, keys, threshold).ok()?;
        Some(version)
    }

    /// Loads a role named by its parent's FileMeta: the cached copy when it is exactly that
    /// file, else `<role>.<sha256>.json` from the server; then signatures, version (against the
    /// cached copy) and expiry.
    fn load<T: Signable>(
        &self,
        role: &str,
        ty: &str,
        meta: &FileMeta,
        keys: &BTreeMap<String, Key>,
        threshold: i64,
        files: &mut Pending,
    ) -> Res<Envelope<T>> {
        let limit = meta_limit(meta);
        let cached = self.cache.read(role, limit);
        if let Some(bytes) = &cached
            && check_hashes(role, bytes, meta).is_ok()
        {
            let env: Envelope<T> = self.parse(role, bytes.clone(), ty)?;
            verify_threshold(role, &env.canonical, &env.signatures, keys, threshold)
                .map_err(TufError::Signatures)?;
            check_expiry(role, env.signed.expires(), self.now)?;
            return Ok(env);
        }
        let min_version = cached
            .and_then(|b| Envelope::<T>::parse(b, ty).ok())
            .filter(|e| {
                verify_threshold(role, &e.canonical, &e.signatures, keys, threshold).is_ok()
            })
            .map(|e| e.signed.version());
        let name = by_hash_name(role, meta)?;
        let bytes = self
            .fetch(&name, limit)?
            .ok_or_else(|| TufError::MetaNotFound(name.trim_end_matches(".json").into()))?;
        check_hashes(role, &bytes, meta)?;
        let env: Envelope<T> = self.parse(role, bytes, ty)?;
        verify_threshold(role, &env.canonical, &env.signatures, keys, threshold)
            .map_err(TufError::Signatures)?;
        if let Some(min) = min_version {
            check_version(role, env.signed.version(), min)?;
        }
        if env.signed.version() < 1 {
            return Err(TufError::Malformed {
                role: role.into(),
                msg: "version must be at least 1".into(),
            });
        }
        check_expiry(role, env.signed.expires(), self.now)?;
        files.insert(role.to_string(), env.bytes.clone());
        Ok(env)
    }
}

/// From this size on, a fetched targets file is hashed while it is parsed (lookups only).
const PARALLEL_HASH_FROM: usize = 1 << 20;

/// How the targets tree is being read, and what it has verified so far.
struct TargetsLoad {
    /// For lookups ([`Updater::update_for_lookup`]).
    lite: bool,
    files: Pending,
    indexes: Vec<index::Pending>,
}

fn root_err(role: &str, e: RootError) -> TufError {
    match e {
        RootError::LowVersion { new, current } => TufError::LowVersion {
            role: role.into(),
            new,
            current,
        },
        RootError::Expired(at) => TufError::Expired {
            role: role.into(),
            at,
        },
        RootError::Malformed(msg) => TufError::Malformed {
            role: role.into(),
            msg,
        },
        other => TufError::Root(other),
    }
}

fn check_version(role: &str, new: i64, current: i64) -> Res<()> {
    if new < current {
        return Err(TufError::LowVersion {
            role: role.into(),
            new,
            current,
        });
    }
    Ok(())
}

fn check_expiry(role: &str, expires: OffsetDateTime, now: OffsetDateTime) -> Res<()> {
    if expires < now {
        return Err(TufError::Expired {
            role: role.into(),
            at: format_go_expiry(expires),
        });
    }
    Ok(())
}

/// A FileMeta the parent must carry, with a usable SHA-256.
fn required_meta<'a>(list: &'a MetaList, role: &str, parent: &str) -> Res<&'a FileMeta> {
    list.meta
        .get(role)
        .filter(|m| m.sha256().is_some())
        .ok_or_else(|| TufError::Malformed {
            role: parent.into(),
            msg: format!("no valid sha256 checksum for {role}"),
        })
}

/// Download bound for a file whose parent states its length (capped at 100 MiB).
fn meta_limit(meta: &FileMeta) -> u64 {
    u64::try_from(meta.length)
        .ok()
        .filter(|&l| l > 0)
        .map_or(MAX_META, |l| l.min(MAX_META))
}

fn by_hash_name(role: &str, meta: &FileMeta) -> Res<String> {
    let sha = meta.sha256().ok_or_else(|| TufError::Malformed {
        role: role.into(),
        msg: format!("no valid sha256 checksum for {role}"),
    })?;
    Ok(format!("{role}.{}.json", hex::encode(sha)))
}

/// Every supported hash the parent lists must match; at least one must be there. The length
/// must match too (it already bounded the download).
fn check_hashes(role: &str, bytes: &[u8], meta: &FileMeta) -> Res<()> {
    let mut checked = 0;
    for (alg, expected) in &meta.hashes {
        let actual = match alg.as_str() {
            "sha256" => Sha256::digest(bytes).to_vec(),
            "sha512" => Sha512::digest(bytes).to_vec(),
            _ => continue,
        };
        if &actual != expected {
            return Err(TufError::Checksum(format!(
                "{alg} checksum for {role} did not match: expected {}",
                hex::encode(expected)
            )));
        }
        checked += 1;
    }
    if checked == 0 {
        return Err(TufError::Checksum(format!(
            "no checksums for supported algorithms were provided for {role}"
        )));
    }
    if meta.length > 0 && bytes.len() as i64 != meta.length {
        return Err(TufError::Checksum(format!(
            "length of {role} did not match: expected {} bytes, got {}",
            meta.length,
            bytes.len()
        )));
    }
    Ok(())
}

/// §3.3: delegations must be direct children with known keys and a threshold ≥ 1.
fn check_delegations(role: &str, d: &Delegations) -> Res<()> {
    for child in &d.roles {
        let bad = |msg: String| TufError::Malformed {
            role: role.into(),
            msg,
        };
        if !is_delegation_name(&child.name) || parent_role(&child.name) != role {
            return Err(bad(format!(
                "delegation \"{}\" is not a direct child of {role}",
                child.name
            )));
        }
        if child.threshold < 1 {
            return Err(bad(format!("delegation {} has threshold < 1", child.name)));
        }
        if let Some(id) = child.ids().iter().find(|id| !d.keys.contains_key(*id)) {
            return Err(bad(format!(
                "delegation {} lists unknown key {id}",
                child.name
            )));
        }
    }
    Ok(())
}
