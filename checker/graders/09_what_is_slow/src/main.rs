//! Grader of exercise 09, what is slow?
//!
//! The learner measures workloads, classifies them, and runs a batch of
//! them with the right tool. Every workload is built from `lab::workload`:
//! steps that compute (a fixed CPU time, on whatever thread runs them) and
//! steps that wait, each logged with the thread that ran it, when, and
//! whether a wait held its thread asleep. The workloads are generated from
//! the run's seed; their names and their list of steps never say their
//! kind, only the clocks do. The checks prove the model:
//!
//! - `measures_both_clocks`: `measure` ran each workload once and returned
//!   its wall time and the CPU time its computations used;
//! - `classifies_by_the_clocks`: `kind_of` judges by the CPU share of the
//!   wall time (at wall times of 8 ms to 2.5 s), and `classify` names the
//!   kind of nine hidden workloads, near-edge ones included;
//! - `every_step_once`: `run_batch` ran every step of every workload once,
//!   each workload's steps in order;
//! - `waiting_on_async`: the waiting workloads ran on the runtime's one
//!   thread, their waits in flight at the same time;
//! - `computing_on_the_pool`: the computing workloads ran on two or more
//!   rayon workers, each a fair share of the CPU time, side by side;
//! - `mixed_on_both`: the mixed workloads computed on the pool and waited
//!   on the runtime's thread.
//!
//! A watchdog ends any run in which no computation starts or ends for 2 s
//! as `timed_out`, so a hang is graded in seconds.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the hidden workloads and the figures the checks run with |
//! | `checks.rs` | runs the learner's code, gathers the evidence (impure) |
//! | `decide.rs` | measuring and classifying: evidence in, verdict out (pure, unit-tested) |
//! | `dispatch.rs` | the batch: evidence in, verdict out (pure, unit-tested) |
//!
//! The checker runs this with `RAYON_NUM_THREADS=4`.

mod checks;
mod decide;
mod dispatch;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "measures_both_clocks",
        about: "measure runs a workload once and returns its wall time and the CPU time it used",
        run: checks::measures_both_clocks,
    },
    Check {
        name: "classifies_by_the_clocks",
        about: "kind_of judges by the CPU share of the wall time; classify names every hidden workload's kind",
        run: checks::classifies_by_the_clocks,
    },
    Check {
        name: "every_step_once",
        about: "run_batch runs every step of every workload once, in order",
        run: checks::every_step_once,
    },
    Check {
        name: "waiting_on_async",
        about: "waiting workloads run on the runtime's one thread, their waits in flight at once",
        run: checks::waiting_on_async,
    },
    Check {
        name: "computing_on_the_pool",
        about: "computing workloads run on two or more rayon workers, each a fair share, side by side",
        run: checks::computing_on_the_pool,
    },
    Check {
        name: "mixed_on_both",
        about: "mixed workloads compute on the pool and wait on the runtime's thread",
        run: checks::mixed_on_both,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
