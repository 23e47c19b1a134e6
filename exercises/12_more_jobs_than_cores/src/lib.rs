//! # Exercise 12: more jobs than cores
//!
//! Ten jobs and four workers: four jobs compute at any instant, the other
//! six wait their turn, and each worker takes the next waiting job the
//! moment it finishes one. That is parallelism (four jobs at literally the
//! same instant) and concurrency (ten jobs all making progress through
//! four workers) at once. Read `README.md` beside this folder for the story
//! and what the checker verifies.
//!
//! Your task: fill in `run_on_pool` so that the jobs run on a pool of
//! exactly `workers` threads. `run_sequential` below runs them on one
//! thread: start from it.

use lab::jobs::{Job, run};

/// Runs every job, one after another, on the calling thread, and returns
/// their answers in the order of `jobs`. Correct, and one worker only.
pub fn run_sequential(jobs: &[Job]) -> Vec<u64> {
    jobs.iter().map(run).collect()
}

/// Runs every job of `jobs` once with `lab::jobs::run`, on a pool of
/// `workers` threads: never more than `workers` jobs computing at the same
/// instant, and no worker idle while a job waits. Returns the answers in
/// the order of `jobs`.
pub fn run_on_pool(jobs: &[Job], workers: usize) -> Vec<u64> {
    // Replace this line with your code.
    let _ = (jobs, workers);
    todo!()
}
