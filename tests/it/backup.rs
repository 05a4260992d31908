//! `dct key backup` and `dct key restore`: round trips that leave keys byte-identical and usable
//! (including signing against the real notary-server), tarballs made by the classic `tar`
//! command, conflicts, `--dry-run`, and hostile archives — each a clear error with its exit code
//! and the trust dir byte-for-byte unchanged.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::support::signing::{Client, dct_lookup};
use crate::support::{
    Sandbox, fixture, fixture_key, golden, mode, ok, run, scrub, servers, tree, unique,
};

const BACKUP_PASS: &str = "backup passphrase";
const ALICE_PASS: &str = "alicepassphrase";
const HEX_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A sandbox with a generated signer key (alice) and notary's root, targets and snapshot keys
/// (the snapshot key in notary's older `tuf_keys/<gun>/` layout).
fn keyed_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    ok(sb
        .dct(&["key", "generate", "alice"])
        .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", ALICE_PASS));
    for (prefix, sub) in [
        ("root-", ""),
        ("targets-", ""),
        ("snapshot-", "tuf_keys/example.com/fixtures/app"),
    ] {
        let (src, id) = fixture_key("notary", prefix);
        let dir = sb.private().join(sub);
        fs::create_dir_all(&dir).unwrap();
        let dest = dir.join(format!("{id}.key"));
        fs::copy(src, &dest).unwrap();
        fs::set_permissions(&dest, fs::Permissions::from_mode(0o600)).unwrap();
    }
    for d in [
        "tuf_keys",
        "tuf_keys/example.com",
        "tuf_keys/example.com/fixtures",
    ] {
        fs::set_permissions(sb.private().join(d), fs::Permissions::from_mode(0o700)).unwrap();
    }
    fs::set_permissions(
        sb.private().join("tuf_keys/example.com/fixtures/app"),
        fs::Permissions::from_mode(0o700),
    )
    .unwrap();
    sb
}

fn key_list(sb: &Sandbox) -> String {
    ok(&mut sb.dct(&["key", "list", "--json"]))
}

fn backup(sb: &Sandbox, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["key", "backup", file];
    args.extend(extra);
    ok(sb.dct(&args).env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS))
}

fn restore(sb: &Sandbox, file: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["key", "restore", file];
    args.extend(extra);
    run(sb.dct(&args).env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS))
}

