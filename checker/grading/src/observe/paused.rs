//! Async learner code on a paused clock, watched by a heartbeat and a poll
//! timer.

use std::future::Future;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use lab::io::{CallRecord, Recorder};
use lab::stall::{Heartbeat, PollTimer};

use protocol::Timeline;

use crate::timeline;

/// How often the heartbeat ticks on the virtual clock.
const HEARTBEAT_PERIOD: Duration = Duration::from_millis(5);

/// What an async run did.
#[derive(Debug)]
pub struct AsyncRun<T> {
    /// The body's result, or `None` if it had not finished when the virtual
    /// time limit ran out.
    pub output: Option<T>,
    /// Virtual time from start to finish (or to the limit).
    pub virtual_elapsed: Duration,
    /// Real time from start to finish.
    pub real_elapsed: Duration,
    /// The longest single poll of the body, in real time.
    pub longest_poll: Duration,
    /// The latest the heartbeat woke, in real time.
    pub heartbeat_lateness: Duration,
    /// The thread that ran the runtime.
    pub runtime_thread: ThreadId,
    /// Every simulated call.
    pub calls: Vec<CallRecord>,
    /// The most simulated calls in flight at once.
    pub peak_in_flight: usize,
    /// Simulated calls dropped before they finished.
    pub cancelled: usize,
}

impl<T> AsyncRun<T> {
    /// How long the runtime's thread was kept from its other tasks, at worst.
    pub fn stall(&self) -> Duration {
        self.longest_poll.max(self.heartbeat_lateness)
    }

    /// Distinct OS threads the simulated calls ran on, other than the
    /// runtime's own.
    pub fn foreign_threads(&self) -> usize {
        let mut seen: Vec<ThreadId> = Vec::new();
        for call in &self.calls {
            if call.thread != self.runtime_thread && !seen.contains(&call.thread) {
                seen.push(call.thread);
            }
        }
        seen.len()
    }

    /// The calls drawn on the virtual clock.
    pub fn timeline(&self) -> Timeline {
        timeline::from_calls(&self.calls, self.virtual_elapsed)
    }
}

/// Runs `body` on a current-thread runtime with a paused clock and watches
/// it. `body` gets the recorder that the simulated world must log to. If the
/// body has not finished after `limit` of virtual time it is dropped and
/// `output` is `None`: a future that waits on nothing fails at once instead
/// of hanging.
///
/// # Panics
///
/// If the runtime cannot be built, or if `body` panics.
pub fn run_paused<T, F>(limit: Duration, body: impl FnOnce(Recorder) -> F) -> AsyncRun<T>
where
    F: Future<Output = T>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread tokio runtime");
    let runtime_thread = std::thread::current().id();
    let run = runtime.block_on(async {
        let recorder = Recorder::new();
        let heartbeat = Heartbeat::spawn(HEARTBEAT_PERIOD);
        let (timed, polls) = PollTimer::new(body(recorder.clone()));
        let virtual_start = tokio::time::Instant::now();
        let real_start = Instant::now();
        let output = tokio::time::timeout(limit, timed).await.ok();
        let (virtual_elapsed, real_elapsed) = (virtual_start.elapsed(), real_start.elapsed());
        // Tasks the learner's code aborted on its way out are dropped the
        // next time the scheduler runs: let it run before counting.
        for _ in 0..4 {
            tokio::task::yield_now().await;
        }
        AsyncRun {
            output,
            virtual_elapsed,
            real_elapsed,
            longest_poll: polls.longest_poll(),
            heartbeat_lateness: heartbeat.worst_lateness(),
            runtime_thread,
            calls: recorder.calls(),
            peak_in_flight: recorder.peak_in_flight(),
            cancelled: recorder.cancelled(),
        }
    });
    // Learner code may have left blocking tasks behind: do not wait for them.
    runtime.shutdown_background();
    run
}

