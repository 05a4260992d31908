//! `dct pin` on Compose, Kubernetes and Dockerfile fixtures (`fixtures/pin/`) against the real
//! harness: exactly the image values change (a byte-level comparison), `--check` exit codes,
//! and a tampered repository among many failing only its own line. Also `dct lookup IMAGE…`
//! and `dct inspect IMAGE…` with such a mix.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::support::fake_server::FakeServer;
use crate::support::repo::{RepoBuilder, replace_once};
use crate::support::signing::Client;
use crate::support::{Sandbox, fixture, run, servers, unique};

/// The repositories the fixtures name, with the tag each signs.
const SIGNED: &[(&str, &str)] = &[
    ("web", "v1"),
    ("db", "16"),
    ("cache", "latest"),
    ("init", "1.36"),
    ("app", "v1"),
    ("sidecar", "v2"),
    ("job", "3.19"),
    ("debug", "1"),
    ("build", "1.22"),
    ("base", "12"),
];

const FILES: &[(&str, usize)] = &[("compose.yaml", 3), ("k8s.yaml", 6), ("Dockerfile", 2)];

/// A repository prefix on the real notary-server's own host (so no `-s` is needed: the
/// default trust server of a GUN is its host, which also lets a fake server serve others).
fn prefix() -> String {
    let srv = servers();
    let u = unique(srv, "pin");
    let path = u.split_once('/').unwrap().1;
    format!("{}/{path}", srv.get("TRUST_SERVER_HOST"))
}

/// The digest each repository is signed as: sha256 of its name.
fn digest_of(repo: &str) -> String {
    hex::encode(Sha256::digest(repo.as_bytes()))
}

/// Signs every repository of [`SIGNED`] under `prefix` (digest and size given: no registry).
fn sign_all(signer: &Client, prefix: &str) {
    for (name, tag) in SIGNED {
        let repo = format!("{prefix}/{name}");
        let digest = format!("sha256:{}", digest_of(&repo));
        let (code, _, err) = run(&mut signer.dct(&[
            "sign",
            &format!("{repo}:{tag}"),
            "--digest",
            &digest,
            "--size",
            "1234",
        ]));
        assert_eq!(code, 0, "{err}");
    }
}

/// The fixtures with `REPO` replaced, in a directory of their own.
fn deploy_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    FILES
        .iter()
        .map(|(name, _)| {
            let text = std::fs::read_to_string(fixture(&format!("pin/{name}"))).unwrap();
            let path = dir.join(name);
            std::fs::write(&path, text.replace("REPO", prefix)).unwrap();
            path
        })
        .collect()
}

/// `dct --tlscacert CA ARGS…` (no `-s`: each GUN's own host is its trust server).
fn dct(sb: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--tlscacert", servers().ca()];
    all.extend(args);
    run(&mut sb.dct(&all))
}

fn paths(files: &[PathBuf]) -> Vec<&str> {
    files.iter().map(|p| p.to_str().unwrap()).collect()
}

/// `after` is `before` with `@sha256:<hex>` inserted after image values (and `:latest` before
/// it where no tag was written), nothing else: returns how many were inserted.
fn only_pins_added(before: &str, after: &str) -> usize {
    let mut stripped = after.to_string();
    let mut n = 0;
    while let Some(i) = stripped.find("@sha256:") {
        let hex = &stripped[i + 8..i + 8 + 64];
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{hex}");
        let mut start = i;
        if stripped[..i].ends_with(":latest") && !before.contains(&stripped[..i]) {
            start -= ":latest".len();
        }
        stripped.replace_range(start..i + 8 + 64, "");
        n += 1;
    }
    assert_eq!(stripped, before, "something besides image values changed");
    n
}

