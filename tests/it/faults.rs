//! Publishing when things go wrong: a 500 on the POST, the server closing the connection
//! mid-way, the server gone (a dead port), a refused token (the harness in token-auth mode).
//! Each exits with its code, `dct status` still lists the staged change, and a later
//! `dct publish` succeeds. The faults come from `scripts/fault-proxy` in front of the real
//! notary-server.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use crate::support::signing::{Client, dct_lookup, notary_lookup, posts};
use crate::support::{
    ROOT, Servers, auth_servers, auths_json, dead_url, ok, push, run, servers, spawn_server, unique,
};

const HEX_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// `scripts/fault-proxy` in front of the harness's notary-server; killed on drop (and by its
/// --watch when the test process dies).
struct Proxy {
    child: Child,
    url: String,
    mode: PathBuf,
    log: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Proxy {
    fn start(srv: &Servers) -> Proxy {
        let tls = srv.tls_dir();
        let tmp = tempfile::Builder::new()
            .prefix("dct-fault-proxy-")
            .tempdir()
            .unwrap();
        let mode = tmp.path().join("mode");
        let log = tmp.path().join("requests.log");
        let (child, port) = spawn_server(
            Command::new("python3")
                .arg(Path::new(ROOT).join("scripts/fault-proxy"))
                .args(["--upstream", srv.url(), "--ca", srv.ca()])
                .arg("--cert")
                .arg(tls.join("server.crt"))
                .arg("--key")
                .arg(tls.join("server.key"))
                .arg("--mode-file")
                .arg(&mode)
                .arg("--log")
                .arg(&log)
                .args(["--watch", &std::process::id().to_string()]),
        );
        Proxy {
            child,
            url: format!("https://127.0.0.1:{port}"),
            mode,
            log,
            _tmp: tmp,
        }
    }

    fn set(&self, mode: &str) {
        fs::write(&self.mode, mode).unwrap();
    }

    fn requests(&self) -> Vec<String> {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The staged rows (`0    create    targets    target    v1`) of `dct status`.
fn staged(c: &Client, gun: &str) -> Vec<String> {
    c.status(gun)
        .lines()
        .skip(4)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_500_a_closed_connection_and_a_dead_server_keep_the_change_staged() {
    let srv = servers();
    let proxy = Proxy::start(srv);
    let c = Client::new(srv);
    let gun = unique(srv, "faults/proxy");
    let (d, s, _) = push(srv, &[], &gun, "v1");
    ok(&mut c.dct(&["init", &gun]));
    let v1 = format!("{gun}:v1");

    // 500 on the POST: exit 6, the signature stays staged.
    proxy.set("500");
    let (code, out, err) = run(&mut c.dct_at(&proxy.url, &["-v", "sign", &v1]));
    assert_eq!((code, out.as_str()), (6, ""), "{err}");
    assert!(err.contains("500"), "{err}");
    assert_eq!(posts(&err), 1, "{err}");
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.starts_with("POST ") && r.ends_with(" 500"))
    );
    assert_eq!(staged(&c, &gun), ["0 create targets target v1"]);
    assert_eq!(notary_lookup(srv, &gun, "v1"), None);

    // The connection closed without an answer (the server gone mid-way): exit 6, still staged.
    proxy.set("close");
    let (code, _, err) = run(&mut c.dct_at(&proxy.url, &["publish", &gun]));
    assert_eq!(code, 6, "{err}");
    assert!(proxy.requests().iter().any(|r| r.ends_with(" closed")));
    assert_eq!(staged(&c, &gun), ["0 create targets target v1"]);

    // The server not there at all.
    let dead = dead_url();
    let (code, _, err) = run(&mut c.dct_at(&dead, &["publish", &gun]));
    assert_eq!(code, 6, "{err}");
    assert_eq!(staged(&c, &gun), ["0 create targets target v1"]);

    // A --local stage on top, then the server back: one publish takes both.
    let (code, _, err) = run(&mut c.dct(&[
        "sign",
        "--local",
        "--digest",
        &format!("sha256:{HEX_A}"),
        "--size",
        "7",
        &format!("{gun}:v2"),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        staged(&c, &gun),
        ["0 create targets target v1", "1 create targets target v2"]
    );
    let (code, _, err) = run(&mut c.dct_at(&dead, &["publish", &gun]));
    assert_eq!(code, 6, "{err}");
    assert_eq!(staged(&c, &gun).len(), 2);

    proxy.set("pass");
    let (code, out, err) = run(&mut c.dct_at(&proxy.url, &["publish", &gun]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("Successfully published 2 changes for repository {gun}\n")
    );
    assert_eq!(
        c.status(&gun),
        format!("No unpublished changes for {gun}\n")
    );
    let hex = d.strip_prefix("sha256:").unwrap();
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some((hex.to_string(), s)));
    assert_eq!(notary_lookup(srv, &gun, "v2"), Some((HEX_A.to_string(), 7)));
    let (code, out, _) = dct_lookup(srv, &v1);
    assert_eq!((code, out), (0, format!("{gun}@{d}\n")));
}

#[test]
fn a_new_repository_whose_first_publish_fails_is_initialised_by_the_retry() {
    let srv = servers();
    let proxy = Proxy::start(srv);
    let c = Client::new(srv);
    let gun = unique(srv, "faults/new");
    proxy.set("500");
    let image = format!("{gun}:v1");
    let sign = [
        "sign",
        "--digest",
        &format!("sha256:{HEX_A}"),
        "--size",
        "3",
    ];
    let mut args = sign.to_vec();
    args.push(&image);
    let (code, _, err) = run(&mut c.dct_at(&proxy.url, &args));
    assert_eq!(code, 6, "{err}");
    assert_eq!(staged(&c, &gun), ["0 create targets target v1"]);
    assert_eq!(dct_lookup(srv, &image).0, 3);
    // The keys made by the failed attempt are reused: one root key, one targets key.
    let ok_publish = ok(&mut c.dct(&["publish", &gun]));
    assert!(
        ok_publish.contains("Successfully published 1 change"),
        "{ok_publish}"
    );
    assert_eq!(notary_lookup(srv, &gun, "v1"), Some((HEX_A.into(), 3)));
    assert_eq!(c.sb.key_ids().len(), 2, "{:?}", c.sb.key_ids());
}

#[test]
fn token_auth_signer_signs_and_reader_is_refused_with_the_change_kept() {
    let srv = auth_servers();
    let c = Client::new(srv);
    let config = c.sb.config().join("config.json");
    let signer = auths_json(
        srv.registry_host(),
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    let reader = auths_json(
        srv.registry_host(),
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );

    // The signer signs a real image (registry digest through a pull token) into a new repo.
    let gun = unique(srv, "faults/auth");
    let (d1, _, _) = push(srv, &[], &gun, "v1");
    fs::write(&config, &signer).unwrap();
    let (code, out, err) = run(&mut c.dct(&["-v", "sign", &format!("{gun}:v1")]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Successfully signed {gun}:v1\n"));
    assert_eq!(posts(&err), 1, "{err}");
    let lookup = |tag: &str| run(&mut c.dct(&["lookup", &format!("{gun}:{tag}")]));
    assert_eq!(lookup("v1").1, format!("{gun}@{d1}\n"));

    // The reader (pull only): exit 5 naming the user, the signature stays staged, nothing
    // published; on an existing repository and on a new one.
    let (d2, _, _) = push(srv, &["--text", "two"], &gun, "v2");
    let fresh = unique(srv, "faults/auth-new");
    let (d3, _, _) = push(srv, &[], &fresh, "v1");
    fs::write(&config, &reader).unwrap();
    for (repo, image) in [(&gun, format!("{gun}:v2")), (&fresh, format!("{fresh}:v1"))] {
        let (code, out, err) = run(&mut c.dct(&["sign", &image]));
        assert_eq!((code, out.as_str()), (5, ""), "{err}");
        assert!(err.contains("reader is not authorised"), "{err}");
        assert_eq!(
            staged(&c, repo),
            [format!(
                "0 create targets target {}",
                image.rsplit(':').next().unwrap()
            )]
        );
        // dct publish as the reader: refused again, still staged.
        let (code, _, err) = run(&mut c.dct(&["publish", repo]));
        assert_eq!(code, 5, "{err}");
        assert_eq!(staged(&c, repo).len(), 1);
    }
    assert_eq!(lookup("v2").0, 3);

    // Back to the signer: dct publish publishes what the reader staged.
    fs::write(&config, &signer).unwrap();
    for repo in [&gun, &fresh] {
        let (code, out, err) = run(&mut c.dct(&["publish", repo]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out,
            format!("Successfully published 1 change for repository {repo}\n")
        );
        assert_eq!(
            c.status(repo),
            format!("No unpublished changes for {repo}\n")
        );
    }
    assert_eq!(lookup("v2").1, format!("{gun}@{d2}\n"));
    let (_, out, err) = run(&mut c.dct(&["lookup", &format!("{fresh}:v1")]));
    assert_eq!(out, format!("{fresh}@{d3}\n"), "{err}");
}
