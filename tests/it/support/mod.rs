//! Test support: the dct binary (and the notary CLI) in a sandboxed config dir, golden files and
//! fixtures, unique repository names, and the project's real-server harness
//! (`scripts/trust-env`), started once for the test binary and stopped by its watchdog when the
//! test process exits.

pub mod fake_server;
pub mod http_fake;
pub mod image;
pub mod repo;
pub mod signing;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every variable that could leak a passphrase or a config dir into a test.
const SCRUBBED: &[&str] = &[
    "DOCKER_CONFIG",
    "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE",
    "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
    "NOTARY_ROOT_PASSPHRASE",
    "NOTARY_TARGETS_PASSPHRASE",
    "NOTARY_SNAPSHOT_PASSPHRASE",
    "NOTARY_DELEGATION_PASSPHRASE",
    "DCT_NEW_PASSPHRASE",
    "DCT_BACKUP_PASSPHRASE",
    "DOCKER_CONTENT_TRUST_SERVER",
    "DCT_TIMEOUT",
    "NOTARY_AUTH",
    "DCT_PKCS11_MODULE",
    "DCT_PKCS11_PIN",
    "SOFTHSM2_CONF",
];

/// The passphrases the notary CLI gets from [`Sandbox::notary`], one per role.
pub const NOTARY_PASSPHRASES: [(&str, &str); 4] = [
    ("NOTARY_ROOT_PASSPHRASE", "rootpassphrase"),
    ("NOTARY_TARGETS_PASSPHRASE", "targetspassphrase"),
    ("NOTARY_SNAPSHOT_PASSPHRASE", "snapshotpassphrase"),
    ("NOTARY_DELEGATION_PASSPHRASE", "delegationpassphrase"),
];

/// A throwaway Docker config dir (trust dir = `<dir>/trust`).
pub struct Sandbox {
    pub tmp: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn config(&self) -> PathBuf {
        self.tmp.path().join("docker")
    }

    pub fn trust(&self) -> PathBuf {
        self.config().join("trust")
    }

    pub fn private(&self) -> PathBuf {
        self.trust().join("private")
    }

    /// Runs dct (`--config <sandbox> ARGS…`, clean environment) on a real pseudo-terminal,
    /// answering each (expected text, answer) step (tests/it/support/pty_drive.py); returns the
    /// exit code and what the terminal showed.
    pub fn pty(&self, args: &[&str], steps: &[(&str, &str)]) -> (i32, String) {
        self.pty_env(args, &[], steps)
    }

    /// [`Sandbox::pty`] with `env` set for the command.
    pub fn pty_env(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        steps: &[(&str, &str)],
    ) -> (i32, String) {
        let mut argv = vec![
            env!("CARGO_BIN_EXE_dct").to_string(),
            "--config".to_string(),
            self.config().display().to_string(),
        ];
        argv.extend(args.iter().map(|s| s.to_string()));
        let env: serde_json::Map<String, serde_json::Value> = env
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        let spec = serde_json::json!({"argv": argv, "env": env, "steps": steps});
        let mut cmd = Command::new("python3");
        cmd.arg(Path::new(ROOT).join("tests/it/support/pty_drive.py"))
            .arg(spec.to_string())
            .current_dir(self.path());
        for v in SCRUBBED {
            cmd.env_remove(v);
        }
        let out = cmd.output().expect("python3 runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace('\r', ""),
        )
    }

    /// `dct --config <sandbox> ARGS…` with a clean environment and no stdin.
    pub fn dct(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dct"));
        for v in SCRUBBED {
            cmd.env_remove(v);
        }
        cmd.arg("--config").arg(self.config()).args(args);
        cmd.stdin(Stdio::null()).current_dir(self.path());
        cmd
    }

    /// A tool run with a clean environment and no stdin.
    pub fn tool(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        for v in SCRUBBED {
            cmd.env_remove(v);
        }
        cmd.args(args).stdin(Stdio::null()).current_dir(self.path());
        cmd
    }