#[test]
fn pin_rewrites_exactly_the_image_fields() {
    let srv = servers();
    let signer = Client::new(srv);
    let prefix = prefix();
    sign_all(&signer, &prefix);
    let work = tempfile::tempdir().unwrap();
    let files = deploy_files(work.path(), &prefix);
    std::fs::set_permissions(&files[2], std::fs::Permissions::from_mode(0o640)).unwrap();
    let originals: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let reader = Sandbox::new();

    // Without --write: what would be written, one line per reference, nothing changes.
    let mut args = vec!["pin"];
    args.extend(paths(&files));
    let (code, out, err) = dct(&reader, &args);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 11, "{out}");
    let web = format!("{prefix}/web");
    let expect = format!(
        "{}:10: {web}:v1@sha256:{}",
        files[0].display(),
        digest_of(&web)
    );
    assert_eq!(lines[0], expect);
    let cache = format!("{prefix}/cache");
    assert!(out.contains(&format!("{cache}:latest@sha256:{}", digest_of(&cache))));
    assert!(!out.contains("not-") && !out.contains("in-a-"), "{out}");
    assert!(
        err.contains("11 image references are not pinned yet"),
        "{err}"
    );
    for (f, o) in files.iter().zip(&originals) {
        assert_eq!(&std::fs::read_to_string(f).unwrap(), o);
    }

    // --check fails (exit 1) while they are not pinned, naming file and line.
    args[0] = "pin";
    let mut check = vec!["pin", "--check"];
    check.extend(paths(&files));
    let (code, _, err) = dct(&reader, &check);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{}:10: ", files[0].display())),
        "{err}"
    );
    assert!(err.contains("is signed but not pinned"), "{err}");

    // --write: exactly the image values change, each to its signed digest. A temp file that
    // a killed `dct pin --write` left (unlocked) is swept; nothing else appears beside the files.
    let stale = work.path().join(".dct-tmp-killedpin");
    std::fs::write(&stale, "half a compose file").unwrap();
    let before: std::collections::BTreeSet<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".dct-tmp-killedpin")
        .collect();
    let mut write = vec!["pin", "--write"];
    write.extend(paths(&files));
    let (code, _, err) = dct(&reader, &write);
    assert_eq!(code, 0, "{err}");
    for ((f, o), (name, n)) in files.iter().zip(&originals).zip(FILES) {
        let after = std::fs::read_to_string(f).unwrap();
        assert_eq!(only_pins_added(o, &after), *n, "{name}");
        assert!(err.contains(&format!("Pinned {n} image references in {}", f.display())));
    }
    for (name, _) in SIGNED {
        let repo = format!("{prefix}/{name}");
        let all: String = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        assert!(
            all.contains(&format!("@sha256:{}", digest_of(&repo))),
            "{name}"
        );
    }
    let mode = std::fs::metadata(&files[2]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let after: std::collections::BTreeSet<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(after, before);

    // Now pinned: --check passes, and --write changes nothing (each is verified).
    let (code, _, err) = dct(&reader, &check);
    assert_eq!(code, 0, "{err}");
    let pinned: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut json = vec!["--json", "pin", "--write"];
    json.extend(paths(&files));
    let (code, out, err) = dct(&reader, &json);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 11);
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "verified"),
        "{out}"
    );
    for (f, p) in files.iter().zip(&pinned) {
        assert_eq!(&std::fs::read_to_string(f).unwrap(), p);
    }

    // CRLF line ends stay CRLF.
    let crlf = work.path().join("crlf.yaml");
    std::fs::write(&crlf, originals[0].replace('\n', "\r\n")).unwrap();
    let (code, _, err) = dct(&reader, &["pin", "--write", crlf.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&crlf).unwrap();
    assert_eq!(
        only_pins_added(&originals[0].replace('\n', "\r\n"), &after),
        3
    );
}

/// A repository on a fake trust server whose targets file was changed after signing (the
/// snapshot describes the original): every read of it fails verification.
fn tampered_repository() -> (FakeServer, String) {
    let srv = FakeServer::start();
    let gun = format!("127.0.0.1:{}/evil/app", srv.port);
    let mut b = RepoBuilder::new(&gun);
    b.add_target("targets", "v1", b"{\"manifest\":\"evil\"}");
    let mut files = b.build();
    files.tamper("targets", |bytes| {
        replace_once(bytes, b"\"version\":1", b"\"version\":2")
    });
    srv.serve(&files);
    (srv, gun)
}

