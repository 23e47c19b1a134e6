//! # Exercise 09, solved: what is slow?
//!
//! Before choosing a tool, ask what the work spends its time on. Two clocks
//! answer that. The wall clock runs whatever happens; a thread's CPU clock
//! runs only while that thread computes. During a wait the CPU clock
//! stands still while the wall clock runs; during a computation the CPU
//! clock runs too. Add up the CPU time (the computing) and the wall time of
//! the waits (the waiting), and the share of computing says the kind.
//!
//! Then each kind gets its tool: waiting costs no CPU, so one async thread
//! can keep every wait in flight at once; computing needs cores, so it goes
//! to rayon's pool; a workload that does both gets both, each step on the
//! tool that suits it.

use std::time::{Duration, Instant};

use futures::future::join_all;
use lab::thread_cpu_time;
pub use lab::workload::{Kind, Measurement, Step, Workload};
use rayon::prelude::*;

/// Below this share of CPU time in the time spent working, a workload is
/// waiting.
const WAITING_BELOW: f64 = 0.2;
/// Above this share, it is computing.
const COMPUTING_ABOVE: f64 = 0.6;

/// Runs `workload` once on this thread and reads both clocks around the
/// whole run and around each step.
pub fn measure(workload: &Workload) -> Measurement {
    // Everything runs on this thread, so this thread's CPU clock sees all
    // the computing. run_blocking holds the thread asleep for a wait: the
    // wall clock runs on meanwhile, the CPU clock stands still.
    let start = Instant::now();
    let cpu_start = thread_cpu_time();
    let mut waiting = Duration::ZERO;
    for step in workload.steps() {
        match step {
            Step::Compute(work) => {
                work.run();
            }
            // A wait's wall time is time spent waiting. A computation's
            // wall time is not a good measure of its computing: on a busy
            // machine it includes time the thread was ready but had no
            // core. Its CPU time is, and the CPU clock around the whole
            // run adds it up.
            Step::Wait(wait) => {
                let began = Instant::now();
                wait.run_blocking();
                waiting += began.elapsed();
            }
        }
    }
    Measurement {
        wall: start.elapsed(),
        cpu: thread_cpu_time().saturating_sub(cpu_start),
        waiting,
    }
}

/// What slows a workload down, from one measurement of it.
pub fn kind_of(measurement: &Measurement) -> Kind {
    // The wall time alone says nothing: a slow job may compute or wait.
    // What matters is the share of the work the CPU did. Compare the CPU
    // time with the CPU time plus the waiting, not with the wall time,
    // which a busy machine stretches with time spent waiting for a core.
    let working = measurement.cpu + measurement.waiting;
    let share = measurement.cpu.as_secs_f64() / working.as_secs_f64().max(1e-9);
    if share < WAITING_BELOW {
        Kind::Waiting
    } else if share > COMPUTING_ABOVE {
        Kind::Computing
    } else {
        Kind::Mixed
    }
}

/// Measures `workload` once and says what slows it down.
pub fn classify(workload: &Workload) -> Kind {
    kind_of(&measure(workload))
}

/// Runs `f` on rayon's pool and waits for it without holding this thread:
/// the runtime's thread goes on with other tasks until the pool answers.
async fn on_pool<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        // The receiver is gone only if run_batch itself was dropped.
        let _ = tx.send(f());
    });
    rx.await.expect("a job on the pool panicked")
}

/// A mixed workload: its steps in order, each on the tool that suits it.
async fn run_mixed(workload: Workload) {
    for step in workload.steps() {
        match step {
            // Computing goes to the pool; this task waits for it with
            // .await, so the runtime's thread is free meanwhile.
            Step::Compute(work) => {
                let work = work.clone();
                on_pool(move || work.run()).await;
            }
            // Waiting stays here: a timer needs no thread.
            Step::Wait(wait) => wait.run().await,
        }
    }
}

/// Runs every workload of `batch`, each with the tool its kind calls for,
/// all at the same time. Call it on a tokio runtime: its thread runs the
/// waiting.
pub async fn run_batch(batch: Vec<(Workload, Kind)>) {
    let mut waiting = Vec::new();
    let mut computing = Vec::new();
    let mut mixed = Vec::new();
    for (workload, kind) in batch {
        match kind {
            Kind::Waiting => waiting.push(workload),
            Kind::Computing => computing.push(workload),
            Kind::Mixed => mixed.push(workload),
        }
    }
    // Computing: the whole group goes to the pool, where par_iter shares the
    // workloads among every worker. Awaited, not blocked on: the waits below
    // start at once, while the pool computes.
    let computed = on_pool(move || {
        computing
            .par_iter()
            .for_each(|workload| workload.run_blocking())
    });
    // Waiting: one future per workload, all joined on this one thread, so
    // every wait is in flight at the same time.
    let waited = join_all(waiting.iter().map(Workload::run));
    // Mixed: both tools, step by step.
    let both = join_all(mixed.into_iter().map(run_mixed));
    tokio::join!(computed, waited, both);
}