    /// Every file under the sandbox with its bytes (to prove a failed command changed nothing).
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out.sort();
        out
    }

    /// The notary CLI on this sandbox's trust dir against `srv`: `notary -s URL --tlscacert CA
    /// -d <trust> ARGS…` with a clean environment and [`NOTARY_PASSPHRASES`].
    pub fn notary(&self, srv: &Servers, args: &[&str]) -> Command {
        self.notary_at(&["-s", srv.url(), "--tlscacert", srv.ca()], args)
    }

    /// Like [`Sandbox::notary`], as `user` (user, password) of the token-auth harness
    /// (`NOTARY_AUTH`), or anonymously with `None`.
    pub fn notary_as(&self, srv: &Servers, user: Option<(&str, &str)>, args: &[&str]) -> Command {
        let mut c = self.notary(srv, args);
        if let Some((u, p)) = user {
            c.env("NOTARY_AUTH", b64(&format!("{u}:{p}")));
        }
        c
    }

    /// The notary CLI for commands that must not contact a server (staging): pointed at a
    /// closed port, which proves it.
    pub fn notary_offline(&self, args: &[&str]) -> Command {
        self.notary_at(&["-s", "https://127.0.0.1:1"], args)
    }

    fn notary_at(&self, server: &[&str], args: &[&str]) -> Command {
        let trust = self.trust();
        let mut all = server.to_vec();
        all.extend(["-d", trust.to_str().unwrap()]);
        all.extend(args);
        let mut c = self.tool("notary", &all);
        c.envs(NOTARY_PASSPHRASES);
        c
    }

    /// Trusts the harness CA for `host` the Docker way: `<config>/tls/<host>/ca.crt`.
    pub fn add_ca(&self, srv: &Servers, host: &str) {
        let tls = self.config().join("tls").join(host);
        fs::create_dir_all(&tls).unwrap();
        fs::copy(srv.ca(), tls.join("ca.crt")).unwrap();
    }

    /// Writes `<config>/config.json`.
    pub fn write_config(&self, json: &str) {
        fs::create_dir_all(self.config()).unwrap();
        fs::write(self.config().join("config.json"), json).unwrap();
    }

    /// IDs of the key files in the trust dir.
    pub fn key_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = fs::read_dir(self.private())
            .map(|rd| {
                rd.filter_map(|e| {
                    let name = e.ok()?.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".key").map(str::to_string)
                })
                .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            walk(&p, out);
        } else if ft.is_file() {
            out.push((p.clone(), fs::read(&p).unwrap()));
        }
    }
}

/// A config dir trusting the harness CA for the trust server the Docker way
/// (`tls/<host:port>/ca.crt`).
pub fn config_dir(srv: &Servers) -> Sandbox {
    let sb = Sandbox::new();
    sb.add_ca(srv, srv.get("TRUST_SERVER_HOST"));
    sb
}

/// A repository `<registry host>/<prefix>-<pid>-<n>` that no other test of this run uses:
/// every test shares one harness, so every test that writes to it takes its names from here
/// (one counter for the whole binary).
pub fn unique(srv: &Servers, prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}/{prefix}-{}-{}",
        srv.registry_host(),
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The repository path on the registry (`GUN` minus the registry host).
pub fn repo_path<'a>(srv: &Servers, gun: &'a str) -> &'a str {
    gun.strip_prefix(&format!("{}/", srv.registry_host()))
        .unwrap()
}

/// `scripts/push-image OPTIONS REPO TAG` against `srv`: (digest `sha256:…`, size, media type)
/// of the exact manifest bytes pushed to `gun` (a GUN on `srv`'s registry).
pub fn push(srv: &Servers, options: &[&str], gun: &str, tag: &str) -> (String, u64, String) {
    let mut cmd = Command::new(Path::new(ROOT).join("scripts/push-image"));
    cmd.args(options)
        .arg(repo_path(srv, gun))
        .arg(tag)
        .envs(&srv.env)
        .stdin(Stdio::null());
    let out = ok(&mut cmd);
    let f: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(f.len(), 3, "{out}");
    (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string())
}

/// A loopback port nobody listens on.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// An https URL nobody listens on.
pub fn dead_url() -> String {
    format!("https://127.0.0.1:{}", free_port())
}

