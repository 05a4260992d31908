//! Keys that never leave hardware (issue 16), with SoftHSM2 as the token: a fresh token per
//! test in its own `SOFTHSM2_CONF`, against the real notary-server and registry of the harness,
//! checked with the real `notary lookup` and `docker trust inspect` from fresh trust dirs.
//!
//! The token itself is inspected through PKCS#11 by this test binary run again as a child
//! process (`token_probe` below) with that token's `SOFTHSM2_CONF`, so the test process never
//! changes its own environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::signing::{
    Client, dct_lookup, docker_inspect, notary_lookup, run_within, signed_tags, signers,
};
use crate::support::{Sandbox, config_dir, ok, run, servers, unique};

const PIN: &str = "1234";
const SO_PIN: &str = "5678";

/// Debian's SoftHSM2 module.
fn module() -> &'static str {
    ["/usr/lib/softhsm/libsofthsm2.so"]
        .into_iter()
        .chain(
            std::fs::read_dir("/usr/lib")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let p = e.path().join("softhsm/libsofthsm2.so");
                    p.exists()
                        .then(|| &*Box::leak(p.display().to_string().into_boxed_str()))
                }),
        )
        .find(|p| Path::new(p).exists())
        .expect("SoftHSM2 is installed (scripts/trust-env install)")
}

/// A SoftHSM2 configuration of its own, with tokens made by `softhsm2-util`.
struct Hsm {
    _tmp: tempfile::TempDir,
    conf: PathBuf,
}

impl Hsm {
    /// A new configuration holding one token labelled `label` (user PIN [`PIN`]).
    fn new(label: &str) -> Hsm {
        let tmp = tempfile::tempdir().unwrap();
        let tokens = tmp.path().join("tokens");
        std::fs::create_dir(&tokens).unwrap();
        let conf = tmp.path().join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .unwrap();
        let hsm = Hsm { _tmp: tmp, conf };
        hsm.init_token(label);
        hsm
    }

    fn init_token(&self, label: &str) {
        ok(Command::new("softhsm2-util")
            .args(["--init-token", "--free", "--label", label])
            .args(["--pin", PIN, "--so-pin", SO_PIN])
            .env("SOFTHSM2_CONF", &self.conf)
            .stdin(Stdio::null()));
    }

    fn delete_token(&self, label: &str) {
        ok(Command::new("softhsm2-util")
            .args(["--delete-token", "--token", label])
            .env("SOFTHSM2_CONF", &self.conf)
            .stdin(Stdio::null()));
    }

    /// `cmd` with this token's configuration, the module and the PIN in its environment.
    fn env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env("SOFTHSM2_CONF", &self.conf)
            .env("DCT_PKCS11_MODULE", module())
            .env("DCT_PKCS11_PIN", PIN)
    }

    /// What [`token_probe`] reports about the token labelled `label`.
    fn probe(&self, label: &str) -> serde_json::Value {
        let out = ok(Command::new(std::env::current_exe().unwrap())
            .args(["pkcs11::token_probe", "--exact", "--nocapture", "--quiet"])
            .env("DCT_TEST_PROBE_TOKEN", label)
            .env("SOFTHSM2_CONF", &self.conf)
            .env("DCT_PKCS11_MODULE", module())
            .stdin(Stdio::null()));
        let line = out
            .lines()
            .find_map(|l| l.strip_prefix("PROBE "))
            .unwrap_or_else(|| panic!("no probe output in {out}"));
        serde_json::from_str(line).unwrap()
    }
}

