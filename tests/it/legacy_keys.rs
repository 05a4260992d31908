//! Keys from every notary era (issue 14): notary 0.1 and 0.3 stores (`root_keys/`,
//! `tuf_keys/<GUN>/`, `<id>_<role>.key`), from notary's own compatibility fixtures (Debian's
//! golang-github-docker-notary-dev), listed with their GUNs, re-encrypted in place so the real
//! notary still finds them, exported with their role and GUN; an RSA key signing a tag that the
//! real `notary lookup` verifies; keys of other curves named as unsupported; every passphrase
//! variable tried; Docker's prompt order for a new repository.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::signing::{Client, notary_lookup};
use crate::support::{Sandbox, ok, run, servers, unique};

/// notary's compatibility fixtures (read from the installed package, never copied into dct).
const COMPAT: &str =
    "/usr/share/gocode/src/github.com/theupdateframework/notary/fixtures/compatibility";

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
            let mut p = fs::metadata(&dest).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o600);
            fs::set_permissions(&dest, p).unwrap();
        }
    }
}

/// A sandbox whose `private/` is notary `version`'s (`notary0.1`, `notary0.3`).
fn legacy_store(version: &str) -> Sandbox {
    let sb = Sandbox::new();
    copy_tree(
        &Path::new(COMPAT).join(version).join("private"),
        &sb.private(),
    );
    sb
}

