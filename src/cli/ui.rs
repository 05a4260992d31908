//! The terminal side of [`Ui`]: progress, warnings and prompts on stderr (silenced by `-q`,
//! diagnostics with `-v`), no-echo passphrase prompts only when stdin is a terminal, and
//! progress bars for blob transfers when stderr is one.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, Result};
use crate::ops::{Passphrase, Prompter, TerminalPrompter, Transfers, Ui};

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

    fn transfers(&self) -> Box<dyn Transfers + '_> {
        Box::new(Bars::new(self.quiet))
    }
}

/// Per blob: short id, size, its bar (terminal), whether it is reported done.
type BlobState = (String, u64, Option<ProgressBar>, bool);

/// A bar per blob on a terminal, a line per finished blob otherwise, nothing with `-q`.
struct Bars {
    quiet: bool,
    bars: Option<MultiProgress>,
    state: Mutex<Vec<BlobState>>,
}

impl Bars {
    fn new(quiet: bool) -> Self {
        let bars = (!quiet && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Bars {
            quiet,
            bars,
            state: Mutex::new(Vec::new()),
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
                            "{prefix}: {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
                        )
                        .expect("template"),
                    );
                    b.set_prefix(id.clone());
                    b
                });
                (id.clone(), *size, bar, false)
            })
            .collect();
    }

    fn progress(&self, i: usize, bytes: u64) {
        let mut state = self.state.lock().unwrap();
        let Some((id, size, bar, done)) = state.get_mut(i) else {
            return;
        };
        if let Some(b) = bar {
            b.set_position(bytes);
            if bytes >= *size && !*done {
                *done = true;
                b.finish();
            }
        } else if bytes >= *size && !*done && !self.quiet {
            *done = true;
            eprintln!("{id}: Pull complete");
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
