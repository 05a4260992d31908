//! Passphrase retrieval in Docker's order: environment variables first, then a terminal prompt
//! with Docker's texts. Never from a piped stdin or argv; with neither a variable nor a terminal
//! we fail at once (exit 7) and name the variable to set, so scripts never hang.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A passphrase, wiped from memory on drop.
pub type Passphrase = Zeroizing<String>;

/// Environment variables read for a key role, in order of preference.
pub fn env_vars_for(role: &str) -> &'static [&'static str] {
    match role {
        "root" => &[
            "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE",
            "NOTARY_ROOT_PASSPHRASE",
        ],
        "targets" => &[
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "NOTARY_TARGETS_PASSPHRASE",
        ],
        "snapshot" => &[
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "NOTARY_SNAPSHOT_PASSPHRASE",
        ],
        _ => &[
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "NOTARY_DELEGATION_PASSPHRASE",
        ],
    }
}

/// The new passphrase for re-encryption (`key passwd`, `key load/import`, `key export --reencrypt`).
pub const NEW_PASSPHRASE_VAR: &str = "DCT_NEW_PASSPHRASE";

/// The passphrase of an encrypted key backup (`key backup` / `key restore`).
pub const BACKUP_PASSPHRASE_VAR: &str = "DCT_BACKUP_PASSPHRASE";

/// The name Docker shows in prompts: `root`, `repository` for targets/snapshot, else the role.
fn display_alias(role: &str) -> &str {
    match role {
        "root" => "root",
        "targets" | "snapshot" | "" => "repository",
        other => other,
    }
}

const ROOT_WARNING: &str =
    "You are about to create a new root signing key passphrase. This passphrase
will be used to protect the most sensitive key in your signing system. Please
choose a long, complex passphrase and be careful to keep the password and the
key file itself secure and backed up. It is highly recommended that you use a
password manager to generate the passphrase and keep it safe. There will be no
way to recover this key. You can find the key in your config directory.";

/// How many times an existing key's passphrase is asked for (Docker: attempts 0–3).
pub const MAX_TRIES: u32 = 4;
/// How many times a new passphrase is asked for before giving up.
const MAX_NEW_TRIES: u32 = 10;

fn read_env(var: &str) -> Option<Passphrase> {
    std::env::var(var)
        .ok()
        .map(|v| Zeroizing::new(v.trim().to_string()))
        .filter(|v| !v.is_empty())
}

/// Where a passphrase came from, so error messages can say what to fix.
pub enum Source {
    /// The environment variable it was read from.
    Env(&'static str),
    /// An answer to a prompt.
    Prompt,
}

/// Where passphrases are asked for: the terminal for the command line, canned answers in
/// tests, nothing for a library user that must never block.
pub trait Prompter: Send + Sync {
    /// Whether a person can be asked at all (Docker's rule: only on a terminal).
    fn can_prompt(&self) -> bool;
    /// Shows `prompt` and reads a secret without echo.
    fn read_secret(&self, prompt: &str) -> Result<Passphrase>;
    /// Tells the person something while asking (a retry notice, the root-key warning).
    fn notice(&self, text: &str);
}

/// The terminal: prompts on stderr, no-echo input from the terminal; only when stdin is one.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalPrompter;

impl Prompter for TerminalPrompter {
    fn can_prompt(&self) -> bool {
        std::io::stdin().is_terminal()
    }

    fn read_secret(&self, prompt: &str) -> Result<Passphrase> {
        read_tty(prompt)
    }

    fn notice(&self, text: &str) {
        eprintln!("{text}");
    }
}

/// Never asks: every passphrase must come from the environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn can_prompt(&self) -> bool {
        false
    }

    fn read_secret(&self, _prompt: &str) -> Result<Passphrase> {
        Err(Error::key("no terminal to ask for a passphrase on"))
    }

    fn notice(&self, _text: &str) {}
}

/// Retrieves passphrases for one dct run, remembering each role's answer as Docker does.
pub struct Retriever {
    prompter: Arc<dyn Prompter>,
    cache: HashMap<String, Passphrase>,
    warned_root: bool,
}

impl Default for Retriever {
    fn default() -> Self {
        Self::new()
    }
}

