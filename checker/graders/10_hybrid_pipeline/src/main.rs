//! Grader of exercise 10, a hybrid pipeline.
//!
//! The learner's async `pipeline` downloads every image of a simulated
//! server, blurs each with lab's kernel and saves it in a simulated store.
//! It runs on a current-thread tokio runtime with a real clock (CPU work
//! cannot live on a paused clock), beside a heartbeat, with lab's CPU probe
//! logging every blur and lab's recorder every download and save. The
//! downloads of the main batch (12 images) end in pairs spread from 30 ms
//! to 260 ms, so a pipeline shows. The checks prove the model:
//!
//! - `right_results`: on batches of 1, 5 and 12 images, each image was
//!   downloaded once, blurred once, and saved once under its own id with
//!   the right pixels, by async code on the runtime;
//! - `downloads_overlap`: two or more downloads were in flight at once;
//! - `blur_on_pool`: every blur ran on a rayon pool, on two or more of its
//!   threads (in one of three runs), never on the runtime's thread, nor on
//!   tokio's blocking pool (`spawn_blocking`), nor on threads of the code's
//!   own;
//! - `runtime_free`: the runtime's thread was never held: its busy time,
//!   read by the heartbeat, stayed under half a blur at a stretch and
//!   under one and a half blurs in all (in one of three runs; a blur seen
//!   on the runtime's thread decides at once). A busy machine delays a
//!   heartbeat a little; a blocked runtime delays it by a whole blur;
//! - `pipelined`: the first blur began before the last download ended (in
//!   one of three runs): a pipeline, not all downloads and then all blurs.
//!
//! A watchdog ends any run that stops making progress for 2 s (or runs
//! past 10 s) as `timed_out`, saying what it saw, and the checker then skips
//! the other checks.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the batches and the figures the checks run with |
//! | `run.rs` | runs the learner's pipeline under the instruments, with the watchdog (impure) |
//! | `checks.rs` | gathers the evidence of each check |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |
//! | `picture.rs` | `pipeline.png` |
//!
//! The checker runs this with `RAYON_NUM_THREADS=4`, so the structure holds
//! even on a machine with one core.

mod checks;
mod decide;
mod picture;
mod run;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_results",
        about: "on three batches, each image downloaded, blurred and saved once, under its own id",
        run: checks::right_results,
    },
    Check {
        name: "downloads_overlap",
        about: "two or more downloads are in flight at once",
        run: checks::downloads_overlap,
    },
    Check {
        name: "blur_on_pool",
        about: "every blur runs on rayon's pool, on two or more threads, never on the runtime's",
        run: checks::blur_on_pool,
    },
    Check {
        name: "runtime_free",
        about: "a heartbeat beside the pipeline stays on time: the runtime's thread is never held",
        run: checks::runtime_free,
    },
    Check {
        name: "pipelined",
        about: "the first blur starts before the last download ends: a pipeline, not two phases",
        run: checks::pipelined,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
