//! # protocol: what crosses the process boundary
//!
//! The checker (the supervisor) starts one child process per check; the
//! child runs a grader linked with the learner's crate. Everything they say
//! to each other is defined here, in a crate that depends on serde alone,
//! so the supervisor links no tokio, rayon or png and never any learner
//! code.
//!
//! | module | what it holds |
//! |---|---|
//! | [`record`] | the sealed records a child appends to its record file, and the [`Key`] that seals them |
//! | [`verdict`] | the one [`Outcome`] type, and the [`Verdict`] a check decides |
//! | [`timeline`] | a learner's run as lanes of spans, which the reports draw |

#![warn(missing_docs)]

pub mod record;
pub mod timeline;
pub mod verdict;

pub use record::{CheckInfo, Key, Record};
pub use timeline::Timeline;
pub use verdict::{Outcome, Verdict};
