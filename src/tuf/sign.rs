//! Signing metadata as notary does (§3.7): the signature covers the canonical bytes of the
//! `signed` value; ECDSA signatures are raw r‖s (`ecdsa`), Ed25519 ones `eddsa`, RSA ones
//! RSASSA-PSS with SHA-256 (`rsapss`). The key may be a key file or a PKCS#11 token key
//! ([`KeySigner`]).

use serde::Serialize;

use super::meta::{Signature, canonical_bytes, envelope_bytes};
use crate::error::Result;
use crate::keys::private::PrivateKey;
use crate::keys::signer::KeySigner;

/// Signs `msg` with `key`, listed in the role under `keyid` (for root keys that is the
/// certificate's ID, not the private key's).
pub fn signature(keyid: &str, key: &PrivateKey, msg: &[u8]) -> Signature {
    let (method, sig) = key.tuf_signature(msg);
    Signature {
        keyid: keyid.to_string(),
        method: method.to_string(),
        sig,
    }
}

/// Like [`signature`], with any kind of key (a token may fail: removed, logged out).
pub fn signature_by(keyid: &str, key: &dyn KeySigner, msg: &[u8]) -> Result<Signature> {
    let (method, sig) = key.sign_tuf(msg)?;
    Ok(Signature {
        keyid: keyid.to_string(),
        method: method.to_string(),
        sig,
    })
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