/// Asserts that a restore fails with `code`, the golden message, and no change at all.
fn refused(sb: &Sandbox, file: &str, env: &[(&str, &str)], code: i32, golden_name: &str) {
    let before = sb.snapshot();
    let mut cmd = sb.dct(&["key", "restore", file]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (c, out, err) = run(&mut cmd);
    assert_eq!(c, code, "{golden_name}: {out}{err}");
    assert_eq!(out, "", "{golden_name}");
    golden(
        &format!("errors/{golden_name}.txt"),
        &scrub(sb, &err).replace(file, "$FILE"),
    );
    assert!(before == sb.snapshot(), "{golden_name} changed the sandbox");
}

fn wipe_private(sb: &Sandbox) {
    fs::remove_dir_all(sb.private()).unwrap();
}

#[test]
fn sealed_and_plain_round_trips_restore_identical_working_keys() {
    let sb = keyed_sandbox();
    let list_before = key_list(&sb);
    let tree_before = tree(&sb.private());
    let (_, root_id) = fixture_key("notary", "root-");
    let alice_id = sb
        .key_ids()
        .into_iter()
        .find(|id| id != &root_id && !fixture_key("notary", "targets-").1.eq(id))
        .unwrap();

    for (file, extra, magic) in [
        ("keys.dct", &[][..], &b"DCTBACKUP\0"[..]),
        ("keys.tar.gz", &["--plain"][..], &[0x1f, 0x8b][..]),
    ] {
        let out = backup(&sb, file, extra);
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(
            out.contains(&format!("Backed up root key {root_id}\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("Backed up alice key {alice_id}\n")),
            "{out}"
        );
        assert!(
            out.contains("key ") && out.contains(" for example.com/fixtures/app\n"),
            "{out}"
        );
        let archive = sb.path().join(file);
        assert_eq!(mode(&archive), 0o600);
        let bytes = fs::read(&archive).unwrap();
        assert!(bytes.starts_with(magic));
        // The backup is not a copy of anyone's secrets in the clear: no PEM text in a sealed one.
        if extra.is_empty() {
            assert!(!bytes.windows(10).any(|w| w == b"-----BEGIN"));
        }

        wipe_private(&sb);
        let (code, out, err) = restore(&sb, file, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(
            out.contains(&format!("Restored root key {root_id}\n")),
            "{out}"
        );
        // Byte-identical files, 0600 in 0700 directories, the same listing.
        assert_eq!(tree(&sb.private()), tree_before, "{file}");
        assert_eq!(mode(&sb.private()), 0o700);
        assert_eq!(key_list(&sb), list_before);

        // Restoring again is a no-op.
        let snap = sb.snapshot();
        let (code, out, _) = restore(&sb, file, &[]);
        assert_eq!(code, 0);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("Skipped ")).count(),
            4,
            "{out}"
        );
        assert!(snap == sb.snapshot());
    }

    // The restored keys open with their old passphrases.
    ok(sb
        .dct(&["key", "export", "--key", &root_id, "--reencrypt"])
        .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase")
        .env("DCT_NEW_PASSPHRASE", "another passphrase"));
    let out = ok(sb
        .dct(&["key", "passwd", &alice_id])
        .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", ALICE_PASS)
        .env("DCT_NEW_PASSPHRASE", "a new alice passphrase"));
    assert_eq!(
        out,
        format!("Successfully updated passphrase for key ID: {alice_id}\n")
    );
}

#[test]
fn backup_json_refuses_to_overwrite_and_needs_keys() {
    let sb = keyed_sandbox();
    let out = ok(sb
        .dct(&["--json", "key", "backup", "k.dct"])
        .env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "sealed");
    assert_eq!(v["keys"].as_array().unwrap().len(), 4);
    assert!(
        v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["role"] == "snapshot"
                && k["gun"] == "example.com/fixtures/app"
                && k["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("private/tuf_keys/example.com/fixtures/app/")),
        "{out}"
    );

    // An existing FILE is kept unless --force.
    let before = sb.snapshot();
    let (code, _, err) = run(sb
        .dct(&["key", "backup", "k.dct"])
        .env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS));
    assert_eq!(code, 2);
    golden("errors/backup-exists.txt", &err);
    assert!(before == sb.snapshot());
    backup(&sb, "k.dct", &["--force"]);
    assert_ne!(
        fs::read(sb.path().join("k.dct")).unwrap(),
        before_file(&before, "k.dct")
    );

    // No passphrase and no terminal: exit 7 naming the variable, nothing written.
    let (code, _, err) = run(&mut sb.dct(&["key", "backup", "other.dct"]));
    assert_eq!(code, 7);
    golden("errors/backup-no-passphrase.txt", &err);
    assert!(!sb.path().join("other.dct").exists());

    // An empty store.
    let empty = Sandbox::new();
    let (code, _, err) = run(&mut empty.dct(&["key", "backup", "--plain", "x.tar.gz"]));
    assert_eq!(code, 7);
    golden("errors/backup-no-keys.txt", &scrub(&empty, &err));
    assert!(empty.snapshot().is_empty());
}

fn before_file(snap: &[(PathBuf, Vec<u8>)], name: &str) -> Vec<u8> {
    snap.iter()
        .find(|(p, _)| p.file_name().unwrap() == name)
        .unwrap()
        .1
        .clone()
}

#[test]
fn classic_tar_command_backup_restores_and_conflicts_need_force() {
    let sb = keyed_sandbox();
    let list_before = key_list(&sb);
    let tree_before = tree(&sb.private());
    // The seed article's command, run from / so the entries carry the whole path.
    let private = sb.private();
    let rel = private.strip_prefix("/").unwrap();
    let archive = sb.path().join("docker_private_keys_backup.tar.gz");
    let script = format!(
        "umask 077; cd / && tar -zcvf '{}' '{}'",
        archive.display(),
        rel.display()
    );
    let listing = ok(&mut sb.tool("sh", &["-c", &script]));
    assert!(
        listing.contains(&format!("{}/", rel.display())),
        "{listing}"
    );
    wipe_private(&sb);
    let (code, out, err) = restore(&sb, "docker_private_keys_backup.tar.gz", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Restored ").count(), 4, "{out}");
    assert_eq!(tree(&sb.private()), tree_before);
    assert_eq!(key_list(&sb), list_before);

    // Twice: a no-op.
    let snap = sb.snapshot();
    let (code, out, _) = restore(&sb, "docker_private_keys_backup.tar.gz", &[]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("Skipped ").count(), 4, "{out}");
    assert!(snap == sb.snapshot());

    // A different key under the root key's ID: refused without --force, nothing written.
    let (root_src, root_id) = fixture_key("notary", "root-");
    let root_path = sb.private().join(format!("{root_id}.key"));
    let (carol_src, _) = fixture_key("docker", "carol-");
    fs::write(&root_path, fs::read(&carol_src).unwrap()).unwrap();
    refused(
        &sb,
        "docker_private_keys_backup.tar.gz",
        &[],
        7,
        "restore-conflict",
    );

    // --dry-run shows the refusal (same exit) and, with --force, the replacement; writes nothing.
    let snap = sb.snapshot();
    let (code, out, _) = restore(&sb, "docker_private_keys_backup.tar.gz", &["--dry-run"]);
    assert_eq!(code, 7);
    assert!(
        out.contains(&format!("Would refuse root key {root_id}: ")),
        "{out}"
    );
    assert_eq!(out.matches("Would skip ").count(), 3, "{out}");
    let (code, out, err) = restore(
        &sb,
        "docker_private_keys_backup.tar.gz",
        &["--dry-run", "--force"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("Would replace root key {root_id}: ")),
        "{out}"
    );
    assert!(err.contains("Dry run: nothing was written."), "{err}");
    assert!(snap == sb.snapshot());

    // --force replaces it with the backup's key.
    let (code, out, err) = run(sb
        .dct(&[
            "--json",
            "key",
            "restore",
            "docker_private_keys_backup.tar.gz",
            "--force",
        ])
        .env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let actions: Vec<&str> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "replaced").count(), 1);
    assert_eq!(actions.iter().filter(|a| **a == "skipped").count(), 3);
    assert_eq!(fs::read(&root_path).unwrap(), fs::read(root_src).unwrap());
    assert_eq!(mode(&root_path), 0o600);
}

#[test]
fn dry_run_writes_nothing() {
    let sb = keyed_sandbox();
    backup(&sb, "keys.dct", &[]);
    wipe_private(&sb);
    let snap = sb.snapshot();
    let (code, out, err) = restore(&sb, "keys.dct", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Would restore ").count(), 4, "{out}");
    assert!(snap == sb.snapshot());
    assert!(!sb.private().exists());
}

#[test]
fn uncompressed_tar_restores() {
    let sb = keyed_sandbox();
    let tree_before = tree(&sb.private());
    let trust = sb.trust();
    ok(&mut sb.tool(
        "tar",
        &["-C", trust.to_str().unwrap(), "-cf", "keys.tar", "private"],
    ));
    wipe_private(&sb);
    let (code, out, err) = restore(&sb, "keys.tar", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Restored ").count(), 4, "{out}");
    assert_eq!(tree(&sb.private()), tree_before);
}

// ---------------------------------------------------------------------------------------------
// Hostile archives.

/// One entry of a hand-built tar: the name is written raw (no checks), so it can be hostile.
struct Raw<'a> {
    name: &'a str,
    kind: tar::EntryType,
    data: Vec<u8>,
    link: Option<&'a str>,
}

fn file<'a>(name: &'a str, data: Vec<u8>) -> Raw<'a> {
    Raw {
        name,
        kind: tar::EntryType::Regular,
        data,
        link: None,
    }
}

fn tar_bytes(entries: &[Raw]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_ustar();
        let name = e.name.as_bytes();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_entry_type(e.kind);
        h.set_mode(0o600);
        h.set_size(e.data.len() as u64);
        if let Some(l) = e.link {
            h.set_link_name_literal(l).unwrap();
        }
        h.set_cksum();
        b.append(&h, &e.data[..]).unwrap();
    }
    b.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn hostile_tarballs_are_refused_whole_and_change_nothing() {
    let sb = keyed_sandbox();
    let (carol_src, carol_id) = fixture_key("docker", "carol-");
    let carol = fs::read(carol_src).unwrap();
    let good_name = format!("private/{carol_id}.key");
    let id_b = "b".repeat(64);
    let cases: Vec<(&str, Raw)> = vec![
        (
            "restore-traversal",
            file("private/../../x.key", carol.clone()),
        ),
        (
            "restore-absolute",
            file("/abs/private/x.key", carol.clone()),
        ),
        (
            "restore-symlink",
            Raw {
                name: "private/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.key",
                kind: tar::EntryType::Symlink,
                data: vec![],
                link: Some("/etc/passwd"),
            },
        ),
        (
            "restore-hardlink",
            Raw {
                name: "private/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.key",
                kind: tar::EntryType::Link,
                data: vec![],
                link: Some("etc/passwd"),
            },
        ),
        (
            "restore-device",
            Raw {
                name: "private/null",
                kind: tar::EntryType::Char,
                data: vec![],
                link: None,
            },
        ),
        (
            "restore-oversized",
            file(
                "private/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.key",
                vec![b'A'; 2 * 1024 * 1024],
            ),
        ),
        (
            "restore-not-a-key",
            file(
                "private/ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff.key",
                b"not a key\n".to_vec(),
            ),
        ),
    ];
    // The unencrypted openssl key under a name that is not its ID.
    let wrong_id_name = format!("private/{id_b}.key");
    let mut cases = cases;
    cases.push((
        "restore-wrong-id",
        file(
            &wrong_id_name,
            fs::read(fixture("openssl/ec-pkcs8.pem")).unwrap(),
        ),
    ));
    for (name, hostile) in cases {
        // A good key first: it must not be written either.
        let tar = tar_bytes(&[file(&good_name, carol.clone()), hostile]);
        let path = format!("{name}.tar.gz");
        fs::write(sb.path().join(&path), gzip(&tar)).unwrap();
        refused(&sb, &path, &[], 2, name);
    }
    assert!(!sb.key_ids().contains(&carol_id));

    // A truncated .tar.gz.
    let tar = tar_bytes(&[file(&good_name, carol.clone())]);
    let gz = gzip(&tar);
    fs::write(sb.path().join("cut.tar.gz"), &gz[..gz.len() - 10]).unwrap();
    refused(&sb, "cut.tar.gz", &[], 2, "restore-truncated-gzip");

    // Not an archive at all.
    fs::write(sb.path().join("notes.txt"), "hello\n").unwrap();
    refused(&sb, "notes.txt", &[], 2, "restore-not-an-archive");

    // Hostile entries inside a properly sealed backup are refused the same way.
    let fast = dct::keys::backup::KdfParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    let tar = tar_bytes(&[
        file(&good_name, carol.clone()),
        Raw {
            name: "private/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.key",
            kind: tar::EntryType::Symlink,
            data: vec![],
            link: Some("/etc/shadow"),
        },
    ]);
    let sealed = dct::keys::backup::seal(&gzip(&tar), BACKUP_PASS.as_bytes(), fast);
    fs::write(sb.path().join("sealed-symlink.dct"), sealed).unwrap();
    refused(
        &sb,
        "sealed-symlink.dct",
        &[("DCT_BACKUP_PASSPHRASE", BACKUP_PASS)],
        2,
        "restore-sealed-symlink",
    );
}

#[test]
fn tampered_truncated_and_locked_sealed_backups_are_refused() {
    let sb = keyed_sandbox();
    backup(&sb, "keys.dct", &[]);
    let good = fs::read(sb.path().join("keys.dct")).unwrap();
    // Wipe a key so that a restore that wrongly went ahead would show.
    let (_, root_id) = fixture_key("notary", "root-");
    fs::remove_file(sb.private().join(format!("{root_id}.key"))).unwrap();
    let pass = [("DCT_BACKUP_PASSPHRASE", BACKUP_PASS)];

    let variant = |name: &str, edit: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        edit(&mut b);
        fs::write(sb.path().join(name), b).unwrap();
    };
    // Header: magic 0..10, version 10, KDF 11..25, salt 25..41, cipher 41, nonce 42..66,
    // payload 66, check 67..99, then ciphertext and tag.
    variant("ciphertext.dct", &|b| {
        let i = b.len() - 30;
        b[i] ^= 0x01
    });
    refused(
        &sb,
        "ciphertext.dct",
        &pass,
        2,
        "restore-flipped-ciphertext",
    );
    variant("tag.dct", &|b| {
        let i = b.len() - 1;
        b[i] ^= 0x80
    });
    refused(&sb, "tag.dct", &pass, 2, "restore-flipped-ciphertext");
    variant("nonce.dct", &|b| b[50] ^= 0x01);
    refused(&sb, "nonce.dct", &pass, 2, "restore-flipped-ciphertext");
    variant("payload-id.dct", &|b| b[66] ^= 0x01);
    refused(
        &sb,
        "payload-id.dct",
        &pass,
        2,
        "restore-flipped-payload-id",
    );
    variant("version.dct", &|b| b[10] = 9);
    refused(&sb, "version.dct", &pass, 2, "restore-flipped-version");
    variant("magic.dct", &|b| b[0] ^= 0x01);
    refused(&sb, "magic.dct", &pass, 2, "restore-flipped-magic");
    variant("memory.dct", &|b| b[12] = 0xff);
    refused(&sb, "memory.dct", &pass, 2, "restore-hostile-kdf");
    // A flipped salt or iteration count derives another key: indistinguishable from a wrong
    // passphrase, so exit 7 with a message that says both.
    variant("salt.dct", &|b| b[30] ^= 0x01);
    refused(&sb, "salt.dct", &pass, 7, "restore-wrong-passphrase");
    variant("check.dct", &|b| b[80] ^= 0x01);
    refused(&sb, "check.dct", &pass, 7, "restore-wrong-passphrase");

    variant("cut.dct", &|b| b.truncate(b.len() - 100));
    refused(&sb, "cut.dct", &pass, 2, "restore-flipped-ciphertext");
    variant("cut-header.dct", &|b| b.truncate(60));
    refused(&sb, "cut-header.dct", &pass, 2, "restore-truncated-header");

    fs::write(sb.path().join("ok.dct"), &good).unwrap();
    refused(
        &sb,
        "ok.dct",
        &[("DCT_BACKUP_PASSPHRASE", "not the passphrase")],
        7,
        "restore-wrong-passphrase",
    );
    refused(&sb, "ok.dct", &[], 7, "restore-no-passphrase");

    // And the untouched file still restores.
    let (code, out, err) = restore(&sb, "ok.dct", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("Restored ").count(), 1, "{out}");
    assert_eq!(out.matches("Skipped ").count(), 3, "{out}");
}