/// Run as a child process by [`Hsm::probe`] (does nothing otherwise): logs in to the token and
/// prints every private key with its label, ID and protection attributes, and whether its
/// value could be read.
#[test]
fn token_probe() {
    use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
    use cryptoki::object::{Attribute, AttributeType, ObjectClass};
    use cryptoki::session::UserType;
    let Ok(label) = std::env::var("DCT_TEST_PROBE_TOKEN") else {
        return;
    };
    let m = Pkcs11::new(std::env::var("DCT_PKCS11_MODULE").unwrap()).unwrap();
    m.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let slot = m
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|s| m.get_token_info(*s).unwrap().label() == label)
        .expect("token present");
    let session = m.open_ro_session(slot).unwrap();
    session
        .login(UserType::User, Some(&PIN.to_string().into()))
        .unwrap();
    let mut keys = Vec::new();
    for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
        for h in session.find_objects(&[Attribute::Class(class)]).unwrap() {
            let attrs = session
                .get_attributes(
                    h,
                    &[
                        AttributeType::Label,
                        AttributeType::Id,
                        AttributeType::Sensitive,
                        AttributeType::Extractable,
                        AttributeType::AlwaysSensitive,
                        AttributeType::NeverExtractable,
                    ],
                )
                .unwrap();
            let mut v = serde_json::json!({
                "class": if class == ObjectClass::PRIVATE_KEY { "private" } else { "public" },
            });
            for a in attrs {
                match a {
                    Attribute::Label(l) => v["label"] = String::from_utf8_lossy(&l).into(),
                    Attribute::Id(id) => v["id"] = hex::encode(id).into(),
                    Attribute::Sensitive(b) => v["sensitive"] = b.into(),
                    Attribute::Extractable(b) => v["extractable"] = b.into(),
                    Attribute::AlwaysSensitive(b) => v["always_sensitive"] = b.into(),
                    Attribute::NeverExtractable(b) => v["never_extractable"] = b.into(),
                    _ => {}
                }
            }
            if class == ObjectClass::PRIVATE_KEY {
                let value = session.get_attributes(h, &[AttributeType::Value]);
                v["value_readable"] = matches!(value, Ok(ref a) if !a.is_empty()).into();
            }
            keys.push(v);
        }
    }
    println!("PROBE {}", serde_json::Value::Array(keys));
}

/// `dct` for `c` (passphrases set) with `hsm`'s token.
fn dct(c: &Client, hsm: &Hsm, args: &[&str]) -> Command {
    let mut cmd = c.dct(args);
    hsm.env(&mut cmd);
    cmd
}

fn digest(ch: char) -> String {
    format!("sha256:{}", ch.to_string().repeat(64))
}

