//! Reading verified trust data (`dct lookup`, and the first step of every other command):
//! load a collection from its trust server through the cache (`tuf::client`), and resolve a
//! tag with Docker's rule.

use time::OffsetDateTime;

use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::oci::Digest;
use crate::reference::{Reference, TagRef};
use crate::remote::trust::{TrustServer, trust_server_url};
use crate::remote::{Http, host_port};
use crate::roles::{self, LOOKUP_ORDER};
use crate::trust_dir::TrustDir;
use crate::tuf::cache::Cache;
use crate::tuf::client::{Repo, Source, TufError, Updater};
use crate::tuf::root::Pinning;

/// The trust server as the update workflow's metadata source.
pub(crate) struct ServerSource<'a> {
    server: TrustServer<'a>,
    host: String,
}

impl Source for ServerSource<'_> {
    fn fetch(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        self.server.get(name, limit)
    }

    fn host(&self) -> String {
        self.host.clone()
    }
}

/// Where trust data is read from and how it is trusted.
#[derive(Clone, Copy)]
pub(crate) struct ReadFrom<'a> {
    pub http: &'a Http,
    pub trust: &'a TrustDir,
    /// `-s/--server` (or `DOCKER_CONTENT_TRUST_SERVER`, which clap folds into it).
    pub server: Option<&'a str>,
    pub pinning: &'a Pinning,
}

/// Why [`load_with`] failed: the update's own error class, or a setup error.
pub(crate) enum LoadError {
    Tuf(TufError),
    Other(Error),
}

/// How much of a collection a read needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Every role's targets as typed maps and its exact bytes (to list, edit or re-publish).
    All,
    /// Single tags only (`lookup`, `pull`, `pin`): targets files are read without building
    /// maps, and an unchanged large one is answered from its verified index in the cache
    /// ([`Updater::update_for_lookup`]).
    Tags,
}

/// Verifies and loads the trust data of `reference`'s collection, updating the shared cache,
/// with the token actions to ask for (`push,pull` before a publish, so one token serves the
/// whole run) and notary's error classes kept, so a writer can tell "no trust data yet" from a
/// failure.
pub(crate) fn load_with(
    from: ReadFrom<'_>,
    reference: &Reference,
    actions: &str,
    need: Need,
) -> std::result::Result<Repo, LoadError> {
    let gun = reference.name();
    let setup = || -> Result<(ServerSource<'_>, Cache)> {
        let (source, _) = server_source(from, reference, actions)?;
        Ok((source, Cache::new(from.trust.path(), &gun)?))
    };
    let (source, cache) = setup().map_err(LoadError::Other)?;
    let updater = Updater {
        gun: &gun,
        source: &source,
        cache: &cache,
        pinning: from.pinning,
        now: OffsetDateTime::now_utc(),
    };
    match need {
        Need::All => updater.update(),
        Need::Tags => updater.update_for_lookup(),
    }
    .map_err(LoadError::Tuf)
}

/// The trust server of `reference`'s collection as a metadata source, and its URL.
pub(crate) fn server_source<'a>(
    from: ReadFrom<'a>,
    reference: &Reference,
    actions: &str,
) -> Result<(ServerSource<'a>, String)> {
    let server = trust_server_url(from.server, None, reference.domain())?;
    let source = ServerSource {
        server: TrustServer::new(from.http, &server, &reference.name(), actions)?,
        host: host_port(&server),
    };
    Ok((source, server.as_str().trim_end_matches('/').to_string()))
}

/// Verifies and loads the trust data of `reference`'s collection (errors worded for the image
/// as typed) from its trust server, or from the run's bundle (`--bundle`) when there is one;
/// warnings (a stale cached timestamp used, invalid delegations) go to `ui`.
pub fn load(
    session: &mut Session,
    ui: &dyn Ui,
    pinning: &Pinning,
    reference: &Reference,
    as_typed: &str,
) -> Result<Repo> {
    load_needing(session, ui, pinning, reference, as_typed, Need::All)
}

/// [`load`] for resolving single tags ([`resolve`]): the same verification, without typed
/// targets maps, answered from the cache's verified index when the repository is unchanged
/// (see `tuf::index`). The result cannot be listed or edited.
pub fn load_for_lookup(
    session: &mut Session,
    ui: &dyn Ui,
    pinning: &Pinning,
    reference: &Reference,
    as_typed: &str,
) -> Result<Repo> {
    load_needing(session, ui, pinning, reference, as_typed, Need::Tags)
}

