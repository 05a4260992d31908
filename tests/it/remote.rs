//! The HTTP layer (`dct::remote`) against the real notary-server of the harness (plain and in
//! token-auth mode, with repositories made by the real notary CLI), plus a tiny scripted HTTP
//! server for what a real server will not do on request: lie about sizes, fail with 503, hang,
//! or refuse fresh tokens.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::http_fake::{FakeHttp, Seen, response};
use crate::support::{
    Sandbox, Servers, auth_servers, auths_json, b64, credential_helper, free_port, ok, servers,
    unique,
};
use dct::ExitCode;
use dct::remote::trust::{ROOT_LIMIT, TIMESTAMP_LIMIT, TrustServer};
use dct::remote::{Http, HttpOptions};
use sha2::{Digest, Sha256};
use url::Url;

/// `notary init -p GUN` then `notary list GUN` (which caches the server's timestamp.json) with
/// the real CLI, as `user` when the harness wants auth.
fn notary_init(srv: &Servers, sb: &Sandbox, gun: &str, user: Option<(&str, &str)>) {
    ok(&mut sb.notary_as(srv, user, &["init", "-p", gun]));
    ok(&mut sb.notary_as(srv, user, &["list", gun]));
}

fn cached(sb: &Sandbox, gun: &str, name: &str) -> Vec<u8> {
    fs::read(sb.trust().join("tuf").join(gun).join("metadata").join(name)).unwrap()
}

fn opts(sb: &Sandbox, ca: Option<&str>) -> HttpOptions {
    let mut o = HttpOptions::new(sb.config());
    o.tls_ca_cert = ca.map(PathBuf::from);
    o
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

// ---------------------------------------------------------------- the real notary-server

#[test]
fn trust_server_serves_what_notary_published() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "remote/pub");
    notary_init(srv, &sb, &gun, None);

    let http = Http::new(opts(&sb, Some(srv.ca()))).unwrap();
    let ts = TrustServer::new(&http, &url(srv.url()), &gun, "pull").unwrap();
    let root = ts.get("root.json", ROOT_LIMIT).unwrap().unwrap();
    assert_eq!(root, cached(&sb, &gun, "root.json"));
    let timestamp = ts.get("timestamp.json", TIMESTAMP_LIMIT).unwrap().unwrap();
    assert_eq!(timestamp, cached(&sb, &gun, "timestamp.json"));
    assert_eq!(ts.get("1.root.json", ROOT_LIMIT).unwrap().unwrap(), root);
    assert_eq!(ts.get("2.root.json", ROOT_LIMIT).unwrap(), None);
    let snapshot = cached(&sb, &gun, "snapshot.json");
    let by_hash = format!("snapshot.{}.json", hex::encode(Sha256::digest(&snapshot)));
    assert_eq!(
        ts.get(&by_hash, snapshot.len() as u64).unwrap().unwrap(),
        snapshot
    );
    // Four GETs and a 404, one request each (no ping, no retries), over one client.
    assert_eq!(http.request_count(), 5);
    assert_eq!(http.client_count(), 1);

    // notary-server speaks only HTTP/1.1 (its TLS listener offers no ALPN h2); the registry
    // offers HTTP/2 and the client takes it.
    let fetched = http
        .get_url(&ts.base().join("root.json").unwrap(), None, ROOT_LIMIT)
        .unwrap();
    assert_eq!(fetched.version, reqwest::Version::HTTP_11);
    assert_eq!(fetched.body, root);
    let fetched = http
        .get_url(
            &url(&format!("{}/v2/", srv.get("REGISTRY_URL"))),
            None,
            1024,
        )
        .unwrap();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.version, reqwest::Version::HTTP_2);

    let pushing = TrustServer::new(&http, &url(srv.url()), &gun, "push,pull").unwrap();
    let key: serde_json::Value = serde_json::from_slice(&pushing.get_key("timestamp").unwrap())
        .expect("timestamp.key is JSON");
    assert!(key["keytype"].is_string(), "{key}");
}

