//! The registry client (`dct::remote::registry`) and the trust server's write calls
//! (`TrustServer::publish`, `get_key`) against the real docker-registry and notary-server of the
//! harness (plain and token-auth mode), with images pushed by `scripts/push-image` and
//! repositories made by the real notary CLI; plus a tiny plain-http server on loopback for what
//! the real registry will not do (refuse HEAD, lie about a digest, speak no TLS).

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::support::{ROOT, Sandbox, Servers, auth_servers, ok, servers};
use base64::Engine as _;
use dct::reference::Reference;
use dct::remote::registry::{
    DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_ACCEPT, OCI_INDEX, OCI_MANIFEST, Registry,
};
use dct::remote::trust::{ROOT_LIMIT, TrustServer, is_conflict};
use dct::remote::{Http, HttpOptions};
use dct::tuf::meta::Key;
use dct::{Error, ExitCode};
use sha2::{Digest, Sha256};
use url::Url;

fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `scripts/push-image OPTIONS REPO TAG` against `srv`: (digest, size, media type) as printed.
fn push(srv: &Servers, options: &[&str], repo: &str, tag: &str) -> (String, u64, String) {
    let mut cmd = Command::new(Path::new(ROOT).join("scripts/push-image"));
    cmd.args(options).arg(repo).arg(tag).envs(&srv.env);
    let out = ok(&mut cmd);
    let f: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(f.len(), 3, "{out}");
    (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string())
}

fn http(sb: &Sandbox, srv: &Servers) -> Http {
    let mut o = HttpOptions::new(sb.config());
    o.tls_ca_cert = Some(PathBuf::from(srv.ca()));
    Http::new(o).unwrap()
}

fn reference(srv: &Servers, repo: &str) -> Reference {
    Reference::parse(&format!("{}/{repo}", srv.registry_host())).unwrap()
}

fn auths_config(sb: &Sandbox, registry: &str, user: &str, pass: &str) {
    fs::create_dir_all(sb.config()).unwrap();
    fs::write(
        sb.config().join("config.json"),
        format!(
            r#"{{"auths":{{"{registry}":{{"auth":"{}"}}}}}}"#,
            b64(&format!("{user}:{pass}"))
        ),
    )
    .unwrap();
}

// ---------------------------------------------------------------- registry: the real registry

#[test]
fn manifest_digest_and_size_are_those_of_the_pushed_bytes() {
    let srv = servers();
    let sb = Sandbox::new();
    let repo = format!("reg/{}", unique("img"));
    let http = http(&sb, srv);
    let registry = Registry::new(&http, &reference(srv, &repo)).unwrap();
    let kinds: [(&[&str], &str); 4] = [
        (&[], DOCKER_MANIFEST),
        (&["--oci"], OCI_MANIFEST),
        (&["--index"], DOCKER_MANIFEST_LIST),
        (&["--oci", "--index"], OCI_INDEX),
    ];
    for (i, (options, media_type)) in kinds.into_iter().enumerate() {
        let tag = format!("t{i}");
        let (digest, size, mt) = push(srv, options, &repo, &tag);
        assert_eq!(mt, media_type);
        let before = http.request_count();
        let info = registry.manifest(&tag).unwrap();
        assert_eq!(info.digest_string(), digest, "{options:?}");
        assert_eq!(info.size, size, "{options:?}");
        assert_eq!(info.media_type, media_type);
        // By digest: the same answer. One HEAD each (no token, no GET).
        assert_eq!(registry.manifest(&digest).unwrap(), info);
        assert_eq!(http.request_count() - before, 2);
    }
}

