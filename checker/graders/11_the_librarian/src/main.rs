//! Grader of exercise 11, the librarian.
//!
//! The learner's `run` is a whole server: it builds its runtime, binds
//! `127.0.0.1:0` and reports the address. The grader starts it once per
//! check on a thread of its own, with lab's catalogue (queries of about
//! 95 ms, on the real clock) and the CPU probe (slips of about 5 ms of CPU,
//! calibrated), then sends crowds of real loopback readers from its own
//! runtime on another thread. The checks prove the model:
//!
//! - `right_answers`: small crowds of edge shapes (one reader alone, 30
//!   readers with malformed slips and missing books, three slips on one
//!   connection, a slip that arrives in two pieces): every reply right and
//!   in order, every slip read once and asked once;
//! - `one_thread`: of a crowd of 250 readers at once, every slip read and
//!   every query ran on one OS thread;
//! - `waits_overlap`: in that crowd, no reader waited for another's query:
//!   of the queries
//!   during which other readers stood waiting, (almost) none was waited
//!   out with no slip read beside it;
//! - `a_thousand_readers`: the thousand all answered right, within twice
//!   the pace of one thread that never waits (its slips one after another,
//!   plus one query's wait) plus 0.5 s. Both sides are measured on the
//!   real clock, so a busy machine stretches the limit with the run.
//!
//! In every big crowd a watchdog cuts off a server far behind that pace
//! after about 2 s, rather than let a one-at-a-time server run for 100 s.
//!
//! A crowd in which nothing moves for 5 s ends the check as `timed_out`.
//! A crowd still on pace when the check's deadline nears (45 s, from the
//! catalogue, on a machine too busy to give the server's thread much of a
//! core) ends as `inconclusive`, never `failed`.
//! Nothing is left behind: the server lives in the check's process, which
//! ends after the verdict, and the supervisor kills its process group.
//!
//! | file | role |
//! |---|---|
//! | `main.rs` | the table of checks |
//! | `world.rs` | generated shelves and crowds; the calibrated cost of a slip |
//! | `library.rs` | starts the learner's server with the instruments (impure) |
//! | `crowd.rs` | real readers on loopback, and the watchdog (impure) |
//! | `checks.rs` | gathers the evidence of each check |
//! | `decide.rs` | pure decisions: evidence in, verdict out (unit-tested) |

mod checks;
mod crowd;
mod decide;
mod library;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_answers",
        about: "every reader gets the right reply to every line, in order, each slip read and asked once",
        run: checks::right_answers,
    },
    Check {
        name: "one_thread",
        about: "one OS thread serves a crowd of readers: every slip read and every query on it",
        run: checks::one_thread,
    },
    Check {
        name: "waits_overlap",
        about: "no reader waits for another's database query: the thread reads slips while queries wait",
        run: checks::waits_overlap,
    },
    Check {
        name: "a_thousand_readers",
        about: "a thousand readers at once, all answered, at the pace of one thread that never waits",
        run: checks::a_thousand_readers,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
