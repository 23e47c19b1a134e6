//! Grader of exercise 08, two librarians.
//!
//! The learner's `count_words` counts the words of a shelf of books with a
//! given number of librarians, splitting the shelf by hand over threads of
//! their own (`std::thread::scope`; no rayon). Every book is read through
//! `lab::library::read`, which logs, while a probe is installed, the book
//! (its number and its shelf), the thread that read it, the CPU time that
//! thread spent on it and when it started and ended. The checks prove the
//! model:
//!
//! - `right_count`: on eleven shelves (the default, sizes that do not
//!   divide by the librarians, tiny and empty shelves, more librarians than
//!   books, one librarian and zero), the count equals one librarian's, and
//!   each book was read exactly once;
//! - `threads_follow_librarians`: with 1, 2, 3 and 5 librarians, and with
//!   3 on a longer shelf, exactly that many threads read books: not one
//!   thread, not a thread per book, not a number fixed in the code or
//!   taken from the cores;
//! - `fair_shares`: with 2, 3 and 5 librarians, each thread did a fair
//!   part of the reading, in its own CPU time inside `read` (which stays
//!   fair on a busy machine, where wall-clock speedups do not);
//! - `side_by_side`: in an ordinary run, two librarians were inside `read`
//!   at the same instant. A held run (a rendezvous: the first read waits
//!   for a second thread) then tells threads that take turns from threads
//!   joined one by one or behind a lock; it never passes a run by itself.
//!
//! A watchdog ends any run that stops making progress (no read started or
//! finished for 2 s, or far more reads than books) as `timed_out`, so a
//! hanging submission is graded in seconds.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the shelves and the figures the checks run with |
//! | `checks.rs` | runs the learner's code, gathers the evidence (impure) |
//! | `decide.rs` | evidence in, verdict out (pure, unit-tested) |
//! | `picture.rs` | `shelf.png` |
//!
//! The number of librarians is a parameter, not the machine's cores, so
//! every check means the same on a laptop with two cores, a server with
//! sixteen, or one core.

mod checks;
mod decide;
mod picture;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_count",
        about: "on eleven shelves, the count equals one librarian's, each book read exactly once",
        run: checks::right_count,
    },
    Check {
        name: "threads_follow_librarians",
        about: "with 1, 2, 3 and 5 librarians, exactly that many threads read the books",
        run: checks::threads_follow_librarians,
    },
    Check {
        name: "fair_shares",
        about: "with 2, 3 and 5 librarians, each thread does a fair part of the reading",
        run: checks::fair_shares,
    },
    Check {
        name: "side_by_side",
        about: "in an ordinary run, two librarians read at the same instant on two threads",
        run: checks::side_by_side,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
