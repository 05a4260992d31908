//! The verified read path against hostile trust servers. Every hostile case runs a good update
//! first (cache populated), switches the server to the hostile variant, updates again and
//! checks that the failure is a verification failure (exit 4) and that the metadata cache is
//! byte-for-byte (and mode-for-mode) unchanged. Repositories come from the notary-exact builder
//! in `crate::support::repo`, whose output the real notary CLI reads (first test).
//!
//! Library-level cases use an in-memory source that enforces download limits like the real
//! client; the notary CLI proof uses `scripts/fake-trust-server` over HTTPS.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::support::fake_server::FakeServer;
use crate::support::repo::{DAY, Files, MemSource, RepoBuilder, digest_hex, replace_once};
use crate::support::{Sandbox, Tree, ok, tree};
use dct::ExitCode;
use dct::tuf::cache::Cache;
use dct::tuf::client::{MAX_TIMESTAMP, Repo, TufError, Updater};
use dct::tuf::root::Pinning;

const GUN: &str = "example.com/hostile/app";
const IMAGE: &str = "example.com/hostile/app:latest";

/// A Docker-style repository: `latest` in `targets` and in `targets/releases` (different
/// digests), `alice-only` only in `targets/alice`, `v1` only in `targets`.
fn docker_repo() -> RepoBuilder {
    let mut b = RepoBuilder::new(GUN);
    b.add_delegation("targets/releases", &[""]);
    b.add_delegation("targets/alice", &[""]);
    b.add_target("targets", "latest", b"{\"manifest\":\"targets latest\"}");
    b.add_target("targets", "v1", b"{\"manifest\":\"targets v1\"}");
    b.add_target(
        "targets/releases",
        "latest",
        b"{\"manifest\":\"releases latest\"}",
    );
    b.add_target("targets/alice", "alice-only", b"{\"manifest\":\"alice\"}");
    b
}

/// A trust dir and an in-memory server.
struct Lab {
    trust: tempfile::TempDir,
    src: MemSource,
    now: OffsetDateTime,
}

impl Lab {
    fn new(files: Files) -> Lab {
        Lab {
            trust: tempfile::tempdir().unwrap(),
            src: MemSource::new(files),
            now: OffsetDateTime::now_utc(),
        }
    }

    fn update(&self) -> Result<Repo, TufError> {
        self.update_as(false)
    }

    /// The update `dct lookup` runs (`lite`: targets from the verified index) or the full one.
    fn update_as(&self, lite: bool) -> Result<Repo, TufError> {
        let cache = Cache::new(self.trust.path(), GUN).unwrap();
        let updater = Updater {
            gun: GUN,
            source: &self.src,
            cache: &cache,
            pinning: &Pinning::default(),
            now: self.now,
        };
        if lite {
            updater.update_for_lookup()
        } else {
            updater.update()
        }
    }

    fn metadata_dir(&self) -> PathBuf {
        self.trust.path().join("tuf").join(GUN).join("metadata")
    }

    fn cache_state(&self) -> Tree {
        tree(&self.metadata_dir())
    }

    /// A good update must pass and fill the cache; the lookup's update too, leaving its
    /// verified index of every targets file, and finding the same targets.
    fn good(&self) -> Repo {
        let repo = self
            .update()
            .unwrap_or_else(|e| panic!("good update failed: {}", e.into_error(IMAGE)));
        assert!(self.metadata_dir().join("timestamp.json").is_file());
        let lite = self
            .update_as(true)
            .unwrap_or_else(|e| panic!("good lookup update failed: {}", e.into_error(IMAGE)));
        assert!(self.metadata_dir().join("targets.idx").is_file());
        for role in &repo.roles {
            let l = lite.role(&role.name).expect("the same roles");
            assert!(l.index.is_some());
            for (name, meta) in &role.env.signed.targets {
                assert_eq!(l.target(name).unwrap().as_ref(), Some(meta), "{name}");
            }
        }
        repo
    }

    /// Serves `hostile`, updates, and checks exit 4, an unchanged cache, and that the message
    /// contains `expect`. Returns the message.
    fn rejects(&self, hostile: Files, expect: &str) -> String {
        let before = self.cache_state();
        assert!(!before.is_empty());
        self.src.set(hostile);
        self.rejects_served(before, expect)
    }