#[test]
fn unknown_collection_is_none() {
    let srv = servers();
    let sb = Sandbox::new();
    let http = Http::new(opts(&sb, Some(srv.ca()))).unwrap();
    let gun = unique(srv, "remote/none");
    let ts = TrustServer::new(&http, &url(srv.url()), &gun, "pull").unwrap();
    assert_eq!(ts.get("root.json", ROOT_LIMIT).unwrap(), None);
    assert_eq!(ts.get("timestamp.json", TIMESTAMP_LIMIT).unwrap(), None);
}

#[test]
fn ca_is_found_in_the_config_tls_dir() {
    let srv = servers();
    let sb = Sandbox::new();
    sb.add_ca(srv, srv.get("TRUST_SERVER_HOST"));
    let http = Http::new(opts(&sb, None)).unwrap();
    let gun = unique(srv, "remote/tlsdir");
    let ts = TrustServer::new(&http, &url(srv.url()), &gun, "pull").unwrap();
    assert_eq!(ts.get("root.json", ROOT_LIMIT).unwrap(), None);
}

#[test]
fn unknown_ca_is_a_network_error_that_says_how_to_trust_it() {
    let srv = servers();
    let sb = Sandbox::new();
    let http = Http::new(opts(&sb, None)).unwrap();
    let gun = format!("{}/remote/x", srv.registry_host());
    let ts = TrustServer::new(&http, &url(srv.url()), &gun, "pull").unwrap();
    let err = ts.get("root.json", ROOT_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network, "{err}");
    let msg = err.to_string();
    let host = srv.get("TRUST_SERVER_HOST");
    assert!(msg.contains("certificate"), "{msg}");
    assert!(msg.contains("--tlscacert"), "{msg}");
    assert!(msg.contains(&format!("tls/{host}/ca.crt")), "{msg}");
    // A certificate problem is not transient: no retries.
    assert_eq!(http.request_count(), 1);
}

#[test]
fn invalid_ca_file_is_invalid_input() {
    let srv = servers();
    let sb = Sandbox::new();
    fs::create_dir_all(sb.path()).unwrap();
    let bad = sb.path().join("bad.pem");
    fs::write(&bad, "nope").unwrap();
    let http = Http::new(opts(&sb, Some(bad.to_str().unwrap()))).unwrap();
    let ts = TrustServer::new(&http, &url(srv.url()), "a/b", "pull").unwrap();
    let err = ts.get("root.json", ROOT_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    assert!(err.to_string().contains("bad.pem"), "{err}");
}

#[test]
fn oversized_metadata_is_a_verification_error() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "remote/big");
    notary_init(srv, &sb, &gun, None);
    let http = Http::new(opts(&sb, Some(srv.ca()))).unwrap();
    let ts = TrustServer::new(&http, &url(srv.url()), &gun, "pull").unwrap();
    let err = ts.get("root.json", 100).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("root.json") && msg.contains("more than the 100 allowed"),
        "{msg}"
    );
}

#[test]
fn connection_refused_is_a_quick_network_error() {
    let sb = Sandbox::new();
    let port = free_port();
    let http = Http::new(opts(&sb, None)).unwrap();
    let ts = TrustServer::new(
        &http,
        &url(&format!("https://127.0.0.1:{port}")),
        "a/b",
        "pull",
    )
    .unwrap();
    let started = Instant::now();
    let err = ts.get("timestamp.json", TIMESTAMP_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("127.0.0.1:{port}")) && msg.contains("check the server URL"),
        "{msg}"
    );
    // Connection errors are retried: 3 tries.
    assert_eq!(http.request_count(), 3);
}

