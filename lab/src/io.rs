//! Simulated I/O: waiting that costs no CPU, and a recorder that logs it.
//!
//! A real fetch spends almost all of its time waiting for bytes to arrive.
//! [`Recorder::wait`] reproduces exactly that: it sleeps on tokio's timer, so
//! the thread is free to run other tasks meanwhile. Under a paused tokio clock
//! (`start_paused(true)`) the wait takes no real time at all, and the clock
//! jumps straight to the next timer, which makes timings exact.
//!
//! Each call is logged as a [`CallRecord`]: when it started and ended on the
//! virtual clock and on the real one, on which OS thread and in which tokio
//! task. An in-flight gauge counts the calls waiting right now and keeps the
//! peak. A call dropped before it finished (cancelled) is counted too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

/// The virtual clock (tokio's, which the checker pauses) and the real clock.
use tokio::time::Instant as VirtualInstant;

/// One simulated call, as the recorder saw it.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// What was called, for example `"user"`.
    pub label: String,
    /// Virtual time from the recorder's creation to the call's first poll.
    pub virtual_start: Duration,
    /// Virtual time at which the call finished; `None` if it never finished.
    pub virtual_end: Option<Duration>,
    /// Real time from the recorder's creation to the call's first poll.
    pub real_start: Duration,
    /// Real time at which the call finished; `None` if it never finished.
    pub real_end: Option<Duration>,
    /// The OS thread that first polled the call.
    pub thread: ThreadId,
    /// The name of that thread, if it has one (tokio and rayon name theirs).
    pub thread_name: Option<String>,
    /// The tokio task the call ran in, when it ran inside one.
    pub task: Option<tokio::task::Id>,
    /// True when the call was dropped before it finished: it was cancelled.
    pub cancelled: bool,
}

#[derive(Debug)]
struct Shared {
    virtual_origin: VirtualInstant,
    real_origin: std::time::Instant,
    calls: Mutex<Vec<CallRecord>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    cancelled: AtomicUsize,
    finished: AtomicUsize,
}

/// Logs every simulated call made through it. Cheap to clone: clones share
/// one log.
///
/// Create it inside a tokio runtime (it reads tokio's clock).
#[derive(Debug, Clone)]
pub struct Recorder {
    shared: Arc<Shared>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new()
    }
}

impl Recorder {
    /// A recorder whose clocks start now.
    pub fn new() -> Self {
        Recorder {
            shared: Arc::new(Shared {
                virtual_origin: VirtualInstant::now(),
                real_origin: std::time::Instant::now(),
                calls: Mutex::new(Vec::new()),
                in_flight: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
                cancelled: AtomicUsize::new(0),
                finished: AtomicUsize::new(0),
            }),
        }
    }

    /// Waits `latency` on tokio's timer, as a network call would, and logs it
    /// under `label`.
    ///
    /// # Panics
    ///
    /// When awaited outside a tokio runtime (for example under
    /// `futures::executor::block_on`): simulated waiting needs tokio's timer.
    pub async fn wait(&self, label: &str, latency: Duration) {
        if tokio::runtime::Handle::try_current().is_err() {
            panic!(
                "lab: the simulated call `{label}` was awaited outside a tokio runtime. \
                 Await it inside async code that tokio runs (do not use another executor's block_on)."
            );
        }
        let mut guard = self.begin(label);
        tokio::time::sleep(latency).await;
        guard.finish();
    }

    /// Every call logged so far, in the order they started.
    pub fn calls(&self) -> Vec<CallRecord> {
        lock(&self.shared.calls).clone()
    }

    /// The most calls that were in flight at the same instant.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// How many calls are in flight right now.
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// How many calls were dropped before they finished.
    pub fn cancelled(&self) -> usize {
        self.shared.cancelled.load(Ordering::SeqCst)
    }

    /// How many calls have finished so far: a watchdog reads it to tell a
    /// run that makes progress elsewhere (on other threads) from one that
    /// makes none.
    pub fn finished(&self) -> usize {
        self.shared.finished.load(Ordering::SeqCst)
    }

