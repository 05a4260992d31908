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
use crate::ops::{Session, SessionOptions, Ui, retired};

mod args;
mod bundle;
mod env;
mod help;
mod key;
mod login;
mod migrate;
mod pin;
mod pull;
mod push;
mod read;
mod sign;
mod signer;
pub mod ui;

pub(crate) use args::{
    AtArgs, BundleArgs, JobsArg, KeyArg, KeyArgParser, PinArgs, Pkcs11UriParser, bundle_json,
};

#[derive(Debug, Parser)]
#[command(
    name = "dct",
    version,
    long_version = LONG_VERSION,
    about = "Docker Content Trust client: keys, signing and verified pulls",
    long_about = help::TOP,
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

/// The heading global options are listed under in every `--help`.
const GLOBAL: &str = "Global options";

// Options every command takes.
#[derive(Debug, clap::Args)]
pub(crate) struct Global {
    /// Docker config dir [default: $DOCKER_CONFIG or ~/.docker]
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Trust dir [default: <config dir>/trust]
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub trust_dir: Option<PathBuf>,
    /// Print results as JSON on stdout
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,
    /// Print less on stderr (no progress messages)
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    /// Print more on stderr (and every HTTP request)
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,
    /// Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]
    #[arg(
        short = 's',
        long,
        global = true,
        help_heading = GLOBAL,
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
        help_heading = GLOBAL,
        value_name = "SECONDS",
        env = "DCT_TIMEOUT",
        hide_env_values = true,
        value_parser = config::TimeoutParser
    )]
    pub timeout: Option<std::time::Duration>,
    /// Extra CA certificate (PEM) for the trust server and registry
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub tlscacert: Option<PathBuf>,
    /// Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]
    #[arg(long = "insecure-registry", global = true, value_name = "HOST", help_heading = GLOBAL)]
    pub insecure_registry: Vec<String>,
}

// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Sign tags (digest and size from the registry, or --digest/--size) and publish
    #[command(long_about = help::SIGN, after_long_help = help::SIGN_EXAMPLES)]
    Sign(sign::SignArgs),
    /// Resolve IMAGE:TAG… to signed digests through verified trust data
    #[command(
        long_about = "Resolve IMAGE:TAG… to signed digests through verified trust data.\n\n\
        Prints NAME@sha256:HEX (the full repository name), the way `docker pull` resolves tags \
        under content trust: targets/releases first, then targets. Several images: one line per \
        resolved image, in argument order, failures on stderr as `dct: IMAGE: …` (--json: one \
        object per line, a failure as {\"image\",\"error\",\"exit_code\"}); each repository is \
        read once, up to --jobs at once. Exit codes (the most serious wins): 4 when \
        verification fails (possible tampering), 3 when the repository or tag is not signed, 5 \
        when authentication is refused, 6 on network errors."
    )]
    Lookup(read::LookupArgs),
    /// Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine
    #[command(long_about = help::PULL, after_long_help = help::PULL_EXAMPLES)]
    Pull(pull::PullArgs),
    /// Upload an image (OCI layout or docker-archive) and sign the digest the registry holds
    #[command(long_about = help::PUSH, after_long_help = help::PUSH_EXAMPLES)]
    Push(push::PushArgs),
    /// Show signed tags, signers and keys, exactly as `docker trust inspect` prints them
    Inspect(read::InspectArgs),
    /// Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests
    #[command(
        long_about = "Pin the images of Compose files, Kubernetes manifests and \
        Dockerfiles to their signed digests.\n\n\
        Finds the image references (Compose `services.*.image`; `image` of containers, \
        initContainers and ephemeralContainers in Pods, Deployments, StatefulSets, DaemonSets, \
        ReplicaSets, Jobs and CronJobs, any number of YAML documents; Dockerfile `FROM`), \
        resolves each through verified trust data as `dct lookup` does and prints \
        FILE:LINE: NAME:TAG@sha256:HEX for each. --write puts those into the files, changing \
        only the image values. A reference already pinned is verified, not rewritten. --check \
        writes nothing and fails unless every reference is signed and pinned to its signed \
        digest. Exit codes (the most serious wins): 4 when verification fails (possible \
        tampering), 3 when an image is not signed (or pinned to another digest than its tag is \
        signed as), 5 authentication, 6 network, 2 an image value or file that cannot be read, \
        1 with --check when a signed image is not pinned."
    )]
    Pin(pin::PinFilesArgs),
    /// Create a repository's trust data (root and targets keys local, snapshot and timestamp on the server)
    #[command(long_about = help::INIT, after_long_help = help::INIT_EXAMPLES)]
    Init(sign::InitArgs),
    /// Publish the changes staged for a repository (`dct sign --local`)
    Publish(sign::RepoArgs),
    /// List the changes staged for a repository
    Status(sign::RepoArgs),
    /// Remove the signature of a tag, or of every tag of a repository
    Revoke(sign::RevokeArgs),
    /// Delete a repository's local trust data, and with --remote the server's
    Delete(sign::DeleteArgs),
    /// Carry verified DCT signatures over to cosign and Notation signatures
    #[command(long_about = help::MIGRATE, after_long_help = help::MIGRATE_EXAMPLES)]
    Migrate(migrate::MigrateArgs),
    /// Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)
    #[command(subcommand, long_about = help::BUNDLE, after_long_help = help::BUNDLE_EXAMPLES)]
    Bundle(bundle::BundleCommand),
    /// Manage signers (delegations), as `docker trust signer`
    #[command(subcommand, long_about = help::SIGNER, after_long_help = help::SIGNER_EXAMPLES)]
    Signer(signer::SignerCommand),
    /// Manage signing keys (Docker- and notary-compatible key store)
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Log in to a registry: store credentials in Docker's config.json or credential helper
    Login(login::LoginArgs),
    /// Log out from a registry: remove its stored credentials
    Logout(login::LogoutArgs),
    /// List the environment variables dct reads and whether they are set
    Env,
    /// Print a shell completion script
    #[command(long_about = "Print a shell completion script on stdout.\n\n\
        Put it where your shell looks for completions:\n  \
        bash        dct completions bash > ~/.local/share/bash-completion/completions/dct\n  \
        zsh         dct completions zsh > ~/.zfunc/_dct   (with fpath+=(~/.zfunc) in ~/.zshrc)\n  \
        fish        dct completions fish > ~/.config/fish/completions/dct.fish\n  \
        powershell  dct completions powershell >> $PROFILE\n  \
        elvish      dct completions elvish > ~/.config/elvish/lib/dct.elv   (use dct in rc.elv)\n\n\
        The same scripts are kept in completions/ of dct's source tree.")]
    Completions {
        /// Shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the version, the commit it was built from and the TLS backend
    Version,
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

    /// Writes the run's one JSON value to stdout: compact, on one line (every command's
    /// `--json` has this shape).
    pub fn out_json(&self, value: &impl serde::Serialize) -> Result<()> {
        let text = serde_json::to_string(value).expect("JSON values serialise");
        self.out(&format!("{text}\n"))
    }

    /// Refuses `--json` for a command whose output is not a result (a script, PEM text).
    pub fn no_json(&self, what: &str) -> Result<()> {
        if self.json {
            return Err(Error::invalid(format!(
                "--json: {what}, not a result; run it without --json"
            )));
        }
        Ok(())
    }
}

