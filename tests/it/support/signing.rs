//! Helpers for the signing tests: a signer's config dir that dct, the notary CLI and docker all
//! write from (one trust dir), fresh readers, and runs with a deadline (a prompt on a null stdin
//! must never hang a test).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Sandbox, Servers, config_dir, ok, run};

pub const ROOT_PASS: &str = "rootpassphrase";
pub const REPO_PASS: &str = "repositorypassphrase";

/// One config dir (one trust dir) written by dct, notary and docker.
pub struct Client {
    pub sb: Sandbox,
    pub srv: &'static Servers,
}

impl Client {
    pub fn new(srv: &'static Servers) -> Self {
        Client {
            sb: config_dir(srv),
            srv,
        }
    }

    /// `dct -s URL --tlscacert CA ARGS…` with both passphrases in the environment.
    pub fn dct(&self, args: &[&str]) -> Command {
        self.dct_at(self.srv.url(), args)
    }

    /// `dct -s URL --tlscacert CA ARGS…` without any passphrase variable.
    pub fn bare(&self, args: &[&str]) -> Command {
        let mut all = vec!["-s", self.srv.url(), "--tlscacert", self.srv.ca()];
        all.extend(args);
        self.sb.dct(&all)
    }

    /// Like [`Client::dct`] against another trust server URL (a proxy, a dead port).
    pub fn dct_at(&self, server: &str, args: &[&str]) -> Command {
        let mut all = vec!["-s", server, "--tlscacert", self.srv.ca()];
        all.extend(args);
        let mut c = self.sb.dct(&all);
        c.env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ROOT_PASS)
            .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS);
        c
    }

    /// The notary CLI on the same trust dir (same passphrases).
    pub fn notary(&self, args: &[&str]) -> Command {
        let mut c = self.sb.notary(self.srv, args);
        c.env("NOTARY_TARGETS_PASSPHRASE", REPO_PASS)
            .env("NOTARY_SNAPSHOT_PASSPHRASE", REPO_PASS)
            .env("NOTARY_DELEGATION_PASSPHRASE", REPO_PASS);
        c
    }

    /// The docker CLI on the same config dir (same passphrases).
    pub fn docker(&self, args: &[&str]) -> Command {
        let mut c = self.sb.tool("docker", args);
        c.env("DOCKER_CONFIG", self.sb.config())
            .env("DOCKER_CONTENT_TRUST_SERVER", self.srv.url())
            .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ROOT_PASS)
            .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS);
        c
    }

    /// The ID of the key file whose role header is `role` (`dct key list --json`).
    pub fn key_id(&self, role: &str) -> String {
        let out = ok(&mut self.sb.dct(&["key", "list", "--json"]));
        let keys: serde_json::Value = serde_json::from_str(&out).unwrap();
        keys.as_array()
            .unwrap()
            .iter()
            .find(|k| k["role"] == role)
            .unwrap_or_else(|| panic!("no {role} key in {out}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `dct status IMAGE` (stdout).
    pub fn status(&self, gun: &str) -> String {
        ok(&mut self.dct(&["status", gun]))
    }
}

/// `notary lookup GUN TAG` from a fresh trust dir: Some((hex digest, size)) or None when it
/// fails.
pub fn notary_lookup(srv: &Servers, gun: &str, tag: &str) -> Option<(String, u64)> {
    let (code, out, _) = run(&mut Sandbox::new().notary(srv, &["lookup", gun, tag]));
    if code != 0 {
        return None;
    }
    let f: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(f.len(), 3, "{out}");
    assert_eq!(f[0], tag);
    Some((
        f[1].strip_prefix("sha256:").unwrap_or(f[1]).to_string(),
        f[2].parse().unwrap(),
    ))
}

/// `notary list GUN [-r ROLE]` from a fresh trust dir: the (tag, hex digest) rows.
pub fn notary_list(srv: &Servers, gun: &str, role: Option<&str>) -> Vec<(String, String)> {
    let mut args = vec!["list", gun];
    if let Some(r) = role {
        args.extend(["-r", r]);
    }
    let out = ok(&mut Sandbox::new().notary(srv, &args));
    out.lines()
        .skip(2)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 2).then(|| (f[0].to_string(), f[1].to_string()))
        })
        .collect()
}

/// `dct lookup IMAGE:TAG` from a fresh config dir: (exit code, stdout, stderr).
pub fn dct_lookup(srv: &'static Servers, image: &str) -> (i32, String, String) {
    let sb = config_dir(srv);
    run(&mut sb.dct(&["-s", srv.url(), "lookup", image]))
}

/// `docker trust inspect GUN` from a fresh config dir, parsed.
pub fn docker_inspect(srv: &'static Servers, gun: &str) -> serde_json::Value {
    let sb = config_dir(srv);
    let out = ok(sb
        .tool("docker", &["trust", "inspect", gun])
        .env("DOCKER_CONFIG", sb.config())
        .env("DOCKER_CONTENT_TRUST_SERVER", srv.url()));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0].clone()
}

/// The (tag, digest, signers) rows of a `docker trust inspect` entry.
pub fn signed_tags(inspect: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    inspect["SignedTags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["SignedTag"].as_str().unwrap().to_string(),
                t["Digest"].as_str().unwrap().to_string(),
                t["Signers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The (signer, key IDs) of a `docker trust inspect` entry.
pub fn signers(inspect: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    inspect["Signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Name"].as_str().unwrap().to_string(),
                s["Keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k["ID"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

/// Runs `cmd` (stdin must already be null) and fails the test if it is still running after
/// `limit`: (exit code, stdout, stderr, elapsed).
pub fn run_within(cmd: &mut Command, limit: Duration) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("command runs");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        so.read_to_string(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        se.read_to_string(&mut s).ok();
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("{cmd:?} still running after {limit:?}: it waits for input it cannot get");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    (
        status.code().unwrap_or(-1),
        out.join().unwrap(),
        err.join().unwrap(),
        elapsed,
    )
}

/// The number of POSTs to the trust server that `-v` logged.
pub fn posts(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("dct: POST ") && l.contains("/_trust/tuf/"))
        .count()
}