impl Retriever {
    /// Prompts on the terminal, when stdin is one.
    pub fn new() -> Self {
        Self::with_prompter(Arc::new(TerminalPrompter))
    }

    /// Prompts through `prompter`.
    pub fn with_prompter(prompter: Arc<dyn Prompter>) -> Self {
        Retriever {
            prompter,
            cache: HashMap::new(),
            warned_root: false,
        }
    }

    /// A retriever that never prompts (for library users and tests).
    pub fn non_interactive() -> Self {
        Self::with_prompter(Arc::new(NoPrompter))
    }

    fn interactive(&self) -> bool {
        self.prompter.can_prompt()
    }

    /// Every passphrase the environment holds for an existing key of `role`, in Docker's order
    /// (Docker's variable, then notary's): each is tried before giving up.
    pub fn env_passphrases(&self, role: &str) -> Vec<(&'static str, Passphrase)> {
        env_vars_for(role)
            .iter()
            .filter_map(|var| read_env(var).map(|p| (*var, p)))
            .collect()
    }

    /// The passphrase to try for an existing key of `role` when the environment has none (see
    /// [`Retriever::env_passphrases`]): the one that opened the role's last key, or a prompt
    /// for attempt `attempt` (0-based). `prompt` overrides Docker's usual text.
    pub fn existing(
        &mut self,
        role: &str,
        key_id: &str,
        attempt: u32,
        prompt: Option<&str>,
    ) -> Result<(Passphrase, Source)> {
        if attempt == 0
            && let Some(p) = self.cache.get(role)
        {
            return Ok((p.clone(), Source::Prompt));
        }
        if !self.interactive() {
            return Err(no_terminal(role, key_id, env_vars_for(role)[0]));
        }
        if attempt >= MAX_TRIES {
            return Err(Error::key(format!(
                "password invalid, operation has failed: {MAX_TRIES} wrong passphrases for {} key {}",
                display_alias(role),
                short(key_id)
            )));
        }
        if attempt > 0 {
            self.prompter.notice("Passphrase incorrect. Please retry.");
        }
        let text = prompt.map(str::to_string).unwrap_or_else(|| {
            format!(
                "Enter passphrase for {} key with ID {}: ",
                display_alias(role),
                short(key_id)
            )
        });
        let p = self.prompter.read_secret(&text)?;
        Ok((p, Source::Prompt))
    }

    /// Remembers a passphrase that opened a key, so the next key of the role is not prompted.
    pub fn remember(&mut self, role: &str, p: &Passphrase) {
        self.cache.insert(role.to_string(), p.clone());
    }

    /// A passphrase for a new key of `role`: the first of `vars` that is set, else a prompt
    /// with confirmation and Docker's checks (at least 8 characters).
    pub fn new_passphrase(
        &mut self,
        role: &str,
        key_id: &str,
        vars: &[&str],
    ) -> Result<Passphrase> {
        for var in vars {
            if let Some(p) = read_env(var) {
                return Ok(p);
            }
        }
        if !self.interactive() {
            return Err(no_terminal(
                role,
                key_id,
                vars.first().copied().unwrap_or(NEW_PASSPHRASE_VAR),
            ));
        }
        if role == "root" && !self.warned_root {
            self.prompter.notice(ROOT_WARNING);
            self.warned_root = true;
        }
        let alias = display_alias(role);
        let id = short(key_id);
        let first = ask_new(
            &*self.prompter,
            &format!("Enter passphrase for new {alias} key with ID {id}: "),
            &format!("Repeat passphrase for new {alias} key with ID {id}: "),
        )?;
        self.remember(role, &first);
        Ok(first)
    }

    /// The passphrase for a new backup `file`: `DCT_BACKUP_PASSPHRASE`, else a prompt with
    /// confirmation (at least 8 characters).
    pub fn new_backup_passphrase(&mut self, file: &Path) -> Result<Passphrase> {
        if let Some(p) = read_env(BACKUP_PASSPHRASE_VAR) {
            return Ok(p);
        }
        if !self.interactive() {
            return Err(no_terminal_backup(file));
        }
        ask_new(
            &*self.prompter,
            &format!("Enter passphrase for new backup {}: ", file.display()),
            &format!("Repeat passphrase for new backup {}: ", file.display()),
        )
    }

