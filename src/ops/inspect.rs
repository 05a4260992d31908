//! `dct inspect`: from verified trust data to exactly the bytes
//! `docker trust inspect [--pretty]` prints (docker CLI 28, `cli/command/trust/inspect*.go`,
//! `common.go`), so scripts written against docker keep working with dct.
//!
//! Docker's rules reproduced here:
//! * a row per distinct (tag, sha256) held by `targets` or `targets/releases`; its signers are the
//!   other delegations holding the very same (tag, sha256), in metadata walk order; none means
//!   "Repo Admin". Tags only a signer's own role holds are not listed.
//! * rows in natural tag order (`v1` < `v01` < `v2` < `v10`). Docker orders the two rows of one tag
//!   with different digests at random; we put the `targets/releases` row first.
//! * JSON `Signers`: every delegation but `targets/releases`, by name descending (byte order),
//!   keys in metadata order; `AdministrativeKeys`: Root, then Repository, keys in `root.json` order.
//! * pretty: signers of a row sorted bytewise, signer list in natural order with keys sorted and
//!   cut to 12 characters, administrative key IDs sorted, Repository before Root.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use std::collections::VecDeque;

use super::{Session, Ui, read};
use crate::canonical::html_escape;
use crate::error::{Error, Result};
use crate::reference::Reference;
use crate::roles::{self, RELEASES, TARGETS};
use crate::tabwriter::layout_docker as layout;
use crate::tuf::client::Repo;

const REPO_ADMIN: &str = "Repo Admin";

/// One role's signed targets, as notary's `GetAllTargetMetadataByName` walks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleTargets {
    /// `targets`, `targets/releases`, `targets/alice`, `targets/a/b`…
    pub role: String,
    /// The role's delegation paths after restriction by its parents (`""` = every name); a role
    /// is only consulted for a tag one of them is a prefix of. Ignored for `targets`.
    pub paths: Vec<String>,
    /// (target name, its sha256 hash if it has one), in any order.
    pub targets: Vec<(String, Option<[u8; 32]>)>,
}

/// A delegation declared in a verified targets file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    /// Full role name, e.g. `targets/alice`.
    pub role: String,
    /// Canonical key IDs (certificates' public keys), in the metadata's order.
    pub key_ids: Vec<String>,
}

/// Verified trust data of one collection, in a form independent of the TUF code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustData {
    /// Roles whose metadata exists, in notary's walk order: breadth-first from `targets`,
    /// children in `delegations.roles` order (only valid delegations).
    pub roles: Vec<RoleTargets>,
    /// Every delegation declared by the walked roles, in the same walk order.
    pub delegations: Vec<Delegation>,
    /// `root.json` `roles.root.keyids`, in file order.
    pub root_key_ids: Vec<String>,
    /// `root.json` `roles.targets.keyids`, in file order.
    pub targets_key_ids: Vec<String>,
}

/// One row of "SignedTags".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTag {
    /// The tag (the target name).
    pub tag: String,
    /// Lower-case hex sha256, empty when the target has no sha256 hash (as docker prints it).
    pub digest: String,
    /// Signer names in walk order; empty means signed by the repository admin only.
    pub signers: Vec<String>,
}

/// A signer (delegation other than `targets/releases`) and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// Role name without `targets/`.
    pub name: String,
    /// IDs of the signer's keys, sorted.
    pub key_ids: Vec<String>,
}

/// What `docker trust inspect` reports for one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectResult {
    /// The argument exactly as typed.
    pub name: String,
    /// Sorted as docker prints them.
    pub signed_tags: Vec<SignedTag>,
    /// Sorted by name descending, as in docker's JSON.
    pub signers: Vec<Signer>,
    /// IDs of the root keys ("Root Key" of the administrative keys).
    pub root_key_ids: Vec<String>,
    /// IDs of the targets keys ("Repository Key").
    pub repository_key_ids: Vec<String>,
}

/// The tag docker looks up for a reference: none for digest references (even `name:tag@digest`),
/// which therefore list every tag.
pub fn lookup_tag(reference: &Reference) -> Option<&str> {
    match reference.digest() {
        Some(_) => None,
        None => reference.tag(),
    }
}

fn signer_name(role: &str) -> &str {
    if roles::is_released(role) {
        REPO_ADMIN
    } else {
        roles::signer_name(role)
    }
}