    /// Both updates — the full one and the lookup's, which may answer from the verified
    /// index — must refuse what is served, with the same message, leaving the cache (indexes
    /// included) as it was.
    fn rejects_served(&self, before: Tree, expect: &str) -> String {
        let mut msgs = Vec::new();
        for lite in [false, true] {
            let err = match self.update_as(lite) {
                Ok(_) => panic!("hostile update accepted (wanted {expect:?}, lookup: {lite})"),
                Err(e) => e.into_error(IMAGE),
            };
            let msg = err.to_string();
            assert_eq!(err.exit_code(), ExitCode::Verification, "{msg}");
            assert!(msg.contains(expect), "{msg:?} does not contain {expect:?}");
            assert_eq!(self.cache_state(), before, "the cache changed ({msg})");
            eprintln!("rejected (lookup: {lite}): {msg}");
            msgs.push(msg);
        }
        assert_eq!(msgs[0], msgs[1], "the lookup's update words it differently");
        msgs.remove(0)
    }
}

fn digest_of(repo: &Repo, tag: &str) -> (String, String) {
    let found = repo
        .find_target(tag, &["targets/releases", "targets"])
        .unwrap()
        .unwrap_or_else(|| panic!("{tag} not found"));
    (found.role.name.clone(), digest_hex(&found.meta))
}

// ---------------------------------------------------------------------------------------------
// The builder is notary-exact: the real notary CLI reads its repositories.

#[test]
fn notary_cli_reads_builder_repository() {
    let b = docker_repo();
    let files = b.build();
    let srv = FakeServer::start();
    srv.serve(&files);
    let sb = Sandbox::new();
    let url = srv.url();
    let ca = srv.ca.to_str().unwrap().to_string();
    let dir = sb.path().join("notary");
    let notary = |args: &[&str]| {
        let mut all = vec!["-s", &url, "--tlscacert", &ca, "-d", dir.to_str().unwrap()];
        all.extend_from_slice(args);
        ok(&mut sb.tool("notary", &all))
    };
    let hex = |role: &str, tag: &str| {
        digest_hex(if role == "targets" {
            &b.targets[tag]
        } else {
            &b.delegations
                .iter()
                .find(|d| d.name == role)
                .unwrap()
                .targets[tag]
        })
    };

    // notary asks for `targets` (the whole tree, the top-level role first); it does not apply
    // Docker's releases-or-targets rule, so it also finds a tag only alice signed.
    for (tag, role) in [
        ("latest", "targets"),
        ("v1", "targets"),
        ("alice-only", "targets/alice"),
    ] {
        let out = notary(&["lookup", GUN, tag]);
        eprintln!("$ notary lookup {GUN} {tag}\n{out}");
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            [
                tag.to_string(),
                format!("sha256:{}", hex(role, tag)),
                b.role_meta(role, tag).length.to_string()
            ],
            "{out}"
        );
    }
    let out = notary(&["list", GUN]);
    eprintln!("$ notary list {GUN}\n{out}");
    let out_releases = notary(&["list", GUN, "--roles", "targets/releases"]);
    eprintln!("$ notary list {GUN} --roles targets/releases\n{out_releases}");
    for (out, tag, role) in [
        (&out, "latest", "targets"),
        (&out, "v1", "targets"),
        (&out, "alice-only", "targets/alice"),
        (&out_releases, "latest", "targets/releases"),
    ] {
        let row = format!(
            "{tag} {} {} {role}",
            hex(role, tag),
            b.role_meta(role, tag).length
        );
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == row),
            "{row:?} not in:\n{out}"
        );
    }
    // notary cached exactly the builder's files.
    let cached = dir.join("tuf").join(GUN).join("metadata");
    for role in [
        "root",
        "targets",
        "snapshot",
        "timestamp",
        "targets/releases",
    ] {
        assert_eq!(
            std::fs::read(cached.join(format!("{role}.json"))).unwrap(),
            files.role(role),
            "{role}"
        );
    }
    let requests = srv.take_requests();
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with(&format!("/_trust/tuf/{}", files.name_of("targets")))),
        "{requests:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Positive cases.

