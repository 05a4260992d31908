//! One error type for the whole library. Every failure carries the message a user needs to act
//! (which file, image or server, and what to do next); [`Error::exit_code`] is the single place
//! where failures map to the stable exit codes of the command-line contract.

use std::path::Path;

/// Stable process exit codes (see README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The command did what it was asked.
    Success = 0,
    /// Any other failure: I/O, a publish conflict, a declined confirmation.
    Failure = 1,
    /// Bad usage or invalid input.
    Usage = 2,
    /// No trust data for the repository or the tag.
    NotSigned = 3,
    /// Trust data failed verification: possible tampering.
    Verification = 4,
    /// The server refused the credentials.
    Auth = 5,
    /// The server could not be reached or failed.
    Network = 6,
    /// A key or its passphrase is missing or wrong.
    Key = 7,
}

impl ExitCode {
    /// How serious a failure is when several arguments of one command failed differently: the
    /// command exits with the most serious one's code. Definite findings first — verification
    /// failed (4), then not signed (3) — then failures that left the answer open: authentication
    /// (5), network (6), keys (7), invalid input (2), anything else (1).
    pub fn severity(self) -> u8 {
        match self {
            ExitCode::Verification => 7,
            ExitCode::NotSigned => 6,
            ExitCode::Auth => 5,
            ExitCode::Network => 4,
            ExitCode::Key => 3,
            ExitCode::Usage => 2,
            ExitCode::Failure => 1,
            ExitCode::Success => 0,
        }
    }
}

/// The most serious of several failures ([`ExitCode::severity`]; the first of equals).
pub fn worst(errors: impl IntoIterator<Item = Error>) -> Option<Error> {
    let mut worst: Option<Error> = None;
    for e in errors {
        if worst
            .as_ref()
            .is_none_or(|w| e.exit_code().severity() > w.exit_code().severity())
        {
            worst = Some(e);
        }
    }
    worst
}

/// A failure of the library, classed by what the user can do about it; each class has its exit code
/// ([`Error::exit_code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line usage or invalid input: a bad reference, a malformed file, a bad flag.
    #[error("{0}")]
    Invalid(String),
    /// The collection or the tag has no trust data.
    #[error("{0}")]
    NotSigned(String),
    /// Trust verification failed: possible tampering.
    #[error("{0}")]
    Verification(String),
    /// The server refused our credentials.
    #[error("{0}")]
    Auth(String),
    /// The server could not be reached or failed.
    #[error("{0}")]
    Network(String),
    /// A key is missing, its passphrase is wrong, or no passphrase can be obtained.
    #[error("{0}")]
    Key(String),
    /// The trust server refused a publish because its data changed since we read it (notary's
    /// 400 `VERSION`: another client published first); a caller may retry on fresh metadata.
    #[error("{0}")]
    Conflict(String),
    /// A file system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What failed, on which path.
        context: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Anything else (user declined a confirmation, internal failures).
    #[error("{0}")]
    Other(String),
    /// A failure already printed on stderr (one of several arguments); only its exit code is
    /// left to report.
    #[error("{0}")]
    Reported(Box<Error>),
}

impl Error {
    /// The process exit code of this failure (README "Exit codes").
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Invalid(_) => ExitCode::Usage,
            Error::NotSigned(_) => ExitCode::NotSigned,
            Error::Verification(_) => ExitCode::Verification,
            Error::Auth(_) => ExitCode::Auth,
            Error::Network(_) => ExitCode::Network,
            Error::Key(_) => ExitCode::Key,
            Error::Io { .. } | Error::Conflict(_) | Error::Other(_) => ExitCode::Failure,
            Error::Reported(inner) => inner.exit_code(),
        }
    }

    /// The same failure again (same message and exit code), for a failure several arguments
    /// share (two tags of one repository that could not be read).
    pub fn duplicate(&self) -> Error {
        match self {
            Error::Invalid(m) => Error::Invalid(m.clone()),
            Error::NotSigned(m) => Error::NotSigned(m.clone()),
            Error::Verification(m) => Error::Verification(m.clone()),
            Error::Auth(m) => Error::Auth(m.clone()),
            Error::Network(m) => Error::Network(m.clone()),
            Error::Key(m) => Error::Key(m.clone()),
            Error::Conflict(m) => Error::Conflict(m.clone()),
            Error::Other(m) => Error::Other(m.clone()),
            e @ Error::Io { .. } => Error::Other(e.to_string()),
            Error::Reported(inner) => Error::Reported(Box::new(inner.duplicate())),
        }
    }

    /// An I/O error on `path`, phrased as "<what> <path>: <cause>".
    pub fn io(what: &str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            context: format!("{what} {}", path.display()),
            source,
        }
    }

    /// Shorthand for [`Error::Invalid`] (exit 2).
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    /// Shorthand for [`Error::Key`] (exit 7).
    pub fn key(msg: impl Into<String>) -> Self {
        Error::Key(msg.into())
    }

    /// The same failure (same exit code) with `note` on a line of its own after the message:
    /// what was kept and what to do next.
    pub fn with_note(self, note: &str) -> Self {
        let add = |m: String| format!("{m}\n{note}");
        match self {
            Error::Invalid(m) => Error::Invalid(add(m)),
            Error::NotSigned(m) => Error::NotSigned(add(m)),
            Error::Verification(m) => Error::Verification(add(m)),
            Error::Auth(m) => Error::Auth(add(m)),
            Error::Network(m) => Error::Network(add(m)),
            Error::Key(m) => Error::Key(add(m)),
            Error::Conflict(m) => Error::Conflict(add(m)),
            Error::Other(m) => Error::Other(add(m)),
            e @ Error::Io { .. } => Error::Other(add(e.to_string())),
            Error::Reported(inner) => Error::Reported(Box::new(inner.with_note(note))),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds the path to an `io::Result`, so every I/O error names its file.
pub trait IoContext<T> {
    /// The result, with an error worded as `<what> <path>: <cause>` ([`Error::io`]).
    fn ctx(self, what: &str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx(self, what: &str, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(what, path, e))
    }
}
