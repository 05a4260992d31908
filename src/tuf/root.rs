//! Root validation (spec §6.3) and trust pinning (§5.3): root keys are x509 certificates whose
//! CN is the GUN; signatures count only for keys rebuilt from the parsed certificates; a new root
//! must satisfy the previous root's threshold; the first root is trusted on first use unless a
//! pin (notary's `trust_pinning`, or `--pin-root`) says otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use der::{Decode, Encode};
use serde::Deserialize;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::BasicConstraints;

use super::meta::{Envelope, Key, Root};
use super::verify::{SigError, verify_threshold};
use crate::error::{Error, IoContext, Result};
use crate::keys::pem::{self, Block};

const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_RSA_SHA256: &str = "1.2.840.113549.1.1.11";
const SHA1_SIG_OIDS: [&str; 3] = [
    "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
    "1.2.840.10040.4.3",    // dsa-with-sha1
    "1.2.840.10045.4.1",    // ecdsa-with-SHA1
];
const BASE_ROLES: [&str; 4] = ["root", "snapshot", "targets", "timestamp"];

/// What went wrong with a root, in notary's error classes (they map to Docker's messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RootError {
    /// The root itself is not acceptable (certificates, pinning, own signatures).
    #[error("could not validate the path to a trusted root: {0}")]
    Validation(String),
    /// The root is not signed by the previously trusted root's keys.
    #[error(
        "could not rotate trust to a new trusted root: failed to validate data with current trusted certificates"
    )]
    Rotation,
    /// The root's version is lower than the one trusted: a rollback.
    #[error("version {new} is lower than current version {current}")]
    LowVersion {
        /// The candidate's version.
        new: i64,
        /// The lowest version accepted.
        current: i64,
    },
    /// The root has expired (when, as notary words it).
    #[error("root expired at {0}")]
    Expired(String),
    /// The root breaks the format's rules (missing roles or keys, a bad threshold).
    #[error("{0}")]
    Malformed(String),
}

/// notary's client-side `trust_pinning`, plus `--pin-root` key IDs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Pinning {
    /// GUN (or `prefix*`) → accepted root certificate key IDs.
    #[serde(default)]
    pub certs: BTreeMap<String, Vec<String>>,
    /// GUN prefix → CA bundle file that root leaf certificates must chain to.
    #[serde(default)]
    pub ca: BTreeMap<String, PathBuf>,
    /// `disable_tofu`: refuse a first root that no `certs` or `ca` entry pins, instead of trusting
    /// it on first use.
    #[serde(default)]
    pub disable_tofu: bool,
    /// `--pin-root`: the trusted root must hold one of these keys (cert-based or canonical ID),
    /// checked on every run, not only at first contact.
    #[serde(skip)]
    pub pin_root: Vec<String>,
}

impl Pinning {
    /// Reads `trust_pinning` from `<trust dir>/config.json` (notary's client config); no file
    /// means TOFU, as with Docker.
    pub fn load(trust_dir: &Path) -> Result<Pinning> {
        #[derive(Deserialize)]
        struct Config {
            #[serde(default)]
            trust_pinning: Option<Pinning>,
        }
        let path = crate::trust_dir::TrustDir::new(trust_dir).config_file();
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Pinning::default()),
            Err(e) => return Err(Error::io("cannot read", &path, e)),
        };
        let config: Config = serde_json::from_slice(&text).map_err(|e| {
            Error::invalid(format!(
                "{}: invalid trust_pinning config: {e}",
                path.display()
            ))
        })?;
        let mut pin = config.trust_pinning.unwrap_or_default();
        for file in pin.ca.values_mut() {
            if file.is_relative() {
                *file = trust_dir.join(&*file);
            }
        }
        Ok(pin)
    }

    /// Whether notary's `trust_pinning` (`certs` or `ca`; not `--pin-root`) has an entry for
    /// `gun`.
    pub fn pins_gun(&self, gun: &str) -> bool {
        self.certs_for(gun).is_some() || self.ca_for(gun).is_some()
    }

    /// Whether config pinning (not `--pin-root`) says anything about `gun`.
    fn certs_for(&self, gun: &str) -> Option<&Vec<String>> {
        if let Some(ids) = self.certs.get(gun) {
            return Some(ids);
        }
        self.certs
            .iter()
            .filter(|(k, _)| k.ends_with('*') && gun.starts_with(k.trim_end_matches('*')))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, v)| v)
    }

    fn ca_for(&self, gun: &str) -> Option<&PathBuf> {
        self.ca
            .iter()
            .filter(|(k, _)| gun.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, v)| v)
    }
}

