//! `--repeat N`: grades the same crates N times and reports every check
//! whose outcome changed between runs.
//!
//! A verdict must depend on the code, never on the machine's mood: the
//! same submission with the same seed gets the same outcome on a quiet
//! laptop and on a CI runner with other jobs. This is how that promise is
//! measured. The first run is reported as usual; the others run quietly,
//! one progress line each, and the tally is printed at the end.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use crate::cli::Config;
use crate::outcome::{ExerciseResult, Outcome};
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW};
use crate::report::{Event, Reporter};

/// Every outcome one check had, run by run, and the first message of each
/// outcome (to show why the odd ones out came out as they did).
#[derive(Debug, Default)]
struct Seen {
    outcomes: Vec<Outcome>,
    messages: BTreeMap<&'static str, String>,
}

/// The outcomes of every check, by exercise and check, in grading order.
#[derive(Debug, Default)]
pub struct Tally {
    checks: Vec<((String, String), Seen)>,
}

impl Tally {
    /// Adds one run's results.
    pub fn add(&mut self, results: &[ExerciseResult]) {
        for result in results {
            for check in &result.checks {
                let key = (result.exercise.id.clone(), check.name.clone());
                let index = match self.checks.iter().position(|(k, _)| *k == key) {
                    Some(index) => index,
                    None => {
                        self.checks.push((key, Seen::default()));
                        self.checks.len() - 1
                    }
                };
                let seen = &mut self.checks[index].1;
                seen.outcomes.push(check.outcome);
                seen.messages
                    .entry(check.outcome.label())
                    .or_insert_with(|| check.message.clone());
            }
        }
    }

    /// The checks whose outcome was not the same in every run, each with
    /// how often it had each outcome and the first message of each.
    pub fn changed(&self) -> Vec<Changed> {
        self.checks
            .iter()
            .filter(|(_, seen)| seen.outcomes.windows(2).any(|w| w[0] != w[1]))
            .map(|((exercise, check), seen)| {
                let mut counts: Vec<(Outcome, usize)> = Vec::new();
                for outcome in &seen.outcomes {
                    match counts.iter_mut().find(|(o, _)| o == outcome) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((*outcome, 1)),
                    }
                }
                counts.sort_by_key(|c| std::cmp::Reverse(c.1));
                let messages = counts
                    .iter()
                    .map(|(o, _)| seen.messages[o.label()].clone())
                    .collect();
                Changed {
                    exercise: exercise.clone(),
                    check: check.clone(),
                    counts,
                    messages,
                }
            })
            .collect()
    }

    /// How many checks were tallied.
    pub fn len(&self) -> usize {
        self.checks.len()
    }
}

/// A check whose outcome changed between runs.
#[derive(Debug)]
pub struct Changed {
    /// Its exercise's id.
    pub exercise: String,
    /// Its name.
    pub check: String,
    /// Each outcome it had and how often, the most frequent first.
    pub counts: Vec<(Outcome, usize)>,
    /// The first message of each of those outcomes, in the same order.
    pub messages: Vec<String>,
}

impl Changed {
    /// `passed 49, inconclusive 1`.
    pub fn counts_text(&self) -> String {
        self.counts
            .iter()
            .map(|(o, n)| format!("{} {n}", o.label()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Runs `grade` another `config.repeat - 1` times after the `first`
/// results, then prints which checks changed. `Ok(true)` when none did.
pub fn again(
    config: &Config,
    first: Vec<ExerciseResult>,
    mut grade: impl FnMut(&mut dyn Reporter) -> Result<Vec<ExerciseResult>>,
) -> Result<bool> {
    let mut tally = Tally::default();
    tally.add(&first);
    let mut err = anstream::stderr();
    for run in 2..=config.repeat {
        if crate::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        let results = grade(&mut Quiet)?;
        tally.add(&results);
        let checks: usize = results.iter().map(|r| r.checks.len()).sum();
        let passed: usize = results.iter().map(ExerciseResult::passed).sum();
        let _ = writeln!(
            err,
            "{DIM}run {run} of {}: {passed} of {checks} checks passed{DIM:#}",
            config.repeat
        );
    }
    let changed = tally.changed();
    let mut out = anstream::stdout();
    writeln!(
        out,
        "\n{BOLD}Stability:{BOLD:#} {} runs of {} checks, seed {}.",
        config.repeat,
        tally.len(),
        config.seed
    )?;
    if changed.is_empty() {
        writeln!(
            out,
            "{GREEN}Every check had the same outcome in every run.{GREEN:#}"
        )?;
        return Ok(true);
    }
    writeln!(
        out,
        "{RED}{} changed between runs:{RED:#}",
        if changed.len() == 1 {
            "1 check".to_string()
        } else {
            format!("{} checks", changed.len())
        }
    )?;
    for check in &changed {
        writeln!(
            out,
            "  {YELLOW}changed{YELLOW:#} {} {}: {}",
            check.exercise,
            check.check,
            check.counts_text()
        )?;
        for ((outcome, _), message) in check.counts.iter().zip(&check.messages) {
            writeln!(out, "    {DIM}{}: {message}{DIM:#}", outcome.label())?;
        }
    }
    Ok(false)
}

/// Reports nothing: the repeated runs speak only through the tally.
struct Quiet;

impl Reporter for Quiet {
    fn report(&mut self, _: &Event<'_>) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::CheckResult;

    fn run(outcomes: &[(&str, Outcome)]) -> Vec<ExerciseResult> {
        let exercise = crate::catalogue::Exercise {
            id: "06_blur_in_parallel".into(),
            title: "Blur in parallel".into(),
            model: String::new(),
            points: 10,
            timeout_hint: String::new(),
            timeout: None,
            hints: Vec::new(),
        };
        vec![ExerciseResult {
            exercise,
            subject: "solutions/06_blur_in_parallel".into(),
            checks: outcomes
                .iter()
                .map(|(name, o)| CheckResult::bare(name, *o, format!("{name} was {}", o.label())))
                .collect(),
        }]
    }

    /// The same outcome every time is stable; one odd run out is named,
    /// with its count and its message.
    #[test]
    fn a_changed_outcome_is_named_with_its_counts() {
        let mut tally = Tally::default();
        for i in 0..5 {
            let shared = if i == 3 {
                Outcome::Inconclusive
            } else {
                Outcome::Passed
            };
            tally.add(&run(&[
                ("same_pixels", Outcome::Passed),
                ("work_shared", shared),
                ("simultaneous", Outcome::Failed),
            ]));
        }
        assert_eq!(tally.len(), 3);
        let changed = tally.changed();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0].check, "work_shared");
        assert_eq!(changed[0].counts_text(), "passed 4, inconclusive 1");
        assert_eq!(
            changed[0].messages,
            ["work_shared was passed", "work_shared was inconclusive"]
        );
    }

    /// A check that always fails the same way is stable: stability is
    /// about changes, not about passing.
    #[test]
    fn the_same_failure_every_time_is_stable() {
        let mut tally = Tally::default();
        for _ in 0..3 {
            tally.add(&run(&[("simultaneous", Outcome::Failed)]));
        }
        assert!(tally.changed().is_empty());
    }
}
