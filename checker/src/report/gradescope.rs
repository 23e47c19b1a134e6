//! Gradescope's `results.json`, for its autograder
//! (`/autograder/results/results.json`).
//!
//! Each check is one test. Points come from the catalogue: an exercise's
//! points are split over its checks in whole points, the first checks
//! taking one more when they do not divide evenly (10 over 3 checks: 4, 3,
//! 3), and a check earns its share when it passes. So the tests' maximums
//! add up to the catalogue's points, the score is the sum of the tests'
//! scores, and a learner whose answer is right but whose model is wrong
//! keeps the points of the checks that passed. (The checker's own summary
//! is stricter: an exercise counts only when every check passed.) An
//! exercise that did not build has one test, `build`, worth all its points.

use std::io::Write;

use serde::Serialize;

use super::cap;
use super::json::{CheckJson, Document, ExerciseJson};
use crate::outcome::Outcome;

#[derive(Serialize)]
struct Results {
    score: f64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    stdout_visibility: &'static str,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    number: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
}

/// The whole points each of `checks` checks is worth out of `points`.
pub fn shares(points: u32, checks: usize) -> Vec<u32> {
    let Ok(n) = u32::try_from(checks) else {
        return vec![0; checks];
    };
    if n == 0 {
        return Vec::new();
    }
    (0..n)
        .map(|i| points / n + u32::from(i < points % n))
        .collect()
}

/// Writes `document` as Gradescope's `results.json`.
pub fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut tests = Vec::new();
    for (e, exercise) in document.exercises.iter().enumerate() {
        let shares = shares(exercise.max_points, exercise.checks.len());
        for (c, (check, share)) in exercise.checks.iter().zip(shares).enumerate() {
            let passed = check.outcome == Outcome::Passed;
            tests.push(Test {
                name: format!("{}: {}", exercise_label(exercise), check.name),
                number: format!("{}.{}", e + 1, c + 1),
                score: if passed { f64::from(share) } else { 0.0 },
                max_score: f64::from(share),
                status: if passed { "passed" } else { "failed" },
                output: output(check),
                output_format: "text",
                visibility: "visible",
            });
        }
    }
    let score = tests.iter().map(|t| t.score).sum();
    let summary = &document.summary;
    let results = Results {
        score,
        output: format!(
            "{} of {} {} passed every check (seed {}). Each check earns its share of its \
             exercise's points.",
            summary.passed,
            summary.exercises,
            if summary.exercises == 1 {
                "exercise"
            } else {
                "exercises"
            },
            document.seed
        ),
        output_format: "text",
        visibility: "visible",
        stdout_visibility: "hidden",
        tests,
    };
    serde_json::to_writer_pretty(&mut *out, &results)?;
    writeln!(out)
}

/// `02 Three fetches`.
fn exercise_label(exercise: &ExerciseJson<'_>) -> String {
    let number = exercise.id.split('_').next().unwrap_or(exercise.id);
    format!("{number} {}", exercise.title)
}

/// What the learner reads under a test: what it checks, how it ended and
/// why, and the end of what their code printed.
fn output(check: &CheckJson<'_>) -> String {
    let mut text = String::new();
    if !check.about.is_empty() {
        text.push_str(check.about);
        text.push_str("\n\n");
    }
    text.push_str(check.outcome.label());
    text.push_str(": ");
    text.push_str(check.message);
    for detail in check.details {
        text.push_str("\n  ");
        text.push_str(detail);
    }
    if let Some(printed) = check.output {
        text.push_str("\n\nWhat your code printed (its end):\n");
        text.push_str(&cap::tail(printed, cap::OUTPUT_CHARS));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::shares;

    /// Shares are whole points that add up to the exercise's points, the
    /// first checks taking the remainder.
    #[test]
    fn points_split_over_checks_add_up() {
        assert_eq!(shares(10, 3), [4, 3, 3]);
        assert_eq!(shares(10, 5), [2, 2, 2, 2, 2]);
        assert_eq!(shares(2, 3), [1, 1, 0]);
        assert_eq!(shares(7, 0), Vec::<u32>::new());
        for points in 0..40 {
            for checks in 1..9 {
                let split = shares(points, checks);
                assert_eq!(split.len(), checks);
                assert_eq!(split.iter().sum::<u32>(), points, "{points} over {checks}");
            }
        }
    }
}
