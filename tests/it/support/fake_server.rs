//! `scripts/fake-trust-server` as a test fixture: a trust server serving a directory the test
//! rewrites, over HTTPS with the harness's CA, logging every request.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use super::repo::Files;
use super::{ROOT, servers, spawn_server};

pub struct FakeServer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
    pub log: PathBuf,
    pub ca: PathBuf,
    _tmp: tempfile::TempDir,
}

impl FakeServer {
    /// Starts a server with the TLS material of the harness (`scripts/trust-env`): its CA
    /// signed a certificate for 127.0.0.1.
    pub fn start() -> FakeServer {
        let tls = servers().tls_dir();
        let tmp = tempfile::Builder::new()
            .prefix("dct-fake-trust-")
            .tempdir()
            .unwrap();
        let dir = tmp.path().join("srv");
        let log = tmp.path().join("requests.log");
        std::fs::create_dir_all(&dir).unwrap();
        let (child, port) = spawn_server(
            Command::new("python3")
                .arg(Path::new(ROOT).join("scripts/fake-trust-server"))
                .arg("--dir")
                .arg(&dir)
                .arg("--cert")
                .arg(tls.join("server.crt"))
                .arg("--key")
                .arg(tls.join("server.key"))
                .arg("--log")
                .arg(&log)
                .arg("--watch")
                .arg(std::process::id().to_string()),
        );
        FakeServer {
            child,
            port,
            dir,
            log,
            ca: tls.join("ca.crt"),
            _tmp: tmp,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// Switches what the server serves.
    pub fn serve(&self, files: &Files) {
        files.write_to(&self.dir);
    }

    /// Makes `name` an endless body (no Content-Length).
    pub fn endless(&self, name: &str) {
        let marker = self.dir.join(format!("{name}.endless"));
        std::fs::create_dir_all(marker.parent().unwrap()).unwrap();
        std::fs::write(marker, b"").unwrap();
    }

    /// Makes the server state `length` as `name`'s Content-Length, whatever its real length.
    pub fn lie_length(&self, name: &str, length: u64) {
        std::fs::write(self.dir.join(format!("{name}.length")), length.to_string()).unwrap();
    }

    /// Requested paths so far (then forgets them).
    pub fn take_requests(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        text.lines().map(str::to_string).collect()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