/// A root key's certificate bundle, checked and re-encoded as Go would.
#[derive(Clone)]
struct RootCert {
    /// The key rebuilt from the parsed certificates (Go PEM of leaf + intermediates).
    key: Key,
    leaf: Certificate,
    intermediates: Vec<Certificate>,
}

fn is_ca(cert: &Certificate) -> bool {
    matches!(
        cert.tbs_certificate().get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    )
}

fn to_offset(t: &x509_cert::time::Time) -> OffsetDateTime {
    OffsetDateTime::from(t.to_system_time())
}

/// §2.3: validity window, no SHA-1 signatures, RSA keys of at least 2048 bits.
fn check_certificate(cert: &Certificate, now: OffsetDateTime, check_expiry: bool) -> bool {
    let validity = cert.tbs_certificate().validity();
    let (nb, na) = (
        to_offset(&validity.not_before),
        to_offset(&validity.not_after),
    );
    if nb > na {
        return false;
    }
    if check_expiry && (nb > now + Duration::from_secs(86_400) || na < now) {
        return false;
    }
    let alg = cert.signature_algorithm().oid.to_string();
    if SHA1_SIG_OIDS.contains(&alg.as_str()) {
        return false;
    }
    let spki = cert.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid.to_string() == "1.2.840.113549.1.1.1" {
        use rsa::pkcs8::DecodePublicKey;
        let Ok(der) = spki.to_der() else { return false };
        let Ok(k) = rsa::PublicKey::from_public_key_der(&der) else {
            return false;
        };
        if rsa::traits::PublicKeyParts::size(&k) < 256 {
            return false;
        }
    }
    true
}

fn cn_matches(cert: &Certificate, gun: &str) -> bool {
    let Some(cn) = crate::keys::cert::common_name_of(cert) else {
        return false;
    };
    if cn == gun {
        return true;
    }
    cn.ends_with('*') && gun.starts_with(cn.trim_end_matches('*'))
}

/// Parses a root key's bundle: exactly one non-CA certificate, first, then CA intermediates.
fn parse_bundle(key: &Key) -> Option<RootCert> {
    if !matches!(key.keytype.as_str(), "ecdsa-x509" | "rsa-x509") {
        return None;
    }
    let blocks = pem::parse_all(&key.public).ok()?;
    let certs: Vec<Certificate> = blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| Certificate::from_der(&b.data))
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    let (leaf, rest) = certs.split_first()?;
    if is_ca(leaf) || rest.iter().any(|c| !is_ca(c)) {
        return None;
    }
    let mut text = String::new();
    for c in &certs {
        text.push_str(&Block::new("CERTIFICATE", c.to_der().ok()?).encode());
    }
    let alg = leaf
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid
        .to_string();
    let keytype = if alg == "1.2.840.113549.1.1.1" {
        "rsa-x509"
    } else {
        "ecdsa-x509"
    };
    Some(RootCert {
        key: Key {
            keytype: keytype.into(),
            public: text.into_bytes(),
        },
        leaf: leaf.clone(),
        intermediates: rest.to_vec(),
    })
}

/// The valid leaf certificates of `root`'s root role, keyed by their recomputed key ID.
fn valid_leaves(
    root: &Root,
    gun: &str,
    now: OffsetDateTime,
    check_expiry: bool,
) -> BTreeMap<String, RootCert> {
    let mut out = BTreeMap::new();
    let Some(role) = root.roles.get("root") else {
        return out;
    };
    for id in role.ids() {
        let Some(bundle) = root.keys.get(id).and_then(parse_bundle) else {
            continue;
        };
        if cn_matches(&bundle.leaf, gun)
            && check_certificate(&bundle.leaf, now, check_expiry)
            && bundle
                .intermediates
                .iter()
                .all(|c| check_certificate(c, now, check_expiry))
        {
            out.insert(bundle.key.id(), bundle);
        }
    }
    out
}

