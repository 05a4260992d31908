//! The command line: clap definitions, one handler module per command group, and the output
//! conventions (results on stdout, prompts/progress/errors on stderr). No protocol code here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config;
use crate::error::{Error, Result};

mod env;
mod key;
pub(crate) mod table;

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
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct Global {
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
    /// Print more on stderr
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage signing keys (Docker- and notary-compatible key store)
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// List the environment variables dct reads and whether they are set
    Env,
    /// Print a shell completion script
    Completions {
        /// Shell to generate completions for
        shell: clap_complete::Shell,
    },
}

/// What every handler gets: resolved paths, output flags and the stdout writer.
pub struct Ctx {
    pub config_dir: PathBuf,
    pub trust_dir: PathBuf,
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    out: std::io::Stdout,
}

impl Ctx {
    /// Writes a result line to stdout.
    pub fn out(&mut self, text: &str) -> Result<()> {
        let mut lock = self.out.lock();
        lock.write_all(text.as_bytes())
            .and_then(|_| lock.flush())
            .map_err(|e| Error::Io {
                context: "cannot write to stdout".into(),
                source: e,
            })
    }

    /// Writes a diagnostic to stderr with `-v`.
    pub fn debug(&self, text: &str) {
        if self.verbose {
            eprintln!("dct: {text}");
        }
    }

    /// Writes a progress message to stderr unless `-q`.
    pub fn progress(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    pub fn key_store(&self) -> crate::keys::store::KeyStore {
        crate::keys::store::KeyStore::new(&self.trust_dir)
    }

    /// Asks a yes/no question on stderr and reads the answer from stdin. Without a terminal the
    /// caller must have been given `-y`: we refuse rather than guess or hang.
    pub fn confirm(&self, question: &str, what: &str) -> Result<bool> {
        if !std::io::stdin().is_terminal() {
            return Err(Error::invalid(format!(
                "{what} needs confirmation and there is no terminal to ask on: pass -y to confirm"
            )));
        }
        eprint!("{question}");
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| Error::Io {
                context: "cannot read the answer from stdin".into(),
                source: e,
            })?;
        let a = answer.trim().to_ascii_lowercase();
        Ok(a == "y" || a == "yes")
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let config_dir = config::config_dir(cli.global.config.as_deref());
    let trust_dir = config::trust_dir(&config_dir, cli.global.trust_dir.as_deref());
    let mut ctx = Ctx {
        config_dir,
        trust_dir,
        json: cli.global.json,
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
        out: std::io::stdout(),
    };
    ctx.debug(&format!(
        "config dir {}, trust dir {}",
        ctx.config_dir.display(),
        ctx.trust_dir.display()
    ));
    match cli.command {
        Command::Key(cmd) => key::run(&mut ctx, cmd),
        Command::Env => env::run(&mut ctx),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            write_completions(shell, &mut buf);
            ctx.out(&String::from_utf8_lossy(&buf))
        }
    }
}

/// The completion script for `shell` (also used to check the committed files are fresh).
pub fn write_completions(shell: clap_complete::Shell, out: &mut Vec<u8>) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "dct", out);
}
