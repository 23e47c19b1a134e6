//! The records a check's child process sends to the supervisor.
//!
//! The supervisor passes the path of a fresh file and a random nonce through
//! the environment. The harness reads both, removes them from the environment
//! before any learner code runs, and appends one JSON record per line. The
//! supervisor ignores any line without the nonce. Nothing the learner's code
//! prints on stdout or stderr is ever parsed, so printing a fake "passed"
//! record achieves nothing.

use serde::{Deserialize, Serialize};

use crate::verdict::Verdict;

/// Environment variable holding the record file's path.
pub const ENV_RECORD: &str = "CHECKER_RECORD_FILE";
/// Environment variable holding the nonce every record must carry.
pub const ENV_NONCE: &str = "CHECKER_NONCE";
/// Environment variable holding the run's seed.
pub const ENV_SEED: &str = "CHECKER_SEED";
/// Environment variable holding the folder for images and other artifacts.
pub const ENV_ARTIFACTS: &str = "CHECKER_ARTIFACTS";
/// Environment variable holding the check's deadline in milliseconds.
pub const ENV_DEADLINE_MS: &str = "CHECKER_DEADLINE_MS";

/// One line of the record file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// Must equal the nonce the supervisor handed out.
    pub nonce: String,
    /// What happened.
    pub event: Event,
}

/// What a record reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The checks this harness knows, in order (answer to `--list`).
    Checks {
        /// Name and description of each check.
        checks: Vec<CheckInfo>,
    },
    /// A panic somewhere in the process (the check may still finish).
    Panic {
        /// The panic's message.
        message: String,
        /// Where it was raised, as `file:line`.
        location: Option<String>,
    },
    /// The check finished and decided.
    Verdict(Verdict),
    /// The child's own watchdog saw the deadline pass.
    DeadlineReached,
}

/// A check, as listed by a harness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// Short identifier, such as `overlapping_waits`.
    pub name: String,
    /// One sentence: what the check establishes.
    pub about: String,
}
