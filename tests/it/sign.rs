//! `dct sign`, `init`, `publish`, `status`, `revoke` and `signer add|remove` against the real
//! notary-server and registry of the harness, checked with the real notary CLI and
//! `docker trust inspect` from fresh trust dirs; mixed histories with notary and docker on one
//! trust dir; passphrases from the environment only; bad input.

use std::time::Duration;

use crate::support::signing::{
    Client, REPO_PASS, ROOT_PASS, dct_lookup, docker_inspect, notary_list, notary_lookup, posts,
    run_within, signed_tags, signers,
};
use crate::support::{ok, push, run, servers, unique};

const HEX_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HEX_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const HEX_C: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

fn hex(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap()
}

#[test]
fn sign_real_images_by_the_registrys_digest_in_one_publish() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "sign/real");
    let (d1, s1, _) = push(srv, &[], &gun, "v1");
    let (d2, s2, _) = push(srv, &["--oci", "--text", "two"], &gun, "v2");
    let (dm, sm, mt) = push(srv, &["--index"], &gun, "multi");
    assert_eq!(
        mt,
        "application/vnd.docker.distribution.manifest.list.v2+json"
    );

    let images: Vec<String> = ["v1", "v2", "multi"]
        .iter()
        .map(|t| format!("{gun}:{t}"))
        .collect();
    let mut args = vec!["-v", "sign"];
    args.extend(images.iter().map(String::as_str));
    let (code, out, err) = run(&mut c.dct(&args));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "Successfully signed {gun}:v1\nSuccessfully signed {gun}:v2\nSuccessfully signed {gun}:multi\n"
        )
    );
    // Three tags of a new repository: initialised and signed in one publish.
    assert_eq!(posts(&err), 1, "{err}");
    for i in &images {
        assert!(
            err.contains(&format!("Signing and pushing trust metadata for {i}\n")),
            "{err}"
        );
    }
    assert!(
        err.contains(&format!("Finished initializing \"{gun}\"")),
        "{err}"
    );

    // The real notary CLI and dct, from fresh trust dirs, see the registry's digests; the
    // multi-platform image is signed by its manifest list digest.
    for (tag, d, s) in [("v1", &d1, s1), ("v2", &d2, s2), ("multi", &dm, sm)] {
        assert_eq!(
            notary_lookup(srv, &gun, tag),
            Some((hex(d).to_string(), s)),
            "{tag}"
        );
        let (code, out, err) = dct_lookup(srv, &format!("{gun}:{tag}"));
        assert_eq!((code, out), (0, format!("{gun}@{d}\n")), "{err}");
    }
    // docker: every tag signed by the repository admin (targets), no signers.
    let inspect = docker_inspect(srv, &gun);
    let admin = vec!["Repo Admin".to_string()];
    assert_eq!(
        signed_tags(&inspect),
        vec![
            ("multi".into(), hex(&dm).into(), admin.clone()),
            ("v1".into(), hex(&d1).into(), admin.clone()),
            ("v2".into(), hex(&d2).into(), admin.clone()),
        ]
    );
    assert!(signers(&inspect).is_empty());
    assert_eq!(
        inspect["AdministrativeKeys"][1]["Keys"][0]["ID"],
        c.key_id("targets")
    );

    // Re-signing after a new push: Docker's notice, the new digest, still one POST.
    let (d1b, _, _) = push(srv, &["--text", "v1 again"], &gun, "v1");
    let (code, _, err) = run(&mut c.dct(&["-v", "sign", &images[0]]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "Existing signatures for tag v1 digest {} from:\nRepo Admin\n",
            hex(&d1)
        )),
        "{err}"
    );
    assert_eq!(posts(&err), 1, "{err}");
    assert_eq!(notary_lookup(srv, &gun, "v1").unwrap().0, hex(&d1b));
}

