//! Trust data that outlives its server: `dct bundle create | verify | import`, and `--bundle
//! FILE` on `lookup`, `inspect` and `pull`.
//!
//! A bundle (`tuf::bundle`) holds every metadata file of some collections. Reading one runs the
//! same update workflow as a trust server read (`tuf::client::Updater` with the bundle as its
//! [`Source`]): signatures, thresholds, hashes, lengths, versions against the trust dir's cache,
//! delegation names and paths, root rotations — all checked in full. What differs:
//!
//! * **No trust on first use from a file.** The root must be reached from the root this trust
//!   dir has cached for the GUN (rotations followed through the bundle's chain), or — with no
//!   cached root — from the earliest root of the bundle's chain that `--pin-root` names and
//!   notary's `trust_pinning` (if it has an entry for the GUN) accepts. Nothing of that: exit 4,
//!   naming `--pin-root`.
//! * **Expiry** is checked now, or (`--at saved`, `--at TIME`) at the bundle's save time or a
//!   given time, never later than now, with a warning that freshness is then not proven.
//! * **Reads write nothing** (`lookup`, `inspect`, `pull`, `bundle verify`); `bundle import` writes
//!   the verified files into the cache, for every collection or none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::read::{self, LoadError, ReadFrom, Resolved};
use super::{Session, Ui};
use crate::error::{Error, ExitCode, Result};
use crate::fsutil;
use crate::reference::{Reference, RepoRef};
use crate::roles;
use crate::trust_dir::TrustDir;
use crate::tuf::bundle::{Bundle, BundleSource, Collection, MAX_BUNDLE};
use crate::tuf::cache::Cache;
use crate::tuf::client::{MAX_META, Repo, RoleFiles, Source, TufError, Updater};
use crate::tuf::meta::{Envelope, Root, format_go_time};
use crate::tuf::root::{Pinning, RootCheck, check_pin_root, root_key_ids, validate_root};

/// When expiry is checked (`--at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Now (the default).
    Now,
    /// When the bundle was saved (but never later than now).
    Saved,
    /// At this time (not later than now).
    Time(OffsetDateTime),
}

impl At {
    /// `now`, `saved` or an RFC 3339 time.
    pub fn parse(s: &str) -> std::result::Result<At, String> {
        match s {
            "now" => Ok(At::Now),
            "saved" => Ok(At::Saved),
            _ => OffsetDateTime::parse(s, &Rfc3339)
                .map(At::Time)
                .map_err(|e| {
                    format!("expected saved or an RFC 3339 time such as 2025-06-01T12:00:00Z ({e})")
                }),
        }
    }
}

/// A bundle read and checked for this run, with the time expiry is checked at.
#[derive(Debug)]
pub struct OpenBundle {
    /// The bundle file as given.
    pub file: PathBuf,
    /// The bundle, checked.
    pub bundle: Bundle,
    /// The time expiry is checked at.
    pub at: OffsetDateTime,
    /// Whether `at` is now (otherwise freshness is not proven).
    pub at_now: bool,
}

impl OpenBundle {
    /// The save time, RFC 3339.
    pub fn saved(&self) -> String {
        format_go_time(self.bundle.saved)
    }

    /// The time expiry is checked at, RFC 3339 (whole seconds).
    pub fn checked_at(&self) -> String {
        format_go_time(self.at.replace_nanosecond(0).unwrap_or(self.at))
    }

    fn label(&self) -> String {
        format!("bundle {}", self.file.display())
    }
}

/// Reads and checks a bundle file (a damaged or altered file: exit 2) and settles the time
/// expiry is checked at; when that is not now, warns that freshness is not proven.
pub fn open(ui: &dyn Ui, file: &Path, at: At) -> Result<OpenBundle> {
    let cannot =
        |e: std::io::Error| Error::invalid(format!("cannot read bundle {}: {e}", file.display()));
    let len = std::fs::metadata(file).map_err(cannot)?.len();
    if len > MAX_BUNDLE {
        return Err(Error::invalid(format!(
            "{}: {len} bytes, more than the {MAX_BUNDLE} a bundle may have",
            file.display()
        )));
    }
    let bytes = std::fs::read(file).map_err(cannot)?;
    open_bytes(ui, file, &bytes, at)
}

