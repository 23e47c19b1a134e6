//! Running learner code under the instruments.
//!
//! [`run_paused`] runs an async body on a current-thread tokio runtime with a
//! paused clock, a heartbeat and a poll timer; [`run_probed`] runs CPU work
//! with a kernel probe installed; [`realtime`] has the instruments for async
//! code on the real clock (a heartbeat that reads the worker's busy time). Both return everything a check needs to
//! decide, so graders stay short: set up the world, run, gather evidence,
//! and hand it to a pure decision.

mod paused;
mod probed;
pub mod realtime;

pub use paused::{AsyncRun, Hang, Paused, Stuck, run_paused};
pub use probed::{CpuRun, ThreadShare, run_probed};