#[test]
fn pushed_digest_is_the_sha256_of_the_manifest_bytes() {
    // push-image's digest and size are those of the exact bytes the registry serves.
    let srv = servers();
    let repo = format!("reg/{}", unique("bytes"));
    let (digest, size, _) = push(srv, &["--index"], &repo, "v1");
    let sb = Sandbox::new();
    let http = http(&sb, srv);
    let mut req = dct::remote::Request::get(
        Url::parse(&format!(
            "{}/v2/{repo}/manifests/v1",
            srv.get("REGISTRY_URL")
        ))
        .unwrap(),
        1 << 20,
    );
    req.headers
        .insert("accept", MANIFEST_ACCEPT.parse().unwrap());
    let body = http.fetch(&req).unwrap().body;
    assert_eq!(body.len() as u64, size);
    assert_eq!(
        format!("sha256:{}", hex::encode(Sha256::digest(&body))),
        digest
    );
}

#[test]
fn unknown_tag_or_repository_is_a_usage_error_saying_what_to_do() {
    let srv = servers();
    let sb = Sandbox::new();
    let repo = format!("reg/{}", unique("missing"));
    push(srv, &[], &repo, "v1");
    let http = http(&sb, srv);
    let host = srv.registry_host();
    let registry = Registry::new(&http, &reference(srv, &repo)).unwrap();
    let err = registry.manifest("nope").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    assert_eq!(
        err.to_string(),
        format!(
            "{host}/{repo}:nope: no such manifest on {host}; push it first or pass --digest/--size"
        )
    );
    let zero = format!("sha256:{}", "0".repeat(64));
    let err = registry.manifest(&zero).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    assert!(
        err.to_string()
            .starts_with(&format!("{host}/{repo}@{zero}: no such manifest"))
    );
    let other = Registry::new(&http, &reference(srv, "reg/never-pushed")).unwrap();
    let err = other.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage, "{err}");
}

#[test]
fn registry_with_an_unknown_ca_is_a_network_error_without_http_fallback_of_the_answer() {
    // Loopback, so http is tried after https fails; it fails too (the registry speaks only TLS)
    // and the https error, which says how to trust the CA, is the one reported.
    let srv = servers();
    let sb = Sandbox::new();
    let http = Http::new(HttpOptions::new(sb.config())).unwrap();
    let registry = Registry::new(&http, &reference(srv, "reg/x")).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert!(err.to_string().starts_with("TLS connection to"), "{err}");
}

// ---------------------------------------------------------------- registry: token auth

#[test]
fn auth_reader_resolves_and_anonymous_is_refused() {
    let srv = auth_servers();
    let repo = format!("reg/{}", unique("auth"));
    let (digest, size, _) = push(srv, &["--oci", "--index"], &repo, "v1");

    let sb = Sandbox::new();
    auths_config(
        &sb,
        srv.registry_host(),
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    let http = http(&sb, srv);
    let registry = Registry::new(&http, &reference(srv, &repo)).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!((info.digest_string(), info.size), (digest.clone(), size));
    assert_eq!(info.media_type, OCI_INDEX);
    // HEAD → 401, token, HEAD again; then the cached token is sent right away.
    assert_eq!(http.request_count(), 3);
    registry.manifest(&digest).unwrap();
    assert_eq!(http.request_count(), 4);

    let anon = Sandbox::new();
    let http = self::http(&anon, srv);
    let registry = Registry::new(&http, &reference(srv, &repo)).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
}

// ---------------------------------------------------------------- registry: a scripted plain-http server

type Handler = Box<dyn Fn(&str, &str) -> Vec<u8> + Send + Sync>;

/// A plain-http server on loopback: answers a TLS ClientHello like Go's http server (400), and
/// every request through `handler(method, path)`; one request per connection.
struct Plain {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Plain {
    fn start(handler: impl Fn(&str, &str) -> Vec<u8> + Send + Sync + 'static) -> Plain {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handler: Arc<Handler> = Arc::new(Box::new(handler));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let mut buf = Vec::new();
                let mut byte = [0u8; 1024];
                loop {
                    let n = s.read(&mut byte).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&byte[..n]);
                    if buf[0] == 0x16 || buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                if buf.first() == Some(&0x16) {
                    log.lock().unwrap().push("TLS".into());
                    let _ = s.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
                    continue;
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let mut first = head.lines().next().unwrap_or_default().split(' ');
                let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
                log.lock().unwrap().push(format!("{method} {path}"));
                let _ = s.write_all(&handler(method, path));
            }
        });
        Plain { addr, seen }
    }

    fn reference(&self, repo: &str) -> Reference {
        Reference::parse(&format!("{}/{repo}", self.addr)).unwrap()
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn resp(status: &str, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

const BODY: &[u8] =
    br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;

fn body_digest() -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(BODY)))
}

