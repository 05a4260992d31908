//! dct: a Docker Content Trust (Notary v1) client library. The `dct` binary is a thin layer over
//! it; see the README for the command-line contract.

pub mod canonical;
pub mod error;
pub mod fsutil;
pub mod inspect;
pub mod keys;
pub mod publish;
pub mod pull;
pub mod push;
pub mod reference;
pub mod tabwriter;
pub mod remote;
pub mod roles;
pub mod trust;
pub mod tuf;

pub use error::{Error, ExitCode, Result};
pub mod cli;
pub mod config;
