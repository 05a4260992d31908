//! Test support: the dct binary in a sandboxed config dir, golden files, and the project's
//! real-server harness (`scripts/trust-env`), started once per test binary and stopped by its
//! watchdog when the test process exits.
#![allow(dead_code)]

pub mod fake_server;
pub mod repo;
pub mod signing;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

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
        let mut argv = vec![
            env!("CARGO_BIN_EXE_dct").to_string(),
            "--config".to_string(),
            self.config().display().to_string(),
        ];
        argv.extend(args.iter().map(|s| s.to_string()));
        let spec = serde_json::json!({"argv": argv, "steps": steps});
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

fn start_servers(auth: bool) -> Servers {
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
    use dct::tuf::canonical::{canonicalize_json, to_canonical};
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
