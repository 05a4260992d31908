//! Private and public keys in notary's model: key types, key IDs (§1.6 of the spec) and the
//! inner PKCS#8 encodings notary writes (EC version 1 + SEC1; Ed25519 as a 96-byte blob).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use p256::pkcs8::EncodePublicKey;
use serde_json::json;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::asn1;
use crate::canonical::to_canonical;
use crate::error::{Error, Result};

/// TUF key types notary knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// ECDSA P-256, the key as DER SubjectPublicKeyInfo; what notary generates.
    Ecdsa,
    /// ECDSA with the key in an X.509 certificate (root keys).
    EcdsaX509,
    /// Ed25519, the raw 32-byte key.
    Ed25519,
    /// RSA, the key as DER SubjectPublicKeyInfo (imported only).
    Rsa,
    /// RSA with the key in an X.509 certificate.
    RsaX509,
}

impl KeyType {
    /// The `keytype` string of TUF metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Ecdsa => "ecdsa",
            KeyType::EcdsaX509 => "ecdsa-x509",
            KeyType::Ed25519 => "ed25519",
            KeyType::Rsa => "rsa",
            KeyType::RsaX509 => "rsa-x509",
        }
    }
}

/// A public key as it appears in TUF metadata: a type and the bytes that `keyval.public` holds
/// base64-encoded (SPKI DER, a raw Ed25519 key, or the PEM text of a certificate).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// What kind of key `public` holds.
    pub keytype: KeyType,
    /// The `keyval.public` bytes (decoded from base64).
    pub public: Vec<u8>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({} {})", self.keytype.as_str(), self.id())
    }
}

impl PublicKey {
    /// A public key of type `keytype` from its `keyval.public` bytes.
    pub fn new(keytype: KeyType, public: Vec<u8>) -> Self {
        PublicKey { keytype, public }
    }

    /// The TUF key ID (see [`key_id`]).
    pub fn id(&self) -> String {
        key_id(self.keytype.as_str(), &self.public)
    }
}

/// The TUF key ID of any key, known type or not: SHA-256 of the canonical
/// `{"keytype","keyval":{"private":null,"public"}}`. The one place this rule lives.
pub fn key_id(keytype: &str, public: &[u8]) -> String {
    let v = json!({
        "keytype": keytype,
        "keyval": {"private": null, "public": B64.encode(public)},
    });
    let canonical = to_canonical(&v).expect("key JSON has no numbers");
    hex::encode(Sha256::digest(&canonical))
}

/// A decrypted private key. Secret material is wiped on drop and never printed.
pub enum PrivateKey {
    /// ECDSA P-256, what Docker and notary generate.
    Ecdsa(p256::SecretKey),
    /// Ed25519 (notary reads and signs with them).
    Ed25519(ed25519_dalek::SigningKey),
    /// RSA, as notary 0.3 and older stores hold them (signing with RSASSA-PSS, SHA-256).
    Rsa(Box<rsa::PrivateKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({} {})", self.algorithm(), self.id())
    }
}