/// [`open`] for a bundle already read from `file`.
pub fn open_bytes(ui: &dyn Ui, file: &Path, bytes: &[u8], at: At) -> Result<OpenBundle> {
    let bundle = Bundle::from_bytes(bytes)
        .map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
    let now = OffsetDateTime::now_utc();
    let (at, at_now) = match at {
        At::Now => (now, true),
        At::Saved => (bundle.saved.min(now), false),
        At::Time(t) if t > now => {
            return Err(Error::invalid(format!(
                "--at {}: that is in the future; expiry is never checked later than now",
                format_go_time(t)
            )));
        }
        At::Time(t) => (t, false),
    };
    let open = OpenBundle {
        file: file.to_path_buf(),
        bundle,
        at,
        at_now,
    };
    ui.debug(&format!(
        "trust data from {} (saved {} by dct {}, {} collection(s)); no trust server is contacted",
        open.label(),
        open.saved(),
        open.bundle.dct_version,
        open.bundle.collections().len()
    ));
    if !at_now {
        ui.warn(&format!(
            "expiry is checked at {}{}, not now: this shows the trust data in {} was valid then, \
             not that it is still current (freshness is not proven)",
            open.checked_at(),
            if at == open.bundle.saved {
                " (when the bundle was saved)"
            } else {
                ""
            },
            open.file.display()
        ));
    }
    Ok(open)
}

/// One collection of a bundle, verified: the trust data, and the files `import` caches.
struct Checked {
    repo: Repo,
    files: RoleFiles,
}

/// Verifies `coll` from `open` against `trust`'s cache (rollback floor, cached root), writing
/// nothing. `anchor` replaces the root-trust rule (the self-check of `create`).
fn check(
    trust: &TrustDir,
    open: &OpenBundle,
    pinning: &Pinning,
    coll: &Collection,
    anchor: Option<Envelope<Root>>,
) -> std::result::Result<Checked, LoadError> {
    let gun = coll.gun.as_str();
    let cache = Cache::new(trust.path(), gun).map_err(LoadError::Other)?;
    let source = BundleSource {
        collection: coll,
        label: open.label(),
    };
    let (anchor, pinning) = match anchor {
        Some(a) => (Some(a), Pinning::default()),
        None if cache.read(roles::ROOT, MAX_META).is_some() => (None, pinning.clone()),
        // The pins chose the anchor; the chain from it may lead to roots they do not name.
        None => (
            Some(pinned_anchor(coll, pinning, open)?),
            Pinning {
                pin_root: Vec::new(),
                ..pinning.clone()
            },
        ),
    };
    let updater = Updater {
        gun,
        source: &source,
        cache: &cache,
        pinning: &pinning,
        now: open.at,
    };
    let (repo, files) = updater.verify(anchor.as_ref()).map_err(LoadError::Tuf)?;
    Ok(Checked { repo, files })
}

/// With no cached root: the earliest root of the bundle's chain that the pins accept — it holds
/// a `--pin-root` key (if any is given) and passes notary's `trust_pinning` for the GUN (if it
/// has an entry) — validated as a first root (certificates, CN, its own signatures).
fn pinned_anchor(
    coll: &Collection,
    pinning: &Pinning,
    open: &OpenBundle,
) -> std::result::Result<Envelope<Root>, LoadError> {
    let gun = coll.gun.as_str();
    let n = coll.root_version();
    let newest_ids = || {
        coll.root(n)
            .and_then(|b| Envelope::<Root>::parse(b.to_vec(), "Root").ok())
            .map(|r| {
                let ids: Vec<String> = root_key_ids(&r.signed).into_iter().map(|p| p.0).collect();
                ids.join(", ")
            })
            .unwrap_or_else(|| "no readable key".into())
    };
    if pinning.pin_root.is_empty() && !pinning.pins_gun(gun) {
        return Err(LoadError::Other(Error::Verification(format!(
            "no trusted root for {gun} in {}: this trust dir has no cached root for it and \
             nothing pins one, and a root from a file is never trusted on first use. Pass \
             --pin-root KEYID with a root key ID you trust (the bundle's root, version {n}, \
             lists {}; compare with `dct inspect --pretty` on a machine that trusts {gun}), or \
             pin {gun} in trust_pinning of the trust dir's config.json",
            open.label(),
            newest_ids()
        ))));
    }
    let first_contact = Pinning {
        pin_root: Vec::new(),
        disable_tofu: false,
        ..pinning.clone()
    };
    let mut why = None;
    for v in 1..=n {
        let malformed = |msg: String| {
            LoadError::Tuf(TufError::Malformed {
                role: format!("{v}.root"),
                msg,
            })
        };
        let bytes = coll.root(v).expect("the chain has every version").to_vec();
        let root: Envelope<Root> = Envelope::parse(bytes, "Root").map_err(|e| malformed(e.0))?;
        if root.signed.version != v as i64 {
            return Err(malformed(format!("has version {}", root.signed.version)));
        }
        if check_pin_root(&root.signed, &pinning.pin_root).is_err() {
            continue;
        }
        let check = RootCheck {
            gun,
            previous: None,
            pinning: Some(&first_contact),
            check_expiry: false,
            min_version: 1,
            now: open.at,
        };
        match validate_root(&root, &check) {
            Ok(()) => return Ok(root),
            Err(e) => why = Some(format!("root version {v}: {e}")),
        }
    }
    let pins = if pinning.pin_root.is_empty() {
        "trust_pinning".to_string()
    } else {
        format!("--pin-root {}", pinning.pin_root.join(", "))
    };
    Err(LoadError::Other(Error::Verification(match why {
        Some(why) => format!(
            "no root of {}'s chain for {gun} is acceptable: {why}",
            open.label()
        ),
        None => format!(
            "no root of {}'s chain for {gun} (versions 1 to {n}) matches {pins}; its newest root \
             lists {}",
            open.label(),
            newest_ids()
        ),
    })))
}

