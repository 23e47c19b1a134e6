//! `checker list`: every exercise with its status and the overall progress,
//! from the last results. Nothing is built or run.

use std::io::Write;

use crate::cli::Config;
use crate::outcome::{Outcome, Summary};
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW};
use crate::state::{self, Store};
use crate::subject;

/// What `list` knows of one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Graded from the current sources, with this status.
    Current(Outcome, usize, usize),
    /// Graded, but the sources (or grader) changed since.
    Stale(Outcome),
    /// Never graded.
    Unknown,
}

/// The status of every exercise of the catalogue, from the last results.
pub fn known(config: &Config) -> Vec<(crate::catalogue::Exercise, Known)> {
    let store = Store::new(&config.checker_dir);
    let saved = store.results(config.source.folder());
    subject::resolve(config, &config.catalogue)
        .into_iter()
        .map(|s| {
            let known = match saved.get(&s.exercise.id) {
                None => Known::Unknown,
                Some(saved)
                    if saved.fingerprint
                        == state::fingerprint(
                            &config.root,
                            &config.graders,
                            &s.dir,
                            &s.exercise,
                        ) =>
                {
                    Known::Current(saved.status, saved.passed, saved.total)
                }
                Some(saved) => Known::Stale(saved.status),
            };
            (s.exercise, known)
        })
        .collect()
}

/// Prints the list.
pub fn run(config: &Config) -> anyhow::Result<bool> {
    let rows = known(config);
    let mut out = anstream::stdout();
    // Only a result graded from the current sources counts as done.
    let summary = Summary::of(rows.iter().map(|(e, known)| match known {
        Known::Current(status, ..) => (e, *status),
        Known::Stale(_) | Known::Unknown => (e, Outcome::NotStarted),
    }));
    let width = crate::catalogue::LABEL_WIDTH;
    for (exercise, known) in &rows {
        let (mark, style, text) = match known {
            Known::Current(Outcome::Passed, ..) => ("✓", GREEN, Outcome::Passed.label().into()),
            Known::Current(Outcome::NotStarted, ..) => {
                ("…", YELLOW, Outcome::NotStarted.label().into())
            }
            Known::Current(Outcome::BuildError, ..) => {
                ("✗", RED, Outcome::BuildError.label().into())
            }
            Known::Current(status, passed, total) => (
                "✗",
                RED,
                format!("{} ({passed}/{total} checks pass)", status.label()),
            ),
            Known::Stale(was) => (
                "~",
                YELLOW,
                format!(
                    "changed since last graded (was {}); grade it again",
                    was.label()
                ),
            ),
            Known::Unknown => ("·", DIM, "not graded yet".to_string()),
        };
        writeln!(
            out,
            "{style}{mark}{style:#} {BOLD}{:<width$}{BOLD:#} {style}{text}{style:#}",
            exercise.label()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{BOLD}Progress: {}/{} exercises, {}/{} points.{BOLD:#} {DIM}Grade with `cargo run -p checker`.{DIM:#}",
        summary.passed, summary.exercises, summary.points, summary.max_points
    )?;
    Ok(true)
}