    /// Virtual time since the recorder was created.
    pub fn virtual_elapsed(&self) -> Duration {
        VirtualInstant::now().saturating_duration_since(self.shared.virtual_origin)
    }

    /// The real instant the recorder was created: the origin of every
    /// call's real times, which other instruments can share.
    pub fn real_origin(&self) -> std::time::Instant {
        self.shared.real_origin
    }

    /// Real time since the recorder was created.
    pub fn real_elapsed(&self) -> Duration {
        self.shared.real_origin.elapsed()
    }

    fn begin(&self, label: &str) -> CallGuard {
        let shared = &self.shared;
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.peak.fetch_max(now, Ordering::SeqCst);
        let current = std::thread::current();
        let record = CallRecord {
            label: label.to_string(),
            virtual_start: self.virtual_elapsed(),
            virtual_end: None,
            real_start: self.real_elapsed(),
            real_end: None,
            thread: current.id(),
            thread_name: current.name().map(str::to_string),
            task: tokio::task::try_id(),
            cancelled: false,
        };
        let mut calls = lock(&shared.calls);
        calls.push(record);
        CallGuard {
            recorder: self.clone(),
            index: calls.len() - 1,
            finished: false,
        }
    }
}

/// Lowers the in-flight gauge when a call ends, and marks the call cancelled
/// if it is dropped before [`CallGuard::finish`] ran.
struct CallGuard {
    recorder: Recorder,
    index: usize,
    finished: bool,
}

impl CallGuard {
    fn finish(&mut self) {
        self.finished = true;
        let virtual_end = self.recorder.virtual_elapsed();
        let real_end = self.recorder.real_elapsed();
        let mut calls = lock(&self.recorder.shared.calls);
        let call = &mut calls[self.index];
        call.virtual_end = Some(virtual_end);
        call.real_end = Some(real_end);
        self.recorder.shared.finished.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let shared = &self.recorder.shared;
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !self.finished {
            shared.cancelled.fetch_add(1, Ordering::SeqCst);
            lock(&shared.calls)[self.index].cancelled = true;
        }
    }
}

/// Locks a mutex even if a panicking thread poisoned it: the log stays
/// readable, which is what a grader needs after a learner's code panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two waits awaited one after the other add up; joined, they overlap.
    #[tokio::test(start_paused = true)]
    async fn joined_waits_overlap_on_the_paused_clock() {
        let rec = Recorder::new();
        rec.wait("a", Duration::from_millis(100)).await;
        rec.wait("b", Duration::from_millis(200)).await;
        assert_eq!(rec.virtual_elapsed(), Duration::from_millis(300));
        assert_eq!(rec.peak_in_flight(), 1);

        let rec = Recorder::new();
        tokio::join!(
            rec.wait("a", Duration::from_millis(100)),
            rec.wait("b", Duration::from_millis(200))
        );
        assert_eq!(rec.virtual_elapsed(), Duration::from_millis(200));
        assert_eq!(rec.peak_in_flight(), 2);
        assert_eq!(rec.calls().len(), 2);
    }

    /// A call dropped before its wait ends is logged as cancelled, and
    /// only calls that end count as finished.
    #[tokio::test(start_paused = true)]
    async fn a_dropped_call_counts_as_cancelled() {
        let rec = Recorder::new();
        let slow = rec.wait("slow", Duration::from_millis(500));
        let _ = tokio::time::timeout(Duration::from_millis(50), slow).await;
        assert_eq!(rec.cancelled(), 1);
        assert_eq!(rec.in_flight(), 0);
        assert!(rec.calls()[0].cancelled);
        assert_eq!(rec.calls()[0].virtual_end, None);
        assert_eq!(rec.finished(), 0);
        rec.wait("quick", Duration::from_millis(5)).await;
        assert_eq!(rec.finished(), 1);
    }
}
