//! The read path against the real notary-server: repositories written by the real notary CLI
//! (and docker's `trust signer add`) are looked up by `dct lookup` exactly as notary resolves
//! them, and `dct inspect` prints byte-for-byte what `docker trust inspect` prints.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};
use support::{Sandbox, ok, run, servers};

/// A publisher: a trust dir the notary CLI (and docker) write repositories from.
struct Publisher {
    sb: Sandbox,
}

impl Publisher {
    fn new() -> Self {
        let p = Publisher { sb: Sandbox::new() };
        let tls =
            p.sb.config()
                .join("tls")
                .join(servers().get("TRUST_SERVER_HOST"));
        fs::create_dir_all(&tls).unwrap();
        fs::copy(servers().ca(), tls.join("ca.crt")).unwrap();
        p
    }

    fn notary(&self, args: &[&str]) -> Command {
        let srv = servers();
        let mut all = vec!["-s", srv.url(), "--tlscacert", srv.ca()];
        let trust = self.sb.trust();
        all.extend(["-d", trust.to_str().unwrap()]);
        all.extend(args);
        let mut c = self.sb.tool("notary", &all);
        c.env("NOTARY_ROOT_PASSPHRASE", "rootpassphrase")
            .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase")
            .env("NOTARY_SNAPSHOT_PASSPHRASE", "snapshotpassphrase")
            .env("NOTARY_DELEGATION_PASSPHRASE", "delegationpassphrase");
        c
    }

    fn docker(&self, args: &[&str]) -> Command {
        let mut c = self.sb.tool("docker", args);
        c.env("DOCKER_CONFIG", self.sb.config())
            .env("DOCKER_CONTENT_TRUST_SERVER", servers().url())
            .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase")
            .env(
                "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
                "targetspassphrase",
            );
        c
    }

    /// `notary init -p` and `count` targets named tag-000000… staged in one changelist, then
    /// one `notary publish` (notary's own `addhash` takes minutes for 10,000).
    fn repo_with_targets(&self, gun: &str, count: usize) {
        ok(&mut self.notary(&["init", "-p", gun]));
        stage_targets(&self.sb.trust(), gun, count);
        ok(&mut self.notary(&["publish", gun]));
    }
}

/// Digest the staged target `name` gets: sha256 of its name.
fn staged_digest(name: &str) -> String {
    hex::encode(Sha256::digest(name.as_bytes()))
}

/// Writes notary changelist entries (`<unix nanos>_<uuid>.change`) adding targets to `targets`.
fn stage_targets(trust: &Path, gun: &str, count: usize) {
    let dir = trust.join("tuf").join(gun).join("changelist");
    fs::create_dir_all(&dir).unwrap();
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    for i in 0..count {
        let name = format!("tag-{i:06}");
        let meta = serde_json::json!({
            "length": 1000 + i,
            "hashes": {"sha256": B64.encode(Sha256::digest(name.as_bytes()))},
        });
        let change = serde_json::json!({
            "action": "create", "role": "targets", "type": "target", "path": name,
            "data": B64.encode(meta.to_string()),
        });
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).unwrap();
        let h = hex::encode(id);
        let uuid = format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        );
        fs::write(
            dir.join(format!("{:020}_{uuid}.change", base + i as u128)),
            change.to_string(),
        )
        .unwrap();
    }
}

/// A reader: a fresh config dir that trusts the harness CA the Docker way.
fn reader() -> Sandbox {
    let sb = Sandbox::new();
    let tls = sb
        .config()
        .join("tls")
        .join(servers().get("TRUST_SERVER_HOST"));
    fs::create_dir_all(&tls).unwrap();
    fs::copy(servers().ca(), tls.join("ca.crt")).unwrap();
    sb
}

fn dct_lookup(sb: &Sandbox, image: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["-s", servers().url(), "lookup", image];
    args.extend(extra);
    run(&mut sb.dct(&args))
}

/// The number of HTTP requests `-v` reports.
fn requests(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("dct: ")?.strip_suffix(" HTTP requests"))
        .expect("-v reports the request count")
        .parse()
        .unwrap()
}