#[test]
fn good_repo_lookups_follow_dockers_rule() {
    let b = docker_repo();
    let lab = Lab::new(b.build());
    let repo = lab.good();
    // targets/releases wins over targets.
    assert_eq!(
        digest_of(&repo, "latest"),
        (
            "targets/releases".into(),
            digest_hex(&b.delegations[0].targets["latest"])
        )
    );
    assert_eq!(
        digest_of(&repo, "v1"),
        ("targets".into(), digest_hex(&b.targets["v1"]))
    );
    // A tag only in targets/alice is found there, which Docker does not accept.
    let found = repo
        .find_target("alice-only", &["targets/releases", "targets"])
        .unwrap()
        .unwrap();
    assert_eq!(found.role.name, "targets/alice");
    assert!(!["targets/releases", "targets"].contains(&found.role.name.as_str()));
    assert!(
        repo.find_target("nope", &["targets/releases", "targets"])
            .unwrap()
            .is_none()
    );
    // The cache holds exactly the served files, 0600 in 0700 dirs.
    let files = lab.src.files.borrow().clone();
    for (rel, mode, bytes) in lab.cache_state() {
        match bytes {
            None => assert_eq!(mode & 0o777, 0o700, "{rel:?}"),
            Some(bytes) => {
                assert_eq!(mode & 0o777, 0o600, "{rel:?}");
                let rel = rel.to_str().unwrap();
                if let Some(role) = rel.strip_suffix(".idx") {
                    // dct's verified index of a targets file, beside it.
                    assert!(role == "targets" || role.starts_with("targets/"), "{rel}");
                    assert!(bytes.starts_with(b"DCT-TARGETS-INDEX 1 "), "{rel}");
                    continue;
                }
                let role = rel.trim_end_matches(".json");
                assert_eq!(bytes, files.role(role), "{role}");
            }
        }
    }
    // A second update with a warm cache only asks for the timestamp (both kinds).
    lab.src.requests.borrow_mut().clear();
    lab.good();
    assert_eq!(
        *lab.src.requests.borrow(),
        vec!["timestamp.json", "timestamp.json"]
    );
}

#[test]
fn new_targets_version_is_accepted() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    let meta = b.add_target("targets", "v2", b"{\"manifest\":\"v2\"}");
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    lab.src.set(files.clone());
    let repo = lab.good();
    assert_eq!(
        digest_of(&repo, "v2"),
        ("targets".into(), digest_hex(&meta))
    );
    let cached = std::fs::read(lab.metadata_dir().join("targets.json")).unwrap();
    assert_eq!(cached, files.role("targets"));
}

// ---------------------------------------------------------------------------------------------
// The lookup's verified index of a targets file (tuf::index) stands in for the file only while
// everything its verification depended on is the same.

#[test]
fn index_is_bound_to_the_keys_that_verified_the_file() {
    // The root gives targets a new key, the snapshot still names the very same targets file
    // (signed by the old key): the index built from that file must not vouch for it.
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    let old = lab.src.files.borrow().role("targets").to_vec();
    b.replace.insert("targets".into(), old);
    b.targets_key = crate::support::repo::RoleKey::ecdsa();
    b.resign_root();
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(b.build(), "insufficient signatures");
}

#[test]
fn warm_lookup_answers_from_the_index_alone() {
    let b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    // What a warm lookup of an unchanged repository reads is the index, not the cached file.
    std::fs::write(lab.metadata_dir().join("targets.json"), b"not read").unwrap();
    lab.src.requests.borrow_mut().clear();
    let repo = lab.update_as(true).unwrap();
    assert_eq!(*lab.src.requests.borrow(), vec!["timestamp.json"]);
    assert!(matches!(
        repo.role("targets").unwrap().index.as_deref(),
        Some(dct::tuf::index::TargetIndex::File { .. })
    ));
    assert_eq!(
        digest_of(&repo, "v1"),
        ("targets".into(), digest_hex(&b.targets["v1"]))
    );
    assert_eq!(
        digest_of(&repo, "latest"),
        (
            "targets/releases".into(),
            digest_hex(&b.delegations[0].targets["latest"])
        )
    );
}

#[test]
fn index_expiry_is_checked_on_every_use() {
    let mut b = docker_repo();
    b.targets_expires = b.now + 2 * DAY;
    let mut lab = Lab::new(b.build());
    lab.good();
    let before = lab.cache_state();
    lab.now += 3 * DAY;
    lab.rejects_served(before, "targets expired at");
}

