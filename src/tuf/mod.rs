//! Notary's TUF dialect: metadata types, signature checks, root validation
//! and pinning, the shared metadata cache, the verified read path, and trust data bundles.

pub mod bundle;
pub mod cache;
pub mod changelist;
pub mod client;
pub mod edit;
pub mod index;
pub mod meta;
pub mod root;
pub mod sign;
pub mod verify;
