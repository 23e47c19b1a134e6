//! Grader of exercise 12, more jobs than cores.
//!
//! The learner's `run_on_pool(jobs, n)` runs `M` CPU jobs of unequal
//! lengths on a pool of `N` workers, `M > N`. Every job goes through
//! `lab::jobs::run`, which logs, while a probe is installed, the job, the
//! thread that ran it, when it started and ended, and how many jobs were
//! running at the same instant. The checks prove the model:
//!
//! - `every_job_once`: with five pools and job lists (one worker, two,
//!   three, four; a long job among short ones), every job ran exactly
//!   once and the answers came back in job order;
//! - `at_most_n`: with `N` = 2, 3 and 4, never more than `N` jobs were
//!   computing at the same instant (a thread per job, or a pool larger
//!   than asked, runs more);
//! - `n_reached`: with `N` = 3 and 4, `N` jobs were computing at the same
//!   instant in an ordinary run (a pool of one, or a smaller one, never
//!   gets there);
//! - `no_idle_slots`: read as a schedule on `N` slots, no slot stood idle
//!   while jobs waited, beyond handing out the next job. Jobs joined in
//!   waves of `N` leave slots idle while each wave's slowest job finishes.
//!   Wall-clock time against the `N`-slot schedule is shown, never graded.
//!
//! "Computing at the same instant" is "inside lab::jobs::run at the same
//! instant": on a machine with fewer cores than `N`, jobs in flight take
//! turns on the cores and still count, so the checks hold on two cores.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the pools and job lists the checks run with |
//! | `checks.rs` | runs the learner's code, gathers the evidence (impure) |
//! | `decide.rs` | evidence in, verdict out (pure, unit-tested) |
//! | `picture.rs` | `slots.png` |

mod checks;
mod decide;
mod picture;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "every_job_once",
        about: "with five pools and job lists, every job runs once and the answers come back in job order",
        run: checks::every_job_once,
    },
    Check {
        name: "at_most_n",
        about: "never more than N jobs computing at the same instant, for N = 2, 3 and 4",
        run: checks::at_most_n,
    },
    Check {
        name: "n_reached",
        about: "N jobs computing at the same instant in an ordinary run, for N = 3 and 4",
        run: checks::n_reached,
    },
    Check {
        name: "no_idle_slots",
        about: "no slot of the pool stands idle while jobs wait",
        run: checks::no_idle_slots,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