impl PrivateKey {
    /// A new ECDSA P-256 key, the only type Docker and notary generate.
    pub fn generate_ecdsa() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        loop {
            getrandom::fill(seed.as_mut()).expect("the OS random number generator failed");
            if let Ok(sk) = p256::SecretKey::from_slice(seed.as_ref()) {
                return PrivateKey::Ecdsa(sk);
            }
        }
    }

    /// A new Ed25519 key (readable by notary, which cannot generate them itself).
    pub fn generate_ed25519() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).expect("the OS random number generator failed");
        PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// The key's algorithm (`ecdsa`, `ed25519`, `rsa`), for `Debug` and messages.
    pub fn algorithm(&self) -> &'static str {
        match self {
            PrivateKey::Ecdsa(_) => "ecdsa",
            PrivateKey::Ed25519(_) => "ed25519",
            PrivateKey::Rsa(_) => "rsa",
        }
    }

    /// The public half in its plain (non-certificate) TUF form.
    pub fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::Ecdsa(sk) => {
                let spki = sk
                    .public_key()
                    .to_public_key_der()
                    .expect("P-256 public keys always encode");
                PublicKey::new(KeyType::Ecdsa, spki.as_bytes().to_vec())
            }
            PrivateKey::Ed25519(sk) => {
                PublicKey::new(KeyType::Ed25519, sk.verifying_key().to_bytes().to_vec())
            }
            PrivateKey::Rsa(sk) => {
                use rsa::pkcs8::EncodePublicKey;
                let spki = sk
                    .to_public_key()
                    .to_public_key_der()
                    .expect("RSA public keys always encode");
                PublicKey::new(KeyType::Rsa, spki.as_bytes().to_vec())
            }
        }
    }

    /// The key ID, which is also the key file's name.
    pub fn id(&self) -> String {
        self.public_key().id()
    }

    /// A TUF signature over `msg` as notary's signer makes it (§3.7): ECDSA over SHA-256 as
    /// raw `r ‖ s` (`ecdsa`), Ed25519 (`eddsa`), RSASSA-PSS with SHA-256 and a 32-byte salt
    /// (`rsapss`).
    pub fn tuf_signature(&self, msg: &[u8]) -> (&'static str, Vec<u8>) {
        use p256::ecdsa::signature::Signer;
        match self {
            PrivateKey::Ecdsa(sk) => {
                let s: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(sk).sign(msg);
                ("ecdsa", s.to_bytes().to_vec())
            }
            PrivateKey::Ed25519(sk) => ("eddsa", sk.sign(msg).to_bytes().to_vec()),
            // notary's signer: RSASSA-PSS with SHA-256 and a salt as long as the hash.
            PrivateKey::Rsa(sk) => {
                use rsa::signature::{RandomizedSigner, SignatureEncoding};
                let signer =
                    rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len((**sk).clone(), 32);
                let s = signer
                    .try_sign_with_rng(&mut getrandom::SysRng, msg)
                    .expect("RSA-PSS signing with the OS random number generator");
                ("rsapss", s.to_vec())
            }
        }
    }

    /// Inner PKCS#8 exactly as notary writes it (before encryption).
    pub fn to_notary_pkcs8(&self) -> Zeroizing<Vec<u8>> {
        match self {
            PrivateKey::Ecdsa(sk) => {
                let sec1 = sk.to_sec1_der().expect("P-256 keys always encode");
                Zeroizing::new(asn1::private_key_info(
                    1,
                    &[asn1::OID_EC_PUBLIC_KEY, asn1::OID_PRIME256V1],
                    &sec1,
                ))
            }
            PrivateKey::Ed25519(sk) => {
                let mut blob = Zeroizing::new(Vec::with_capacity(96));
                blob.extend_from_slice(&sk.verifying_key().to_bytes());
                blob.extend_from_slice(&sk.to_keypair_bytes());
                Zeroizing::new(asn1::private_key_info(0, &[asn1::OID_ED25519_GNU], &blob))
            }
            PrivateKey::Rsa(sk) => {
                // notary 0.7 writes RSA keys as Go's x509.MarshalPKCS8PrivateKey does: the
                // standard PKCS#8 form.
                use rsa::pkcs8::EncodePrivateKey;
                let der = sk.to_pkcs8_der().expect("RSA private keys always encode");
                Zeroizing::new(der.as_bytes().to_vec())
            }
        }
    }

    /// Reads an inner PKCS#8 `PrivateKeyInfo`: notary's forms and the standard ones.
    pub fn from_pkcs8(der: &[u8]) -> Result<Self> {
        let info = asn1::parse_private_key_info(der)
            .ok_or_else(|| Error::invalid("not a PKCS#8 private key"))?;
        match info.algorithm {
            asn1::OID_EC_PUBLIC_KEY => {
                if info.curve.is_some_and(|c| c != asn1::OID_PRIME256V1) {
                    return Err(Error::invalid(
                        "unsupported elliptic curve: only P-256 keys are supported",
                    ));
                }
                Self::from_sec1(info.private_key)
            }
            asn1::OID_ED25519_GNU => Self::from_ed25519_blob(info.private_key),
            asn1::OID_ED25519 => {
                // RFC 8410: the key is an OCTET STRING holding the 32-byte seed.
                let seed = asn1::Reader::new(info.private_key)
                    .expect(asn1::TAG_OCTET_STRING)
                    .and_then(|s| <[u8; 32]>::try_from(s).ok())
                    .ok_or_else(|| Error::invalid("malformed Ed25519 private key"))?;
                Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                    &seed,
                )))
            }
            asn1::OID_RSA => {
                use rsa::pkcs8::DecodePrivateKey;
                rsa::PrivateKey::from_pkcs8_der(der)
                    .map(|k| PrivateKey::Rsa(Box::new(k)))
                    .map_err(|_| Error::invalid("malformed RSA private key"))
            }
            _ => Err(Error::invalid("unsupported private key algorithm")),
        }
    }

    /// Reads a PKCS#1 `RSAPrivateKey` (legacy `RSA PRIVATE KEY` blocks).
    pub fn from_pkcs1(der: &[u8]) -> Result<Self> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        rsa::PrivateKey::from_pkcs1_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|_| Error::invalid("malformed RSA private key"))
    }

    /// Reads a SEC1 `ECPrivateKey` (legacy `EC PRIVATE KEY` blocks and the inside of PKCS#8).
    pub fn from_sec1(der: &[u8]) -> Result<Self> {
        p256::SecretKey::from_sec1_der(der)
            .map(PrivateKey::Ecdsa)
            .map_err(|_| Error::invalid("malformed or unsupported EC private key (P-256 only)"))
    }

    /// Reads notary's 96-byte Ed25519 blob: `public ‖ seed ‖ public`.
    pub fn from_ed25519_blob(blob: &[u8]) -> Result<Self> {
        let bad = || Error::invalid("malformed Ed25519 private key");
        if blob.len() != 96 {
            return Err(bad());
        }
        let seed: [u8; 32] = blob[32..64].try_into().map_err(|_| bad())?;
        let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
        if sk.verifying_key().to_bytes()[..] != blob[..32] {
            return Err(bad());
        }
        Ok(PrivateKey::Ed25519(sk))
    }
}