/// `dct key list --json` entries.
fn key_list(c: &Client, hsm: &Hsm) -> Vec<serde_json::Value> {
    let out = ok(&mut dct(c, hsm, &["key", "list", "--json"]));
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The ID of the token key of `role`.
fn token_key_id(c: &Client, hsm: &Hsm, role: &str) -> String {
    key_list(c, hsm)
        .into_iter()
        .find(|k| k["role"] == role && k["location"].as_str().unwrap().starts_with("pkcs11:"))
        .unwrap_or_else(|| panic!("no token key of {role}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every file under `dir` (recursively) with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// No private key material of token key `id` anywhere under the trust dir: no key file of
/// that ID, and every private key block there belongs to another (file) key.
fn assert_no_private_material(c: &Client, id: &str) {
    let trust = c.sb.trust();
    for (path, bytes) in files(&trust) {
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("PRIVATE KEY") {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(
                path.starts_with(c.sb.private()) && !name.starts_with(id),
                "{} holds private key material",
                path.display()
            );
        }
    }
    assert!(!c.sb.key_ids().contains(&id.to_string()));
}

/// The canonical ID of the root key in the cached root.json of `gun`.
fn root_key_canonical_id(sb: &Sandbox, gun: &str) -> String {
    let root: serde_json::Value = serde_json::from_slice(
        &std::fs::read(sb.trust().join("tuf").join(gun).join("metadata/root.json")).unwrap(),
    )
    .unwrap();
    let id = root["signed"]["roles"]["root"]["keyids"][0]
        .as_str()
        .unwrap();
    let key = &root["signed"]["keys"][id];
    assert_eq!(key["keytype"], "ecdsa-x509");
    use base64::Engine as _;
    let pem = base64::engine::general_purpose::STANDARD
        .decode(key["keyval"]["public"].as_str().unwrap())
        .unwrap();
    let public = dct::keys::PublicKey::new(dct::keys::KeyType::EcdsaX509, pem);
    dct::keys::cert::canonical_key_id(&public).unwrap()
}

#[test]
fn a_signer_key_on_a_token_signs_what_notary_and_docker_verify() {
    let srv = servers();
    let hsm = Hsm::new("signer");
    let c = Client::new(srv);
    let gun = unique(srv, "pkcs11/signer");
    let dir = c.sb.path().to_str().unwrap().to_string();
    let (code, out, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "key",
            "generate",
            "alice",
            "--dir",
            &dir,
            "--pkcs11",
            "pkcs11:token=signer",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "Successfully generated the private key on the PKCS#11 token. Corresponding public \
             key available: {dir}/alice.pub\n"
        )
    );
    let alice = token_key_id(&c, &hsm, "alice");
    let listed = key_list(&c, &hsm);
    let entry = listed.iter().find(|k| k["id"] == alice.as_str()).unwrap();
    assert!(
        entry["location"]
            .as_str()
            .unwrap()
            .starts_with("pkcs11:token=signer;serial="),
        "{entry}"
    );
    assert!(
        entry["uri"]
            .as_str()
            .unwrap()
            .contains(";object=alice;id=%")
    );
    let table = ok(&mut dct(&c, &hsm, &["key", "list"]));
    assert!(
        table.lines().any(|l| l.starts_with("alice ")
            && l.contains(&alice)
            && l.contains("pkcs11:token=signer")),
        "{table}"
    );
    // On the token: one key pair labelled alice with CKA_ID = the key ID, the private half
    // sensitive and never extractable.
    let objects = hsm.probe("signer");
    let objects = objects.as_array().unwrap();
    assert_eq!(objects.len(), 2, "{objects:?}");
    for o in objects {
        assert_eq!(
            (o["label"].as_str(), o["id"].as_str()),
            (Some("alice"), Some(alice.as_str()))
        );
        if o["class"] == "private" {
            for (attr, want) in [
                ("sensitive", true),
                ("always_sensitive", true),
                ("extractable", false),
                ("never_extractable", true),
                ("value_readable", false),
            ] {
                assert_eq!(o[attr], want, "{attr}: {o}");
            }
        }
    }

    // The signer signs: its delegation is published with the public key, the tag signed on
    // the token.
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "signer",
            "add",
            "alice",
            &gun,
            "--key",
            &format!("{dir}/alice.pub"),
        ],
    ));
    let (code, out, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "sign",
            &format!("{gun}:v1"),
            "--digest",
            &digest('a'),
            "--size",
            "7",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully signed {gun}:v1\n"));
    assert_eq!(
        notary_lookup(srv, &gun, "v1"),
        Some(("a".repeat(64), 7)),
        "the real notary verifies the token's signature"
    );
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(
        signers(&inspect),
        vec![("alice".to_string(), vec![alice.clone()])]
    );
    assert_eq!(
        signed_tags(&inspect),
        vec![("v1".to_string(), "a".repeat(64), vec!["alice".to_string()])]
    );
    let (code, out, _) = dct_lookup(srv, &format!("{gun}:v1"));
    assert_eq!((code, out), (0, format!("{gun}@{}\n", digest('a'))));
    assert_no_private_material(&c, &alice);

    // It cannot leave the token: export and backup skip it with a line; no passphrase.
    let serial = entry["location"]
        .as_str()
        .unwrap()
        .split("serial=")
        .nth(1)
        .unwrap();
    let line = format!(
        "Skipped alice key {alice}: it is on PKCS#11 token \"signer\" (serial {serial}) and \
         cannot leave it"
    );
    let (code, out, err) = run(&mut dct(&c, &hsm, &["key", "export", "--key", &alice]));
    assert_eq!((code, out.as_str()), (7, ""), "{err}");
    assert!(err.contains(&line), "{err}");
    let backup = c.sb.path().join("keys.tar.gz");
    let (code, _, err) = run(&mut dct(
        &c,
        &hsm,
        &["key", "backup", "--plain", backup.to_str().unwrap()],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&line), "{err}");
    let (code, _, err) = run(&mut dct(&c, &hsm, &["key", "export"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&line), "{err}");
    let (code, _, err) = run(&mut dct(&c, &hsm, &["key", "passwd", &alice]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the token's PIN protects it"), "{err}");

    // Removing it deletes the pair from the token and the record from the trust dir.
    let (code, out, err) = run(&mut dct(&c, &hsm, &["key", "remove", &alice]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pass -y"), "{err}");
    let (code, out2, err) = run(&mut dct(&c, &hsm, &["key", "remove", "-y", &alice]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out2.starts_with(&format!(
        "Deleted {alice} (role alice) from pkcs11:token=signer;"
    )));
    assert_eq!(hsm.probe("signer"), serde_json::json!([]));
    assert!(key_list(&c, &hsm).iter().all(|k| k["id"] != alice.as_str()));
}

#[test]
fn a_repository_with_its_root_on_a_token_verifies_from_a_fresh_cache() {
    let srv = servers();
    let hsm = Hsm::new("root-token");
    let c = Client::new(srv);
    let gun = unique(srv, "pkcs11/root");
    let (code, out, err) = run(&mut dct(
        &c,
        &hsm,
        &["init", &gun, "--root-key", "pkcs11:token=root-token"],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully initialized \"{gun}\"\n"));
    let root = token_key_id(&c, &hsm, "root");
    assert!(
        err.contains(&format!(
            "Generated root key {root} on PKCS#11 token \"root-token\""
        )),
        "{err}"
    );
    // No root key file: the only key file is the targets key.
    let keys = key_list(&c, &hsm);
    let file_roles: Vec<&str> = keys
        .iter()
        .filter(|k| !k["location"].as_str().unwrap().starts_with("pkcs11:"))
        .map(|k| k["role"].as_str().unwrap())
        .collect();
    assert_eq!(file_roles, ["targets"]);
    assert_no_private_material(&c, &root);
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "sign",
            &format!("{gun}:v1"),
            "--digest",
            &digest('b'),
            "--size",
            "9",
        ],
    ));
    // A fresh reader trusts the root (its certificate holds the token's key) and verifies.
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some(("b".repeat(64), 9)));
    let reader = config_dir(srv);
    let out = ok(&mut reader.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v1")]));
    assert_eq!(out, format!("{gun}@{}\n", digest('b')));
    assert_eq!(root_key_canonical_id(&reader, &gun), root);
    let out = ok(&mut reader.dct(&[
        "-s",
        srv.url(),
        "lookup",
        "--pin-root",
        &root,
        &format!("{gun}:v1"),
    ]));
    assert_eq!(out, format!("{gun}@{}\n", digest('b')));

    // The targets key moves to the token too; the repository keeps verifying and signing.
    let (code, _, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "key",
            "rotate",
            &gun,
            "targets",
            "--key",
            "pkcs11:token=root-token",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let targets = token_key_id(&c, &hsm, "targets");
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "sign",
            &format!("{gun}:v2"),
            "--digest",
            &digest('c'),
            "--size",
            "3",
        ],
    ));
    assert_eq!(notary_lookup(srv, &gun, "v2"), Some(("c".repeat(64), 3)));
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some(("b".repeat(64), 9)));
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(
        inspect["AdministrativeKeys"][1]["Keys"][0]["ID"],
        targets.as_str()
    );
    // Both keys on the token, labelled by role.
    let labels: Vec<String> = hsm
        .probe("root-token")
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["class"] == "private")
        .map(|o| o["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels.len(), 2);
    assert!(labels.contains(&"root".into()) && labels.contains(&"targets".into()));
    // `init` of a second repository uses the token's root key (the trust dir's root key).
    let gun2 = unique(srv, "pkcs11/root-again");
    let (code, _, err) = run(&mut dct(&c, &hsm, &["init", &gun2]));
    assert_eq!(code, 0, "{err}");
    let reader = config_dir(srv);
    let (code, _, _) = run(&mut reader.dct(&["-s", srv.url(), "lookup", &format!("{gun2}:x")]));
    assert_eq!(code, 3);
    assert_eq!(root_key_canonical_id(&reader, &gun2), root);
}

#[test]
fn rotating_a_file_root_to_a_token_root_is_followed_by_old_readers() {
    let srv = servers();
    let hsm = Hsm::new("rotate");
    let c = Client::new(srv);
    let gun = unique(srv, "pkcs11/rotate");
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "sign",
            &format!("{gun}:v1"),
            "--digest",
            &digest('d'),
            "--size",
            "4",
        ],
    ));
    let old_root = c.key_id("root");
    // Readers holding the file root.
    let old_notary = Sandbox::new();
    let out = ok(&mut old_notary.notary(srv, &["lookup", &gun, "v1"]));
    assert!(out.contains(&digest('d')[7..]), "{out}");
    let old_dct = config_dir(srv);
    ok(&mut old_dct.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v1")]));
    assert_eq!(root_key_canonical_id(&old_dct, &gun), old_root);

    let (code, out, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "key",
            "rotate",
            &gun,
            "root",
            "--key",
            "pkcs11:token=rotate;object=release-root",
            "-y",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("Successfully rotated root key for repository {gun}\n")
    );
    let new_root = token_key_id(&c, &hsm, "root");
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "sign",
            &format!("{gun}:v2"),
            "--digest",
            &digest('e'),
            "--size",
            "5",
        ],
    ));
    // The old readers follow the rotation (the new root is signed by the old and new keys).
    let out = ok(&mut old_notary.notary(srv, &["lookup", &gun, "v2"]));
    assert!(out.contains(&digest('e')[7..]), "{out}");
    let out = ok(&mut old_dct.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v2")]));
    assert_eq!(out, format!("{gun}@{}\n", digest('e')));
    assert_eq!(root_key_canonical_id(&old_dct, &gun), new_root);
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some(("d".repeat(64), 4)));
    let labels: Vec<serde_json::Value> = hsm
        .probe("rotate")
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].clone())
        .collect();
    assert_eq!(labels, ["release-root", "release-root"]);
    assert_no_private_material(&c, &new_root);
    // Rotating again, from the token root to a new file root, needs the token to sign.
    let (code, _, err) = run(&mut dct(&c, &hsm, &["key", "rotate", &gun, "root", "-y"]));
    assert_eq!(code, 0, "{err}");
    let out = ok(&mut old_dct.dct(&["-s", srv.url(), "lookup", &format!("{gun}:v2")]));
    assert_eq!(out, format!("{gun}@{}\n", digest('e')));
}