#[test]
fn root_rotation_signed_by_old_and_new_keys_is_accepted() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.rotate_root(true);
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    lab.src.set(files.clone());
    lab.src.requests.borrow_mut().clear();
    let repo = lab.good();
    assert_eq!(repo.root.signed.version, 2);
    assert_eq!(
        std::fs::read(lab.metadata_dir().join("root.json")).unwrap(),
        files.role("root")
    );
    assert!(
        lab.src
            .requests
            .borrow()
            .contains(&files.name_of("root").to_string()),
        "{:?}",
        lab.src.requests.borrow()
    );
}

#[test]
fn root_rotation_through_skipped_versions_is_accepted() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.rotate_root(true); // v2: served only as 2.root.json
    b.rotate_root(true); // v3: signed by v2's key and its own, not by v1's
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    lab.src.set(files.clone());
    lab.src.requests.borrow_mut().clear();
    let repo = lab.good();
    assert_eq!(repo.root.signed.version, 3);
    assert!(
        lab.src
            .requests
            .borrow()
            .contains(&"2.root.json".to_string())
    );
    assert_eq!(
        std::fs::read(lab.metadata_dir().join("root.json")).unwrap(),
        files.role("root")
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile cases.

/// Changes the digest `latest` names in a signed targets file.
fn swap_digest(b: &RepoBuilder, role: &str) -> impl Fn(&mut Vec<u8>) + 'static {
    use base64::Engine;
    let meta = if role == "targets" {
        b.targets["latest"].clone()
    } else {
        b.delegations
            .iter()
            .find(|d| d.name == role)
            .unwrap()
            .targets["latest"]
            .clone()
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let old = b64.encode(meta.sha256().unwrap());
    let new = b64.encode([0x66u8; 32]);
    move |bytes: &mut Vec<u8>| replace_once(bytes, old.as_bytes(), new.as_bytes())
}

#[test]
fn tampered_targets_served_under_the_listed_name() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("targets", swap_digest(&b, "targets"));
    lab.rejects(files, "sha256 checksum for targets did not match");
}

#[test]
fn tampered_targets_listed_by_a_fresh_snapshot() {
    // The server (which holds the snapshot key in server-managed setups) lists the tampered
    // bytes: the hashes match, the targets signature does not.
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.edits.insert(
        "targets".into(),
        std::rc::Rc::new(swap_digest(&b, "targets")),
    );
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(
        b.build(),
        "valid signatures did not meet threshold for targets",
    );
}

#[test]
fn tampered_delegation() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.delegation_mut("targets/releases").version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("targets/releases", swap_digest(&b, "targets/releases"));
    lab.rejects(files, "sha256 checksum for targets/releases did not match");
}

/// A delegation whose signature fails is skipped with a warning, as notary and Docker do: its
/// targets are not trusted, lookups fall back to `targets`, and nothing is cached.
#[test]
fn delegation_with_a_bad_signature_is_skipped_not_trusted() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    let before = lab.cache_state();
    b.edits.insert(
        "targets/releases".into(),
        std::rc::Rc::new(swap_digest(&b, "targets/releases")),
    );
    b.delegation_mut("targets/releases").version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.src.set(b.build());
    let repo = lab.update().unwrap();
    assert_eq!(repo.invalid.len(), 1, "{:?}", repo.invalid);
    assert_eq!(repo.invalid[0].0, "targets/releases");
    assert!(
        repo.warnings.iter().any(|w| w.contains(
            "skipping invalid delegation targets/releases: valid signatures did not meet \
             threshold for targets/releases"
        )),
        "{:?}",
        repo.warnings
    );
    assert_eq!(
        digest_of(&repo, "latest"),
        ("targets".into(), digest_hex(&b.targets["latest"]))
    );
    assert_eq!(lab.cache_state(), before);
}

#[test]
fn targets_signed_by_an_unlisted_key() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.signers.insert(
        "targets".into(),
        vec![crate::support::repo::RoleKey::ecdsa()],
    );
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(
        b.build(),
        "valid signatures did not meet threshold for targets",
    );
}

#[test]
fn timestamp_signed_by_an_unlisted_key() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.signers.insert(
        "timestamp".into(),
        vec![crate::support::repo::RoleKey::ed25519()],
    );
    b.timestamp_version += 1;
    lab.rejects(
        b.build(),
        "valid signatures did not meet threshold for timestamp",
    );
}