fn load_needing(
    session: &mut Session,
    ui: &dyn Ui,
    pinning: &Pinning,
    reference: &Reference,
    as_typed: &str,
    need: Need,
) -> Result<Repo> {
    if session.bundle().is_some() {
        return super::bundle::load(session, ui, pinning, reference, as_typed);
    }
    let parts = session.parts()?;
    super::retired::note(parts.server, reference, ui);
    let from = ReadFrom {
        http: parts.http,
        trust: parts.trust,
        server: parts.server,
        pinning,
    };
    let repo = load_with(from, reference, "pull", need).map_err(|e| match e {
        LoadError::Tuf(e) => e.into_error(as_typed),
        LoadError::Other(e) => e,
    })?;
    for w in &repo.warnings {
        ui.warn(w);
    }
    Ok(repo)
}

/// At most this many collections are read at once by default (`--jobs`).
pub const DEFAULT_JOBS: usize = 8;

/// Verifies and loads the trust data of several collections at once: `refs` are (reference,
/// argument as typed for messages, what is needed of it), one per collection, and the answer
/// has one result per entry, in the same order. Up to `jobs` collections are read concurrently, each on a thread
/// of its own sharing the run's HTTP client (its connection pools and token cache); with one
/// reference or one job everything runs on the calling thread. Warnings stay in each
/// [`Repo`], for the caller to print in argument order.
pub(crate) fn load_many(
    from: ReadFrom<'_>,
    refs: &[(&Reference, &str, Need)],
    jobs: usize,
) -> Vec<Result<Repo>> {
    let one = |(reference, as_typed, need): &(&Reference, &str, Need)| {
        load_with(from, reference, "pull", *need).map_err(|e| match e {
            LoadError::Tuf(e) => e.into_error(as_typed),
            LoadError::Other(e) => e,
        })
    };
    let jobs = jobs.clamp(1, refs.len().max(1));
    if jobs == 1 {
        return refs.iter().map(one).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<Result<Repo>>>> =
        std::sync::Mutex::new(refs.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(r) = refs.get(i) else { break };
                    let result = one(r);
                    done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every reference was loaded"))
        .collect()
}

/// [`load_many`] for a run: from the run's bundle when it has one (`--bundle`: read one after
/// the other, nothing to wait for), else from the trust servers, up to `jobs` at once. Warnings
/// stay in each [`Repo`] for the caller to print (those of a bundle's are printed already).
pub(crate) fn load_all(
    session: &mut Session,
    ui: &dyn Ui,
    pinning: &Pinning,
    refs: &[(&Reference, &str, Need)],
    jobs: usize,
) -> Result<Vec<Result<Repo>>> {
    if session.bundle().is_some() {
        return Ok(refs
            .iter()
            .map(|(reference, as_typed, _)| {
                let mut repo = super::bundle::load(session, ui, pinning, reference, as_typed)?;
                repo.warnings.clear();
                Ok(repo)
            })
            .collect());
    }
    let parts = session.parts()?;
    for (reference, _, _) in refs {
        super::retired::note(parts.server, reference, ui);
    }
    let from = ReadFrom {
        http: parts.http,
        trust: parts.trust,
        server: parts.server,
        pinning,
    };
    Ok(load_many(from, refs, jobs))
}

/// A tag resolved through verified trust data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The full repository name (the GUN).
    pub name: String,
    /// The tag.
    pub tag: String,
    /// The signed manifest digest.
    pub digest: Digest,
    /// The signed manifest length.
    pub size: i64,
    /// The role that holds the tag (`targets/releases` or `targets`).
    pub role: String,
    /// Signers (delegations other than releases) holding the same tag and digest.
    pub signers: Vec<String>,
}

/// Exit 4 when a role on Docker's resolution path (`targets/releases` or `targets`) failed
/// verification: stricter than Docker, which would report such a tag as not signed.
fn resolution_path_valid(repo: &Repo) -> Result<()> {
    if let Some((role, why)) = repo
        .invalid
        .iter()
        .find(|(r, _)| roles::is_under(r, roles::RELEASES))
    {
        return Err(Error::Verification(format!(
            "trust data for {} failed verification in {role}, which tags are resolved through: {why}",
            repo.gun
        )));
    }
    Ok(())
}

/// Docker's resolution: `targets/releases` first, then `targets`; a hit anywhere else is not
/// accepted. Stricter than Docker: an invalid role on the lookup path is a verification
/// failure (exit 4), never "not signed".
pub fn resolve(repo: &Repo, tag: &str) -> Result<Resolved> {
    resolution_path_valid(repo)?;
    let found = repo
        .find_target(tag, &LOOKUP_ORDER)
        .map_err(|e| Error::Verification(format!("{}: {e}", repo.gun)))?;
    let gun = &repo.gun;
    let Some(found) = found else {
        // Docker's line first (scripts match it), then what to do.
        return Err(Error::NotSigned(format!(
            "No valid trust data for {tag}\n{gun}:{tag} is not signed: `dct inspect {gun}` lists \
             the signed tags, `dct sign {gun}:{tag}` signs it"
        )));
    };
    if !roles::is_released(&found.role.name) {
        return Err(Error::NotSigned(format!(
            "No trust data for {tag}\n{gun}:{tag} is signed only by {}, outside targets/releases, \
             which docker pull does not accept: `dct inspect {gun}` shows its signers",
            found.role.name
        )));
    }
    let digest = found.meta.sha256().map(Digest).ok_or_else(|| {
        Error::Verification(format!(
            "{} lists {tag} without a valid sha256 hash: not trusted",
            found.role.name
        ))
    })?;
    let signers = repo
        .roles
        .iter()
        .filter(|r| !roles::is_released(&r.name))
        .filter(|r| {
            r.covers(tag)
                && r.target(tag)
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.sha256() == Some(digest.0))
        })
        .map(|r| roles::signer_name(&r.name).to_string())
        .collect();
    Ok(Resolved {
        name: repo.gun.clone(),
        tag: tag.to_string(),
        digest,
        size: found.meta.length,
        role: found.role.name.clone(),
        signers,
    })
}

