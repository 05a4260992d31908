//! The terminal side of [`Ui`]: progress, warnings and prompts on stderr (silenced by `-q`,
//! diagnostics with `-v`), no-echo passphrase prompts only when stdin is a terminal, and
//! progress bars for blob transfers when stderr is one.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, Result};
use crate::ops::{Direction, Passphrase, Prompter, TerminalPrompter, Transfers, Ui};

/// The terminal, as `-q`/`-v` configure it.
#[derive(Debug, Clone, Copy)]
pub struct TermUi {
    /// `-q`: no progress and no warnings.
    pub quiet: bool,
    /// `-v`: diagnostics too.
    pub verbose: bool,
}

impl Prompter for TermUi {
    fn can_prompt(&self) -> bool {
        TerminalPrompter.can_prompt()
    }

    fn read_secret(&self, prompt: &str) -> Result<Passphrase> {
        TerminalPrompter.read_secret(prompt)
    }

    fn notice(&self, text: &str) {
        TerminalPrompter.notice(text)
    }
}

impl Ui for TermUi {
    fn progress(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    fn warn(&self, text: &str) {
        if !self.quiet {
            eprintln!("dct: warning: {text}");
        }
    }

    fn debug(&self, text: &str) {
        if self.verbose {
            eprintln!("dct: {text}");
        }
    }

    /// Reads the answer from stdin. Without a terminal the caller must have been given the
    /// confirming flag: we refuse rather than guess or hang.
    fn confirm(&self, question: &str, what: &str, flag: &str) -> Result<bool> {
        if !std::io::stdin().is_terminal() {
            return Err(Error::invalid(format!(
                "{what} needs confirmation and there is no terminal to ask on: pass {flag} to confirm"
            )));
        }
        eprint!("{question}");
        let _ = std::io::stderr().flush();
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

    fn transfers(&self, direction: Direction) -> Box<dyn Transfers + '_> {
        Box::new(Bars::new(self.quiet, direction))
    }
}

/// Per blob: short id, size, its bar (terminal), whether it is reported done.
type BlobState = (String, u64, Option<ProgressBar>, bool);

/// Whether stderr can show progress bars: a terminal that is not `TERM=dumb`.
fn bars_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Docker's way: a bar per blob on a terminal (`Waiting` while queued, its own rate, as wide
/// as the terminal allows, `Pull complete` / `Pushed` when done); on anything else (a pipe, a
/// CI log, `TERM=dumb`) one line per finished blob; nothing with `-q`. No colours, so
/// `NO_COLOR` has nothing to turn off.
struct Bars {
    quiet: bool,
    direction: Direction,
    bars: Option<MultiProgress>,
    state: Mutex<Vec<BlobState>>,
}

impl Bars {
    fn new(quiet: bool, direction: Direction) -> Self {
        let bars = (!quiet && bars_wanted())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Bars {
            quiet,
            direction,
            bars,
            state: Mutex::new(Vec::new()),
        }
    }

    /// The word for a blob that is moving.
    fn moving(&self) -> &'static str {
        match self.direction {
            Direction::Download => "Downloading",
            Direction::Upload => "Pushing",
        }
    }
}

impl Transfers for Bars {
    fn message(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bars {
            Some(m) => {
                let _ = m.println(text);
            }
            None => eprintln!("{text}"),
        }
    }

    fn start(&self, blobs: &[(String, u64)]) {
        let mut state = self.state.lock().unwrap();
        *state = blobs
            .iter()
            .map(|(id, size)| {
                let bar = self.bars.as_ref().map(|m| {
                    let b = m.add(ProgressBar::new(*size));
                    b.set_style(
                        ProgressStyle::with_template(
                            "{prefix}: {msg:<11} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec}",
                        )
                        .expect("template")
                        .progress_chars("=> "),
                    );
                    b.set_prefix(id.clone());
                    b.set_message("Waiting");
                    b
                });
                (id.clone(), *size, bar, false)
            })
            .collect();
    }

    fn progress(&self, i: usize, bytes: u64) {
        let complete = {
            let state = self.state.lock().unwrap();
            let Some((_, size, bar, done)) = state.get(i) else {
                return;
            };
            if let Some(b) = bar
                && !*done
            {
                if bytes > 0 && b.position() == 0 {
                    b.set_message(self.moving());
                }
                b.set_position(bytes);
            }
            self.direction == Direction::Download && bytes >= *size && !*done
        };
        if complete {
            self.done(i, "Pull complete");
        }
    }

    fn done(&self, i: usize, label: &str) {
        let mut state = self.state.lock().unwrap();
        let Some((id, size, bar, done)) = state.get_mut(i) else {
            return;
        };
        if *done {
            return;
        }
        *done = true;
        match bar {
            Some(b) => {
                b.set_position(*size);
                b.finish_with_message(label.to_string());
            }
            None if !self.quiet => eprintln!("{id}: {label}"),
            None => {}
        }
    }

    fn finish(&self) {
        let state = self.state.lock().unwrap();
        for (_, _, bar, _) in state.iter() {
            if let Some(b) = bar {
                b.abandon();
            }
        }
    }
}
