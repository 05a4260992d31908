//! Test helpers for the use-cases' unit tests: a [`Ui`] that records what it is told and
//! answers confirmations as scripted, a session on a throwaway trust dir, and collections
//! built in memory (no server).

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

use super::{Passphrase, Prompter, Session, SessionOptions, Transfers, Ui};
use crate::error::{Error, Result};
use crate::keys::PrivateKey;
use crate::tuf::changelist::Change;
use crate::tuf::edit::Editor;
use crate::tuf::meta::{FileMeta, Key};

/// Records progress and warnings; answers confirmations with `answer` (or refuses like a
/// terminal-less run when `None`).
#[derive(Default)]
pub struct RecordingUi {
    pub lines: Mutex<Vec<String>>,
    pub answer: Option<bool>,
}

impl RecordingUi {
    pub fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl Prompter for RecordingUi {
    fn can_prompt(&self) -> bool {
        false
    }
    fn read_secret(&self, _prompt: &str) -> Result<Passphrase> {
        Err(Error::key("no terminal"))
    }
    fn notice(&self, text: &str) {
        self.lines.lock().unwrap().push(text.to_string());
    }
}

impl Transfers for RecordingUi {
    fn message(&self, text: &str) {
        self.lines.lock().unwrap().push(text.to_string());
    }
    fn start(&self, _blobs: &[(String, u64)]) {}
    fn progress(&self, _i: usize, _bytes: u64) {}
    fn done(&self, i: usize, label: &str) {
        self.lines.lock().unwrap().push(format!("{i}: {label}"));
    }
    fn finish(&self) {}
}

impl Ui for RecordingUi {
    fn progress(&self, text: &str) {
        self.lines.lock().unwrap().push(text.to_string());
    }
    fn warn(&self, text: &str) {
        self.lines.lock().unwrap().push(format!("warning: {text}"));
    }
    fn debug(&self, _text: &str) {}
    fn confirm(&self, question: &str, what: &str, flag: &str) -> Result<bool> {
        self.lines.lock().unwrap().push(question.to_string());
        self.answer.ok_or_else(|| {
            Error::invalid(format!(
                "{what} needs confirmation and there is no terminal to ask on: pass {flag} to confirm"
            ))
        })
    }
    fn transfers(&self, _direction: super::Direction) -> Box<dyn Transfers + '_> {
        Box::new(RecordingUi::default())
    }
}

/// A session on a new temporary trust dir (kept alive by the returned guard).
pub fn session() -> (Session, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::new(
        SessionOptions::new(dir.path().join("docker"), dir.path().join("docker/trust")),
        Arc::new(crate::keys::passphrase::NoPrompter),
    );
    (s, dir)
}

/// A target's meta: `len` bytes hashing to `byte` × 32.
pub fn meta(byte: u8, len: i64) -> FileMeta {
    FileMeta {
        length: len,
        hashes: [("sha256".to_string(), vec![byte; 32])].into(),
        custom: None,
    }
}

/// A new collection (as `dct init` makes it) with `changes` applied.
pub fn collection(changes: &[Change]) -> Editor {
    let root = PrivateKey::generate_ecdsa();
    let targets = PrivateKey::generate_ecdsa();
    let server = |k: PrivateKey| Key::from(&k.public_key());
    let now = OffsetDateTime::now_utc();
    let mut ed = Editor::init(
        "reg.example/app",
        &root,
        &targets.public_key(),
        server(PrivateKey::generate_ecdsa()),
        server(PrivateKey::generate_ed25519()),
        now,
    )
    .unwrap();
    for c in changes {
        ed.apply(c, now).unwrap();
    }
    ed
}

/// The public key of a new ECDSA key, as metadata lists it, and its ID.
pub fn signer_key() -> (Key, String) {
    let k = PrivateKey::generate_ecdsa();
    (Key::from(&k.public_key()), k.id())
}
