//! `checker hint [EXERCISE] [--all]`: the next hint each time it is asked.

use std::io::Write;

use crate::catalogue::Exercise;
use crate::cli::Config;
use crate::commands::list::{self, Known};
use crate::outcome::Outcome;
use crate::report::screen_width;
use crate::report::style::{BOLD, DIM, wrap};
use crate::state::Store;

/// The exercise a hint is wanted for: the one named, else the first that is
/// not known to pass.
pub fn target(config: &Config, named: Option<&Exercise>) -> Exercise {
    if let Some(exercise) = named {
        return exercise.clone();
    }
    list::known(config)
        .into_iter()
        .find(|(_, k)| !matches!(k, Known::Current(Outcome::Passed, ..)))
        .map(|(e, _)| e)
        .unwrap_or_else(|| config.catalogue[0].clone())
}

/// Prints the next hint (or all of them).
pub fn run(config: &Config, named: Option<&Exercise>, all: bool) -> anyhow::Result<bool> {
    let exercise = target(config, named);
    let store = Store::new(&config.checker_dir);
    let total = exercise.hints.len();
    let mut out = anstream::stdout();
    if all {
        writeln!(out, "{BOLD}Hints for {}:{BOLD:#}", exercise.label())?;
        for (i, hint) in exercise.hints.iter().enumerate() {
            let width = screen_width().map(|w| w.saturating_sub(3));
            for (j, line) in wrap(hint, width).iter().enumerate() {
                let number = if j == 0 {
                    format!("{}.", i + 1)
                } else {
                    String::new()
                };
                writeln!(out, "{number:<3}{line}")?;
            }
        }
        store.set_hints_shown(&exercise.id, total);
        return Ok(true);
    }
    let shown = store.hints_shown(&exercise.id);
    let index = shown.min(total.saturating_sub(1));
    writeln!(
        out,
        "{BOLD}Hint {} of {total} for {}:{BOLD:#}",
        index + 1,
        exercise.label()
    )?;
    for line in wrap(&exercise.hints[index], screen_width()) {
        writeln!(out, "{line}")?;
    }
    let next = if index + 1 < total {
        format!(
            "Ask again for the next one: `cargo run -p checker -- hint {}`.",
            exercise.number()
        )
    } else {
        "That was the last hint. The solution, with comments, is in solutions/ when you want it."
            .to_string()
    };
    writeln!(out, "{DIM}{next}{DIM:#}")?;
    store.set_hints_shown(&exercise.id, (shown + 1).min(total));
    Ok(true)
}