fn quick_http(sb: &Sandbox) -> Http {
    let mut o = HttpOptions::new(sb.config());
    o.retry_delays = vec![];
    Http::new(o).unwrap()
}

#[test]
fn loopback_registry_without_tls_is_used_over_http_and_a_refused_head_falls_back_to_get() {
    let plain = Plain::start(|method, _| match method {
        "HEAD" => resp("405 Method Not Allowed", &[], b""),
        _ => resp(
            "200 OK",
            &[format!("Docker-Content-Digest: {}", body_digest())],
            BODY,
        ),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &plain.reference("a/b")).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!(info.digest_string(), body_digest());
    assert_eq!(info.size, BODY.len() as u64);
    // No Content-Type: the media type comes from the body.
    assert_eq!(info.media_type, OCI_INDEX);
    assert_eq!(
        plain.seen(),
        [
            "TLS",
            "HEAD /v2/a/b/manifests/v1",
            "GET /v2/a/b/manifests/v1"
        ]
    );
    // The scheme is remembered: no second TLS attempt.
    registry.manifest(&body_digest()).unwrap();
    assert_eq!(plain.seen().len(), 5);
}

#[test]
fn a_head_without_digest_is_completed_by_a_hashed_get() {
    let plain = Plain::start(|method, _| match method {
        "HEAD" => resp("200 OK", &["Content-Type: text/plain".into()], b""),
        _ => resp(
            "200 OK",
            &[format!("Content-Type: {DOCKER_MANIFEST}")],
            BODY,
        ),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &plain.reference("a")).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!(
        (info.digest_string(), info.media_type.as_str()),
        (body_digest(), DOCKER_MANIFEST)
    );
    assert_eq!(plain.seen().len(), 3);
}

#[test]
fn a_registry_lying_about_the_digest_is_a_verification_error() {
    let liar = format!("sha256:{}", "1".repeat(64));
    let claimed = liar.clone();
    let plain = Plain::start(move |method, _| match method {
        "HEAD" => resp("405 Method Not Allowed", &[], b""),
        _ => resp(
            "200 OK",
            &[format!("Docker-Content-Digest: {claimed}")],
            BODY,
        ),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &plain.reference("a")).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    assert!(err.to_string().contains(&liar), "{err}");
    // Asked by digest, bytes of another digest are refused even without the header.
    let plain = Plain::start(|method, _| match method {
        "HEAD" => resp("404 Not Found", &[], b""),
        _ => resp("200 OK", &[], BODY),
    });
    let registry = Registry::new(&http, &plain.reference("a")).unwrap();
    assert_eq!(
        registry.manifest(&liar).unwrap_err().exit_code(),
        ExitCode::Usage
    );
    let plain = Plain::start(|method, _| match method {
        "HEAD" => resp("405 Method Not Allowed", &[], b""),
        _ => resp("200 OK", &[], BODY),
    });
    let registry = Registry::new(&http, &plain.reference("a")).unwrap();
    let err = registry.manifest(&liar).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
}

// ---------------------------------------------------------------- trust server: publish

fn notary(srv: &Servers, dir: &Path, args: &[&str], user: Option<(&str, &str)>) -> String {
    let sb = Sandbox::new();
    let mut c = sb.tool(
        "notary",
        &[
            "-d",
            dir.to_str().unwrap(),
            "-s",
            srv.url(),
            "--tlscacert",
            srv.ca(),
        ],
    );
    c.args(args)
        .env("NOTARY_ROOT_PASSPHRASE", "rootpassphrase")
        .env("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase")
        .env("NOTARY_SNAPSHOT_PASSPHRASE", "snapshotpassphrase")
        .env_remove("NOTARY_AUTH");
    if let Some((u, p)) = user {
        c.env("NOTARY_AUTH", b64(&format!("{u}:{p}")));
    }
    ok(&mut c)
}

/// `notary init GUN` without `-p`: root, targets and snapshot written locally, nothing
/// published. Returns the three files as (role, bytes).
fn init_unpublished(
    srv: &Servers,
    dir: &Path,
    gun: &str,
    user: Option<(&str, &str)>,
) -> Vec<(String, Vec<u8>)> {
    notary(srv, dir, &["init", gun], user);
    let meta = dir.join("tuf").join(gun).join("metadata");
    ["root", "targets", "snapshot"]
        .iter()
        .map(|r| {
            (
                r.to_string(),
                fs::read(meta.join(format!("{r}.json"))).unwrap(),
            )
        })
        .collect()
}

#[test]
fn publish_makes_notarys_unpublished_repository_readable_by_notary() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("repo"));
    let files = init_unpublished(srv, &sb.trust(), &gun, None);
    let http = http(&sb, srv);
    let server = Url::parse(srv.url()).unwrap();
    let ts = TrustServer::new(&http, &server, &gun, "push,pull").unwrap();
    assert_eq!(ts.get("root.json", ROOT_LIMIT).unwrap(), None);

    ts.publish(&files).unwrap();
    assert_eq!(http.request_count(), 2);
    assert_eq!(
        ts.get("root.json", ROOT_LIMIT).unwrap().unwrap(),
        files[0].1
    );
    // notary with a fresh trust dir: trusts the root on first use, verifies all, no targets.
    let fresh = Sandbox::new();
    let out = notary(srv, &fresh.trust(), &["list", &gun], None);
    assert!(
        out.contains("No targets present in this repository."),
        "{out}"
    );

    // The same files again: the server holds those versions already.
    let before = http.request_count();
    let err = ts.publish(&files).unwrap_err();
    assert!(is_conflict(&err), "{err:?}");
    assert_eq!(err.exit_code(), ExitCode::Failure);
    assert_eq!(
        err.to_string(),
        format!(
            "trust server {} already holds newer trust data for {gun}: another client published \
             first",
            srv.get("TRUST_SERVER_HOST")
        )
    );
    assert_eq!(http.request_count() - before, 1);
}

#[test]
fn empty_publish_is_sent_and_the_servers_refusal_decoded() {
    // An empty multipart asks the server to re-sign snapshot and timestamp; for a repository
    // whose snapshot key is the client's (notary init), it cannot, and says so.
    let srv = servers();
    let sb = Sandbox::new();
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("empty"));
    let files = init_unpublished(srv, &sb.trust(), &gun, None);
    let http = http(&sb, srv);
    let ts = TrustServer::new(&http, &Url::parse(srv.url()).unwrap(), &gun, "push,pull").unwrap();
    ts.publish(&files).unwrap();
    let err = ts.publish(&[]).unwrap_err();
    assert!(matches!(err, Error::Other(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Metadata hierarchy is incomplete: no snapshot was included in update and server does \
         not hold current snapshot key for repository"
    );
}

#[test]
fn tampered_targets_is_refused_in_notarys_words() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("tamper"));
    let mut files = init_unpublished(srv, &sb.trust(), &gun, None);
    let targets = String::from_utf8(files[1].1.clone()).unwrap();
    let tampered = targets.replacen("\"expires\":\"20", "\"expires\":\"21", 1);
    assert_ne!(tampered, targets);
    files[1].1 = tampered.into_bytes();
    let http = http(&sb, srv);
    let ts = TrustServer::new(&http, &Url::parse(srv.url()).unwrap(), &gun, "push,pull").unwrap();
    let err = ts.publish(&files).unwrap_err();
    assert!(matches!(err, Error::Other(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "The targets metadata is invalid: valid signatures did not meet threshold for targets"
    );
    assert_eq!(ts.get("root.json", ROOT_LIMIT).unwrap(), None);
}

#[test]
fn publish_to_a_dead_server_is_one_network_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sb = Sandbox::new();
    let http = Http::new(HttpOptions::new(sb.config())).unwrap();
    let server = Url::parse(&format!("https://127.0.0.1:{port}")).unwrap();
    let ts = TrustServer::new(&http, &server, "reg.example/a", "push,pull").unwrap();
    let err = ts
        .publish(&[("root".to_string(), b"{}".to_vec())])
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network, "{err}");
    assert_eq!(http.request_count(), 1, "a POST is never retried");
}

