//! The Docker-compatible key store and everything about keys: notary's key file format, key
//! IDs, root certificates and passphrase retrieval.

pub mod asn1;
pub mod backup;
pub mod keyfile;
pub mod pem;
pub mod private;

pub use private::{KeyType, PrivateKey, PublicKey};
pub mod cert;
pub mod passphrase;
pub mod store;
