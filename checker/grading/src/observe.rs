//! Running learner code under the instruments.
//!
//! [`run_paused`] runs an async body on a current-thread tokio runtime with a
//! paused clock, a heartbeat and a poll timer; [`run_probed`] runs CPU work
//! with a kernel probe installed. Both return everything a check needs to
//! decide, so graders stay short: set up the world, run, compare.

use std::collections::HashMap;
use std::future::Future;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use lab::cpu::{KernelCall, Probe, RendezvousResult};
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

/// What a probed CPU run did.
#[derive(Debug)]
pub struct CpuRun<T> {
    /// The body's result.
    pub output: T,
    /// Every kernel call.
    pub calls: Vec<KernelCall>,
    /// The most kernel calls running at the same instant.
    pub peak_in_flight: usize,
    /// The rendezvous outcome, if one was asked for.
    pub rendezvous: Option<RendezvousResult>,
    /// Real time the body took.
    pub wall: Duration,
    /// The thread that called the body.
    pub caller: ThreadId,
}

/// One thread's part of the kernel work.
#[derive(Debug, Clone)]
pub struct ThreadShare {
    /// A readable name: `rayon worker 2`, `the calling thread`, ...
    pub label: String,
    /// Kernel calls it made.
    pub items: usize,
    /// CPU time it spent in the kernel.
    pub cpu: Duration,
    /// Its fraction of all kernel CPU time, 0 to 1.
    pub share: f64,
    /// Its rayon worker index, if it was a rayon worker.
    pub rayon_index: Option<usize>,
    /// The size of its rayon pool, if it was a rayon worker.
    pub pool_threads: Option<usize>,
}

/// Runs `body` with a kernel probe installed (with a rendezvous if
/// `rendezvous` gives its timeout).
pub fn run_probed<T>(rendezvous: Option<Duration>, body: impl FnOnce() -> T) -> CpuRun<T> {
    let probe = match rendezvous {
        Some(timeout) => Probe::with_rendezvous(timeout),
        None => Probe::new(),
    };
    let installed = probe.install();
    let start = Instant::now();
    let output = body();
    let wall = start.elapsed();
    drop(installed);
    CpuRun {
        output,
        calls: probe.calls(),
        peak_in_flight: probe.peak_in_flight(),
        rendezvous: probe.rendezvous(),
        wall,
        caller: std::thread::current().id(),
    }
}

impl<T> CpuRun<T> {
    /// A readable name for each thread that made kernel calls.
    pub fn labels(&self) -> HashMap<ThreadId, String> {
        let mut labels = HashMap::new();
        let mut others = 0;
        for call in &self.calls {
            labels.entry(call.thread).or_insert_with(|| {
                if call.thread == self.caller {
                    "the calling thread".to_string()
                } else if let Some(index) = call.rayon_index {
                    format!("rayon worker {index}")
                } else if let Some(name) = &call.thread_name {
                    format!("thread {name}")
                } else {
                    others += 1;
                    format!("thread #{others}")
                }
            });
        }
        labels
    }

    /// Each thread's part of the kernel work, busiest first.
    pub fn shares(&self) -> Vec<ThreadShare> {
        let labels = self.labels();
        let total: Duration = self.calls.iter().map(|c| c.cpu).sum();
        let mut by_thread: HashMap<ThreadId, ThreadShare> = HashMap::new();
        for call in &self.calls {
            let entry = by_thread.entry(call.thread).or_insert_with(|| ThreadShare {
                label: labels[&call.thread].clone(),
                items: 0,
                cpu: Duration::ZERO,
                share: 0.0,
                rayon_index: call.rayon_index,
                pool_threads: call.pool_threads,
            });
            entry.items += 1;
            entry.cpu += call.cpu;
        }
        let mut shares: Vec<ThreadShare> = by_thread.into_values().collect();
        for share in &mut shares {
            share.share = if total.is_zero() {
                share.items as f64 / self.calls.len().max(1) as f64
            } else {
                share.cpu.as_secs_f64() / total.as_secs_f64()
            };
        }
        shares.sort_by(|a, b| b.share.total_cmp(&a.share));
        shares
    }

    /// One lane per thread, on the real clock.
    pub fn timeline(&self) -> Timeline {
        timeline::from_kernel_calls(&self.calls, &self.labels())
    }
}