/// (id, role, gun) of every key `dct key list --json` shows.
fn listed(sb: &Sandbox) -> Vec<(String, String, String)> {
    let out = ok(&mut sb.dct(&["key", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let s = |f: &str| k[f].as_str().unwrap().to_string();
            (s("id"), s("role"), s("gun"))
        })
        .collect();
    keys.sort();
    keys
}

fn t(id: &str, role: &str, gun: &str) -> (String, String, String) {
    (id.to_string(), role.to_string(), gun.to_string())
}

#[test]
fn notary_0_1_and_0_3_stores_are_listed_with_their_guns() {
    let sb = legacy_store("notary0.1");
    assert_eq!(
        listed(&sb),
        [
            t(
                "7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599",
                "targets",
                "docker.com/notary0.1/samplerepo"
            ),
            t(
                "a55ccf652b0be4b6c4d356cbb02d9ea432bb84a2571665be3df7c7396af8e8b8",
                "snapshot",
                "docker.com/notary0.1/samplerepo"
            ),
            t(
                "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68",
                "root",
                ""
            ),
        ]
    );
    let sb = legacy_store("notary0.3");
    assert_eq!(
        listed(&sb),
        [
            t(
                "041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02",
                "targets",
                "docker.com/notary0.3/tst"
            ),
            t(
                "85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc",
                "snapshot",
                "docker.com/notary0.3/tst"
            ),
            t(
                "f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690",
                "root",
                ""
            ),
            t(
                "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3",
                "targets/releases",
                ""
            ),
        ]
    );
}

#[test]
fn legacy_keys_are_re_encrypted_in_place_and_the_real_notary_still_finds_them() {
    let srv = servers();
    // notary's backwards-compatibility test: "randompass" for 0.1, "password" for 0.3.
    for (version, id, old) in [
        (
            "notary0.1",
            "7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599",
            "randompass",
        ),
        (
            "notary0.3",
            "041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02",
            "password",
        ),
    ] {
        let sb = legacy_store(version);
        let before: Vec<PathBuf> = key_files(&sb.private());
        let mut passwd = sb.dct(&["key", "passwd", id]);
        passwd
            .env("NOTARY_TARGETS_PASSPHRASE", old)
            .env("DCT_NEW_PASSPHRASE", "new-legacy-pass");
        ok(&mut passwd);
        // Same files, same places: the key was rewritten where it was found.
        assert_eq!(key_files(&sb.private()), before, "{version}");
        let listed = listed(&sb);
        assert!(
            listed.iter().any(|k| k.0 == id && k.1 == "targets"),
            "{listed:?}"
        );
        // The real notary (0.7: it migrates old layouts on first use) opens it with the new
        // passphrase.
        let mut notary = sb.notary(srv, &["key", "passwd", id]);
        notary.env("NOTARY_TARGETS_PASSPHRASE", "new-legacy-pass");
        let (code, out, err) = run(&mut notary);
        assert_eq!(code, 0, "{version}: {out}\n{err}");
        // Export carries role and GUN in headers, so another store files it right.
        let export = ok(&mut sb.dct(&["key", "export", "--key", id]));
        assert!(export.contains("role: targets"), "{export}");
        assert!(export.contains("gun: docker.com/notary0."), "{export}");
    }
}

fn key_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "key") {
                out.push(e.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_rsa_key_from_notary_0_3_signs_and_notary_verifies() {
    let srv = servers();
    let c = Client::new(srv);
    let rsa = Path::new(COMPAT).join(
        "notary0.3/private/tuf_keys/fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3.key",
    );
    // In the trust dir where notary 0.3 kept it.
    let dest = c.sb.private().join("tuf_keys");
    fs::create_dir_all(&dest).unwrap();
    let key = dest.join(rsa.file_name().unwrap());
    fs::copy(&rsa, &key).unwrap();
    let mut p = fs::metadata(&key).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o600);
    fs::set_permissions(&key, p).unwrap();
    // Its public key, by openssl (the `role:` header is notary's, not PEM's).
    let text = fs::read_to_string(&key).unwrap();
    let plain: String = text
        .lines()
        .filter(|l| !l.starts_with("role:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let stripped = c.sb.path().join("rsa.pem");
    fs::write(&stripped, plain).unwrap();
    let public = c.sb.path().join("rsa.pub");
    ok(&mut c.sb.tool(
        "openssl",
        &[
            "rsa",
            "-in",
            stripped.to_str().unwrap(),
            "-passin",
            "pass:password",
            "-pubout",
            "-out",
            public.to_str().unwrap(),
        ],
    ));
    let gun = unique(srv, "legacy/rsa");
    ok(&mut c.dct(&["init", &gun]));
    ok(&mut c.dct(&[
        "signer",
        "add",
        "oldrsa",
        &gun,
        "--key",
        public.to_str().unwrap(),
    ]));
    let digest = format!("sha256:{}", "5a".repeat(32));
    // The repository passphrase opens the targets key; the RSA key has notary's: both
    // variables set, each key opens with the one that fits.
    let mut sign = c.dct(&[
        "sign",
        &format!("{gun}:v1"),
        "--digest",
        &digest,
        "--size",
        "42",
    ]);
    sign.env("NOTARY_DELEGATION_PASSPHRASE", "password");
    let (code, out, err) = run(&mut sign);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(
        notary_lookup(srv, &gun, "v1"),
        Some(("5a".repeat(32), 42)),
        "{err}"
    );
    let listed = ok(&mut c.dct(&["inspect", &gun]));
    assert!(listed.contains("oldrsa"), "{listed}");
}

#[test]
fn keys_on_other_curves_are_named_as_unsupported() {
    let sb = Sandbox::new();
    for curve in ["P-384", "P-521", "P-224"] {
        let file = sb.path().join(format!("{curve}.pem"));
        let script = format!(
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:{curve} | openssl pkcs8 \
             -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA1 -passout pass:curvepassphrase -out {} \
             && chmod 600 {}",
            file.display(),
            file.display()
        );
        ok(&mut sb.tool("sh", &["-c", &script]));
        let mut import = sb.dct(&["key", "import", file.to_str().unwrap()]);
        import.env("NOTARY_DELEGATION_PASSPHRASE", "curvepassphrase");
        let (code, _, err) = run(&mut import);
        assert_eq!(code, 2, "{curve}: {err}");
        assert!(
            err.contains(&format!("unsupported key type {curve}")),
            "{err}"
        );
        assert!(err.contains(file.to_str().unwrap()), "{err}");
        // A wrong passphrase is still a wrong passphrase.
        let mut wrong = sb.dct(&["key", "import", file.to_str().unwrap()]);
        wrong.env("NOTARY_DELEGATION_PASSPHRASE", "not-the-passphrase");
        let (code, _, err) = run(&mut wrong);
        assert_eq!(code, 7, "{curve}: {err}");
    }
}

#[test]
fn both_passphrase_variables_are_tried_before_failing() {
    let sb = Sandbox::new();
    let mut generate = sb.dct(&[
        "key",
        "generate",
        "alice",
        "--dir",
        sb.path().to_str().unwrap(),
    ]);
    generate.env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    );
    ok(&mut generate);
    let id = sb.key_ids().pop().unwrap();
    // Docker's variable is wrong, notary's right: the key opens.
    let mut passwd = sb.dct(&["key", "passwd", &id]);
    passwd
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "wrong-passphrase",
        )
        .env("NOTARY_DELEGATION_PASSPHRASE", "alicepassphrase")
        .env("DCT_NEW_PASSPHRASE", "alicepassphrase2");
    ok(&mut passwd);
    // Both wrong: exit 7 naming both.
    let mut both = sb.dct(&["key", "passwd", &id]);
    both.env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "wrong-1")
        .env("NOTARY_DELEGATION_PASSPHRASE", "wrong-2")
        .env("DCT_NEW_PASSPHRASE", "whatever-passphrase");
    let (code, _, err) = run(&mut both);
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE and NOTARY_DELEGATION_PASSPHRASE"),
        "{err}"
    );
}

#[test]
fn a_new_repository_asks_for_the_root_passphrase_first() {
    let srv = servers();
    let c = Client::new(srv);
    // An existing root key.
    ok(&mut c.dct(&["init", &unique(srv, "legacy/first")]));
    let gun = unique(srv, "legacy/order");
    let (code, out) = c.sb.pty(
        &["-s", srv.url(), "--tlscacert", srv.ca(), "init", &gun],
        &[
            ("Enter passphrase for root key with ID ", "rootpassphrase"),
            (
                "Enter passphrase for new repository key with ID ",
                "repositorypassphrase",
            ),
            (
                "Repeat passphrase for new repository key with ID ",
                "repositorypassphrase",
            ),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let root = out.find("Enter passphrase for root key").unwrap();
    let repo = out.find("Enter passphrase for new repository key").unwrap();
    assert!(root < repo, "{out}");
}
