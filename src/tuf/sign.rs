//! Signing metadata as notary does (§3.7): the signature covers the canonical bytes of the
//! `signed` value; ECDSA signatures are raw r‖s (`ecdsa`), Ed25519 ones `eddsa`, RSA ones
//! RSASSA-PSS with SHA-256 (`rsapss`).

use serde::Serialize;

use super::meta::{Signature, canonical_bytes, envelope_bytes};
use crate::keys::private::PrivateKey;

/// Signs `msg` with `key`, listed in the role under `keyid` (for root keys that is the
/// certificate's ID, not the private key's).
pub fn signature(keyid: &str, key: &PrivateKey, msg: &[u8]) -> Signature {
    use p256::ecdsa::signature::Signer;
    let (method, sig) = match key {
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
    };
    Signature {
        keyid: keyid.to_string(),
        method: method.to_string(),
        sig,
    }
}

/// The file bytes of `signed`, signed by every `(keyid, key)`.
pub fn sign<T: Serialize>(signed: &T, keys: &[(&str, &PrivateKey)]) -> Vec<u8> {
    let canonical = canonical_bytes(signed);
    let sigs: Vec<Signature> = keys
        .iter()
        .map(|(id, k)| signature(id, k, &canonical))
        .collect();
    envelope_bytes(&canonical, &sigs)
}
