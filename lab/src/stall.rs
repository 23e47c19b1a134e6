//! Instruments that notice when an async runtime's thread is blocked.
//!
//! An async runtime is a juggler with one arm: it keeps many tasks going only
//! because each task hands the thread back (at an `.await`) whenever it has
//! to wait. Code that blocks instead (`std::thread::sleep`, a long CPU loop, a
//! blocking lock) freezes *every* task on that thread. Two instruments see it:
//!
//! - [`PollTimer`] wraps one future and times each of its polls on the real
//!   clock. A poll is supposed to take microseconds.
//! - [`Heartbeat`] is a task that wakes every few milliseconds and notes how
//!   late it woke. It also notices blocking inside tasks you spawned, which
//!   the poll timer cannot see.
//!
//! Both measure real time (`std::time::Instant`), so they work on a paused
//! tokio clock too: there a correct program's heartbeat is never late at all.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::io::lock;

/// The shortest hold of the thread that counts as a blocked stretch. A poll
/// of correct async code takes microseconds; a busy machine that pauses the
/// process adds a millisecond here and there. Counting only stretches of at
/// least this long keeps that noise out of the totals, while the blocking
/// calls the checker looks for hold the thread for tens of milliseconds.
pub const STRETCH: Duration = Duration::from_millis(2);

/// One stretch of real time during which the thread was held, measured from
/// the instruments' common origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    /// When it began.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

impl Stretch {
    /// How long it lasted.
    pub fn len(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }

    /// True for a stretch of no length.
    pub fn is_empty(&self) -> bool {
        self.len().is_zero()
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[derive(Debug)]
struct PollShared {
    origin: Instant,
    longest: AtomicU64,
    polls: AtomicU64,
    /// Nanoseconds since `origin` at which the poll in progress began, plus
    /// one; 0 while no poll is in progress. A watchdog on another thread
    /// reads it to see a poll that never returns.
    polling_since: AtomicU64,
    blocked: AtomicU64,
    stretches: Mutex<Vec<Stretch>>,
}

/// Wraps a future and times each of its polls on the real clock: the
/// longest, the sum of those that held the thread for a [`STRETCH`] or more,
/// and when each of those began and ended.
#[derive(Debug)]
pub struct PollTimer<F> {
    inner: Pin<Box<F>>,
    shared: Arc<PollShared>,
}

/// Readings of a [`PollTimer`], usable from any thread, during the run and
/// after the timer was consumed.
#[derive(Debug, Clone)]
pub struct PollStats {
    shared: Arc<PollShared>,
}

impl PollStats {
    /// The longest single poll so far (not counting one still in progress).
    pub fn longest_poll(&self) -> Duration {
        Duration::from_nanos(self.shared.longest.load(Ordering::SeqCst))
    }

    /// How many times the future was polled.
    pub fn polls(&self) -> u64 {
        self.shared.polls.load(Ordering::SeqCst)
    }

    /// The sum of the polls that held the thread for a [`STRETCH`] or more.
    pub fn blocked_total(&self) -> Duration {
        Duration::from_nanos(self.shared.blocked.load(Ordering::SeqCst))
    }

    /// Those polls, in order.
    pub fn stretches(&self) -> Vec<Stretch> {
        lock(&self.shared.stretches).clone()
    }

    /// If a poll is in progress right now: how long it has been running.
    pub fn polling_for(&self) -> Option<Duration> {
        match self.shared.polling_since.load(Ordering::SeqCst) {
            0 => None,
            since => {
                let began = Duration::from_nanos(since - 1);
                Some(self.shared.origin.elapsed().saturating_sub(began))
            }
        }
    }
}

impl<F: Future> PollTimer<F> {
    /// Wraps `future`; stretches are measured from `origin`. The returned
    /// stats stay readable after the future finished.
    pub fn new(future: F, origin: Instant) -> (Self, PollStats) {
        let shared = Arc::new(PollShared {
            origin,
            longest: AtomicU64::new(0),
            polls: AtomicU64::new(0),
            polling_since: AtomicU64::new(0),
            blocked: AtomicU64::new(0),
            stretches: Mutex::new(Vec::new()),
        });
        let stats = PollStats {
            shared: shared.clone(),
        };
        let timer = PollTimer {
            inner: Box::pin(future),
            shared,
        };
        (timer, stats)
    }
}

impl<F: Future> Future for PollTimer<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let start = self.shared.origin.elapsed();
        self.shared
            .polling_since
            .store(nanos(start) + 1, Ordering::SeqCst);
        let result = self.inner.as_mut().poll(cx);
        let end = self.shared.origin.elapsed();
        let shared = &self.shared;
        shared.polling_since.store(0, Ordering::SeqCst);
        let took = end.saturating_sub(start);
        shared.longest.fetch_max(nanos(took), Ordering::SeqCst);
        shared.polls.fetch_add(1, Ordering::SeqCst);
        if took >= STRETCH {
            shared.blocked.fetch_add(nanos(took), Ordering::SeqCst);
            lock(&shared.stretches).push(Stretch { start, end });
        }
        result
    }
}