fn keys_of(certs: &BTreeMap<String, RootCert>) -> BTreeMap<String, Key> {
    certs
        .iter()
        .map(|(id, c)| (id.clone(), c.key.clone()))
        .collect()
}

/// Structure checks of §3.2: four base roles, thresholds ≥ 1, listed keys present, version ≥ 1.
pub fn check_structure(root: &Root) -> std::result::Result<(), RootError> {
    for name in BASE_ROLES {
        let role = root
            .roles
            .get(name)
            .ok_or_else(|| RootError::Malformed(format!("root is missing the {name} role")))?;
        if role.threshold < 1 {
            return Err(RootError::Malformed(format!(
                "root role {name} has an invalid threshold"
            )));
        }
        if let Some(id) = role.ids().iter().find(|id| !root.keys.contains_key(*id)) {
            return Err(RootError::Malformed(format!(
                "root role {name} lists key {id}, which root does not contain"
            )));
        }
    }
    if root.version < 1 {
        return Err(RootError::Malformed(
            "root version must be at least 1".into(),
        ));
    }
    Ok(())
}

/// How a candidate root is to be validated.
pub struct RootCheck<'a> {
    /// The collection, which the root certificates must name.
    pub gun: &'a str,
    /// The root trusted so far, whose keys must also sign the candidate (a rotation).
    pub previous: Option<&'a Root>,
    /// Config pinning applies only at first contact (no previously trusted root).
    pub pinning: Option<&'a Pinning>,
    /// Whether an expired root is refused: not the cached one, which an update replaces, nor the
    /// intermediate roots of a rotation.
    pub check_expiry: bool,
    /// The lowest version accepted.
    pub min_version: i64,
    /// The time expiry and certificates are checked against.
    pub now: OffsetDateTime,
}

/// §6.3, step by step.
pub fn validate_root(
    candidate: &Envelope<Root>,
    check: &RootCheck<'_>,
) -> std::result::Result<(), RootError> {
    let root = &candidate.signed;
    check_structure(root)?;
    let leaves = valid_leaves(root, check.gun, check.now, true);
    if leaves.is_empty() {
        return Err(RootError::Validation(
            "unable to retrieve valid leaf certificates".into(),
        ));
    }
    if let Some(prev) = check.previous {
        let prev_leaves = valid_leaves(prev, check.gun, check.now, false);
        let threshold = prev.roles.get("root").map_or(1, |r| r.threshold);
        verify_threshold(
            "root",
            &candidate.canonical,
            &candidate.signatures,
            &keys_of(&prev_leaves),
            threshold,
        )
        .map_err(|_| RootError::Rotation)?;
    }
    let pinned = match (check.previous, check.pinning) {
        (None, Some(pin)) => apply_pinning(pin, check.gun, leaves, check.now)?,
        _ => leaves,
    };
    let threshold = root.roles["root"].threshold;
    verify_threshold(
        "root",
        &candidate.canonical,
        &candidate.signatures,
        &keys_of(&pinned),
        threshold,
    )
    .map_err(|e| {
        RootError::Validation(match e {
            SigError::NoSignatures => e.to_string(),
            _ => "failed to validate integrity of roots".into(),
        })
    })?;
    if root.version < check.min_version {
        return Err(RootError::LowVersion {
            new: root.version,
            current: check.min_version,
        });
    }
    if check.check_expiry && root.expires < check.now {
        return Err(RootError::Expired(super::meta::format_go_expiry(
            root.expires,
        )));
    }
    Ok(())
}

