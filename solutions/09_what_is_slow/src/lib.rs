//! # Exercise 09, solved: what is slow?
//!
//! Before choosing a tool, ask what the work spends its time on. Two clocks
//! answer that. The wall clock runs whatever happens; a thread's CPU clock
//! runs only while that thread computes. A workload that waits shows a long
//! wall time and almost no CPU time; one that computes shows the two nearly
//! equal; one that does both shows something in between.
//!
//! Then each kind gets its tool: waiting costs no CPU, so one async thread
//! can keep every wait in flight at once; computing needs cores, so it goes
//! to rayon's pool; a workload that does both gets both, each step on the
//! tool that suits it.

use std::time::Instant;

use futures::future::join_all;
use lab::thread_cpu_time;
pub use lab::workload::{Kind, Measurement, Step, Workload};
use rayon::prelude::*;

/// Below this share of CPU time in the wall time, a workload is waiting.
const WAITING_BELOW: f64 = 0.2;
/// Above this share, it is computing.
const COMPUTING_ABOVE: f64 = 0.6;

/// Runs `workload` once on this thread and reads both clocks around it.
pub fn measure(workload: &Workload) -> Measurement {
    // Everything runs on this thread, so this thread's CPU clock sees all
    // the computing. run_blocking holds the thread asleep for the waits:
    // the wall clock runs on meanwhile, the CPU clock does not.
    let wall = Instant::now();
    let cpu = thread_cpu_time();
    workload.run_blocking();
    Measurement {
        wall: wall.elapsed(),
        cpu: thread_cpu_time().saturating_sub(cpu),
    }
}

/// What slows a workload down, from one measurement of it.
pub fn kind_of(measurement: &Measurement) -> Kind {
    // The wall time alone says nothing: a slow job may compute or wait.
    // What matters is how much of it the CPU was busy.
    let share = measurement.cpu.as_secs_f64() / measurement.wall.as_secs_f64().max(1e-9);
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
