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
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Wraps a future and records the longest single poll, in real time.
#[derive(Debug)]
pub struct PollTimer<F> {
    inner: Pin<Box<F>>,
    longest: Arc<AtomicU64>,
    polls: Arc<AtomicU64>,
}

/// Readings of a [`PollTimer`], usable after the timer was consumed.
#[derive(Debug, Clone)]
pub struct PollStats {
    longest: Arc<AtomicU64>,
    polls: Arc<AtomicU64>,
}

impl PollStats {
    /// The longest single poll so far.
    pub fn longest_poll(&self) -> Duration {
        Duration::from_nanos(self.longest.load(Ordering::SeqCst))
    }

    /// How many times the future was polled.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::SeqCst)
    }
}

impl<F: Future> PollTimer<F> {
    /// Wraps `future`; the returned stats stay readable after it finished.
    pub fn new(future: F) -> (Self, PollStats) {
        let longest = Arc::new(AtomicU64::new(0));
        let polls = Arc::new(AtomicU64::new(0));
        let stats = PollStats {
            longest: longest.clone(),
            polls: polls.clone(),
        };
        let timer = PollTimer {
            inner: Box::pin(future),
            longest,
            polls,
        };
        (timer, stats)
    }
}

impl<F: Future> Future for PollTimer<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let started = Instant::now();
        let result = self.inner.as_mut().poll(cx);
        let took = started.elapsed().as_nanos() as u64;
        self.longest.fetch_max(took, Ordering::SeqCst);
        self.polls.fetch_add(1, Ordering::SeqCst);
        result
    }
}

/// A task that ticks on the runtime it was spawned on and records how late
/// each tick was, in real time.
#[derive(Debug)]
pub struct Heartbeat {
    task: tokio::task::JoinHandle<()>,
    worst_ns: Arc<AtomicU64>,
    ticks: Arc<AtomicU64>,
}

impl Heartbeat {
    /// Spawns the heartbeat on the current tokio runtime, ticking every
    /// `period`.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn spawn(period: Duration) -> Self {
        let worst_ns = Arc::new(AtomicU64::new(0));
        let ticks = Arc::new(AtomicU64::new(0));
        let (worst, count) = (worst_ns.clone(), ticks.clone());
        let task = tokio::spawn(async move {
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(period).await;
                // On a real clock a healthy tick comes `period` after the
                // last one; on a paused clock, almost at once. Anything more
                // is time the thread spent on something else.
                let gap = last.elapsed();
                last = Instant::now();
                let late = gap.saturating_sub(period).as_nanos() as u64;
                worst.fetch_max(late, Ordering::SeqCst);
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        Heartbeat {
            task,
            worst_ns,
            ticks,
        }
    }

    /// The latest any tick has been so far.
    pub fn worst_lateness(&self) -> Duration {
        Duration::from_nanos(self.worst_ns.load(Ordering::SeqCst))
    }

    /// How many ticks happened.
    pub fn ticks(&self) -> u64 {
        self.ticks.load(Ordering::SeqCst)
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
        let beat = Heartbeat::spawn(Duration::from_millis(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
        tokio::spawn(async { std::thread::sleep(Duration::from_millis(120)) })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(beat.ticks() > 5);
        assert!(beat.worst_lateness() >= Duration::from_millis(110));
    }

    /// The poll timer sees a blocking call in the wrapped future.
    #[tokio::test(start_paused = true)]
    async fn poll_timer_sees_a_blocking_poll() {
        let (timed, stats) = PollTimer::new(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            std::thread::sleep(Duration::from_millis(60));
        });
        timed.await;
        assert!(stats.polls() >= 2);
        assert!(stats.longest_poll() >= Duration::from_millis(60));
    }
}
