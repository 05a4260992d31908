//! The registry client (`dct::remote::registry`) and the trust server's write calls
//! (`TrustServer::publish`, `get_key`) against the real docker-registry and notary-server of the
//! harness (plain and token-auth mode), with images pushed by `scripts/push-image` and
//! repositories made by the real notary CLI; plus a tiny plain-http server on loopback for what
//! the real registry will not do (refuse HEAD, lie about a digest, speak no TLS).

use std::fs;
use std::path::PathBuf;

use crate::support::http_fake::{FakeHttp, response};
use crate::support::{
    Sandbox, Servers, auth_servers, auths_json, free_port, ok, push, repo_path, servers, unique,
};
use dct::oci::{DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_ACCEPT, OCI_INDEX, OCI_MANIFEST};
use dct::reference::Reference;
use dct::remote::registry::Registry;
use dct::remote::trust::{ROOT_LIMIT, TrustServer, is_conflict};
use dct::remote::{Http, HttpOptions};
use dct::tuf::meta::Key;
use dct::{Error, ExitCode};
use sha2::{Digest, Sha256};
use url::Url;

fn http(sb: &Sandbox, srv: &Servers) -> Http {
    let mut o = HttpOptions::new(sb.config());
    o.tls_ca_cert = Some(PathBuf::from(srv.ca()));
    Http::new(o).unwrap()
}

// ---------------------------------------------------------------- registry: the real registry

#[test]
fn manifest_digest_and_size_are_those_of_the_pushed_bytes() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "reg/img");
    let http = http(&sb, srv);
    let registry = Registry::new(&http, &Reference::parse(&gun).unwrap()).unwrap();
    let kinds: [(&[&str], &str); 4] = [
        (&[], DOCKER_MANIFEST),
        (&["--oci"], OCI_MANIFEST),
        (&["--index"], DOCKER_MANIFEST_LIST),
        (&["--oci", "--index"], OCI_INDEX),
    ];
    for (i, (options, media_type)) in kinds.into_iter().enumerate() {
        let tag = format!("t{i}");
        let (digest, size, mt) = push(srv, options, &gun, &tag);
        assert_eq!(mt, media_type);
        let before = http.request_count();
        let info = registry.manifest(&tag).unwrap();
        assert_eq!(info.digest.to_string(), digest, "{options:?}");
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
    let gun = unique(srv, "reg/bytes");
    let repo = repo_path(srv, &gun);
    let (digest, size, _) = push(srv, &["--index"], &gun, "v1");
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
    let gun = unique(srv, "reg/missing");
    let repo = repo_path(srv, &gun);
    push(srv, &[], &gun, "v1");
    let http = http(&sb, srv);
    let host = srv.registry_host();
    let registry = Registry::new(&http, &Reference::parse(&gun).unwrap()).unwrap();
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
    let other = Registry::new(
        &http,
        &Reference::parse(&unique(srv, "reg/never-pushed")).unwrap(),
    )
    .unwrap();
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
    let registry = Registry::new(&http, &Reference::parse(&unique(srv, "reg/x")).unwrap()).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Network);
    assert!(err.to_string().starts_with("TLS connection to"), "{err}");
}

// ---------------------------------------------------------------- registry: token auth

#[test]
fn auth_reader_resolves_and_anonymous_is_refused() {
    let srv = auth_servers();
    let gun = unique(srv, "reg/auth");
    let (digest, size, _) = push(srv, &["--oci", "--index"], &gun, "v1");

    let sb = Sandbox::new();
    sb.write_config(&auths_json(
        srv.registry_host(),
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    ));
    let http = http(&sb, srv);
    let registry = Registry::new(&http, &Reference::parse(&gun).unwrap()).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!((info.digest.to_string(), info.size), (digest.clone(), size));
    assert_eq!(info.media_type, OCI_INDEX);
    // HEAD → 401, token, HEAD again; then the cached token is sent right away.
    assert_eq!(http.request_count(), 3);
    registry.manifest(&digest).unwrap();
    assert_eq!(http.request_count(), 4);

    let anon = Sandbox::new();
    let http = self::http(&anon, srv);
    let registry = Registry::new(&http, &Reference::parse(&gun).unwrap()).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Auth, "{err}");
}

// ---------------------------------------------------------------- registry: a scripted plain-http server

/// A response that ends its connection, as the real registry's fakes answer one request per
/// connection.
fn resp(status: u16, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut all = vec!["Connection: close"];
    all.extend(headers.iter().map(String::as_str));
    response(status, &all, body)
}

