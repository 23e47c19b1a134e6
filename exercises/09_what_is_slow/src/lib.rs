//! # Exercise 09: what is slow?
//!
//! The first question to ask of any slow job: is it waiting, or computing?
//! Waiting needs no CPU, so async can keep many waits going on one thread.
//! Computing needs cores, so it belongs on a thread pool. Read `README.md`
//! beside this folder for the story and what the checker verifies.
//!
//! Your task, in two parts:
//! 1. `measure`, `kind_of` and `classify`: run a workload once, read the
//!    wall clock and this thread's CPU clock around it (and around each
//!    wait), and say which kind it is.
//! 2. `run_batch`: run a batch of workloads, each with the tool its kind
//!    calls for.

// The imports you will need; unused until you write the bodies.
#![allow(unused_imports)]

use std::time::{Duration, Instant};

use lab::thread_cpu_time;
pub use lab::workload::{Kind, Measurement, Step, Workload};

/// Runs `workload` once on the calling thread and returns its wall time,
/// the CPU time this thread spent on it, and the wall time of its waits.
pub fn measure(workload: &Workload) -> Measurement {
    // Replace this line with your code.
    let _ = workload;
    todo!()
}

/// Says what slows a workload down, from one measurement of it: the share
/// of computing in the time it spent working, `cpu / (cpu + waiting)`.
pub fn kind_of(measurement: &Measurement) -> Kind {
    // Replace this line with your code.
    let _ = measurement;
    todo!()
}

/// Measures `workload` once and says what slows it down.
pub fn classify(workload: &Workload) -> Kind {
    // Replace this line with your code.
    let _ = workload;
    todo!()
}

/// Runs every workload of `batch` once, each with the tool its kind calls
/// for: async on this runtime's thread for waiting, rayon's pool for
/// computing, both for mixed (its waits here, its computations on the
/// pool). The kinds given are right. It is awaited on a tokio runtime
/// with one thread.
pub async fn run_batch(batch: Vec<(Workload, Kind)>) {
    // Replace this line with your code.
    let _ = batch;
    todo!()
}
