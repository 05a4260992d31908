//! Read use-cases over verified trust data: load a collection from its trust server through
//! the cache (`tuf::client`), resolve a tag with Docker's rule, and describe the collection for
//! `inspect`. This is where `tuf`, `remote` and `reference` meet; the CLI only formats.

use std::collections::VecDeque;
use std::path::Path;

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::inspect::{Delegation, RoleTargets, TrustData};
use crate::reference::Reference;
use crate::remote::trust::{TrustServer, trust_server_url};
use crate::remote::{Http, host_port};
use crate::tuf::cache::Cache;
use crate::tuf::client::{Repo, Source, TufError, Updater};
use crate::tuf::meta::Key;
use crate::tuf::root::Pinning;

/// Docker's roles for tag resolution, in priority order (§6.6).
pub const LOOKUP_ROLES: [&str; 2] = ["targets/releases", "targets"];

/// The trust server as the update workflow's metadata source.
struct ServerSource<'a> {
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

/// Where and how to read trust data.
pub struct ReadOptions<'a> {
    pub http: &'a Http,
    pub trust_dir: &'a Path,
    /// `-s/--server` (or `DOCKER_CONTENT_TRUST_SERVER`, which clap folds into it).
    pub server: Option<&'a str>,
    pub pinning: &'a Pinning,
}

/// Verifies and loads the trust data of `reference`'s collection, updating the shared cache.
/// Errors are worded for the image as typed.
pub fn load(opts: &ReadOptions<'_>, reference: &Reference, as_typed: &str) -> Result<Repo> {
    load_with(opts, reference, "pull").map_err(|e| match e {
        LoadError::Tuf(e) => e.into_error(as_typed),
        LoadError::Other(e) => e,
    })
}

/// Why [`load_with`] failed: the update's own error class, or a setup error.
pub enum LoadError {
    Tuf(TufError),
    Other(Error),
}

/// [`load`] with the token actions to ask for (`push,pull` before a publish, so one token
/// serves the whole run) and notary's error classes kept, so a writer can tell "no trust data
/// yet" from a failure.
pub fn load_with(
    opts: &ReadOptions<'_>,
    reference: &Reference,
    actions: &str,
) -> std::result::Result<Repo, LoadError> {
    let gun = reference.name();
    let setup = || -> Result<(ServerSource<'_>, Cache)> {
        let server = trust_server_url(opts.server, None, reference.domain())?;
        let source = ServerSource {
            server: TrustServer::new(opts.http, &server, &gun, actions)?,
            host: host_port(&server),
        };
        Ok((source, Cache::new(opts.trust_dir, &gun)?))
    };
    let (source, cache) = setup().map_err(LoadError::Other)?;
    Updater {
        gun: &gun,
        source: &source,
        cache: &cache,
        pinning: opts.pinning,
        now: OffsetDateTime::now_utc(),
    }
    .update()
    .map_err(LoadError::Tuf)
}

/// A tag resolved through verified trust data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub tag: String,
    pub digest: [u8; 32],
    pub size: i64,
    /// The role that holds the tag (`targets/releases` or `targets`).
    pub role: String,
    /// Signers (delegations other than releases) holding the same tag and digest.
    pub signers: Vec<String>,
}

impl Resolved {
    pub fn digest_string(&self) -> String {
        format!("sha256:{}", hex::encode(self.digest))
    }
}

/// Docker's resolution: `targets/releases` first, then `targets`; a hit anywhere else is not
/// accepted. Stricter than Docker: an invalid role on the lookup path is a verification
/// failure (exit 4), never "not signed".
pub fn resolve(repo: &Repo, tag: &str) -> Result<Resolved> {
    if let Some((role, why)) = repo
        .invalid
        .iter()
        .find(|(r, _)| r == "targets/releases" || r.starts_with("targets/releases/"))
    {
        return Err(Error::Verification(format!(
            "trust data for {} failed verification in {role}, which tags are resolved through: {why}",
            repo.gun
        )));
    }
    let found = repo
        .find_target(tag, &LOOKUP_ROLES)
        .map_err(|e| Error::Verification(format!("{}: {e}", repo.gun)))?;
    let Some(found) = found else {
        return Err(Error::NotSigned(format!("No valid trust data for {tag}")));
    };
    if !LOOKUP_ROLES.contains(&found.role.name.as_str()) {
        return Err(Error::NotSigned(format!("No trust data for {tag}")));
    }
    let digest = found.meta.sha256().ok_or_else(|| {
        Error::Verification(format!(
            "{} lists {tag} without a valid sha256 hash: not trusted",
            found.role.name
        ))
    })?;
    let signers = repo
        .roles
        .iter()
        .filter(|r| !LOOKUP_ROLES.contains(&r.name.as_str()))
        .filter(|r| {
            r.covers(tag)
                && r.env
                    .signed
                    .targets
                    .get(tag)
                    .is_some_and(|m| m.sha256() == Some(digest))
        })
        .map(|r| r.name.trim_start_matches("targets/").to_string())
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

/// The canonical ID of a metadata key (x509 keys → the ID of the key in the certificate).
fn canonical_id(id: &str, key: Option<&Key>) -> String {
    key.and_then(Key::canonical_id)
        .unwrap_or_else(|| id.to_string())
}

/// The collection as `docker trust inspect` sees it: valid roles breadth-first from `targets`.
pub fn trust_data(repo: &Repo) -> TrustData {
    let mut data = TrustData::default();
    let mut queue = VecDeque::from(["targets".to_string()]);
    while let Some(name) = queue.pop_front() {
        let Some(role) = repo.role(&name) else {
            continue;
        };
        let d = &role.env.signed.delegations;
        for child in &d.roles {
            data.delegations.push(Delegation {
                role: child.name.clone(),
                key_ids: child
                    .ids()
                    .iter()
                    .map(|id| canonical_id(id, d.keys.get(id)))
                    .collect(),
            });
            queue.push_back(child.name.clone());
        }
        data.roles.push(RoleTargets {
            role: role.name.clone(),
            paths: role.paths.clone(),
            targets: role
                .env
                .signed
                .targets
                .iter()
                .map(|(t, m)| (t.clone(), m.sha256()))
                .collect(),
        });
    }
    let root = &repo.root.signed;
    let ids = |r: &str| {
        root.roles
            .get(r)
            .map(|k| k.ids().to_vec())
            .unwrap_or_default()
    };
    data.root_key_ids = ids("root");
    data.targets_key_ids = ids("targets");
    data
}
