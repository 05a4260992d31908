//! `dct lookup` / `dct inspect` against the harness in token-auth mode (like ACR and Docker
//! Hub: both servers answer 401 with a Bearer challenge): a pull-only user and a push+pull user,
//! via config.json and via credential helpers; wrong or missing credentials exit 5.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::{
    Sandbox, auth_servers, auths_json, b64, config_dir, credential_helper, ok, run, unique,
};

const DIGEST: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

/// A collection published by the real notary CLI as the push+pull user, with tag v1.
fn collection() -> &'static (String, Sandbox) {
    static C: OnceLock<(String, Sandbox)> = OnceLock::new();
    C.get_or_init(|| {
        let srv = auth_servers();
        let gun = unique(srv, "auth/app");
        let sb = Sandbox::new();
        let signer = Some((
            srv.get("TRUST_SIGNER_USER"),
            srv.get("TRUST_SIGNER_PASSWORD"),
        ));
        let notary = |args: &[&str]| sb.notary_as(srv, signer, args);
        ok(&mut notary(&["init", "-p", &gun]));
        ok(&mut notary(&[
            "addhash", "-p", &gun, "v1", "42", "--sha256", DIGEST,
        ]));
        (gun, sb)
    })
}

/// A client config dir trusting the harness CA, with `config.json` as given.
fn client(config_json: &str) -> Sandbox {
    let sb = config_dir(auth_servers());
    sb.write_config(config_json);
    sb
}

fn auths(user: &str, password: &str) -> String {
    auths_json(auth_servers().registry_host(), user, password)
}

fn lookup(sb: &Sandbox, path: Option<&PathBuf>) -> (i32, String, String) {
    let (gun, _) = collection();
    let image = format!("{gun}:v1");
    let srv = auth_servers();
    // The token server is another host with the same private CA: --tlscacert covers both.
    let mut cmd = sb.dct(&[
        "-s",
        srv.url(),
        "--tlscacert",
        srv.ca(),
        "-v",
        "lookup",
        &image,
    ]);
    if let Some(dir) = path {
        cmd.env(
            "PATH",
            format!("{}:{}", dir.display(), std::env::var("PATH").unwrap()),
        );
    }
    run(&mut cmd)
}

fn expect_ok((code, out, err): (i32, String, String)) -> String {
    let (gun, _) = collection();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("{gun}@sha256:{DIGEST}\n"));
    err
}

#[test]
fn pull_only_and_push_pull_users_via_config_json() {
    let srv = auth_servers();
    for (user, pass) in [
        (
            srv.get("TRUST_READER_USER"),
            srv.get("TRUST_READER_PASSWORD"),
        ),
        (
            srv.get("TRUST_SIGNER_USER"),
            srv.get("TRUST_SIGNER_PASSWORD"),
        ),
    ] {
        let sb = client(&auths(user, pass));
        let err = expect_ok(lookup(&sb, None));
        // One challenge, one token, then every request carries it.
        assert!(err.contains("/token"), "{err}");
        // Warm: the timestamp request is challenged again (new process), nothing else.
        let err = expect_ok(lookup(&sb, None));
        assert!(err.contains("dct: 3 HTTP requests"), "{err}");
    }
}

#[test]
fn users_via_credential_helpers() {
    let srv = auth_servers();
    let host = srv.registry_host();
    // credsStore: the global helper, here with the pull-only user.
    let sb = client(r#"{"credsStore":"dctstore"}"#);
    let bin = credential_helper(
        &sb,
        "dctstore",
        host,
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    expect_ok(lookup(&sb, Some(&bin)));
    // credHelpers[host] wins over credsStore and a wrong inline password.
    let sb = client(&format!(
        r#"{{"auths":{{"{host}":{{"auth":"{}"}}}},"credsStore":"absent","credHelpers":{{"{host}":"dcthost"}}}}"#,
        b64("signer:wrong-password")
    ));
    let bin = credential_helper(
        &sb,
        "dcthost",
        host,
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    expect_ok(lookup(&sb, Some(&bin)));
}

#[test]
fn wrong_or_missing_credentials_exit_5_and_leave_no_cache() {
    let srv = auth_servers();
    let cases = [
        client(&auths(srv.get("TRUST_READER_USER"), "not-the-password")),
        client("{}"),
        client(r#"{"credsStore":"not-installed"}"#),
    ];
    for sb in &cases {
        let (code, out, err) = lookup(sb, None);
        assert_eq!(code, 5, "{err}");
        assert_eq!(out, "");
        assert!(!sb.trust().join("tuf").exists(), "nothing cached");
    }
    let (_, _, err) = lookup(&cases[0], None);
    assert!(err.contains("reader"), "{err}");
    let (_, _, err) = lookup(&cases[2], None);
    assert!(err.contains("docker-credential-not-installed"), "{err}");
}

#[test]
fn inspect_with_auth_matches_docker() {
    let srv = auth_servers();
    let (gun, _) = collection();
    let sb = client(&auths(
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    ));
    let docker = ok(sb
        .tool("docker", &["trust", "inspect", gun])
        .env("DOCKER_CONFIG", sb.config())
        .env("DOCKER_CONTENT_TRUST_SERVER", srv.url()));
    let other = client(&auths(
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    ));
    let dct = ok(&mut other.dct(&["-s", srv.url(), "--tlscacert", srv.ca(), "inspect", gun]));
    assert_eq!(dct, docker);
}

#[test]
fn many_images_in_one_run_share_connections_one_token_per_scope() {
    let srv = auth_servers();
    let (gun, publisher) = collection();
    // A second collection, published by the same signer.
    let other = unique(srv, "auth/other");
    let signer = Some((
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    ));
    ok(&mut publisher.notary_as(srv, signer, &["init", "-p", &other]));
    ok(&mut publisher.notary_as(
        srv,
        signer,
        &["addhash", "-p", &other, "v2", "42", "--sha256", DIGEST],
    ));
    let sb = client(&auths(
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    ));
    let (a, b) = (format!("{gun}:v1"), format!("{other}:v2"));
    let (code, out, err) = run(&mut sb.dct(&[
        "-s",
        srv.url(),
        "--tlscacert",
        srv.ca(),
        "-v",
        "lookup",
        &a,
        &b,
        &a,
        "--jobs",
        "2",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("{gun}@sha256:{DIGEST}\n{other}@sha256:{DIGEST}\n{gun}@sha256:{DIGEST}\n")
    );
    // Each repository read once; one token per scope, however the two were interleaved.
    let tokens: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("dct: GET ") && l.contains("/token?"))
        .collect();
    assert_eq!(tokens.len(), 2, "{err}");
    let timestamps = err
        .lines()
        .filter(|l| l.contains("timestamp.json → 200"))
        .count();
    assert_eq!(timestamps, 2, "{err}");
}