#[test]
fn check_exit_codes_and_one_tampered_repository_among_many() {
    let srv = servers();
    let signer = Client::new(srv);
    let prefix = prefix();
    sign_all(&signer, &prefix);
    let (_evil_srv, evil) = tampered_repository();
    let work = tempfile::tempdir().unwrap();
    let reader = Sandbox::new();
    let good = |name: &str, tag: &str| {
        let repo = format!("{prefix}/{name}");
        format!("{repo}:{tag}@sha256:{}", digest_of(&repo))
    };

    // All pinned and signed: 0. One unsigned among them: 3, naming its file and line.
    let file = work.path().join("compose.yaml");
    let compose = |third: &str| {
        format!(
            "services:\n  a:\n    image: {}\n  b:\n    image: {}\n  c:\n    image: {third}\n",
            good("web", "v1"),
            good("db", "16")
        )
    };
    std::fs::write(&file, compose(&good("job", "3.19"))).unwrap();
    let f = file.to_str().unwrap();
    assert_eq!(dct(&reader, &["pin", "--check", f]).0, 0);
    std::fs::write(&file, compose(&format!("{prefix}/nope:v1"))).unwrap();
    let (code, out, err) = dct(&reader, &["pin", "--check", f]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains(&format!("{f}:7: {prefix}/nope:v1: ")), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    // Pinned to another digest than its tag is signed as: not signed (3), left alone.
    let wrong = format!("{prefix}/job:3.19@sha256:{}", digest_of("other"));
    std::fs::write(&file, compose(&wrong)).unwrap();
    let (code, _, err) = dct(&reader, &["pin", "--write", f]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("pinned to sha256:"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), compose(&wrong));
    // A digest alone must be what some tag is signed as.
    let by_digest = format!(
        "{prefix}/job@sha256:{}",
        digest_of(&format!("{prefix}/job"))
    );
    std::fs::write(&file, compose(&by_digest)).unwrap();
    assert_eq!(dct(&reader, &["pin", "--check", f]).0, 0);

    // A tampered repository among many: only its own line fails, with 4; the others are
    // pinned by --write all the same.
    let k8s = work.path().join("k8s.yaml");
    let text = format!(
        "kind: Pod\nspec:\n  containers:\n  - image: {prefix}/web:v1\n  - image: {evil}:v1\n  - image: {prefix}/app:v1\n"
    );
    std::fs::write(&k8s, &text).unwrap();
    let k = k8s.to_str().unwrap();
    let (code, out, err) = dct(&reader, &["pin", "--write", k, f]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains(&format!("{k}:5: {evil}:v1: ")), "{err}");
    assert_eq!(err.matches("dct: ").count(), 1, "{err}");
    assert_eq!(out.lines().count(), 5, "{out}");
    let after = std::fs::read_to_string(&k8s).unwrap();
    assert_eq!(only_pins_added(&text, &after), 2);
    assert!(after.contains(&format!("image: {evil}:v1\n")));
    // --check: verification failure (4) outranks unsigned (3) and unpinned (1).
    std::fs::write(&file, compose(&format!("{prefix}/nope:v1"))).unwrap();
    std::fs::write(&k8s, &text).unwrap();
    assert_eq!(dct(&reader, &["pin", "--check", f, k]).0, 4);

    // The same mix through dct lookup IMAGE… and dct inspect IMAGE….
    let web = format!("{prefix}/web:v1");
    let app = format!("{prefix}/app:v1");
    let nope = format!("{prefix}/nope:v1");
    let evil_tag = format!("{evil}:v1");
    let (code, out, err) = dct(&reader, &["lookup", &web, &evil_tag, &app, &nope, "BAD"]);
    assert_eq!(code, 4, "{err}");
    let want: Vec<String> = [("web", &web), ("app", &app)]
        .iter()
        .map(|(n, _)| {
            let repo = format!("{prefix}/{n}");
            format!("{repo}@sha256:{}", digest_of(&repo))
        })
        .collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), want);
    for bad in [&evil_tag, &nope, &"BAD".to_string()] {
        assert!(err.contains(&format!("dct: {bad}: ")), "{bad}: {err}");
    }
    let (code, out, _) = dct(&reader, &["--json", "lookup", &web, &evil_tag, &nope]);
    assert_eq!(code, 4);
    assert_eq!(out.lines().count(), 1, "one JSON value per run: {out}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["tag"], "v1");
    assert_eq!(
        (rows[1]["exit_code"].clone(), rows[2]["exit_code"].clone()),
        (4.into(), 3.into())
    );
    assert_eq!(rows[1]["image"], evil_tag.as_str());
    // Unsigned only: 3; all good, one repository asked for twice: 0, in order.
    assert_eq!(dct(&reader, &["lookup", &web, &nope]).0, 3);
    let (code, out, _) = dct(&reader, &["lookup", "--jobs", "1", &app, &web, &app]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec![&want[1], &want[0], &want[1]]
    );
    let (code, out, err) = dct(&reader, &["inspect", &web, &evil_tag, &app]);
    assert_eq!(code, 4, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![web.as_str(), app.as_str()]);
}

