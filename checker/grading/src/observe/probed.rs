//! CPU work under a kernel probe: which thread ran each call, for how long,
//! and how many at once, with a watchdog that ends a run that stopped
//! making progress.

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use lab::cpu::{KernelCall, Probe, Progress, RendezvousResult, ThreadKind, Watch};
use protocol::{Timeline, Verdict};

use crate::timeline;

/// What a probed CPU run did.
#[derive(Debug)]
pub struct CpuRun<T> {
    /// The body's result.
    pub output: T,
    /// Every kernel call, in the order they finished.
    pub calls: Vec<KernelCall>,
    /// The most kernel calls running at the same instant (the rendezvous's
    /// wait included).
    pub peak_in_flight: usize,
    /// The rendezvous outcome, if one was asked for.
    pub rendezvous: Option<RendezvousResult>,
    /// Real time the body took.
    pub wall: Duration,
    /// The longest real time in which no kernel call started or finished,
    /// from the start of the body to its end (a rendezvous wait counts as
    /// activity): how close the run came to the watchdog's limit.
    pub longest_quiet: Duration,
    /// The thread that called the body.
    pub caller: ThreadId,
}

/// One thread's part of the kernel work.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadShare {
    /// What kind of thread it was: decide on this.
    pub kind: ThreadKind,
    /// Kernel calls it made.
    pub items: usize,
    /// CPU time it spent in the kernel.
    pub cpu: Duration,
    /// Its fraction of all kernel CPU time, 0 to 1.
    pub share: f64,
}

impl ThreadShare {
    /// A readable name for reports (`rayon worker 2`, `the calling
    /// thread`): never decide on it, decide on [`ThreadShare::kind`].
    pub fn label(&self) -> String {
        self.kind.to_string()
    }
}

/// How often the watchdog looks at the probe. Short next to any stall it
/// must see, long enough to cost nothing.
const WATCH_EVERY: Duration = Duration::from_millis(25);

/// Runs `body` with a kernel probe installed (with a rendezvous if
/// `rendezvous` gives its timeout), under a watchdog.
///
/// The watchdog is a thread that reads the probe's progress while `body`
/// runs. When `watch` sees a stall (no kernel call started or finished for
/// `watch.quiet`, or more than `watch.max_calls` calls), it hands the
/// progress to `on_stall` and ends the check at once with the verdict it
/// returns ([`crate::harness::conclude`]): the check's own thread is stuck
/// inside the learner's code and may never come back. A body that returns
/// stops the watchdog before this function does.
pub fn run_probed<T>(
    rendezvous: Option<Duration>,
    watch: Watch,
    on_stall: impl FnOnce(Progress) -> Verdict + Send + 'static,
    body: impl FnOnce() -> T,
) -> CpuRun<T> {
    let probe = match rendezvous {
        Some(timeout) => Probe::with_rendezvous(timeout),
        None => Probe::new(),
    };
    let (done, finished) = mpsc::channel::<()>();
    let watched = probe.clone();
    let watchdog = std::thread::Builder::new()
        .name("checker-progress-watchdog".into())
        .spawn(move || {
            let mut longest_quiet = Duration::ZERO;
            loop {
                match finished.recv_timeout(WATCH_EVERY) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    // The body returned (or its sender was dropped).
                    _ => return longest_quiet,
                }
                let progress = watched.progress();
                if !progress.at_rendezvous {
                    longest_quiet = longest_quiet.max(progress.quiet);
                }
                if watch.stalled(&progress) {
                    crate::harness::conclude(on_stall(progress));
                }
            }
        });
    let installed = probe.install();
    let start = Instant::now();
    let output = body();
    let wall = start.elapsed();
    drop(installed);
    let _ = done.send(());
    // Without a watchdog thread (the OS refused one) the run is still
    // measured; the supervisor's deadline remains the last line of defence.
    let watched_quiet = watchdog
        .ok()
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    let calls = probe.calls();
    // The gaps between recorded spans hide a rendezvous wait (a span starts
    // once the wait is over), so a held run keeps the watchdog's figure.
    let longest_quiet = match rendezvous {
        None => watched_quiet.max(longest_gap(&calls, wall)),
        Some(_) => watched_quiet,
    };
    CpuRun {
        output,
        calls,
        peak_in_flight: probe.peak_in_flight(),
        rendezvous: probe.rendezvous(),
        wall,
        longest_quiet,
        caller: std::thread::current().id(),
    }
}

/// The longest stretch between kernel events (starts and ends, from 0 to
/// `wall`) in a finished run's calls. The watchdog samples every 25 ms and
/// so misses short gaps; this sees all of them.
fn longest_gap(calls: &[KernelCall], wall: Duration) -> Duration {
    let mut events: Vec<Duration> = calls
        .iter()
        .flat_map(|c| [c.real_start, c.real_end])
        .chain([Duration::ZERO, wall])
        .collect();
    events.sort();
    events
        .windows(2)
        .map(|pair| pair[1].saturating_sub(pair[0]))
        .max()
        .unwrap_or_default()
}

impl<T> CpuRun<T> {
    /// What kind of thread each thread that made kernel calls was.
    pub fn kinds(&self) -> HashMap<ThreadId, ThreadKind> {
        let mut kinds = HashMap::new();
        let mut unnamed = 0;
        let mut sorted: Vec<&KernelCall> = self.calls.iter().collect();
        // Number unnamed threads in the order they started work, so the
        // same run always reads the same.
        sorted.sort_by_key(|c| c.real_start);
        for call in sorted {
            kinds.entry(call.thread).or_insert_with(|| {
                if call.thread == self.caller {
                    ThreadKind::Caller
                } else if let (Some(index), Some(pool)) = (call.rayon_index, call.pool_threads) {
                    ThreadKind::RayonWorker { index, pool }
                } else if let Some(name) = &call.thread_name {
                    ThreadKind::Named(name.clone())
                } else {
                    unnamed += 1;
                    ThreadKind::Unnamed(unnamed)
                }
            });
        }
        kinds
    }

    /// A readable name for each thread that made kernel calls.
    pub fn labels(&self) -> HashMap<ThreadId, String> {
        self.kinds()
            .into_iter()
            .map(|(id, kind)| (id, kind.to_string()))
            .collect()
    }

    /// Each thread's part of the kernel work, busiest first.
    pub fn shares(&self) -> Vec<ThreadShare> {
        let kinds = self.kinds();
        let total: Duration = self.calls.iter().map(|c| c.cpu).sum();
        let mut by_thread: HashMap<ThreadId, ThreadShare> = HashMap::new();
        for call in &self.calls {
            let entry = by_thread.entry(call.thread).or_insert_with(|| ThreadShare {
                kind: kinds[&call.thread].clone(),
                items: 0,
                cpu: Duration::ZERO,
                share: 0.0,
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
        // Ties (equal shares) are broken by the label, so the order does
        // not depend on a hash map's.
        shares.sort_by(|a, b| {
            b.share
                .total_cmp(&a.share)
                .then_with(|| a.label().cmp(&b.label()))
        });
        shares
    }

    /// One lane per thread, on the real clock.
    pub fn timeline(&self) -> Timeline {
        timeline::from_kernel_calls(&self.calls, &self.labels())
    }
}
