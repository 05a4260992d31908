//! The read path against the real notary-server: repositories written by the real notary CLI
//! (and docker's `trust signer add`) are looked up by `dct lookup` exactly as notary resolves
//! them, and `dct inspect` prints byte-for-byte what `docker trust inspect` prints.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{Sandbox, config_dir, dead_url, ok, run, servers, unique};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

/// A publisher: a trust dir the notary CLI (and docker) write repositories from.
struct Publisher {
    sb: Sandbox,
}

impl Publisher {
    fn new() -> Self {
        Publisher {
            sb: config_dir(servers()),
        }
    }

    fn notary(&self, args: &[&str]) -> Command {
        self.sb.notary(servers(), args)
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
    config_dir(servers())
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
        let gun = unique(srv, &format!("lookup/n{count}"));
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
        // The one-pass parser against the `Value` path on notary-written metadata: the
        // publisher's copies (written by the notary CLI) and the reader's (as served).
        let published = publisher.sb.trust().join("tuf").join(&gun).join("metadata");
        for dir in [published, meta] {
            let mut checked = 0;
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    let bytes = fs::read(&path).unwrap();
                    assert!(
                        crate::support::assert_parsers_agree(&bytes),
                        "{}",
                        path.display()
                    );
                    checked += 1;
                }
            }
            assert!(checked >= 4, "{}: {checked} files", dir.display());
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
    let gun = unique(srv, "lookup/roles");
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
        (
            3,
            format!(
                "dct: No trust data for alice-only\n{gun}:alice-only is signed only by \
                 targets/alice, outside targets/releases, which docker pull does not accept: \
                 `dct inspect {gun}` shows its signers\n"
            )
            .as_str()
        )
    );
    let (code, _, err) = dct_lookup(&rd, &format!("{gun}:nope"), &[]);
    assert_eq!(
        (code, err.as_str()),
        (
            3,
            format!(
                "dct: No valid trust data for nope\n{gun}:nope is not signed: `dct inspect {gun}` \
                 lists the signed tags, `dct sign {gun}:nope` signs it\n"
            )
            .as_str()
        )
    );

    let unknown = unique(srv, "lookup/never-initialized");
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
    let roles = unique(srv, "inspect/roles");
    docker_style_repo(&publisher, &roles);
    let plain = unique(srv, "inspect/plain");
    publisher.repo_with_targets(&plain, 3);
    let empty = unique(srv, "inspect/empty");
    ok(&mut publisher.notary(&["init", "-p", &empty]));
    // Target names docker pads by display width (wide, combining, emoji), not by runes.
    let wide = unique(srv, "inspect/wide");
    ok(&mut publisher.notary(&["init", "-p", &wide]));
    for name in ["café", "e01", "👍ok", "x\u{303}y", "日本語"] {
        let hash = "ab".repeat(32);
        ok(&mut publisher.notary(&["addhash", &wide, name, "3", "--sha256", &hash]));
    }
    ok(&mut publisher.notary(&["publish", &wide]));

    let cases: Vec<Vec<String>> = vec![
        vec![wide.clone()],
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

    // A later argument that fails: docker has printed the earlier ones and their separator.
    let unknown = unique(srv, "inspect/unknown");
    for args in [
        vec![wide.as_str(), unknown.as_str(), plain.as_str()],
        vec![wide.as_str(), plain.as_str(), unknown.as_str()],
    ] {
        let mut cmd = vec!["trust", "inspect", "--pretty"];
        cmd.extend(&args);
        let (code, docker, _) = run(&mut publisher.docker(&cmd));
        assert_eq!(code, 1);
        let mut dct = vec!["-s", srv.url(), "inspect", "--pretty"];
        dct.extend(&args);
        let (code, out, _) = run(&mut reader().dct(&dct));
        assert_eq!((code, out), (3, docker), "{args:?}");
    }

    // An unknown repository: docker prints `[]` and fails; dct prints the same and exits 3.
    let (code, out, _) = run(&mut publisher.docker(&["trust", "inspect", &unknown]));
    assert_eq!(code, 1);
    let (dcode, dout, derr) = run(&mut reader().dct(&["-s", srv.url(), "inspect", &unknown]));
    assert_eq!((dcode, dout), (3, out));
    assert!(derr.contains("does not have trust data"), "{derr}");
}

/// The cache files of `sb` (path → bytes), to prove a failed run changed nothing.
fn cache_of(sb: &Sandbox) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    sb.snapshot()
        .into_iter()
        .filter(|(p, _)| p.components().any(|c| c.as_os_str() == "tuf"))
        .collect()
}

