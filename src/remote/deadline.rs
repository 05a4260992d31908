//! Time limits of the HTTP layer (`--timeout` / `DCT_TIMEOUT`, default 30 s).
//!
//! Not a whole-request timeout: uploads and downloads of big blobs legitimately take longer
//! than any fixed limit while they keep moving. Instead:
//!
//! * **No progress.** A try (one HTTP exchange) is abandoned when nothing moved for the
//!   timeout: no response headers, no byte of a streamed request body sent, no byte of the
//!   response body received.
//! * **Stall floor.** A transfer is also abandoned when, over a window of the timeout, it moves
//!   less than [`FLOOR`] bytes per second on average (30 KiB in 30 s by default): a server that
//!   drips bytes is as dead as a silent one. Each window starts anew (at the try's start, when
//!   the response headers arrive, and after each window that met the floor), so bodies that
//!   finish within one window are never measured.
//! * **Budget.** One logical request (its retries, the plain-http fallback of loopback
//!   registries, the resumptions of a blob download) gets twice the timeout of *unproductive*
//!   time: a try that is still waiting for its answer is abandoned when the budget is spent,
//!   and no new try starts then. Every window that met the floor renews the budget (twice the
//!   timeout from then), so a long transfer that breaks is still resumed. A silent server thus
//!   ends the command within twice the timeout.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The stall floor: least average rate, in bytes per second over a window of the timeout.
pub const FLOOR: u64 = 1024;

/// `3 s`, `2.5 s`: a duration as messages show it.
pub fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The time budget of one logical request (see the module docs). Clones share it.
#[derive(Debug, Clone)]
pub struct Budget(Arc<Mutex<BudgetState>>);

#[derive(Debug)]
struct BudgetState {
    timeout: Duration,
    began: Instant,
    deadline: Instant,
}

impl Budget {
    /// A budget of twice `timeout` from now.
    pub fn new(timeout: Duration) -> Budget {
        let now = Instant::now();
        Budget(Arc::new(Mutex::new(BudgetState {
            timeout,
            began: now,
            deadline: now + timeout * 2,
        })))
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.0.lock().unwrap().timeout
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.0.lock().unwrap().deadline
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline().saturating_duration_since(Instant::now())
    }

    pub(crate) fn spent(&self) -> bool {
        self.remaining().is_zero()
    }

    /// Time since the logical request began: what messages report as waited.
    pub fn waited(&self) -> Duration {
        self.0.lock().unwrap().began.elapsed()
    }

    /// Progress at `now`: the budget runs until twice the timeout from now (never shorter).
    fn renew(&self, now: Instant) {
        let mut s = self.0.lock().unwrap();
        let renewed = now + s.timeout * 2;
        if renewed > s.deadline {
            s.deadline = renewed;
        }
    }
}

/// Why a try was abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stall {
    /// No answer (response headers): nothing moved for `idle`, or the budget ran out first.
    NoAnswer {
        /// How long it waited.
        idle: Duration,
    },
    /// Answered, then nothing of the body came for `idle`.
    Idle {
        /// How long nothing came.
        idle: Duration,
    },
    /// Only `bytes` moved in `over`: below [`FLOOR`].
    Slow {
        /// Bytes moved in the window.
        bytes: u64,
        /// The window.
        over: Duration,
    },
}

/// Progress of one try, shared by the watcher and the body streams. Clones share it.
#[derive(Debug, Clone)]
pub struct Meter(Arc<Mutex<MeterState>>);

#[derive(Debug)]
struct MeterState {
    budget: Budget,
    timeout: Duration,
    /// Response headers arrived.
    answered: bool,
    /// Bytes moved in this try (either way).
    total: u64,
    /// Last time anything moved (or the try started, or headers arrived).
    last: Instant,
    window_start: Instant,
    window_bytes: u64,
}

impl MeterState {
    /// Closes the current window at `now` if it is over and met the floor.
    fn roll(&mut self, now: Instant) -> bool {
        let over = now.saturating_duration_since(self.window_start);
        if over < self.timeout || !meets_floor(self.window_bytes, over) {
            return false;
        }
        self.window_start = now;
        self.window_bytes = 0;
        self.budget.renew(now);
        true
    }
}

fn meets_floor(bytes: u64, over: Duration) -> bool {
    bytes as f64 >= FLOOR as f64 * over.as_secs_f64()
}

impl Meter {
    /// A new try within `budget`; starts now.
    pub fn new(budget: &Budget) -> Meter {
        Meter::starting(budget, Instant::now())
    }

    fn starting(budget: &Budget, now: Instant) -> Meter {
        Meter(Arc::new(Mutex::new(MeterState {
            budget: budget.clone(),
            timeout: budget.timeout(),
            answered: false,
            total: 0,
            last: now,
            window_start: now,
            window_bytes: 0,
        })))
    }

    /// The logical request's budget this try runs in.
    pub fn budget(&self) -> Budget {
        self.0.lock().unwrap().budget.clone()
    }

    /// `n` bytes were sent or received.
    pub fn moved(&self, n: usize) {
        self.moved_at(n, Instant::now());
    }

    fn moved_at(&self, n: usize, now: Instant) {
        let mut s = self.0.lock().unwrap();
        if n > 0 {
            s.total += n as u64;
            s.window_bytes += n as u64;
            s.last = now;
        }
        s.roll(now);
    }

