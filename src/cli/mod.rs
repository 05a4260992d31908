//! The command line: clap definitions, one module per command group turning arguments into
//! typed input, calling one `ops::` use-case and printing its outcome (results on stdout;
//! prompts, progress and errors on stderr through [`ui::TermUi`]). No protocol code and no
//! command rules here; no module imports another command's module.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config;
use crate::error::{Error, Result};
use crate::ops::{Session, SessionOptions, Ui};

mod env;
mod key;
mod login;
mod pull;
mod push;
mod read;
mod sign;
mod signer;
pub mod ui;

#[derive(Debug, Parser)]
#[command(
    name = "dct",
    version,
    about = "Docker Content Trust client: keys, signing and verified pulls",
    long_about = "Docker Content Trust client: keys, signing and verified pulls.\n\n\
        dct shares Docker's and notary's trust dir (~/.docker/trust) and key format, so keys \
        work with all three.",
    max_term_width = 100,
    propagate_version = true
)]
// (clap takes doc comments as help text: the types below are documented with plain comments)
#[allow(missing_docs)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

// Options every command takes.
#[derive(Debug, clap::Args)]
pub(crate) struct Global {
    /// Docker config dir [default: $DOCKER_CONFIG or ~/.docker]
    #[arg(long, global = true, value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// Trust dir [default: <config dir>/trust]
    #[arg(long, global = true, value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
    /// Print results as JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Print less on stderr (no progress messages)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more on stderr (and every HTTP request)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]
    #[arg(
        short = 's',
        long,
        global = true,
        value_name = "URL",
        env = "DOCKER_CONTENT_TRUST_SERVER",
        hide_env_values = true,
        value_parser = config::ServerParser
    )]
    pub server: Option<config::ServerArg>,
    /// Abandon a request that makes no progress for SECONDS (with its retries: twice that)
    /// [default: 30]
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        env = "DCT_TIMEOUT",
        hide_env_values = true,
        value_parser = config::TimeoutParser
    )]
    pub timeout: Option<std::time::Duration>,
    /// Extra CA certificate (PEM) for the trust server and registry
    #[arg(long, global = true, value_name = "FILE")]
    pub tlscacert: Option<PathBuf>,
    /// Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]
    #[arg(long = "insecure-registry", global = true, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
}

// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage signing keys (Docker- and notary-compatible key store)
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Resolve IMAGE:TAG to its signed digest through verified trust data
    #[command(
        long_about = "Resolve IMAGE:TAG to its signed digest through verified trust data.\n\n\
        Prints NAME@sha256:HEX (the full repository name), the way `docker pull` resolves tags \
        under content trust: targets/releases first, then targets. Exit codes: 3 when the \
        repository or tag is not signed, 4 when verification fails (possible tampering), 5 \
        when authentication is refused, 6 on network errors."
    )]
    Lookup(read::LookupArgs),
    /// Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine
    #[command(long_about = "Pull a signed image by its verified digest.\n\n\
        Resolves IMAGE:TAG through verified trust data (as `dct lookup`), prints \
        `Pull (1 of 1): NAME:TAG@sha256:HEX`, then fetches that manifest by digest and every blob \
        it lists, checking each digest and length. With --output the image is written to an OCI \
        image layout or a `docker load` archive (nothing partial is left on failure); without it \
        the digest is handed to the Docker engine (`docker pull NAME@DIGEST`, then tagged). Exit \
        codes: 3 when the tag is not signed (nothing is fetched), 4 when verification or a \
        digest check fails (possible tampering), 5 when authentication is refused, 6 on network \
        errors or when no Docker engine is reachable.")]
    Pull(pull::PullArgs),
    /// Show signed tags, signers and keys, exactly as `docker trust inspect` prints them
    Inspect(read::InspectArgs),
    /// Sign tags (digest and size from the registry, or --digest/--size) and publish
    Sign(sign::SignArgs),
    /// Create a repository's trust data (root and targets keys local, snapshot and timestamp on the server)
    Init(sign::InitArgs),
    /// Publish the changes staged for a repository (`dct sign --local`)
    Publish(sign::RepoArgs),
    /// List the changes staged for a repository
    Status(sign::RepoArgs),
    /// Remove the signature of a tag, or of every tag of a repository
    Revoke(sign::RevokeArgs),
    /// Delete a repository's local trust data, and with --remote the server's
    Delete(sign::DeleteArgs),
    /// Upload an image (OCI layout or docker-archive) and sign the digest the registry holds
    #[command(
        long_about = "Upload an image and sign exactly the digest the registry now holds.\n\n\
        --from oci:DIR[:REF] reads an OCI image layout (REF: the image's ref name; default the \
        tag, or the only image), --from docker-archive:FILE a `docker save` tarball. Every blob \
        is checked against its digest while it is read; blobs the registry has are skipped. \
        Without --from, `docker push` uploads and dct signs what it pushed. Exit codes: 4 when \
        the image does not match its digests (nothing is signed), 5 when authentication is \
        refused, 6 on network errors."
    )]
    Push(push::PushArgs),
    /// Log in to a registry: store credentials in Docker's config.json or credential helper
    Login(login::LoginArgs),
    /// Log out from a registry: remove its stored credentials
    Logout(login::LogoutArgs),
    /// Manage signers (delegations), as `docker trust signer`
    #[command(subcommand)]
    Signer(signer::SignerCommand),
    /// List the environment variables dct reads and whether they are set
    Env,
    /// Print a shell completion script
    Completions {
        /// Shell to generate completions for
        shell: clap_complete::Shell,
    },
}