/// Docker's lookup for one argument: `arg_as_typed` is echoed as the name, `tag` restricts the
/// rows to that tag (see [`lookup_tag`]).
pub fn build(arg_as_typed: &str, tag: Option<&str>, data: &TrustData) -> InspectResult {
    // All (role, tag, digest) the walk yields, as GetAllTargetMetadataByName returns them.
    let mut all = Vec::new();
    for role in &data.roles {
        if let Some(t) = tag
            && role.role != TARGETS
            && !role.paths.iter().any(|p| t.starts_with(p.as_str()))
        {
            continue;
        }
        for (name, sha) in &role.targets {
            if tag.is_none_or(|t| t == name) {
                let digest = sha.map(hex::encode).unwrap_or_default();
                all.push((role.role.as_str(), name.as_str(), digest));
            }
        }
    }
    // (tag, digest) -> (held by targets/releases, signers)
    let mut released: BTreeMap<(&str, &str), (bool, Vec<String>)> = BTreeMap::new();
    for (role, name, digest) in &all {
        if roles::is_released(role) {
            let entry = released.entry((*name, digest.as_str())).or_default();
            entry.0 |= *role == RELEASES;
        }
    }
    for (role, name, digest) in &all {
        if let Some(entry) = released.get_mut(&(*name, digest.as_str()))
            && !roles::is_released(role)
        {
            entry.1.push(signer_name(role).to_string());
        }
    }
    let mut rows: Vec<_> = released.into_iter().collect();
    rows.sort_by(|((t1, d1), (r1, _)), ((t2, d2), (r2, _))| {
        natural_cmp(t1, t2).then(r2.cmp(r1)).then(d1.cmp(d2))
    });
    let signed_tags = rows
        .into_iter()
        .map(|((tag, digest), (_, signers))| SignedTag {
            tag: tag.to_string(),
            digest: digest.to_string(),
            signers,
        })
        .collect();

    // A map by signer name, as docker builds it (a later duplicate wins).
    let mut by_name = BTreeMap::new();
    for d in &data.delegations {
        if !matches!(
            d.role.as_str(),
            RELEASES | "root" | "snapshot" | TARGETS | "timestamp"
        ) {
            by_name.insert(signer_name(&d.role).to_string(), d.key_ids.clone());
        }
    }
    let signers = by_name
        .into_iter()
        .rev()
        .map(|(name, key_ids)| Signer { name, key_ids })
        .collect();

    InspectResult {
        name: arg_as_typed.to_string(),
        signed_tags,
        signers,
        root_key_ids: data.root_key_ids.clone(),
        repository_key_ids: data.targets_key_ids.clone(),
    }
}

/// fvbommel/sortorder `NaturalLess` as an ordering: digit runs compare by value, then the one
/// with fewer leading zeros first; everything else bytewise; digits before other bytes.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// fvbommel/sortorder `NaturalLess`, byte for byte.
pub fn natural_less(s1: &str, s2: &str) -> bool {
    let (a, b) = (s1.as_bytes(), s2.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (d1, d2) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if d1 != d2 {
            return d1;
        }
        if !d1 {
            if a[i] != b[j] {
                return a[i] < b[j];
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (nz1, nz2) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if i - nz1 != j - nz2 {
            return i - nz1 < j - nz2;
        }
        if a[nz1..i] != b[nz2..j] {
            return a[nz1..i] < b[nz2..j];
        }
        if nz1 != nz2 {
            return nz1 < nz2;
        }
    }
    a.len() < b.len()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonRepo<'a> {
    name: &'a str,
    signed_tags: Vec<JsonRow<'a>>,
    signers: Vec<JsonSigner<'a>>,
    administrative_keys: Vec<JsonSigner<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonRow<'a> {
    signed_tag: &'a str,
    digest: &'a str,
    signers: Vec<&'a str>,
}

/// Go's `omitempty` on both fields: a signer without keys has no "Keys".
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonSigner<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keys: Vec<JsonKey<'a>>,
}

#[derive(Serialize)]
struct JsonKey<'a> {
    #[serde(rename = "ID", skip_serializing_if = "str::is_empty")]
    id: &'a str,
}

fn json_keys(ids: &[String]) -> Vec<JsonKey<'_>> {
    ids.iter().map(|id| JsonKey { id }).collect()
}