    /// The passphrase to try on backup `file`: `DCT_BACKUP_PASSPHRASE`, else a prompt for
    /// attempt `attempt` (0-based, [`MAX_TRIES`] in all).
    pub fn backup_passphrase(&mut self, file: &Path, attempt: u32) -> Result<(Passphrase, Source)> {
        if let Some(p) = read_env(BACKUP_PASSPHRASE_VAR) {
            return Ok((p, Source::Env(BACKUP_PASSPHRASE_VAR)));
        }
        if !self.interactive() {
            return Err(no_terminal_backup(file));
        }
        if attempt >= MAX_TRIES {
            return Err(Error::key(format!(
                "password invalid, operation has failed: {MAX_TRIES} wrong passphrases for backup {}",
                file.display()
            )));
        }
        if attempt > 0 {
            self.prompter.notice("Passphrase incorrect. Please retry.");
        }
        let p = self
            .prompter
            .read_secret(&format!("Enter passphrase for backup {}: ", file.display()))?;
        Ok((p, Source::Prompt))
    }
}

impl Retriever {
    /// The user PIN of PKCS#11 token `token` (its label): `DCT_PKCS11_PIN`, else a no-echo
    /// prompt on a terminal, else exit 7 naming the variable. Asked once: a wrong PIN is never
    /// asked again (see `keys::pkcs11`).
    pub fn token_pin(&mut self, token: &str) -> Result<(Passphrase, Source)> {
        if let Some(p) = read_env(PKCS11_PIN_VAR) {
            return Ok((p, Source::Env(PKCS11_PIN_VAR)));
        }
        if !self.interactive() {
            return Err(Error::key(format!(
                "a PIN is needed for PKCS#11 token \"{token}\" and there is no terminal to ask \
                 on: set {PKCS11_PIN_VAR}"
            )));
        }
        let p = self
            .prompter
            .read_secret(&format!("Enter PIN for PKCS#11 token \"{token}\": "))?;
        Ok((p, Source::Prompt))
    }
}

/// The user PIN of a PKCS#11 token.
pub const PKCS11_PIN_VAR: &str = "DCT_PKCS11_PIN";

/// A new passphrase typed twice, with Docker's checks (at least 8 characters, both the same).
fn ask_new(ui: &dyn Prompter, first_prompt: &str, repeat_prompt: &str) -> Result<Passphrase> {
    for _ in 0..MAX_NEW_TRIES {
        let first = ui.read_secret(first_prompt)?;
        if first.chars().count() < 8 {
            ui.notice(
                "Passphrase is too short. Please use a password manager to generate and store a good random passphrase.",
            );
            continue;
        }
        let again = ui.read_secret(repeat_prompt)?;
        if *first != *again {
            ui.notice("Passphrases do not match. Please retry.");
            continue;
        }
        return Ok(first);
    }
    Err(Error::key("maximum number of passphrase attempts exceeded"))
}

fn no_terminal_backup(file: &Path) -> Error {
    Error::key(format!(
        "a passphrase is needed for the backup {} and there is no terminal to ask on: set {BACKUP_PASSPHRASE_VAR}",
        file.display()
    ))
}

fn short(key_id: &str) -> &str {
    &key_id[..key_id.len().min(7)]
}

fn no_terminal(role: &str, key_id: &str, var: &str) -> Error {
    let what = if key_id.is_empty() {
        format!("{} key", display_alias(role))
    } else {
        format!("{} key {}", display_alias(role), short(key_id))
    };
    Error::key(format!(
        "a passphrase is needed for the {what} and there is no terminal to ask on: set {var}"
    ))
}

fn read_tty(prompt: &str) -> Result<Passphrase> {
    let mut err = std::io::stderr();
    let _ = err.write_all(prompt.as_bytes());
    let _ = err.flush();
    // Echo is off while rpassword reads: a signal meanwhile restores the terminal first.
    let _restore = crate::fsutil::interrupt::TerminalGuard::save();
    let p = rpassword::read_password()
        .map(Zeroizing::new)
        .map_err(|e| Error::key(format!("cannot read a passphrase from the terminal: {e}")))?;
    Ok(Zeroizing::new(p.trim().to_string()))
}
