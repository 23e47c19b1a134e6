//! `checker list`: every exercise with its status and the overall progress,
//! from the last results. Nothing is built or run.

use std::io::Write;

use crate::cli::Config;
use crate::outcome::Status;
use crate::pipeline::source_key;
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW};
use crate::state::{self, Store};
use crate::subject;

/// What `list` knows of one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Graded from the current sources, with this status.
    Current(Status, usize, usize),
    /// Graded, but the sources (or grader) changed since.
    Stale(Status),
    /// Never graded.
    Unknown,
}

/// The status of every exercise of the catalogue, from the last results.
pub fn known(config: &Config) -> Vec<(crate::catalogue::Exercise, Known)> {
    let store = Store::new(&config.checker_dir);
    let saved = store.results(source_key(config.source));
    subject::resolve(config, &config.catalogue)
        .into_iter()
        .map(|s| {
            let known = match saved.get(&s.exercise.id) {
                None => Known::Unknown,
                Some(saved)
                    if saved.fingerprint
                        == state::fingerprint(&config.root, &s.dir, &s.exercise) =>
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
    let done = rows
        .iter()
        .filter(|(_, k)| matches!(k, Known::Current(Status::Passed, ..)))
        .count();
    let points: u32 = rows
        .iter()
        .filter(|(_, k)| matches!(k, Known::Current(Status::Passed, ..)))
        .map(|(e, _)| e.points)
        .sum();
    let max: u32 = rows.iter().map(|(e, _)| e.points).sum();
    for (exercise, known) in &rows {
        let (mark, style, text) = match known {
            Known::Current(Status::Passed, ..) => ("✓", GREEN, "done".to_string()),
            Known::Current(Status::NotStarted, ..) => ("…", YELLOW, "not started".to_string()),
            Known::Current(Status::BuildError, ..) => ("✗", RED, "does not compile".to_string()),
            Known::Current(Status::Failed, passed, total) => {
                ("✗", RED, format!("failing ({passed}/{total} checks pass)"))
            }
            Known::Stale(was) => (
                "~",
                YELLOW,
                format!(
                    "changed since last graded (was {}); grade it again",
                    describe(*was)
                ),
            ),
            Known::Unknown => ("·", DIM, "not graded yet".to_string()),
        };
        writeln!(
            out,
            "{style}{mark}{style:#} {BOLD}{:<24}{BOLD:#} {style}{text}{style:#}",
            exercise.label()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{BOLD}Progress: {done}/{} exercises, {points}/{max} points.{BOLD:#} {DIM}Grade with `cargo run -p checker`.{DIM:#}",
        rows.len()
    )?;
    Ok(true)
}

fn describe(status: Status) -> &'static str {
    match status {
        Status::Passed => "done",
        Status::NotStarted => "not started",
        Status::BuildError => "not compiling",
        Status::Failed => "failing",
    }
}