/// Standard base64 of `s`.
pub fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A `config.json` holding `user:password` for `registry` in `auths`.
pub fn auths_json(registry: &str, user: &str, password: &str) -> String {
    format!(
        r#"{{"auths":{{"{registry}":{{"auth":"{}"}}}}}}"#,
        b64(&format!("{user}:{password}"))
    )
}

/// A `docker-credential-<name>` script in `<sandbox>/helpers/` that answers `get` for
/// `registry` with `user`/`password` (and "credentials not found" for anything else); returns
/// the dir, for `PATH`.
pub fn credential_helper(
    sb: &Sandbox,
    name: &str,
    registry: &str,
    user: &str,
    password: &str,
) -> PathBuf {
    let dir = sb.path().join("helpers");
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("docker-credential-{name}"));
    fs::write(
        &file,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread -r server\n\
             if [ \"$server\" = '{registry}' ]; then\n\
               printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{password}\"}}\\n' \"$server\"\n\
             else echo 'credentials not found in native keychain'; exit 1; fi\n"
        ),
    )
    .unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `fixtures/<rel>` (made by the real tools, see fixtures/README.md).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(ROOT).join("fixtures").join(rel)
}

/// The path and ID of the fixture key `fixtures/<dir>/<prefix><id>.key`.
pub fn fixture_key(dir: &str, prefix: &str) -> (PathBuf, String) {
    for e in fs::read_dir(fixture(dir)).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(id) = n.strip_prefix(prefix).and_then(|r| r.strip_suffix(".key")) {
            return (fixture(&format!("{dir}/{n}")), id.to_string());
        }
    }
    panic!("no fixture {dir}/{prefix}*")
}

/// The permission bits of `p`.
pub fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Error text with the sandbox path replaced, for golden files.
pub fn scrub(sb: &Sandbox, text: &str) -> String {
    text.replace(&sb.path().display().to_string(), "$SANDBOX")
}

/// A directory's (relative path, full mode, bytes or None for a dir) entries, sorted.
pub type Tree = Vec<(PathBuf, u32, Option<Vec<u8>>)>;

/// Every file and dir under `dir` (itself included, as the empty path) with its full mode and
/// bytes, to prove a failed run changed nothing, not even a mode. Empty when `dir` does not exist.
pub fn tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, out: &mut Tree) {
        let Ok(rd) = fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let meta = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            let mode = meta.permissions().mode();
            if meta.is_dir() {
                out.push((rel, mode, None));
                walk(base, &p, out);
            } else {
                out.push((rel, mode, Some(fs::read(&p).unwrap())));
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(meta) = fs::metadata(dir) {
        out.push((PathBuf::new(), meta.permissions().mode(), None));
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Runs `cmd`, returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("command runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Runs `cmd` and fails the test with its output unless it exits 0; returns stdout.
pub fn ok(cmd: &mut Command) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{cmd:?} failed\nstdout:\n{out}\nstderr:\n{err}");
    out
}

/// Compares `actual` with `tests/golden/<name>`; `DCT_UPDATE_GOLDEN=1` rewrites the file.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(ROOT).join("tests/golden").join(name);
    if std::env::var_os("DCT_UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with DCT_UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {} (run with DCT_UPDATE_GOLDEN=1 if the change is intended)",
        path.display()
    );
}

/// The real notary-server and registry, started once for this test binary.
pub struct Servers {
    pub env: HashMap<String, String>,
}

impl Servers {
    pub fn get(&self, name: &str) -> &str {
        &self.env[name]
    }

    pub fn url(&self) -> &str {
        self.get("TRUST_SERVER_URL")
    }

    pub fn ca(&self) -> &str {
        self.get("TRUST_CA_CERT")
    }

    pub fn registry_host(&self) -> &str {
        self.get("REGISTRY_HOST")
    }

    /// The harness's TLS material: `ca.crt`, and `server.crt`/`server.key` (for 127.0.0.1,
    /// signed by that CA) that test-only servers use too.
    pub fn tls_dir(&self) -> PathBuf {
        Path::new(self.get("TRUST_ENV_DIR")).join("tls")
    }
}

/// Starts a test-only server (`python3 scripts/…`) that prints its port as the first line on
/// stdout; it must stop by itself when this process exits (`--watch <pid>`).
pub fn spawn_server(cmd: &mut Command) -> (Child, u16) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} does not start: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{cmd:?} printed {line:?}, not a port"));
    (child, port)
}

