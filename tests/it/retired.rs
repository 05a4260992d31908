//! Docker Hub's retired notary (`notary.docker.io`): the once-per-run notice and the
//! explanation its failures carry, exit codes unchanged. No test can reach the real server, so
//! dct talks to "notary.docker.io" through a CONNECT proxy (`HTTPS_PROXY`, as reqwest honours it)
//! that leads to the fake trust server, whose harness certificate also names notary.docker.io.
//! The fake serves what Docker Hub serves today: a root whose certificate has expired.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

use crate::support::fake_server::FakeServer;
use crate::support::repo::{RepoBuilder, RootKey, YEAR};
use crate::support::{Sandbox, run, servers, unique};
use dct::ops::retired::{EXPLANATION, NOTICE};

/// A CONNECT proxy on 127.0.0.1 that tunnels every request to `127.0.0.1:port`, whatever host
/// it names; its URL. Lives as long as the test process.
fn proxy_to(port: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || tunnel(client, port));
        }
    });
    url
}

fn tunnel(client: TcpStream, port: u16) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut line = String::new();
    // The request line and headers, up to the blank line.
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line == "\r\n" {
            break;
        }
        line.clear();
    }
    let Ok(upstream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let mut c = client;
    if c.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (mut c2, mut u2) = (c.try_clone().unwrap(), upstream.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut u2);
        let _ = u2.shutdown(std::net::Shutdown::Write);
    });
    let mut upstream = upstream;
    let _ = std::io::copy(&mut upstream, &mut c2);
    let _ = c.shutdown(std::net::Shutdown::Both);
    let _ = up.join();
}

/// `docker.io/library/alpine` as Docker Hub serves it now: a root whose certificate expired
/// (issued 11 years ago, valid 10), everything else in date.
fn hub_alpine() -> FakeServer {
    let mut b = RepoBuilder::new("docker.io/library/alpine");
    b.root_keys = vec![RootKey::generate(&b.gun, b.now - 11 * YEAR)];
    b.sign_root(&[]);
    b.add_target("targets", "latest", b"{\"manifest\":\"alpine\"}");
    let fake = FakeServer::start();
    fake.serve(&b.build());
    fake
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn docker_hubs_notary_is_named_once_and_its_failures_explained_with_the_same_exit_code() {
    let fake = hub_alpine();
    let proxy = proxy_to(fake.port);
    let sb = Sandbox::new();
    let dct = |args: &[&str]| {
        let mut c = sb.dct(&["--tlscacert", fake.ca.to_str().unwrap()]);
        c.args(args)
            .env("HTTPS_PROXY", &proxy)
            .env_remove("NO_PROXY");
        run(&mut c)
    };

    // The expired root certificate: exit 4 as for any verification failure, Docker's words,
    // the notice once, the explanation after the error.
    let (code, out, err) = dct(&["lookup", "alpine:latest"]);
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty());
    assert_eq!(count(&err, NOTICE), 1, "{err}");
    assert!(
        err.contains("unable to retrieve valid leaf certificates"),
        "{err}"
    );
    assert!(err.trim_end().ends_with(EXPLANATION), "{err}");
    assert!(
        fake.take_requests()
            .iter()
            .any(|r| r.contains("docker.io/library/alpine/_trust/tuf/")),
        "the fake was not asked"
    );

    // inspect and the explicit -s URL go the same way; -q drops the notice, not the reason.
    let (code, _, err) = dct(&["-q", "inspect", "docker.io/library/alpine"]);
    assert_eq!(code, 4, "{err}");
    assert_eq!(count(&err, NOTICE), 0, "{err}");
    assert!(err.trim_end().ends_with(EXPLANATION), "{err}");
    let (code, _, err) = dct(&["-s", "https://notary.docker.io", "lookup", "alpine:latest"]);
    assert_eq!((code, count(&err, NOTICE)), (4, 1), "{err}");

    // Signing goes to the same server: the notice, and the failure explained.
    let (code, _, err) = dct(&[
        "sign",
        "alpine:mine",
        "--digest",
        &format!("sha256:{}", "ab".repeat(32)),
        "--size",
        "10",
    ]);
    assert_eq!(code, 4, "{err}");
    assert_eq!(count(&err, NOTICE), 1, "{err}");
    assert!(err.trim_end().ends_with(EXPLANATION), "{err}");

    // A server that no longer answers: exit 6, explained.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = proxy_to(closed.local_addr().unwrap().port());
    drop(closed);
    let mut c = sb.dct(&["lookup", "alpine:latest"]);
    c.env("HTTPS_PROXY", &dead).env_remove("NO_PROXY");
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 6, "{err}");
    assert_eq!(count(&err, NOTICE), 1, "{err}");
    assert!(err.trim_end().ends_with(EXPLANATION), "{err}");
}

#[test]
fn other_trust_servers_get_neither_notice_nor_explanation() {
    let srv = servers();
    let sb = Sandbox::new();
    let gun = unique(srv, "retired/none");
    let (code, _, err) = run(&mut sb.dct(&[
        "-s",
        srv.get("TRUST_SERVER_URL"),
        "--tlscacert",
        srv.ca(),
        "lookup",
        &format!("{gun}:latest"),
    ]));
    assert_eq!(code, 3, "{err}");
    assert!(!err.contains("notary.docker.io"), "{err}");
}
