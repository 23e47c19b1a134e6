//! The CPU jobs of exercise 12: pieces of pure computation of different
//! lengths, more of them than there are workers.
//!
//! ```
//! use lab::jobs::{Job, run};
//! let job = Job::new(0, 1, 42);
//! assert_eq!(run(&job), run(&Job::new(0, 1, 42))); // same job, same answer
//! ```
//!
//! [`run`] is logged while a [`crate::cpu::Probe`] is installed: the job's
//! id, the thread that ran it, its CPU time, and how many jobs were
//! running at the same instant.

use crate::cpu::{self, Job as Logged};

/// Rounds of arithmetic in one unit of work: about 3 ms of one core on a
/// laptop of 2024, long enough that a job is still running when the
/// operating system gives its core to another thread.
const ROUNDS_PER_UNIT: u64 = 2_000_000;

/// One job: an id and an amount of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    id: usize,
    units: u32,
    seed: u64,
}

impl Job {
    /// Job number `id`, `units` units of work long, whose answer depends
    /// on `seed`.
    pub fn new(id: usize, units: u32, seed: u64) -> Self {
        Job { id, units, seed }
    }

    /// Its number.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Its length, in units of work (1 unit is a few milliseconds).
    pub fn units(&self) -> u32 {
        self.units
    }
}

/// Does `job`'s work on the calling thread and returns its answer. Pure
/// CPU work: no waiting, no I/O. Call it once per job.
pub fn run(job: &Job) -> u64 {
    let logged = Logged {
        item: job.id,
        input: (job.units as usize, 0),
        radius: 0,
    };
    cpu::measure(logged, || {
        let mut x = job.seed ^ (job.id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 1;
        for _ in 0..u64::from(job.units) * ROUNDS_PER_UNIT {
            // xorshift: cheap, and the compiler cannot skip it.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x = std::hint::black_box(x);
        }
        x
    })
}

// The kernel's tests live in `lab/tests/batch_and_jobs.rs`, a process of
// their own: a kernel called by a unit test here would be logged by the
// probes that `cpu`'s tests install process-wide.