/// A failed bundle read for image `name`, in lookup's words, saying which bundle (and, when
/// the data has expired since it was saved, what `--at saved` would do).
fn error_for(e: LoadError, name: &str, open: &OpenBundle) -> Error {
    match e {
        LoadError::Tuf(t) => {
            let expired = matches!(t, TufError::Expired { .. });
            let note = if expired && open.at_now {
                format!(
                    "(trust data from {}, saved {}; it has expired since: `--at saved` checks \
                     expiry when it was saved, without proving freshness)",
                    open.label(),
                    open.saved()
                )
            } else {
                format!("(trust data from {}, saved {})", open.label(), open.saved())
            };
            t.into_error(name).with_note(&note)
        }
        LoadError::Other(e) => e,
    }
}

/// `read::load` for a run with `--bundle`: the collection of `reference` from the bundle,
/// verified without any request and without writing the cache.
pub(crate) fn load(
    session: &Session,
    ui: &dyn Ui,
    pinning: &Pinning,
    reference: &Reference,
    as_typed: &str,
) -> Result<Repo> {
    let open = session.bundle().expect("a run with --bundle");
    let gun = reference.name();
    let coll = open.bundle.collection(&gun).ok_or_else(|| {
        Error::NotSigned(format!(
            "remote trust data does not exist for {as_typed}: {} does not have trust data for \
             {gun}",
            open.label()
        ))
    })?;
    let checked = check(session.trust_dir(), open, pinning, coll, None)
        .map_err(|e| error_for(e, as_typed, open))?;
    for w in &checked.repo.warnings {
        ui.warn(w);
    }
    Ok(checked.repo)
}

/// One collection of a bundle as `bundle verify` reports it.
#[derive(Debug, Clone)]
pub struct VerifiedCollection {
    /// The GUN.
    pub name: String,
    /// The version of the collection's root.
    pub root_version: i64,
    /// The version of its timestamp.
    pub timestamp_version: i64,
    /// When the timestamp expires (RFC 3339).
    pub timestamp_expires: String,
    /// Every tag `dct lookup` resolves, in natural order.
    pub tags: Vec<Resolved>,
}

/// `dct bundle verify`: every collection of `open` verified (as `lookup --bundle` would), with
/// the tags `lookup` resolves; one result per collection, in bundle order.
pub fn verify(
    session: &Session,
    ui: &dyn Ui,
    open: &OpenBundle,
    pins: &[String],
) -> Result<Vec<Result<VerifiedCollection>>> {
    let pinning = session.pinning(pins)?;
    Ok(open
        .bundle
        .collections()
        .iter()
        .map(|coll| {
            let checked = check(session.trust_dir(), open, &pinning, coll, None)
                .map_err(|e| error_for(e, &coll.gun, open))?;
            for w in &checked.repo.warnings {
                ui.warn(w);
            }
            summarise(&checked.repo)
        })
        .collect())
}

