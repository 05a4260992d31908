//! The use-cases: one module per command group, each holding the rules of its commands (Docker's
//! and notary's semantics, which keys sign what, what is staged when, what to ask). Every
//! function takes typed input, a [`Session`] (the run's HTTP client, trust dir, server and
//! passphrase cache) and a [`Ui`], and returns an outcome value for the command line to print.
//! Nothing here parses arguments or writes to stdout; stderr is reached only through the
//! [`Ui`].
//!
//! Below this layer: `tuf` (metadata, verification, editing), `keys` (the key store),
//! `remote` (HTTP, the trust server and the registry) and `oci` (image formats).

pub mod backup;
pub mod bundle;
pub mod inspect;
pub mod keys;
pub mod login;
pub mod migrate;
pub mod pin;
pub mod publish;
pub mod pull;
pub mod push;
pub mod read;
pub mod retired;
pub mod rotate;
pub mod session;
pub mod sign;
pub mod signer;
#[cfg(test)]
mod testkit;

pub use session::{Session, SessionOptions};

use crate::error::Result;
pub use crate::keys::passphrase::{Passphrase, Prompter, TerminalPrompter};
pub use crate::keys::pkcs11::Pkcs11Uri;

/// What a use-case needs from the person (or script) running it: where progress and warnings
/// go, how to ask a yes/no question, passphrase prompts ([`Prompter`]) and transfer progress.
/// The command line implements it on the terminal (honouring `-q`/`-v`); tests implement it
/// with canned answers.
pub trait Ui: Prompter {
    /// A progress line (Docker's `Signing and pushing trust metadata for …`); silenced by `-q`.
    fn progress(&self, text: &str);
    /// A warning; silenced by `-q`.
    fn warn(&self, text: &str);
    /// A diagnostic, shown with `-v` only.
    fn debug(&self, text: &str);
    /// Asks `question`; without a way to ask, a usage error saying that `what` needs
    /// confirmation and naming `flag`, the option that confirms in advance.
    fn confirm(&self, question: &str, what: &str, flag: &str) -> Result<bool>;
    /// Progress of blob transfers (pull, push).
    fn transfers(&self, direction: Direction) -> Box<dyn Transfers + '_>;
}

/// Which way blobs move, for the words progress uses (`Downloading`/`Pull complete`,
/// `Pushing`/`Pushed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `dct pull`.
    Download,
    /// `dct push`.
    Upload,
}

/// Progress of a set of blob transfers: a bar per blob on a terminal, a line per finished blob
/// otherwise, nothing when quiet.
pub trait Transfers: Sync {
    /// A line of progress (`<id>: Already exists`).
    fn message(&self, text: &str);
    /// Transfers are about to start: (short id, size) per blob.
    fn start(&self, blobs: &[(String, u64)]);
    /// Blob `i` has moved `bytes` so far.
    fn progress(&self, i: usize, bytes: u64);
    /// Blob `i` is done: `label` says how (`Pull complete`, `Pushed`, `Layer already exists`).
    fn done(&self, i: usize, label: &str);
    /// All transfers ended (successfully or not).
    fn finish(&self);
}

/// A [`Ui`] that shows nothing, never asks, and has no passphrases: for library users and
/// unit tests.
#[derive(Debug, Default, Clone, Copy)]
pub struct SilentUi;

impl Prompter for SilentUi {
    fn can_prompt(&self) -> bool {
        false
    }

    fn read_secret(&self, _prompt: &str) -> Result<Passphrase> {
        Err(crate::Error::key("no terminal to ask for a passphrase on"))
    }

    fn notice(&self, _text: &str) {}
}

impl Transfers for SilentUi {
    fn message(&self, _text: &str) {}
    fn start(&self, _blobs: &[(String, u64)]) {}
    fn progress(&self, _i: usize, _bytes: u64) {}
    fn done(&self, _i: usize, _label: &str) {}
    fn finish(&self) {}
}

impl Ui for SilentUi {
    fn progress(&self, _text: &str) {}
    fn warn(&self, _text: &str) {}
    fn debug(&self, _text: &str) {}

    fn confirm(&self, _question: &str, what: &str, flag: &str) -> Result<bool> {
        Err(crate::Error::invalid(format!(
            "{what} needs confirmation and there is no terminal to ask on: pass {flag} to confirm"
        )))
    }

    fn transfers(&self, _direction: Direction) -> Box<dyn Transfers + '_> {
        Box::new(SilentUi)
    }
}
