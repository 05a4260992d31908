//! Field robustness (issue 10): re-pushing an image with MiB layers and a multi-platform index
//! against the real harness; time limits against silent and dripping servers; the trust server
//! URL rules; key file permissions as ssh checks them.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::image::{noise, put_blob, sha};
use crate::support::signing::Client;
use crate::support::{Sandbox, ok, run, servers, unique};

fn descriptor(media_type: &str, (digest, size): &(String, usize), extra: &str) -> String {
    format!(r#"{{"mediaType":"{media_type}","size":{size},"digest":"{digest}"{extra}}}"#)
}

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const MIB: usize = 1 << 20;

/// An OCI layout at `dir` holding one two-platform image named `v1`: an OCI index over
/// linux/amd64 and linux/arm64 manifests that share a 6 MiB base layer and have a 3 MiB and a
/// 2 MiB layer of their own. Returns (index digest, number of distinct blobs).
fn multi_platform_layout(dir: &Path, seed: &str) -> (String, usize) {
    let base = put_blob(dir, &noise(&format!("{seed}-base"), 6 * MIB));
    let mut children = Vec::new();
    for (arch, mib) in [("amd64", 3), ("arm64", 2)] {
        let config = put_blob(
            dir,
            format!(
                r#"{{"architecture":"{arch}","os":"linux","rootfs":{{"type":"layers","diff_ids":[]}}}}"#
            )
            .as_bytes(),
        );
        let own = put_blob(dir, &noise(&format!("{seed}-{arch}"), mib * MIB));
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{},"layers":[{},{}]}}"#,
            descriptor(CONFIG, &config, ""),
            descriptor(LAYER, &base, ""),
            descriptor(LAYER, &own, "")
        );
        let m = put_blob(dir, manifest.as_bytes());
        children.push(descriptor(
            OCI_MANIFEST,
            &m,
            &format!(r#","platform":{{"architecture":"{arch}","os":"linux"}}"#),
        ));
    }
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{}]}}"#,
        children.join(",")
    );
    let top = put_blob(dir, index.as_bytes());
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{}]}}"#,
            descriptor(
                OCI_INDEX,
                &top,
                r#","annotations":{"org.opencontainers.image.ref.name":"v1"}"#
            )
        ),
    )
    .unwrap();
    // Two configs, the shared base, one layer per platform.
    (top.0, 5)
}

/// Lines of `-v` output for blob uploads (POST/PATCH/PUT on blobs).
fn blob_uploads(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| {
            l.contains("/blobs/")
                && (l.contains("dct: POST") || l.contains("dct: PUT") || l.contains("dct: PATCH"))
        })
        .count()
}

// ---------------------------------------------------------------- re-push

#[test]
fn re_pushing_an_image_with_mib_layers_and_an_index_finds_every_layer() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "field/repush");
    let dir = c.sb.path().join("layout");
    let (index, blobs) = multi_platform_layout(&dir, "repush");
    let from = format!("oci:{}", dir.display());

    let (code, out, err) = run(&mut c.dct(&["push", &format!("{gun}:v1"), "--from", &from]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(err.matches(": Pushed").count(), blobs, "{err}");
    assert!(out.contains(&format!("v1: digest: {index} ")), "{out}");

    // The same tag again, then another tag: every blob is there (HEAD answers with the blob's
    // MiB Content-Length and no body), nothing is uploaded, both tags are signed.
    for tag in ["v1", "v2"] {
        let (code, out, err) = run(&mut c.dct(&[
            "-v",
            "push",
            &format!("{gun}:{tag}"),
            "--from",
            &format!("{from}:v1"),
        ]));
        assert_eq!(code, 0, "{tag}: {out}\n{err}");
        assert_eq!(
            err.matches(": Layer already exists").count(),
            blobs,
            "{tag}: {err}"
        );
        assert_eq!(err.matches(": Pushed").count(), 0, "{tag}: {err}");
        assert_eq!(blob_uploads(&err), 0, "{tag}: {err}");
        assert!(err.contains("dct: HEAD"), "{err}");
        assert!(
            out.contains(&format!("Successfully signed {gun}:{tag}")),
            "{out}"
        );
        let looked = ok(&mut c.dct(&["lookup", &format!("{gun}:{tag}")]));
        assert_eq!(looked.trim(), format!("{gun}@{index}"));
    }
}

// ---------------------------------------------------------------- silent and dripping servers

/// A server that accepts TCP connections and never answers.
fn silent_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    addr
}