/// The JSON docker prints: `json.MarshalIndent`-style 4-space indent, Go's HTML escaping, and a
/// final newline; `[]\n` when there is no result.
pub fn to_json(results: &[InspectResult]) -> String {
    let repos: Vec<JsonRepo> = results
        .iter()
        .map(|r| JsonRepo {
            name: &r.name,
            signed_tags: r
                .signed_tags
                .iter()
                .map(|row| JsonRow {
                    signed_tag: &row.tag,
                    digest: &row.digest,
                    signers: if row.signers.is_empty() {
                        vec![REPO_ADMIN]
                    } else {
                        row.signers.iter().map(String::as_str).collect()
                    },
                })
                .collect(),
            signers: r
                .signers
                .iter()
                .map(|s| JsonSigner {
                    name: &s.name,
                    keys: json_keys(&s.key_ids),
                })
                .collect(),
            administrative_keys: vec![
                JsonSigner {
                    name: "Root",
                    keys: json_keys(&r.root_key_ids),
                },
                JsonSigner {
                    name: "Repository",
                    keys: json_keys(&r.repository_key_ids),
                },
            ],
        })
        .collect();
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    repos
        .serialize(&mut ser)
        .expect("serialising plain structs to memory cannot fail");
    let mut out = String::from_utf8(html_escape(&buf)).expect("escaping keeps UTF-8");
    out.push('\n');
    out
}

/// Docker's key ID shortening (`stringid.TruncateID`): drop any `algo:` prefix, keep 12.
fn truncate_id(id: &str) -> &str {
    let id = id.split_once(':').map_or(id, |(_, rest)| rest);
    id.char_indices().nth(12).map_or(id, |(i, _)| &id[..i])
}

fn sorted(ids: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = ids.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// The `--pretty` tables, results separated by a blank line pair as docker prints them.
pub fn to_pretty(results: &[InspectResult]) -> String {
    let mut out = String::new();
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        pretty_one(&mut out, r);
    }
    out
}

fn pretty_one(out: &mut String, r: &InspectResult) {
    let name = &r.name;
    if r.signed_tags.is_empty() {
        let _ = write!(out, "\nNo signatures for {name}\n\n");
    } else {
        let _ = write!(out, "\nSignatures for {name}\n\n");
        let mut rows = vec![vec![
            "SIGNED TAG".to_string(),
            "DIGEST".to_string(),
            "SIGNERS".to_string(),
        ]];
        for row in &r.signed_tags {
            let signers = if row.signers.is_empty() {
                format!("({REPO_ADMIN})")
            } else {
                sorted(&row.signers).join(", ")
            };
            rows.push(vec![row.tag.clone(), row.digest.clone(), signers]);
        }
        out.push_str(&layout(&rows, 10, 3));
    }
    if !r.signers.is_empty() {
        let _ = write!(out, "\nList of signers and their keys for {name}\n\n");
        let mut signers: Vec<&Signer> = r.signers.iter().collect();
        signers.sort_by(|a, b| natural_cmp(&a.name, &b.name));
        let mut rows = vec![vec!["SIGNER".to_string(), "KEYS".to_string()]];
        for s in signers {
            let keys: Vec<&str> = sorted(&s.key_ids).into_iter().map(truncate_id).collect();
            rows.push(vec![s.name.clone(), keys.join(", ")]);
        }
        out.push_str(&layout(&rows, 10, 3));
    }
    let _ = write!(out, "\nAdministrative keys for {name}\n\n");
    let _ = writeln!(
        out,
        "  Repository Key:\t{}",
        sorted(&r.repository_key_ids).join(", ")
    );
    let _ = writeln!(out, "  Root Key:\t{}", sorted(&r.root_key_ids).join(", "));
}

/// The collection as `docker trust inspect` sees it: valid roles breadth-first from `targets`.
pub fn trust_data(repo: &Repo) -> TrustData {
    let mut data = TrustData::default();
    let mut queue = VecDeque::from([TARGETS.to_string()]);
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
                    .map(|id| {
                        d.keys
                            .get(id)
                            .and_then(|k| k.canonical_id())
                            .unwrap_or_else(|| id.clone())
                    })
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
    data.root_key_ids = ids(roles::ROOT);
    data.targets_key_ids = ids(TARGETS);
    data
}

