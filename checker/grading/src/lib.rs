//! # grading: the inside of a check
//!
//! Each grader (`checker/graders/NN_name/`, a crate of this workspace) is
//! compiled together with the crate it grades into one harness executable.
//! The supervisor starts that executable once per check, in a child process
//! of its own. This crate is what runs in the child:
//!
//! | module | role |
//! |---|---|
//! | [`catch`] | learner code run on one input at a time, a panic caught with the input it happened on |
//! | [`draw`] | boxes and digits for the pictures graders write |
//! | [`harness`] | the child's `main`: reads its orders, runs one check, sends the sealed verdict, exits |
//! | [`observe`] | running learner code under the instruments: a paused async runtime, a CPU probe |
//! | [`overlap`] | how many threads (photos, jobs) were at work at the same instant |
//! | [`timeline`] | timelines of the learner's run, built from lab's records |
//! | [`runtime_panics`] | the checker's explanation of panics the async runtime raises itself |
//! | [`sandbox`] | what the child shuts itself into before learner code runs (Landlock on Linux) |
//!
//! The types that travel to the supervisor (records, verdicts, timelines)
//! are the `protocol` crate's, re-exported here for graders.

#![warn(missing_docs)]

pub mod catch;
pub mod draw;
pub mod harness;
pub mod observe;
pub mod overlap;
pub mod runtime_panics;
pub mod sandbox;
pub mod timeline;

pub use harness::{Check, Ctx};
pub use protocol::{Outcome, Verdict};

/// Formats a duration as whole milliseconds, the unit the reports speak.
pub fn ms(duration: std::time::Duration) -> String {
    format!("{} ms", duration.as_millis())
}
