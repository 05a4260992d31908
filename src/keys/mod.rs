//! The Docker-compatible key store and everything about keys: notary's key file format, key
//! IDs, root certificates and passphrase retrieval.

pub(crate) mod asn1;
pub mod backup;
pub mod keyfile;
pub mod pem;
pub mod pkcs11;
pub mod private;
pub mod public;
pub mod signer;

pub use private::{KeyType, PrivateKey, PublicKey};
pub use signer::KeySigner;
pub mod cert;
pub mod passphrase;
pub mod store;

use crate::error::{Error, Result};

/// Docker's rule for key and signer names (`docker trust key generate NAME`,
/// `docker trust signer add NAME`): `^[a-z0-9][a-z0-9_-]*$`.
pub fn check_name(name: &str) -> Result<()> {
    let mut bytes = name.bytes();
    let ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "key name \"{name}\" must start with lowercase alphanumeric characters and can include \"-\" or \"_\" after the first character"
        )))
    }
}