#[test]
fn rollback_timestamp() {
    let mut b = docker_repo();
    let old = b.build();
    b.timestamp_version = 2;
    let lab = Lab::new(b.build());
    lab.good();
    lab.rejects(old, "timestamp: version 1 is lower than current version 2");
}

#[test]
fn rollback_snapshot() {
    let mut b = docker_repo();
    b.snapshot_version = 2;
    let lab = Lab::new(b.build());
    lab.good();
    b.snapshot_version = 1;
    b.timestamp_version = 3;
    lab.rejects(
        b.build(),
        "snapshot: version 1 is lower than current version 2",
    );
}

#[test]
fn rollback_targets() {
    let mut b = docker_repo();
    b.targets_version = 2;
    let lab = Lab::new(b.build());
    lab.good();
    b.targets_version = 1;
    b.snapshot_version = 3;
    b.timestamp_version = 3;
    lab.rejects(
        b.build(),
        "targets: version 1 is lower than current version 2",
    );
}

#[test]
fn rollback_delegation() {
    let mut b = docker_repo();
    b.delegation_mut("targets/releases").version = 2;
    let lab = Lab::new(b.build());
    lab.good();
    b.delegation_mut("targets/releases").version = 1;
    b.snapshot_version = 3;
    b.timestamp_version = 3;
    lab.rejects(
        b.build(),
        "targets/releases: version 1 is lower than current version 2",
    );
}

#[test]
fn rollback_root() {
    let mut b = docker_repo();
    b.resign_root(); // v2, same keys
    let lab = Lab::new(b.build());
    lab.good();
    // A newer snapshot that lists root v1 again (validly signed by the same key).
    b.current_root = Some(1);
    b.snapshot_version = 2;
    b.timestamp_version = 2;
    lab.rejects(b.build(), "root: version 1 is lower than current version 2");
}

#[test]
fn expired_timestamp() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.timestamp_version += 1;
    b.timestamp_expires = b.now - DAY;
    lab.rejects(b.build(), "timestamp expired at");
}

#[test]
fn expired_snapshot() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    b.snapshot_expires = b.now - DAY;
    lab.rejects(b.build(), "snapshot expired at");
}

#[test]
fn expired_targets() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    b.targets_expires = b.now - DAY;
    lab.rejects(b.build(), "targets expired at");
}

#[test]
fn expired_root() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.root_expires = b.now - DAY;
    b.resign_root();
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(b.build(), "root expired at");
}

#[test]
fn snapshot_names_targets_but_server_sends_an_older_valid_targets() {
    // Mix and match: the file served under the snapshot's targets name is an older, validly
    // signed targets.json.
    let mut b = docker_repo();
    let old_targets = b.build().role("targets").to_vec();
    b.add_target("targets", "v2", b"{\"manifest\":\"v2\"}");
    b.targets_version = 2;
    b.snapshot_version = 2;
    b.timestamp_version = 2;
    let lab = Lab::new(b.build());
    lab.good();
    b.targets_version = 3;
    b.snapshot_version = 3;
    b.timestamp_version = 3;
    let mut files = b.build();
    let name = files.name_of("targets");
    files.serve(&name, old_targets);
    lab.rejects(files, "checksum for targets did not match");
}

#[test]
fn snapshot_longer_than_the_timestamp_says() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("snapshot", |bytes| bytes.extend_from_slice(&[b' '; 4096]));
    lab.rejects(files, "more than the");
}

#[test]
fn endless_targets() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    let name = files.name_of("targets");
    let before = lab.cache_state();
    lab.src.set(files);
    lab.src.endless.borrow_mut().push(name);
    lab.rejects_served(before, "more than the");
}

#[test]
fn oversized_timestamp() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("timestamp", |bytes| {
        bytes.resize(MAX_TIMESTAMP as usize + 1, b' ');
    });
    lab.rejects(files, "more than the 1048576 bytes");
}

#[test]
fn root_rotation_signed_only_by_the_new_key() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.rotate_root(false);
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(
        b.build(),
        "could not rotate trust to a new trusted root: failed to validate data with current \
         trusted certificates",
    );
}

#[test]
fn root_rotation_chain_with_a_step_signed_only_by_the_new_key() {
    let mut b = docker_repo();
    let lab = Lab::new(b.build());
    lab.good();
    b.rotate_root(false); // v2 does not chain to v1
    b.rotate_root(true);
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(b.build(), "could not rotate trust to a new trusted root");
}