/// Runs `cmd`: (exit code, stdout, stderr, how long it took).
fn timed(cmd: &mut Command) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let (code, out, err) = run(cmd);
    (code, out, err, started.elapsed())
}

/// The seconds in `… did not answer within N s …`.
fn waited(stderr: &str) -> f64 {
    let tail = stderr
        .split("did not answer within ")
        .nth(1)
        .unwrap_or_else(|| panic!("no 'did not answer within' in {stderr}"));
    tail.split(" s").next().unwrap().parse().unwrap()
}

/// A silent server with `DCT_TIMEOUT=3` ends the command within 8 s (twice the timeout and a
/// little), exit 6, and the message states the time really waited.
fn assert_gives_up_in_time(what: &str, cmd: &mut Command) {
    let (code, out, err, took) = timed(cmd);
    eprintln!("{what}: exit {code} after {took:?}: {}", err.trim_end());
    assert_eq!(code, 6, "{what}: {out}\n{err}");
    assert!(
        took < Duration::from_secs(8),
        "{what}: took {took:?}\n{err}"
    );
    assert!(
        took >= Duration::from_secs(3),
        "{what}: took {took:?}\n{err}"
    );
    let said = waited(&err);
    assert!(
        (3.0..=8.0).contains(&said) && (said - took.as_secs_f64()).abs() < 1.5,
        "{what}: says {said} s, took {took:?}\n{err}"
    );
    assert!(
        err.contains("--timeout/DCT_TIMEOUT is 3 s"),
        "{what}: {err}"
    );
}

#[test]
fn a_silent_trust_server_ends_lookup_within_twice_the_timeout() {
    let srv = servers();
    let silent = silent_server();
    let c = Client::new(srv);
    let gun = unique(srv, "field/silent-trust");
    let server = format!("https://{silent}");
    assert_gives_up_in_time(
        "lookup (DCT_TIMEOUT)",
        c.sb.dct(&["-s", &server, "lookup", &format!("{gun}:v1")])
            .env("DCT_TIMEOUT", "3"),
    );
    // The flag does the same.
    assert_gives_up_in_time(
        "lookup (--timeout)",
        &mut c.sb.dct(&[
            "-s",
            &server,
            "--timeout",
            "3",
            "lookup",
            &format!("{gun}:v1"),
        ]),
    );
}

#[test]
fn a_silent_registry_ends_sign_pull_and_push_within_twice_the_timeout() {
    let srv = servers();
    let silent = silent_server();
    let c = Client::new(srv);
    let image = format!("{silent}/field/silent:v1");
    // sign without --digest asks the registry first (HEAD over https, then the plain-http
    // fallback of loopback registries, which the spent budget leaves out).
    assert_gives_up_in_time("sign", c.dct(&["sign", &image]).env("DCT_TIMEOUT", "3"));
    let out = c.sb.path().join("pulled");
    assert_gives_up_in_time(
        "pull",
        c.dct(&[
            "pull",
            "--disable-content-trust",
            &image,
            "--output",
            &format!("oci:{}", out.display()),
        ])
        .env("DCT_TIMEOUT", "3"),
    );
    let dir = c.sb.path().join("layout");
    put_blob(&dir, b"{}");
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{},"layers":[]}}"#,
        descriptor(CONFIG, &(sha(b"{}"), 2), "")
    );
    let m = put_blob(&dir, manifest.as_bytes());
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{}]}}"#,
            descriptor(OCI_MANIFEST, &m, "")
        ),
    )
    .unwrap();
    assert_gives_up_in_time(
        "push",
        c.dct(&["push", &image, "--from", &format!("oci:{}", dir.display())])
            .env("DCT_TIMEOUT", "3"),
    );
    assert!(
        c.sb.key_ids().is_empty(),
        "no key made: {:?}",
        c.sb.key_ids()
    );
}

/// One scripted answer: status line, headers, body, and the rate the body is sent at (bytes
/// per second; `None`: at once).
struct Reply {
    status: &'static str,
    headers: Vec<String>,
    body: Vec<u8>,
    rate: Option<usize>,
}

type Handler = Arc<dyn Fn(&str, &str) -> Reply + Send + Sync>;

/// A plain-http "registry" on loopback, a thread per connection, one request per connection;
/// answers a TLS ClientHello with 400 (as Go's servers do), so dct falls back to http.
fn scripted_registry(handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handler: Handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(s) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || serve_one(s, &handler));
        }
    });
    addr
}

