//! Arguments and value parsers shared by several commands: root pins, `--bundle`/`--at`, and
//! `--key FILE|URI` with its PKCS#11 URI parser (which never echoes a PIN back).

use std::path::PathBuf;

use super::Ctx;
use crate::error::Result;
use crate::ops::bundle::{At, OpenBundle};

/// `--pin-root`, shared by the commands that read trust data.
#[derive(Debug, clap::Args)]
pub(crate) struct PinArgs {
    /// Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key
    /// file's ID); checked on every run, unlike trust on first use [repeatable]
    #[arg(long = "pin-root", value_name = "KEYID")]
    pub pin_root: Vec<String>,
}

/// `--jobs`, shared by the commands that read many repositories.
#[derive(Debug, clap::Args)]
pub(crate) struct JobsArg {
    /// Read up to N repositories at once
    #[arg(long, value_name = "N", default_value_t = crate::ops::read::DEFAULT_JOBS as u16,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

/// `--at`: when expiry is checked.
fn parse_at(s: &str) -> std::result::Result<At, String> {
    At::parse(s)
}

/// `--bundle FILE [--at …]`, shared by the commands that read trust data.
#[derive(Debug, clap::Args)]
pub(crate) struct BundleArgs {
    /// Read trust data only from this bundle (made by `dct bundle create`), never from a trust
    /// server; the root must be cached in the trust dir or pinned (--pin-root)
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
    /// Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later
    /// than now, instead of now (freshness is then not proven) [default: now]
    #[arg(long, value_name = "saved|TIME", requires = "bundle", value_parser = parse_at)]
    pub at: Option<At>,
}

impl BundleArgs {
    /// With `--bundle`, makes the run read its trust data from that bundle.
    pub(crate) fn apply(&self, ctx: &mut Ctx) -> Result<()> {
        if let Some(file) = &self.bundle {
            let open = crate::ops::bundle::open(&*ctx.ui, file, self.at.unwrap_or(At::Now))?;
            ctx.session.set_bundle(open);
        }
        Ok(())
    }
}

/// `--at` of `bundle verify` and `bundle import`.
#[derive(Debug, clap::Args)]
pub(crate) struct AtArgs {
    /// Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later
    /// than now, instead of now (freshness is then not proven) [default: now]
    #[arg(long, value_name = "saved|TIME", value_parser = parse_at)]
    pub at: Option<At>,
}

/// The `--json` record of where a run's trust data came from and when expiry was checked.
pub(crate) fn bundle_json(open: &OpenBundle) -> serde_json::Value {
    serde_json::json!({
        "file": open.file.display().to_string(),
        "saved": open.saved(),
        "dct_version": open.bundle.dct_version,
        "expiry_checked_at": open.checked_at(),
        "freshness_proven": open.at_now,
    })
}

/// The value parser of a PKCS#11 key reference (an RFC 7512 URI): malformed, unknown
/// attributes or a PIN in the URI are usage errors (exit 2). Unlike clap's own errors, the
/// message never repeats the value as given (it may hold a `pin-value`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pkcs11UriParser;

impl clap::builder::TypedValueParser for Pkcs11UriParser {
    type Value = Box<crate::ops::Pkcs11Uri>;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<Self::Value, clap::Error> {
        parse_pkcs11_uri(cmd, arg, value).map(Box::new)
    }
}

/// [`Pkcs11UriParser`]'s parse, for parsers of values that may be URIs.
pub(crate) fn parse_pkcs11_uri(
    cmd: &clap::Command,
    arg: Option<&clap::Arg>,
    value: &std::ffi::OsStr,
) -> std::result::Result<crate::ops::Pkcs11Uri, clap::Error> {
    let name = arg
        .and_then(|a| a.get_long())
        .map(|l| format!(" for '--{l}'"))
        .unwrap_or_default();
    let text = value.to_str().ok_or_else(|| {
        clap::Error::raw(
            clap::error::ErrorKind::InvalidUtf8,
            format!("invalid value{name}: a PKCS#11 URI is UTF-8 text\n"),
        )
        .with_cmd(cmd)
    })?;
    crate::ops::Pkcs11Uri::parse(text).map_err(|e| {
        clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("invalid value{name}: {e}\n"),
        )
        .with_cmd(cmd)
    })
}

/// `--key FILE|URI`: a key file, or a key on a PKCS#11 token (`key rotate`, `signer add`).
#[derive(Debug, Clone)]
pub(crate) enum KeyArg {
    File(PathBuf),
    Token(Box<crate::ops::Pkcs11Uri>),
}

/// The value parser of `--key FILE|URI`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyArgParser;

impl clap::builder::TypedValueParser for KeyArgParser {
    type Value = KeyArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<KeyArg, clap::Error> {
        if value.as_encoded_bytes().starts_with(b"pkcs11:") {
            parse_pkcs11_uri(cmd, arg, value).map(|u| KeyArg::Token(Box::new(u)))
        } else {
            Ok(KeyArg::File(PathBuf::from(value)))
        }
    }
}