#[test]
fn delegation_lists_a_target_outside_its_paths() {
    let mut b = docker_repo();
    b.delegation_mut("targets/releases").paths = vec!["release-".into()];
    b.delegation_mut("targets/releases").targets.clear();
    b.add_target("targets/releases", "release-1", b"{\"manifest\":\"r1\"}");
    let lab = Lab::new(b.build());
    lab.good();
    // The delegate signs `latest`, which targets never delegated to it.
    b.add_target(
        "targets/releases",
        "latest",
        b"{\"manifest\":\"hostile latest\"}",
    );
    b.delegation_mut("targets/releases").version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    // The update skips the role as invalid (like an under-signed delegation) and caches
    // nothing; resolving a tag through targets/releases then fails with exit 4.
    let before = lab.cache_state();
    lab.src.set(b.build());
    let repo = lab.update().expect("the update itself succeeds");
    assert!(repo.invalid.iter().any(|(r, why)| r == "targets/releases"
        && why.contains("targets/releases lists target \"latest\"")));
    let err = dct::ops::read::resolve(&repo, "latest").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    assert!(err.to_string().contains("targets/releases"), "{err}");
    assert_eq!(lab.cache_state(), before);
}

#[test]
fn signer_outside_its_paths_is_skipped_with_a_warning() {
    let mut b = docker_repo();
    b.delegation_mut("targets/alice").paths = vec!["alice-".into()];
    b.delegation_mut("targets/alice").targets.clear();
    b.add_target("targets/alice", "alice-1", b"{\"manifest\":\"a1\"}");
    let lab = Lab::new(b.build());
    lab.good();
    b.add_target("targets/alice", "v1", b"{\"manifest\":\"alice v1\"}");
    b.delegation_mut("targets/alice").version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let before = lab.cache_state();
    lab.src.set(b.build());
    let repo = lab.update().expect("the update itself succeeds");
    assert!(
        repo.warnings.iter().any(|w| w.contains("targets/alice")),
        "{:?}",
        repo.warnings
    );
    // A tag resolved through releases/targets is unaffected; nothing was cached.
    let r = dct::ops::read::resolve(&repo, "latest").unwrap();
    assert_eq!(r.role, "targets/releases");
    assert_eq!(lab.cache_state(), before);
}

// ---------------------------------------------------------------------------------------------
// The same through the CLI: `dct lookup` against `scripts/fake-trust-server` over HTTPS.

/// A sandboxed dct and a fake trust server.
struct CliLab {
    srv: FakeServer,
    sb: Sandbox,
}

impl CliLab {
    /// Serves `files` and runs a good lookup (cache populated).
    fn new(files: &Files) -> CliLab {
        let lab = CliLab {
            srv: FakeServer::start(),
            sb: Sandbox::new(),
        };
        lab.srv.serve(files);
        let (code, out, err) = lab.lookup();
        assert_eq!(code, 0, "good lookup failed:\n{out}\n{err}");
        assert!(lab.metadata_dir().join("timestamp.json").is_file());
        lab
    }

    fn lookup(&self) -> (i32, String, String) {
        let url = self.srv.url();
        let ca = self.srv.ca.to_str().unwrap();
        crate::support::run(
            &mut self
                .sb
                .dct(&["lookup", IMAGE, "-s", &url, "--tlscacert", ca]),
        )
    }

    fn metadata_dir(&self) -> PathBuf {
        self.sb.trust().join("tuf").join(GUN).join("metadata")
    }

    /// Serves `files` (then applies `hostile` to the served dir), and checks exit 4, an
    /// unchanged cache and `expect` on stderr.
    fn rejects(&self, files: &Files, hostile: impl FnOnce(&FakeServer), expect: &str) -> String {
        let before = tree(&self.metadata_dir());
        self.srv.serve(files);
        hostile(&self.srv);
        let (code, out, err) = self.lookup();
        assert_eq!(
            code, 4,
            "wanted exit 4 ({expect:?})\nstdout:\n{out}\nstderr:\n{err}"
        );
        assert!(out.is_empty(), "{out}");
        assert!(err.contains(expect), "{err:?} does not contain {expect:?}");
        assert_eq!(
            tree(&self.metadata_dir()),
            before,
            "the cache changed ({err})"
        );
        eprintln!("dct lookup rejected: {}", err.trim());
        err
    }
}

