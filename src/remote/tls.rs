//! Which certificate authorities and client certificate dct uses for one server (host:port).
//!
//! Docker's rule for notary (and the daemon's for registries): in a per-host directory every
//! `*.crt` is an extra CA, and `*.cert` with a `*.key` of the same stem is a client certificate; a
//! `.cert` without its `.key` (or the reverse) is a configuration error, not something to skip.
//! The CAs are added to the system roots, never used instead of them.

use std::fs;
use std::path::{Path, PathBuf};

use der::Decode;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{Error, Result};

/// The TLS material found for one host.
#[derive(Default)]
pub struct HostTls {
    /// Extra CA certificates (DER), in discovery order.
    pub cas: Vec<CertificateDer<'static>>,
    /// The CA files they came from (for messages and `-v`).
    pub ca_files: Vec<PathBuf>,
    /// A client certificate chain and its key, PEM, concatenated (reqwest's `Identity::from_pem`).
    pub identity: Option<(PathBuf, zeroize::Zeroizing<Vec<u8>>)>,
}

impl std::fmt::Debug for HostTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostTls")
            .field("ca_files", &self.ca_files)
            .field("identity", &self.identity.as_ref().map(|(p, _)| p))
            .finish()
    }
}

/// The per-host directories searched, in order: `<config>/tls/<host>`, `<config>/certs.d/<host>`,
/// `/etc/docker/certs.d/<host>`.
pub fn host_dirs(config_dir: &Path, host: &str) -> Vec<PathBuf> {
    vec![
        config_dir.join("tls").join(host),
        config_dir.join("certs.d").join(host),
        Path::new("/etc/docker/certs.d").join(host),
    ]
}

/// Collects the CAs and client certificate for `host` (`host[:port]` as written in the URL):
/// `tls_ca_cert` first, then every directory of `dirs` that exists. The first client certificate
/// found wins.
pub fn discover(tls_ca_cert: Option<&Path>, dirs: &[PathBuf]) -> Result<HostTls> {
    let mut tls = HostTls::default();
    if let Some(file) = tls_ca_cert {
        tls.cas.extend(read_ca_file(file)?);
        tls.ca_files.push(file.to_path_buf());
    }
    for dir in dirs {
        scan_dir(dir, &mut tls)?;
    }
    Ok(tls)
}

fn scan_dir(dir: &Path, tls: &mut HostTls) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Ok(()),
        Err(e) => return Err(Error::io("cannot read TLS directory", dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // Directory order is arbitrary; sorted keeps messages and the chosen identity stable.
    names.sort();
    for name in &names {
        let path = dir.join(name);
        if name.ends_with(".crt") {
            tls.cas.extend(read_ca_file(&path)?);
            tls.ca_files.push(path);
        } else if let Some(stem) = name.strip_suffix(".cert") {
            let key = format!("{stem}.key");
            if !names.contains(&key) {
                return Err(Error::invalid(format!(
                    "missing key {key} for client certificate {}",
                    path.display()
                )));
            }
            if tls.identity.is_none() {
                let key_path = dir.join(&key);
                let mut pem = zeroize::Zeroizing::new(
                    fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?,
                );
                pem.push(b'\n');
                pem.extend_from_slice(&zeroize::Zeroizing::new(
                    fs::read(&key_path).map_err(|e| Error::io("cannot read", &key_path, e))?,
                ));
                tls.identity = Some((path, pem));
            }
        } else if let Some(stem) = name.strip_suffix(".key")
            && !names.contains(&format!("{stem}.cert"))
        {
            return Err(Error::invalid(format!(
                "missing client certificate {stem}.cert for key {}",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Reads a PEM file of one or more CA certificates; each must be a parseable X.509 certificate.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let bytes = fs::read(path).map_err(|e| {
        Error::invalid(format!(
            "cannot read CA certificate file {}: {e}",
            path.display()
        ))
    })?;
    let bad = |why: &str| {
        Error::invalid(format!(
            "invalid CA certificate file {}: {why}",
            path.display()
        ))
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(&format!("bad PEM ({e})")))?;
    if certs.is_empty() {
        return Err(bad("no PEM CERTIFICATE block"));
    }
    for c in &certs {
        x509_cert::Certificate::from_der(c.as_ref())
            .map_err(|e| bad(&format!("not an X.509 certificate ({e})")))?;
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = include_str!("../../fixtures/remote/ca.crt");

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(d.path().join(name), text).unwrap();
        }
        d
    }

    #[test]
    fn every_crt_is_a_ca_and_other_files_are_ignored() {
        let d = dir_with(&[("ca.crt", CA), ("other.crt", CA), ("README", "x")]);
        let tls = discover(None, &[d.path().to_path_buf()]).unwrap();
        assert_eq!(tls.cas.len(), 2);
        assert_eq!(
            tls.ca_files,
            vec![d.path().join("ca.crt"), d.path().join("other.crt")]
        );
        assert!(tls.identity.is_none());
    }

    #[test]
    fn flag_file_comes_first_and_missing_dirs_are_fine() {
        let d = dir_with(&[("extra.pem", CA)]);
        let flag = d.path().join("extra.pem");
        let tls = discover(Some(&flag), &[d.path().join("nope")]).unwrap();
        assert_eq!(tls.ca_files, vec![flag]);
        assert_eq!(tls.cas.len(), 1);
    }

    #[test]
    fn cert_with_key_is_an_identity_and_lone_ones_are_errors() {
        let d = dir_with(&[("client.cert", CA), ("client.key", "KEY")]);
        let tls = discover(None, &[d.path().to_path_buf()]).unwrap();
        assert_eq!(tls.identity.unwrap().0, d.path().join("client.cert"));

        let d = dir_with(&[("client.cert", CA)]);
        let err = discover(None, &[d.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("missing key client.key"), "{err}");
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);

        let d = dir_with(&[("client.key", "KEY")]);
        let err = discover(None, &[d.path().to_path_buf()]).unwrap_err();
        assert!(
            err.to_string()
                .contains("missing client certificate client.cert"),
            "{err}"
        );
    }

    #[test]
    fn invalid_or_unreadable_ca_names_the_file() {
        let d = dir_with(&[("ca.crt", "not a certificate")]);
        let err = discover(None, &[d.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("ca.crt"), "{err}");
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);

        let bogus = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let d = dir_with(&[("ca.crt", bogus)]);
        let err = discover(None, &[d.path().to_path_buf()]).unwrap_err();
        assert!(
            err.to_string().contains("not an X.509 certificate"),
            "{err}"
        );

        let missing = d.path().join("missing.crt");
        let err = discover(Some(&missing), &[]).unwrap_err();
        assert!(err.to_string().contains("missing.crt"), "{err}");
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);
    }

    #[test]
    fn host_dirs_follow_docker_layout() {
        let dirs = host_dirs(Path::new("/c"), "h:5000");
        assert_eq!(
            dirs,
            vec![
                PathBuf::from("/c/tls/h:5000"),
                PathBuf::from("/c/certs.d/h:5000"),
                PathBuf::from("/etc/docker/certs.d/h:5000"),
            ]
        );
    }
}