#[test]
fn wrong_pin_missing_module_and_missing_token_are_key_problems() {
    let srv = servers();
    let hsm = Hsm::new("errs");
    let c = Client::new(srv);
    let gun = unique(srv, "pkcs11/errors");
    let dir = c.sb.path().to_str().unwrap().to_string();
    let generate = |name: &str, uri: &str| {
        let mut cmd = dct(
            &c,
            &hsm,
            &["key", "generate", name, "--dir", &dir, "--pkcs11", uri],
        );
        cmd.stdin(Stdio::null());
        cmd
    };
    let before = c.sb.snapshot();

    // A wrong PIN: exit 7, said once, not retried; nothing written.
    let (code, _, err, _) = run_within(
        generate("bob", "pkcs11:token=errs").env("DCT_PKCS11_PIN", "0000"),
        Duration::from_secs(30),
    );
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains(&format!(
            "wrong PIN for PKCS#11 token \"errs\" (module {}) (from DCT_PKCS11_PIN); the token \
             reports: ",
            module()
        )) && err.contains("dct does not retry a PIN, so as not to lock the token"),
        "{err}"
    );
    assert!(!err.contains("0000"), "{err}");
    // No PIN and no terminal: exit 7 at once naming the variable.
    let (code, _, err, took) = run_within(
        generate("bob", "pkcs11:token=errs").env_remove("DCT_PKCS11_PIN"),
        Duration::from_secs(30),
    );
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("a PIN is needed for PKCS#11 token \"errs\" and there is no terminal to ask on: set DCT_PKCS11_PIN"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10));
    // A module that does not load: exit 7 naming it and the token.
    let (code, _, err) =
        run(generate("bob", "pkcs11:token=errs")
            .env("DCT_PKCS11_MODULE", "/nonexistent/libnope.so"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("cannot load the PKCS#11 module /nonexistent/libnope.so (for token \"errs\")"),
        "{err}"
    );
    let (code, _, err) = run(&mut generate(
        "bob",
        &format!(
            "pkcs11:token=errs?module-path={}",
            c.sb.path().join("alice.pub").display()
        ),
    ));
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("cannot load the PKCS#11 module"), "{err}");
    // No module at all.
    let (code, _, err) = run(generate("bob", "pkcs11:token=errs").env_remove("DCT_PKCS11_MODULE"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("no PKCS#11 module for token \"errs\": set DCT_PKCS11_MODULE"),
        "{err}"
    );
    // A token that is not there.
    let (code, _, err) = run(&mut generate("bob", "pkcs11:token=nope"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains(&format!(
            "PKCS#11 token \"nope\" is not present in module {} (tokens present: \"errs\" (serial ",
            module()
        )),
        "{err}"
    );
    // A PIN in the URI is refused before anything (and not repeated).
    let (code, _, err) = run(&mut generate("bob", "pkcs11:token=errs?pin-value=1234"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("pin-value=(hidden)") && !err.contains("1234"),
        "{err}"
    );
    assert_eq!(c.sb.snapshot(), before, "failed runs wrote nothing");

    // A signer on the token; then the token goes away: signing is exit 7 naming it, and the
    // signature stays staged for `dct publish`.
    ok(&mut generate("alice", "pkcs11:token=errs"));
    ok(&mut dct(
        &c,
        &hsm,
        &[
            "signer",
            "add",
            "alice",
            &gun,
            "--key",
            &format!("{dir}/alice.pub"),
        ],
    ));
    let sign = |tag: &str| {
        dct(
            &c,
            &hsm,
            &[
                "sign",
                &format!("{gun}:{tag}"),
                "--digest",
                &digest('f'),
                "--size",
                "1",
            ],
        )
    };
    let (code, _, err) = run(sign("v1").env("DCT_PKCS11_PIN", "4321"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("wrong PIN for PKCS#11 token \"errs\""),
        "{err}"
    );
    assert!(err.contains(&format!("run `dct publish {gun}`")), "{err}");
    let serial = key_list(&c, &hsm)
        .into_iter()
        .find(|k| k["role"] == "alice")
        .unwrap()["location"]
        .as_str()
        .unwrap()
        .split("serial=")
        .nth(1)
        .unwrap()
        .to_string();
    hsm.delete_token("errs");
    let (code, _, err) = run(&mut sign("v2"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains(&format!(
            "PKCS#11 token \"errs\" (serial {serial}) is not present in module {} (no token is present)",
            module()
        )),
        "{err}"
    );
    // A new token with the same label is another token (another serial).
    hsm.init_token("errs");
    let (code, _, err) = run(&mut sign("v3"));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains(&format!(
            "PKCS#11 token \"errs\" (serial {serial}) is not present"
        )) && err.contains("tokens present: \"errs\" (serial "),
        "{err}"
    );
}

#[test]
fn two_signs_at_once_share_one_token() {
    let srv = servers();
    let hsm = Hsm::new("shared");
    let c = Client::new(srv);
    let gun = unique(srv, "pkcs11/parallel");
    // The key is made elsewhere (another trust dir, as a token's own tools would), and this
    // trust dir takes it as signer alice straight from the token by its URI.
    let maker = Client::new(srv);
    let dir = maker.sb.path().to_str().unwrap().to_string();
    ok(&mut dct(
        &maker,
        &hsm,
        &[
            "key",
            "generate",
            "alice",
            "--dir",
            &dir,
            "--pkcs11",
            "pkcs11:token=shared",
        ],
    ));
    let alice = token_key_id(&maker, &hsm, "alice");
    let (code, _, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "signer",
            "add",
            "alice",
            &gun,
            "--key",
            "pkcs11:token=shared;object=alice",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("Using key {alice} on PKCS#11 token \"shared\"")),
        "{err}"
    );
    assert_eq!(token_key_id(&c, &hsm, "alice"), alice);
    let (code, _, err) = run(&mut dct(
        &c,
        &hsm,
        &[
            "signer",
            "add",
            "bob",
            &gun,
            "--key",
            "pkcs11:token=shared;object=bob",
        ],
    ));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("no private key matching pkcs11:token=shared;object=bob"),
        "{err}"
    );
    // Three dct processes sign at once with the one token key: each loads the module, logs
    // in and signs on its own; the collection's lock orders the publishes.
    let children: Vec<_> = [("p1", '1'), ("p2", '2'), ("p3", '3')]
        .iter()
        .map(|(tag, d)| {
            dct(
                &c,
                &hsm,
                &[
                    "sign",
                    &format!("{gun}:{tag}"),
                    "--digest",
                    &digest(*d),
                    "--size",
                    "2",
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (tag, d) in [("p1", '1'), ("p2", '2'), ("p3", '3')] {
        assert_eq!(
            notary_lookup(srv, &gun, tag),
            Some((d.to_string().repeat(64), 2)),
            "{tag}"
        );
    }
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(signers(&inspect), vec![("alice".to_string(), vec![alice])]);
}