#[test]
fn silent_server_times_out() {
    let sb = Sandbox::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    let mut o = opts(&sb, None);
    o.timeout = Duration::from_secs(1);
    let http = Http::new(o).unwrap();
    let ts = TrustServer::new(&http, &url(&format!("https://{addr}")), "a/b", "pull").unwrap();
    let started = Instant::now();
    let err = ts.get("timestamp.json", TIMESTAMP_LIMIT).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.exit_code(), ExitCode::Network, "{err}");
    // One budget of twice the timeout for the request and its retries: two tries (1 s, then
    // 0.8 s after the 200 ms pause), and the message says how long it really waited.
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "took {took:?}"
    );
    assert!(
        err.to_string()
            .contains("did not answer within 2.0 s (2 tries of GET")
            && err.to_string().contains("--timeout/DCT_TIMEOUT is 1 s"),
        "{err}"
    );
    assert_eq!(http.request_count(), 2);
}

// ---------------------------------------------------------------- a scripted HTTP server

fn fake_http(sb: &Sandbox) -> Http {
    let mut o = opts(sb, None);
    o.retry_delays = vec![Duration::from_millis(10), Duration::from_millis(20)];
    Http::new(o).unwrap()
}

#[test]
fn keep_alive_one_connection_for_three_gets() {
    let fake = FakeHttp::start(|_, _| response(200, &[], "{}"));
    let sb = Sandbox::new();
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    for name in ["timestamp.json", "snapshot.json", "targets.json"] {
        assert_eq!(ts.get(name, 10).unwrap().unwrap(), b"{}");
    }
    assert_eq!(http.request_count(), 3);
    assert_eq!(fake.connections.load(Ordering::SeqCst), 1);
    let paths: Vec<String> = fake.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/v2/reg.example/a/_trust/tuf/timestamp.json",
            "/v2/reg.example/a/_trust/tuf/snapshot.json",
            "/v2/reg.example/a/_trust/tuf/targets.json"
        ]
    );
}

#[test]
fn endless_body_without_length_stops_at_the_limit() {
    let fake = FakeHttp::start(|_, _| {
        let mut r = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
        r.extend(std::iter::repeat_n(b'x', 200_000));
        r
    });
    let sb = Sandbox::new();
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("timestamp.json", 1000).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    assert!(
        err.to_string().contains("more than the 1000 allowed"),
        "{err}"
    );
}

#[test]
fn declared_length_over_the_limit_is_refused_up_front() {
    let fake =
        FakeHttp::start(|_, _| b"HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\nxx".to_vec());
    let sb = Sandbox::new();
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("snapshot.abc.json", 1000).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    assert!(
        err.to_string().starts_with(&format!(
            "{} sent 5000000000 bytes for snapshot.abc.json",
            fake.addr
        )),
        "{err}"
    );
}

#[test]
fn status_mapping_and_retries() {
    // 503 twice, then 200: retried.
    let fake = FakeHttp::start(|_, n| {
        if n < 2 {
            response(503, &[], "busy")
        } else {
            response(200, &[], "ok")
        }
    });
    let sb = Sandbox::new();
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "r/a", "pull").unwrap();
    assert_eq!(ts.get("timestamp.json", 10).unwrap().unwrap(), b"ok");
    assert_eq!(http.request_count(), 3);

    // 502 every time: three tries, then a network error with the code.
    let fake = FakeHttp::start(|_, _| response(502, &[], ""));
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "r/a", "pull").unwrap();
    let err = ts.get("timestamp.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert_eq!(
        err.to_string(),
        format!(
            "unable to reach trust server {} at this time: 502",
            fake.addr
        )
    );
    assert_eq!(http.request_count(), 3);

    // 500 is not transient: one try.
    let fake = FakeHttp::start(|_, _| response(500, &[], ""));
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "r/a", "pull").unwrap();
    assert_eq!(
        ts.get("timestamp.json", 10).unwrap_err().exit_code(),
        ExitCode::Network
    );
    assert_eq!(http.request_count(), 1);

    // 400: notary's error body, decoded.
    let fake = FakeHttp::start(|_, _| {
        response(
            400,
            &[],
            r#"{"errors":[{"code":"INVALID_UPDATE","message":"m","detail":{"Name":"ErrBadRoot","Error":{"Msg":"bad sig"}}}]}"#,
        )
    });
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "r/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Failure);
    assert_eq!(err.to_string(), "The root metadata is invalid: bad sig");

    // 401 without a challenge, and 403: authentication errors.
    let fake = FakeHttp::start(|s, _| {
        if s.path.ends_with("root.json") {
            response(401, &[], "")
        } else {
            response(403, &[], "")
        }
    });
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "r/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert!(err.to_string().contains("WWW-Authenticate"), "{err}");
    let err = ts.get("timestamp.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
}