fn serve_one(mut s: TcpStream, handler: &Handler) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf[0] == 0x16 {
            let _ = s.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
            return;
        }
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut first = head.lines().next().unwrap_or_default().split(' ');
    let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let reply = handler(method, path);
    let mut out = format!("HTTP/1.1 {}\r\nConnection: close\r\n", reply.status);
    for h in &reply.headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
    if s.write_all(out.as_bytes()).is_err() || method == "HEAD" {
        return;
    }
    match reply.rate {
        None => {
            let _ = s.write_all(&reply.body);
        }
        Some(rate) => {
            // A tenth of a second's worth every 100 ms.
            for piece in reply.body.chunks((rate / 10).max(1)) {
                if s.write_all(piece).and_then(|_| s.flush()).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// A registry serving one OCI image (`v1`) whose layer (`layer` bytes) is sent at `rate`.
fn slow_registry(layer: Vec<u8>, rate: usize) -> SocketAddr {
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#
            .to_vec();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{},"layers":[{}]}}"#,
        descriptor(CONFIG, &(sha(&config), config.len()), ""),
        descriptor(LAYER, &(sha(&layer), layer.len()), "")
    )
    .into_bytes();
    let (md, cd, ld) = (sha(&manifest), sha(&config), sha(&layer));
    scripted_registry(move |_method, path| {
        let ok = |headers: Vec<String>, body: &[u8], rate| Reply {
            status: "200 OK",
            headers,
            body: body.to_vec(),
            rate,
        };
        if path.contains("/manifests/") {
            ok(
                vec![
                    format!("Content-Type: {OCI_MANIFEST}"),
                    format!("Docker-Content-Digest: {md}"),
                ],
                &manifest,
                None,
            )
        } else if path.ends_with(&cd) {
            ok(vec![], &config, None)
        } else if path.ends_with(&ld) {
            ok(vec![], &layer, Some(rate))
        } else {
            Reply {
                status: "404 Not Found",
                headers: vec![],
                body: vec![],
                rate: None,
            }
        }
    })
}