/// An ECDSA P-256 key signing outside TUF (cosign's DER signatures, JWS's raw r‖s), both over
/// SHA-256 of the message, deterministic (RFC 6979): the same message gives the same signature.
pub struct EcSigner(p256::ecdsa::SigningKey);

impl fmt::Debug for EcSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcSigner({})", self.key_id())
    }
}

impl EcSigner {
    /// The P-256 key of `key`; Ed25519 keys cannot make these signatures.
    pub fn new(key: &PrivateKey) -> Result<EcSigner> {
        match key {
            PrivateKey::Ecdsa(sk) => Ok(EcSigner(p256::ecdsa::SigningKey::from(sk))),
            other => Err(Error::invalid(format!(
                "key {} is {}: dct makes cosign and Notation signatures with ECDSA P-256 keys \
                 only",
                other.id(),
                other.algorithm()
            ))),
        }
    }

    /// ASN.1 DER signature (cosign).
    pub fn sign_der(&self, msg: &[u8]) -> Vec<u8> {
        use p256::ecdsa::signature::Signer;
        let s: p256::ecdsa::Signature = self.0.sign(msg);
        s.to_der().as_bytes().to_vec()
    }

    /// Raw r‖s, 64 bytes (JWS ES256).
    pub fn sign_raw(&self, msg: &[u8]) -> [u8; 64] {
        use p256::ecdsa::signature::Signer;
        let s: p256::ecdsa::Signature = self.0.sign(msg);
        s.to_bytes().into()
    }

    /// The public key as SPKI DER.
    pub fn public_spki_der(&self) -> Vec<u8> {
        self.0
            .verifying_key()
            .to_public_key_der()
            .expect("P-256 public keys always encode")
            .as_bytes()
            .to_vec()
    }

    /// The public key as a PEM `PUBLIC KEY` block (cosign.pub).
    pub fn public_pem(&self) -> String {
        super::pem::Block::new("PUBLIC KEY", self.public_spki_der()).encode()
    }

    /// The TUF key ID of the plain public key (the key file's name in the key store).
    pub fn key_id(&self) -> String {
        PublicKey::new(KeyType::Ecdsa, self.public_spki_der()).id()
    }

    /// The `p256` signing key (certificate building).
    pub(crate) fn signing_key(&self) -> &p256::ecdsa::SigningKey {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_matches_notary_vector() {
        // notary-spec §1.6 / §10.2: a root key notary 0.7 generated.
        let public = B64
            .decode("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEvKE1gEFDgMwL/ki9mnTeiZpjAoDx9KC9LvXrwqMQxXSjk/2nOfxKInXO7aosuWejj1uL+x8a5gukCYxNdVhQ4A==")
            .unwrap();
        let key = PublicKey::new(KeyType::Ecdsa, public);
        assert_eq!(
            key.id(),
            "df3da30209d4e0c0483bf9b628d6ae75292a4917105f9bd56641842d47e113ea"
        );
    }

    #[test]
    fn notary_pkcs8_round_trips() {
        for key in [PrivateKey::generate_ecdsa(), PrivateKey::generate_ed25519()] {
            let der = key.to_notary_pkcs8();
            let back = PrivateKey::from_pkcs8(&der).unwrap();
            assert_eq!(back.id(), key.id());
        }
    }

    #[test]
    fn ec_signer_signs_der_and_raw_deterministically() {
        use p256::ecdsa::signature::Verifier;
        let key = PrivateKey::generate_ecdsa();
        let s = EcSigner::new(&key).unwrap();
        assert_eq!(s.key_id(), key.id());
        let der = s.sign_der(b"payload");
        assert_eq!(der, s.sign_der(b"payload"));
        let raw = s.sign_raw(b"payload");
        let vk = p256::ecdsa::VerifyingKey::from(s.signing_key());
        vk.verify(b"payload", &p256::ecdsa::Signature::from_der(&der).unwrap())
            .unwrap();
        vk.verify(
            b"payload",
            &p256::ecdsa::Signature::from_slice(&raw).unwrap(),
        )
        .unwrap();
        assert!(s.public_pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(EcSigner::new(&PrivateKey::generate_ed25519()).is_err());
    }

    #[test]
    fn debug_never_shows_secret_bytes() {
        let key = PrivateKey::generate_ecdsa();
        let shown = format!("{key:?}");
        assert_eq!(shown, format!("PrivateKey(ecdsa {})", key.id()));
    }
}
