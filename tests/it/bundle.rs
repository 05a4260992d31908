//! Issue 13, trust data that outlives its server: `dct bundle create | verify | import` and
//! `--bundle FILE` / `--at` on lookup, inspect and pull. Bundles are made from the real harness
//! (and, for expiry and rollback cases, from the notary-exact builder served by
//! `scripts/fake-trust-server` or written with the library's bundle writer) and read with the
//! trust server pointed at a dead port: `-v` shows that no trust server is contacted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use crate::support::fake_server::FakeServer;
use crate::support::repo::{DAY, Files, RepoBuilder, digest_hex};
use crate::support::signing::Client;
use crate::support::{Sandbox, mode, ok, push, run, servers, tree, unique};
use dct::ExitCode;
use dct::ops::bundle::{At, import, open_bytes};
use dct::ops::{Session, SessionOptions, SilentUi};
use dct::tuf::bundle::{Bundle, Collection};

fn digest(c: char) -> String {
    format!("sha256:{}", c.to_string().repeat(64))
}

/// A reader whose trust server is a dead port (any request would fail with exit 6).
fn offline(sb: &Sandbox, args: &[&str]) -> std::process::Command {
    let dead = crate::support::dead_url();
    let mut all = vec!["-s", dead.as_str(), "-v"];
    all.extend(args);
    sb.dct(&all)
}

/// `-v` shows no request to a trust server (`…/_trust/…`) and no HTTP client at all, and says
/// that none is contacted.
fn assert_no_trust_request(stderr: &str) {
    assert!(!stderr.contains("/_trust/"), "{stderr}");
    assert!(!stderr.contains("HTTP requests"), "{stderr}");
    assert!(stderr.contains("no trust server is contacted"), "{stderr}");
}

