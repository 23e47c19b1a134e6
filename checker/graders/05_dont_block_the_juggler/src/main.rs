//! Grader of exercise 05, don't block the juggler.
//!
//! The learner's async `login` answers batches of login requests on a
//! current-thread tokio runtime with a real clock (CPU work cannot live on
//! a paused clock). Five requests arrive a few ms apart; each must wait out
//! its delay and hash its password with lab's slow hash. The checks prove
//! the model:
//!
//! - `right_answer`: every reply is right (right and wrong passwords at
//!   positions that change with the seed), none before its delay, and each
//!   password hashed by lab exactly once; also for a single request with no
//!   delay, and for one with a long delay and a light hash (where skipping
//!   the delay cannot hide behind a slow hash on a busy machine);
//! - `never_blocks`: the runtime's thread was never held by the learner's
//!   code for 50 ms at a stretch, nor 80 ms in all. Judged on the poll
//!   timer and on tokio's busy time of its worker, read at each heartbeat
//!   tick: a thread waiting for a core is late but not busy, so a busy
//!   machine cannot fail a correct handler. It fails only if each of three
//!   runs shows the hold;
//! - `requests_overlap`: several requests in flight at once, and the batch
//!   done before the sum of its delays, which waiting in turns can never be
//!   (best of three runs);
//! - `hash_offloaded`: lab's CPU probe saw every hash round on a thread
//!   other than the runtime's (yielding between pieces of the hash still
//!   leaves every round on it).
//!
//! A watchdog ends any batch that stops making progress for 2 s (or runs
//! past 4 s) as `timed_out`, saying what it saw, and the checker then
//! skips the other checks.
//!
//! | file | role |
//! |---|---|
//! | `main.rs` | the table of checks |
//! | `world.rs` | generated batches of requests; the calibrated hash cost |
//! | `serve.rs` | serves a batch with the learner's handler under the instruments (impure) |
//! | `checks.rs` | gathers the evidence of each check |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |

mod checks;
mod decide;
mod serve;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_answer",
        about: "each login answered right, after its delay, its password hashed once by lab",
        run: checks::right_answer,
    },
    Check {
        name: "never_blocks",
        about: "the runtime's thread is never held: a heartbeat beside the requests stays on time",
        run: checks::never_blocks,
    },
    Check {
        name: "requests_overlap",
        about: "requests are in flight together and their delays overlap",
        run: checks::requests_overlap,
    },
    Check {
        name: "hash_offloaded",
        about: "every password hash runs on a thread other than the runtime's",
        run: checks::hash_offloaded,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
