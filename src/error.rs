//! One error type for the whole library. Every failure carries the message a user needs to act
//! (which file, image or server, and what to do next); [`Error::exit_code`] is the single place
//! where failures map to the stable exit codes of the command-line contract.

use std::path::Path;

/// Stable process exit codes (see README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Failure = 1,
    Usage = 2,
    NotSigned = 3,
    Verification = 4,
    Auth = 5,
    Network = 6,
    Key = 7,
}

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
        context: String,
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

    /// An I/O error on `path`, phrased as "<what> <path>: <cause>".
    pub fn io(what: &str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            context: format!("{what} {}", path.display()),
            source,
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

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

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds the path to an `io::Result`, so every I/O error names its file.
pub trait IoContext<T> {
    fn ctx(self, what: &str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx(self, what: &str, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(what, path, e))
    }
}
