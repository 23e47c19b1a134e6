//! Exercise 12: more jobs than workers, on a pool of one worker per core.

use lab::jobs::Job;

use super::{Speedup, side_by_side, timed};

/// The story's ten jobs (1 to 12 units, 47 in all; a unit is a few
/// milliseconds of one core), unequal so that a pool must hand out the
/// next job as soon as a worker is free.
const STORY: [u32; 10] = [12, 1, 2, 1, 12, 1, 2, 1, 12, 3];

/// Rounds of the story measured: four make 40 jobs, 188 units, about
/// 0.6 s of one core, still several jobs per worker on a large machine.
const ROUNDS: usize = 4;

pub(super) fn measure(threads: usize, runs: usize) -> Speedup {
    let lengths: Vec<u32> = STORY.repeat(ROUNDS);
    speedup(&lengths, threads, runs)
}

/// Times the jobs of `lengths` (in units, numbered in order).
pub(super) fn speedup(lengths: &[u32], threads: usize, runs: usize) -> Speedup {
    let jobs: Vec<Job> = lengths
        .iter()
        .enumerate()
        .map(|(id, &units)| Job::new(id, units, 12))
        .collect();
    let units: u32 = jobs.iter().map(Job::units).sum();
    // The solution builds its own pool of `workers` threads; that costs
    // microseconds, and is timed with the jobs, as a caller would see it.
    let (one_thread, all_threads) = side_by_side("12", threads, runs, |workers| {
        timed(|| sol12_more_jobs_than_cores::run_on_pool(&jobs, workers))
    });
    Speedup {
        exercise: "12 more jobs than cores",
        what: format!("run_on_pool {} jobs, {units} units", jobs.len()),
        threads,
        one_thread,
        all_threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four short jobs give the same answers, in the same order, on one
    /// worker and on two.
    #[test]
    fn both_sides_agree_on_four_short_jobs() {
        let s = speedup(&[2, 1, 1, 3], 2, 2);
        assert_eq!(s.what, "run_on_pool 4 jobs, 7 units");
    }
}