#[test]
fn a_registry_dripping_a_blob_below_the_floor_is_abandoned() {
    // 200 bytes a second of a 1 MiB layer would take 90 minutes.
    let addr = slow_registry(noise("drip", MIB), 200);
    let sb = Sandbox::new();
    let out = sb.path().join("pulled");
    let (code, stdout, err, took) = timed(
        sb.dct(&[
            "pull",
            "--disable-content-trust",
            &format!("{addr}/field/drip:v1"),
            "--output",
            &format!("oci:{}", out.display()),
        ])
        .env("DCT_TIMEOUT", "3"),
    );
    eprintln!("drip: exit {code} after {took:?}: {}", err.trim_end());
    assert_eq!(code, 6, "{stdout}\n{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}\n{err}");
    assert!(
        err.contains("too slow") && err.contains("below the floor of 1 KiB/s"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_slow_blob_above_the_floor_takes_as_long_as_it_takes() {
    // 48 KiB at 6 KiB/s: 8 s, longer than twice the timeout, but never stalled.
    let layer = noise("slow", 48 << 10);
    let digest = sha(&layer);
    let addr = slow_registry(layer, 6 << 10);
    let sb = Sandbox::new();
    let out = sb.path().join("pulled");
    let (code, stdout, err, took) = timed(&mut sb.dct(&[
        "--timeout",
        "3",
        "pull",
        "--disable-content-trust",
        &format!("{addr}/field/slow:v1"),
        "--output",
        &format!("oci:{}", out.display()),
    ]));
    assert_eq!(code, 0, "{stdout}\n{err}");
    assert!(took > Duration::from_secs(6), "took {took:?}");
    assert!(
        out.join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"))
            .is_file()
    );
}

#[test]
fn bad_timeouts_are_usage_errors() {
    let sb = Sandbox::new();
    for bad in ["0", "abc", "-1", "1e3", "", "0.0"] {
        let (code, _, err) = run(&mut sb.dct(&[&format!("--timeout={bad}"), "key", "list"]));
        assert_eq!(code, 2, "--timeout {bad:?}: {err}");
        assert!(err.contains("--timeout"), "{err}");
        let (code, _, err) = run(sb.dct(&["key", "list"]).env("DCT_TIMEOUT", bad));
        if bad.is_empty() {
            // An empty variable is unset, as Docker treats its variables.
            assert_eq!(code, 0, "DCT_TIMEOUT={bad:?}: {err}");
        } else {
            assert_eq!(code, 2, "DCT_TIMEOUT={bad:?}: {err}");
            assert!(err.contains("DCT_TIMEOUT"), "{err}");
        }
    }
    ok(&mut sb.dct(&["--timeout", "2.5", "key", "list"]));
    let out = ok(sb.dct(&["env"]).env("DCT_TIMEOUT", "7"));
    let row = out.lines().find(|l| l.starts_with("DCT_TIMEOUT")).unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["DCT_TIMEOUT", "yes", "7"]
    );
}

// ---------------------------------------------------------------- trust server URL rules

#[test]
fn trust_server_urls_with_query_fragment_empty_or_plain_http_are_usage_errors() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "field/url");
    let digest = format!("sha256:{}", "ab".repeat(32));
    for (bad, why) in [
        ("https://127.0.0.1:4443/?x", "a query (?…) is not allowed"),
        (
            "https://127.0.0.1:4443/notary#top",
            "a fragment (#…) is not allowed",
        ),
        ("", "the URL is empty"),
        ("http://127.0.0.1:4443", "the scheme is http, not https"),
    ] {
        let (code, _, err) = run(&mut c.dct_at(bad, &["lookup", &format!("{gun}:v1")]));
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(
            err.contains(&format!("got {bad:?}: {why}"))
                && err.contains("https://HOST[:PORT][/PATH] (without query or fragment)"),
            "{bad:?}: {err}"
        );
        // sign names the same error before any key is made or change staged.
        let (code, _, err) = run(&mut c.dct_at(
            bad,
            &[
                "sign",
                &format!("{gun}:v1"),
                "--digest",
                &digest,
                "--size",
                "10",
            ],
        ));
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(err.contains(why), "{err}");
        assert!(c.sb.key_ids().is_empty(), "{:?}", c.sb.key_ids());
        assert!(!c.sb.trust().join("tuf").exists());
    }
    // The variable: a query is refused the same way; empty means unset (the default server,
    // https://<registry>, is asked: here a dead port, so a network error, not a usage error).
    let (code, _, err) = run(c
        .sb
        .dct(&["lookup", &format!("{gun}:v1")])
        .env("DOCKER_CONTENT_TRUST_SERVER", "https://127.0.0.1:4443/?x"));
    assert_eq!(code, 2, "{err}");
    let dead = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, err) = run(c
        .sb
        .dct(&["lookup", &format!("{dead}/field/url:v1")])
        .env("DOCKER_CONTENT_TRUST_SERVER", ""));
    assert_eq!(code, 6, "{err}");
    assert!(err.contains(&dead.to_string()), "{err}");
}

// ---------------------------------------------------------------- key file permissions

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn key_files_others_can_read_are_refused_with_the_chmod_to_run() {
    let sb = Sandbox::new();
    ok(sb
        .dct(&[
            "key",
            "generate",
            "alice",
            "--dir",
            sb.path().to_str().unwrap(),
        ])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        ));
    let id = sb.key_ids().pop().unwrap();
    let key = sb.private().join(format!("{id}.key"));
    assert_eq!(mode(&key), 0o600);
    ok(&mut sb.dct(&["key", "list"]));

    for m in [0o644, 0o640, 0o660, 0o604] {
        chmod(&key, m);
        for args in [
            &["key", "list"][..],
            &["key", "list", "--json"],
            &["key", "export", "--key", &id],
            &["key", "passwd", &id],
        ] {
            let (code, out, err) = run(sb.dct(args).env("DCT_NEW_PASSPHRASE", "newpassphrase"));
            assert_eq!(code, 2, "{args:?} {m:o}: {out}\n{err}");
            assert!(
                err.contains(&format!(
                    "key file {} is accessible by others (mode {m:04o})",
                    key.display()
                )) && err
                    .trim_end()
                    .ends_with(&format!("run `chmod 600 {}`", key.display())),
                "{args:?}: {err}"
            );
            assert!(out.is_empty(), "{out}");
        }
    }
    // After the advice, everything works again.
    chmod(&key, 0o600);
    let out = ok(&mut sb.dct(&["key", "list"]));
    assert!(out.contains(&id), "{out}");
}