#[test]
fn server_keys_parse_as_tuf_keys() {
    let srv = servers();
    let sb = Sandbox::new();
    let http = http(&sb, srv);
    let server = Url::parse(srv.url()).unwrap();
    // A collection the server has never seen: it makes the keys on request.
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("keys"));
    let ts = TrustServer::new(&http, &server, &gun, "push,pull").unwrap();
    for role in ["timestamp", "snapshot"] {
        let key: Key = serde_json::from_slice(&ts.get_key(role).unwrap()).unwrap();
        assert_eq!(key.keytype, "ed25519", "{role}");
        assert_eq!(key.public.len(), 32, "{role}");
    }
    // A published collection: the timestamp key is the one its root lists for the timestamp.
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("keys"));
    let files = init_unpublished(srv, &sb.trust(), &gun, None);
    let ts = TrustServer::new(&http, &server, &gun, "push,pull").unwrap();
    ts.publish(&files).unwrap();
    let root: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    let listed = root["signed"]["roles"]["timestamp"]["keyids"][0]
        .as_str()
        .unwrap()
        .to_string();
    let key: Key = serde_json::from_slice(&ts.get_key("timestamp").unwrap()).unwrap();
    assert_eq!(key.id(), listed);
    // Rotation (needs `*`) hands out a new ed25519 key.
    let new: Key = serde_json::from_slice(&ts.rotate_key("timestamp").unwrap()).unwrap();
    assert_eq!(new.keytype, "ed25519");
    assert_ne!(new.id(), listed);
}