/// `<fake's address>/<repo>`: a registry on loopback, so https is tried first, then http.
fn reference_at(fake: &FakeHttp, repo: &str) -> Reference {
    Reference::parse(&format!("{}/{repo}", fake.addr)).unwrap()
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
    let plain = FakeHttp::start(|r, _| match r.method.as_str() {
        "HEAD" => resp(405, &[], b""),
        _ => resp(
            200,
            &[format!("Docker-Content-Digest: {}", body_digest())],
            BODY,
        ),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &reference_at(&plain, "a/b")).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!(info.digest.to_string(), body_digest());
    assert_eq!(info.size, BODY.len() as u64);
    // No Content-Type: the media type comes from the body.
    assert_eq!(info.media_type, OCI_INDEX);
    assert_eq!(
        plain.seen_lines(),
        [
            "TLS",
            "HEAD /v2/a/b/manifests/v1",
            "GET /v2/a/b/manifests/v1"
        ]
    );
    // The scheme is remembered: no second TLS attempt.
    registry.manifest(&body_digest()).unwrap();
    assert_eq!(plain.seen_lines().len(), 5);
}

#[test]
fn a_head_without_digest_is_completed_by_a_hashed_get() {
    let plain = FakeHttp::start(|r, _| match r.method.as_str() {
        "HEAD" => resp(200, &["Content-Type: text/plain".into()], b""),
        _ => resp(200, &[format!("Content-Type: {DOCKER_MANIFEST}")], BODY),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &reference_at(&plain, "a")).unwrap();
    let info = registry.manifest("v1").unwrap();
    assert_eq!(
        (info.digest.to_string(), info.media_type.as_str()),
        (body_digest(), DOCKER_MANIFEST)
    );
    assert_eq!(plain.seen_lines().len(), 3);
}

#[test]
fn a_registry_lying_about_the_digest_is_a_verification_error() {
    let liar = format!("sha256:{}", "1".repeat(64));
    let claimed = liar.clone();
    let plain = FakeHttp::start(move |r, _| match r.method.as_str() {
        "HEAD" => resp(405, &[], b""),
        _ => resp(200, &[format!("Docker-Content-Digest: {claimed}")], BODY),
    });
    let sb = Sandbox::new();
    let http = quick_http(&sb);
    let registry = Registry::new(&http, &reference_at(&plain, "a")).unwrap();
    let err = registry.manifest("v1").unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
    assert!(err.to_string().contains(&liar), "{err}");
    // Asked by digest, bytes of another digest are refused even without the header.
    let plain = FakeHttp::start(|r, _| match r.method.as_str() {
        "HEAD" => resp(404, &[], b""),
        _ => resp(200, &[], BODY),
    });
    let registry = Registry::new(&http, &reference_at(&plain, "a")).unwrap();
    assert_eq!(
        registry.manifest(&liar).unwrap_err().exit_code(),
        ExitCode::Usage
    );
    let plain = FakeHttp::start(|r, _| match r.method.as_str() {
        "HEAD" => resp(405, &[], b""),
        _ => resp(200, &[], BODY),
    });
    let registry = Registry::new(&http, &reference_at(&plain, "a")).unwrap();
    let err = registry.manifest(&liar).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Verification, "{err}");
}

// ---------------------------------------------------------------- trust server: publish

/// `notary init GUN` without `-p`: root, targets and snapshot written locally, nothing
/// published. Returns the three files as (role, bytes).
fn init_unpublished(
    srv: &Servers,
    sb: &Sandbox,
    gun: &str,
    user: Option<(&str, &str)>,
) -> Vec<(String, Vec<u8>)> {
    ok(&mut sb.notary_as(srv, user, &["init", gun]));
    let meta = sb.trust().join("tuf").join(gun).join("metadata");
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
    let gun = unique(srv, "pub/repo");
    let files = init_unpublished(srv, &sb, &gun, None);
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
    let out = ok(&mut fresh.notary(srv, &["list", &gun]));
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
    let gun = unique(srv, "pub/empty");
    let files = init_unpublished(srv, &sb, &gun, None);
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
    let gun = unique(srv, "pub/tamper");
    let mut files = init_unpublished(srv, &sb, &gun, None);
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
    let port = free_port();
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
    let gun = unique(srv, "pub/keys");
    let ts = TrustServer::new(&http, &server, &gun, "push,pull").unwrap();
    for role in ["timestamp", "snapshot"] {
        let key: Key = serde_json::from_slice(&ts.get_key(role).unwrap()).unwrap();
        assert_eq!(key.keytype, "ed25519", "{role}");
        assert_eq!(key.public.len(), 32, "{role}");
    }
    // A published collection: the timestamp key is the one its root lists for the timestamp.
    let gun = unique(srv, "pub/keys");
    let files = init_unpublished(srv, &sb, &gun, None);
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
    let gun = unique(srv, "pub/auth");
    let files = init_unpublished(srv, &sb, &gun, Some(signer));
    let server = Url::parse(srv.url()).unwrap();

    let rs = Sandbox::new();
    rs.write_config(&auths_json(srv.registry_host(), reader.0, reader.1));
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
    ss.write_config(&auths_json(srv.registry_host(), signer.0, signer.1));
    let http_s = http(&ss, srv);
    let ts = TrustServer::new(&http_s, &server, &gun, "pull,push").unwrap();
    ts.publish(&files).unwrap();
    // POST → 401, token, POST again: the body is sent twice, the publish happens once.
    assert_eq!(http_s.request_count(), 3);
    let fresh = Sandbox::new();
    let out = ok(&mut fresh.notary_as(srv, Some(reader), &["list", &gun]));
    assert!(out.contains("No targets present"), "{out}");
}