#[derive(Debug)]
struct BeatShared {
    origin: Instant,
    worst: AtomicU64,
    ticks: AtomicU64,
    late_total: AtomicU64,
    /// Nanoseconds since `origin` of the latest tick (or of the start).
    last_tick: AtomicU64,
    stretches: Mutex<Vec<Stretch>>,
}

/// A task that ticks on the runtime it was spawned on and records how late
/// each tick was, in real time: the worst, the sum of the late ticks, and
/// when the thread was held.
#[derive(Debug)]
pub struct Heartbeat {
    task: tokio::task::JoinHandle<()>,
    shared: Arc<BeatShared>,
}

impl Heartbeat {
    /// Spawns the heartbeat on the current tokio runtime, ticking every
    /// `period`; stretches are measured from `origin`.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn spawn(period: Duration, origin: Instant) -> Self {
        let shared = Arc::new(BeatShared {
            origin,
            worst: AtomicU64::new(0),
            ticks: AtomicU64::new(0),
            late_total: AtomicU64::new(0),
            last_tick: AtomicU64::new(nanos(origin.elapsed())),
            stretches: Mutex::new(Vec::new()),
        });
        let beat = shared.clone();
        let task = tokio::spawn(async move {
            let mut last = beat.origin.elapsed();
            loop {
                tokio::time::sleep(period).await;
                // On a real clock a healthy tick comes `period` after the
                // last one; on a paused clock, almost at once. Anything more
                // is time the thread spent on something else.
                let now = beat.origin.elapsed();
                let late = now.saturating_sub(last).saturating_sub(period);
                last = now;
                beat.last_tick.store(nanos(now), Ordering::SeqCst);
                beat.worst.fetch_max(nanos(late), Ordering::SeqCst);
                beat.ticks.fetch_add(1, Ordering::SeqCst);
                if late >= STRETCH {
                    beat.late_total.fetch_add(nanos(late), Ordering::SeqCst);
                    lock(&beat.stretches).push(Stretch {
                        start: now.saturating_sub(late),
                        end: now,
                    });
                }
            }
        });
        Heartbeat { task, shared }
    }

    /// The latest any tick has been so far.
    pub fn worst_lateness(&self) -> Duration {
        Duration::from_nanos(self.shared.worst.load(Ordering::SeqCst))
    }

    /// The sum of the lateness of every tick that was a [`STRETCH`] or more
    /// late: the time the thread spent held, however it was split up.
    pub fn total_lateness(&self) -> Duration {
        Duration::from_nanos(self.shared.late_total.load(Ordering::SeqCst))
    }

    /// When the thread was held, as the late ticks saw it.
    pub fn stretches(&self) -> Vec<Stretch> {
        lock(&self.shared.stretches).clone()
    }

    /// How many ticks happened.
    pub fn ticks(&self) -> u64 {
        self.shared.ticks.load(Ordering::SeqCst)
    }

    /// Real time since the latest tick (or since the start, before the
    /// first). Safe to call from another thread: a watchdog that sees it
    /// grow for seconds knows the runtime's thread runs none of its tasks.
    pub fn since_last_tick(&self) -> Duration {
        let last = Duration::from_nanos(self.shared.last_tick.load(Ordering::SeqCst));
        self.shared.origin.elapsed().saturating_sub(last)
    }

    /// A reader of [`Heartbeat::since_last_tick`] for another thread.
    pub fn pulse(&self) -> Pulse {
        Pulse {
            shared: self.shared.clone(),
        }
    }
}