// ---------------------------------------------------------------- trust server: publish with token auth

#[test]
fn auth_signer_publishes_and_reader_is_refused() {
    let srv = auth_servers();
    let signer = (
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    let reader = (
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    let sb = Sandbox::new();
    let gun = format!("{}/pub/{}", srv.registry_host(), unique("auth"));
    let files = init_unpublished(srv, &sb.trust(), &gun, Some(signer));
    let server = Url::parse(srv.url()).unwrap();

    let rs = Sandbox::new();
    auths_config(&rs, srv.registry_host(), reader.0, reader.1);
    let http_r = http(&rs, srv);
    let ts = TrustServer::new(&http_r, &server, &gun, "push,pull").unwrap();
    let err = ts.publish(&files).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "reader is not authorised for repository:{gun}:push,pull on {}",
            srv.get("TRUST_SERVER_HOST")
        )
    );

    let ss = Sandbox::new();
    auths_config(&ss, srv.registry_host(), signer.0, signer.1);
    let http_s = http(&ss, srv);
    let ts = TrustServer::new(&http_s, &server, &gun, "pull,push").unwrap();
    ts.publish(&files).unwrap();
    // POST → 401, token, POST again: the body is sent twice, the publish happens once.
    assert_eq!(http_s.request_count(), 3);
    let fresh = Sandbox::new();
    let out = notary(srv, &fresh.trust(), &["list", &gun], Some(reader));
    assert!(out.contains("No targets present"), "{out}");
}
