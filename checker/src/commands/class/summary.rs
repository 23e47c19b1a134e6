//! What a teacher reads after a deadline, computed from the learners'
//! reports: the grid of who passed what, and the checks that failed most
//! with their most common diagnoses. The HTML page and the CSV file are two
//! renderings of this one summary.

use std::collections::HashMap;

use super::load::{Check, Exercise, Learner};

/// The whole class.
#[derive(Debug)]
pub struct Class<'a> {
    /// The learners, in the order their reports were given.
    pub learners: &'a [Learner],
    /// The exercises graded for anyone, in the order the reports list them.
    pub columns: Vec<Column>,
    /// The checks that did not pass, most often first.
    pub failures: Vec<Failure>,
}

/// One exercise of the grid.
#[derive(Debug, Clone)]
pub struct Column {
    /// `02_three_fetches`.
    pub id: String,
    /// `Three fetches`.
    pub title: String,
    /// Points there are (the largest any report says, should they differ).
    pub max_points: u64,
    /// Its checks, in the grader's order.
    pub checks: Vec<String>,
    /// Learners whose every check passed.
    pub passed: usize,
    /// Learners graded on it.
    pub graded: usize,
}

/// A check that did not pass for some learners.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The exercise.
    pub exercise: String,
    /// The check.
    pub check: String,
    /// Learners it failed for.
    pub count: usize,
    /// Learners who reached it (every outcome but `not_started`,
    /// `build_error` and `skipped`).
    pub reached: usize,
    /// Its diagnoses, most common first.
    pub diagnoses: Vec<Diagnosis>,
}

/// Diagnoses that read the same once their numbers are set aside.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The outcome: `failed`, `timed_out`, `panicked`, ...
    pub outcome: String,
    /// The first message seen, verbatim.
    pub example: String,
    /// How many learners got it.
    pub count: usize,
    /// Who, in report order.
    pub learners: Vec<String>,
}

/// Outcomes that say the learner's attempt was wrong. Not counted:
/// `passed`, `not_started` (nothing to fix yet), `build_error` (one per
/// exercise, shown in the grid) and `skipped` (not run).
const FAILING: [&str; 5] = ["failed", "panicked", "timed_out", "crashed", "inconclusive"];

/// Outcomes of a check that was never really run on the learner's answer.
const NOT_REACHED: [&str; 3] = ["not_started", "build_error", "skipped"];

/// How many diagnoses each failing check lists.
pub const DIAGNOSES_SHOWN: usize = 3;

impl<'a> Class<'a> {
    /// Summarises `learners`.
    pub fn of(learners: &'a [Learner]) -> Self {
        let mut columns: Vec<Column> = Vec::new();
        for exercise in learners.iter().flat_map(|l| &l.exercises) {
            let at = match columns.iter().position(|c| c.id == exercise.id) {
                Some(at) => at,
                None => {
                    columns.push(Column {
                        id: exercise.id.clone(),
                        title: exercise.title.clone(),
                        max_points: 0,
                        checks: Vec::new(),
                        passed: 0,
                        graded: 0,
                    });
                    columns.len() - 1
                }
            };
            let column = &mut columns[at];
            column.max_points = column.max_points.max(exercise.max_points);
            column.graded += 1;
            column.passed += usize::from(exercise.status == "passed");
            for check in &exercise.checks {
                if !column.checks.contains(&check.name) {
                    column.checks.push(check.name.clone());
                }
            }
        }
        let failures = failures(learners, &columns);
        Class {
            learners,
            columns,
            failures,
        }
    }

    /// `learner`'s result for the exercise `id`, if graded.
    pub fn cell<'l>(&self, learner: &'l Learner, id: &str) -> Option<&'l Exercise> {
        learner.exercises.iter().find(|e| e.id == id)
    }

    /// Points there are in every column.
    pub fn max_points(&self) -> u64 {
        self.columns.iter().map(|c| c.max_points).sum()
    }
}

/// Points a learner earned over every exercise graded.
pub fn points(learner: &Learner) -> u64 {
    learner.exercises.iter().map(|e| e.points).sum()
}

/// The check `name` of `exercise`, if it ran.
pub fn check<'e>(exercise: &'e Exercise, name: &str) -> Option<&'e Check> {
    exercise.checks.iter().find(|c| c.name == name)
}

