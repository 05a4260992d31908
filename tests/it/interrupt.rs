//! Interruption and debris (issue 10, points 6 and 7), against the real harness: SIGINT and
//! SIGTERM in the middle of `pull` (MiB layers), `push`, `key backup` and `key restore` exit
//! 130/143 and leave none of dct's staging behind; `kill -9` at random points of `sign`,
//! `publish`, `key generate` and `key passwd` (seeded, `DCT_FAULT_SEED` to replay) never leaves
//! a half-written key or loses a staged change, and the next command leaves no `.dct-*` debris;
//! stale temp files are swept, live ones (locked by their owner) are not; `key generate`
//! completes a pair a kill cut in half; a trust dir that is a file is exit 1 everywhere; a
//! read-only trust dir still gets the verified answer, with a warning.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::support::signing::{Client, REPO_PASS, ROOT_PASS};
use crate::support::{Sandbox, Servers, ok, run, servers, tree, unique};

const MIB: usize = 1 << 20;
const DIGEST: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const DIGEST_B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

// ---------------------------------------------------------------- helpers

/// Every entry below `dir` named `.dct-*` other than the trust dir's lock file.
fn debris(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        // (The trust dir's lock file and its per-collection lock files are not debris.)
        if name.starts_with(".dct-") && name != ".dct.lock" && name != ".dct-locks" {
            out.push(p.clone());
        }
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(debris(&p));
        }
    }
    out
}

/// A small seeded generator (xorshift64*), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn new(what: &str) -> Rng {
        let seed = std::env::var("DCT_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{what}: DCT_FAULT_SEED={seed}");
        let h = Sha256::digest(format!("{what}{seed}"));
        Rng(u64::from_le_bytes(h[..8].try_into().unwrap()) | 1)
    }

    /// A delay to kill a run that takes about `limit` after: every other trial anywhere in
    /// the run, the others in its last fifth (where the writes are) or just past it.
    fn delay(&mut self, limit: Duration) -> Duration {
        let us = limit.as_micros() as u64 + 1;
        let d = if self.below(2) == 0 {
            self.below(us)
        } else {
            us * 4 / 5 + self.below(us / 4)
        };
        Duration::from_micros(d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

/// Runs `cmd` and `kill -9`s it after `delay` unless it ended first: whether it was killed,
/// and when it ended.
fn kill_after(cmd: &mut Command, delay: Duration) -> (bool, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        let elapsed = start.elapsed();
        if child.try_wait().unwrap().is_some() {
            return (false, elapsed);
        }
        if elapsed >= delay {
            child.kill().unwrap();
            child.wait().unwrap();
            return (true, elapsed);
        }
        std::thread::sleep((delay - elapsed).min(Duration::from_micros(500)));
    }
}

/// Kills `cmd` at a random point (see [`Rng::delay`]) of a run that takes about `*limit`;
/// a run that ended first lowers `*limit` to its length (machines get faster and slower while
/// the tests run). Whether the kill landed.
fn kill_at_random(cmd: &mut Command, rng: &mut Rng, limit: &mut Duration) -> bool {
    let (killed, took) = kill_after(cmd, rng.delay(*limit));
    if !killed {
        *limit = took.max(Duration::from_millis(5));
    }
    killed
}

/// How long `cmd` takes when left alone (it must succeed).
fn duration_of(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    ok(cmd);
    start.elapsed()
}

/// A child whose stderr is collected line by line while it runs.
struct Watched {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Watched {
    fn spawn(cmd: &mut Command) -> Watched {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (err, l) = (child.stderr.take().unwrap(), lines.clone());
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                l.lock().unwrap().push(line);
            }
        });
        Watched {
            child,
            lines,
            reader: Some(reader),
        }
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn said(&self, text: &str) -> bool {
        self.lines.lock().unwrap().iter().any(|l| l.contains(text))
    }

    /// Signals the child unless it already ended and was reaped (by `running`): its pid could
    /// then belong to another process. Until reaped, a child that ended is a zombie, which
    /// kill(2) still accepts, so there is no race.
    fn signal(&mut self, sig: i32) {
        if self.child.try_wait().unwrap().is_some() {
            return;
        }
        // SAFETY: kill(2) on our own child's pid, not yet reaped.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    /// Waits for the end: (exit status, stderr).
    fn finish(mut self) -> (ExitStatus, String) {
        let status = self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        let err = self.lines.lock().unwrap().join("\n");
        (status, err)
    }
}

/// Waits up to 120 s for `cond`, polling every 2 ms; false if `w` ended first.
fn wait_until(w: &mut Watched, mut cond: impl FnMut(&Watched) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if cond(w) {
            return w.running();
        }
        if !w.running() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("nothing happened within 120 s");
}

/// The staging directories `.dct-pull-*` in `dir`.
fn staging_dirs(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".dct-pull-"))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a staging directory in `dir` holds a partly downloaded blob.
fn downloading(dir: &Path) -> bool {
    staging_dirs(dir).iter().any(|s| {
        fs::read_dir(s).is_ok_and(|rd| {
            rd.flatten().any(|e| {
                e.file_name().to_string_lossy().ends_with(".part")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            })
        })
    })
}

fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

/// `n` pseudo-random bytes, different per `seed` and per test run.
fn noise(seed: &str, n: usize) -> Vec<u8> {
    let h = Sha256::digest(format!("{seed}{}", std::process::id()));
    let mut x = u64::from_le_bytes(h[..8].try_into().unwrap()) | 1;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// An OCI layout at `dir` with one image `v1`: a config and one layer of each size in MiB.
fn mib_layout(dir: &Path, seed: &str, layers: &[usize]) {
    let put = |bytes: &[u8]| -> String {
        let d = sha(bytes);
        let p = dir.join("blobs/sha256");
        fs::create_dir_all(&p).unwrap();
        fs::write(p.join(d.trim_start_matches("sha256:")), bytes).unwrap();
        format!(r#""size":{},"digest":"{d}""#, bytes.len())
    };
    let config =
        put(br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#);
    let layers: Vec<String> = layers
        .iter()
        .enumerate()
        .map(|(i, mib)| {
            format!(
                r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",{}}}"#,
                put(&noise(&format!("{seed}-{i}"), mib * MIB))
            )
        })
        .collect();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json",{config}}},"layers":[{}]}}"#,
        layers.join(",")
    );
    let m = put(manifest.as_bytes());
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json",{m},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#
        ),
    )
    .unwrap();
}

/// A client trusting the harness CA for the trust server and the registry.
fn client(srv: &'static Servers) -> Client {
    let c = Client::new(srv);
    c.sb.add_ca(srv, srv.registry_host());
    c
}

