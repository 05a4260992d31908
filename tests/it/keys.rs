//! Key store behaviour through the binary: formats from the real tools, messages, exit codes,
//! permissions, and that a failed command leaves every file byte-for-byte unchanged.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::support::{Sandbox, fixture, fixture_key, golden, mode, ok, run, scrub};

/// Copies a fixture into the sandbox with mode 0600 (git does not keep modes).
fn private_copy(sb: &Sandbox, rel: &str) -> PathBuf {
    let dest = sb.path().join(Path::new(rel).file_name().unwrap());
    fs::copy(fixture(rel), &dest).unwrap();
    fs::set_permissions(&dest, fs::Permissions::from_mode(0o600)).unwrap();
    dest
}

#[test]
fn generate_writes_docker_format_with_private_modes() {
    let sb = Sandbox::new();
    let out = ok(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    let pub_path = sb.path().join("alice.pub");
    assert_eq!(
        out,
        format!(
            "Successfully generated and loaded private key. Corresponding public key available: {}\n",
            pub_path.display()
        )
    );
    let public = fs::read_to_string(&pub_path).unwrap();
    assert!(
        public.starts_with(
            "-----BEGIN PUBLIC KEY-----\nrole: alice\n\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
        ),
        "{public}"
    );
    assert_eq!(mode(&pub_path), 0o600);
    let ids = sb.key_ids();
    assert_eq!(ids.len(), 1);
    let key_path = sb.private().join(format!("{}.key", ids[0]));
    assert_eq!(mode(&key_path), 0o600);
    assert_eq!(mode(&sb.private()), 0o700);
    let text = fs::read_to_string(&key_path).unwrap();
    assert!(
        text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: alice\n\n"),
        "{text}"
    );

    // Same name again: Docker's error, nothing changed.
    let before = sb.snapshot();
    let (code, _, err) = run(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    assert_eq!(code, 2);
    golden("errors/generate-exists.txt", &scrub(&sb, &err));
    assert_eq!(before, sb.snapshot());
}

#[test]
fn generate_rejects_bad_names_and_dirs() {
    let sb = Sandbox::new();
    let (code, _, err) = run(&mut sb.dct(&["key", "generate", "Alice"]));
    assert_eq!(code, 2);
    golden("errors/generate-bad-name.txt", &err);
    let (code, _, err) = run(&mut sb.dct(&["key", "generate", "alice", "--dir", "nowhere"]));
    assert_eq!(code, 2);
    golden("errors/generate-no-dir.txt", &err);
    assert!(sb.snapshot().is_empty());
}

#[test]
fn no_passphrase_and_no_terminal_fails_at_once_with_exit_7() {
    let sb = Sandbox::new();
    let (code, out, err) = run(&mut sb.dct(&["key", "generate", "alice"]));
    assert_eq!(code, 7, "{out}{err}");
    assert!(
        err.contains("set DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE"),
        "{err}"
    );
    assert!(sb.key_ids().is_empty());
    assert!(!sb.path().join("alice.pub").exists());
}

#[test]
fn keys_from_notary_docker_openssl_and_legacy_get_the_right_ids() {
    let openssl_id = {
        // All openssl/legacy fixtures hold one key; its ID is that of the public key file.
        let sb = Sandbox::new();
        let p = private_copy(&sb, "openssl/ec-pkcs8.pem");
        ok(sb
            .dct(&["key", "import", p.to_str().unwrap(), "--role", "alice"])
            .env("DCT_NEW_PASSPHRASE", "newpassphrase"));
        sb.key_ids()[0].clone()
    };
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "notary/root-",
            "rootpassphrase",
            "root",
            "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE",
        ),
        (
            "notary/targets-",
            "targetspassphrase",
            "targets",
            "NOTARY_TARGETS_PASSPHRASE",
        ),
        (
            "docker/carol-",
            "carolpassphrase",
            "carol",
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        ),
    ];
    for (prefix, pass, role, var) in cases {
        let (dir, p) = prefix.split_once('/').unwrap();
        let id = fixture_key(dir, p).1;
        let sb = Sandbox::new();
        let src = private_copy(&sb, &format!("{prefix}{id}.key"));
        let out = ok(sb
            .dct(&["key", "import", src.to_str().unwrap()])
            .env(var, pass));
        assert!(out.contains(&format!("Imported {role} key {id}")), "{out}");
        assert_eq!(sb.key_ids(), vec![id.clone()]);
        // Encrypted input is stored as it came (same passphrase), headers normalised.
        let stored = fs::read_to_string(sb.private().join(format!("{id}.key"))).unwrap();
        assert_eq!(stored, fs::read_to_string(&src).unwrap());
    }
    for (file, var, pass) in [
        ("openssl/ec-sec1.pem", None, None),
        (
            "openssl/ec-pkcs8-encrypted.pem",
            Some("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE"),
            Some("opensslpassphrase"),
        ),
        (
            "legacy/ec-aes256-root.key",
            Some("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE"),
            Some("legacypassphrase"),
        ),
        ("legacy/ec-plain.key", None, None),
    ] {
        let sb = Sandbox::new();
        let src = private_copy(&sb, file);
        let mut cmd = sb.dct(&["key", "load", src.to_str().unwrap(), "--name", "alice"]);
        cmd.env("DCT_NEW_PASSPHRASE", "newpassphrase");
        if let (Some(v), Some(p)) = (var, pass) {
            cmd.env(v, p);
        }
        let out = ok(&mut cmd);
        assert_eq!(
            out,
            format!("Successfully imported key from {}\n", src.display())
        );
        assert_eq!(sb.key_ids(), vec![openssl_id.clone()], "{file}");
        let stored = fs::read_to_string(sb.private().join(format!("{openssl_id}.key"))).unwrap();
        let role = if file.contains("root") {
            "root"
        } else {
            "alice"
        };
        assert!(
            stored.starts_with(&format!(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: {role}\n\n"
            )),
            "{stored}"
        );
    }
}