/// §5.3: `certs` entry, else `ca` entry, else TOFU unless disabled.
fn apply_pinning(
    pin: &Pinning,
    gun: &str,
    leaves: BTreeMap<String, RootCert>,
    now: OffsetDateTime,
) -> std::result::Result<BTreeMap<String, RootCert>, RootError> {
    let unmatched =
        || RootError::Validation("unable to match any certificates to trust_pinning config".into());
    if let Some(ids) = pin.certs_for(gun) {
        let kept: BTreeMap<_, _> = leaves
            .into_iter()
            .filter(|(id, _)| ids.contains(id))
            .collect();
        return if kept.is_empty() {
            Err(unmatched())
        } else {
            Ok(kept)
        };
    }
    if let Some(file) = pin.ca_for(gun) {
        let cas = load_ca_bundle(file, now)
            .map_err(|e| RootError::Validation(format!("trust_pinning ca: {e}")))?;
        let kept: BTreeMap<_, _> = leaves
            .into_iter()
            .filter(|(_, c)| chains_to(&c.leaf, &c.intermediates, &cas))
            .collect();
        return if kept.is_empty() {
            Err(unmatched())
        } else {
            Ok(kept)
        };
    }
    if pin.disable_tofu {
        return Err(RootError::Validation(
            "invalid trust pinning specified".into(),
        ));
    }
    Ok(leaves)
}

fn load_ca_bundle(path: &Path, now: OffsetDateTime) -> Result<Vec<Certificate>> {
    let text = std::fs::read(path).ctx("cannot read CA bundle", path)?;
    let blocks =
        pem::parse_all(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    Ok(blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .filter_map(|b| Certificate::from_der(&b.data).ok())
        .filter(|c| check_certificate(c, now, true))
        .collect())
}

/// Whether `leaf` chains (through `intermediates`) to one of `cas` by signature.
fn chains_to(leaf: &Certificate, intermediates: &[Certificate], cas: &[Certificate]) -> bool {
    let mut current = leaf.clone();
    for _ in 0..=intermediates.len() {
        if cas.iter().any(|ca| signed_by(&current, ca)) {
            return true;
        }
        match intermediates.iter().find(|i| signed_by(&current, i)) {
            Some(next) => current = next.clone(),
            None => return false,
        }
    }
    false
}

/// Whether `issuer`'s key signed `cert` (ECDSA P-256/SHA-256 or RSA PKCS#1 v1.5/SHA-256).
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let (Ok(tbs), Ok(spki)) = (
        cert.tbs_certificate().to_der(),
        issuer.tbs_certificate().subject_public_key_info().to_der(),
    ) else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else {
        return false;
    };
    match cert.signature_algorithm().oid.to_string().as_str() {
        OID_ECDSA_SHA256 => {
            let (Ok(vk), Ok(s)) = (
                p256::ecdsa::VerifyingKey::from_public_key_der(&spki),
                p256::ecdsa::DerSignature::from_bytes(sig),
            ) else {
                return false;
            };
            vk.verify(&tbs, &s).is_ok()
        }
        OID_RSA_SHA256 => {
            let (Ok(k), Ok(s)) = (
                rsa::PublicKey::from_public_key_der(&spki),
                rsa::pkcs1v15::Signature::try_from(sig),
            ) else {
                return false;
            };
            rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k)
                .verify(&tbs, &s)
                .is_ok()
        }
        _ => false,
    }
}

/// The IDs under which a root key may be pinned with `--pin-root`: the cert-based ID that
/// root.json and `docker trust inspect` show, and the canonical ID (the key file's name).
pub fn root_key_ids(root: &Root) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(role) = root.roles.get("root") {
        for id in role.ids() {
            if let Some(key) = root.keys.get(id) {
                let canonical = key.canonical_id().unwrap_or_else(|| id.clone());
                out.push((id.clone(), canonical));
            }
        }
    }
    out
}

