//! CPU work under a kernel probe: which thread ran each call, for how long,
//! and how many at once.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use lab::cpu::{KernelCall, Probe, RendezvousResult};
use protocol::Timeline;

use crate::timeline;

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