pub fn servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| start_servers(false))
}

/// A second harness instance in token-auth mode (`trust-env start --auth`): both servers answer
/// 401 with a Bearer challenge; users signer/signer-pass (pull, push, *) and reader/reader-pass
/// (pull).
pub fn auth_servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| start_servers(true))
}

/// A third instance whose registry keeps its data on disk
/// (`TRUST_ENV_REGISTRY_STORAGE=filesystem`), so `docker-registry garbage-collect` can run on
/// it (`<TRUST_ENV_DIR>/config/registry.yml`).
pub fn fs_servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| start_servers_with(false, true))
}

fn start_servers(auth: bool) -> Servers {
    start_servers_with(auth, false)
}

fn start_servers_with(auth: bool, filesystem: bool) -> Servers {
    let dir = tempfile::Builder::new()
        .prefix("dct-trust-env-")
        .tempdir()
        .unwrap()
        .keep();
    let script = Path::new(ROOT).join("scripts/trust-env");
    let mut cmd = Command::new(&script);
    cmd.arg("start");
    if auth {
        cmd.arg("--auth");
    }
    if filesystem {
        cmd.env("TRUST_ENV_REGISTRY_STORAGE", "filesystem");
    }
    let out = cmd
        .args(["--watch", &std::process::id().to_string()])
        .arg(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("scripts/trust-env runs");
    assert!(
        out.status.success(),
        "scripts/trust-env start failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let env = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.strip_prefix("export ")?.split_once('=')?;
            Some((k.to_string(), v.trim_matches('\'').to_string()))
        })
        .collect();
    Servers { env }
}

/// Differential check of the two metadata parsers on one file: the one-pass canonicaliser over
/// the raw `signed` text against `to_canonical` of serde_json's `Value`, and
/// `Envelope::parse` against `Envelope::parse_via_value` (same canonical bytes, signatures and
/// typed value, or both refusing). Returns whether the file parsed.
pub fn assert_parsers_agree(bytes: &[u8]) -> bool {
    use dct::canonical::{canonicalize_json, to_canonical};
    use dct::tuf::meta::{Envelope, MetaList, Root, Targets};

    #[derive(serde::Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        signed: &'a serde_json::value::RawValue,
    }
    if let Ok(raw) = serde_json::from_slice::<Raw>(bytes) {
        let reference = serde_json::from_str::<serde_json::Value>(raw.signed.get())
            .ok()
            .and_then(|v| to_canonical(&v).ok());
        let fast = canonicalize_json(raw.signed.get()).ok();
        assert_eq!(fast, reference, "canonical bytes differ");
    }
    fn both<T: dct::tuf::meta::Signable>(bytes: &[u8], ty: &str) -> bool {
        let fast = Envelope::<T>::parse(bytes.to_vec(), ty);
        let slow = Envelope::<T>::parse_via_value(bytes.to_vec(), ty);
        match (fast, slow) {
            (Ok(f), Ok(s)) => {
                assert_eq!(f.canonical, s.canonical);
                assert_eq!(f.signatures, s.signatures);
                assert_eq!(f.bytes, s.bytes);
                assert_eq!(
                    serde_json::to_value(&f.signed).unwrap(),
                    serde_json::to_value(&s.signed).unwrap()
                );
                true
            }
            (Err(f), Err(s)) => {
                assert_eq!(f, s, "different errors");
                false
            }
            (f, s) => panic!("fast {:?} vs Value path {:?}", f.err(), s.err()),
        }
    }
    let mut parsed = false;
    for ty in ["Root", "Targets", "Snapshot", "Timestamp"] {
        parsed |= match ty {
            "Root" => both::<Root>(bytes, ty),
            "Targets" => both::<Targets>(bytes, ty),
            _ => both::<MetaList>(bytes, ty),
        };
    }
    parsed
}
