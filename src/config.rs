//! Where dct keeps things (Docker's layout), every environment variable it reads, and the
//! value parsers of the global options that also come from the environment.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::builder::{StringValueParser, TypedValueParser};
use clap::parser::ValueSource;

use crate::error::{Error, Result};

/// `--timeout` / `DCT_TIMEOUT` when neither is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest `--timeout` accepted: a day.
const MAX_TIMEOUT_SECS: u64 = 24 * 3600;

/// `SECONDS` of `--timeout`: a positive decimal number (`30`, `2.5`), at most a day.
pub fn parse_timeout(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if t.is_empty() || !digits(whole) || !digits(frac) || (whole.is_empty() && frac.is_empty()) {
        return Err("expected a number of seconds, such as 30 or 2.5".into());
    }
    let secs: f64 = format!("0{whole}.{frac}0")
        .parse()
        .map_err(|_| "expected a number of seconds, such as 30 or 2.5".to_string())?;
    if secs <= 0.0 {
        return Err("must be more than 0 seconds".into());
    }
    if secs > MAX_TIMEOUT_SECS as f64 {
        return Err(format!(
            "must be at most {MAX_TIMEOUT_SECS} seconds (a day)"
        ));
    }
    Ok(Duration::from_secs_f64(secs).max(Duration::from_millis(1)))
}

/// `--timeout SECONDS` / `DCT_TIMEOUT`: [`parse_timeout`]; an empty `DCT_TIMEOUT` counts as
/// unset (the default), as Docker treats its empty variables.
#[derive(Debug, Clone, Copy)]
pub struct TimeoutParser;

impl TypedValueParser for TimeoutParser {
    type Value = Duration;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Duration, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<Duration, clap::Error> {
        if source == ValueSource::EnvVariable && value.is_empty() {
            return Ok(DEFAULT_TIMEOUT);
        }
        let from_env = source == ValueSource::EnvVariable;
        StringValueParser::new()
            .try_map(move |s| {
                parse_timeout(&s).map_err(|why| {
                    if from_env {
                        format!("{why} (from DCT_TIMEOUT)")
                    } else {
                        why
                    }
                })
            })
            .parse_ref(cmd, arg, value)
    }
}

/// `-s/--server URL` as given, and whether it came from `DOCKER_CONTENT_TRUST_SERVER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerArg {
    /// The URL as given; an empty one is kept (see [`ServerArg::effective`]).
    pub url: String,
    /// Whether it came from `DOCKER_CONTENT_TRUST_SERVER` rather than the flag.
    pub from_env: bool,
}

impl ServerArg {
    /// The trust server URL to use: an empty `DOCKER_CONTENT_TRUST_SERVER` counts as unset (as
    /// in Docker, which reads it with `os.Getenv(…) != ""`); an empty `--server ''` is kept,
    /// so that it is refused as a usage error where the server is needed.
    pub fn effective(self) -> Option<String> {
        (!(self.from_env && self.url.is_empty())).then_some(self.url)
    }
}

/// The value parser of `-s/--server` (see [`ServerArg`]).
#[derive(Debug, Clone, Copy)]
pub struct ServerParser;

impl TypedValueParser for ServerParser {
    type Value = ServerArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<ServerArg, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<ServerArg, clap::Error> {
        Ok(ServerArg {
            url: StringValueParser::new().parse_ref(cmd, arg, value)?,
            from_env: source == ValueSource::EnvVariable,
        })
    }
}

/// Docker's config dir: `--config`, else `$DOCKER_CONFIG`, else `~/.docker`.
pub fn config_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::env::home_dir()
        .unwrap_or_else(|| PathBuf::from("/"))
        .join(".docker")
}

/// The trust dir: `--trust-dir`, else `<config>/trust`.
pub fn trust_dir(config: &Path, flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .unwrap_or_else(|| config.join("trust"))
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): seconds since 1970 that `dct bundle create`
/// records as the bundle's save time instead of now. Unset or empty: `None`.
pub fn source_date_epoch() -> Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.is_empty() => v
            .parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .map(Some)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "SOURCE_DATE_EPOCH={v}: expected a number of seconds since 1970"
                ))
            }),
        _ => Ok(None),
    }
}

/// One environment variable dct reads.
pub struct EnvVar {
    /// The variable, e.g. `DOCKER_CONFIG`.
    pub name: &'static str,
    /// Whether `dct env` hides its value (passphrases, PINs).
    pub secret: bool,
    /// What it sets, as `dct env` describes it.
    pub meaning: &'static str,
}

/// Every variable dct reads, in the order `dct env` lists them.
pub const ENV_VARS: &[EnvVar] = &[
    EnvVar {
        name: "DOCKER_CONFIG",
        secret: false,
        meaning: "Docker config dir (default ~/.docker); the trust dir is DIR/trust",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_SERVER",
        secret: false,
        meaning: "trust server URL (https), like -s/--server",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE",
        secret: true,
        meaning: "root key passphrase",
    },
    EnvVar {
        name: "NOTARY_ROOT_PASSPHRASE",
        secret: true,
        meaning: "root key passphrase (notary's name)",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        secret: true,
        meaning: "targets, snapshot and signer key passphrase",
    },
    EnvVar {
        name: "NOTARY_TARGETS_PASSPHRASE",
        secret: true,
        meaning: "targets key passphrase (notary's name)",
    },
    EnvVar {
        name: "NOTARY_SNAPSHOT_PASSPHRASE",
        secret: true,
        meaning: "snapshot key passphrase (notary's name)",
    },
    EnvVar {
        name: "NOTARY_DELEGATION_PASSPHRASE",
        secret: true,
        meaning: "signer (delegation) key passphrase (notary's name)",
    },
    EnvVar {
        name: "DCT_NEW_PASSPHRASE",
        secret: true,
        meaning: "new passphrase for key passwd, key load/import and key export --reencrypt",
    },
    EnvVar {
        name: "DCT_BACKUP_PASSPHRASE",
        secret: true,
        meaning: "passphrase of a sealed key backup (key backup, key restore)",
    },
    EnvVar {
        name: "DCT_PKCS11_MODULE",
        secret: false,
        meaning: "PKCS#11 module (.so) for token keys whose URI has no module-path",
    },
    EnvVar {
        name: "DCT_PKCS11_PIN",
        secret: true,
        meaning: "user PIN of the PKCS#11 token (else a prompt; never retried)",
    },
    EnvVar {
        name: "DCT_TIMEOUT",
        secret: false,
        meaning: "seconds without progress before a request is abandoned (default 30), like --timeout",
    },
    EnvVar {
        name: "SOURCE_DATE_EPOCH",
        secret: false,
        meaning: "Unix time bundle create records as the save time instead of now (reproducible bundles)",
    },
    EnvVar {
        name: "HOME",
        secret: false,
        meaning: "home dir, for the default config dir ~/.docker",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_positive_numbers_of_seconds() {
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_timeout(".5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("86400"), Ok(Duration::from_secs(86400)));
        for bad in [
            "", "0", "0.0", "-1", "abc", "1e3", "inf", "NaN", "3s", "1.2.3", ".", "86401",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_empty_server_variable_is_unset_but_an_empty_flag_is_kept() {
        let arg = |url: &str, from_env| ServerArg {
            url: url.into(),
            from_env,
        };
        assert_eq!(arg("", true).effective(), None);
        assert_eq!(arg("", false).effective(), Some(String::new()));
        assert_eq!(
            arg("https://n.example", true).effective().as_deref(),
            Some("https://n.example")
        );
    }
}