#[test]
fn load_refuses_keys_others_can_read_and_wrong_passphrases() {
    let sb = Sandbox::new();
    let src = private_copy(&sb, "openssl/ec-pkcs8-encrypted.pem");
    fs::set_permissions(&src, fs::Permissions::from_mode(0o644)).unwrap();
    let before = sb.snapshot();
    let (code, _, err) = run(&mut sb.dct(&["key", "load", src.to_str().unwrap()]));
    assert_eq!(code, 2);
    golden("errors/load-readable.txt", &scrub(&sb, &err));
    assert_eq!(before, sb.snapshot());

    fs::set_permissions(&src, fs::Permissions::from_mode(0o600)).unwrap();
    let before = sb.snapshot();
    let (code, _, err) = run(sb.dct(&["key", "load", src.to_str().unwrap()]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "wrongpassphrase",
    ));
    assert_eq!(code, 7);
    golden("errors/load-wrong-passphrase.txt", &scrub(&sb, &err));
    assert_eq!(before, sb.snapshot());

    let public = private_copy(&sb, "openssl/ec-public.pem");
    let (code, _, err) = run(&mut sb.dct(&["key", "load", public.to_str().unwrap()]));
    assert_eq!(code, 2);
    golden("errors/load-public-key.txt", &scrub(&sb, &err));
}