#[test]
fn cli_good_repo_prints_the_releases_digest() {
    let b = docker_repo();
    let files = b.build();
    let lab = CliLab::new(&files);
    let requests = lab.srv.take_requests();
    let (code, out, err) = lab.lookup();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{GUN}@sha256:{}\n",
            digest_hex(b.role_meta("targets/releases", "latest"))
        )
    );
    let tuf = format!("/v2/{GUN}/_trust/tuf/");
    // Cold cache: root, timestamp, snapshot, targets and both delegations, by checksum.
    for name in [
        "root.json".to_string(),
        "timestamp.json".into(),
        files.name_of("snapshot"),
        files.name_of("targets"),
        files.name_of("targets/releases"),
        files.name_of("targets/alice"),
    ] {
        assert!(
            requests.contains(&format!("{tuf}{name}")),
            "{name}: {requests:?}"
        );
    }
    // Warm cache, unchanged repository: only the timestamp.
    let warm: Vec<String> = lab
        .srv
        .take_requests()
        .into_iter()
        .filter(|r| r.contains("/_trust/"))
        .collect();
    assert_eq!(warm, [format!("{tuf}timestamp.json")]);
    // The cache holds exactly what the server sent.
    for role in [
        "root",
        "timestamp",
        "snapshot",
        "targets",
        "targets/releases",
    ] {
        let cached = std::fs::read(lab.metadata_dir().join(format!("{role}.json"))).unwrap();
        assert_eq!(cached, files.role(role), "{role}");
    }
}

#[test]
fn cli_tampered_targets() {
    let mut b = docker_repo();
    let lab = CliLab::new(&b.build());
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("targets", swap_digest(&b, "targets"));
    lab.rejects(&files, |_| {}, "sha256 checksum for targets did not match");
}

#[test]
fn cli_rollback_timestamp_and_targets() {
    let mut b = docker_repo();
    let old = b.build();
    b.targets_version = 2;
    b.snapshot_version = 2;
    b.timestamp_version = 2;
    let lab = CliLab::new(&b.build());
    lab.rejects(
        &old,
        |_| {},
        "timestamp: version 1 is lower than current version 2",
    );
    b.targets_version = 1;
    b.snapshot_version = 3;
    b.timestamp_version = 3;
    lab.rejects(
        &b.build(),
        |_| {},
        "targets: version 1 is lower than current version 2",
    );
}

#[test]
fn cli_endless_bodies() {
    let mut b = docker_repo();
    let lab = CliLab::new(&b.build());
    // An endless timestamp: cut at 1 MiB.
    b.timestamp_version += 1;
    lab.rejects(&b.build(), |s| s.endless("timestamp.json"), "1048576");
    // An endless targets file: cut at the length the snapshot states.
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    let name = files.name_of("targets");
    let length = files.role("targets").len().to_string();
    lab.rejects(&files, |s| s.endless(&name), &length);
}

#[test]
fn cli_oversized_timestamp() {
    let mut b = docker_repo();
    let lab = CliLab::new(&b.build());
    b.timestamp_version += 1;
    let mut files = b.build();
    files.tamper("timestamp", |bytes| {
        bytes.resize(MAX_TIMESTAMP as usize + 1, b' ');
    });
    lab.rejects(&files, |_| {}, "1048576");
}

#[test]
fn cli_lying_content_length() {
    let mut b = docker_repo();
    let lab = CliLab::new(&b.build());
    // A Content-Length above the timestamp limit is refused before reading the body.
    b.timestamp_version += 1;
    lab.rejects(
        &b.build(),
        |s| s.lie_length("timestamp.json", 2 << 20),
        "1048576",
    );
    // A Content-Length below the real size cuts the targets file: its hash no longer matches.
    b.targets_version += 1;
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    let files = b.build();
    let name = files.name_of("targets");
    let short = files.role("targets").len() as u64 - 10;
    lab.rejects(
        &files,
        |s| s.lie_length(&name, short),
        "checksum for targets did not match",
    );
}

#[test]
fn cli_root_rotation_signed_only_by_the_new_key() {
    let mut b = docker_repo();
    let lab = CliLab::new(&b.build());
    b.rotate_root(false);
    b.snapshot_version += 1;
    b.timestamp_version += 1;
    lab.rejects(
        &b.build(),
        |_| {},
        "could not rotate trust to a new trusted root",
    );
}
