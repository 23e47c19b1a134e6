//! Grader of exercise 03, a thousand requests.
//!
//! The learner's `fetch_all(api, urls, limit)` runs against a simulated web
//! server on a current-thread tokio runtime whose clock is paused, so every
//! simulated wait is exact and a thousand of them take milliseconds of real
//! time. The checks prove the model:
//!
//! - `right_answer`: one result per URL, in input order, each error at its
//!   own position, every URL fetched exactly once; for a thousand URLs,
//!   none, one, fewer URLs than the limit, and errors at the ends;
//! - `bounded`: the most fetches in flight is exactly the limit (or the
//!   number of URLs, when smaller), for limits 1, 2, 7 and 1,000: never
//!   over it, and reached;
//! - `slots_kept_busy`: simulated time equals the makespan of `limit`
//!   slots kept busy, each taking the next URL the moment it frees (a list
//!   schedule computed for the generated latencies), within 1 ms per fetch
//!   a slot runs; waves of `limit` and slots held by finished fetches (as
//!   `buffered` does) are slower, unbounded code is faster;
//! - `one_thread`: every fetch ran on the runtime's own thread.
//!
//! A watchdog ends any check whose run stops making progress for 2 s of
//! real time (`timed_out`, saying what it saw), and the checker then skips
//! the others.
//!
//! | file | role |
//! |---|---|
//! | `main.rs` | the table of checks |
//! | `world.rs` | generated inputs: pages, latencies, which pages fail |
//! | `schedule.rs` | the list schedule, the run's use of its slots, the slot drawing |
//! | `checks.rs` | runs the learner's code and gathers evidence |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |

mod checks;
mod decide;
mod schedule;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_answer",
        about: "one result per URL, in input order, errors at their own positions, each URL fetched once",
        run: checks::right_answer,
    },
    Check {
        name: "bounded",
        about: "the most fetches in flight is exactly the limit: never over it, and reached",
        run: checks::bounded,
    },
    Check {
        name: "slots_kept_busy",
        about: "total time = the limit's slots kept busy: a free slot takes the next URL at once",
        run: checks::slots_kept_busy,
    },
    Check {
        name: "one_thread",
        about: "every fetch runs on the runtime's one thread",
        run: checks::one_thread,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