/// `dct sign`'s signatures as JSON (also `dct push`'s).
pub(crate) fn signed_json(done: &[crate::ops::sign::SignedTag]) -> serde_json::Value {
    done.iter()
        .map(|t| {
            serde_json::json!({
                "name": t.gun,
                "tag": t.tag,
                "digest": t.digest.to_string(),
                "staged": t.staged,
            })
        })
        .collect()
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
        Command::Pin(args) => pin::run(&mut ctx, args),
        Command::Pull(args) => pull::run(&mut ctx, args),
        Command::Sign(args) => sign::sign(&mut ctx, args),
        Command::Init(args) => sign::init(&mut ctx, args),
        Command::Publish(args) => sign::publish(&mut ctx, args),
        Command::Status(args) => sign::status(&mut ctx, args),
        Command::Revoke(args) => sign::revoke(&mut ctx, args),
        Command::Signer(cmd) => signer::run(&mut ctx, cmd),
        Command::Bundle(cmd) => bundle::run(&mut ctx, cmd),
        Command::Delete(args) => sign::delete(&mut ctx, args),
        Command::Push(args) => push::run(&mut ctx, args),
        Command::Migrate(args) => migrate::run(&mut ctx, args),
        Command::Login(args) => login::login(&mut ctx, args),
        Command::Logout(args) => login::logout(&mut ctx, args),
        Command::Key(cmd) => key::run(&mut ctx, cmd),
        Command::Env => env::run(&mut ctx),
        Command::Version => version(&ctx),
        Command::Completions { shell } => (|| {
            ctx.no_json("completions prints a shell script")?;
            let mut buf = Vec::new();
            write_completions(shell, &mut buf);
            ctx.out(&String::from_utf8_lossy(&buf))
        })(),
    };
    if let Some(n) = ctx.session.request_count() {
        ctx.ui.debug(&format!("{n} HTTP requests"));
    }
    // A failure on Docker Hub's retired notary says why, beside the error (same exit code).
    result.map_err(|e| match e {
        Error::Reported(inner) if retired::explains(&inner) => {
            eprintln!("dct: {}", retired::EXPLANATION);
            Error::Reported(inner)
        }
        e if retired::explains(&e) => e.with_note(retired::EXPLANATION),
        e => e,
    })
}

/// What `dct --version` and `dct version` print after the name.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("DCT_COMMIT"),
    ", TLS: rustls with ring)"
);

/// `dct version`: version, commit and TLS backend (`--json` too).
fn version(ctx: &Ctx) -> Result<()> {
    if ctx.json {
        let v = serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "commit": env!("DCT_COMMIT"),
            "tls": "rustls with ring",
        });
        return ctx.out_json(&v);
    }
    ctx.out(&format!("dct {LONG_VERSION}\n"))
}

/// The man pages (`man/` in the source tree): one per command and subcommand, as
/// (`dct-key-rotate.1`, roff), rendered from the same clap definitions as `--help`.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, name: String, out: &mut Vec<(String, Vec<u8>)>) {
        let mut buf = Vec::new();
        // The plain version: the commit in --version would make every commit stale the pages.
        let page = cmd
            .clone()
            .name(name.clone())
            .bin_name(name.replace('-', " "))
            .long_version(None::<&str>);
        clap_mangen::Man::new(page)
            .render(&mut buf)
            .expect("rendering to memory does not fail");
        out.push((format!("{name}.1"), buf));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "dct".to_string(), &mut out);
    out
}

/// The completion script for `shell` (also used to check the committed files are fresh).
pub fn write_completions(shell: clap_complete::Shell, out: &mut Vec<u8>) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "dct", out);
}
