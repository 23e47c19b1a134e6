//! Grader of exercise 02, three fetches.
//!
//! The learner's `load_profile` runs against a simulated profile API on a
//! current-thread tokio runtime whose clock is paused, so every simulated
//! wait is exact and takes no real time. The checks prove the model:
//!
//! - `right_answer`: the profile is the one the API serves, for a generated
//!   user and for one with no posts and no friends;
//! - `overlapping_waits`: simulated time equals the slowest fetch, with all
//!   three in flight at once, whichever endpoint is the slowest (awaiting in
//!   a row costs the sum);
//! - `one_thread`: every fetch ran on the runtime's own thread (no thread per
//!   fetch, no runtime per fetch);
//! - `never_blocks`: the runtime's thread was never held for 50 ms at a
//!   stretch, nor for 50 ms in all (`std::thread::sleep` costs no simulated
//!   time, but it freezes the juggler, and the poll timer and heartbeat see
//!   it on the real clock);
//! - `fails_fast`: whichever fetch fails, first or while another is still
//!   waiting, its error comes back as soon as it arrives.
//!
//! A watchdog ends any check whose run stops making progress for 2 s of
//! real time (`timed_out`, saying what it saw), and the checker then skips
//! the others, so a hanging submission is graded in seconds.
//!
//! | file | role |
//! |---|---|
//! | `main.rs` | the table of checks |
//! | `world.rs` | generated inputs: profiles, latencies, which fetch fails |
//! | `checks.rs` | runs the learner's code and gathers evidence |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |

mod checks;
mod decide;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_answer",
        about: "returns the user, posts and friends the API serves",
        run: checks::right_answer,
    },
    Check {
        name: "overlapping_waits",
        about: "the three fetches wait at the same time: total = the slowest, 3 in flight",
        run: checks::overlapping_waits,
    },
    Check {
        name: "one_thread",
        about: "every fetch runs on the runtime's one thread",
        run: checks::one_thread,
    },
    Check {
        name: "never_blocks",
        about: "the runtime's thread is never blocked (no blocking sleep or call), at a stretch or in all",
        run: checks::never_blocks,
    },
    Check {
        name: "fails_fast",
        about: "an error from any fetch is returned as soon as it arrives",
        run: checks::fails_fast,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