#[test]
fn trust_pinning_by_flag_and_by_notary_config() {
    let srv = servers();
    let publisher = Publisher::new();
    let gun = unique(srv, "pin/app");
    publisher.repo_with_targets(&gun, 1);
    let image = format!("{gun}:tag-000000");
    let expected = format!("{gun}@sha256:{}\n", staged_digest("tag-000000"));

    // The root key as root.json lists it (certificate ID) and as its key file is named.
    let inspect: serde_json::Value =
        serde_json::from_str(&ok(&mut reader().dct(&["-s", srv.url(), "inspect", &gun]))).unwrap();
    let cert_id = inspect[0]["AdministrativeKeys"][0]["Keys"][0]["ID"]
        .as_str()
        .unwrap()
        .to_string();
    let file_id = ok(&mut publisher.sb.dct(&["key", "list", "--json"]));
    let keys: serde_json::Value = serde_json::from_str(&file_id).unwrap();
    let file_id = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["role"] == "root")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = "ab".repeat(32);

    for id in [&cert_id, &file_id] {
        let (code, out, err) = dct_lookup(&reader(), &image, &["--pin-root", id]);
        assert_eq!((code, out), (0, expected.clone()), "{err}");
    }
    // A pin that does not match: exit 4 and nothing cached, on first contact...
    let rd = reader();
    let (code, _, err) = dct_lookup(&rd, &image, &["--pin-root", &wrong]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("do not match the pinned root key"), "{err}");
    assert!(cache_of(&rd).is_empty());
    // ...and with a cached root too (the flag is checked on every run).
    ok(&mut rd.dct(&["-s", srv.url(), "lookup", &image]));
    let before = cache_of(&rd);
    let (code, _, _) = dct_lookup(&rd, &image, &["--pin-root", &wrong]);
    assert_eq!(code, 4);
    assert_eq!(cache_of(&rd), before);

    // notary's trust_pinning in <trust dir>/config.json (first contact only, like notary).
    let pinned = |config: serde_json::Value| {
        let rd = reader();
        fs::create_dir_all(rd.trust()).unwrap();
        fs::write(
            rd.trust().join("config.json"),
            serde_json::json!({ "trust_pinning": config }).to_string(),
        )
        .unwrap();
        let r = dct_lookup(&rd, &image, &[]);
        (r, cache_of(&rd).is_empty())
    };
    let ((code, out, _), _) = pinned(serde_json::json!({"certs": {&gun: [&cert_id]}}));
    assert_eq!((code, out), (0, expected.clone()));
    let prefix = format!("{}/pin/*", srv.registry_host());
    let ((code, _, _), _) = pinned(serde_json::json!({"certs": {&prefix: [&cert_id]}}));
    assert_eq!(code, 0);
    let ((code, _, err), empty) = pinned(serde_json::json!({"certs": {&gun: [&wrong]}}));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("unable to match any certificates to trust_pinning config"),
        "{err}"
    );
    assert!(empty);
    let ((code, _, err), empty) = pinned(serde_json::json!({"disable_tofu": true}));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("invalid trust pinning specified"), "{err}");
    assert!(empty);
    // A root CA the root certificate does not chain to (notary's root certs are self-signed).
    let ((code, _, err), _) = pinned(serde_json::json!({"ca": {&gun: srv.ca()}}));
    assert_eq!(code, 4, "{err}");
}

#[test]
fn offline_uses_the_verified_cache_and_fails_without_one() {
    let srv = servers();
    let publisher = Publisher::new();
    let gun = unique(srv, "offline/app");
    publisher.repo_with_targets(&gun, 2);
    let image = format!("{gun}:tag-000001");
    let rd = reader();
    let expected = ok(&mut rd.dct(&["-s", srv.url(), "lookup", &image]));
    let before = cache_of(&rd);

    // A server that is not there: the cached timestamp (still valid) is used, with a warning.
    let dead = dead_url();
    let (code, out, err) = run(&mut rd.dct(&["-s", &dead, "lookup", &image]));
    assert_eq!((code, out), (0, expected), "{err}");
    assert!(err.contains("using the cached timestamp"), "{err}");
    assert_eq!(cache_of(&rd), before);

    // No cache: a network error, exit 6.
    let (code, _, err) = run(&mut reader().dct(&["-s", &dead, "lookup", &image]));
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("error contacting notary server"), "{err}");
}

#[test]
fn bad_arguments_exit_2() {
    let rd = reader();
    for args in [
        vec!["lookup", "Upper/Case:v1"],
        vec![
            "lookup",
            "example.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        ],
        vec!["lookup", "example.com/app:v1", "--pin-root", "short"],
        vec![
            "-s",
            "http://plain.example.com",
            "lookup",
            "example.com/app:v1",
        ],
    ] {
        let (code, _, err) = run(&mut rd.dct(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

/// A host with a CA of its own is tried with that CA alone (loading the OS root store is the
/// most expensive part of a warm lookup); when the server's certificate does not chain to it,
/// the system roots are added and the request is retried, so what is accepted is still
/// "system roots + configured CAs", as in Docker.
#[test]
fn configured_cas_first_then_the_system_roots() {
    let srv = servers();
    let publisher = Publisher::new();
    let gun = unique(srv, "lookup/roots");
    publisher.repo_with_targets(&gun, 1);
    let image = format!("{gun}:tag-000000");
    // An unrelated CA in the host's tls dir; the harness CA only in the "system" bundle.
    let lookup = |system: &Path| {
        let sb = Sandbox::new();
        let tls = sb.config().join("tls").join(srv.get("TRUST_SERVER_HOST"));
        fs::create_dir_all(&tls).unwrap();
        fs::copy(
            Path::new(crate::support::ROOT).join("fixtures/pinning/other-ca.crt"),
            tls.join("ca.crt"),
        )
        .unwrap();
        run(sb
            .dct(&["-s", srv.url(), "-v", "lookup", &image])
            .env("SSL_CERT_FILE", system)
            .env_remove("SSL_CERT_DIR"))
    };
    let (code, out, err) = lookup(Path::new(srv.ca()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("{gun}@sha256:{}\n", staged_digest("tag-000000"))
    );
    assert!(err.contains("retrying with the system roots"), "{err}");
    // Neither the configured CA nor the system roots: exit 6 with the advice.
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("no-roots.pem");
    fs::write(&empty, "").unwrap();
    let (code, _, err) = lookup(&empty);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("--tlscacert"), "{err}");
}
