//! `dct migrate` against the real harness (docker-registry 2.8.2: no referrers API): the cosign
//! and Notation signatures it writes are checked by `support/sigverify.py`, verifiers written
//! in Python from the specifications and the real verifiers' rules (no cosign or notation
//! binary can run here), never by dct's own code.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::signing::{Client, REPO_PASS, ROOT_PASS};
use crate::support::{
    ROOT, Servers, auth_servers, auths_json, config_dir, fs_servers, ok, push, repo_path, run,
    servers, unique,
};

fn script(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/it/support").join(name)
}

/// `python3 support/<script> ARGS` against `srv`'s registry for `gun`.
fn py(srv: &Servers, name: &str, cmd: &str, gun: &str, tag: &str, extra: &[&str]) -> (i32, String) {
    let mut c = Command::new("python3");
    c.arg(script(name))
        .arg(cmd)
        .args(["--registry", srv.get("REGISTRY_URL"), "--ca", srv.ca()])
        .args(["--repo", repo_path(srv, gun), "--ref", tag])
        .args(extra);
    let (code, out, err) = run(&mut c);
    (code, format!("{out}{err}"))
}

/// The independent cosign verifier: `cosign verify --key KEY --insecure-ignore-tlog=true`, the
/// tag in `optional` and the exact `docker-reference` (containers/image) required.
fn cosign_verify(srv: &Servers, gun: &str, tag: &str, key: &Path) -> (i32, String) {
    let identity = format!("{gun}:{tag}");
    let a = format!("dev.dct.tag={tag}");
    let extra = [
        "--key",
        key.to_str().unwrap(),
        "-a",
        &a,
        "--identity",
        &identity,
    ];
    py(srv, "sigverify.py", "cosign", gun, tag, &extra)
}

/// The independent Notation verifier with the trust policy and certificate dct wrote to `out`,
/// the tag required as user metadata.
fn notation_verify(srv: &Servers, gun: &str, tag: &str, out: &Path, store: &Path) -> (i32, String) {
    let meta = format!("org.opencontainers.image.ref.name={tag}");
    let policy = out.join("trustpolicy.json");
    let extra = [
        "--scope",
        gun,
        "--policy",
        policy.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--user-metadata",
        &meta,
    ];
    py(srv, "sigverify.py", "notation", gun, tag, &extra)
}

fn verified(r: (i32, String)) {
    assert_eq!(r.0, 0, "{}", r.1);
    assert!(r.1.starts_with("verified: "), "{}", r.1);
}

/// A Notation signature verified, by the Python verifier and by jwcrypto (scripts/test
/// installs it).
fn notation_verified(r: (i32, String)) {
    assert!(r.1.contains("jwcrypto: the JWS verifies"), "{}", r.1);
    verified(r);
}

fn rejected(r: (i32, String), why: &str) {
    assert_eq!(r.0, 1, "{}", r.1);
    assert!(r.1.contains(why), "expected {why:?}: {}", r.1);
}

/// The manifest (or index) the registry serves under `reference`, as bytes (empty when none).
fn raw(srv: &Servers, gun: &str, reference: &str) -> String {
    let url = format!(
        "{}/v2/{}/manifests/{reference}",
        srv.get("REGISTRY_URL"),
        repo_path(srv, gun)
    );
    let (_, out, _) = run(Command::new("curl").args([
        "-sS",
        "--cacert",
        srv.ca(),
        "-H",
        "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json",
        &url,
    ]));
    out
}

fn sig_tags(srv: &Servers, gun: &str, digest: &str) -> (String, String) {
    let hex = digest.strip_prefix("sha256:").unwrap();
    (
        raw(srv, gun, &format!("sha256-{hex}.sig")),
        raw(srv, gun, &format!("sha256-{hex}")),
    )
}

