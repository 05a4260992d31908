//! Interruption: SIGINT, SIGTERM and SIGHUP end dct with exit 128 + the signal (130, 143, 129)
//! after removing dct's own unfinished files — and never in the middle of a write that must stay
//! whole.
//!
//! * [`register_new`]: a path created for this run only (a pull's staging directory) is
//!   registered while it exists; on a signal it is removed. Creation and registration happen
//!   under one lock, so nothing is created after the handler cleaned up.
//! * [`defer`]: while a [`Deferred`] guard lives (an atomic write, a key and its `NAME.pub`,
//!   the renames that commit a pull), a signal waits for it: the handler exits only once no
//!   such section is running, and no new one starts. So a signal never leaves a half-written
//!   file or half a pair; a second signal while waiting ends dct at once (the temp files of the
//!   write it cut short are swept by the next dct command, see `fsutil::sweep`).
//! * [`TerminalGuard`]: a passphrase prompt turns echo off; a signal during it restores the
//!   terminal as it was before exiting.
//!
//! [`install`] starts the handler thread (the binary calls it first thing). Without it (the
//! library in tests) signals keep their default action and the guards cost one mutex each.
//!
//! This module is the crate's one exception to `deny(unsafe_code)`: restoring the terminal
//! (`tcgetattr`/`tcsetattr`), writing the last words straight to fd 2 past std's stderr lock,
//! and `_exit` (no exit handlers while other threads still run) have no safe std form.

#![allow(unsafe_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::error::Result;

struct State {
    /// Deferring sections running (counted once per thread, see `DEPTH`).
    active: usize,
    /// A signal arrived: the handler waits for `active` to reach 0, then cleans up and exits.
    stopping: bool,
    /// Registered paths: (id, path, what it is).
    paths: Vec<(u64, PathBuf, &'static str)>,
    next_id: u64,
    /// The terminal to restore: (fd, settings before the prompt).
    terminal: Option<(i32, libc::termios)>,
}

static STATE: Mutex<State> = Mutex::new(State {
    active: 0,
    stopping: false,
    paths: Vec::new(),
    next_id: 0,
    terminal: None,
});
static CHANGED: Condvar = Condvar::new();

thread_local! {
    /// How many [`Deferred`] guards this thread holds (nested sections count once).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Blocks the calling thread until the process exits (the handler is about to end it).
fn wait_for_exit(mut g: MutexGuard<'static, State>) -> ! {
    loop {
        g = CHANGED.wait(g).unwrap_or_else(|e| e.into_inner());
    }
}

/// A section a signal waits for (see the module docs).
#[must_use = "the section ends when the guard is dropped"]
#[derive(Debug)]
pub struct Deferred {
    _not_send: std::marker::PhantomData<*const ()>,
}

/// Starts a section that a signal waits for. Nested sections in one thread are fine. A thread
/// that starts a section after a signal arrived waits for the exit instead.
pub fn defer() -> Deferred {
    DEPTH.with(|d| {
        if d.get() == 0 {
            let mut g = state();
            if g.stopping {
                wait_for_exit(g);
            }
            g.active += 1;
        }
        d.set(d.get() + 1);
    });
    Deferred {
        _not_send: std::marker::PhantomData,
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        DEPTH.with(|d| {
            d.set(d.get() - 1);
            if d.get() == 0 {
                let mut g = state();
                g.active -= 1;
                CHANGED.notify_all();
            }
        });
    }
}

/// A registered path: removed by the handler on a signal while this lives; dropping it only
/// unregisters (the owner removes or renames the path itself).
#[derive(Debug)]
pub struct Registered {
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut g = state();
        g.paths.retain(|(id, _, _)| *id != self.id);
    }
}

/// Runs `create` (which makes a file or directory and returns it with its path) and registers
/// the path as `what` (e.g. "the unfinished pull"), both under the handler's lock. After a
/// signal, the calling thread waits for the exit instead (unless it is inside a [`defer`]red
/// section, which is allowed to finish).
pub fn register_new<T>(
    what: &'static str,
    create: impl FnOnce() -> Result<(T, PathBuf)>,
) -> Result<(T, Registered)> {
    let mut g = state();
    if g.stopping && DEPTH.with(Cell::get) == 0 {
        wait_for_exit(g);
    }
    let (value, path) = create()?;
    let id = g.next_id;
    g.next_id += 1;
    g.paths.push((id, path, what));
    Ok((value, Registered { id }))
}

/// Restores the controlling terminal's settings as they are now if a signal arrives while this
/// lives (a no-echo prompt).
#[derive(Debug)]
pub struct TerminalGuard {
    fd: Option<std::fs::File>,
}

impl TerminalGuard {
    /// Saves the settings of `/dev/tty` (nothing when there is no terminal).
    pub fn save() -> TerminalGuard {
        use std::os::fd::AsRawFd;
        let Ok(tty) = std::fs::OpenOptions::new().read(true).open("/dev/tty") else {
            return TerminalGuard { fd: None };
        };
        // SAFETY: `termios` is plain data; tcgetattr fills it from an open descriptor.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(tty.as_raw_fd(), &mut t) } != 0 {
            return TerminalGuard { fd: None };
        }
        state().terminal = Some((tty.as_raw_fd(), t));
        TerminalGuard { fd: Some(tty) }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if self.fd.is_some() {
            state().terminal = None;
        }
    }
}