/// A trust server behind token auth on the scripted server: `/token` grants `tok-<n>` to
/// alice:pw (Basic) or to the refresh token `rt`; the metadata wants a granted token.
fn token_server(scope_ok: bool) -> FakeHttp {
    FakeHttp::start_at(move |addr| {
        let granted = Arc::new(Mutex::new(Vec::<String>::new()));
        let challenge = format!(
            r#"WWW-Authenticate: Bearer realm="http://{addr}/token",service="fake-notary",scope="repository:reg.example/a:pull""#
        );
        Arc::new(move |s: &Seen, n: usize| {
            let me = s.path.clone();
            if me.starts_with("/token") {
                let basic_ok =
                    s.authorization.as_deref() == Some(&format!("Basic {}", b64("alice:pw")));
                let refresh_ok = s.method == "POST" && s.body.contains("refresh_token=rt&");
                if !(basic_ok || refresh_ok) {
                    return response(401, &[], r#"{"details":"bad credentials"}"#);
                }
                let tok = format!("tok-{n}");
                granted.lock().unwrap().push(format!("Bearer {tok}"));
                return response(200, &[], format!(r#"{{"token":"{tok}","expires_in":300}}"#));
            }
            let ok = s
                .authorization
                .as_ref()
                .is_some_and(|a| granted.lock().unwrap().contains(a));
            if ok && scope_ok {
                response(200, &[], "meta")
            } else {
                response(401, &[&challenge], "")
            }
        })
    })
}

#[test]
fn bearer_flow_with_password_and_token_cache() {
    let fake = token_server(true);
    let sb = Sandbox::new();
    sb.write_config(&auths_json("reg.example", "alice", "pw"));
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    assert_eq!(ts.get("root.json", 10).unwrap().unwrap(), b"meta");
    // 401, token, retry.
    assert_eq!(http.request_count(), 3);
    // The next request sends the cached token at once.
    assert_eq!(ts.get("timestamp.json", 10).unwrap().unwrap(), b"meta");
    assert_eq!(http.request_count(), 4);
    let seen = fake.seen();
    assert_eq!(seen[0].authorization, None);
    assert_eq!(
        seen[1].path,
        "/token?account=alice&scope=repository%3Areg.example%2Fa%3Apull&service=fake-notary"
    );
    assert_eq!(seen[1].method, "GET");
    assert_eq!(seen[2].authorization.as_deref(), Some("Bearer tok-1"));
    assert_eq!(seen[3].authorization.as_deref(), Some("Bearer tok-1"));

    // A different scope (push,pull) needs its own token.
    let pushing = TrustServer::new(&http, &fake.url(), "reg.example/a", "push,pull").unwrap();
    assert_eq!(pushing.get("root.json", 10).unwrap().unwrap(), b"meta");
    assert_eq!(http.request_count(), 6);
    assert!(
        fake.seen()[4]
            .path
            .contains("scope=repository%3Areg.example%2Fa%3Apush%2Cpull")
    );
}

#[test]
fn bearer_flow_with_identity_token_posts_the_refresh_form() {
    let fake = token_server(true);
    let sb = Sandbox::new();
    sb.write_config(r#"{"auths":{"http://reg.example/v2/":{"identitytoken":"rt"}}}"#);
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    assert_eq!(ts.get("root.json", 10).unwrap().unwrap(), b"meta");
    let token_req = &fake.seen()[1];
    assert_eq!(token_req.method, "POST");
    assert_eq!(token_req.path, "/token");
    assert_eq!(
        token_req.body,
        "client_id=dct&grant_type=refresh_token&refresh_token=rt&scope=repository%3Areg.example%2Fa%3Apull&service=fake-notary"
    );
}

#[test]
fn bearer_flow_failures_are_auth_errors() {
    let sb = Sandbox::new();
    // Wrong password: the token server says 401.
    let fake = token_server(true);
    sb.write_config(&auths_json("reg.example", "alice", "nope"));
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("authentication failed for alice at http://"),
        "{msg}"
    );
    assert!(
        msg.contains("config.json") && msg.contains("dct login reg.example"),
        "{msg}"
    );
    assert!(!msg.contains("nope"), "{msg}");

    // No credentials at all.
    fs::remove_file(sb.config().join("config.json")).unwrap();
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert!(err.to_string().contains("dct login reg.example"), "{err}");

    // A fresh token that the server still refuses: not authorised, no loop.
    let fake = token_server(false);
    sb.write_config(&auths_json("reg.example", "alice", "pw"));
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "alice is not authorised for repository:reg.example/a:pull on {}",
            fake.addr
        )
    );
    assert_eq!(http.request_count(), 3);
}

#[test]
fn basic_challenge_sends_the_password() {
    let fake = FakeHttp::start(|s, _| {
        if s.authorization.as_deref() == Some(&format!("Basic {}", b64("alice:pw"))) {
            response(200, &[], "meta")
        } else {
            response(401, &[r#"WWW-Authenticate: Basic realm="fake""#], "")
        }
    });
    let sb = Sandbox::new();
    sb.write_config(r#"{"auths":{"https://reg.example":{"username":"alice","password":"pw"}}}"#);
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    assert_eq!(ts.get("root.json", 10).unwrap().unwrap(), b"meta");
    assert_eq!(ts.get("timestamp.json", 10).unwrap().unwrap(), b"meta");
    assert_eq!(http.request_count(), 3);

    sb.write_config(r#"{"auths":{"reg.example":{"username":"alice","password":"bad"}}}"#);
    let http = fake_http(&sb);
    let ts = TrustServer::new(&http, &fake.url(), "reg.example/a", "pull").unwrap();
    let err = ts.get("root.json", 10).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth);
    assert!(
        err.to_string()
            .starts_with("authentication failed for alice"),
        "{err}"
    );
}

// ---------------------------------------------------------------- the real harness with token auth

/// A GUN published by the signer on the auth-mode harness, and notary's cached root.json.
fn auth_collection() -> &'static (String, Vec<u8>) {
    static GUN: std::sync::OnceLock<(String, Vec<u8>)> = std::sync::OnceLock::new();
    GUN.get_or_init(|| {
        let srv = auth_servers();
        let sb = Sandbox::new();
        let gun = unique(srv, "remote/auth");
        let signer = (
            srv.get("TRUST_SIGNER_USER"),
            srv.get("TRUST_SIGNER_PASSWORD"),
        );
        notary_init(srv, &sb, &gun, Some(signer));
        let root = cached(&sb, &gun, "root.json");
        (gun, root)
    })
}

fn auth_http(sb: &Sandbox, srv: &Servers, helper_path: Option<&Path>) -> Http {
    let mut o = opts(sb, Some(srv.ca()));
    o.helper_path = helper_path.map(|p| p.as_os_str().to_owned());
    Http::new(o).unwrap()
}

#[test]
fn auth_reader_reads_and_cannot_push() {
    let srv = auth_servers();
    let (gun, root) = auth_collection();
    let sb = Sandbox::new();
    sb.write_config(&auths_json(
        srv.registry_host(),
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    ));
    let http = auth_http(&sb, srv, None);
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "pull").unwrap();
    assert_eq!(&ts.get("root.json", ROOT_LIMIT).unwrap().unwrap(), root);
    // 401, token, retry with the token.
    assert_eq!(http.request_count(), 3);
    assert!(ts.get("timestamp.json", TIMESTAMP_LIMIT).unwrap().is_some());
    assert_eq!(http.request_count(), 4);

    // Getting the timestamp key needs push: the token server grants the reader only pull.
    let push = TrustServer::new(&http, &url(srv.url()), gun, "push,pull").unwrap();
    let err = push.get_key("timestamp").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "reader is not authorised for repository:{gun}:push,pull on {}",
            srv.get("TRUST_SERVER_HOST")
        )
    );
}

