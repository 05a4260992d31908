//! Interop with the real tools: the notary 0.7 CLI (against the project's real notary-server)
//! and the docker CLI (no daemon needed for its trust key and signer commands).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{ROOT, Sandbox, ok, run, servers, unique};

/// notary's `key list` rows as (role, gun, id).
fn notary_key_list(sb: &Sandbox) -> Vec<(String, String, String)> {
    let out = ok(&mut sb.tool(
        "notary",
        &["-d", sb.trust().to_str().unwrap(), "key", "list"],
    ));
    let mut rows: Vec<_> = out
        .lines()
        .skip_while(|l| !l.starts_with("----"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            // The GUN cell is empty for root and signer keys.
            if cells.len() == 3 {
                (cells[0].to_string(), String::new(), cells[1].to_string())
            } else {
                (
                    cells[0].to_string(),
                    cells[1].to_string(),
                    cells[2].to_string(),
                )
            }
        })
        .collect();
    rows.sort();
    rows
}

fn dct_key_list(sb: &Sandbox) -> Vec<(String, String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut sb.dct(&["key", "list", "--json"]))).unwrap();
    let mut rows: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let s = |f: &str| k[f].as_str().unwrap().to_string();
            (s("role"), s("gun"), s("id"))
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn notary_lists_and_signs_with_keys_dct_generated() {
    let srv = servers();
    let sb = Sandbox::new();
    // A root key and a signer key, both made by dct (ECDSA) — plus an Ed25519 key by import.
    ok(sb
        .dct(&["key", "generate", "root"])
        .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase"));
    ok(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    assert_eq!(notary_key_list(&sb), dct_key_list(&sb));
    let root_id = dct_key_list(&sb)
        .into_iter()
        .find(|k| k.0 == "root")
        .unwrap()
        .2;

    // notary decrypts dct's root key and signs a new repository with it, then publishes.
    // Short enough that notary's table does not truncate it (25 characters), so not from
    // `unique`: a fixed name that no other test uses.
    let gun = format!("{}/i/dct", srv.registry_host());
    let notary = |args: &[&str]| sb.notary(srv, args);
    let out = ok(&mut notary(&["init", "-p", &gun]));
    assert!(
        out.contains(&format!("Root key found, using: {root_id}")),
        "{out}"
    );
    ok(&mut notary(&[
        "addhash",
        "-p",
        &gun,
        "v1",
        "3",
        "--sha256",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    ]));
    let out = ok(&mut notary(&["lookup", &gun, "v1"]));
    assert!(out.starts_with("v1 sha256:2cf24dba"), "{out}");

    // The targets and snapshot keys notary made are listed by dct with the same IDs and GUN.
    assert_eq!(notary_key_list(&sb), dct_key_list(&sb));
    let rows = dct_key_list(&sb);
    assert!(rows.iter().any(|k| k.0 == "targets" && k.1 == gun));

    // dct re-encrypts notary's targets key; notary still uses it under the new passphrase.
    let targets_id = rows.iter().find(|k| k.0 == "targets").unwrap().2.clone();
    ok(sb
        .dct(&["key", "passwd", &targets_id])
        .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase")
        .env("DCT_NEW_PASSPHRASE", "newtargetspassphrase"));
    ok(notary(&[
        "addhash",
        "-p",
        &gun,
        "v2",
        "3",
        "--sha256",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    ])
    .env("NOTARY_TARGETS_PASSPHRASE", "newtargetspassphrase"));
    let (code, _, _) = run(notary(&[
        "addhash",
        "-p",
        &gun,
        "v3",
        "3",
        "--sha256",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    ])
    .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase"));
    assert_ne!(code, 0, "the old passphrase must no longer open the key");
}

#[test]
fn notary_generated_keys_are_exported_and_reencrypted_by_dct() {
    let sb = Sandbox::new();
    let trust = sb.trust();
    ok(sb
        .tool(
            "notary",
            &[
                "-d",
                trust.to_str().unwrap(),
                "key",
                "generate",
                "ecdsa",
                "--role",
                "root",
            ],
        )
        .env("NOTARY_ROOT_PASSPHRASE", "rootpassphrase"));
    let rows = dct_key_list(&sb);
    assert_eq!(rows, notary_key_list(&sb));
    let id = rows[0].2.clone();

    // dct's re-encrypted export is imported by notary (into a fresh trust dir) with the same ID,
    // and notary opens it with the new passphrase.
    let exported = sb.path().join("root-export.pem");
    ok(sb
        .dct(&[
            "key",
            "export",
            "--key",
            &id,
            "--reencrypt",
            "-o",
            exported.to_str().unwrap(),
        ])
        .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase")
        .env("DCT_NEW_PASSPHRASE", "exportpassphrase"));
    let other = sb.path().join("other-trust");
    ok(&mut sb.tool(
        "notary",
        &[
            "-d",
            other.to_str().unwrap(),
            "key",
            "import",
            exported.to_str().unwrap(),
        ],
    ));
    assert!(other.join(format!("private/{id}.key")).exists());
    ok(sb
        .tool(
            "notary",
            &["-d", other.to_str().unwrap(), "key", "passwd", &id],
        )
        .env("NOTARY_ROOT_PASSPHRASE", "exportpassphrase"));
}

#[test]
fn ed25519_keys_written_by_dct_are_read_by_notary() {
    // notary cannot generate Ed25519 keys, but reads its own Ed25519 format; dct writes it.
    let sb = Sandbox::new();
    let key = dct::keys::PrivateKey::generate_ed25519();
    let block = dct::keys::keyfile::seal(&key, b"", "root", None);
    let plain = sb.path().join("ed.pem");
    fs::write(&plain, block.encode()).unwrap();
    fs::set_permissions(&plain, fs::Permissions::from_mode(0o600)).unwrap();
    ok(sb
        .dct(&["key", "import", plain.to_str().unwrap()])
        .env("DCT_NEW_PASSPHRASE", "edpassphrase"));
    assert_eq!(sb.key_ids(), vec![key.id()]);
    assert_eq!(notary_key_list(&sb), dct_key_list(&sb));
    ok(sb
        .tool(
            "notary",
            &[
                "-d",
                sb.trust().to_str().unwrap(),
                "key",
                "passwd",
                &key.id(),
            ],
        )
        .env("NOTARY_ROOT_PASSPHRASE", "edpassphrase"));
}

#[test]
fn docker_keys_are_listed_and_dct_public_keys_are_accepted_by_docker() {
    let srv = servers();
    let sb = Sandbox::new();
    ok(sb
        .tool(
            "docker",
            &[
                "trust",
                "key",
                "generate",
                "carol",
                "--dir",
                sb.path().to_str().unwrap(),
            ],
        )
        .env("DOCKER_CONFIG", sb.config())
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "carolpassphrase",
        ));
    let rows = dct_key_list(&sb);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "carol");

    ok(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    let alice_id = dct_key_list(&sb)
        .into_iter()
        .find(|k| k.0 == "alice")
        .unwrap()
        .2;
    // docker trusts the notary server through <config>/tls/<host>/ca.crt.
    sb.add_ca(srv, srv.get("TRUST_SERVER_HOST"));
    let image = unique(srv, "interop/docker-signer");
    let pubkey = sb.path().join("alice.pub");
    let docker = |args: &[&str]| {
        let mut c = sb.tool("docker", args);
        c.env("DOCKER_CONFIG", sb.config())
            .env("DOCKER_CONTENT_TRUST_SERVER", srv.url())
            .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase")
            .env(
                "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
                "repopassphrase",
            );
        c
    };
    let out = ok(&mut docker(&[
        "trust",
        "signer",
        "add",
        "--key",
        pubkey.to_str().unwrap(),
        "alice",
        &image,
    ]));
    assert!(
        out.contains(&format!("Successfully added signer: alice to {image}")),
        "{out}"
    );
    let inspect = ok(&mut docker(&["trust", "inspect", &image]));
    let json: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    let signers = &json[0]["Signers"];
    assert_eq!(signers[0]["Name"], "alice", "{inspect}");
    assert_eq!(signers[0]["Keys"][0]["ID"], alice_id.as_str(), "{inspect}");
}

#[test]
fn dct_root_certificates_have_the_shape_of_notarys() {
    use der::{Decode, Encode};
    use x509_cert::Certificate;
    // The root certificate notary wrote into fixtures/notary/root.json.
    let root: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(ROOT).join("fixtures/notary/root.json")).unwrap(),
    )
    .unwrap();
    let signed = &root["signed"];
    let root_key_id = signed["roles"]["root"]["keyids"][0].as_str().unwrap();
    let key = &signed["keys"][root_key_id];
    assert_eq!(key["keytype"], "ecdsa-x509");
    use base64::Engine;
    let pem = base64::engine::general_purpose::STANDARD
        .decode(key["keyval"]["public"].as_str().unwrap())
        .unwrap();
    let theirs_pub = dct::keys::PublicKey::new(dct::keys::KeyType::EcdsaX509, pem.clone());
    assert_eq!(theirs_pub.id(), root_key_id);
    // The canonical ID of notary's certificate key is the root key file's name.
    let file_id = fs::read_dir(Path::new(ROOT).join("fixtures/notary"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.strip_prefix("root-")?
                .strip_suffix(".key")
                .map(str::to_string)
        })
        .next()
        .unwrap();
    assert_eq!(
        dct::keys::cert::canonical_key_id(&theirs_pub).unwrap(),
        file_id
    );

    let blocks = dct::keys::pem::parse_all(&pem).unwrap();
    // Our PEM encoder reproduces notary's certificate text byte for byte.
    assert_eq!(blocks[0].encode().as_bytes(), &pem[..]);
    let theirs = Certificate::from_der(&blocks[0].data).unwrap();
    let key = dct::keys::PrivateKey::generate_ecdsa();
    let ours = dct::keys::cert::root_certificate(
        &key,
        "example.com/fixtures/app",
        std::time::SystemTime::now(),
    )
    .unwrap();
    let (t, o) = (theirs.tbs_certificate(), ours.tbs_certificate());
    assert_eq!(o.subject().to_der().unwrap(), t.subject().to_der().unwrap());
    assert_eq!(o.issuer().to_der().unwrap(), t.issuer().to_der().unwrap());
    assert_eq!(o.version(), t.version());
    assert_eq!(o.signature(), t.signature());
    assert_eq!(ours.signature_algorithm(), theirs.signature_algorithm());
    assert_eq!(
        o.extensions().unwrap().to_der().unwrap(),
        t.extensions().unwrap().to_der().unwrap()
    );
    let span = |c: &x509_cert::TbsCertificate| {
        c.validity().not_after.to_unix_duration() - c.validity().not_before.to_unix_duration()
    };
    assert_eq!(span(o), span(t));
    assert!(o.serial_number().as_bytes().len() <= 17);
}