fn summarise(repo: &Repo) -> Result<VerifiedCollection> {
    if let Some((role, why)) = repo
        .invalid
        .iter()
        .find(|(r, _)| roles::is_under(r, roles::RELEASES))
    {
        return Err(Error::Verification(format!(
            "trust data for {} failed verification in {role}, which tags are resolved through: \
             {why}",
            repo.gun
        )));
    }
    let mut names: Vec<&str> = repo
        .roles
        .iter()
        .flat_map(|r| r.env.signed.targets.keys().map(String::as_str))
        .collect();
    names.sort_by(|a, b| super::inspect::natural_cmp(a, b));
    names.dedup();
    let mut tags = Vec::new();
    for name in names {
        match read::resolve(repo, name) {
            Ok(r) => tags.push(r),
            Err(e) if e.exit_code() == ExitCode::NotSigned => {}
            Err(e) => return Err(e),
        }
    }
    Ok(VerifiedCollection {
        name: repo.gun.clone(),
        root_version: repo.root.signed.version,
        timestamp_version: repo.timestamp.signed.version,
        timestamp_expires: format_go_time(repo.timestamp.signed.expires),
        tags,
    })
}

/// One collection `bundle import` wrote into the cache.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The GUN.
    pub name: String,
    /// The version of the root written.
    pub root_version: i64,
    /// The version of the timestamp written.
    pub timestamp_version: i64,
}

/// `dct bundle import`: verifies every collection of `open` (as `bundle verify`) and, when all
/// of them verified completely, writes them into the trust dir's cache; otherwise nothing.
pub fn import(
    session: &Session,
    ui: &dyn Ui,
    open: &OpenBundle,
    pins: &[String],
) -> Result<Vec<Imported>> {
    let pinning = session.pinning(pins)?;
    let trust = session.trust_dir();
    let mut verified = Vec::new();
    for coll in open.bundle.collections() {
        let checked =
            check(trust, open, &pinning, coll, None).map_err(|e| error_for(e, &coll.gun, open))?;
        for w in &checked.repo.warnings {
            ui.warn(w);
        }
        if let Some((role, why)) = checked.repo.invalid.first() {
            return Err(Error::Verification(format!(
                "cannot import {}: its delegation {role} failed verification ({why}), and dct \
                 caches a collection only when all of its trust data verifies; nothing was \
                 imported",
                coll.gun
            )));
        }
        verified.push((coll, checked));
    }
    let mut out = Vec::new();
    for (coll, checked) in verified {
        Cache::new(trust.path(), &coll.gun)?.commit(&checked.files)?;
        out.push(Imported {
            name: coll.gun.clone(),
            root_version: checked.repo.root.signed.version,
            timestamp_version: checked.repo.timestamp.signed.version,
        });
    }
    Ok(out)
}

/// One collection `bundle create` saved.
#[derive(Debug, Clone)]
pub struct CreatedCollection {
    /// The GUN.
    pub name: String,
    /// The trust server it came from.
    pub server: String,
    /// The version of the root saved.
    pub root_version: u64,
    /// (name, sha256 hex, length) of each file, in bundle order.
    pub files: Vec<(String, String, u64)>,
}

/// What `bundle create` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// The bundle written.
    pub file: PathBuf,
    /// The save time (RFC 3339).
    pub saved: String,
    /// The bundle's length.
    pub length: u64,
    /// The collections saved, in bundle order.
    pub collections: Vec<CreatedCollection>,
}

