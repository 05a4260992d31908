//! What signing needs from a key, whichever kind it is: a decrypted key file
//! ([`PrivateKey`]) or a key that never leaves a PKCS#11 token (`pkcs11::TokenKey`). Metadata
//! signing (`tuf::edit`) and root certificates (`cert`) take a `&dyn KeySigner`.

use super::private::{KeyType, PrivateKey, PublicKey};
use crate::error::Result;

/// A key that can sign TUF metadata (notary-spec §3.7).
pub trait KeySigner {
    /// The public half in its plain TUF form (`ecdsa`, `ed25519`, `rsa`): its ID is the
    /// canonical key ID.
    fn public_key(&self) -> PublicKey;

    /// A TUF signature over `msg`: the method (`ecdsa`, `eddsa`, `rsapss`) and the bytes
    /// (for ECDSA the raw `r ‖ s` of a signature over SHA-256(`msg`)).
    fn sign_tuf(&self, msg: &[u8]) -> Result<(&'static str, Vec<u8>)>;

    /// The canonical key ID.
    fn key_id(&self) -> String {
        self.public_key().id()
    }

    /// Whether this is an ECDSA P-256 key (the only kind a root certificate can hold).
    fn is_ecdsa(&self) -> bool {
        self.public_key().keytype == KeyType::Ecdsa
    }

    /// The decrypted key file, for signatures other than TUF's (cosign, Notation); `None` for
    /// a key that never leaves its token.
    fn as_private_key(&self) -> Option<&PrivateKey> {
        None
    }
}

impl KeySigner for PrivateKey {
    fn public_key(&self) -> PublicKey {
        PrivateKey::public_key(self)
    }

    fn sign_tuf(&self, msg: &[u8]) -> Result<(&'static str, Vec<u8>)> {
        Ok(self.tuf_signature(msg))
    }

    fn as_private_key(&self) -> Option<&PrivateKey> {
        Some(self)
    }
}
