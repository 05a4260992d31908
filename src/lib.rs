//! dct: a Docker Content Trust (Notary v1) client library. The `dct` binary is a thin layer over
//! it; see the README for the command-line contract.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod canonical;
pub mod error;
pub mod fsutil;
pub mod keys;
pub mod oci;
pub mod ops;
pub mod reference;
pub mod remote;
pub mod roles;
pub mod tabwriter;
pub mod trust_dir;
pub mod tuf;

pub use error::{Error, ExitCode, Result};
pub mod cli;
pub mod config;

#[cfg(test)]
mod layering;