fn failures(learners: &[Learner], columns: &[Column]) -> Vec<Failure> {
    let mut out = Vec::new();
    for column in columns {
        for name in &column.checks {
            let mut failure = Failure {
                exercise: column.id.clone(),
                check: name.clone(),
                count: 0,
                reached: 0,
                diagnoses: Vec::new(),
            };
            let mut by_shape: HashMap<(String, String), usize> = HashMap::new();
            for learner in learners {
                let Some(check) = learner
                    .exercises
                    .iter()
                    .find(|e| e.id == column.id)
                    .and_then(|e| check(e, name))
                else {
                    continue;
                };
                if NOT_REACHED.contains(&check.outcome.as_str()) {
                    continue;
                }
                failure.reached += 1;
                if !FAILING.contains(&check.outcome.as_str()) {
                    continue;
                }
                failure.count += 1;
                let key = (check.outcome.clone(), shape(&check.message));
                let at = *by_shape.entry(key).or_insert_with(|| {
                    failure.diagnoses.push(Diagnosis {
                        outcome: check.outcome.clone(),
                        example: check.message.clone(),
                        count: 0,
                        learners: Vec::new(),
                    });
                    failure.diagnoses.len() - 1
                });
                failure.diagnoses[at].count += 1;
                failure.diagnoses[at].learners.push(learner.name.clone());
            }
            if failure.count > 0 {
                // Stable: equal counts keep the order first seen.
                failure
                    .diagnoses
                    .sort_by_key(|d| std::cmp::Reverse(d.count));
                out.push(failure);
            }
        }
    }
    // Stable: equal counts keep the catalogue's order.
    out.sort_by_key(|f| std::cmp::Reverse(f.count));
    out
}

/// A diagnosis with its numbers set aside, so that "3 fetches in flight"
/// and "5 fetches in flight" count as one diagnosis.
pub fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_number = false;
    for c in message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn learner(name: &str, checks: &[(&str, &str, &str)]) -> Learner {
        let status = if checks.iter().all(|(_, o, _)| *o == "passed") {
            "passed"
        } else {
            "failed"
        };
        Learner {
            name: name.into(),
            file: PathBuf::from(format!("{name}.json")),
            exercises: vec![Exercise {
                id: "02_three_fetches".into(),
                title: "Three fetches".into(),
                status: status.into(),
                points: if status == "passed" { 10 } else { 0 },
                max_points: 10,
                checks: checks
                    .iter()
                    .map(|(n, o, m)| Check {
                        name: n.to_string(),
                        outcome: o.to_string(),
                        message: m.to_string(),
                    })
                    .collect(),
            }],
        }
    }

    /// The check that failed most comes first; its diagnoses are grouped
    /// by shape (numbers aside) and the most common is first; learners who
    /// never started do not count as failing.
    #[test]
    fn the_most_failed_check_comes_first_with_its_common_diagnosis() {
        let learners = vec![
            learner(
                "ann",
                &[("a", "failed", "took 300 ms"), ("b", "failed", "blocked")],
            ),
            learner("bob", &[("a", "passed", ""), ("b", "failed", "blocked")]),
            learner("cy", &[("a", "passed", ""), ("b", "timed_out", "hung")]),
            learner(
                "dee",
                &[("a", "failed", "took 200 ms"), ("b", "failed", "blocked")],
            ),
            learner(
                "eve",
                &[("a", "not_started", "todo"), ("b", "not_started", "todo")],
            ),
        ];
        let class = Class::of(&learners);
        assert_eq!(class.columns.len(), 1);
        assert_eq!(class.columns[0].checks, ["a", "b"]);
        assert_eq!((class.columns[0].passed, class.columns[0].graded), (0, 5));
        let order: Vec<(&str, usize, usize)> = class
            .failures
            .iter()
            .map(|f| (f.check.as_str(), f.count, f.reached))
            .collect();
        assert_eq!(order, [("b", 4, 4), ("a", 2, 4)]);
        let b = &class.failures[0].diagnoses;
        assert_eq!((b[0].example.as_str(), b[0].count), ("blocked", 3));
        assert_eq!(b[0].learners, ["ann", "bob", "dee"]);
        assert_eq!((b[1].outcome.as_str(), b[1].count), ("timed_out", 1));
        let a = &class.failures[1].diagnoses;
        assert_eq!(a.len(), 1, "took 300 ms and took 200 ms are one diagnosis");
        assert_eq!((a[0].example.as_str(), a[0].count), ("took 300 ms", 2));
    }

    /// A class where everyone passed has no failing check.
    #[test]
    fn everyone_passing_lists_no_failure() {
        let learners = vec![learner("ann", &[("a", "passed", "ok")])];
        let class = Class::of(&learners);
        assert!(class.failures.is_empty());
        assert_eq!(class.columns[0].passed, 1);
        assert_eq!(points(&learners[0]), 10);
    }

    #[test]
    fn numbers_are_set_aside_in_a_shape() {
        assert_eq!(
            shape("3 in flight,  expected 4.5 s"),
            "# in flight, expected # s"
        );
        assert_eq!(shape("no numbers"), "no numbers");
    }
}