#[test]
fn a_writable_key_directory_is_warned_about() {
    let sb = Sandbox::new();
    ok(sb
        .dct(&[
            "key",
            "generate",
            "alice",
            "--dir",
            sb.path().to_str().unwrap(),
        ])
        .env(
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "alicepassphrase",
        ));
    let private = sb.private();
    assert_eq!(mode(&private), 0o700);
    let (_, _, err) = run(&mut sb.dct(&["key", "list"]));
    assert!(!err.contains("warning"), "{err}");
    chmod(&private, 0o777);
    let (code, out, err) = run(&mut sb.dct(&["key", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("alice"), "{out}");
    assert_eq!(
        err.trim_end(),
        format!(
            "dct: warning: key directory {p} is writable by others (mode 0777): they could \
             replace or remove your keys; run `chmod 700 {p}`",
            p = private.display()
        )
    );
    let (code, _, err) = run(&mut sb.dct(&["-q", "key", "list"]));
    assert_eq!(code, 0);
    assert!(err.is_empty(), "-q: {err}");
}

#[test]
fn signing_refuses_a_readable_key_and_warns_about_a_writable_directory() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "field/perm");
    let (d1, d2) = (
        format!("sha256:{}", "a1".repeat(32)),
        format!("sha256:{}", "b2".repeat(32)),
    );
    let sign = |tag: &str, digest: &str| {
        run(&mut c.dct(&[
            "sign",
            &format!("{gun}:{tag}"),
            "--digest",
            digest,
            "--size",
            "100",
        ]))
    };
    let (code, out, err) = sign("v1", &d1);
    assert_eq!(code, 0, "{out}\n{err}");
    let targets = c.key_id("targets");
    let targets_key = c.sb.private().join(format!("{targets}.key"));
    assert_eq!(mode(&targets_key), 0o600);

    // The targets key readable by the group: exit 2 naming it, nothing published.
    chmod(&targets_key, 0o640);
    let (code, out, err) = sign("v2", &d2);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains(&format!("run `chmod 600 {}`", targets_key.display())),
        "{err}"
    );
    let (code, _, _) = run(&mut c.dct(&["lookup", &format!("{gun}:v2")]));
    assert_eq!(code, 3);

    // A signer (delegation) key: used through the "do I hold it?" check, still exit 2 (not
    // "no key", exit 7).
    chmod(&targets_key, 0o600);
    let pubdir = c.sb.path().join("pub");
    fs::create_dir_all(&pubdir).unwrap();
    ok(&mut c.dct(&["key", "generate", "bob", "--dir", pubdir.to_str().unwrap()]));
    ok(&mut c.dct(&[
        "signer",
        "add",
        "bob",
        &gun,
        "--key",
        pubdir.join("bob.pub").to_str().unwrap(),
    ]));
    let bob = c.key_id("bob");
    let bob_key = c.sb.private().join(format!("{bob}.key"));
    chmod(&bob_key, 0o644);
    let (code, out, err) = sign("v3", &d2);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains(&format!("run `chmod 600 {}`", bob_key.display())),
        "{err}"
    );
    chmod(&bob_key, 0o600);

    // A writable private/ dir: a warning with the chmod, and the signature is made.
    chmod(&c.sb.private(), 0o770);
    let (code, out, err) = sign("v3", &d2);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains(&format!(
            "dct: warning: key directory {p} is writable by others (mode 0770): they could \
             replace or remove your keys; run `chmod 700 {p}`",
            p = c.sb.private().display()
        )),
        "{err}"
    );
    let looked = ok(&mut c.dct(&["lookup", &format!("{gun}:v3")]));
    assert_eq!(looked.trim(), format!("{gun}@{d2}"));
}

#[test]
fn keys_written_by_docker_and_notary_keep_working() {
    let srv = servers();
    let c = Client::new(srv);
    let dir = c.sb.path().join("pub");
    fs::create_dir_all(&dir).unwrap();
    ok(&mut c.docker(&[
        "trust",
        "key",
        "generate",
        "carol",
        "--dir",
        dir.to_str().unwrap(),
    ]));
    ok(&mut c.notary(&["key", "generate", "ecdsa", "--role", "dave"]));
    let ids = c.sb.key_ids();
    assert_eq!(ids.len(), 2, "{ids:?}");
    for id in &ids {
        let p = c.sb.private().join(format!("{id}.key"));
        assert_eq!(mode(&p) & 0o077, 0, "{} is {:o}", p.display(), mode(&p));
    }
    let (code, out, err) = run(&mut c.sb.dct(&["key", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("carol") && out.contains("dave"), "{out}");
    assert!(!err.contains("warning"), "{err}");
}