/// The round trip against the real notary-server: sign, back up, wipe `private/`,
/// restore, sign again.
#[test]
fn sign_backup_wipe_restore_sign_again() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "backup/roundtrip");
    let digest = format!("sha256:{HEX_A}");
    let v1 = format!("{gun}:v1");
    ok(&mut c.dct(&["sign", "--digest", &digest, "--size", "5", &v1]));
    let list_before = key_list(&c.sb);
    ok(c.sb
        .dct(&["key", "backup", "trust-keys.dct"])
        .env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS));
    fs::remove_dir_all(c.sb.private()).unwrap();

    // After the restore, signing works again with the same keys.
    let v2 = format!("{gun}:v2");
    let out = ok(c
        .sb
        .dct(&["key", "restore", "trust-keys.dct"])
        .env("DCT_BACKUP_PASSPHRASE", BACKUP_PASS));
    assert!(out.contains("Restored root key "), "{out}");
    assert!(out.contains("Restored targets key "), "{out}");
    assert_eq!(key_list(&c.sb), list_before);
    let out = ok(&mut c.dct(&["sign", "--digest", &digest, "--size", "5", &v2]));
    assert_eq!(out, format!("Successfully signed {v2}\n"));
    let (code, out, err) = dct_lookup(srv, &v2);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("{gun}@{digest}\n"));
}

#[test]
fn backup_passphrase_prompts_confirm_and_retry() {
    let sb = keyed_sandbox();
    let (code, out) = sb.pty(
        &["key", "backup", "keys.dct"],
        &[
            ("Enter passphrase for new backup keys.dct: ", "short"),
            ("Passphrase is too short.", ""),
            ("Enter passphrase for new backup keys.dct: ", BACKUP_PASS),
            ("Repeat passphrase for new backup keys.dct: ", "different!"),
            ("Passphrases do not match. Please retry.", ""),
            ("Enter passphrase for new backup keys.dct: ", BACKUP_PASS),
            ("Repeat passphrase for new backup keys.dct: ", BACKUP_PASS),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains(BACKUP_PASS),
        "passphrases must not echo:\n{out}"
    );
    wipe_private(&sb);
    let (code, out) = sb.pty(
        &["key", "restore", "keys.dct"],
        &[
            ("Enter passphrase for backup keys.dct: ", "wrong passphrase"),
            ("Passphrase incorrect. Please retry.", ""),
            ("Enter passphrase for backup keys.dct: ", BACKUP_PASS),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("Restored ").count(), 4, "{out}");
    assert_eq!(sb.key_ids().len(), 3);
}
