//! # Exercise 12, solved: more jobs than cores
//!
//! A pool of `workers` threads is a fixed number of slots. The jobs queue
//! up; each worker takes one, computes it, and takes the next the moment
//! it is done. So at most `workers` jobs compute at any instant (the pool
//! has no more threads), and while jobs wait, every worker is busy (a
//! worker never waits for another's job to finish). Concurrency, many jobs
//! in progress, carried by parallelism, a few of them computing at once.

use lab::jobs::{Job, run};
use rayon::prelude::*;

/// Runs every job, one after another, on the calling thread.
pub fn run_sequential(jobs: &[Job]) -> Vec<u64> {
    jobs.iter().map(run).collect()
}

/// Runs every job of `jobs` on a pool of `workers` threads and returns
/// their answers in the order of `jobs`.
pub fn run_on_pool(jobs: &[Job], workers: usize) -> Vec<u64> {
    // rayon's global pool has one thread per core (or RAYON_NUM_THREADS):
    // not the size asked for. A pool of our own has exactly `workers`
    // threads, so no more than `workers` jobs can ever run at once.
    // (A real program would build its pool once and keep it.)
    // https://docs.rs/rayon/latest/rayon/struct.ThreadPoolBuilder.html
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("the operating system gives us the pool's threads");
    // `install` runs the closure inside the pool, so the parallel iterator
    // uses its workers. They share the jobs by work stealing: a worker that
    // finishes takes a waiting job at once; none waits for a slow job on
    // another worker, as joining the jobs in groups of `workers` would.
    // `collect` keeps the order of `jobs`.
    pool.install(|| jobs.par_iter().map(run).collect())
}