/// Reads how long ago a [`Heartbeat`] last ticked, from any thread.
#[derive(Debug, Clone)]
pub struct Pulse {
    shared: Arc<BeatShared>,
}

impl Pulse {
    /// Real time since the heartbeat's latest tick.
    pub fn since_last_tick(&self) -> Duration {
        let last = Duration::from_nanos(self.shared.last_tick.load(Ordering::SeqCst));
        self.shared.origin.elapsed().saturating_sub(last)
    }

    /// How many ticks happened so far.
    pub fn ticks(&self) -> u64 {
        self.shared.ticks.load(Ordering::SeqCst)
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A blocking sleep inside a spawned task makes the heartbeat late, even
    /// on a paused clock where waiting costs no real time.
    #[tokio::test(start_paused = true)]
    async fn heartbeat_sees_a_blocked_thread() {
        let beat = Heartbeat::spawn(Duration::from_millis(5), Instant::now());
        tokio::time::sleep(Duration::from_millis(50)).await;
        tokio::spawn(async { std::thread::sleep(Duration::from_millis(120)) })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(beat.ticks() > 5);
        assert!(beat.worst_lateness() >= Duration::from_millis(110));
        assert!(beat.total_lateness() >= Duration::from_millis(110));
        assert_eq!(beat.stretches().len(), 1);
    }

    /// The poll timer sees a blocking call in the wrapped future.
    #[tokio::test(start_paused = true)]
    async fn poll_timer_sees_a_blocking_poll() {
        let (timed, stats) = PollTimer::new(
            async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                std::thread::sleep(Duration::from_millis(60));
            },
            Instant::now(),
        );
        timed.await;
        assert!(stats.polls() >= 2);
        assert!(stats.longest_poll() >= Duration::from_millis(60));
        assert_eq!(stats.polling_for(), None);
    }

    /// Short blocks add up: three holds of 20 ms are each under any limit on
    /// the longest, and together 60 ms, which the totals show.
    #[tokio::test(start_paused = true)]
    async fn totals_add_up_short_blocks() {
        let origin = Instant::now();
        let beat = Heartbeat::spawn(Duration::from_millis(5), origin);
        let (timed, stats) = PollTimer::new(
            async {
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    std::thread::sleep(Duration::from_millis(20));
                }
            },
            origin,
        );
        timed.await;
        assert!(stats.longest_poll() < Duration::from_millis(40));
        assert!(stats.blocked_total() >= Duration::from_millis(60));
        assert_eq!(stats.stretches().len(), 3);
        // The heartbeat sees the first two (each 20 ms less its 5 ms
        // period); the last one ends the future, and no tick comes after.
        assert!(beat.total_lateness() >= Duration::from_millis(25));
    }

    /// A watchdog on another thread sees a poll that has not returned yet.
    #[tokio::test(start_paused = true)]
    async fn a_poll_in_progress_is_visible_from_another_thread() {
        let (timed, stats) = PollTimer::new(
            async { std::thread::sleep(Duration::from_millis(80)) },
            Instant::now(),
        );
        let watcher = stats.clone();
        let seen = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(40));
            watcher.polling_for()
        });
        timed.await;
        let seen = seen.join().unwrap();
        assert!(
            seen.is_some_and(|d| d >= Duration::from_millis(30)),
            "{seen:?}"
        );
    }
}