impl Command {
    /// Whether the command reads or writes the trust dir (every one but these four).
    fn uses_trust_dir(&self) -> bool {
        !matches!(
            self,
            Command::Env | Command::Completions { .. } | Command::Login(_) | Command::Logout(_)
        )
    }
}

/// `--pin-root`, shared by the commands that read trust data.
#[derive(Debug, clap::Args)]
pub(crate) struct PinArgs {
    /// Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key
    /// file's ID); checked on every run, unlike trust on first use [repeatable]
    #[arg(long = "pin-root", value_name = "KEYID")]
    pub pin_root: Vec<String>,
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

/// What every handler gets: the run's session, the terminal, the output format.
pub(crate) struct Ctx {
    pub session: Session,
    pub ui: Arc<ui::TermUi>,
    pub json: bool,
}

impl Ctx {
    /// Writes a result to stdout.
    pub fn out(&self, text: &str) -> Result<()> {
        let mut lock = std::io::stdout().lock();
        lock.write_all(text.as_bytes())
            .and_then(|_| lock.flush())
            .map_err(|e| Error::Io {
                context: "cannot write to stdout".into(),
                source: e,
            })
    }

    /// Writes a JSON value to stdout, pretty-printed, with a newline.
    pub fn out_json_pretty(&self, value: &impl serde::Serialize) -> Result<()> {
        let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
        self.out(&format!("{text}\n"))
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let config_dir = config::config_dir(cli.global.config.as_deref());
    let trust_dir = config::trust_dir(&config_dir, cli.global.trust_dir.as_deref());
    let ui = Arc::new(ui::TermUi {
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
    });
    ui.debug(&format!(
        "config dir {}, trust dir {}",
        config_dir.display(),
        trust_dir.display()
    ));
    let session = Session::new(
        SessionOptions {
            config_dir,
            trust_dir,
            server: cli.global.server.and_then(config::ServerArg::effective),
            tls_ca_cert: cli.global.tlscacert,
            insecure_registries: cli.global.insecure_registry,
            verbose: cli.global.verbose,
            timeout: cli.global.timeout.unwrap_or(config::DEFAULT_TIMEOUT),
        },
        ui.clone(),
    );
    let mut ctx = Ctx {
        session,
        ui,
        json: cli.global.json,
    };
    if cli.command.uses_trust_dir() {
        ctx.session.prepare_trust_dir()?;
    }
    let result = match cli.command {
        Command::Lookup(args) => read::lookup(&mut ctx, args),
        Command::Inspect(args) => read::inspect(&mut ctx, args),
        Command::Pull(args) => pull::run(&mut ctx, args),
        Command::Sign(args) => sign::sign(&mut ctx, args),
        Command::Init(args) => sign::init(&mut ctx, args),
        Command::Publish(args) => sign::publish(&mut ctx, args),
        Command::Status(args) => sign::status(&mut ctx, args),
        Command::Revoke(args) => sign::revoke(&mut ctx, args),
        Command::Signer(cmd) => signer::run(&mut ctx, cmd),
        Command::Delete(args) => sign::delete(&mut ctx, args),
        Command::Push(args) => push::run(&mut ctx, args),
        Command::Login(args) => login::login(&mut ctx, args),
        Command::Logout(args) => login::logout(&mut ctx, args),
        Command::Key(cmd) => key::run(&mut ctx, cmd),
        Command::Env => env::run(&mut ctx),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            write_completions(shell, &mut buf);
            ctx.out(&String::from_utf8_lossy(&buf))
        }
    };
    if let Some(n) = ctx.session.request_count() {
        ctx.ui.debug(&format!("{n} HTTP requests"));
    }
    result
}

/// The completion script for `shell` (also used to check the committed files are fresh).
pub fn write_completions(shell: clap_complete::Shell, out: &mut Vec<u8>) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "dct", out);
}