/// `dct bundle create`: for each collection of `repos` (once each), the full verified update
/// `lookup` runs (cache included), then the root chain from version 1 from the trust server;
/// the bundle is checked to verify on its own from the roots just verified, then written to
/// `output` atomically, 0644.
pub fn create(
    session: &mut Session,
    ui: &dyn Ui,
    repos: &[RepoRef],
    pins: &[String],
    output: &Path,
) -> Result<Created> {
    let saved = match crate::config::source_date_epoch()? {
        Some(secs) => OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .filter(|t| *t <= OffsetDateTime::now_utc())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "SOURCE_DATE_EPOCH={secs}: the save time cannot be in the future"
                ))
            })?,
        None => OffsetDateTime::now_utc(),
    };
    let pinning = session.pinning(pins)?;
    let mut unique: BTreeMap<String, &RepoRef> = BTreeMap::new();
    for r in repos {
        unique.entry(r.gun()).or_insert(r);
    }
    let mut collections = Vec::new();
    let mut roots = BTreeMap::new();
    for (gun, r) in unique {
        ui.progress(&format!("Verifying trust data for {gun}"));
        let repo = read::load(session, ui, &pinning, r.reference(), r.as_typed())?;
        let parts = session.parts()?;
        let from = ReadFrom {
            http: parts.http,
            trust: parts.trust,
            server: parts.server,
            pinning: &pinning,
        };
        let (source, url) = read::server_source(from, r.reference(), "pull")?;
        let coll = collect(&repo, &source, &url).map_err(|e| e.into_error(r.as_typed()))?;
        roots.insert(gun, repo.root.clone());
        collections.push(coll);
    }
    let bundle = Bundle::new(saved, collections)?;
    let bytes = bundle.to_bytes()?;
    self_check(&bytes, &roots)?;
    fsutil::write_atomic_public(output, &bytes)?;
    Ok(Created {
        file: output.to_path_buf(),
        saved: format_go_time(bundle.saved),
        length: bytes.len() as u64,
        collections: bundle
            .collections()
            .iter()
            .map(|c| CreatedCollection {
                name: c.gun.clone(),
                server: c.server.clone(),
                root_version: c.root_version(),
                files: c
                    .files()
                    .iter()
                    .map(|(n, b)| {
                        use sha2::Digest;
                        (
                            n.clone(),
                            hex::encode(sha2::Sha256::digest(b)),
                            b.len() as u64,
                        )
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The files of a verified collection: the root chain (`<v>.root.json` from the server for
/// every version before the verified one), timestamp, snapshot, targets, every delegation that
/// was loaded, and those that were skipped as invalid (fetched again by the checksum the
/// snapshot gives, so that a reader comes to the same verdict).
fn collect(
    repo: &Repo,
    source: &dyn Source,
    server: &str,
) -> std::result::Result<Collection, TufError> {
    let malformed = |role: String, msg: String| TufError::Malformed { role, msg };
    let mut chain = Vec::new();
    for v in 1..repo.root.signed.version {
        let name = format!("{v}.root.json");
        let bytes = source
            .fetch(&name, MAX_META)
            .map_err(TufError::Remote)?
            .ok_or_else(|| {
                TufError::Remote(Error::Other(format!(
                    "the trust server does not have {name} for {}, and a bundle holds every                      root version from 1 (so that readers holding an older root can follow                      rotations): no bundle was written",
                    repo.gun
                )))
            })?;
        let root: Envelope<Root> =
            Envelope::parse(bytes, "Root").map_err(|e| malformed(format!("{v}.root"), e.0))?;
        if root.signed.version != v {
            return Err(malformed(
                format!("{v}.root"),
                format!("has version {}", root.signed.version),
            ));
        }
        chain.push(root.bytes);
    }
    chain.push(repo.root.bytes.clone());
    let mut delegations: BTreeMap<String, Vec<u8>> = repo
        .roles
        .iter()
        .skip(1)
        .map(|r| (r.name.clone(), r.env.bytes.clone()))
        .collect();
    for (role, _) in &repo.invalid {
        let meta = &repo.snapshot.signed.meta[role];
        let sha = meta.sha256().expect("a loaded role has a sha256");
        let bytes = source
            .fetch(&format!("{role}.{}.json", hex::encode(sha)), MAX_META)
            .map_err(TufError::Remote)?
            .ok_or_else(|| TufError::MetaNotFound(role.clone()))?;
        use sha2::Digest;
        if sha2::Sha256::digest(&bytes)[..] != sha[..] || bytes.len() as i64 != meta.length {
            return Err(TufError::Checksum(format!(
                "{role} changed on the server while the bundle was made"
            )));
        }
        delegations.insert(role.clone(), bytes);
    }
    Collection::new(
        &repo.gun,
        server,
        chain,
        repo.timestamp.bytes.clone(),
        repo.snapshot.bytes.clone(),
        repo.roles[0].env.bytes.clone(),
        delegations,
    )
    .map_err(|e| malformed(repo.gun.clone(), e.to_string()))
}

/// Reads `bytes` back as a bundle and verifies each collection on its own (an empty cache),
/// from the root just verified for it: what `create` writes is a bundle that verifies.
fn self_check(bytes: &[u8], roots: &BTreeMap<String, Envelope<Root>>) -> Result<()> {
    let bundle = Bundle::from_bytes(bytes)?;
    let empty = tempfile::tempdir()
        .map_err(|e| Error::Other(format!("cannot create a temporary directory: {e}")))?;
    let open = OpenBundle {
        file: PathBuf::from("(new bundle)"),
        bundle,
        at: OffsetDateTime::now_utc(),
        at_now: true,
    };
    let trust = TrustDir::new(empty.path());
    for coll in open.bundle.collections() {
        check(
            &trust,
            &open,
            &Pinning::default(),
            coll,
            Some(roots[&coll.gun].clone()),
        )
        .map_err(|e| {
            let e = error_for(e, &coll.gun, &open);
            Error::Other(format!("the new bundle does not verify: {e}"))
        })?;
    }
    Ok(())
}