/// The root key ID `docker trust inspect` shows for the collection (JSON of `dct inspect`).
fn root_key_id(inspect_json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(inspect_json).unwrap();
    v[0]["AdministrativeKeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["Name"] == "Root")
        .unwrap()["Keys"][0]["ID"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A signed collection on the harness: v1 in `targets`, then signer alice added and v2 signed
/// into `targets/releases` and `targets/alice`.
fn signed_collection(c: &Client, prefix: &str) -> String {
    let gun = unique(c.srv, prefix);
    let sign = |tag: &str, d: char| {
        ok(&mut c.dct(&[
            "sign",
            &format!("{gun}:{tag}"),
            "--digest",
            &digest(d),
            "--size",
            "7",
        ]))
    };
    sign("v1", 'a');
    let dir = c.sb.path().display().to_string();
    if !c.sb.path().join("alice.pub").exists() {
        ok(&mut c.dct(&["key", "generate", "alice", "--dir", &dir]));
    }
    let key = format!("{dir}/alice.pub");
    ok(&mut c.dct(&["signer", "add", "alice", &gun, "--key", &key]));
    sign("v2", 'b');
    gun
}

fn create(c: &Client, guns: &[&str], file: &Path) -> String {
    let mut args = vec!["bundle", "create"];
    args.extend(guns);
    args.extend(["-o", file.to_str().unwrap()]);
    ok(&mut c.dct(&args))
}

#[test]
fn offline_reads_from_a_bundle_match_online_and_contact_no_trust_server() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = signed_collection(&c, "bundle/offline");
    // What a reader sees online, from a fresh trust dir.
    let online = crate::support::config_dir(srv);
    let on = |args: &[&str]| {
        let mut all = vec!["-s", srv.url()];
        all.extend(args);
        ok(&mut online.dct(&all))
    };
    let lookup_v2 = on(&["lookup", &format!("{gun}:v2")]);
    let lookup_json = on(&["lookup", "--json", &format!("{gun}:v1")]);
    let inspect = on(&["inspect", &gun]);
    let pretty = on(&["inspect", "--pretty", &gun, &format!("{gun}:v2")]);
    let root_id = root_key_id(&inspect);

    let file = c.sb.path().join("trust.bundle");
    let out = create(&c, &[&gun], &file);
    assert!(
        out.contains(&format!("{gun}: 6 files (root versions 1 to 1)")),
        "{out}"
    );
    assert_eq!(mode(&file), 0o644);

    // Offline, from a fresh trust dir pinned to the root key: the same answers, byte for byte.
    let reader = Sandbox::new();
    let b = file.to_str().unwrap();
    let pin = ["--bundle", b, "--pin-root", root_id.as_str()];
    let offline_ok = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(pin);
        let (code, out, err) = run(&mut offline(&reader, &all));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_no_trust_request(&err);
        out
    };
    assert_eq!(offline_ok(&["lookup", &format!("{gun}:v2")]), lookup_v2);
    assert_eq!(offline_ok(&["inspect", &gun]), inspect);
    assert_eq!(
        offline_ok(&["inspect", "--pretty", &gun, &format!("{gun}:v2")]),
        pretty
    );
    let j: serde_json::Value =
        serde_json::from_str(&offline_ok(&["lookup", "--json", &format!("{gun}:v1")])).unwrap();
    let mut expected: serde_json::Value = serde_json::from_str(&lookup_json).unwrap();
    expected["bundle"] = j["bundle"].clone();
    assert_eq!(j, expected);
    assert_eq!(j["bundle"]["freshness_proven"], true);
    assert_eq!(j["bundle"]["file"], b);

    // bundle verify lists what lookup resolves, with the same pin.
    let (code, table, err) = run(&mut offline(
        &reader,
        &["bundle", "verify", b, "--pin-root", &root_id],
    ));
    assert_eq!(code, 0, "{err}");
    assert_no_trust_request(&err);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        ["NAME", "TAG", "DIGEST", "SIZE", "ROLE", "SIGNERS"]
    );
    assert_eq!(rows[1], [gun.as_str(), "v1", &digest('a'), "7", "targets"]);
    assert_eq!(
        rows[2],
        [
            gun.as_str(),
            "v2",
            &digest('b'),
            "7",
            "targets/releases",
            "alice"
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&ok(&mut offline(
        &reader,
        &["bundle", "verify", "--json", b, "--pin-root", &root_id],
    )))
    .unwrap();
    assert_eq!(v["collections"][0]["name"], gun.as_str());
    assert_eq!(v["collections"][0]["tags"][1]["signers"][0], "alice");
    assert_eq!(v["freshness_proven"], true);
    // Reads write nothing.
    assert_eq!(tree(&reader.trust()), Vec::new());

    // No pin and no cached root: no trust on first use from a file (exit 4, naming --pin-root),
    // for every command, and nothing is written.
    for args in [
        vec!["lookup", "--bundle", b, &format!("{gun}:v1")],
        vec!["inspect", "--bundle", b, gun.as_str()],
        vec!["bundle", "verify", b],
        vec!["bundle", "import", b],
    ] {
        let (code, out, err) = run(&mut offline(&reader, &args));
        assert_eq!(code, 4, "{args:?}: {out}{err}");
        assert!(err.contains("--pin-root"), "{err}");
        assert!(
            err.contains(&root_id),
            "the bundle's root key is named: {err}"
        );
    }
    // A pin that the bundle's roots do not hold: exit 4 too.
    let (code, _, err) = run(&mut offline(
        &reader,
        &["bundle", "verify", b, "--pin-root", &"ab".repeat(32)],
    ));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("matches --pin-root"), "{err}");
    assert_eq!(tree(&reader.trust()), Vec::new());

    // Import once with the pin: the cache holds the collection, so later reads need no pin —
    // a plain lookup works offline from the cache, and so does the bundle.
    let out = ok(&mut offline(
        &reader,
        &["bundle", "import", b, "--pin-root", &root_id],
    ));
    assert!(
        out.starts_with(&format!(
            "Imported trust data for {gun} (root version 1, timestamp version "
        )),
        "{out}"
    );
    let meta = reader.trust().join("tuf").join(&gun).join("metadata");
    for f in [
        "root.json",
        "timestamp.json",
        "snapshot.json",
        "targets.json",
    ] {
        assert_eq!(mode(&meta.join(f)), 0o600, "{f}");
    }
    assert!(meta.join("targets/releases.json").is_file());
    let (code, out, err) = run(&mut offline(&reader, &["lookup", &format!("{gun}:v2")]));
    assert_eq!((code, out.as_str()), (0, lookup_v2.as_str()), "{err}");
    assert!(err.contains("using the cached timestamp"), "{err}");
    let (code, out, err) = run(&mut offline(
        &reader,
        &["lookup", &format!("{gun}:v2"), "--bundle", b],
    ));
    assert_eq!((code, out.as_str()), (0, lookup_v2.as_str()), "{err}");

    // The same trust data saved at the same time gives the same bytes — also when the server
    // is gone and the trust data comes from the creator's verified cache (lookup's offline
    // fallback, with its warning).
    let again = |name: &str, server: &str| {
        let f = c.sb.path().join(name);
        let (code, _, err) = run(c
            .dct_at(
                server,
                &["bundle", "create", &gun, "-o", f.to_str().unwrap()],
            )
            .env("SOURCE_DATE_EPOCH", "1700000000"));
        assert_eq!(code, 0, "{err}");
        (std::fs::read(f).unwrap(), err)
    };
    let (one, _) = again("a.bundle", srv.url());
    let (two, _) = again("b.bundle", srv.url());
    assert!(one == two, "two bundles of the same trust data differ");
    let (three, err) = again("c.bundle", &crate::support::dead_url());
    assert!(err.contains("using the cached timestamp"), "{err}");
    let (p1, p3) = (
        Bundle::from_bytes(&one).unwrap(),
        Bundle::from_bytes(&three).unwrap(),
    );
    // Only the server the index names (the one given with -s) differs.
    assert_eq!(p1.collections()[0].files(), p3.collections()[0].files());
    assert_ne!(p1.collections()[0].server, p3.collections()[0].server);
    let parsed = Bundle::from_bytes(&one).unwrap();
    assert_eq!(parsed.saved.unix_timestamp(), 1_700_000_000);
    // A save time in the future is refused.
    let (code, _, err) = run(c
        .dct(&["bundle", "create", &gun, "-o", "x.bundle"])
        .env("SOURCE_DATE_EPOCH", "99999999999"));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn every_flipped_byte_is_refused_and_nothing_is_cached() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "bundle/flip");
    ok(&mut c.dct(&[
        "sign",
        &format!("{gun}:v1"),
        "--digest",
        &digest('c'),
        "--size",
        "1",
    ]));
    let file = c.sb.path().join("flip.bundle");
    create(&c, &[&gun], &file);
    let good = std::fs::read(&file).unwrap();
    let root_id = c.key_id("root");
    let reader = Sandbox::new();
    let session = Session::new(
        SessionOptions::new(reader.config(), reader.trust()),
        Arc::new(SilentUi),
    );
    let pins = [root_id.clone()];
    let try_import = |bytes: &[u8]| -> Result<(), dct::Error> {
        let b = open_bytes(&SilentUi, Path::new("bad.bundle"), bytes, At::Now)?;
        import(&session, &SilentUi, &b, &pins).map(|_| ())
    };

    // Every byte of the file, flipped: a damaged bundle (exit 2), before any trust decision.
    for i in 0..good.len() {
        let mut b = good.clone();
        b[i] ^= 0x01;
        let e = try_import(&b).expect_err(&format!("byte {i} flipped was accepted"));
        assert_eq!(e.exit_code(), ExitCode::Usage, "byte {i}: {e}");
    }
    // A bundle cut short or made longer is damaged too.
    for b in [&good[..good.len() - 1], &good[..good.len() / 2]] {
        assert_eq!(try_import(b).unwrap_err().exit_code(), ExitCode::Usage);
    }
    assert_eq!(tree(&reader.trust()), Vec::new());

    // Someone who rewrites the bundle so that its index and checksums match (as anyone can):
    // every changed byte of a metadata file is then caught by verification (exit 4).
    let parsed = Bundle::from_bytes(&good).unwrap();
    let coll = parsed.collection(&gun).unwrap();
    let files: Vec<(String, Vec<u8>)> = coll.files().to_vec();
    let mut checked = 0;
    for (k, (name, bytes)) in files.iter().enumerate() {
        // Every byte of the small files, a sample of the root (its certificate is 1.5 KiB).
        let step = if name.ends_with("root.json") { 7 } else { 1 };
        for i in (0..bytes.len()).step_by(step) {
            let mut changed = files.clone();
            changed[k].1[i] ^= 0x01;
            let resealed = Bundle::new(
                parsed.saved,
                vec![Collection::from_files(&gun, &coll.server, changed).unwrap()],
            )
            .unwrap()
            .to_bytes()
            .unwrap();
            let e = try_import(&resealed)
                .expect_err(&format!("byte {i} of {name} changed was accepted"));
            assert_eq!(
                e.exit_code(),
                ExitCode::Verification,
                "{name} byte {i}: {e}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
    assert_eq!(tree(&reader.trust()), Vec::new());
    // The untouched bundle imports.
    try_import(&good).unwrap();

    // The same through the command line, for a sample of positions.
    let cli_reader = Sandbox::new();
    let step = good.len() / 23;
    for i in (0..good.len()).step_by(step) {
        let mut b = good.clone();
        b[i] ^= 0x80;
        let f = cli_reader.path().join("bad.bundle");
        std::fs::write(&f, &b).unwrap();
        for cmd in ["verify", "import"] {
            let (code, _, err) = run(&mut offline(
                &cli_reader,
                &["bundle", cmd, f.to_str().unwrap(), "--pin-root", &root_id],
            ));
            assert!(
                code == 2 || code == 4,
                "byte {i}, {cmd}: exit {code}: {err}"
            );
        }
        let (code, _, err) = run(&mut offline(
            &cli_reader,
            &[
                "lookup",
                &format!("{gun}:v1"),
                "--bundle",
                f.to_str().unwrap(),
                "--pin-root",
                &root_id,
            ],
        ));
        assert!(
            code == 2 || code == 4,
            "byte {i}, lookup: exit {code}: {err}"
        );
    }
    assert_eq!(tree(&cli_reader.trust()), Vec::new());
}

#[test]
fn a_bundle_made_after_root_rotations_verifies_from_the_old_root() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = signed_collection(&c, "bundle/rotate");
    let old_root = c.key_id("root");
    // A reader that trusted the collection before the rotations.
    let old = crate::support::config_dir(srv);
    ok(&mut old.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v1")]));
    let before = tree(&old.trust());
    for _ in 0..2 {
        ok(&mut c.dct(&["key", "rotate", &gun, "root", "-y"]));
    }
    let file = c.sb.path().join("rotated.bundle");
    let out = create(&c, &[&gun], &file);
    assert!(out.contains("root versions 1 to 3"), "{out}");
    let b = file.to_str().unwrap();

    // The old reader follows 1 → 2 → 3 through the bundle's chain, offline, writing nothing.
    let (code, out, err) = run(&mut offline(
        &old,
        &["lookup", &format!("{gun}:v1"), "--bundle", b],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("{gun}@{}\n", digest('a')));
    assert_no_trust_request(&err);
    assert_eq!(tree(&old.trust()), before);
    // A fresh reader pinned to the old root key follows the chain from that root; pinned to
    // the new one it starts there.
    let keys: serde_json::Value =
        serde_json::from_str(&ok(&mut c.sb.dct(&["key", "list", "--json"]))).unwrap();
    let new_root = keys
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["role"] == "root" && k["id"] != old_root.as_str())
        .map(|k| k["id"].as_str().unwrap().to_string())
        .next()
        .unwrap();
    for pin in [&old_root, &new_root] {
        let fresh = Sandbox::new();
        let (code, out, err) = run(&mut offline(
            &fresh,
            &["bundle", "verify", b, "--pin-root", pin],
        ));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&digest('b')), "{out}");
    }
    // Importing moves the old reader's trusted root to version 3.
    let out = ok(&mut offline(&old, &["bundle", "import", b]));
    assert!(out.contains("(root version 3,"), "{out}");
    let root: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            old.trust()
                .join("tuf")
                .join(&gun)
                .join("metadata/root.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(root["signed"]["version"], 3);
}

#[test]
fn a_bundle_older_than_the_cache_is_a_rollback() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = signed_collection(&c, "bundle/rollback");
    let old_file = c.sb.path().join("old.bundle");
    create(&c, &[&gun], &old_file);
    ok(&mut c.dct(&[
        "sign",
        &format!("{gun}:v3"),
        "--digest",
        &digest('d'),
        "--size",
        "3",
    ]));
    // A reader that has seen the newer trust data online.
    let reader = crate::support::config_dir(srv);
    ok(&mut reader.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v3")]));
    let before = tree(&reader.trust());
    let b = old_file.to_str().unwrap();
    for args in [
        vec!["lookup", "--bundle", b, &format!("{gun}:v1")],
        vec!["bundle", "verify", b],
        vec!["bundle", "import", b],
    ] {
        let (code, _, err) = run(&mut offline(&reader, &args));
        assert_eq!(code, 4, "{args:?}: {err}");
        assert!(err.contains("is lower than current version"), "{err}");
    }
    assert_eq!(tree(&reader.trust()), before);

    // A bundle whose timestamp and snapshot are new but whose targets file is older than the
    // one the reader has cached (written with the library's bundle writer).
    let mut repo = RepoBuilder::new("example.com/bundle/rollback");
    repo.add_target("targets", "v1", b"{\"manifest\":\"one\"}");
    repo.targets_version = 2;
    let newer = repo.build();
    let rolled_back = {
        let mut r = repo.clone();
        r.targets_version = 1;
        r.snapshot_version += 1;
        r.timestamp_version += 1;
        r.build()
    };
    let reader = Sandbox::new();
    let pin = repo.root_keys[0].id.clone();
    let good = reader.path().join("good.bundle");
    std::fs::write(&good, bundle_of(&repo, &newer, repo.now)).unwrap();
    ok(&mut offline(
        &reader,
        &[
            "bundle",
            "import",
            good.to_str().unwrap(),
            "--pin-root",
            &pin,
        ],
    ));
    let before = tree(&reader.trust());
    let bad = reader.path().join("rolled-back.bundle");
    std::fs::write(&bad, bundle_of(&repo, &rolled_back, repo.now)).unwrap();
    for args in [
        vec![
            "lookup",
            "--bundle",
            bad.to_str().unwrap(),
            "example.com/bundle/rollback:v1",
        ],
        vec!["bundle", "import", bad.to_str().unwrap()],
    ] {
        let (code, _, err) = run(&mut offline(&reader, &args));
        assert_eq!(code, 4, "{err}");
        assert!(
            err.contains("targets: version 1 is lower than current version 2"),
            "{err}"
        );
    }
    assert_eq!(tree(&reader.trust()), before);
}

/// A bundle of one builder repository, as `dct bundle create` would write it.
fn bundle_of(b: &RepoBuilder, files: &Files, saved: OffsetDateTime) -> Vec<u8> {
    let roots: Vec<Vec<u8>> = b.roots.values().cloned().collect();
    let delegations = files
        .roles
        .iter()
        .filter(|(r, _)| r.starts_with("targets/"))
        .map(|(r, bytes)| (r.clone(), bytes.clone()))
        .collect();
    let coll = Collection::new(
        &b.gun,
        "https://notary.example",
        roots,
        files.role("timestamp").to_vec(),
        files.role("snapshot").to_vec(),
        files.role("targets").to_vec(),
        delegations,
    )
    .unwrap();
    Bundle::new(saved, vec![coll]).unwrap().to_bytes().unwrap()
}

#[test]
fn at_saved_checks_expiry_when_the_bundle_was_saved() {
    const GUN: &str = "example.com/bundle/expiring";
    // A repository whose timestamp expires a few seconds from now, and a signer whose
    // delegation has already expired (skipped with a warning, as online).
    let mut repo = RepoBuilder::new(GUN);
    repo.add_delegation("targets/releases", &[""]);
    repo.add_delegation("targets/alice", &[""]);
    let v1 = repo.add_target("targets/releases", "v1", b"{\"manifest\":\"v1\"}");
    repo.add_target("targets/alice", "v1", b"{\"manifest\":\"v1\"}");
    repo.delegation_mut("targets/alice").expires = repo.now - DAY;
    let expiry = repo.now + Duration::from_secs(6);
    repo.timestamp_expires = expiry;
    let srv = FakeServer::start();
    srv.serve(&repo.build());
    let maker = Sandbox::new();
    let file = maker.path().join("expiring.bundle");
    let url = srv.url();
    let (code, _, err) = run(&mut maker.dct(&[
        "-s",
        &url,
        "--tlscacert",
        srv.ca.to_str().unwrap(),
        "bundle",
        "create",
        GUN,
        "-o",
        file.to_str().unwrap(),
        "--pin-root",
        &repo.root_keys[0].id,
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("skipping invalid delegation targets/alice"),
        "{err}"
    );
    let saved = Bundle::from_bytes(&std::fs::read(&file).unwrap())
        .unwrap()
        .saved;
    let b = file.to_str().unwrap();
    let pin = repo.root_keys[0].id.clone();
    let image = format!("{GUN}:v1");
    let reader = Sandbox::new();

    // Wait for the timestamp to expire.
    let wait = expiry - OffsetDateTime::now_utc();
    if wait.is_positive() {
        std::thread::sleep(wait.unsigned_abs() + Duration::from_millis(1100));
    }
    // Checked now: expired, exit 4, and the message says what --at saved would do.
    let (code, _, err) = run(&mut offline(
        &reader,
        &["lookup", &image, "--bundle", b, "--pin-root", &pin],
    ));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("timestamp expired at"), "{err}");
    assert!(err.contains("--at saved"), "{err}");
    // Checked when it was saved: it verifies, with a warning, and --json records it.
    let (code, out, err) = run(&mut offline(
        &reader,
        &[
            "lookup",
            "--json",
            &image,
            "--bundle",
            b,
            "--at",
            "saved",
            "--pin-root",
            &pin,
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("freshness is not proven"), "{err}");
    assert!(
        err.contains("skipping invalid delegation targets/alice"),
        "{err}"
    );
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["digest"], format!("sha256:{}", digest_hex(&v1)));
    assert_eq!(j["role"], "targets/releases");
    assert_eq!(j["bundle"]["freshness_proven"], false);
    assert_eq!(
        j["bundle"]["expiry_checked_at"],
        dct::tuf::meta::format_go_time(saved)
    );
    assert_eq!(j["bundle"]["saved"], j["bundle"]["expiry_checked_at"]);
    // bundle verify the same way; an explicit time before the expiry works too.
    let v: serde_json::Value = serde_json::from_str(&ok(&mut offline(
        &reader,
        &[
            "bundle",
            "verify",
            "--json",
            b,
            "--at",
            "saved",
            "--pin-root",
            &pin,
        ],
    )))
    .unwrap();
    assert_eq!(v["freshness_proven"], false);
    assert_eq!(v["collections"][0]["tags"][0]["tag"], "v1");
    let before_expiry = dct::tuf::meta::format_go_time(expiry - Duration::from_secs(2));
    ok(&mut offline(
        &reader,
        &[
            "bundle",
            "verify",
            b,
            "--at",
            &before_expiry,
            "--pin-root",
            &pin,
        ],
    ));
    // Never later than now; --at needs --bundle.
    let (code, _, err) = run(&mut offline(
        &reader,
        &[
            "bundle",
            "verify",
            b,
            "--at",
            "2999-01-01T00:00:00Z",
            "--pin-root",
            &pin,
        ],
    ));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("in the future"), "{err}");
    let (code, _, err) = run(&mut offline(&reader, &["lookup", &image, "--at", "saved"]));
    assert_eq!(code, 2, "{err}");
    // A collection with an invalid delegation is not imported (dct caches only what fully
    // verifies), and nothing is written.
    let (code, _, err) = run(&mut offline(
        &reader,
        &["bundle", "import", b, "--at", "saved", "--pin-root", &pin],
    ));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("targets/alice"), "{err}");
    assert_eq!(tree(&reader.trust()), Vec::new());
}

#[test]
fn pull_from_a_bundle_uses_the_registry_and_no_trust_server() {
    let srv = servers();
    let c = Client::new(srv);
    c.sb.add_ca(srv, srv.registry_host());
    let gun = unique(srv, "bundle/pull");
    let (d, size, _) = push(srv, &["--text", "bundled"], &gun, "v1");
    ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    let file = c.sb.path().join("pull.bundle");
    create(&c, &[&gun], &file);
    let root_id = c.key_id("root");

    let reader = Sandbox::new();
    reader.add_ca(srv, srv.registry_host());
    let out = reader.path().join("layout");
    let (code, stdout, err) = run(&mut offline(
        &reader,
        &[
            "pull",
            &format!("{gun}:v1"),
            "--bundle",
            file.to_str().unwrap(),
            "--pin-root",
            &root_id,
            "--output",
            &format!("oci:{}", out.display()),
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout, format!("Pull (1 of 1): {gun}:v1@{d}\n"));
    assert!(!err.contains("/_trust/"), "{err}");
    assert!(err.contains("no trust server is contacted"), "{err}");
    let registry = format!("GET https://{}/v2/", srv.registry_host());
    assert!(err.contains(&registry), "{err}");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["manifests"][0]["digest"], d.as_str());
    assert_eq!(index["manifests"][0]["size"], size);
    // --bundle and --disable-content-trust contradict each other.
    let (code, _, _) = run(&mut reader.dct(&[
        "pull",
        &format!("{gun}:v1"),
        "--bundle",
        file.to_str().unwrap(),
        "--disable-content-trust",
    ]));
    assert_eq!(code, 2);
}

#[test]
fn bundles_of_several_repositories_and_damaged_files() {
    let srv = servers();
    let c = Client::new(srv);
    let (a, b) = (
        signed_collection(&c, "bundle/many-a"),
        signed_collection(&c, "bundle/many-b"),
    );
    let file = c.sb.path().join("many.bundle");
    // A repository named twice (also with a tag) is saved once.
    let out = create(&c, &[&b, &a, &format!("{a}:v1")], &file);
    assert_eq!(out.lines().count(), 3, "{out}");
    let f = file.to_str().unwrap();
    // The owner's trust dir has both roots cached: no pin needed.
    let (code, table, err) = run(&mut c.dct_at("https://127.0.0.1:1", &["bundle", "verify", f]));
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let mut sorted = vec![a.as_str(), a.as_str(), b.as_str(), b.as_str()];
    sorted.sort();
    assert_eq!(names, sorted);
    // A repository the bundle does not hold: not signed, as far as this bundle knows (exit 3).
    let other = unique(srv, "bundle/absent");
    let (code, _, err) = run(&mut c.dct(&["lookup", &format!("{other}:v1"), "--bundle", f]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("does not have trust data"), "{err}");
    // One collection failing verification fails `bundle verify` (exit 4) while the other is
    // still listed: after another signature (read back online), the owner's cache of `a` is
    // newer than the bundle.
    ok(&mut c.dct(&[
        "sign",
        &format!("{a}:v9"),
        "--digest",
        &digest('e'),
        "--size",
        "1",
    ]));
    ok(&mut c.dct(&["lookup", &format!("{a}:v9")]));
    let (code, table, err) = run(&mut c.dct_at("https://127.0.0.1:1", &["bundle", "verify", f]));
    assert_eq!(code, 4, "{err}");
    assert!(table.contains(&b) && !table.contains(&a), "{table}");

    // Files that are not bundles: exit 2.
    let sb = Sandbox::new();
    let bad = |name: &str, bytes: &[u8]| -> (i32, String) {
        let p: PathBuf = sb.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let (code, _, err) = run(&mut sb.dct(&["bundle", "verify", p.to_str().unwrap()]));
        (code, err)
    };
    let good = std::fs::read(&file).unwrap();
    for (name, bytes) in [
        ("empty", &b""[..]),
        ("text", &b"hello\n"[..]),
        ("truncated", &good[..good.len() - 700]),
    ] {
        let (code, err) = bad(name, bytes);
        assert_eq!(code, 2, "{name}: {err}");
    }
    let (code, _, err) = run(&mut sb.dct(&["bundle", "verify", "/nonexistent/x.bundle"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn trust_pinning_in_the_trust_dirs_config_pins_a_bundles_root() {
    const GUN: &str = "example.com/bundle/config-pin";
    let mut repo = RepoBuilder::new(GUN);
    repo.add_target("targets", "v1", b"{\"manifest\":\"one\"}");
    let reader = Sandbox::new();
    let file = reader.path().join("pinned.bundle");
    std::fs::write(&file, bundle_of(&repo, &repo.build(), repo.now)).unwrap();
    let f = file.to_str().unwrap();
    let config = |json: String| {
        std::fs::create_dir_all(reader.trust()).unwrap();
        std::fs::write(reader.trust().join("config.json"), json).unwrap();
    };
    let id = &repo.root_keys[0].id;
    // notary's `certs` (exact GUN or a prefix*) is a pin: no --pin-root needed.
    for key in [GUN, "example.com/bundle/*"] {
        config(format!(
            r#"{{"trust_pinning":{{"certs":{{"{key}":["{id}"]}}}}}}"#
        ));
        let (code, out, err) = run(&mut offline(&reader, &["bundle", "verify", f]));
        assert_eq!(code, 0, "{key}: {err}");
        assert!(out.contains(GUN), "{out}");
    }
    // Pinned to another key, or only `disable_tofu` (which pins nothing): exit 4.
    config(format!(
        r#"{{"trust_pinning":{{"certs":{{"{GUN}":["{}"]}}}}}}"#,
        "cd".repeat(32)
    ));
    let (code, _, err) = run(&mut offline(&reader, &["bundle", "verify", f]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("unable to match any certificates to trust_pinning"),
        "{err}"
    );
    config(r#"{"trust_pinning":{"disable_tofu":true}}"#.to_string());
    let (code, _, err) = run(&mut offline(&reader, &["bundle", "verify", f]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("--pin-root"), "{err}");
    // With --pin-root as well, both apply.
    let (code, _, err) = run(&mut offline(
        &reader,
        &["bundle", "verify", f, "--pin-root", id],
    ));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn create_needs_every_root_version_from_the_server() {
    const GUN: &str = "example.com/bundle/chain";
    let mut repo = RepoBuilder::new(GUN);
    repo.add_target("targets", "v1", b"{\"manifest\":\"one\"}");
    let first_root = repo.root_keys[0].id.clone();
    repo.rotate_root(true);
    let new_root = repo.root_keys[0].id.clone();
    let mut files = repo.build();
    let srv = FakeServer::start();
    let maker = Sandbox::new();
    let file = maker.path().join("chain.bundle");
    let create = || {
        run(&mut maker.dct(&[
            "-s",
            &srv.url(),
            "--tlscacert",
            srv.ca.to_str().unwrap(),
            "bundle",
            "create",
            GUN,
            "-o",
            file.to_str().unwrap(),
            "--pin-root",
            &new_root,
        ]))
    };
    // A server without 1.root.json: no bundle (exit 1), nothing written.
    files.served.remove("1.root.json");
    srv.serve(&files);
    let (code, _, err) = create();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("does not have 1.root.json"), "{err}");
    assert!(!file.exists());
    // With it, the bundle holds both versions; a reader pinned to the first root key follows
    // the rotation.
    srv.serve(&repo.build());
    let (code, out, err) = create();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("root versions 1 to 2"), "{out}");
    let reader = Sandbox::new();
    let (code, out, err) = run(&mut offline(
        &reader,
        &[
            "bundle",
            "verify",
            file.to_str().unwrap(),
            "--pin-root",
            &first_root,
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(GUN), "{out}");
}
