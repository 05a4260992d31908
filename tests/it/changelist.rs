//! The changelist against the real notary CLI: what notary stages (without `-p`) is byte for
//! byte what dct writes for the same change and decodes with dct's types; what dct stages,
//! notary lists (`notary status`), publishes and then finds (`notary lookup`).

use dct::tuf::meta::Hashes;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::support::{Sandbox, ok, run, servers, unique};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use dct::tuf::changelist::{Action, Change, ChangeType, Changelist, DelegationPayload};
use dct::tuf::meta::{FileMeta, Key};

/// The change files of `gun`, in name order.
fn change_files(trust: &Path, gun: &str) -> Vec<PathBuf> {
    let dir = trust.join("tuf").join(gun).join("changelist");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn file_meta(len: i64, sha256: &[u8]) -> FileMeta {
    FileMeta {
        length: len,
        hashes: Hashes::from([("sha256".to_string(), sha256.to_vec())]),
        custom: None,
    }
}

/// Asserts that notary's file and dct's bytes agree exactly, and (for a clearer failure)
/// that their decoded payloads agree first.
fn assert_same(notary_file: &Path, dct_bytes: &[u8]) {
    let theirs = fs::read(notary_file).unwrap();
    let (a, b) = (
        Change::from_json(&theirs).unwrap(),
        Change::from_json(dct_bytes).unwrap(),
    );
    let text = |d: &Option<Vec<u8>>| d.as_ref().map(|d| String::from_utf8_lossy(d).into_owned());
    assert_eq!(text(&a.data), text(&b.data), "payloads differ");
    assert_eq!(a, b);
    assert_eq!(
        String::from_utf8_lossy(&theirs),
        String::from_utf8_lossy(dct_bytes),
        "file bytes differ"
    );
}

fn assert_notary_name_and_mode(path: &Path) {
    let name = path.file_name().unwrap().to_str().unwrap();
    let (nanos, rest) = name.split_once('_').unwrap();
    assert_eq!(nanos.len(), 20, "{name}");
    assert!(rest.ends_with(".change") && rest.len() == 36 + 7, "{name}");
    assert_eq!(fs::metadata(path).unwrap().mode() & 0o777, 0o600);
    assert_eq!(
        fs::metadata(path.parent().unwrap()).unwrap().mode() & 0o777,
        0o700
    );
}

#[test]
fn target_changes_staged_by_notary_are_byte_identical_to_dcts() {
    let sb = Sandbox::new();
    let gun = "example.com/org/app";
    let sha =
        hex::decode("5c8c7bb1e3b5d2c7a8f4e6d1b2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5").unwrap();
    ok(&mut sb.notary_offline(&[
        "addhash",
        gun,
        "v1.0",
        "5427",
        "--sha256",
        &hex::encode(&sha),
    ]));
    // A tag with characters Go escapes.
    ok(&mut sb.notary_offline(&["remove", gun, "a<b>&c"]));
    let files = change_files(&sb.trust(), gun);
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert_notary_name_and_mode(f);
    }

    let add = Change::add_target("targets", "v1.0", &file_meta(5427, &sha));
    assert_same(&files[0], &add.to_json());
    let remove = Change::remove_target("targets", "a<b>&c");
    assert_same(&files[1], &remove.to_json());

    // dct lists notary's files in order and decodes the payload.
    let cl = Changelist::open(&sb.trust(), gun).unwrap();
    let listed = cl.list().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].path, files[0]);
    assert_eq!(listed[0].change, add);
    assert_eq!(
        listed[0].change.target_payload().unwrap(),
        file_meta(5427, &sha)
    );
    assert_eq!(listed[1].change, remove);
    assert_eq!(listed[1].change.data, None);
}

/// A self-signed P-256 certificate (a Docker-style signer key) made by openssl.
fn signer_cert(sb: &Sandbox) -> PathBuf {
    let (key_pem, cert_pem) = (sb.path().join("k.pem"), sb.path().join("cert.pem"));
    ok(&mut sb.tool(
        "openssl",
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            key_pem.to_str().unwrap(),
        ],
    ));
    ok(&mut sb.tool(
        "openssl",
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            key_pem.to_str().unwrap(),
            "-subj",
            "/CN=signer",
            "-days",
            "3650",
            "-out",
            cert_pem.to_str().unwrap(),
        ],
    ));
    cert_pem
}

#[test]
fn delegation_changes_staged_by_notary_are_byte_identical_to_dcts() {
    let sb = Sandbox::new();
    let gun = "example.com/org/app";
    let cert_pem = signer_cert(&sb);
    let cert = fs::read(&cert_pem).unwrap();
    let key = Key {
        keytype: "ecdsa-x509".into(),
        public: cert.clone(),
    };
    ok(&mut sb.notary_offline(&[
        "delegation",
        "add",
        gun,
        "targets/releases",
        cert_pem.to_str().unwrap(),
        "--all-paths",
    ]));
    ok(&mut sb.notary_offline(&["delegation", "remove", gun, "targets/releases", &key.id()]));
    let files = change_files(&sb.trust(), gun);
    assert_eq!(files.len(), 3, "{files:?}");
    for f in &files {
        assert_notary_name_and_mode(f);
    }

    let create = Change::create_delegation("targets/releases", std::slice::from_ref(&key), 1);
    assert_same(&files[0], &create.to_json());
    let paths = Change::add_delegation_paths("targets/releases", &[String::new()]);
    assert_same(&files[1], &paths.to_json());
    let remove = Change::remove_delegation_keys("targets/releases", &[key.id()]);
    assert_same(&files[2], &remove.to_json());

    let listed = Changelist::open(&sb.trust(), gun).unwrap().list().unwrap();
    let c = &listed[0].change;
    assert_eq!(
        (c.action, c.kind, c.scope.as_str(), c.path.as_str()),
        (
            Action::Create,
            ChangeType::Delegation,
            "targets/releases",
            ""
        )
    );
    assert_eq!(
        c.delegation_payload().unwrap(),
        DelegationPayload {
            threshold: 1,
            add_keys: vec![key.clone()],
            ..Default::default()
        }
    );
    assert_eq!(
        listed[1].change.delegation_payload().unwrap().add_paths,
        vec![String::new()]
    );
    let p = listed[2].change.delegation_payload().unwrap();
    assert_eq!(
        (listed[2].change.action, p.remove_keys),
        (Action::Update, vec![key.id()])
    );

    // For the record (the report quotes these bytes).
    for f in &files {
        println!("notary wrote: {}", fs::read_to_string(f).unwrap());
    }
    println!(
        "dct writes:   {}",
        String::from_utf8(create.to_json()).unwrap()
    );
}