/// `dct migrate GUN:v1 --to cosign --out OUT`.
fn to_cosign(c: &Client, gun: &str, out: &Path) -> (i32, String, String) {
    migrate(
        c,
        &[
            &format!("{gun}:v1"),
            "--to",
            "cosign",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

fn migrate(c: &Client, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["migrate"];
    all.extend(args);
    run(&mut c.dct(&all))
}

#[test]
fn dct_signed_schema2_oci_and_index_images_carry_over_and_verify() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/dct");
    let images = [
        ("s2", vec![]),
        ("oci", vec!["--oci"]),
        ("idx", vec!["--oci", "--index"]),
        ("list", vec!["--index"]),
    ];
    let mut digests = Vec::new();
    for (tag, opts) in &images {
        let (d, _, _) = push(srv, opts, &gun, tag);
        digests.push(d);
    }
    let (unsigned_digest, _, _) = push(srv, &["--text", "never signed"], &gun, "unsigned");
    let tags: Vec<String> = images.iter().map(|(t, _)| format!("{gun}:{t}")).collect();
    let mut sign = vec!["sign"];
    sign.extend(tags.iter().map(String::as_str));
    ok(&mut c.dct(&sign));

    // Another signer's cosign signature and another artifact's referrer are already there.
    let foreign = c.sb.path().join("foreign.pub");
    let (code, out) = py(
        srv,
        "sigtamper.py",
        "foreign-cosign",
        &gun,
        "s2",
        &["--keyout", foreign.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = py(srv, "sigtamper.py", "foreign-referrer", &gun, "oci", &[]);
    assert_eq!(code, 0, "{out}");

    // --dry-run lists the objects and writes nothing.
    let dry = c.sb.path().join("dry");
    let before: Vec<_> = digests.iter().map(|d| sig_tags(srv, &gun, d)).collect();
    let (code, out, err) = migrate(
        &c,
        &[
            &gun,
            "--to",
            "both",
            "--out",
            dry.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("would sign").count(), 8, "{out}");
    assert!(out.contains("(2 layer(s): 1 kept, 1 added)"), "{out}");
    assert!(
        out.contains("(referrers index, 1 entries kept, 1 added)"),
        "{out}"
    );
    assert!(
        out.contains(&format!("would write {}", dry.join("cosign.pub").display())),
        "{out}"
    );
    assert!(!dry.exists());
    let after: Vec<_> = digests.iter().map(|d| sig_tags(srv, &gun, d)).collect();
    assert_eq!(before, after);

    // Every signed tag (no tag given), both formats; the unsigned tag is not among them.
    let out_dir = c.sb.path().join("out");
    let o = out_dir.to_str().unwrap();
    let (code, out, err) = migrate(&c, &[&gun, "--to", "both", "--out", o]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 8, "{out}");
    assert_eq!(out.matches("signed, verified").count(), 8, "{out}");
    for (i, (tag, _)) in images.iter().enumerate() {
        assert!(
            out.contains(&format!("cosign    {gun}:{tag}@{}", digests[i])),
            "{out}"
        );
    }
    assert!(!out.contains("unsigned"), "{out}");
    for f in [
        "cosign.pub",
        "notation.crt",
        "trustpolicy.json",
        "README.txt",
    ] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    let readme = std::fs::read_to_string(out_dir.join("README.txt")).unwrap();
    assert!(
        readme.contains("cosign verify --key cosign.pub --insecure-ignore-tlog=true"),
        "{readme}"
    );
    assert!(readme.contains("sigstoreSigned"), "{readme}");
    let key = out_dir.join("cosign.pub");
    let cert = out_dir.join("notation.crt");
    for (tag, _) in &images {
        verified(cosign_verify(srv, &gun, tag, &key));
        notation_verified(notation_verify(srv, &gun, tag, &out_dir, &cert));
    }

    // The other signer's signature and the other referrer are kept.
    let (code, out) = py(
        srv,
        "sigverify.py",
        "cosign",
        &gun,
        "s2",
        &["--key", foreign.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let (sig, index) = sig_tags(srv, &gun, &digests[1]);
    assert!(index.contains("application/vnd.example.sbom"), "{index}");
    assert!(
        index.contains("application/vnd.cncf.notary.signature"),
        "{index}"
    );
    assert!(sig.contains("dev.cosignproject.cosign/signature"), "{sig}");
    let (sig, _) = sig_tags(srv, &gun, &digests[0]);
    assert_eq!(
        sig.matches("dev.cosignproject.cosign/signature").count(),
        2,
        "{sig}"
    );
    // Each Notation signature manifest also has a tag of its own (garbage collection).
    let (_, index) = sig_tags(srv, &gun, &digests[2]);
    let v: serde_json::Value = serde_json::from_str(&index).unwrap();
    let sig_digest = v["manifests"][0]["digest"].as_str().unwrap();
    let keep = format!(
        "{}.notation-{}",
        digests[2].replace(':', "-"),
        &sig_digest["sha256:".len().."sha256:".len() + 12]
    );
    assert!(raw(srv, &gun, &keep).contains("application/vnd.cncf.notary.signature"));

    // A re-run adds nothing: every signature is found and verified, the registry unchanged.
    let before: Vec<_> = digests.iter().map(|d| sig_tags(srv, &gun, d)).collect();
    let (code, out, err) = migrate(&c, &[&gun, "--to", "both", "--out", o, "--json"]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 8);
    for r in rows.as_array().unwrap() {
        assert_eq!(r["result"], "present", "{r}");
        assert_eq!(r["verified"], true, "{r}");
    }
    let after: Vec<_> = digests.iter().map(|d| sig_tags(srv, &gun, d)).collect();
    assert_eq!(before, after);

    // Wrong key, wrong trust store, wrong tag binding: rejected.
    rejected(
        py(
            srv,
            "sigverify.py",
            "cosign",
            &gun,
            "oci",
            &["--key", foreign.to_str().unwrap()],
        ),
        "does not verify with the key",
    );
    rejected(
        notation_verify(srv, &gun, "oci", &out_dir, Path::new(srv.ca())),
        "no certificate of the chain is in the trust store",
    );
    rejected(
        py(
            srv,
            "sigverify.py",
            "cosign",
            &gun,
            "oci",
            &["--key", key.to_str().unwrap(), "-a", "dev.dct.tag=s2"],
        ),
        "annotation dev.dct.tag",
    );

    // The unsigned tag is not migrated (exit 3, as lookup) and has no signature.
    let (code, _, err) = migrate(
        &c,
        &[&format!("{gun}:unsigned"), "--to", "both", "--out", o],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("No valid trust data for unsigned"), "{err}");
    rejected(
        cosign_verify(srv, &gun, "unsigned", &key),
        "no signatures found",
    );
    assert!(raw(srv, &gun, &unsigned_digest.replace(':', "-")).contains("MANIFEST_UNKNOWN"));

    // A Notation signature grafted onto another image: rejected (it signs another digest).
    let (code, out) = py(
        srv,
        "sigtamper.py",
        "graft-notation",
        &gun,
        "unsigned",
        &["--from", "oci"],
    );
    assert_eq!(code, 0, "{out}");
    rejected(
        notation_verify(srv, &gun, "unsigned", &out_dir, &cert),
        "is not the artifact's",
    );
    // Tampered cosign payloads under the original signatures: rejected.
    let (code, out) = py(srv, "sigtamper.py", "tamper-cosign", &gun, "list", &[]);
    assert_eq!(code, 0, "{out}");
    rejected(
        cosign_verify(srv, &gun, "list", &key),
        "does not verify with the key",
    );
}

#[test]
fn notary_addhash_with_a_docker_signer_key_carries_over_and_unverifiable_tags_do_not() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/notary");
    let dir = c.sb.path().to_str().unwrap().to_string();
    ok(&mut c.docker(&["trust", "key", "generate", "bob", "--dir", &dir]));
    let bob_pub = format!("{dir}/bob.pub");
    ok(&mut c.dct(&["signer", "add", "bob", &gun, "--key", &bob_pub]));
    let (digest, size, _) = push(srv, &["--oci"], &gun, "v1");
    let hex = digest.strip_prefix("sha256:").unwrap();
    ok(&mut c.notary(&[
        "addhash",
        "-p",
        &gun,
        "v1",
        &size.to_string(),
        "--sha256",
        hex,
        "-r",
        "targets/releases",
    ]));

    // A second repository whose trust data this trust dir cannot verify (a wrong root pin).
    let other = unique(srv, "migrate/pinned");
    push(srv, &[], &other, "v1");
    ok(&mut c.dct(&["sign", &format!("{other}:v1")]));
    let trust_config = c.sb.trust().join("config.json");
    std::fs::write(
        &trust_config,
        format!(
            r#"{{"trust_pinning":{{"certs":{{"{other}":["{}"]}}}}}}"#,
            "ab".repeat(32)
        ),
    )
    .unwrap();

    let out_dir = c.sb.path().join("out");
    let (code, out, err) = migrate(
        &c,
        &[
            &format!("{other}:v1"),
            &format!("{gun}:v1"),
            "--to",
            "both",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    // The pinned repository fails verification (exit 4, as lookup); the other one proceeds.
    assert_eq!(code, 4, "{out}{err}");
    assert!(err.contains(&format!("dct: {other}:v1: ")), "{err}");
    assert_eq!(out.matches("signed, verified").count(), 2, "{out}");
    assert!(out.contains(&format!("{other}:v1")), "{out}");
    rejected(
        cosign_verify(srv, &other, "v1", &out_dir.join("cosign.pub")),
        "no signatures found",
    );

    // The key used is bob's, the Docker-generated signer key that signed targets/releases.
    let pem = |p: &Path| {
        let text = std::fs::read(p).unwrap();
        let blocks = dct::keys::pem::parse_all(&text).unwrap();
        blocks[0].data.to_vec()
    };
    assert_eq!(pem(&out_dir.join("cosign.pub")), pem(Path::new(&bob_pub)));
    verified(cosign_verify(srv, &gun, "v1", &out_dir.join("cosign.pub")));
    notation_verified(notation_verify(
        srv,
        &gun,
        "v1",
        &out_dir,
        &out_dir.join("notation.crt"),
    ));
    let policy = std::fs::read_to_string(out_dir.join("trustpolicy.json")).unwrap();
    assert!(policy.contains(&format!("\"{gun}\"")), "{policy}");
    assert!(!policy.contains(&format!("\"{other}\"")), "{policy}");
}

#[test]
fn a_registry_refusing_the_write_is_exit_5() {
    let srv = auth_servers();
    let sb = config_dir(srv);
    let host = srv.registry_host();
    let signer = auths_json(
        host,
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    let reader = auths_json(
        host,
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    let gun = unique(srv, "migrate/auth");
    push(srv, &[], &gun, "v1");
    let dct = |args: &[&str]| {
        let mut all = vec!["-s", srv.url(), "--tlscacert", srv.ca()];
        all.extend(args);
        let mut c = sb.dct(&all);
        c.env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ROOT_PASS)
            .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS);
        c
    };
    sb.write_config(&signer);
    ok(&mut dct(&["sign", &format!("{gun}:v1")]));
    sb.write_config(&reader);
    let out_dir = sb.path().join("out");
    let (code, out, err) = run(&mut dct(&[
        "migrate",
        &format!("{gun}:v1"),
        "--to",
        "cosign",
        "--out",
        out_dir.to_str().unwrap(),
    ]));
    assert_eq!(code, 5, "{out}{err}");
    assert!(out.contains("failed (exit 5)"), "{out}");
}

fn openssl(dir: &Path, args: &[&str]) {
    ok(Command::new("openssl").current_dir(dir).args(args));
}

#[test]
fn key_and_ca_given_sign_every_repository_and_root_keys_never_do() {
    let srv = servers();
    let c = Client::new(srv);
    let (a, b) = (unique(srv, "migrate/ka"), unique(srv, "migrate/kb"));
    for gun in [&a, &b] {
        push(srv, &[], gun, "v1");
        ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    }
    let dir = c.sb.path();
    let out_dir = dir.join("out");
    let o = out_dir.to_str().unwrap();
    let (ta, tb) = (format!("{a}:v1"), format!("{b}:v1"));

    // Two repositories, two targets keys: one run signs with one key.
    let (code, _, err) = migrate(&c, &[&ta, &tb, "--to", "both", "--out", o]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("signed in DCT by different keys"), "{err}");
    assert!(!out_dir.exists());

    // A root key is never used.
    let root = c.key_id("root");
    let root_file = c.sb.private().join(format!("{root}.key"));
    let (code, _, err) = migrate(
        &c,
        &[
            &ta,
            "--to",
            "cosign",
            "--out",
            o,
            "--key",
            root_file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a root key"), "{err}");

    // --key: a plain PKCS#8 key; --cert: a CA (certificate + SEC1 key) issuing the leaf.
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "k.pem",
        ],
    );
    openssl(
        dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "ca.key",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-days",
            "30",
            "-subj",
            "/C=US/ST=WA/O=Example Corp/CN=Example CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            "ca.crt",
        ],
    );
    let mut ca_pem = std::fs::read(dir.join("ca.crt")).unwrap();
    ca_pem.extend(std::fs::read(dir.join("ca.key")).unwrap());
    std::fs::write(dir.join("ca.pem"), ca_pem).unwrap();
    for f in ["k.pem", "ca.pem"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let key = dir.join("k.pem");
    let ca = dir.join("ca.pem");
    let args = [
        ta.as_str(),
        tb.as_str(),
        "--to",
        "both",
        "--out",
        o,
        "--key",
        key.to_str().unwrap(),
        "--cert",
        ca.to_str().unwrap(),
    ];
    let (code, out, err) = migrate(&c, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("signed, verified").count(), 4, "{out}");
    // The trust store holds the CA, the policy trusts the CA's subject; cosign.pub is k.pem's.
    let crt = std::fs::read_to_string(out_dir.join("notation.crt")).unwrap();
    assert_eq!(crt, std::fs::read_to_string(dir.join("ca.crt")).unwrap());
    let policy = std::fs::read_to_string(out_dir.join("trustpolicy.json")).unwrap();
    assert!(
        policy.contains("x509.subject: C=US, ST=WA, O=Example Corp"),
        "{policy}"
    );
    openssl(dir, &["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub"]);
    assert_eq!(
        std::fs::read(out_dir.join("cosign.pub")).unwrap(),
        std::fs::read(dir.join("k.pub")).unwrap()
    );
    for gun in [&a, &b] {
        verified(cosign_verify(srv, gun, "v1", &out_dir.join("cosign.pub")));
        notation_verified(notation_verify(
            srv,
            gun,
            "v1",
            &out_dir,
            &out_dir.join("notation.crt"),
        ));
    }
    // Again: nothing added.
    let (code, out, err) = migrate(&c, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("already there, verified").count(), 4, "{out}");
}

#[test]
fn notation_signatures_survive_garbage_collect_delete_untagged() {
    // Registry 2.8's garbage-collect --delete-untagged deletes manifests that only an index
    // references (distribution/distribution#3004): another artifact's referrer goes, the
    // Notation signature dct tagged stays and still verifies.
    let srv = fs_servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/gc");
    let (digest, _, _) = push(srv, &["--oci"], &gun, "v1");
    ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    let (code, out) = py(srv, "sigtamper.py", "foreign-referrer", &gun, "v1", &[]);
    assert_eq!(code, 0, "{out}");
    let out_dir = c.sb.path().join("out");
    let (code, _, err) = migrate(
        &c,
        &[
            &format!("{gun}:v1"),
            "--to",
            "both",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, index) = sig_tags(srv, &gun, &digest);
    let index: serde_json::Value = serde_json::from_str(&index).unwrap();
    let entry = |kind: &str| {
        index["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["artifactType"] == kind)
            .unwrap()["digest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (signature, sbom) = (
        entry("application/vnd.cncf.notary.signature"),
        entry("application/vnd.example.sbom"),
    );
    let config = Path::new(srv.get("TRUST_ENV_DIR")).join("config/registry.yml");
    let (code, out, err) = run(Command::new("docker-registry").args([
        "garbage-collect",
        "--delete-untagged",
        config.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    let gone = format!("{out}{err}");
    assert!(
        gone.contains(&format!("manifest eligible for deletion: {sbom}")),
        "{gone}"
    );
    assert!(
        !gone.contains(&format!("eligible for deletion: {signature}")),
        "{gone}"
    );
    verified(cosign_verify(srv, &gun, "v1", &out_dir.join("cosign.pub")));
    notation_verified(notation_verify(
        srv,
        &gun,
        "v1",
        &out_dir,
        &out_dir.join("notation.crt"),
    ));
}

#[test]
fn a_tag_that_moved_in_the_registry_gets_the_dct_digest_signed_with_a_warning() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/moved");
    let (signed, _, _) = push(srv, &[], &gun, "v1");
    ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    let (moved, _, _) = push(srv, &["--text", "pushed later, never signed"], &gun, "v1");
    let out_dir = c.sb.path().join("out");
    let (code, out, err) = to_cosign(&c, &gun, &out_dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "{gun}:v1 now points to {moved} in the registry; signing the digest DCT signs, {signed}"
        )),
        "{err}"
    );
    assert!(out.contains(&format!("{gun}:v1@{signed}")), "{out}");
    let key = out_dir.join("cosign.pub");
    let identity = format!("{gun}:v1");
    verified(py(
        srv,
        "sigverify.py",
        "cosign",
        &gun,
        &signed,
        &[
            "--key",
            key.to_str().unwrap(),
            "-a",
            "dev.dct.tag=v1",
            "--identity",
            &identity,
        ],
    ));
    rejected(cosign_verify(srv, &gun, "v1", &key), "no signatures found");
}

#[test]
fn a_signed_digest_the_registry_no_longer_serves_is_not_migrated() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/gone");
    let gone = format!("sha256:{:064x}", 0x90e_u64);
    ok(&mut c.dct(&[
        "sign",
        &format!("{gun}:v1"),
        "--digest",
        &gone,
        "--size",
        "321",
    ]));
    let out_dir = c.sb.path().join("out");
    let (code, _, err) = to_cosign(&c, &gun, &out_dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "{gun}:v1@{gone}: the registry does not serve the digest DCT signs (no such \
             manifest); not migrated"
        )),
        "{err}"
    );
    assert!(
        !err.contains("--digest"),
        "sign's advice is not for migrate: {err}"
    );
}

#[test]
fn a_signing_key_refused_for_its_permissions_is_named_not_called_missing() {
    use std::os::unix::fs::PermissionsExt;
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "migrate/perm");
    push(srv, &[], &gun, "v1");
    ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    let key = c.sb.private().join(format!("{}.key", c.key_id("targets")));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out_dir = c.sb.path().join("out");
    let (code, _, err) = to_cosign(&c, &gun, &out_dir);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("run `chmod 600 {}`", key.display())),
        "{err}"
    );
    assert!(!err.contains("holds none of the keys"), "{err}");
}
