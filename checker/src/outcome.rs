//! Results: what grading found, per check and per exercise, and the
//! summary of a run. Every outcome is the protocol's one [`Outcome`] type.

use std::path::PathBuf;
use std::time::Duration;

pub use protocol::Outcome;
use protocol::Timeline;

use crate::catalogue::Exercise;

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

impl ExerciseResult {
    /// The exercise's status, for its one line in a report: passed when
    /// every check passed, not started when every check reached `todo!()`,
    /// a build error when it did not compile, and failed otherwise.
    pub fn status(&self) -> Outcome {
        status_of(self.checks.iter().map(|c| c.outcome))
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
        if self.status() == Outcome::Passed {
            self.exercise.points
        } else {
            0
        }
    }
}

/// An exercise's status from its checks' outcomes (see
/// [`ExerciseResult::status`]).
pub fn status_of(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
    let outcomes: Vec<Outcome> = outcomes.into_iter().collect();
    let all = |o: Outcome| !outcomes.is_empty() && outcomes.iter().all(|&c| c == o);
    if all(Outcome::Passed) {
        Outcome::Passed
    } else if all(Outcome::NotStarted) {
        Outcome::NotStarted
    } else if outcomes.contains(&Outcome::BuildError) {
        Outcome::BuildError
    } else {
        Outcome::Failed
    }
}

/// The totals of a run (or of `list`'s saved results): computed here once,
/// for every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Exercises counted.
    pub exercises: usize,
    /// Exercises whose every check passed.
    pub passed: usize,
    /// Points earned.
    pub points: u32,
    /// Points there are.
    pub max_points: u32,
}

impl Summary {
    /// Totals over `(exercise, its status)` pairs.
    pub fn of<'a>(rows: impl IntoIterator<Item = (&'a Exercise, Outcome)>) -> Self {
        let mut summary = Summary {
            exercises: 0,
            passed: 0,
            points: 0,
            max_points: 0,
        };
        for (exercise, status) in rows {
            summary.exercises += 1;
            summary.max_points += exercise.points;
            if status == Outcome::Passed {
                summary.passed += 1;
                summary.points += exercise.points;
            }
        }
        summary
    }

    /// Totals of graded results.
    pub fn of_results(results: &[ExerciseResult]) -> Self {
        Summary::of(results.iter().map(|r| (&r.exercise, r.status())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercise status table: all passed, all not started, any build
    /// error, and everything else failed.
    #[test]
    fn exercise_status_follows_its_checks() {
        use Outcome::*;
        assert_eq!(status_of([Passed, Passed]), Passed);
        assert_eq!(status_of([NotStarted, NotStarted]), NotStarted);
        assert_eq!(status_of([NotStarted, Passed]), Failed);
        assert_eq!(status_of([BuildError]), BuildError);
        assert_eq!(status_of([Passed, Inconclusive]), Failed);
        assert_eq!(status_of([]), Failed);
    }
}
