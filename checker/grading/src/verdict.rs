//! What a check decides.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::timeline::Timeline;

/// The decision of a check that ran to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The behaviour matched the model.
    Passed,
    /// The behaviour did not match; the message says what was observed.
    Failed,
    /// The deciding evidence could not be gathered; the message says why.
    Inconclusive,
}

/// A check's decision with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Passed, failed or inconclusive.
    pub status: Status,
    /// One or two sentences: what was observed and, on failure, what was
    /// expected.
    pub message: String,
    /// Supporting measurements, one per line (speedups, counts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// The learner's run drawn as lanes over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Timeline>,
    /// Files written for the learner to look at (images).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<PathBuf>,
}

impl Verdict {
    /// A pass with a message saying what was seen.
    pub fn pass(message: impl Into<String>) -> Self {
        Self::with(Status::Passed, message)
    }

    /// A failure: what was observed, what was expected.
    pub fn fail(message: impl Into<String>) -> Self {
        Self::with(Status::Failed, message)
    }

    /// Evidence could not be gathered.
    pub fn inconclusive(message: impl Into<String>) -> Self {
        Self::with(Status::Inconclusive, message)
    }

    fn with(status: Status, message: impl Into<String>) -> Self {
        Verdict {
            status,
            message: message.into(),
            details: Vec::new(),
            timeline: None,
            artifacts: Vec::new(),
        }
    }

    /// Adds a line of supporting evidence.
    pub fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    /// Attaches a timeline.
    pub fn timeline(mut self, timeline: Timeline) -> Self {
        self.timeline = Some(timeline);
        self
    }

    /// Attaches files written for the learner.
    pub fn artifacts(mut self, paths: Vec<PathBuf>) -> Self {
        self.artifacts.extend(paths);
        self
    }

    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }
}