#[test]
fn unreadable_values_and_files_fail_their_own_line() {
    let reader = Sandbox::new();
    let work = tempfile::tempdir().unwrap();
    let yaml = work.path().join("pod.yaml");
    std::fs::write(
        &yaml,
        "kind: Pod\nspec:\n  containers:\n  - image: *alias\n  - image: ${IMAGE}\n",
    )
    .unwrap();
    let docker = work.path().join("Dockerfile");
    std::fs::write(&docker, "ARG B=alpine\nFROM $B\n").unwrap();
    let missing = work.path().join("missing.yaml");
    let empty = work.path().join("empty.yaml");
    std::fs::write(&empty, "kind: Service\n").unwrap();
    let mut contents = BTreeMap::new();
    for p in [&yaml, &docker, &empty] {
        contents.insert(p.clone(), std::fs::read(p).unwrap());
    }
    let (code, out, err) = dct(
        &reader,
        &[
            "pin",
            "--write",
            yaml.to_str().unwrap(),
            docker.to_str().unwrap(),
            missing.to_str().unwrap(),
            empty.to_str().unwrap(),
        ],
    );
    // Invalid input (2) outranks a file that cannot be read (1).
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(":4: *alias: cannot read this image value (an alias)"),
        "{err}"
    );
    assert!(
        err.contains(":5: ${IMAGE}: error parsing reference"),
        "{err}"
    );
    assert!(
        err.contains("Dockerfile:2: $B: it uses a build argument"),
        "{err}"
    );
    assert!(err.contains("missing.yaml: cannot read"), "{err}");
    assert!(
        err.contains("empty.yaml: no image references found"),
        "{err}"
    );
    for (p, c) in contents {
        assert_eq!(std::fs::read(&p).unwrap(), c);
    }
}

/// Several `dct pin --write` at once on the same files (two CI jobs, a pre-commit hook and a
/// developer): each exits 0, or 1 saying the file changed while it read it; every file ends
/// pinned exactly once, and no temp file is left beside them.
#[test]
fn concurrent_pin_writes_pin_each_file_once_and_leave_nothing() {
    let srv = servers();
    let signer = Client::new(srv);
    let prefix = prefix();
    sign_all(&signer, &prefix);
    let work = tempfile::tempdir().unwrap();
    let files = deploy_files(work.path(), &prefix);
    let originals: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let reader = Sandbox::new();
    let mut args = vec!["--tlscacert", srv.ca(), "pin", "--write"];
    args.extend(paths(&files));
    let children: Vec<_> = (0..4)
        .map(|_| {
            reader
                .dct(&args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {}
            Some(1) => assert!(err.contains("changed while dct read it"), "{err}"),
            other => panic!("{other:?}: {err}"),
        }
    }
    for ((f, o), (name, n)) in files.iter().zip(&originals).zip(FILES) {
        let after = std::fs::read_to_string(f).unwrap();
        assert_eq!(only_pins_added(o, &after), *n, "{name}");
    }
    let left: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".dct-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Pinned now: a --check passes.
    let mut check = vec!["pin", "--check"];
    check.extend(paths(&files));
    let (code, _, err) = dct(&reader, &check);
    assert_eq!(code, 0, "{err}");
}