/// `--pin-root`: the trusted root must list one of the pinned keys in its root role.
pub fn check_pin_root(root: &Root, pins: &[String]) -> std::result::Result<(), RootError> {
    if pins.is_empty() {
        return Ok(());
    }
    let ids = root_key_ids(root);
    if ids
        .iter()
        .any(|(a, b)| pins.iter().any(|p| p == a || p == b))
    {
        return Ok(());
    }
    let have: Vec<&str> = ids.iter().map(|(a, _)| a.as_str()).collect();
    Err(RootError::Validation(format!(
        "the root keys ({}) do not match the pinned root key {}",
        have.join(", "),
        pins.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Envelope<Root> {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/notary/root.json"
        ))
        .unwrap();
        Envelope::parse(bytes, "Root").unwrap()
    }

    const GUN: &str = "example.com/fixtures/app";

    fn check<'a>(pin: Option<&'a Pinning>) -> RootCheck<'a> {
        RootCheck {
            gun: GUN,
            previous: None,
            pinning: pin,
            check_expiry: true,
            min_version: 1,
            now: OffsetDateTime::now_utc(),
        }
    }

    #[test]
    fn notary_root_validates_tofu_and_rejects_other_gun() {
        let root = fixture();
        validate_root(&root, &check(None)).unwrap();
        let mut other = check(None);
        other.gun = "example.com/other";
        assert!(matches!(
            validate_root(&root, &other),
            Err(RootError::Validation(_))
        ));
    }

    #[test]
    fn pinning_by_cert_id_and_disable_tofu() {
        let root = fixture();
        let id = root.signed.roles["root"].ids()[0].clone();
        let mut pin = Pinning::default();
        pin.certs.insert("example.com/*".into(), vec![id]);
        validate_root(&root, &check(Some(&pin))).unwrap();
        pin.certs.insert(GUN.into(), vec!["0".repeat(64)]);
        assert!(validate_root(&root, &check(Some(&pin))).is_err());
        let tofu_off = Pinning {
            disable_tofu: true,
            ..Pinning::default()
        };
        assert!(validate_root(&root, &check(Some(&tofu_off))).is_err());
    }

    #[test]
    fn pin_root_accepts_cert_or_canonical_id() {
        let root = fixture();
        let ids = root_key_ids(&root.signed);
        check_pin_root(&root.signed, &[ids[0].0.clone()]).unwrap();
        check_pin_root(&root.signed, &[ids[0].1.clone()]).unwrap();
        assert!(check_pin_root(&root.signed, &["ab".repeat(32)]).is_err());
    }

    /// A root whose certificate was issued by a CA: accepted when `trust_pinning.ca` names that
    /// CA for the GUN, refused with another CA.
    #[test]
    fn pinning_by_ca() {
        use crate::tuf::meta::{RoleKeys, format_go_time};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/pinning");
        let leaf_pem = std::fs::read(format!("{dir}/leaf.crt")).unwrap();
        let leaf_der = pem::parse_all(&leaf_pem).unwrap().remove(0).data.to_vec();
        let key = Key {
            keytype: "ecdsa-x509".into(),
            public: Block::new("CERTIFICATE", leaf_der).encode().into_bytes(),
        };
        let sk_pem = std::fs::read(format!("{dir}/leaf.key")).unwrap();
        let sk_der = pem::parse_all(&sk_pem).unwrap().remove(0).data.to_vec();
        let sk = crate::keys::private::PrivateKey::from_pkcs8(&sk_der).unwrap();
        let id = key.id();
        let role = RoleKeys {
            keyids: Some(vec![id.clone()]),
            threshold: 1,
        };
        let root = Root {
            type_: "Root".into(),
            consistent_snapshot: false,
            expires: OffsetDateTime::now_utc() + Duration::from_secs(86_400 * 365),
            keys: BTreeMap::from([(id.clone(), key)]),
            roles: BASE_ROLES
                .iter()
                .map(|r| (r.to_string(), role.clone()))
                .collect(),
            version: 1,
        };
        assert!(format_go_time(root.expires).ends_with('Z'));
        let bytes = crate::tuf::sign::sign(&root, &[(&id, &sk)]);
        let env: Envelope<Root> = Envelope::parse(bytes, "Root").unwrap();
        let gun = "example.com/pinned/app";
        let mut c = check(None);
        c.gun = gun;
        validate_root(&env, &c).unwrap();
        let pin = |ca: &str| Pinning {
            ca: BTreeMap::from([(
                "example.com/".to_string(),
                PathBuf::from(format!("{dir}/{ca}")),
            )]),
            ..Pinning::default()
        };
        let good = pin("ca.crt");
        c.pinning = Some(&good);
        validate_root(&env, &c).unwrap();
        let other = pin("other-ca.crt");
        c.pinning = Some(&other);
        assert!(matches!(
            validate_root(&env, &c),
            Err(RootError::Validation(m)) if m.contains("unable to match any certificates")
        ));
    }
}