#[test]
fn auth_signer_gets_server_keys() {
    let srv = auth_servers();
    let (gun, _) = auth_collection();
    let sb = Sandbox::new();
    sb.write_config(&auths_json(
        srv.registry_host(),
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    ));
    let http = auth_http(&sb, srv, None);
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "push,pull").unwrap();
    let key: serde_json::Value = serde_json::from_slice(&ts.get_key("snapshot").unwrap()).unwrap();
    assert!(key["keyval"]["public"].is_string(), "{key}");
}

#[test]
fn auth_via_credential_helpers() {
    let srv = auth_servers();
    let (gun, root) = auth_collection();
    let host = srv.registry_host();

    // credsStore: the global helper.
    let sb = Sandbox::new();
    let dir = credential_helper(
        &sb,
        "dcttest",
        host,
        "reader",
        srv.get("TRUST_READER_PASSWORD"),
    );
    sb.write_config(r#"{"credsStore":"dcttest"}"#);
    let http = auth_http(&sb, srv, Some(&dir));
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "pull").unwrap();
    assert_eq!(&ts.get("root.json", ROOT_LIMIT).unwrap().unwrap(), root);

    // credHelpers[host] beats credsStore and a wrong inline password.
    let sb = Sandbox::new();
    let dir = credential_helper(
        &sb,
        "perhost",
        host,
        "signer",
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    sb.write_config(&format!(
            r#"{{"auths":{{"{host}":{{"auth":"{}"}}}},"credsStore":"absent","credHelpers":{{"{host}":"perhost"}}}}"#,
            b64("signer:wrong")
        ),
    );
    let http = auth_http(&sb, srv, Some(&dir));
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "push,pull").unwrap();
    assert!(ts.get_key("timestamp").is_ok());

    // A configured helper that is not installed: an auth error naming it.
    let sb = Sandbox::new();
    sb.write_config(r#"{"credsStore":"absent"}"#);
    let http = auth_http(&sb, srv, Some(&sb.path().join("nothing-here")));
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "pull").unwrap();
    let err = ts.get("root.json", ROOT_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert!(
        err.to_string().contains("docker-credential-absent"),
        "{err}"
    );
}

#[test]
fn auth_wrong_password_and_no_credentials_exit_5() {
    let srv = auth_servers();
    let (gun, _) = auth_collection();

    let sb = Sandbox::new();
    sb.write_config(&auths_json(
        srv.registry_host(),
        "reader",
        "not-the-password",
    ));
    let http = auth_http(&sb, srv, None);
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "pull").unwrap();
    let err = ts.get("root.json", ROOT_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!(
            "authentication failed for reader at {}",
            srv.get("TRUST_TOKEN_URL")
        )),
        "{msg}"
    );
    assert!(!msg.contains("not-the-password"), "{msg}");

    let sb = Sandbox::new();
    let http = auth_http(&sb, srv, None);
    let ts = TrustServer::new(&http, &url(srv.url()), gun, "pull").unwrap();
    let err = ts.get("root.json", ROOT_LIMIT).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("dct login {}", srv.registry_host())),
        "{err}"
    );
}
