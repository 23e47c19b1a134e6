//! Grader of exercise 01, timelines: predict, then watch.
//!
//! The learner's `predict` says how long a scenario takes: tasks that each
//! compute and then wait, run in a row, concurrently on one thread, or in
//! parallel on N cores. The grader does not trust a formula of its own: it
//! *runs* every scenario on tokio's paused clock, where waits are exact
//! sleeps and computing holds a worker (the one thread, or a core) for its
//! duration, and reads the total off the simulated clock. The checks:
//!
//! - `readme_examples`: the README's worked examples (the course's opening
//!   scenes: 9 s in a row, 3 s of overlapping waits, 3 s on three cores,
//!   the lecturer alone and with a writer, three requests, ten jobs on
//!   four cores);
//! - `in_a_row`, `concurrent`, `parallel`: scenarios generated from the
//!   seed for each mode, with edge shapes (one task, zero computing or
//!   waiting, fewer and more cores than tasks, one core).
//!
//! A wrong prediction is answered with the run drawn on the simulated
//! clock beside the predicted total, and with the rule it missed: the
//! grader finds the wrong rule (waits added up on one thread, computing
//! overlapped, cores ignored, ...) that gives exactly the learner's number.
//! A call of `predict` that does not return in 2 s ends the check as
//! `timed_out`.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the scenarios |
//! | `run.rs` | runs a scenario on the paused clock; its timeline |
//! | `checks.rs` | asks `predict`, runs, pairs them up |
//! | `decide.rs` | the wrong rules and the verdict (pure, unit-tested) |

mod checks;
mod decide;
mod run;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "readme_examples",
        about: "the README's examples: predicted totals match the runs",
        run: checks::readme_examples,
    },
    Check {
        name: "in_a_row",
        about: "tasks one after another: predicted totals match the runs",
        run: checks::in_a_row,
    },
    Check {
        name: "concurrent",
        about: "tasks on one thread, waits overlapping, computing in turns: predictions match the runs",
        run: checks::concurrent,
    },
    Check {
        name: "parallel",
        about: "tasks on N cores, the rest queueing: predictions match the runs",
        run: checks::parallel,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
