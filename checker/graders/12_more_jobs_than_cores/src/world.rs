//! The world the learner's `run_on_pool` runs in: the pools and jobs it is
//! graded on, and the figures every check runs with.

use std::time::Duration;

use lab::cpu::Watch;
use lab::jobs::Job;

/// A pool size and a list of jobs to run on it, more jobs than workers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// How reports name it: "10 jobs on 3 workers".
    pub name: String,
    /// Why it is graded: which shortcut it catches.
    pub why: &'static str,
    /// The pool size asked for, `N`.
    pub workers: usize,
    /// Each job's length in units of work, in job order (`M` jobs).
    pub units: Vec<u32>,
}

impl Scenario {
    fn new(why: &'static str, workers: usize, units: &[u32]) -> Self {
        Scenario {
            name: format!(
                "{} jobs on {} {}",
                units.len(),
                workers,
                if workers == 1 { "worker" } else { "workers" }
            ),
            why,
            workers,
            units: units.to_vec(),
        }
    }

    /// The jobs, with answers drawn from the run's seed.
    pub fn jobs(&self, seed: u64) -> Vec<Job> {
        self.units
            .iter()
            .enumerate()
            .map(|(id, &units)| Job::new(id, units, seed ^ ((self.workers as u64) << 32)))
            .collect()
    }

    /// When the watchdog ends a run: no job started or finished for
    /// [`QUIET`], or far more job runs than jobs.
    pub fn watch(&self) -> Watch {
        Watch {
            quiet: QUIET,
            max_calls: 8 * self.units.len() + 64,
        }
    }
}

/// The story's ten jobs on three workers, of unequal lengths (1 to 12
/// units, a unit being a few milliseconds). Cut into waves of three, each
/// wave holds one long job and two short ones, so waiting for a wave's
/// slowest job leaves two slots idle while jobs wait; a pool that hands
/// out the next job as soon as a slot frees leaves none.
pub fn main_scenario() -> Scenario {
    Scenario::new(
        "the story: ten jobs, three workers",
        3,
        &[12, 1, 2, 1, 12, 1, 2, 1, 12, 3],
    )
}

/// Two workers: a pool of a size written into the code (3, or rayon's 4)
/// runs more jobs at once than asked.
pub fn two() -> Scenario {
    Scenario::new("a pool of two", 2, &[1, 6, 2, 2, 5, 1, 3])
}

/// Four workers: a pool smaller than asked never reaches four at once.
pub fn four() -> Scenario {
    Scenario::new("a pool of four", 4, &[7, 1, 2, 5, 1, 1, 6, 2, 3])
}

/// One worker: then one job at a time is right.
pub fn one() -> Scenario {
    Scenario::new("a pool of one", 1, &[2, 1, 1, 2])
}

/// A long job in the middle of short ones: the answers must still come
/// back in job order, though it finishes last.
pub fn long_in_the_middle() -> Scenario {
    Scenario::new(
        "a long job among short ones",
        3,
        &[1, 1, 2, 1, 1, 10, 1, 2, 1, 1, 2, 1],
    )
}

/// Every scenario `every_job_once` grades.
pub fn all() -> Vec<Scenario> {
    vec![one(), two(), main_scenario(), four(), long_in_the_middle()]
}

/// How long the learner's code may go without starting or finishing a job
/// before the watchdog ends the check: far above the longest job (about a
/// tenth of a second on a crowded machine), short enough to grade a hang
/// in seconds.
pub const QUIET: Duration = Duration::from_secs(2);

/// Ordinary runs `n_reached` and `at_most_n` look at per scenario.
pub const RUNS: usize = 3;

/// The number of cores this process may use (1 under `taskset -c 0`).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
