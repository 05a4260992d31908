//! Notary's TUF dialect: metadata types, signature checks, root validation
//! and pinning, the shared metadata cache, and the verified read path.

pub mod cache;
pub mod changelist;
pub mod client;
pub mod edit;
pub mod index;
pub mod meta;
pub mod root;
pub mod sign;
pub mod verify;
