//! The one outcome type, and what a check decides.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::timeline::Timeline;

/// How a check ended, and (for the outcomes an exercise can have as a
/// whole) how an exercise stands. A closed set: every report handles every
/// case, and the compiler says so when one is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The right answer from the right model.
    Passed,
    /// The check ran and saw the wrong answer or the wrong model.
    Failed,
    /// The learner's code reached its `todo!()`.
    NotStarted,
    /// The crate (or its harness) did not compile.
    BuildError,
    /// The learner's code panicked.
    Panicked,
    /// The check did not finish before its deadline (a hang, a deadlock).
    TimedOut,
    /// The process died without a verdict: `process::exit`, an abort, a
    /// signal, a stack overflow.
    Crashed,
    /// The deciding evidence could not be gathered; the message says why.
    Inconclusive,
    /// Not run: an earlier check of the same exercise timed out, so this
    /// one would only hang again.
    Skipped,
}

impl Outcome {
    /// Every outcome, in the order reports explain them.
    pub const ALL: [Outcome; 9] = [
        Outcome::Passed,
        Outcome::Failed,
        Outcome::NotStarted,
        Outcome::BuildError,
        Outcome::Panicked,
        Outcome::TimedOut,
        Outcome::Crashed,
        Outcome::Inconclusive,
        Outcome::Skipped,
    ];

    /// The one label every human report uses for it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotStarted => "not started",
            Outcome::BuildError => "build error",
            Outcome::Panicked => "panicked",
            Outcome::TimedOut => "timed out",
            Outcome::Crashed => "crashed",
            Outcome::Inconclusive => "inconclusive",
            Outcome::Skipped => "skipped",
        }
    }

    /// Whether a check can decide it itself: passed, failed, inconclusive,
    /// or timed out when the grader's own watchdog saw the learner's code
    /// make no progress. The other outcomes are the supervisor's to give,
    /// from what it saw of the child process.
    pub fn is_decision(self) -> bool {
        matches!(
            self,
            Outcome::Passed | Outcome::Failed | Outcome::Inconclusive | Outcome::TimedOut
        )
    }
}

/// A check's decision with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Passed, failed or inconclusive (see [`Outcome::is_decision`]).
    pub outcome: Outcome,
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
        Self::with(Outcome::Passed, message)
    }

    /// A failure: what was observed, what was expected.
    pub fn fail(message: impl Into<String>) -> Self {
        Self::with(Outcome::Failed, message)
    }

    /// Evidence could not be gathered.
    pub fn inconclusive(message: impl Into<String>) -> Self {
        Self::with(Outcome::Inconclusive, message)
    }

    /// The learner's code stopped making progress and the grader ended the
    /// check early: the message says what it was stuck on.
    pub fn timed_out(message: impl Into<String>) -> Self {
        Self::with(Outcome::TimedOut, message)
    }

    fn with(outcome: Outcome, message: impl Into<String>) -> Self {
        Verdict {
            outcome,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels are distinct, so no two outcomes read alike in a report.
    #[test]
    fn every_outcome_has_its_own_label() {
        let mut labels: Vec<&str> = Outcome::ALL.iter().map(|o| o.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), Outcome::ALL.len());
    }

    /// A verdict's constructors give only outcomes a check may decide.
    #[test]
    fn constructors_give_decisions() {
        for verdict in [
            Verdict::pass("a"),
            Verdict::fail("b"),
            Verdict::inconclusive("c"),
            Verdict::timed_out("d"),
        ] {
            assert!(verdict.outcome.is_decision());
        }
        assert!(!Outcome::NotStarted.is_decision());
        assert!(!Outcome::Skipped.is_decision());
    }
}