#[test]
fn notary_lists_publishes_and_clears_what_dct_staged() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "dct/changelist");
    let gun = gun.as_str();
    ok(&mut sb.notary(srv, &["init", "-p", gun]));
    let old = [0x11u8; 32];
    ok(&mut sb.notary(
        srv,
        &[
            "addhash",
            "-p",
            gun,
            "old",
            "7",
            "--sha256",
            &hex::encode(old),
        ],
    ));
    assert!(change_files(&sb.trust(), gun).is_empty());

    let (d1, d2) = ([0xa1u8; 32], [0xb2u8; 32]);
    let cl = Changelist::open(&sb.trust(), gun).unwrap();
    cl.add(&Change::add_target("targets", "v1", &file_meta(1001, &d1)))
        .unwrap();
    cl.add(&Change::add_target("targets", "v2", &file_meta(1002, &d2)))
        .unwrap();
    cl.add(&Change::remove_target("targets", "old")).unwrap();

    let status = ok(&mut sb.notary(srv, &["status", gun]));
    println!("notary status:\n{status}");
    let rows: Vec<Vec<&str>> = status
        .lines()
        .skip_while(|l| !l.starts_with('#'))
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["0", "create", "targets", "target", "v1"],
            vec!["1", "create", "targets", "target", "v2"],
            vec!["2", "delete", "targets", "target", "old"],
        ],
        "{status}"
    );
    assert!(
        status.starts_with(&format!("Unpublished changes for {gun}:")),
        "{status}"
    );

    ok(&mut sb.notary(srv, &["publish", gun]));
    assert!(cl.list().unwrap().is_empty());
    assert!(change_files(&sb.trust(), gun).is_empty());

    for (tag, digest, len) in [("v1", d1, 1001), ("v2", d2, 1002)] {
        let out = ok(&mut sb.notary(srv, &["lookup", gun, tag]));
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            vec![
                tag,
                &format!("sha256:{}", hex::encode(digest)),
                &len.to_string()
            ],
            "{out}"
        );
    }
    let (code, out, err) = run(&mut sb.notary(srv, &["lookup", gun, "old"]));
    assert_ne!(code, 0, "old was removed: {out}{err}");
    let status = ok(&mut sb.notary(srv, &["status", gun]));
    assert_eq!(status.trim(), format!("No unpublished changes for {gun}"));

    // A base64 check of the raw file dct wrote, the way notary's reader sees it.
    let staged = cl
        .add(&Change::add_target("targets", "v3", &file_meta(3, &d1)))
        .unwrap();
    let raw: serde_json::Value = serde_json::from_slice(&fs::read(&staged).unwrap()).unwrap();
    let payload = B64.decode(raw["data"].as_str().unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(payload).unwrap(),
        format!(
            r#"{{"length":3,"hashes":{{"sha256":"{}"}}}}"#,
            B64.encode(d1)
        )
    );
    println!("dct wrote: {}", fs::read_to_string(&staged).unwrap());
}

#[test]
fn notary_publishes_a_delegation_dct_staged() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "dct/changelist-delegation");
    let gun = gun.as_str();
    ok(&mut sb.notary(srv, &["init", "-p", gun]));
    let key = Key {
        keytype: "ecdsa-x509".into(),
        public: fs::read(signer_cert(&sb)).unwrap(),
    };
    let cl = Changelist::open(&sb.trust(), gun).unwrap();
    cl.add(&Change::create_delegation(
        "targets/releases",
        std::slice::from_ref(&key),
        1,
    ))
    .unwrap();
    cl.add(&Change::add_delegation_paths(
        "targets/releases",
        &[String::new()],
    ))
    .unwrap();
    ok(&mut sb.notary(srv, &["publish", gun]));
    assert!(cl.list().unwrap().is_empty());
    let list = ok(&mut sb.notary(srv, &["delegation", "list", gun]));
    // notary prints the canonical (public-key) ID of an x509 key, not the TUF key ID.
    let row: Vec<&str> = list
        .lines()
        .find(|l| l.starts_with("targets/releases"))
        .unwrap_or_else(|| panic!("{list}"))
        .split_whitespace()
        .collect();
    assert_eq!(row.len(), 6, "{list}");
    assert_eq!((row[1], row[2], row[5]), ("\"\"", "<all", "1"), "{list}");
    assert_eq!(row[4].len(), 64, "{list}");
}
