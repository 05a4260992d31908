//! Issue 10 against the real harness: several `dct sign` processes on one trust dir (a CI build
//! matrix) on a new and on an existing repository, two trust dirs racing on one repository,
//! signing against an unreachable or wrong trust server (staged first, or nothing left behind),
//! `dct sign NAME:TAG@DIGEST`, and several pulls at once into one OCI layout.

use std::collections::BTreeSet;
use std::fs;
use std::process::{Child, Stdio};

use crate::support::signing::{Client, dct_lookup};
use crate::support::{dead_url, push, run, servers, unique};

const N: usize = 8;

fn digest(i: usize) -> String {
    format!("sha256:{:064x}", 0xd1_0000 + i)
}

/// Starts `dct sign IMAGE:TAG --digest D --size S` for every (tag, digest) at once.
fn sign_all(c: &Client, gun: &str, tags: &[(String, String)]) -> Vec<Child> {
    tags.iter()
        .map(|(tag, d)| {
            c.dct(&[
                "sign",
                &format!("{gun}:{tag}"),
                "--digest",
                d,
                "--size",
                "1234",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect()
}

/// Waits for every child: all must exit 0.
fn all_succeed(children: Vec<Child>) {
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "exit {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Every tag resolves to its digest from a fresh trust dir.
fn all_resolve(gun: &str, tags: &[(String, String)]) {
    for (tag, d) in tags {
        let (code, out, err) = dct_lookup(servers(), &format!("{gun}:{tag}"));
        assert_eq!((code, out), (0, format!("{gun}@{d}\n")), "{tag}: {err}");
    }
}

/// The roles of the keys in the trust dir, with their GUN.
fn key_roles(c: &Client) -> Vec<(String, String)> {
    let out = crate::support::ok(&mut c.sb.dct(&["key", "list", "--json"]));
    let keys: serde_json::Value = serde_json::from_str(&out).unwrap();
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["role"].as_str().unwrap().to_string(),
                k["gun"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn concurrent_signs_of_a_new_repository_all_succeed_with_one_key_each() {
    let srv = servers();
    for round in 0..3 {
        let c = Client::new(srv);
        let gun = unique(srv, "conc/new");
        let tags: Vec<(String, String)> = (0..N)
            .map(|i| (format!("t{i}"), digest(round * 100 + i)))
            .collect();
        all_succeed(sign_all(&c, &gun, &tags));
        let roles = key_roles(&c);
        assert_eq!(
            roles,
            vec![
                ("root".to_string(), String::new()),
                ("targets".to_string(), gun.clone())
            ],
            "round {round}"
        );
        all_resolve(&gun, &tags);
        // Nothing left staged, no debris in the trust dir.
        assert_eq!(
            c.status(&gun),
            format!("No unpublished changes for {gun}\n")
        );
    }
}

#[test]
fn concurrent_signs_of_an_existing_repository_all_succeed() {
    let srv = servers();
    for round in 0..3 {
        let c = Client::new(srv);
        let gun = unique(srv, "conc/existing");
        crate::support::ok(&mut c.dct(&["init", &gun]));
        let tags: Vec<(String, String)> = (0..N)
            .map(|i| (format!("t{i}"), digest(1000 + round * 100 + i)))
            .collect();
        all_succeed(sign_all(&c, &gun, &tags));
        assert_eq!(key_roles(&c).len(), 2);
        all_resolve(&gun, &tags);
        assert_eq!(
            c.status(&gun),
            format!("No unpublished changes for {gun}\n")
        );
    }
}

#[test]
fn two_trust_dirs_racing_on_one_repository_keep_both_changes() {
    let srv = servers();
    let a = Client::new(srv);
    let gun = unique(srv, "conc/machines");
    crate::support::ok(&mut a.dct(&["init", &gun]));
    // A second machine with the same keys (a restored backup).
    let b = Client::new(srv);
    copy_dir(&a.sb.private(), &b.sb.private());
    let tags_a: Vec<(String, String)> = (0..4)
        .map(|i| (format!("a{i}"), digest(2000 + i)))
        .collect();
    let tags_b: Vec<(String, String)> = (0..4)
        .map(|i| (format!("b{i}"), digest(2100 + i)))
        .collect();
    let mut children = sign_all(&a, &gun, &tags_a);
    children.extend(sign_all(&b, &gun, &tags_b));
    all_succeed(children);
    all_resolve(&gun, &tags_a);
    all_resolve(&gun, &tags_b);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn signing_a_known_repository_stages_first_and_survives_an_unreachable_server() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "conc/stage-first");
    crate::support::ok(&mut c.dct(&["init", &gun]));
    let d = digest(3000);
    let dead = dead_url();
    let (code, out, err) = run(&mut c.dct_at(
        &dead,
        &["sign", &format!("{gun}:v1"), "--digest", &d, "--size", "7"],
    ));
    assert_eq!((code, out.as_str()), (6, ""), "{err}");
    assert!(
        err.contains(&format!(
            "1 change is staged for {gun}: run `dct publish {gun}`"
        )),
        "{err}"
    );
    assert_eq!(
        c.status(&gun)
            .lines()
            .filter(|l| l.contains("targets"))
            .count(),
        1
    );
    // The server is back: the staged signature is published.
    let (code, out, err) = run(&mut c.dct(&["publish", &gun]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("Successfully published 1 change for repository {gun}\n")
    );
    all_resolve(&gun, &[("v1".to_string(), d)]);
}

#[test]
fn a_wrong_trust_server_creates_no_key_and_stages_nothing() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "conc/wrong-server");
    // The registry itself is no notary server (the default when -s is forgotten).
    c.sb.add_ca(srv, srv.registry_host());
    let registry = format!("https://{}", srv.registry_host());
    for (server, default) in [(None, true), (Some(registry.as_str()), false)] {
        let d = digest(4000);
        let args = ["sign", &format!("{gun}:v1"), "--digest", &d, "--size", "7"];
        let mut cmd = match server {
            Some(s) => c.dct_at(s, &args),
            None => {
                let mut cmd = c.sb.dct(&args);
                cmd.env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase")
                    .env(
                        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
                        "repopassphrase",
                    );
                cmd
            }
        };
        let before = c.sb.snapshot();
        let (code, out, err) = run(&mut cmd);
        assert_eq!(out, "", "{err}");
        assert!(code == 6 || code == 5, "exit {code}: {err}");
        assert!(
            err.contains(&format!("Nothing was created or staged for {gun}")) || code == 5,
            "{err}"
        );
        if code == 6 {
            assert!(err.contains("timestamp.key"), "{err}");
            assert_eq!(
                err.contains("set --server or DOCKER_CONTENT_TRUST_SERVER"),
                default,
                "{err}"
            );
        }
        assert!(c.sb.key_ids().is_empty(), "{:?}", c.sb.key_ids());
        let after = c.sb.snapshot();
        let new: BTreeSet<_> = after
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| !before.iter().any(|(q, _)| q == p))
            .filter(|p| p.to_string_lossy().contains("changelist"))
            .collect();
        assert!(new.is_empty(), "staged: {new:?}");
    }
}

#[test]
fn signing_a_tag_pinned_to_a_digest() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "conc/pinned");
    let (d1, s1, _) = push(srv, &[], &gun, "v1");
    // The tag moves on the registry after the push; the signature is for the pinned digest.
    let (d2, _, _) = push(srv, &["--text", "two"], &gun, "v1");
    assert_ne!(d1, d2);
    let (code, out, err) = run(&mut c.dct(&["sign", &format!("{gun}:v1@{d1}")]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully signed {gun}:v1\n"));
    let (code, out, _) = run(&mut c.dct(&["lookup", "--json", &format!("{gun}:v1")]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["digest"].as_str(), v["size"].as_u64()),
        (Some(d1.as_str()), Some(s1))
    );
    // A --digest that disagrees with the pinned one is a usage error, nothing staged.
    let before = c.sb.snapshot();
    let (code, _, err) = run(&mut c.dct(&[
        "sign",
        &format!("{gun}:v2@{d1}"),
        "--digest",
        &d2,
        "--size",
        "10",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not match"), "{err}");
    assert_eq!(c.sb.snapshot(), before);
    // A digest the registry does not have: exit 2 (no such manifest), nothing staged.
    let (code, _, err) = run(&mut c.dct(&["sign", &format!("{gun}:v3@{}", digest(5000))]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(c.sb.snapshot(), before);
}

/// `dct pull --output oci:DIR` of `n` tags at once into one layout (a CI matrix collecting its
/// images): every pull succeeds and `index.json` names every image, for a new layout (the
/// pulls race to create it) and for an existing one (they race to add their entries).
#[test]
fn concurrent_pulls_into_one_layout_keep_every_image() {
    let srv = servers();
    let c = Client::new(srv);
    c.sb.add_ca(srv, srv.registry_host());
    let gun = unique(srv, "conc/layout");
    let n = 6;
    let mut want = BTreeSet::new();
    for i in 0..n {
        let tag = format!("t{i}");
        let (d, _, _) = push(srv, &["--text", &format!("image {i}")], &gun, &tag);
        want.insert((tag, d));
    }
    // Each tag signed with the digest the registry has for it.
    for (tag, _) in &want {
        crate::support::ok(&mut c.dct(&["sign", &format!("{gun}:{tag}")]));
    }
    for existing in [false, true] {
        let dir = c.sb.path().join(format!("layout-{existing}"));
        let out = format!("oci:{}", dir.display());
        if existing {
            // An existing layout holding one other image first.
            crate::support::ok(&mut c.dct(&["pull", &format!("{gun}:t0"), "--output", &out]));
        }
        let children: Vec<Child> = want
            .iter()
            .map(|(tag, _)| {
                c.dct(&["pull", "-q", &format!("{gun}:{tag}"), "--output", &out])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        all_succeed(children);
        let index: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.join("index.json")).unwrap()).unwrap();
        let got: BTreeSet<(String, String)> = index["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["annotations"]["org.opencontainers.image.ref.name"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    m["digest"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, want, "existing layout: {existing}");
        // Every blob an entry needs is there, and no staging directory is left.
        for (_, d) in &want {
            let hex = d.strip_prefix("sha256:").unwrap();
            assert!(dir.join("blobs/sha256").join(hex).is_file(), "{d}");
        }
        let parent_debris: Vec<_> = fs::read_dir(c.sb.path())
            .unwrap()
            .chain(fs::read_dir(&dir).unwrap())
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".dct-"))
            .map(|e| e.path())
            .collect();
        assert!(parent_debris.is_empty(), "{parent_debris:?}");
    }
}