#[test]
fn signers_from_dct_and_docker_keys_sign_into_releases_and_are_removed() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "sign/signers");
    let dir = c.sb.path().to_str().unwrap().to_string();
    ok(&mut c.dct(&["key", "generate", "alice", "--dir", &dir]));
    ok(&mut c.docker(&["trust", "key", "generate", "bob", "--dir", &dir]));
    let (alice, bob) = (c.key_id("alice"), c.key_id("bob"));

    for name in ["alice", "bob"] {
        let key = format!("{dir}/{name}.pub");
        let (code, out, err) = run(&mut c.dct(&["signer", "add", name, &gun, "--key", &key]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out,
            format!("Successfully added signer: {name} to {gun}\n\n")
        );
        assert!(
            err.contains(&format!("Adding signer \"{name}\" to {gun}...")),
            "{err}"
        );
    }
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(
        signers(&inspect),
        vec![
            ("bob".to_string(), vec![bob.clone()]),
            ("alice".to_string(), vec![alice.clone()]),
        ]
    );
    assert!(signed_tags(&inspect).is_empty());

    // Signing now goes into targets/releases and into each signer's role.
    let (d, s, _) = push(srv, &[], &gun, "v1");
    ok(&mut c.dct(&["sign", &format!("{gun}:v1")]));
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(
        signed_tags(&inspect),
        vec![(
            "v1".to_string(),
            hex(&d).to_string(),
            vec!["alice".to_string(), "bob".to_string()]
        )]
    );
    for role in ["targets/releases", "targets/alice", "targets/bob"] {
        assert_eq!(
            notary_list(srv, &gun, Some(role)),
            vec![("v1".to_string(), hex(&d).to_string())],
            "{role}"
        );
    }
    assert_eq!(
        notary_lookup(srv, &gun, "v1"),
        Some((hex(&d).to_string(), s))
    );
    let (code, out, _) = dct_lookup(srv, &format!("{gun}:v1"));
    assert_eq!((code, out), (0, format!("{gun}@{d}\n")));

    // bob is not the last signer of the releases: removed without -f.
    let (code, out, err) = run(&mut c.dct(&["signer", "remove", "bob", &gun]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully removed bob from {gun}\n\n"));
    let inspect = docker_inspect(srv, &gun);
    assert_eq!(signers(&inspect), vec![("alice".to_string(), vec![alice])]);
    assert_eq!(signed_tags(&inspect)[0].2, vec!["alice".to_string()]);

    // alice is: without -f and without a terminal, a usage error and nothing changes.
    let cl = c.sb.trust().join("tuf").join(&gun).join("changelist");
    let (code, out, err) = run(&mut c.dct(&["signer", "remove", "alice", &gun]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("no terminal to ask on: pass -f to confirm"),
        "{err}"
    );
    assert_eq!(docker_inspect(srv, &gun), inspect);
    assert!(std::fs::read_dir(&cl).map_or(true, |mut d| d.next().is_none()));

    // With -f it goes (and the releases, signed by nobody left, are no longer trusted).
    let (code, _, err) = run(&mut c.dct(&["signer", "remove", "-f", "alice", &gun]));
    assert_eq!(code, 0, "{err}");
    let inspect = docker_inspect(srv, &gun);
    assert!(signers(&inspect).is_empty());
    let (code, _, _) = dct_lookup(srv, &format!("{gun}:v1"));
    assert_ne!(code, 0);

    // An unknown signer and the reserved name.
    let (code, _, err) = run(&mut c.dct(&["signer", "remove", "carol", &gun]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("no signer carol for repository {gun}")),
        "{err}"
    );
    let key = format!("{dir}/alice.pub");
    let (code, _, err) = run(&mut c.dct(&["signer", "add", "releases", &gun, "--key", &key]));
    assert_eq!(code, 2);
    assert!(
        err.contains("releases is a reserved keyword, use a different signer name"),
        "{err}"
    );
    let (code, _, err) = run(&mut c.dct(&["signer", "remove", "releases", &gun]));
    assert_eq!(code, 2);
    assert!(
        err.contains("releases is a reserved keyword and cannot be removed"),
        "{err}"
    );
}

#[test]
fn mixed_histories_with_notary_and_docker_on_one_trust_dir() {
    let srv = servers();
    let c = Client::new(srv);

    // notary adds a tag to a dct-initialised repository.
    let dct_repo = unique(srv, "mixed/dct-first");
    let (code, out, err) = run(&mut c.dct(&["init", &dct_repo]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully initialized \"{dct_repo}\"\n"));
    ok(&mut c.notary(&["addhash", "-p", &dct_repo, "n1", "10", "--sha256", HEX_A]));
    ok(&mut c.dct(&[
        "sign",
        "--digest",
        &format!("sha256:{HEX_B}"),
        "--size",
        "20",
        &format!("{dct_repo}:d1"),
    ]));

    // dct adds a tag to a notary-initialised repository (notary keeps the snapshot key local:
    // dct must re-sign the snapshot), then notary adds another.
    let notary_repo = unique(srv, "mixed/notary-first");
    ok(&mut c.notary(&["init", "-p", &notary_repo]));
    ok(&mut c.notary(&["addhash", "-p", &notary_repo, "n1", "10", "--sha256", HEX_A]));
    ok(&mut c.dct(&[
        "sign",
        "--digest",
        &format!("sha256:{HEX_B}"),
        "--size",
        "20",
        &format!("{notary_repo}:d1"),
    ]));
    ok(&mut c.notary(&["addhash", "-p", &notary_repo, "n2", "30", "--sha256", HEX_C]));

    // Both clients verify both repositories with fresh caches.
    for gun in [&dct_repo, &notary_repo] {
        assert_eq!(
            notary_lookup(srv, gun, "n1"),
            Some((HEX_A.into(), 10)),
            "{gun}"
        );
        assert_eq!(
            notary_lookup(srv, gun, "d1"),
            Some((HEX_B.into(), 20)),
            "{gun}"
        );
        for (tag, h) in [("n1", HEX_A), ("d1", HEX_B)] {
            let (code, out, err) = dct_lookup(srv, &format!("{gun}:{tag}"));
            assert_eq!((code, out), (0, format!("{gun}@sha256:{h}\n")), "{err}");
        }
    }
    assert_eq!(
        notary_lookup(srv, &notary_repo, "n2"),
        Some((HEX_C.into(), 30))
    );
    let (code, out, _) = dct_lookup(srv, &format!("{notary_repo}:n2"));
    assert_eq!((code, out), (0, format!("{notary_repo}@sha256:{HEX_C}\n")));

    // docker trust signer add on dct's repository, then dct signs into releases and the signer.
    let dir = c.sb.path().to_str().unwrap().to_string();
    ok(&mut c.dct(&["key", "generate", "dana", "--dir", &dir]));
    ok(&mut c.docker(&[
        "trust",
        "signer",
        "add",
        "--key",
        &format!("{dir}/dana.pub"),
        "dana",
        &dct_repo,
    ]));
    let (d, _, _) = push(srv, &[], &dct_repo, "v1");
    ok(&mut c.dct(&["sign", &format!("{dct_repo}:v1")]));
    let inspect = docker_inspect(srv, &dct_repo);
    let rows = signed_tags(&inspect);
    assert!(
        rows.contains(&("v1".into(), hex(&d).into(), vec!["dana".into()])),
        "{rows:?}"
    );
    assert_eq!(
        signers(&inspect),
        vec![("dana".to_string(), vec![c.key_id("dana")])]
    );
    let (code, out, _) = dct_lookup(srv, &format!("{dct_repo}:v1"));
    assert_eq!((code, out), (0, format!("{dct_repo}@{d}\n")));
    assert_eq!(notary_lookup(srv, &dct_repo, "v1").unwrap().0, hex(&d));
}

#[test]
fn local_stage_status_publish_and_revoke() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "sign/local");
    let (d1, s1, _) = push(srv, &[], &gun, "v1");
    let (d2, _, _) = push(srv, &["--text", "two"], &gun, "v2");
    ok(&mut c.dct(&["init", &gun]));

    let (code, out, err) = run(&mut c.dct(&[
        "sign",
        "--local",
        &format!("{gun}:v1"),
        &format!("{gun}:v2"),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "Staged signature for {gun}:v1; publish it with `dct publish {gun}`\n\
             Staged signature for {gun}:v2; publish it with `dct publish {gun}`\n"
        )
    );
    // Nothing published yet.
    assert_eq!(notary_lookup(srv, &gun, "v1"), None);
    // Staging the same signature again (a retried sign) does not stage it twice.
    ok(&mut c.dct(&["sign", "--local", &format!("{gun}:v2")]));
    // dct status prints notary status's table, and notary lists dct's staged changes.
    let status = c.status(&gun);
    assert_eq!(status, ok(&mut c.notary(&["status", &gun])));
    assert_eq!(
        status,
        format!(
            "Unpublished changes for {gun}:\n\n\
             #    ACTION    SCOPE      TYPE      PATH\n\
             -    ------    -----      ----      ----\n\
             0    create    targets    target    v1\n\
             1    create    targets    target    v2\n"
        )
    );
    // A change staged by notary shows in dct status as in notary's.
    ok(&mut c.notary(&["addhash", &gun, "n1", "10", "--sha256", HEX_A]));
    let status = c.status(&gun);
    assert_eq!(status, ok(&mut c.notary(&["status", &gun])));
    assert!(
        status.ends_with("2    create    targets    target    n1\n"),
        "{status}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut c.dct(&["--json", "status", &gun]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[2]["path"], "n1");

    let (code, out, err) = run(&mut c.dct(&["-v", "publish", &gun]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("Successfully published 3 changes for repository {gun}\n")
    );
    assert_eq!(posts(&err), 1);
    assert_eq!(
        c.status(&gun),
        format!("No unpublished changes for {gun}\n")
    );
    assert_eq!(ok(&mut c.notary(&["status", &gun])), c.status(&gun));
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some((hex(&d1).into(), s1)));
    assert_eq!(notary_lookup(srv, &gun, "n1"), Some((HEX_A.into(), 10)));
    let (code, out, _) = dct_lookup(srv, &format!("{gun}:v2"));
    assert_eq!((code, out), (0, format!("{gun}@{d2}\n")));
    let (code, out, _) = run(&mut c.dct(&["publish", &gun]));
    assert_eq!(
        (code, out),
        (0, format!("No unpublished changes for {gun}\n"))
    );

    // Revoke one tag: gone for every client.
    let (code, out, err) = run(&mut c.dct(&["revoke", &format!("{gun}:v1")]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("Successfully deleted signature for {gun}:v1\n")
    );
    assert_eq!(notary_lookup(srv, &gun, "v1"), None);
    let (code, _, err) = dct_lookup(srv, &format!("{gun}:v1"));
    assert_eq!(code, 3);
    assert!(
        err.starts_with("dct: No valid trust data for v1\n"),
        "{err}"
    );
    // An unsigned tag: Docker's message, exit 3.
    let (code, _, err) = run(&mut c.dct(&["revoke", &format!("{gun}:v1")]));
    assert_eq!(code, 3);
    assert_eq!(
        err,
        format!("dct: could not remove signature for {gun}:v1: No valid trust data for v1\n")
    );
    // Every tag: needs -y without a terminal...
    let (code, _, err) = run(&mut c.dct(&["revoke", &gun]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pass -y to confirm"), "{err}");
    assert_eq!(signed_tags(&docker_inspect(srv, &gun)).len(), 2);
    // ...then every signature goes.
    let (code, out, err) = run(&mut c.dct(&["revoke", "-y", &gun]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully deleted signature for {gun}\n"));
    assert!(signed_tags(&docker_inspect(srv, &gun)).is_empty());
    for tag in ["v2", "n1"] {
        assert_eq!(notary_lookup(srv, &gun, tag), None);
        assert_eq!(dct_lookup(srv, &format!("{gun}:{tag}")).0, 3);
    }
    let (code, _, err) = run(&mut c.dct(&["revoke", "-y", &gun]));
    assert_eq!(code, 3);
    assert_eq!(
        err,
        format!("dct: could not remove signature for {gun}: no signed tags to remove\n")
    );
}

#[test]
fn passphrases_come_from_the_environment_only_and_never_hang() {
    let srv = servers();
    let limit = Duration::from_secs(60);
    let digest = format!("sha256:{HEX_A}");
    let sign = |c: &Client, gun: &str, tag: &str, vars: &[(&str, &str)]| {
        let image = format!("{gun}:{tag}");
        let mut cmd = c.bare(&["sign", "--digest", &digest, "--size", "5", &image]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        run_within(&mut cmd, limit)
    };
    let root = ("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ROOT_PASS);
    let repo = ("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS);

    let c = Client::new(srv);
    let gun = unique(srv, "pass/env");
    // A new repository needs both: each missing one is exit 7 naming it, nothing published.
    for (vars, missing) in [
        (vec![repo], root.0),
        (vec![root], repo.0),
        // The root key exists now: as in Docker, its passphrase is asked for first.
        (vec![], root.0),
    ] {
        let (code, out, err, _) = sign(&c, &gun, "v1", &vars);
        assert_eq!((code, out.as_str()), (7, ""), "{err}");
        assert!(
            err.contains(&format!("there is no terminal to ask on: set {missing}")),
            "{err}"
        );
        assert!(!err.contains("Enter passphrase"), "{err}");
        assert_eq!(dct_lookup(srv, &format!("{gun}:v1")).0, 3);
    }
    // The signature stayed staged (once per attempt); with both set it is published.
    let (code, _, err, took) = sign(&c, &gun, "v1", &[root, repo]);
    assert_eq!(code, 0, "{err}");
    assert!(took < limit);
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some((HEX_A.into(), 5)));
    assert_eq!(
        c.status(&gun),
        format!("No unpublished changes for {gun}\n")
    );

    // An existing repository: only the targets key is needed, from either name.
    let (code, _, err, _) = sign(&c, &gun, "v2", &[root]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains(&format!("set {}", repo.0)), "{err}");
    assert_eq!(notary_lookup(srv, &gun, "v2"), None);
    let (code, _, err, _) = sign(&c, &gun, "v2", &[("NOTARY_TARGETS_PASSPHRASE", REPO_PASS)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(notary_lookup(srv, &gun, "v2"), Some((HEX_A.into(), 5)));

    // A wrong passphrase fails (exit 7) rather than prompting.
    let (code, _, err, _) = sign(
        &c,
        &gun,
        "v3",
        &[(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "wrong-passphrase",
        )],
    );
    assert_eq!(code, 7, "{err}");
    assert!(!err.contains("Enter passphrase"), "{err}");
    assert_eq!(notary_lookup(srv, &gun, "v3"), None);
}

#[test]
fn bad_input_is_a_usage_error() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "sign/bad");
    push(srv, &[], &gun, "v1");
    let digest = format!("sha256:{HEX_A}");
    let at = format!("{gun}@{digest}");
    let unknown = format!("{gun}:nope");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["sign", &gun], format!("no tag specified for {gun}")),
        (
            vec!["sign", &at],
            "cannot use a digest reference for IMAGE:TAG".into(),
        ),
        (vec!["revoke", &at], "cannot use a digest reference".into()),
        (
            vec!["sign", &unknown],
            format!("{unknown}: no such manifest on {}", srv.registry_host()),
        ),
        (
            vec!["sign", "--digest", "sha256:abc", "--size", "3", &unknown],
            "--digest sha256:abc: expected sha256: and 64 hex digits".into(),
        ),
        (vec!["sign", "--digest", &digest, &unknown], "--size".into()),
        (vec!["sign", "Upper/Case:v1"], String::new()),
    ];
    for (args, msg) in cases {
        let before = c.sb.snapshot();
        let (code, out, err) = run(&mut c.dct(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(err.contains(&msg), "{args:?}: {err}");
        assert_eq!(c.sb.snapshot(), before, "{args:?} changed the trust dir");
    }
    assert_eq!(notary_lookup(srv, &gun, "v1"), None);
}