#[test]
fn truncated_and_garbled_pem_are_clear_errors() {
    let sb = Sandbox::new();
    let text = fs::read_to_string(fixture("openssl/ec-pkcs8.pem")).unwrap();
    let truncated = sb.path().join("truncated.pem");
    fs::write(&truncated, &text[..text.len() - 30]).unwrap();
    let garbled = sb.path().join("garbled.pem");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1] = format!("!!{}", &lines[1][2..]);
    fs::write(&garbled, lines.join("\n") + "\n").unwrap();
    for f in [&truncated, &garbled] {
        fs::set_permissions(f, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let before = sb.snapshot();
    for (f, name) in [(&truncated, "truncated"), (&garbled, "garbled")] {
        let (code, _, err) = run(sb
            .dct(&["key", "import", f.to_str().unwrap()])
            .env("DCT_NEW_PASSPHRASE", "newpassphrase"));
        assert_eq!(code, 2, "{err}");
        golden(&format!("errors/import-{name}.txt"), &scrub(&sb, &err));
    }
    assert_eq!(before, sb.snapshot());
}

#[test]
fn export_import_round_trip_and_reencrypt() {
    let a = Sandbox::new();
    ok(a.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    let id = a.key_ids()[0].clone();
    let exported = ok(&mut a.dct(&["key", "export"]));
    assert!(
        exported.contains(&format!("path: {id}\nrole: alice\n")),
        "{exported}"
    );

    // Re-encrypted under a new passphrase: the old one no longer opens it.
    let out = a.path().join("reenc.pem");
    ok(a.dct(&[
        "key",
        "export",
        "--key",
        &id,
        "--reencrypt",
        "-o",
        out.to_str().unwrap(),
    ])
    .env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    )
    .env("DCT_NEW_PASSPHRASE", "otherpassphrase"));
    assert_eq!(mode(&out), 0o600);
    let b = Sandbox::new();
    let (code, _, err) = run(b.dct(&["key", "import", out.to_str().unwrap()]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    assert_eq!(code, 7, "{err}");
    assert!(b.key_ids().is_empty());
    let imported = ok(b.dct(&["key", "import", out.to_str().unwrap()]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "otherpassphrase",
    ));
    assert_eq!(
        imported,
        format!("Imported alice key {id} from {}\n", out.display())
    );
    // Importing again keeps what is there.
    let before = b.snapshot();
    ok(b.dct(&["key", "import", out.to_str().unwrap()]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "otherpassphrase",
    ));
    assert_eq!(before, b.snapshot());

    // A path header that lies about the key ID is refused.
    let lying = a.path().join("lying.pem");
    let other = "0".repeat(64);
    fs::write(
        &lying,
        exported.replace(&format!("path: {id}"), &format!("path: {other}")),
    )
    .unwrap();
    fs::set_permissions(&lying, fs::Permissions::from_mode(0o600)).unwrap();
    let c = Sandbox::new();
    let (code, _, err) = run(c.dct(&["key", "import", lying.to_str().unwrap()]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    assert_eq!(code, 2, "{err}");
    assert!(c.key_ids().is_empty());
}

#[test]
fn remove_needs_confirmation_or_yes() {
    let sb = Sandbox::new();
    ok(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    let id = sb.key_ids()[0].clone();
    let before = sb.snapshot();
    let (code, _, err) = run(&mut sb.dct(&["key", "remove", &id]));
    assert_eq!(code, 2);
    assert!(err.contains("pass -y"), "{err}");
    assert_eq!(before, sb.snapshot());

    let (code, _, err) = run(&mut sb.dct(&["key", "remove", "abc"]));
    assert_eq!(code, 2);
    golden("errors/remove-invalid-id.txt", &err);
    let unknown = "f".repeat(64);
    let (code, _, err) = run(&mut sb.dct(&["key", "remove", &unknown, "-y"]));
    assert_eq!(code, 7);
    golden("errors/remove-unknown-id.txt", &scrub(&sb, &err));
    assert_eq!(before, sb.snapshot());

    let out = ok(&mut sb.dct(&["key", "remove", &id, "-y"]));
    assert_eq!(
        out,
        format!(
            "Deleted {id} (role alice) from {}.\n",
            sb.private().display()
        )
    );
    assert!(sb.key_ids().is_empty());
}

#[test]
fn passwd_changes_the_passphrase() {
    let sb = Sandbox::new();
    ok(sb.dct(&["key", "generate", "alice"]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    let id = sb.key_ids()[0].clone();
    // No new passphrase available: exit 7, file untouched.
    let before = sb.snapshot();
    let (code, _, err) = run(sb.dct(&["key", "passwd", &id]).env(
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "alicepassphrase",
    ));
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("DCT_NEW_PASSPHRASE"), "{err}");
    assert_eq!(before, sb.snapshot());
    // Wrong old passphrase: exit 7, untouched.
    let (code, _, err) = run(sb
        .dct(&["key", "passwd", &id])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "wrongpassphrase",
        )
        .env("DCT_NEW_PASSPHRASE", "newpassphrase"));
    assert_eq!(code, 7);
    golden(
        "errors/passwd-wrong-env.txt",
        &scrub(&sb, &err).replace(&id, "$KEYID"),
    );
    assert_eq!(before, sb.snapshot());

    let out = ok(sb
        .dct(&["key", "passwd", &id])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        )
        .env("DCT_NEW_PASSPHRASE", "newpassphrase"));
    assert_eq!(
        out,
        format!("Successfully updated passphrase for key ID: {id}\n")
    );
    // The new passphrase opens it (export --reencrypt must decrypt first).
    ok(sb
        .dct(&["key", "export", "--key", &id, "--reencrypt"])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "newpassphrase",
        )
        .env("DCT_NEW_PASSPHRASE", "thirdpassphrase"));
    let (code, _, _) = run(sb
        .dct(&["key", "export", "--key", &id, "--reencrypt"])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        )
        .env("DCT_NEW_PASSPHRASE", "thirdpassphrase"));
    assert_eq!(code, 7);
}

#[test]
fn unwritable_trust_dir_fails_cleanly() {
    if unsafe_is_root() {
        // root ignores directory modes; make the trust dir a file instead.
        let sb = Sandbox::new();
        fs::create_dir_all(sb.config()).unwrap();
        fs::write(sb.trust(), "not a directory").unwrap();
        let before = sb.snapshot();
        let (code, _, err) = run(sb.dct(&["key", "generate", "alice"]).env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        ));
        assert_eq!(code, 1, "{err}");
        golden("errors/generate-trust-dir-is-a-file.txt", &scrub(&sb, &err));
        assert_eq!(before, sb.snapshot());
        assert!(!sb.path().join("alice.pub").exists());
    } else {
        let sb = Sandbox::new();
        fs::create_dir_all(sb.private()).unwrap();
        fs::set_permissions(sb.private(), fs::Permissions::from_mode(0o500)).unwrap();
        let (code, _, _) = run(sb.dct(&["key", "generate", "alice"]).env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        ));
        fs::set_permissions(sb.private(), fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(code, 1);
    }
}

fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

#[test]
fn list_shows_role_gun_and_id_like_notary() {
    let sb = Sandbox::new();
    let empty = ok(&mut sb.dct(&["key", "list"]));
    assert_eq!(empty, "No signing keys found.\n");
    let export = private_copy(&sb, "notary/export-all.pem");
    ok(sb
        .dct(&["key", "import", export.to_str().unwrap()])
        .env("NOTARY_ROOT_PASSPHRASE", "rootpassphrase")
        .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase")
        .env("NOTARY_SNAPSHOT_PASSPHRASE", "snapshotpassphrase"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut sb.dct(&["key", "list", "--json"]))).unwrap();
    let got: Vec<(String, String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["role"].as_str().unwrap().to_string(),
                k["gun"].as_str().unwrap().to_string(),
                k["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let gun = "example.com/fixtures/app".to_string();
    assert_eq!(
        got,
        vec![
            (
                "root".into(),
                String::new(),
                fixture_key("notary", "root-").1
            ),
            (
                "snapshot".into(),
                gun.clone(),
                fixture_key("notary", "snapshot-").1
            ),
            ("targets".into(), gun, fixture_key("notary", "targets-").1),
        ]
    );
}
