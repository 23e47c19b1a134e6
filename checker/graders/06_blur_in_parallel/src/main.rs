//! Grader of exercise 06, blur in parallel.
//!
//! The learner's `blur` runs on generated images. Every row goes through
//! `lab::blur::blur_row`, which logs, while a probe is installed, the row
//! (`y`), the image it was given, the radius, the thread that ran it, the
//! CPU time that thread spent on it and when it started and ended. The
//! checks prove the model:
//!
//! - `same_pixels`: on eight image shapes (the default 1024x768, sizes that
//!   do not divide by 4, tiny, tall and short images, radius 0 and a radius
//!   larger than the image), the output equals a one-thread blur;
//! - `work_shared`: blur_row was called once for each row of the input,
//!   with the input itself; by two or more threads of a pool (not a thread
//!   per row), none doing over 80% of the kernel's CPU time (thread CPU
//!   time, which stays fair on a busy machine where wall-clock speedups do
//!   not);
//! - `simultaneous`: in an ordinary run, two threads were inside blur_row
//!   at the same instant. A held run (a rendezvous: the first row waits for
//!   a second thread) then tells threads that take turns from threads
//!   behind a lock; it never passes a run by itself.
//!
//! A watchdog ends any run that stops making progress (no row started or
//! finished for 2 s, or far more calls than rows) as `timed_out`, so a
//! hanging submission is graded in seconds.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the shapes and the figures the checks run with |
//! | `checks.rs` | runs the learner's code, gathers the evidence (impure) |
//! | `decide.rs` | evidence in, verdict out (pure, unit-tested) |
//! | `picture.rs` | `threads.png` |
//!
//! The checker runs this with `RAYON_NUM_THREADS=4`, so the structure holds
//! even on a machine with one core.

mod checks;
mod decide;
mod picture;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "same_pixels",
        about: "on eight image shapes, the blurred image equals a one-thread blur, pixel for pixel",
        run: checks::same_pixels,
    },
    Check {
        name: "work_shared",
        about: "each row blurred once, by two or more pool threads, none doing over 80% of the work",
        run: checks::work_shared,
    },
    Check {
        name: "simultaneous",
        about: "in an ordinary run, two rows are blurred at the same instant on two threads",
        run: checks::simultaneous,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