/// `dct inspect`: Docker's result for each argument (as typed), in order; an argument that
/// cannot be read gets its error instead. Each collection is read once, up to `jobs` at once
/// (see [`read::load_many`]); warnings go to `ui` once per collection. With
/// `stop_at_first_error` (docker's `--pretty`), the results end with the first failure.
pub fn inspect(
    session: &mut Session,
    ui: &dyn Ui,
    args: &[String],
    pins: &[String],
    stop_at_first_error: bool,
    jobs: usize,
) -> Result<Vec<Result<InspectResult>>> {
    let pinning = session.pinning(pins)?;
    let parsed: Vec<Result<Reference>> = args.iter().map(|a| Reference::parse(a)).collect();
    // One load per collection, in order of first appearance.
    let mut guns: Vec<String> = Vec::new();
    let mut refs: Vec<(&Reference, &str, read::Need)> = Vec::new();
    let mut slot: Vec<Option<usize>> = Vec::with_capacity(args.len());
    for (arg, p) in args.iter().zip(&parsed) {
        let Ok(reference) = p else {
            slot.push(None);
            continue;
        };
        let gun = reference.name();
        match guns.iter().position(|g| *g == gun) {
            Some(k) => slot.push(Some(k)),
            None => {
                slot.push(Some(guns.len()));
                guns.push(gun);
                refs.push((reference, arg.as_str(), read::Need::All));
            }
        }
    }
    let repos = read::load_all(session, ui, &pinning, &refs, jobs)?;
    for repo in repos.iter().flatten() {
        for w in &repo.warnings {
            ui.warn(w);
        }
    }
    let mut out = Vec::new();
    for ((arg, p), k) in args.iter().zip(parsed).zip(slot) {
        let outcome = p.and_then(|reference| {
            let k = k.expect("a parsed reference has a collection");
            let repo = repos[k].as_ref().map_err(Error::duplicate)?;
            let tag = lookup_tag(&reference).map(str::to_string);
            Ok(build(arg, tag.as_deref(), &trust_data(repo)))
        });
        let failed = outcome.is_err();
        out.push(outcome);
        if failed && stop_at_first_error {
            break;
        }
    }
    // Not freed: the process exits soon, and freeing large repositories only costs time.
    std::mem::forget(repos);
    Ok(out)
}

