//! Signature checks of notary's TUF dialect (spec §3.7): `ecdsa` (raw r‖s over SHA-256),
//! `eddsa` (Ed25519), `rsapss` (PSS, SHA-256, salt 32) and, for reading only, `rsapkcs1v15`;
//! public keys of type ecdsa, ecdsa-x509, ed25519, rsa and rsa-x509; thresholds counted over
//! distinct key IDs.

use std::collections::{BTreeMap, BTreeSet};

use der::{Decode, Encode};
use x509_cert::Certificate;

use super::meta::{Key, Signature};
use crate::keys::pem;

/// Why a role's signatures were not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// The role has no signatures at all.
    #[error("tuf: data has no signatures")]
    NoSignatures,
    /// A signature's key ID does not match its key.
    #[error("key ID is not valid for key content")]
    InvalidKeyId,
    /// Fewer valid signatures than the role's threshold (the role).
    #[error("valid signatures did not meet threshold for {0}")]
    Threshold(String),
}

/// A verifying key decoded from metadata.
enum Verifier {
    /// The uncompressed point (verified with ring, several times faster than pure Rust p256,
    /// which matters because every run re-verifies the cached metadata), and the parsed key for
    /// the rare compressed encodings.
    P256(Vec<u8>, p256::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::PublicKey),
}

/// The SubjectPublicKeyInfo DER of the leaf certificate of a PEM bundle.
pub fn leaf_spki(pem_text: &[u8]) -> Option<Vec<u8>> {
    let blocks = pem::parse_all(pem_text).ok()?;
    let leaf = blocks.iter().find(|b| b.label == "CERTIFICATE")?;
    let cert = Certificate::from_der(&leaf.data).ok()?;
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()
}

fn verifier(key: &Key) -> Option<Verifier> {
    use p256::pkcs8::DecodePublicKey;
    let spki = match key.keytype.as_str() {
        "ed25519" => {
            let raw: [u8; 32] = key.public.as_slice().try_into().ok()?;
            return ed25519_dalek::VerifyingKey::from_bytes(&raw)
                .ok()
                .map(Verifier::Ed25519);
        }
        "ecdsa" | "rsa" => key.public.clone(),
        "ecdsa-x509" | "rsa-x509" => leaf_spki(&key.public)?,
        _ => return None,
    };
    if key.keytype.starts_with("ecdsa") {
        let vk = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).ok()?;
        let point = spki::SubjectPublicKeyInfoRef::from_der(&spki)
            .ok()
            .and_then(|s| s.subject_public_key.as_bytes().map(<[u8]>::to_vec))
            .unwrap_or_default();
        Some(Verifier::P256(point, vk))
    } else {
        let k = rsa::PublicKey::from_public_key_der(&spki).ok()?;
        // Go's verifiers refuse RSA keys below 2048 bits.
        (rsa::traits::PublicKeyParts::size(&k) >= 256).then_some(Verifier::Rsa(k))
    }
}

/// Whether `sig` is a valid signature by `key` over `msg`. Unknown methods, key types and
/// method/key mismatches count as invalid.
pub fn verify_one(key: &Key, sig: &Signature, msg: &[u8]) -> bool {
    use rsa::signature::Verifier as _;
    let Some(v) = verifier(key) else {
        return false;
    };
    match (sig.method.as_str(), v) {
        ("ecdsa", Verifier::P256(point, vk)) => {
            if sig.sig.len() != 64 {
                false
            } else if point.len() == 65 && point[0] == 4 {
                ring::signature::UnparsedPublicKey::new(
                    &ring::signature::ECDSA_P256_SHA256_FIXED,
                    point,
                )
                .verify(msg, &sig.sig)
                .is_ok()
            } else {
                p256::ecdsa::Signature::from_slice(&sig.sig)
                    .is_ok_and(|s| vk.verify(msg, &s).is_ok())
            }
        }
        ("eddsa", Verifier::Ed25519(vk)) => {
            <[u8; 64]>::try_from(sig.sig.as_slice()).is_ok_and(|b| {
                vk.verify(msg, &ed25519_dalek::Signature::from_bytes(&b))
                    .is_ok()
            })
        }
        ("rsapss", Verifier::Rsa(k)) => rsa::pss::Signature::try_from(sig.sig.as_slice())
            .is_ok_and(|s| {
                rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_salt_len(k, 32)
                    .verify(msg, &s)
                    .is_ok()
            }),
        ("rsapkcs1v15", Verifier::Rsa(k)) => rsa::pkcs1v15::Signature::try_from(sig.sig.as_slice())
            .is_ok_and(|s| {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k)
                    .verify(msg, &s)
                    .is_ok()
            }),
        _ => false,
    }
}

