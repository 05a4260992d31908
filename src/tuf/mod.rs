//! Notary's TUF dialect.

pub mod canonical;