/// (ID, role) of every key `dct key list --json` lists (which parses every key file).
fn keys(sb: &Sandbox) -> Vec<(String, String)> {
    let out = ok(&mut sb.dct(&["key", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["id"].as_str().unwrap().to_string(),
                k["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether key `id` opens with `pass` (given as both the root and the repository passphrase).
fn opens(sb: &Sandbox, id: &str, pass: &str) -> bool {
    let (code, _, _) = run(sb
        .dct(&["key", "export", "--key", id, "--reencrypt"])
        .env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", pass)
        .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", pass)
        .env("DCT_NEW_PASSPHRASE", "check-passphrase"));
    code == 0
}

/// Tags of `gun` that `dct inspect` (from the client's trust dir) lists as signed.
fn signed(c: &Client, gun: &str) -> Vec<String> {
    let out = ok(&mut c.dct(&["inspect", gun]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0]["SignedTags"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["SignedTag"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Paths (tags) of the changes `dct status --json` lists.
fn staged(c: &Client, gun: &str) -> Vec<String> {
    let out = ok(&mut c.dct(&["status", gun, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect()
}

/// notary's key ID of the ECDSA public key in a `PUBLIC KEY` PEM file.
fn pub_key_id(pem: &str) -> String {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.is_empty())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let canonical = format!(
        r#"{{"keytype":"ecdsa","keyval":{{"private":null,"public":"{}"}}}}"#,
        base64::engine::general_purpose::STANDARD.encode(der)
    );
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

// ---------------------------------------------------------------- signals

/// Pushes a 3 × 16 MiB image as `gun:v1` (signed) and returns the client.
fn mib_image(srv: &'static Servers, gun: &str, seed: &str) -> Client {
    let c = client(srv);
    let src = c.sb.path().join("src");
    mib_layout(&src, seed, &[16, 16, 16]);
    ok(&mut c.dct(&[
        "push",
        &format!("{gun}:v1"),
        "--from",
        &format!("oci:{}", src.display()),
    ]));
    c
}

/// `dct pull gun:v1 --output OUTPUT`, sent `sig` once a blob is partly downloaded into a
/// staging directory in `staging_in`: (status, stderr).
fn interrupted_pull(
    c: &Client,
    gun: &str,
    output: &str,
    staging_in: &Path,
    sig: i32,
) -> (ExitStatus, String) {
    let mut w = Watched::spawn(&mut c.dct(&["pull", &format!("{gun}:v1"), "--output", output]));
    assert!(
        wait_until(&mut w, |_| downloading(staging_in)),
        "the pull ended before a blob was half downloaded: {:?}",
        w.finish()
    );
    w.signal(sig);
    w.finish()
}

#[test]
fn sigint_sigterm_and_sighup_mid_pull_remove_the_staging_and_exit_130_143_and_129() {
    let srv = servers();
    let gun = unique(srv, "interrupt/pull");
    let c = mib_image(srv, &gun, "pull");
    let out = c.sb.path().join("out");
    fs::create_dir_all(&out).unwrap();

    // A new layout: SIGINT → 130, nothing at all left in the output's directory.
    let layout = out.join("layout");
    let (status, err) = interrupted_pull(
        &c,
        &gun,
        &format!("oci:{}", layout.display()),
        &out,
        libc::SIGINT,
    );
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("dct: interrupted by SIGINT"), "{err}");
    assert!(err.contains("removed the unfinished pull"), "{err}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0, "{err}");

    // A docker-archive: SIGTERM → 143, nothing left.
    let archive = out.join("image.tar");
    let (status, err) = interrupted_pull(
        &c,
        &gun,
        &format!("docker-archive:{}", archive.display()),
        &out,
        libc::SIGTERM,
    );
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("dct: interrupted by SIGTERM"), "{err}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0, "{err}");

    // A closed terminal (SIGHUP, as when an ssh session drops): 129, nothing left.
    let (status, err) = interrupted_pull(
        &c,
        &gun,
        &format!("oci:{}", layout.display()),
        &out,
        libc::SIGHUP,
    );
    assert_eq!(status.code(), Some(129), "{err}");
    assert!(err.contains("dct: interrupted by SIGHUP"), "{err}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0, "{err}");

    // An existing layout (another image in it): SIGINT while blobs come into a staging
    // directory inside it → 130 and the layout byte for byte (and mode for mode) as it was.
    let small = out.join("small");
    let gun2 = unique(srv, "interrupt/pull-small");
    let src2 = c.sb.path().join("src2");
    mib_layout(&src2, "small", &[1]);
    ok(&mut c.dct(&[
        "push",
        &format!("{gun2}:v1"),
        "--from",
        &format!("oci:{}", src2.display()),
    ]));
    ok(&mut c.dct(&[
        "pull",
        &format!("{gun2}:v1"),
        "--output",
        &format!("oci:{}", small.display()),
    ]));
    let before = tree(&small);
    let (status, err) = interrupted_pull(
        &c,
        &gun,
        &format!("oci:{}:big", small.display()),
        &small,
        libc::SIGINT,
    );
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(tree(&small), before, "{err}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);

    // kill -9 leaves a staging directory; the next pull there sweeps it (its owner is dead)
    // and succeeds.
    let mut w = Watched::spawn(&mut c.dct(&[
        "pull",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{}", layout.display()),
    ]));
    assert!(wait_until(&mut w, |_| downloading(&out)));
    w.signal(libc::SIGKILL);
    w.finish();
    assert_eq!(staging_dirs(&out).len(), 1);
    ok(&mut c.dct(&[
        "pull",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{}", layout.display()),
    ]));
    assert!(staging_dirs(&out).is_empty());
    assert!(layout.join("index.json").is_file());
    assert!(debris(c.sb.path()).is_empty(), "{:?}", debris(c.sb.path()));
}

#[test]
fn sigint_mid_push_backup_and_restore_exit_130_and_leave_nothing() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "interrupt/push");
    let src = c.sb.path().join("src");
    mib_layout(&src, "push", &[16, 16, 16]);
    let before = tree(&src);

    // push: interrupted while uploading → 130, the layout untouched, nothing signed or staged.
    let mut w = Watched::spawn(&mut c.dct(&[
        "-v",
        "push",
        &format!("{gun}:v1"),
        "--from",
        &format!("oci:{}", src.display()),
    ]));
    assert!(
        wait_until(&mut w, |w| w.said("/blobs/uploads/")),
        "the push ended first"
    );
    w.signal(libc::SIGINT);
    let (status, err) = w.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("dct: interrupted by SIGINT"), "{err}");
    assert_eq!(tree(&src), before);
    assert!(debris(c.sb.path()).is_empty());

    // key backup: interrupted while sealing → 130, no backup file, no temp file beside it.
    ok(&mut c.dct(&[
        "key",
        "generate",
        "alice",
        "--dir",
        c.sb.path().to_str().unwrap(),
    ]));
    let backups = c.sb.path().join("backups");
    fs::create_dir_all(&backups).unwrap();
    let file = backups.join("keys.dctbackup");
    let mut w = Watched::spawn(
        c.dct(&["key", "backup", file.to_str().unwrap()])
            .env("DCT_BACKUP_PASSPHRASE", "backup-passphrase"),
    );
    assert!(wait_until(&mut w, |w| w.said("Sealing the backup")));
    w.signal(libc::SIGINT);
    let (status, err) = w.finish();
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(fs::read_dir(&backups).unwrap().count(), 0);

    // key restore into an empty trust dir: a signal at a random moment gives 130 with every
    // key restored or none (the writes are one section signals wait for), never a temp file;
    // tried until one landed before the end.
    ok(c.dct(&["key", "backup", file.to_str().unwrap()])
        .env("DCT_BACKUP_PASSPHRASE", "backup-passphrase"));
    let mut ids: Vec<String> = keys(&c.sb).into_iter().map(|(id, _)| id).collect();
    ids.sort();
    let mut rng = Rng::new("restore");
    let mut interrupted = 0;
    for _ in 0..30 {
        let target = Sandbox::new();
        let mut w = Watched::spawn(
            target
                .dct(&["key", "restore", file.to_str().unwrap()])
                .env("DCT_BACKUP_PASSPHRASE", "backup-passphrase"),
        );
        std::thread::sleep(Duration::from_millis(rng.below(250)));
        let was_running = w.running();
        w.signal(libc::SIGINT);
        let (status, err) = w.finish();
        let restored = target.key_ids();
        match status.code() {
            Some(130) => {
                assert!(restored.is_empty() || restored == ids, "{restored:?}");
                interrupted += usize::from(was_running);
            }
            Some(0) => assert_eq!(restored, ids),
            // Signalled before dct installed its handler (the first instants of the process):
            // the default action ended it before it touched anything.
            None if std::os::unix::process::ExitStatusExt::signal(&status)
                == Some(libc::SIGINT) =>
            {
                assert!(restored.is_empty(), "{restored:?}")
            }
            other => panic!("{other:?}: {err}"),
        }
        assert!(debris(target.path()).is_empty());
        if interrupted >= 3 {
            break;
        }
    }
    assert!(interrupted > 0, "no restore was interrupted");
}

/// Runs `dct --config DIR key generate alice` on a pseudo-terminal, types Ctrl-C at the
/// passphrase prompt (the line discipline sends SIGINT), and prints the exit code and whether
/// the terminal echoed during the prompt and after dct ended.
const PROMPT_CTRL_C: &str = r#"
import os, pty, sys, time, termios, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--config", sys.argv[2], "key", "generate", "alice", "--dir", sys.argv[2]])
buf, end = b"", time.time() + 20
while time.time() < end and b"passphrase" not in buf:
    if select.select([fd], [], [], 0.2)[0]:
        buf += os.read(fd, 1024)
time.sleep(0.2)
during = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
os.write(fd, b"\x03")
_, status = os.waitpid(pid, 0)
after = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
print(os.waitstatus_to_exitcode(status), during, after)
"#;

#[test]
fn ctrl_c_at_a_passphrase_prompt_restores_the_terminal_and_exits_130() {
    let sb = Sandbox::new();
    let out = ok(sb
        .tool("python3", &["-c", PROMPT_CTRL_C, env!("CARGO_BIN_EXE_dct")])
        .arg(sb.path()));
    // Echo was off for the prompt, is on again, and nothing was written.
    assert_eq!(out.trim(), "130 False True", "{out}");
    assert!(sb.key_ids().is_empty());
    assert!(!sb.path().join("alice.pub").exists());
}

// ---------------------------------------------------------------- debris

#[test]
fn stale_temp_files_are_swept_and_live_ones_kept() {
    let sb = Sandbox::new();
    let pubs = sb.path().join("pubs");
    fs::create_dir_all(&pubs).unwrap();
    ok(sb
        .dct(&["key", "generate", "alice", "--dir", pubs.to_str().unwrap()])
        .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS));
    let key = sb.private().join(format!("{}.key", sb.key_ids()[0]));

    // A complete encrypted key in a stale temp file (a `key passwd` killed before its rename:
    // the key file itself is the committed copy), a live one (this process holds its lock, as
    // a running dct does), a staged change's temp file and a cache temp file.
    let stale = sb.private().join(".dct-tmp-Stale1");
    fs::copy(&key, &stale).unwrap();
    let live = sb.private().join(".dct-tmp-Live01");
    fs::copy(&key, &live).unwrap();
    let held = fs::File::open(&live).unwrap();
    held.lock().unwrap();
    let gun_dir = sb.trust().join("tuf/example.com/app");
    fs::create_dir_all(gun_dir.join("metadata")).unwrap();
    fs::write(gun_dir.join(".dct-change-Stale2"), b"{\"action\":\"cr").unwrap();
    fs::write(gun_dir.join("metadata/.dct-tmp-Stale3"), b"{}").unwrap();
    // Not dct's: kept whatever their names look like.
    fs::write(sb.private().join(".tmp-notours"), b"x").unwrap();
    fs::write(gun_dir.join("dct-change-x"), b"x").unwrap();

    // `key list` sweeps the key store and lists the one key.
    let listed = keys(&sb);
    assert_eq!(listed.len(), 1);
    assert!(!stale.exists());
    assert!(live.exists(), "a live temp file was removed");
    // `status` sweeps the collection's directory.
    let (code, out, err) = run(&mut sb.dct(&["status", "example.com/app"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!gun_dir.join(".dct-change-Stale2").exists());
    // `lookup` opens the cache (the server is a dead port: exit 6, but the sweep is done).
    let (code, _, _) =
        run(&mut sb.dct(&["-s", "https://127.0.0.1:1", "lookup", "example.com/app:v1"]));
    assert_eq!(code, 6);
    assert!(!gun_dir.join("metadata/.dct-tmp-Stale3").exists());
    assert!(sb.private().join(".tmp-notours").exists() && gun_dir.join("dct-change-x").exists());
    // Once its owner is gone, the live one is stale too.
    drop(held);
    keys(&sb);
    assert!(!live.exists());
}

#[test]
fn key_generate_completes_a_pair_a_kill_cut_in_half() {
    let sb = Sandbox::new();
    let pubs = sb.path().join("pubs");
    fs::create_dir_all(&pubs).unwrap();
    let generate = |name: &str| {
        run(sb
            .dct(&["key", "generate", name, "--dir", pubs.to_str().unwrap()])
            .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS))
    };
    // The state a kill between the key and the rename leaves: the key stored, its public key
    // under its pending name.
    let (code, _, err) = generate("alice");
    assert_eq!(code, 0, "{err}");
    let id = sb.key_ids()[0].clone();
    let pem = fs::read_to_string(pubs.join("alice.pub")).unwrap();
    assert_eq!(pub_key_id(&pem), id);
    fs::rename(
        pubs.join("alice.pub"),
        pubs.join(format!(".dct-pub-{id}-AbC123")),
    )
    .unwrap();
    // The re-run completes that pair instead of making a second alice key.
    let (code, out, err) = generate("alice");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(&format!(
            "completed the interrupted generation of key {id} (alice)"
        )),
        "{err}"
    );
    assert!(out.contains("Corresponding public key available"), "{out}");
    assert_eq!(fs::read_to_string(pubs.join("alice.pub")).unwrap(), pem);
    assert_eq!(sb.key_ids(), vec![id.clone()]);
    assert!(debris(sb.path()).is_empty());

    // A kill before the key was stored: the pending public key is removed, a new pair made.
    let orphan = pem.replace("role: alice", "role: bob");
    fs::write(
        pubs.join(format!(".dct-pub-{}-XyZ789", "c".repeat(64))),
        &orphan,
    )
    .unwrap();
    let (code, _, err) = generate("bob");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("completed"), "{err}");
    assert_eq!(sb.key_ids().len(), 2);
    let bob = fs::read_to_string(pubs.join("bob.pub")).unwrap();
    assert!(sb.key_ids().contains(&pub_key_id(&bob)));
    assert!(debris(sb.path()).is_empty());

    // A pending file of a live run (locked) is left alone.
    let live = pubs.join(format!(".dct-pub-{id}-Live00"));
    fs::write(&live, &pem).unwrap();
    let held = fs::File::open(&live).unwrap();
    held.lock().unwrap();
    let (code, _, err) = generate("carol");
    assert_eq!(code, 0, "{err}");
    assert!(live.exists());
}

// ---------------------------------------------------------------- trust dir checks

#[test]
fn a_trust_dir_that_is_a_file_is_exit_1_for_every_command_that_uses_it() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.config()).unwrap();
    fs::write(sb.trust(), "not a directory").unwrap();
    let id = "a".repeat(64);
    let cases: &[&[&str]] = &[
        &["key", "list"],
        &["key", "generate", "alice"],
        &["key", "passwd", &id],
        &["key", "remove", &id, "-y"],
        &["key", "export"],
        &["key", "backup", "b.tar.gz", "--plain"],
        &["key", "restore", "b.tar.gz"],
        &["lookup", "example.com/app:v1"],
        &["inspect", "example.com/app"],
        &["pull", "example.com/app:v1", "--output", "oci:out"],
        &[
            "sign",
            "--local",
            "example.com/app:v1",
            "--digest",
            DIGEST,
            "--size",
            "1",
        ],
        &["status", "example.com/app"],
        &["publish", "example.com/app"],
        &["init", "example.com/app"],
        &["revoke", "example.com/app:v1", "-y"],
        &["delete", "example.com/app"],
        &["push", "example.com/app:v1", "--from", "oci:out"],
        &[
            "signer",
            "add",
            "bob",
            "example.com/app",
            "--key",
            "bob.pub",
        ],
    ];
    let before = sb.snapshot();
    for args in cases {
        let (code, out, err) = run(&mut sb.dct(args));
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert!(err.contains("is not a directory"), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
    assert_eq!(sb.snapshot(), before);
    // Commands that do not use the trust dir still work.
    ok(&mut sb.dct(&["env"]));
}

/// `cmd` run with `dir` mounted read-only (a private mount namespace, so nothing leaks and
/// root is stopped too); as another user, modes do it.
fn read_only(cmd: &Command, dir: &Path) -> Command {
    let mut c = Command::new("unshare");
    c.args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(r#"d="$1"; shift; mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" "$d" && exec "$@""#)
        .arg("sh")
        .arg(dir)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    if let Some(d) = cmd.get_current_dir() {
        c.current_dir(d);
    }
    c.stdin(Stdio::null());
    c
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

/// Runs `cmd` with `dir` read-only: (code, stdout, stderr).
fn run_read_only(cmd: &mut Command, dir: &Path) -> (i32, String, String) {
    if is_root() {
        return run(&mut read_only(cmd, dir));
    }
    let chmod = |mode: &str| {
        ok(Command::new("chmod").args(["-R", mode]).arg(dir));
    };
    chmod("a-w");
    let r = run(cmd);
    chmod("u+w");
    r
}

#[test]
fn a_read_only_trust_dir_still_gets_the_verified_answer_with_a_warning() {
    let srv = servers();
    let signer = Client::new(srv);
    let gun = unique(srv, "interrupt/readonly");
    ok(&mut signer.dct(&[
        "sign",
        &format!("{gun}:v1"),
        "--digest",
        DIGEST,
        "--size",
        "10",
    ]));

    // First use with a read-only, empty trust dir: the answer, and a warning that the root was
    // trusted on first use without being saved.
    let reader = Client::new(srv);
    fs::create_dir_all(reader.sb.trust()).unwrap();
    let (code, out, err) = run_read_only(
        &mut reader.dct(&["lookup", &format!("{gun}:v1")]),
        &reader.sb.trust(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), format!("{gun}@{DIGEST}"));
    assert!(
        err.contains("dct: warning: cannot update the trust data cache"),
        "{err}"
    );
    assert!(err.contains("trusted on first use and not saved"), "{err}");
    assert_eq!(fs::read_dir(reader.sb.trust()).unwrap().count(), 0);

    // With a cache from before and a new signature since: the new answer, the cache unchanged.
    ok(&mut reader.dct(&["lookup", &format!("{gun}:v1")]));
    ok(&mut signer.dct(&[
        "sign",
        &format!("{gun}:v2"),
        "--digest",
        DIGEST_B,
        "--size",
        "10",
    ]));
    let before = tree(&reader.sb.trust());
    let (code, out, err) = run_read_only(
        &mut reader.dct(&["lookup", &format!("{gun}:v2")]),
        &reader.sb.trust(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), format!("{gun}@{DIGEST_B}"));
    assert!(err.contains("is not remembered"), "{err}");
    assert_eq!(tree(&reader.sb.trust()), before);
    // Writable again: the update is cached as usual, without a warning.
    let (code, _, err) = run(&mut reader.dct(&["lookup", &format!("{gun}:v2")]));
    assert_eq!(code, 0);
    assert!(!err.contains("warning"), "{err}");
}

// ---------------------------------------------------------------- kill -9 at random points

/// Kills that must land in a running dct, per command, shared by this many workers.
const TRIALS: usize = 20;
const WORKERS: usize = 2;

/// Runs `worker(w, rng, kills)` on WORKERS threads, each trying until `kills` (its share of
/// TRIALS) of its kills landed in a running dct; returns the (landed kills, trials) each
/// worker reports, added up, after checking every share was reached.
fn trials(what: &str, worker: impl Fn(usize, &mut Rng, usize) -> (usize, usize) + Sync) {
    let (killed, tried) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let f = &worker;
                s.spawn(move || {
                    let mut rng = Rng::new(&format!("{what}-{w}"));
                    f(w, &mut rng, TRIALS / WORKERS)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .fold((0, 0), |(a, b), (k, t)| (a + k, b + t))
    });
    let left = LEFT
        .lock()
        .unwrap()
        .iter()
        .find(|(w, _)| w == what)
        .map_or(0, |(_, n)| *n);
    eprintln!(
        "{what}: {killed} kills landed in a running dct, in {tried} trials; {left} left debris"
    );
    assert!(
        killed >= TRIALS,
        "{what}: only {killed} kills landed in {tried} trials"
    );
}

/// Trials whose kill left `.dct-*` debris for the next command to sweep, per command.
static LEFT: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

/// Counts a trial whose kill left debris under `dir` (before any other dct command ran).
fn count_debris(what: &str, dir: &Path) {
    if !debris(dir).is_empty() {
        let mut l = LEFT.lock().unwrap();
        match l.iter_mut().find(|(w, _)| w == what) {
            Some((_, n)) => *n += 1,
            None => l.push((what.to_string(), 1)),
        }
    }
}

/// Whether a worker goes on: fewer than `kills` landed, and not yet 4 times that many tries.
fn more(killed: usize, tried: usize, kills: usize) -> bool {
    killed < kills && tried < 4 * kills
}

/// Every key file parses and opens with its passphrase.
fn keys_intact(sb: &Sandbox) {
    for (id, role) in keys(sb) {
        let pass = if role == "root" { ROOT_PASS } else { REPO_PASS };
        assert!(opens(sb, &id, pass), "key {id} ({role}) does not open");
    }
}

#[test]
fn kill_9_during_sign_loses_no_staged_change_and_leaves_no_debris() {
    let srv = servers();
    trials("sign", |w, rng, kills| {
        let c = Client::new(srv);
        let gun = unique(srv, "interrupt/kill-sign");
        let sign = |tag: &str, local: bool| {
            let image = format!("{gun}:{tag}");
            let mut args = vec!["sign", image.as_str(), "--digest", DIGEST, "--size", "10"];
            if local {
                args.insert(1, "--local");
            }
            c.dct(&args)
        };
        // The first sign creates the repository (keys, root); the second one's time bounds the
        // delays.
        ok(&mut sign("first", false));
        let mut limit = duration_of(&mut sign("second", false));
        let mut pre = Vec::new();
        let (mut killed, mut i, mut published) = (0, 0, 0);
        while more(killed, i, kills) {
            i += 1;
            let p = format!("pre-{w}-{i}");
            ok(&mut sign(&p, true));
            pre.push(p);
            killed += usize::from(kill_at_random(
                &mut sign(&format!("t-{w}-{i}"), false),
                rng,
                &mut limit,
            ));
            count_debris("sign", c.sb.path());
            keys_intact(&c.sb);
            let (now_staged, now_signed) = (staged(&c, &gun), signed(&c, &gun));
            published += usize::from(now_signed.contains(&format!("t-{w}-{i}")));
            for p in &pre {
                assert!(
                    now_staged.contains(p) || now_signed.contains(p),
                    "{p} lost after a kill"
                );
            }
            ok(&mut c.dct(&["publish", &gun]));
            assert!(staged(&c, &gun).is_empty());
            let now_signed = signed(&c, &gun);
            assert!(pre.iter().all(|p| now_signed.contains(p)), "{now_signed:?}");
            assert!(debris(c.sb.path()).is_empty(), "{:?}", debris(c.sb.path()));
        }
        eprintln!("sign (worker {w}): the killed sign had published in {published} of {i} trials");
        (killed, i)
    });
}

#[test]
fn kill_9_during_publish_loses_no_staged_change_and_leaves_no_debris() {
    let srv = servers();
    trials("publish", |w, rng, kills| {
        let c = Client::new(srv);
        let gun = unique(srv, "interrupt/kill-publish");
        ok(&mut c.dct(&["init", &gun]));
        let stage = |tag: &str| {
            ok(&mut c.dct(&[
                "sign",
                "--local",
                &format!("{gun}:{tag}"),
                "--digest",
                DIGEST,
                "--size",
                "10",
            ]));
        };
        stage("first");
        let mut limit = duration_of(&mut c.dct(&["publish", &gun]));
        let mut tags = Vec::new();
        let (mut killed, mut i, mut published) = (0, 0, 0);
        while more(killed, i, kills) {
            i += 1;
            let t = format!("t-{w}-{i}");
            stage(&t);
            tags.push(t);
            killed += usize::from(kill_at_random(
                &mut c.dct(&["publish", &gun]),
                rng,
                &mut limit,
            ));
            count_debris("publish", c.sb.path());
            keys_intact(&c.sb);
            let (now_staged, now_signed) = (staged(&c, &gun), signed(&c, &gun));
            published += usize::from(now_signed.contains(tags.last().unwrap()));
            for t in &tags {
                assert!(
                    now_staged.contains(t) || now_signed.contains(t),
                    "{t} lost after a kill"
                );
            }
            ok(&mut c.dct(&["publish", &gun]));
            assert!(staged(&c, &gun).is_empty());
            let now_signed = signed(&c, &gun);
            assert!(
                tags.iter().all(|t| now_signed.contains(t)),
                "{now_signed:?}"
            );
            assert!(debris(c.sb.path()).is_empty(), "{:?}", debris(c.sb.path()));
        }
        eprintln!(
            "publish (worker {w}): the killed publish had published in {published} of {i} trials"
        );
        (killed, i)
    });
}

#[test]
fn kill_9_during_key_generate_leaves_no_half_pair_and_no_duplicate() {
    trials("key generate", |w, rng, kills| {
        let sb = Sandbox::new();
        let pubs = sb.path().join("pubs");
        fs::create_dir_all(&pubs).unwrap();
        let generate = |name: &str| {
            let mut c = sb.dct(&["key", "generate", name, "--dir", pubs.to_str().unwrap()]);
            c.env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS);
            c
        };
        let mut limit = duration_of(&mut generate("first"));
        let (mut killed, mut i, mut completed) = (0, 0, 0);
        while more(killed, i, kills) {
            i += 1;
            let name = format!("k{w}x{i}");
            killed += usize::from(kill_at_random(&mut generate(&name), rng, &mut limit));
            count_debris("key generate", sb.path());
            // No half-written key: every key parses and the new one (if any) opens.
            for (id, role) in keys(&sb) {
                if role == name {
                    assert!(opens(&sb, &id, REPO_PASS), "{name}: key {id} does not open");
                }
            }
            // The re-run: completes the pair, makes it, or (the killed run finished) refuses.
            let (code, _, err) = run(&mut generate(&name));
            assert!(
                code == 0 || (code == 2 && err.contains("already exists")),
                "{name}: {code} {err}"
            );
            completed += usize::from(err.contains("completed the interrupted generation"));
            let mine: Vec<String> = keys(&sb)
                .into_iter()
                .filter(|(_, r)| *r == name)
                .map(|(id, _)| id)
                .collect();
            assert_eq!(mine.len(), 1, "{name}: {mine:?}");
            let pem = fs::read_to_string(pubs.join(format!("{name}.pub"))).unwrap();
            assert_eq!(pub_key_id(&pem), mine[0], "{name}");
            assert!(debris(sb.path()).is_empty(), "{:?}", debris(sb.path()));
        }
        eprintln!("key generate (worker {w}): {completed} pairs completed by the re-run");
        (killed, i)
    });
}

#[test]
fn kill_9_during_key_passwd_leaves_the_key_whole_under_one_passphrase() {
    trials("key passwd", |w, rng, kills| {
        let sb = Sandbox::new();
        let dir = sb.path().to_str().unwrap().to_string();
        ok(sb
            .dct(&["key", "generate", "alice", "--dir", &dir])
            .env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "passphrase-0"));
        let id = sb.key_ids()[0].clone();
        let passwd = |old: &str, new: &str| {
            let mut c = sb.dct(&["key", "passwd", &id]);
            c.env("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", old)
                .env("DCT_NEW_PASSPHRASE", new);
            c
        };
        let mut current = "passphrase-w".to_string();
        let mut limit = duration_of(&mut passwd("passphrase-0", &current));
        let (mut killed, mut i, mut changed) = (0, 0, 0);
        while more(killed, i, kills) {
            i += 1;
            let next = format!("passphrase-{w}-{i}");
            killed += usize::from(kill_at_random(
                &mut passwd(&current, &next),
                rng,
                &mut limit,
            ));
            count_debris("key passwd", sb.path());
            // The next command (key list) parses the key; it opens with one of the two.
            assert_eq!(keys(&sb).len(), 1);
            if opens(&sb, &id, &next) {
                current = next;
                changed += 1;
            } else {
                assert!(
                    opens(&sb, &id, &current),
                    "the key opens with neither passphrase"
                );
            }
            assert!(debris(sb.path()).is_empty(), "{:?}", debris(sb.path()));
        }
        eprintln!("key passwd (worker {w}): the passphrase changed in {changed} trials");
        (killed, i)
    });
}