/// Checks that signatures by the role's keys over `msg` meet `threshold`. `keys` maps the key
/// IDs the role lists to their keys; a signature whose key ID is listed but does not match the
/// key's recomputed ID is a hard error, as in notary.
pub fn verify_threshold(
    role: &str,
    msg: &[u8],
    signatures: &[Signature],
    keys: &BTreeMap<String, Key>,
    threshold: i64,
) -> Result<(), SigError> {
    if signatures.is_empty() {
        return Err(SigError::NoSignatures);
    }
    let mut valid = BTreeSet::new();
    for sig in signatures {
        let Some(key) = keys.get(&sig.keyid) else {
            continue;
        };
        if key.id() != sig.keyid {
            return Err(SigError::InvalidKeyId);
        }
        if !valid.contains(&sig.keyid) && verify_one(key, sig, msg) {
            valid.insert(sig.keyid.clone());
        }
    }
    if threshold < 1 || (valid.len() as i64) < threshold {
        return Err(SigError::Threshold(role.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tuf::meta::{Envelope, Root};

    /// Every signature notary made on the fixture root.json verifies, with the cert-based key.
    #[test]
    fn notary_root_signature_verifies() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/notary/root.json"
        ))
        .unwrap();
        let env: Envelope<Root> = Envelope::parse(bytes, "Root").unwrap();
        let role = &env.signed.roles["root"];
        let keys: BTreeMap<String, Key> = role
            .ids()
            .iter()
            .map(|id| (id.clone(), env.signed.keys[id].clone()))
            .collect();
        verify_threshold("root", &env.canonical, &env.signatures, &keys, 1).unwrap();
        let mut tampered = env.canonical.clone();
        let at = tampered.len() - 2;
        tampered[at] ^= 1;
        assert_eq!(
            verify_threshold("root", &tampered, &env.signatures, &keys, 1),
            Err(SigError::Threshold("root".into()))
        );
        // A DER-encoded ECDSA signature is refused by length, as in Go.
        let mut der_sig = env.signatures.clone();
        der_sig[0].sig.push(0);
        assert!(verify_threshold("root", &env.canonical, &der_sig, &keys, 1).is_err());
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// openssl-made RSA-PSS (notary's `rsapss`) and PKCS#1 v1.5 signatures verify; the wrong
    /// method for the key, or other bytes, do not.
    #[test]
    fn rsa_signatures_from_openssl() {
        let key = Key {
            keytype: "rsa".into(),
            public: fixture("rsa/spki.der"),
        };
        let msg = fixture("rsa/msg.json");
        let sig = |method: &str, file: &str| Signature {
            keyid: key.id(),
            method: method.into(),
            sig: fixture(file),
        };
        assert!(verify_one(&key, &sig("rsapss", "rsa/pss.sig"), &msg));
        assert!(verify_one(&key, &sig("rsapkcs1v15", "rsa/pkcs1.sig"), &msg));
        assert!(!verify_one(&key, &sig("rsapss", "rsa/pkcs1.sig"), &msg));
        assert!(!verify_one(&key, &sig("ecdsa", "rsa/pss.sig"), &msg));
        assert!(!verify_one(
            &key,
            &sig("rsapss", "rsa/pss.sig"),
            b"other bytes"
        ));
        let keys = BTreeMap::from([(key.id(), key.clone())]);
        verify_threshold("targets", &msg, &[sig("rsapss", "rsa/pss.sig")], &keys, 1).unwrap();
        // A listed key ID that is not the key's own: notary's hard error.
        let wrong = BTreeMap::from([("00".repeat(32), key.clone())]);
        let mut s = sig("rsapss", "rsa/pss.sig");
        s.keyid = "00".repeat(32);
        assert_eq!(
            verify_threshold("targets", &msg, &[s], &wrong, 1),
            Err(SigError::InvalidKeyId)
        );
        assert_eq!(
            verify_threshold("targets", &msg, &[], &keys, 1),
            Err(SigError::NoSignatures)
        );
    }

    /// Go accepts high-S ECDSA signatures and notary's keys produce them half the time: the
    /// ring path must accept them too (and still refuse other bytes).
    #[test]
    fn high_s_ecdsa_signatures_verify() {
        use crate::keys::private::PrivateKey;
        let half_n =
            hex::decode("7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8")
                .unwrap();
        let sk = PrivateKey::generate_ecdsa();
        let key = Key::from(&sk.public_key());
        let mut high = 0;
        for i in 0..32u8 {
            let msg = [i; 40];
            let sig = crate::tuf::sign::signature(&key.id(), &sk, &msg);
            if sig.sig[32..] > half_n[..] {
                high += 1;
            }
            assert!(verify_one(&key, &sig, &msg));
            assert!(!verify_one(&key, &sig, &[i ^ 1; 40]));
        }
        assert!(high > 0, "no high-S signature in 32 tries");
    }
}
