//! Where this trust dir's token keys are: `<trust dir>/pkcs11/<key ID>.json`, one small JSON
//! file per key — its role and GUN (what a key file's PEM headers say), the URI naming it on
//! its token, the module it was made with, and its public key. Public information only: the
//! private half stays on the token. Docker and notary do not read these files.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use super::uri::Pkcs11Uri;
use crate::error::{Error, IoContext, Result};
use crate::keys::private::{KeyType, PublicKey};
use crate::keys::store::is_key_id;

/// One token key of the trust dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The canonical key ID.
    pub id: String,
    /// The role (`root`, `targets`, a signer name), as a key file's `role:` header.
    pub role: String,
    /// The GUN of a targets or snapshot key, else empty.
    #[serde(default)]
    pub gun: String,
    /// The RFC 7512 URI naming exactly this key (token label and serial, object, id).
    pub uri: String,
    /// The module the key was made or found with, used when neither the URI nor
    /// `DCT_PKCS11_MODULE` names one.
    #[serde(default)]
    pub module: Option<PathBuf>,
    /// The public key: base64 of its DER SubjectPublicKeyInfo.
    pub public: String,
}

impl TokenRecord {
    /// A record of key `public` named by `uri`.
    pub fn new(
        public: &PublicKey,
        role: &str,
        gun: Option<&str>,
        uri: &Pkcs11Uri,
        module: &Path,
    ) -> TokenRecord {
        TokenRecord {
            id: public.id(),
            role: role.to_string(),
            gun: gun.unwrap_or_default().to_string(),
            uri: uri.to_string(),
            module: Some(module.to_path_buf()),
            public: B64.encode(&public.public),
        }
    }

    /// The URI naming the key.
    pub fn uri(&self) -> Result<Pkcs11Uri> {
        Pkcs11Uri::parse(&self.uri)
    }

    /// The token the key is on, as `dct key list` shows it: `pkcs11:token=…;serial=…`.
    pub fn location(&self) -> String {
        self.uri()
            .map(|u| u.token_only().to_string())
            .unwrap_or_else(|_| self.uri.clone())
    }

    /// The token's name for messages.
    pub fn token_name(&self) -> String {
        self.uri()
            .map(|u| u.token_name())
            .unwrap_or_else(|_| self.uri.clone())
    }

    /// The public key recorded.
    pub fn public_key(&self) -> Option<PublicKey> {
        B64.decode(&self.public)
            .ok()
            .map(|der| PublicKey::new(KeyType::Ecdsa, der))
    }
}

/// The records of one trust dir.
#[derive(Debug, Clone)]
pub struct TokenRecords {
    dir: PathBuf,
}

impl TokenRecords {
    /// The records under `dir` (`<trust dir>/pkcs11`).
    pub fn new(dir: impl Into<PathBuf>) -> TokenRecords {
        TokenRecords { dir: dir.into() }
    }

    /// The records' directory (`<trust dir>/pkcs11`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn read(&self, path: &Path) -> Result<TokenRecord> {
        let bytes = fs::read(path).ctx("cannot read", path)?;
        let damaged = |why: &str| {
            Error::invalid(format!(
                "token key record {} is damaged ({why}): remove it and find the key again \
                 (dct key rotate … --key URI, dct init … --root-key URI)",
                path.display()
            ))
        };
        let rec: TokenRecord =
            serde_json::from_slice(&bytes).map_err(|e| damaged(&e.to_string()))?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let real = rec.public_key().map(|k| k.id());
        if real.as_deref() != Some(rec.id.as_str()) || stem.as_deref() != Some(rec.id.as_str()) {
            return Err(damaged("its key ID is not its public key's"));
        }
        rec.uri().map_err(|e| damaged(&e.to_string()))?;
        Ok(rec)
    }

    /// Every record, sorted by ID.
    pub fn list(&self) -> Result<Vec<TokenRecord>> {
        let rd = match fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("cannot read", &self.dir, e)),
        };
        let mut out = Vec::new();
        for e in rd {
            let p = e.ctx("cannot read", &self.dir)?.path();
            let is_record = p
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(is_key_id)
                && p.extension().is_some_and(|x| x == "json");
            if is_record && p.is_file() {
                out.push(self.read(&p)?);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The record of key `id`, if this trust dir has one.
    pub fn get(&self, id: &str) -> Result<Option<TokenRecord>> {
        if !is_key_id(id) {
            return Ok(None);
        }
        let p = self.path(id);
        if !p.is_file() {
            return Ok(None);
        }
        self.read(&p).map(Some)
    }

    /// Writes `rec` (atomically, 0600 in a 0700 dir).
    pub fn put(&self, rec: &TokenRecord) -> Result<PathBuf> {
        let p = self.path(&rec.id);
        let mut bytes = serde_json::to_vec_pretty(rec).expect("records serialise");
        bytes.push(b'\n');
        crate::fsutil::write_atomic(&p, &bytes)?;
        Ok(p)
    }

    /// Removes the record of key `id`.
    pub fn remove(&self, id: &str) -> Result<()> {
        let p = self.path(id);
        fs::remove_file(&p).ctx("cannot remove", &p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::private::PrivateKey;

    #[test]
    fn records_round_trip_and_damage_is_caught() {
        let tmp = tempfile::tempdir().unwrap();
        let recs = TokenRecords::new(tmp.path().join("pkcs11"));
        assert!(recs.list().unwrap().is_empty());
        let key = PrivateKey::generate_ecdsa();
        let uri = Pkcs11Uri::parse("pkcs11:token=t;serial=1;object=alice;id=%01").unwrap();
        let rec = TokenRecord::new(&key.public_key(), "alice", None, &uri, Path::new("/m.so"));
        let path = recs.put(&rec).unwrap();
        assert_eq!(recs.get(&key.id()).unwrap(), Some(rec.clone()));
        assert_eq!(recs.list().unwrap(), vec![rec.clone()]);
        assert_eq!(rec.location(), "pkcs11:token=t;serial=1");
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("PRIVATE"), "{text}");
        // A record whose ID is not its key's is refused.
        let other = PrivateKey::generate_ecdsa();
        let wrong = TokenRecord {
            public: B64.encode(other.public_key().public),
            ..rec
        };
        fs::write(&path, serde_json::to_vec(&wrong).unwrap()).unwrap();
        let err = recs.get(&key.id()).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::ExitCode::Usage);
        recs.remove(&key.id()).unwrap();
        assert!(recs.get(&key.id()).unwrap().is_none());
    }
}
