//! `--json` everywhere (issue 14): every command that has a result prints exactly one compact
//! JSON value on stdout (one line), parsed here; commands whose output is not a result refuse
//! the flag with exit 2.

use serde_json::Value;

use crate::support::image::oci_layout;
use crate::support::signing::Client;
use crate::support::{ok, run, servers, unique};

/// Runs `dct --json ARGS` (passphrases from the environment) and parses its one line.
fn json(c: &Client, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend(args);
    let out = ok(&mut c.dct(&all));
    assert!(
        out.ends_with('\n') && out.trim_end().lines().count() == 1,
        "{args:?}: not one line:\n{out}"
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

#[test]
fn every_write_command_has_a_json_result() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "json/app");
    let digest = format!("sha256:{}", "7c".repeat(32));

    let v = json(&c, &["init", &gun]);
    assert_eq!(
        (v["name"].as_str(), v["initialized"].as_bool()),
        (Some(gun.as_str()), Some(true))
    );
    let v = json(
        &c,
        &[
            "sign",
            &format!("{gun}:v1"),
            "--digest",
            &digest,
            "--size",
            "3",
        ],
    );
    assert_eq!(v["signed"][0]["digest"], digest.as_str());
    assert_eq!(v["signed"][0]["staged"], false);
    let v = json(
        &c,
        &[
            "sign",
            "--local",
            &format!("{gun}:v2"),
            "--digest",
            &digest,
            "--size",
            "3",
        ],
    );
    assert_eq!(v["signed"][0]["staged"], true);
    let v = json(&c, &["status", &gun]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    let v = json(&c, &["publish", &gun]);
    assert_eq!(v["published"], 1);
    let v = json(&c, &["lookup", &format!("{gun}:v2")]);
    assert_eq!(v["digest"], digest.as_str());
    let v = json(&c, &["revoke", &format!("{gun}:v2")]);
    assert_eq!(v["revoked"], true);

    let dir = c.sb.path().join("keys");
    std::fs::create_dir_all(&dir).unwrap();
    let v = json(
        &c,
        &["key", "generate", "alice", "--dir", dir.to_str().unwrap()],
    );
    let alice = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["role"], "alice");
    let pubkey = v["public_key"].as_str().unwrap().to_string();
    let v = json(&c, &["signer", "add", "alice", &gun, "--key", &pubkey]);
    assert_eq!(v["repositories"][0]["result"], "added");
    let v = json(&c, &["key", "list"]);
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|k| k["id"] == alice.as_str())
    );
    let mut passwd = c.dct(&["--json", "key", "passwd", &alice]);
    passwd.env("DCT_NEW_PASSPHRASE", "alice-new-passphrase");
    let v: Value = serde_json::from_str(&ok(&mut passwd)).unwrap();
    assert_eq!(v["id"], alice.as_str());
    let export = c.sb.path().join("alice.pem");
    let v = json(
        &c,
        &[
            "key",
            "export",
            "--key",
            &alice,
            "-o",
            export.to_str().unwrap(),
        ],
    );
    assert_eq!(v["keys"], 1);
    let v = json(&c, &["signer", "remove", "-f", "alice", &gun]);
    assert_eq!(v["repositories"][0]["result"], "removed");
    let v = json(&c, &["key", "remove", "-y", &alice]);
    assert_eq!(v["removed"], true);
    let mut import = c.dct(&["--json", "key", "import", export.to_str().unwrap()]);
    import.env("NOTARY_DELEGATION_PASSPHRASE", "alice-new-passphrase");
    let v: Value = serde_json::from_str(&ok(&mut import)).unwrap();
    assert_eq!(v["keys"][0]["action"], "imported");
    let v = json(&c, &["key", "rotate", &gun, "targets"]);
    assert_eq!(v["role"], "targets");
    assert!(v["key_id"].is_string());

    // push and pull (another repository: this one has a releases role without signers now)
    let image = unique(srv, "json/image");
    let layout = c.sb.path().join("layout");
    oci_layout(&layout, "json", "v3");
    let v = json(
        &c,
        &[
            "push",
            &format!("{image}:v3"),
            "--from",
            &format!("oci:{}", layout.display()),
        ],
    );
    let pushed = v["digest"].as_str().unwrap().to_string();
    assert_eq!(v["signed"][0]["digest"], pushed.as_str());
    let out = c.sb.path().join("pulled");
    let v = json(
        &c,
        &[
            "pull",
            &format!("{image}:v3"),
            "--output",
            &format!("oci:{}", out.display()),
        ],
    );
    assert_eq!(
        (v["digest"].as_str(), v["verified"].as_bool()),
        (Some(pushed.as_str()), Some(true))
    );

    let v = json(&c, &["delete", &gun]);
    assert_eq!(v["remote"], false);
    let v = json(&c, &["version"]);
    assert!(v["commit"].is_string());
    let v = json(&c, &["env"]);
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "DCT_TIMEOUT")
    );
}

#[test]
fn output_that_is_not_a_result_refuses_json() {
    let srv = servers();
    let c = Client::new(srv);
    for args in [
        vec!["--json", "completions", "bash"],
        vec!["--json", "key", "export"],
    ] {
        let (code, out, err) = run(&mut c.dct(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(err.contains("--json"), "{err}");
    }
}
