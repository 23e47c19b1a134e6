//! Grader of exercise 04, first response wins.
//!
//! The learner's `first_response(mirrors, deadline)` races simulated
//! mirrors on a current-thread tokio runtime whose clock is paused, so
//! every latency and the deadline are exact. The checks prove the model:
//!
//! - `first_success_wins`: with no failures, the fastest mirror's file
//!   comes back at exactly its latency, wherever that mirror stands among
//!   two, three or five (waiting for every mirror costs the slowest);
//! - `skips_failures`: the fastest mirror failing, at each position, and
//!   the two or three fastest failing, do not end the race: the first
//!   success wins; when all fail, `AllFailed` holds every error and comes
//!   with the last one;
//! - `losers_dropped`: every fetch still in flight when the race is decided
//!   (by the winner or by the deadline) is dropped at that very simulated
//!   instant, as the mirrors' drop guard logs it; none runs on to its end
//!   and none is left running after `first_response` returns;
//! - `deadline_exact`: with every mirror too slow, `TimedOut` comes at
//!   exactly the deadline, an earlier error notwithstanding, and a file
//!   arriving 1 ms before the deadline still wins. A deadline kept on
//!   another clock (a `std::thread::sleep`) does not fire on this one.
//!
//! A watchdog ends any check whose run stops making progress for 2 s of
//! real time (`timed_out`, saying what it saw), and the checker then skips
//! the others.
//!
//! | file | role |
//! |---|---|
//! | `main.rs` | the table of checks |
//! | `world.rs` | generated races: mirrors, latencies, failures, deadlines |
//! | `checks.rs` | runs the learner's code and gathers evidence |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |

mod checks;
mod decide;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "first_success_wins",
        about: "the fastest mirror's file comes back the moment it arrives, wherever that mirror stands",
        run: checks::first_success_wins,
    },
    Check {
        name: "skips_failures",
        about: "a failed mirror does not end the race; all failed: AllFailed with the last error",
        run: checks::skips_failures,
    },
    Check {
        name: "losers_dropped",
        about: "every fetch still in flight is dropped the instant the race is decided",
        run: checks::losers_dropped,
    },
    Check {
        name: "deadline_exact",
        about: "no file in time: TimedOut at exactly the deadline, on the runtime's clock",
        run: checks::deadline_exact,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
