//! Outcomes: a closed set. Every report handles every case, and the compiler
//! says so when one is added.

use std::path::PathBuf;
use std::time::Duration;

use grading::timeline::Timeline;
use serde::{Deserialize, Serialize};

use crate::catalogue::Exercise;

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

impl Outcome {
    /// How reports write it.
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotStarted => "not started",
            Outcome::BuildError => "build error",
            Outcome::Panicked => "panicked",
            Outcome::TimedOut => "timed out",
            Outcome::Crashed => "crashed",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The check's name, such as `overlapping_waits`.
    pub name: String,
    /// What it establishes.
    pub about: String,
    /// How it ended.
    pub outcome: Outcome,
    /// What was observed (and expected, when it did not pass).
    pub message: String,
    /// Supporting evidence.
    pub details: Vec<String>,
    /// The learner's run, drawn.
    pub timeline: Option<Timeline>,
    /// Files written for the learner.
    pub artifacts: Vec<PathBuf>,
    /// The end of what the child printed, for outcomes where it helps
    /// (panics, crashes). Never parsed.
    pub output: Option<String>,
    /// Real time the check took.
    pub duration: Duration,
}

impl CheckResult {
    /// A result with only an outcome and a message.
    pub fn bare(name: &str, outcome: Outcome, message: impl Into<String>) -> Self {
        CheckResult {
            name: name.to_string(),
            about: String::new(),
            outcome,
            message: message.into(),
            details: Vec::new(),
            timeline: None,
            artifacts: Vec::new(),
            output: None,
            duration: Duration::ZERO,
        }
    }
}

/// One exercise's results.
#[derive(Debug, Clone)]
pub struct ExerciseResult {
    /// The exercise.
    pub exercise: Exercise,
    /// The crate that was graded, relative to the root where possible.
    pub subject: PathBuf,
    /// Its checks' results, in the grader's order.
    pub checks: Vec<CheckResult>,
}

/// The summary of an exercise, for its one line in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every check passed.
    Passed,
    /// Every check reached `todo!()`.
    NotStarted,
    /// It did not compile.
    BuildError,
    /// Some check did not pass.
    Failed,
}

impl ExerciseResult {
    /// The exercise's summary status.
    pub fn status(&self) -> Status {
        let all =
            |o: Outcome| !self.checks.is_empty() && self.checks.iter().all(|c| c.outcome == o);
        if all(Outcome::Passed) {
            Status::Passed
        } else if all(Outcome::NotStarted) {
            Status::NotStarted
        } else if self.checks.iter().any(|c| c.outcome == Outcome::BuildError) {
            Status::BuildError
        } else {
            Status::Failed
        }
    }

    /// Checks that passed.
    pub fn passed(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.outcome == Outcome::Passed)
            .count()
    }

    /// Points earned: all or nothing.
    pub fn points(&self) -> u32 {
        if self.status() == Status::Passed {
            self.exercise.points
        } else {
            0
        }
    }
}