/// `dct lookup IMAGE…`: the signed digest of every tag, in the order given, each collection
/// read once and up to `jobs` of them at once (see [`load_many`]). A failure is the result of
/// its own tags only; warnings go to `ui` once per collection, in argument order.
pub fn lookup_many(
    session: &mut Session,
    ui: &dyn Ui,
    tags: &[TagRef],
    pins: &[String],
    jobs: usize,
) -> Result<Vec<Result<Resolved>>> {
    let pinning = session.pinning(pins)?;
    // One load per collection, in order of first appearance.
    let mut first: Vec<usize> = Vec::new();
    let mut slot: Vec<usize> = Vec::with_capacity(tags.len());
    for (i, t) in tags.iter().enumerate() {
        match first.iter().position(|&j| tags[j].gun() == t.gun()) {
            Some(k) => slot.push(k),
            None => {
                slot.push(first.len());
                first.push(i);
            }
        }
    }
    let refs: Vec<(&Reference, &str, Need)> = first
        .iter()
        .map(|&i| (tags[i].reference(), tags[i].as_typed(), Need::Tags))
        .collect();
    let repos = load_all(session, ui, &pinning, &refs, jobs)?;
    for repo in repos.iter().flatten() {
        for w in &repo.warnings {
            ui.warn(&format!("{}: {w}", repo.gun));
        }
    }
    let out = tags
        .iter()
        .zip(&slot)
        .map(|(t, &k)| match &repos[k] {
            Ok(repo) => resolve(repo, t.tag()),
            Err(e) => Err(e.duplicate()),
        })
        .collect();
    // As in `lookup`: the process exits soon, freeing would only cost time.
    std::mem::forget(repos);
    Ok(out)
}

/// The tags `digest` is signed as under Docker's rule (in `targets/releases` or `targets`),
/// from a repository read in full; an invalid role on that path is a verification failure,
/// as in [`resolve`].
pub fn tags_signed_as(repo: &Repo, digest: &Digest) -> Result<Vec<String>> {
    resolution_path_valid(repo)?;
    let mut tags: Vec<String> = repo
        .roles
        .iter()
        .filter(|r| roles::is_released(&r.name))
        .flat_map(|r| {
            r.env
                .signed
                .targets
                .iter()
                .filter(|(name, m)| r.covers(name) && m.sha256() == Some(digest.0))
                .map(|(name, _)| name.clone())
        })
        .collect();
    tags.sort();
    tags.dedup();
    Ok(tags)
}

/// `dct lookup`: the signed digest of `tag`, through verified trust data pinned by `pins`
/// (`--pin-root`) besides the trust dir's pinning config.
pub fn lookup(
    session: &mut Session,
    ui: &dyn Ui,
    tag: &TagRef,
    pins: &[String],
) -> Result<Resolved> {
    let pinning = session.pinning(pins)?;
    let repo = load_for_lookup(session, ui, &pinning, tag.reference(), tag.as_typed())?;
    let resolved = resolve(&repo, tag.tag());
    // The process exits right after this: freeing a large repository's metadata (tens of
    // thousands of map nodes for 10,000 targets) would only cost time (~10 % of a warm
    // 10,000-target lookup), so it is left to the OS.
    std::mem::forget(repo);
    resolved
}
