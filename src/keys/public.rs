//! Reading a signer's public key from a file (`dct signer add --key PUB.pem`): a PEM
//! `PUBLIC KEY` (ECDSA or RSA SubjectPublicKeyInfo) or a `CERTIFICATE` (its validity checked),
//! as `docker trust signer add` accepts them.

use std::path::Path;

use der::{Decode, Encode};

use super::pem;
use super::private::{KeyType, PublicKey};
use crate::error::{Error, Result};

/// The RSA algorithm OID in a SubjectPublicKeyInfo.
const RSA: &str = "1.2.840.113549.1.1.1";
/// Largest public key file read.
const LIMIT: u64 = 1 << 20;

/// Reads the first PEM block of `path` as a TUF public key: `rsa`/`ecdsa` for a `PUBLIC KEY`
/// (its DER as is), `rsa-x509`/`ecdsa-x509` for a currently valid `CERTIFICATE` (its PEM).
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    let unreadable = |e: std::io::Error| {
        Error::invalid(format!("cannot read public key {}: {e}", path.display()))
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > LIMIT {
        return Err(Error::invalid(format!(
            "{} is larger than 1 MiB: not a public key",
            path.display()
        )));
    }
    let text = std::fs::read(path).map_err(unreadable)?;
    let blocks =
        pem::parse_all(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    let bad = || {
        Error::invalid(format!(
            "{} is not a PEM public key or certificate",
            path.display()
        ))
    };
    let block = blocks.first().ok_or_else(bad)?;
    match block.label.as_str() {
        "PUBLIC KEY" => {
            let spki = spki::SubjectPublicKeyInfoRef::from_der(&block.data).map_err(|_| bad())?;
            let keytype = if spki.algorithm.oid.to_string() == RSA {
                KeyType::Rsa
            } else {
                KeyType::Ecdsa
            };
            Ok(PublicKey::new(keytype, block.data.to_vec()))
        }
        "CERTIFICATE" => {
            let cert = x509_cert::Certificate::from_der(&block.data).map_err(|_| bad())?;
            let v = cert.tbs_certificate().validity();
            let now = std::time::SystemTime::now();
            if v.not_after.to_system_time() < now || v.not_before.to_system_time() > now {
                return Err(Error::invalid(format!(
                    "certificate {} is expired or not yet valid",
                    path.display()
                )));
            }
            let alg = cert
                .tbs_certificate()
                .subject_public_key_info()
                .algorithm
                .oid
                .to_string();
            let der = cert.to_der().map_err(|_| bad())?;
            let keytype = if alg == RSA {
                KeyType::RsaX509
            } else {
                KeyType::EcdsaX509
            };
            Ok(PublicKey::new(
                keytype,
                pem::Block::new("CERTIFICATE", der).encode().into_bytes(),
            ))
        }
        _ => Err(bad()),
    }
}
