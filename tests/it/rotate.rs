//! Key rotation and deletion against the real notary-server: after rotating root, targets,
//! snapshot and timestamp keys, the real notary CLI and dct — with a cache from before the
//! rotation and with a fresh one — still verify every tag, and new signatures work.

use std::process::Command;

use crate::support::{Sandbox, config_dir, ok, run, servers, unique};

const PASS: [(&str, &str); 2] = [
    ("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase"),
    (
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        "repopassphrase",
    ),
];

fn dct(sb: &Sandbox, args: &[&str]) -> Command {
    let mut all = vec!["-s", servers().url()];
    all.extend(args);
    let mut c = sb.dct(&all);
    c.envs(PASS);
    c
}

fn digest(c: char) -> String {
    format!("sha256:{}", c.to_string().repeat(64))
}

/// `notary lookup` with the trust dir of `sb`: the hex digest it prints.
fn notary_lookup(sb: &Sandbox, gun: &str, tag: &str) -> String {
    let out = ok(&mut sb.notary(servers(), &["lookup", gun, tag]));
    out.split_whitespace().nth(1).unwrap().to_string()
}

#[test]
fn every_base_role_rotates_and_old_and_new_caches_follow() {
    let srv = servers();
    let owner = config_dir(srv);
    let gun = unique(srv, "rotate/app");
    let sign = |tag: &str, d: char| {
        ok(&mut dct(
            &owner,
            &[
                "sign",
                &format!("{gun}:{tag}"),
                "--digest",
                &digest(d),
                "--size",
                "7",
            ],
        ))
    };
    sign("v1", 'a');
    // Readers that trusted the collection before any rotation.
    let old_notary = Sandbox::new();
    assert_eq!(notary_lookup(&old_notary, &gun, "v1"), digest('a'));
    let old_dct = config_dir(srv);
    ok(&mut dct(&old_dct, &["lookup", &format!("{gun}:v1")]));
    let root_before: serde_json::Value =
        serde_json::from_str(&ok(&mut dct(&owner, &["inspect", &gun]))).unwrap();

    let steps: [(&str, &[&str]); 5] = [
        ("root", &["-y"]),
        ("targets", &[]),
        ("snapshot", &[]),
        ("snapshot", &["--server-managed"]),
        ("timestamp", &[]),
    ];
    for (i, (role, extra)) in steps.iter().enumerate() {
        let mut args = vec!["key", "rotate", gun.as_str(), role];
        args.extend(*extra);
        let out = ok(&mut dct(&owner, &args));
        assert_eq!(
            out,
            format!("Successfully rotated {role} key for repository {gun}\n")
        );
        // Old tags stay valid for old and fresh caches, with notary and with dct.
        let fresh = Sandbox::new();
        assert_eq!(notary_lookup(&old_notary, &gun, "v1"), digest('a'));
        assert_eq!(notary_lookup(&fresh, &gun, "v1"), digest('a'));
        for reader in [&old_dct, &config_dir(srv)] {
            let out = ok(&mut dct(reader, &["lookup", &format!("{gun}:v1")]));
            assert_eq!(out, format!("{gun}@{}\n", digest('a')));
        }
        // New signatures verify (signed with the rotated keys).
        let tag = format!("after-{i}");
        sign(&tag, 'b');
        assert_eq!(notary_lookup(&old_notary, &gun, &tag), digest('b'));
    }
    // The root rotation kept the old root key file and added a new one; the old targets key
    // is gone from the key store, as notary does.
    let keys: serde_json::Value =
        serde_json::from_str(&ok(&mut owner.dct(&["key", "list", "--json"]))).unwrap();
    let roles: Vec<&str> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles.iter().filter(|r| **r == "root").count(), 2);
    assert_eq!(roles.iter().filter(|r| **r == "targets").count(), 1);
    let root_after: serde_json::Value =
        serde_json::from_str(&ok(&mut dct(&owner, &["inspect", &gun]))).unwrap();
    assert_ne!(
        root_before[0]["AdministrativeKeys"][0],
        root_after[0]["AdministrativeKeys"][0]
    );
}

#[test]
fn rotation_errors_and_delete() {
    let srv = servers();
    let owner = config_dir(srv);
    let gun = unique(srv, "rotate/delete");
    ok(&mut dct(
        &owner,
        &[
            "sign",
            &format!("{gun}:v1"),
            "--digest",
            &digest('c'),
            "--size",
            "7",
        ],
    ));
    for (args, code, text) in [
        (
            vec!["targets", "--server-managed"],
            2,
            "server managing the targets key",
        ),
        (vec!["targets/releases"], 2, "not a base role"),
        (vec!["root"], 2, "pass -y to confirm"),
    ] {
        let mut all = vec!["key", "rotate", gun.as_str()];
        all.extend(args);
        let (c, _, err) = run(&mut dct(&owner, &all));
        assert_eq!(c, code, "{err}");
        assert!(err.contains(text), "{err}");
    }
    let unknown = unique(srv, "rotate/never");
    let (c, _, _) = run(&mut dct(&owner, &["key", "rotate", &unknown, "targets"]));
    assert_eq!(c, 3);

    // A reader that trusted the collection before it is deleted and re-created.
    let old_reader = config_dir(srv);
    ok(&mut dct(&old_reader, &["lookup", &format!("{gun}:v1")]));
    // Local delete: the cache and staged changes go, keys stay, the server still has the data.
    let keys_before = owner.key_ids();
    ok(&mut dct(
        &owner,
        &[
            "sign",
            "--local",
            &format!("{gun}:v2"),
            "--digest",
            &digest('d'),
            "--size",
            "1",
        ],
    ));
    let out = ok(&mut dct(&owner, &["delete", &gun]));
    assert_eq!(
        out,
        format!("Successfully deleted local trust data for repository {gun}\n")
    );
    assert!(!owner.trust().join("tuf").join(&gun).exists());
    assert_eq!(owner.key_ids(), keys_before);
    ok(&mut dct(&owner, &["lookup", &format!("{gun}:v1")]));
    // Remote delete: the collection is gone for everyone (exit 3), the way out of a lost root key.
    let out = ok(&mut dct(&owner, &["delete", &gun, "--remote"]));
    assert_eq!(
        out,
        format!("Successfully deleted local and remote trust data for repository {gun}\n")
    );
    let fresh = config_dir(srv);
    let (c, _, err) = run(&mut dct(&fresh, &["lookup", &format!("{gun}:v1")]));
    assert_eq!(c, 3, "{err}");
    // And it can be signed again from scratch (a new root: TOFU for new readers).
    ok(&mut dct(
        &owner,
        &[
            "sign",
            &format!("{gun}:v3"),
            "--digest",
            &digest('e'),
            "--size",
            "1",
        ],
    ));
    ok(&mut dct(&fresh, &["lookup", &format!("{gun}:v3")]));
    // The old reader refuses the new root (it is not signed by the root it trusts) until it
    // deletes its local copy, as the README's "lost your root key?" says.
    let (c, _, err) = run(&mut dct(&old_reader, &["lookup", &format!("{gun}:v3")]));
    assert_eq!(c, 4, "{err}");
    assert!(err.contains("trust data mismatch"), "{err}");
    ok(&mut dct(&old_reader, &["delete", &gun]));
    ok(&mut dct(&old_reader, &["lookup", &format!("{gun}:v3")]));
}
