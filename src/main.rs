//! The `dct` binary: parse, run, map the error to its exit code. Everything else is the library.

use std::process::ExitCode;

use clap::Parser;
use dct::Error;
use dct::cli::{Cli, run};

fn main() -> ExitCode {
    // SIGINT/SIGTERM/SIGHUP: dct's unfinished files removed, exit 128 + signal (see
    // fsutil::interrupt). Without the handler thread they would still end dct, only less tidily.
    if let Err(e) = dct::fsutil::interrupt::install() {
        eprintln!("dct: warning: cannot handle signals: {e}");
    }
    let cli = Cli::parse();
    let result = run(cli);
    // A signal ends dct with its own code (130, 143), whatever it cut short.
    dct::fsutil::interrupt::wait_if_received();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed stdout (`dct key list | head -1`) is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(Error::Reported(e)) => ExitCode::from(e.exit_code() as u8),
        Err(e) => {
            eprintln!("dct: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
