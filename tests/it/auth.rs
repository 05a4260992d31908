//! `dct lookup` / `dct inspect` against the harness in token-auth mode (like ACR and Docker
//! Hub: both servers answer 401 with a Bearer challenge): a pull-only user and a push+pull user,
//! via config.json and via credential helpers; wrong or missing credentials exit 5.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::{Sandbox, auth_servers, ok, run};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

const DIGEST: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

/// A collection published by the real notary CLI as the push+pull user, with tag v1.
fn collection() -> &'static (String, Sandbox) {
    static C: OnceLock<(String, Sandbox)> = OnceLock::new();
    C.get_or_init(|| {
        let srv = auth_servers();
        let gun = format!("{}/auth/app", srv.registry_host());
        let sb = Sandbox::new();
        let trust = sb.trust();
        let auth = B64.encode(format!(
            "{}:{}",
            srv.get("TRUST_SIGNER_USER"),
            srv.get("TRUST_SIGNER_PASSWORD")
        ));
        let notary = |args: &[&str]| {
            let mut all = vec![
                "-s",
                srv.url(),
                "--tlscacert",
                srv.ca(),
                "-d",
                trust.to_str().unwrap(),
            ];
            all.extend(args);
            let mut c = sb.tool("notary", &all);
            c.env("NOTARY_AUTH", &auth)
                .env("NOTARY_ROOT_PASSPHRASE", "rootpassphrase")
                .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase")
                .env("NOTARY_SNAPSHOT_PASSPHRASE", "snapshotpassphrase");
            c
        };
        ok(&mut notary(&["init", "-p", &gun]));
        ok(&mut notary(&[
            "addhash", "-p", &gun, "v1", "42", "--sha256", DIGEST,
        ]));
        (gun, sb)
    })
}

/// A client config dir trusting the harness CA, with `config.json` as given.
fn client(config_json: &str) -> Sandbox {
    let sb = Sandbox::new();
    let tls = sb
        .config()
        .join("tls")
        .join(auth_servers().get("TRUST_SERVER_HOST"));
    fs::create_dir_all(&tls).unwrap();
    fs::copy(auth_servers().ca(), tls.join("ca.crt")).unwrap();
    fs::write(sb.config().join("config.json"), config_json).unwrap();
    sb
}

fn auths(user: &str, password: &str) -> String {
    format!(
        r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
        auth_servers().registry_host(),
        B64.encode(format!("{user}:{password}"))
    )
}

/// A `docker-credential-<name>` script answering for the registry host.
fn helper(sb: &Sandbox, name: &str, user: &str, password: &str) -> PathBuf {
    let dir = sb.path().join("bin");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("docker-credential-{name}"));
    let host = auth_servers().registry_host();
    fs::write(
        &file,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread -r server\n\
             [ \"$server\" = '{host}' ] || {{ echo 'credentials not found in native keychain'; exit 1; }}\n\
             printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{password}\"}}\\n' \"$server\"\n"
        ),
    )
    .unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).unwrap();
    dir
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
    let bin = helper(
        &sb,
        "dctstore",
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    expect_ok(lookup(&sb, Some(&bin)));
    // credHelpers[host] wins over credsStore and a wrong inline password.
    let sb = client(&format!(
        r#"{{"auths":{{"{host}":{{"auth":"{}"}}}},"credsStore":"absent","credHelpers":{{"{host}":"dcthost"}}}}"#,
        B64.encode("signer:wrong-password")
    ));
    let bin = helper(
        &sb,
        "dcthost",
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