#[test]
fn lookups_agree_with_notary_for_1_1000_and_10000_targets() {
    let srv = servers();
    let publisher = Publisher::new();
    for count in [1usize, 1000, 10_000] {
        let gun = format!("{}/lookup/n{count}", srv.registry_host());
        publisher.repo_with_targets(&gun, count);
        let rd = reader();
        for (n, i) in [0, count / 2, count - 1].into_iter().enumerate() {
            let tag = format!("tag-{i:06}");
            let (code, out, err) = dct_lookup(&rd, &format!("{gun}:{tag}"), &["-v"]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(out, format!("{gun}@sha256:{}\n", staged_digest(&tag)));
            // notary's own lookup agrees (hex digest and size).
            let notary = ok(&mut publisher.notary(&["lookup", &gun, &tag]));
            assert!(
                notary.contains(&staged_digest(&tag)) && notary.contains(&(1000 + i).to_string()),
                "{notary}"
            );
            if n > 0 {
                // Warm cache, unchanged repository: one request (the timestamp).
                assert_eq!(requests(&err), 1, "{err}");
            } else {
                // Cold: root, timestamp, snapshot, targets.
                assert_eq!(requests(&err), 4, "{err}");
            }
        }
        let (code, out, _) = dct_lookup(&rd, &format!("{gun}:tag-{:06}", count - 1), &["--json"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["size"], serde_json::json!(1000 + count - 1));
        assert_eq!(v["role"], "targets");
        assert_eq!(v["signers"], serde_json::json!([]));
        // The cache is Docker's layout, readable by notary.
        let meta = rd.trust().join("tuf").join(&gun).join("metadata");
        for f in [
            "root.json",
            "timestamp.json",
            "snapshot.json",
            "targets.json",
        ] {
            assert!(meta.join(f).is_file(), "{f} cached");
        }
    }
}

/// A repository with Docker's roles: `targets/releases` and `targets/alice` (added by
/// `docker trust signer add` with a dct-generated key), tags signed into releases, into
/// targets only, and into alice only.
fn docker_style_repo(publisher: &Publisher, gun: &str) {
    ok(publisher
        .sb
        .dct(&[
            "key",
            "generate",
            "alice",
            "--dir",
            publisher.sb.path().to_str().unwrap(),
        ])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "delegationpassphrase",
        ));
    let pubkey = publisher.sb.path().join("alice.pub");
    ok(&mut publisher.docker(&[
        "trust",
        "signer",
        "add",
        "--key",
        pubkey.to_str().unwrap(),
        "alice",
        gun,
    ]));
    let add = |tag: &str, roles: &[&str]| {
        let digest = staged_digest(tag);
        let mut args = vec!["addhash", "-p", gun, tag, "123", "--sha256", &digest];
        for r in roles {
            args.extend(["-r", r]);
        }
        ok(&mut publisher.notary(&args));
    };
    add("v1", &["targets/releases", "targets/alice"]);
    add("v10", &["targets/releases", "targets/alice"]);
    add("v2", &["targets/releases"]);
    add("admin-only", &[]);
    add("alice-only", &["targets/alice"]);
}

#[test]
fn docker_role_rules_and_not_signed_errors() {
    let srv = servers();
    let publisher = Publisher::new();
    let gun = format!("{}/lookup/roles", srv.registry_host());
    docker_style_repo(&publisher, &gun);
    let rd = reader();

    let (code, out, err) = dct_lookup(&rd, &format!("{gun}:v1"), &["--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["role"], "targets/releases");
    assert_eq!(v["signers"], serde_json::json!(["alice"]));
    assert_eq!(v["digest"], format!("sha256:{}", staged_digest("v1")));

    let (code, out, _) = dct_lookup(&rd, &format!("{gun}:admin-only"), &[]);
    assert_eq!(
        (code, out),
        (0, format!("{gun}@sha256:{}\n", staged_digest("admin-only")))
    );

    // Signed only by a signer outside releases: Docker does not accept it.
    let (code, _, err) = dct_lookup(&rd, &format!("{gun}:alice-only"), &[]);
    assert_eq!(
        (code, err.as_str()),
        (3, "dct: No trust data for alice-only\n")
    );
    let (code, _, err) = dct_lookup(&rd, &format!("{gun}:nope"), &[]);
    assert_eq!(
        (code, err.as_str()),
        (3, "dct: No valid trust data for nope\n")
    );

    let unknown = format!("{}/lookup/never-initialized", srv.registry_host());
    let (code, _, err) = dct_lookup(&rd, &format!("{unknown}:v1"), &[]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(
        err,
        format!(
            "dct: remote trust data does not exist for {unknown}:v1: {} does not have trust data for {unknown}\n",
            srv.get("TRUST_SERVER_HOST")
        )
    );
}

#[test]
fn inspect_is_byte_identical_to_docker_trust_inspect() {
    let srv = servers();
    let publisher = Publisher::new();
    let roles = format!("{}/inspect/roles", srv.registry_host());
    docker_style_repo(&publisher, &roles);
    let plain = format!("{}/inspect/plain", srv.registry_host());
    publisher.repo_with_targets(&plain, 3);
    let empty = format!("{}/inspect/empty", srv.registry_host());
    ok(&mut publisher.notary(&["init", "-p", &empty]));

    let cases: Vec<Vec<String>> = vec![
        vec![roles.clone()],
        vec![format!("{roles}:v1")],
        vec![format!("{roles}:alice-only")],
        vec![format!("{roles}:nope")],
        vec![plain.clone(), empty.clone()],
        vec![empty.clone()],
        vec![
            format!("{roles}@sha256:{}", staged_digest("v1")),
            format!("{plain}:tag-000001"),
        ],
    ];
    for args in cases {
        for pretty in [false, true] {
            let mut cmd: Vec<&str> = vec!["trust", "inspect"];
            let mut dct: Vec<&str> = vec!["-s", srv.url(), "inspect"];
            if pretty {
                cmd.push("--pretty");
                dct.push("--pretty");
            }
            cmd.extend(args.iter().map(String::as_str));
            dct.extend(args.iter().map(String::as_str));
            let docker = ok(&mut publisher.docker(&cmd));
            let rd = reader();
            let (code, out, err) = run(&mut rd.dct(&dct));
            assert_eq!(code, 0, "{err}");
            assert_eq!(out, docker, "dct inspect {args:?} pretty={pretty}");
        }
    }

    // An unknown repository: docker prints `[]` and fails; dct prints the same and exits 3.
    let unknown = format!("{}/inspect/unknown", srv.registry_host());
    let (code, out, _) = run(&mut publisher.docker(&["trust", "inspect", &unknown]));
    assert_eq!(code, 1);
    let (dcode, dout, derr) = run(&mut reader().dct(&["-s", srv.url(), "inspect", &unknown]));
    assert_eq!((dcode, dout), (3, out));
    assert!(derr.contains("does not have trust data"), "{derr}");
}