    /// The response headers arrived: the body gets a fresh window.
    pub fn answered(&self) {
        self.answered_at(Instant::now());
    }

    fn answered_at(&self, now: Instant) {
        let mut s = self.0.lock().unwrap();
        s.answered = true;
        s.last = now;
        s.window_start = now;
        s.window_bytes = 0;
    }

    /// When the next check is due.
    fn due(&self) -> Instant {
        let s = self.0.lock().unwrap();
        let mut due = (s.last + s.timeout).min(s.window_start + s.timeout);
        if !s.answered && s.total == 0 {
            due = due.min(s.budget.deadline());
        }
        due
    }

    /// The verdict at `now`: `Err` when the try must be abandoned.
    fn check(&self, now: Instant) -> Result<(), Stall> {
        let mut s = self.0.lock().unwrap();
        let idle = now.saturating_duration_since(s.last);
        let waiting = !s.answered && s.total == 0;
        if idle >= s.timeout || (waiting && now >= s.budget.deadline()) {
            return Err(if !s.answered {
                Stall::NoAnswer { idle }
            } else {
                Stall::Idle { idle }
            });
        }
        let over = now.saturating_duration_since(s.window_start);
        if over >= s.timeout && !s.roll(now) {
            return Err(Stall::Slow {
                bytes: s.window_bytes,
                over,
            });
        }
        Ok(())
    }
}

/// Runs `fut` under `meter`: `Err` as soon as the try stalls (the future is dropped).
pub async fn watch<F: Future>(meter: &Meter, fut: F) -> Result<F::Output, Stall> {
    let mut fut = std::pin::pin!(fut);
    loop {
        let due = tokio::time::Instant::from_std(meter.due());
        tokio::select! {
            biased;
            out = &mut fut => return Ok(out),
            _ = tokio::time::sleep_until(due) => meter.check(Instant::now())?,
        }
    }
}

/// A streamed request body that tells `meter` about every chunk handed to the connection.
pub struct Counted<S> {
    /// The body as its source yields it.
    pub inner: S,
    /// Told of every chunk, so that a stalled upload is noticed.
    pub meter: Meter,
}

impl<S, T, E> futures_core::Stream for Counted<S>
where
    S: futures_core::Stream<Item = Result<T, E>> + Unpin,
    T: AsRef<[u8]>,
{
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = Pin::new(&mut this.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &next {
            this.meter.moved(chunk.as_ref().len());
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(10);

    fn at(base: Instant, secs: f64) -> Instant {
        base + Duration::from_secs_f64(secs)
    }

    #[test]
    fn a_silent_try_ends_at_the_timeout_and_a_late_one_at_the_budget() {
        let budget = Budget::new(T);
        let base = Instant::now();
        let m = Meter::starting(&budget, base);
        assert!(m.due() <= at(base, 10.0));
        assert!(m.check(at(base, 9.9)).is_ok());
        assert!(matches!(
            m.check(at(base, 10.0)),
            Err(Stall::NoAnswer { .. })
        ));
        // A retry that starts late only gets what is left of the budget.
        let late = Meter::starting(&budget, at(base, 15.0));
        let due = late.due();
        assert!(due <= budget.deadline() && due < at(base, 25.0), "{due:?}");
        assert!(matches!(
            late.check(budget.deadline()),
            Err(Stall::NoAnswer { .. })
        ));
    }

    #[test]
    fn a_flowing_transfer_renews_the_budget_and_a_drip_is_abandoned() {
        let budget = Budget::new(T);
        let base = Instant::now();
        let m = Meter::starting(&budget, base);
        m.answered_at(at(base, 1.0));
        // 20 KiB/s for 60 s: every window meets the floor, the budget keeps moving.
        for i in 1..=60 {
            m.moved_at(20 << 10, at(base, 1.0 + i as f64));
            assert!(m.check(at(base, 1.0 + i as f64)).is_ok(), "second {i}");
        }
        assert!(budget.deadline() >= at(base, 60.0));
        // Then a drip: 100 bytes a second, below the floor.
        for i in 61..70 {
            m.moved_at(100, at(base, 1.0 + i as f64));
            assert!(m.check(at(base, 1.0 + i as f64)).is_ok(), "second {i}");
        }
        m.moved_at(100, at(base, 71.0));
        assert!(matches!(
            m.check(at(base, 71.0)),
            Err(Stall::Slow { bytes: 1000, .. })
        ));
    }

    #[test]
    fn nothing_moving_after_the_answer_is_idle() {
        let budget = Budget::new(T);
        let base = Instant::now();
        let m = Meter::starting(&budget, base);
        m.answered_at(at(base, 8.0));
        // The answer came: the budget no longer cuts the try, the idle timer does.
        assert!(m.check(at(base, 17.9)).is_ok());
        assert!(matches!(m.check(at(base, 18.0)), Err(Stall::Idle { .. })));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn watch_abandons_a_future_that_never_ends() {
        let budget = Budget::new(Duration::from_millis(200));
        let started = Instant::now();
        let m = Meter::new(&budget);
        let r = watch(&m, std::future::pending::<()>()).await;
        assert!(matches!(r, Err(Stall::NoAnswer { .. })), "{r:?}");
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(190) && took < Duration::from_secs(2),
            "{took:?}"
        );
        assert_eq!(watch(&m, async { 7 }).await, Ok(7));
    }
}