/// Removes `path` (a directory with everything in it, or a file); retried a few times, since
/// other threads may still be creating files in a directory being removed.
fn remove(path: &Path) -> bool {
    for _ in 0..20 {
        let r = match std::fs::symlink_metadata(path) {
            Err(_) => return true,
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
        };
        match r {
            Ok(()) => return true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return true,
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    false
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// What the handler does with signal `sig`: waits for the deferred sections (unless
/// `again()` says a second signal came), removes the registered paths, restores the terminal,
/// says what it did, and exits 128 + `sig`.
fn handle(sig: i32, again: &mut dyn FnMut() -> bool) -> ! {
    let mut g = state();
    g.stopping = true;
    let waited = g.active > 0;
    let mut forced = false;
    while g.active > 0 {
        let (next, _) = CHANGED
            .wait_timeout(g, Duration::from_millis(50))
            .unwrap_or_else(|e| e.into_inner());
        g = next;
        if g.active > 0 && again() {
            forced = true;
            break;
        }
    }
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for (_, path, what) in std::mem::take(&mut g.paths) {
        if remove(&path) {
            removed.push(format!("{what} {}", path.display()));
        } else {
            kept.push(format!("{what} {}", path.display()));
        }
    }
    if let Some((fd, t)) = g.terminal.take() {
        // SAFETY: `fd` is the terminal the live TerminalGuard holds open; `t` came from it.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) };
    }
    let mut msg = format!("\ndct: interrupted by {}", signal_name(sig));
    if forced {
        msg.push_str(
            " twice: stopped in the middle of a write (its temporary file is removed by the next \
             dct command; the file it was replacing is intact)",
        );
    } else if waited {
        msg.push_str(" (after finishing the write in progress)");
    }
    if !removed.is_empty() {
        msg.push_str(&format!("; removed {}", removed.join(", ")));
    }
    if !kept.is_empty() {
        msg.push_str(&format!("; could not remove {}", kept.join(", ")));
    }
    msg.push('\n');
    // Straight to fd 2: another thread may hold std's stderr lock, and it will never let go.
    // SAFETY: writes from a live buffer of that length.
    let _ = unsafe { libc::write(2, msg.as_ptr().cast(), msg.len()) };
    // SAFETY: ends the process at once, without running exit handlers while other threads
    // still run (`exit` is not thread-safe); nothing buffered needs flushing.
    unsafe { libc::_exit(128 + sig) }
}

/// The number of the last signal, set by the signal handler itself (before any interrupted
/// system call returns); 0 while none came.
static RECEIVED: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicUsize>> =
    std::sync::OnceLock::new();

fn received_signal() -> i32 {
    RECEIVED
        .get()
        .map_or(0, |f| f.load(std::sync::atomic::Ordering::SeqCst) as i32)
}

/// Whether a signal arrived: the handler thread is about to end dct.
pub fn received() -> bool {
    received_signal() != 0
}

/// How long [`wait_if_received`] leaves the handler thread before ending dct itself: more than
/// any deferred write takes, far less than a CI job's patience.
const HANDLER_GRACE: Duration = Duration::from_secs(10);

/// Waits for the handler thread to end dct when a signal arrived, so that what the signal cut
/// short (a passphrase prompt's read fails with "interrupted") is not reported as its own
/// failure with another exit code. Returns at once otherwise. Never waits forever: if the
/// handler thread has not ended dct after [`HANDLER_GRACE`], dct exits 128 + the signal here.
pub fn wait_if_received() {
    let sig = received_signal();
    if sig == 0 {
        return;
    }
    std::thread::sleep(HANDLER_GRACE);
    let msg = format!("\ndct: interrupted by {}\n", signal_name(sig));
    // SAFETY: writes from a live buffer of that length; then ends the process at once, as the
    // handler does.
    unsafe {
        let _ = libc::write(2, msg.as_ptr().cast(), msg.len());
        libc::_exit(128 + sig)
    }
}

/// Starts the signal-handling thread for SIGINT, SIGTERM and SIGHUP (see the module docs).
/// Child processes (`docker`, credential helpers) get the default actions back when they
/// start. The handler thread's delivery is registered before the flag: a signal that sets the
/// flag is then always delivered to the thread too (the other order had a window in which the
/// flag was set, the thread never woke, and `wait_if_received` waited for it).
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    let flag = RECEIVED.get_or_init(Default::default);
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_usize(sig, flag.clone(), sig as usize)?;
    }
    std::thread::Builder::new()
        .name("dct-signals".into())
        .spawn(move || {
            let first = signals.forever().next();
            if let Some(sig) = first {
                let mut again = || signals.pending().next().is_some();
                handle(sig, &mut again);
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_nest_and_registrations_come_and_go() {
        {
            let _a = defer();
            let _b = defer();
            assert_eq!(DEPTH.with(Cell::get), 2);
        }
        assert_eq!(DEPTH.with(Cell::get), 0);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        let ((), reg) = register_new("a test file", || {
            std::fs::write(&p, b"x").unwrap();
            Ok(((), p.clone()))
        })
        .unwrap();
        assert!(state().paths.iter().any(|(_, q, _)| q == &p));
        drop(reg);
        assert!(!state().paths.iter().any(|(_, q, _)| q == &p));
        assert!(remove(dir.path()));
        assert!(!dir.path().exists());
    }
}