/// The results that were read, and the most serious failure ([`crate::error::worst`]) as the
/// exit status (each failure is reported per argument).
pub fn worst_error(results: Vec<Result<InspectResult>>) -> (Vec<InspectResult>, Option<Error>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(r) => ok.push(r),
            Err(e) => failed.push(e),
        }
    }
    (ok, crate::error::worst(failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest as _, Sha256};

    const ALICE: &str = "b0a8f81700658a50f040b8194f605ea5c1bca711e3e55c290374d1895cb030f8";
    const BOB: &str = "6f80765f8510f5cbde81591cff09cd90eaa275c9c64244046f8bf9d34f9891ad";
    const ALICE10: &str = "57822be38a66b09950e8b9cbf5cbb5b1a1152a6409baf65d09e941fb60882b33";
    const ALICE2: &str = "5de2426afb49c10aa966b78b7fe6da9d597b13ed8b0c034a76f9353590032293";
    const APP: &str = "registry.example.com/ref/app";

    /// The digests make-golden.sh signed: sha256 of a short text.
    fn h(text: &str) -> Option<[u8; 32]> {
        Some(Sha256::digest(text.as_bytes()).into())
    }

    fn role(name: &str, targets: &[(&str, &str)]) -> RoleTargets {
        RoleTargets {
            role: name.to_string(),
            paths: vec![String::new()],
            targets: targets.iter().map(|(t, d)| (t.to_string(), h(d))).collect(),
        }
    }

    fn delegation(role: &str, keys: &[&str]) -> Delegation {
        Delegation {
            role: role.to_string(),
            key_ids: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// registry.example.com/ref/app as tests/golden/inspect/README.md describes it.
    fn app() -> TrustData {
        let top: Vec<(&str, &str)> = ["latest", "v01", "v1", "v10", "v2", "x<y>&z"]
            .iter()
            .map(|t| (*t, *t))
            .collect();
        TrustData {
            roles: vec![
                role("targets", &top),
                role(
                    "targets/alice",
                    &[
                        ("rel1", "rel1"),
                        ("rel2", "rel2-other"),
                        ("alice-only", "alice-only"),
                    ],
                ),
                role(
                    "targets/releases",
                    &[
                        ("rel1", "rel1"),
                        ("rel2", "rel2"),
                        ("v2", "v2-release"),
                        ("v1", "v1"),
                    ],
                ),
                role("targets/bob", &[("rel1", "rel1"), ("rel2", "rel2")]),
                role("targets/alice10", &[("v2", "v2-release")]),
                role("targets/alice2", &[("v1", "v1")]),
            ],
            delegations: vec![
                delegation("targets/alice", &[ALICE]),
                delegation("targets/releases", &[ALICE, BOB, ALICE10, ALICE2]),
                delegation("targets/bob", &[BOB]),
                delegation("targets/alice10", &[ALICE10]),
                delegation("targets/alice2", &[ALICE2]),
            ],
            root_key_ids: ids(&[
                "ccab757bc0a5675062835fb2e1faa9527392bed2786ba2546a67ef5324271f5f",
            ]),
            targets_key_ids: ids(&[
                "93c4646553da664e7bf0c47c4578bac2c91b7d6845ef0d17a2c21bba7f029ebb",
            ]),
        }
    }

    fn empty() -> TrustData {
        TrustData {
            roles: vec![role("targets", &[])],
            root_key_ids: ids(&[
                "f3a48ccb6a8e8b5d69e65a6da93ac64fa3cceb77d2b8fcda13c50b70c17e05f6",
            ]),
            targets_key_ids: ids(&[
                "2a2108300a1d2c3de818a8c1fd29e621316c6a39eab065dcaa65dfe9b5f62a01",
            ]),
            ..TrustData::default()
        }
    }

    fn plain() -> TrustData {
        TrustData {
            roles: vec![role("targets", &[("v1", "plain-v1")])],
            root_key_ids: ids(&[
                "e4ee1789323b68c25e389af57adcd46c1cf93ccdec56cbdcaed807130992d235",
            ]),
            targets_key_ids: ids(&[
                "a3cfb9d2784d46a34a6acf180ce3b3f660b8fc1c648f9444da4144cba2562cf8",
            ]),
            ..TrustData::default()
        }
    }

    /// Builds the result for `arg` the way `dct inspect` will: the tag comes from the reference.
    fn inspect(arg: &str, data: &TrustData) -> InspectResult {
        let reference = Reference::parse(arg).unwrap();
        build(arg, lookup_tag(&reference), data)
    }

    macro_rules! golden {
        ($name:literal) => {
            include_str!(concat!("../../tests/golden/inspect/", $name, ".out"))
        };
    }

    #[test]
    fn json_matches_docker() {
        let d = format!("sha256:{}", hex::encode(h("v1").unwrap()));
        let (app, empty, plain) = (app(), empty(), plain());
        let cases: Vec<(String, &TrustData, &str)> = vec![
            (APP.to_string(), &app, golden!("app-json")),
            (format!("{APP}:v2"), &app, golden!("app-tag-json")),
            (format!("{APP}@{d}"), &app, golden!("app-digest-json")),
            (format!("{APP}:v1@{d}"), &app, golden!("app-tagdigest-json")),
            (format!("{APP}:nope"), &app, golden!("app-missing-tag-json")),
            (
                "registry.example.com/ref/empty".into(),
                &empty,
                golden!("empty-json"),
            ),
            (
                "registry.example.com/ref/plain".into(),
                &plain,
                golden!("plain-json"),
            ),
        ];
        for (arg, data, want) in cases {
            assert_eq!(to_json(&[inspect(&arg, data)]), want, "{arg}");
        }
    }

    #[test]
    fn pretty_matches_docker() {
        let (app, empty, plain) = (app(), empty(), plain());
        let cases: Vec<(String, &TrustData, &str)> = vec![
            (APP.to_string(), &app, golden!("app-pretty")),
            (format!("{APP}:v2"), &app, golden!("app-tag-pretty")),
            (
                format!("{APP}:nope"),
                &app,
                golden!("app-missing-tag-pretty"),
            ),
            (
                format!("{APP}:alice-only"),
                &app,
                golden!("app-unreleased-tag-pretty"),
            ),
            (
                "registry.example.com/ref/empty".into(),
                &empty,
                golden!("empty-pretty"),
            ),
            (
                "registry.example.com/ref/plain".into(),
                &plain,
                golden!("plain-pretty"),
            ),
        ];
        for (arg, data, want) in cases {
            assert_eq!(to_pretty(&[inspect(&arg, data)]), want, "{arg}");
        }
    }

    #[test]
    fn several_images_match_docker() {
        let results = [
            inspect("registry.example.com/ref/plain:v1", &plain()),
            inspect("registry.example.com/ref/empty", &empty()),
        ];
        assert_eq!(to_json(&results), golden!("multi-json"));
        assert_eq!(to_pretty(&results), golden!("multi-pretty"));
        // An argument that fails is left out of the array (docker: mixed-json, unknown-json).
        let plain_only = [inspect("registry.example.com/ref/plain", &plain())];
        assert_eq!(to_json(&plain_only), golden!("mixed-json"));
        assert_eq!(to_json(&[]), golden!("unknown-json"));
    }

    #[test]
    fn rows_signers_and_keys() {
        let r = inspect(APP, &app());
        let rows: Vec<(&str, Vec<&str>)> = r
            .signed_tags
            .iter()
            .map(|t| {
                (
                    t.tag.as_str(),
                    t.signers.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("latest", vec![]),
                ("rel1", vec!["alice", "bob"]),
                ("rel2", vec!["bob"]),
                ("v1", vec!["alice2"]),
                ("v01", vec![]),
                ("v2", vec!["alice10"]),
                ("v2", vec![]),
                ("v10", vec![]),
                ("x<y>&z", vec![]),
            ]
        );
        let names: Vec<&str> = r.signers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["bob", "alice2", "alice10", "alice"]);
    }

    #[test]
    fn releases_row_first_whatever_the_digests() {
        // Digest of the targets row sorts before, then after, the releases one.
        for (top, rel) in [("a", "b"), ("b", "a")] {
            let data = TrustData {
                roles: vec![
                    role("targets", &[("t", top)]),
                    role("targets/releases", &[("t", rel)]),
                ],
                ..TrustData::default()
            };
            let r = build("x", None, &data);
            assert_eq!(r.signed_tags[0].digest, hex::encode(h(rel).unwrap()));
            assert_eq!(r.signed_tags[1].digest, hex::encode(h(top).unwrap()));
        }
    }

    #[test]
    fn delegation_paths_limit_a_tag_lookup_only() {
        let mut bob = role("targets/bob", &[("v1", "v1"), ("w1", "v1")]);
        bob.paths = vec!["w".to_string()];
        let data = TrustData {
            roles: vec![role("targets", &[("v1", "v1")]), bob],
            ..TrustData::default()
        };
        // With a tag, bob's paths do not cover v1: not a signer.
        assert!(
            build("x", Some("v1"), &data).signed_tags[0]
                .signers
                .is_empty()
        );
        // Without a tag every role is walked.
        assert_eq!(build("x", None, &data).signed_tags[0].signers, ["bob"]);
    }

    #[test]
    fn go_omitempty_and_missing_sha256() {
        let data = TrustData {
            roles: vec![RoleTargets {
                role: "targets".into(),
                paths: vec![],
                targets: vec![("t".into(), None)],
            }],
            delegations: vec![delegation("targets/nokeys", &[])],
            ..TrustData::default()
        };
        let json = to_json(&[build("x", None, &data)]);
        assert!(json.contains("\"Digest\": \"\""), "{json}");
        assert!(json.contains("\"Name\": \"nokeys\"\n"), "{json}");
        assert!(json.contains("\"Name\": \"Root\"\n"), "{json}");
        assert!(!json.contains("\"Keys\": []"), "{json}");
    }

    #[test]
    fn json_escapes_like_go() {
        let data = TrustData {
            roles: vec![role("targets", &[("a\u{2028}\n\u{1}\"", "x")])],
            ..TrustData::default()
        };
        let json = to_json(&[build("x", None, &data)]);
        assert!(
            json.contains(r#""SignedTag": "a\u2028\n\u0001\"","#),
            "{json}"
        );
    }

    #[test]
    fn natural_order_is_sortorders() {
        let mut v = vec![
            "v10", "v2", "v01", "v1", "latest", "1", "01", "a", "a1b", "a01b", "v1.10", "v1.9", "",
            "x<y>&z", "V2",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "", "1", "01", "V2", "a", "a1b", "a01b", "latest", "v1", "v1.9", "v1.10", "v01",
                "v2", "v10", "x<y>&z"
            ]
        );
        assert!(natural_less("2", "02") && !natural_less("02", "2"));
        assert!(natural_less("a", "a0"));
        assert!(!natural_less("abc", "abc"));
    }

    #[test]
    fn key_ids_truncate_like_docker() {
        assert_eq!(truncate_id(ALICE), "b0a8f8170065");
        assert_eq!(truncate_id("sha256:0123456789abcdef"), "0123456789ab");
        assert_eq!(truncate_id("short"), "short");
    }

    #[test]
    fn digest_references_list_every_tag() {
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(lookup_tag(&Reference::parse("a:v1").unwrap()), Some("v1"));
        assert_eq!(
            lookup_tag(&Reference::parse(&format!("a@{d}")).unwrap()),
            None
        );
        assert_eq!(
            lookup_tag(&Reference::parse(&format!("a:v1@{d}")).unwrap()),
            None
        );
        assert_eq!(lookup_tag(&Reference::parse("a").unwrap()), None);
    }
}
