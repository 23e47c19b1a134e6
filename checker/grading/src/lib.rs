//! # grading: the inside of a check
//!
//! Each grader (`checker/graders/*.rs`) is compiled together with the crate it
//! grades into one harness executable. The supervisor starts that executable
//! once per check, in a child process of its own. This crate is what runs in
//! the child:
//!
//! | module | role |
//! |---|---|
//! | [`protocol`] | the records the child sends the supervisor, over a file the supervisor owns (never stdout) |
//! | [`harness`] | the child's `main`: reads its orders, runs one check, reports, exits |
//! | [`verdict`] | what a check decides: passed, failed or inconclusive, with a message and evidence |
//! | [`timeline`] | timelines of the learner's run, as data the reports draw |
//! | [`observe`] | running learner code under the instruments: a paused async runtime, a CPU probe |

#![warn(missing_docs)]

pub mod harness;
pub mod observe;
pub mod protocol;
pub mod timeline;
pub mod verdict;

pub use harness::{Check, Ctx};
pub use verdict::Verdict;

/// Formats a duration as whole milliseconds, the unit the reports speak.
pub fn ms(duration: std::time::Duration) -> String {
    format!("{} ms", duration.as_millis())
}
