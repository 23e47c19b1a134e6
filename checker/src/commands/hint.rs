//! `checker hint [EXERCISE] [--all]`: the next hint each time it is asked.
//!
//! Hints answer the check that failed: the next one shown is the first
//! unseen hint that names the first failing check of the last result (then
//! the next failing check), and only when there is none, the next unseen
//! hint in the catalogue's order.

use std::io::Write;

use crate::catalogue::{Exercise, Hint};
use crate::cli::{Config, Mode};
use crate::commands::list::{self, Known};
use crate::outcome::Outcome;
use crate::report::screen_width;
use crate::report::style::{BOLD, DIM, wrap};
use crate::state::Store;

/// Said by `hint` without an exercise when every exercise passes.
const ALL_PASS: &str = "Every exercise passes: there is nothing left to hint at.";

/// The exercise a hint is wanted for: the one named, else the first that is
/// not known to pass; `None` when every exercise passes.
pub fn target(config: &Config, named: Option<&Exercise>) -> Option<Exercise> {
    if let Some(exercise) = named {
        return Some(exercise.clone());
    }
    list::known(config)
        .into_iter()
        .find(|(_, k)| !matches!(k, Known::Current(Outcome::Passed, ..)))
        .map(|(e, _)| e)
}

/// The hint to show next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// Its index in the exercise's hints.
    pub index: usize,
    /// The failing check it was picked for, if it was.
    pub for_check: Option<String>,
    /// Whether it had been shown before (every hint has).
    pub repeated: bool,
}

/// Picks the next hint: the first unseen one that helps with the first
/// failing check, else with the next failing check, and so on; else the
/// first unseen one in order. When every hint was seen, the one for the
/// first failing check is shown again, else the last. `None` only when
/// there are no hints.
pub fn pick(hints: &[Hint], seen: &[usize], failing: &[String]) -> Option<Pick> {
    let unseen: Vec<usize> = (0..hints.len()).filter(|i| !seen.contains(i)).collect();
    let repeated = unseen.is_empty();
    for check in failing {
        if let Some(&index) = unseen.iter().find(|i| hints[**i].helps_with(check)) {
            return Some(Pick {
                index,
                for_check: Some(check.clone()),
                repeated,
            });
        }
    }
    if let Some(&index) = unseen.first() {
        return Some(Pick {
            index,
            for_check: None,
            repeated,
        });
    }
    let first_failing = failing.first();
    let again = first_failing.and_then(|check| hints.iter().position(|h| h.helps_with(check)));
    match again {
        Some(index) => Some(Pick {
            index,
            for_check: first_failing.cloned(),
            repeated,
        }),
        None => Some(Pick {
            index: hints.len().checked_sub(1)?,
            for_check: None,
            repeated,
        }),
    }
}

/// Prints the next hint (or all of them).
pub fn run(config: &Config, named: Option<&Exercise>, all: bool) -> anyhow::Result<bool> {
    let mut out = anstream::stdout();
    let Some(exercise) = target(config, named) else {
        let example = config.catalogue[0].number();
        writeln!(out, "{BOLD}{ALL_PASS}{BOLD:#}")?;
        writeln!(
            out,
            "To read an exercise's hints anyway, name it: `cargo run -p checker -- hint {example} --all`."
        )?;
        return Ok(true);
    };
    let store = Store::new(&config.checker_dir);
    let total = exercise.hints.len();
    if all {
        writeln!(out, "{BOLD}Hints for {}:{BOLD:#}", exercise.label())?;
        let width = screen_width().map(|w| w.saturating_sub(3));
        for (i, hint) in exercise.hints.iter().enumerate() {
            for (j, line) in wrap(&hint.text, width).iter().enumerate() {
                let number = if j == 0 {
                    format!("{}.", i + 1)
                } else {
                    String::new()
                };
                writeln!(out, "{number:<3}{line}")?;
            }
            if !hint.checks.is_empty() {
                writeln!(out, "   {DIM}helps with: {}{DIM:#}", hint.checks.join(", "))?;
            }
        }
        store.mark_hints_seen(&exercise.id, 0..total);
        return Ok(true);
    }

    let failing = store
        .results(config.source.folder())
        .remove(&exercise.id)
        .map(|saved| saved.failing)
        .unwrap_or_default();
    let seen = store.hints_seen(&exercise.id);
    let Some(chosen) = pick(&exercise.hints, &seen, &failing) else {
        writeln!(out, "{} has no hints.", exercise.label())?;
        return Ok(true);
    };
    let about = match &chosen.for_check {
        Some(check) => format!(" (for `{check}`, which failed)"),
        None => String::new(),
    };
    writeln!(
        out,
        "{BOLD}Hint {} of {total} for {}{about}:{BOLD:#}",
        chosen.index + 1,
        exercise.label()
    )?;
    for line in wrap(&exercise.hints[chosen.index].text, screen_width()) {
        writeln!(out, "{line}")?;
    }
    store.mark_hints_seen(&exercise.id, [chosen.index]);
    let left = (0..total)
        .filter(|i| *i != chosen.index && !seen.contains(i))
        .count();
    let solution = format!(
        "The solution, with comments, is in solutions/{}/ when you want it.",
        exercise.id
    );
    let next = if chosen.repeated {
        format!("You have seen all {total} hints. {solution}")
    } else if left == 0 {
        format!("That was the last hint. {solution}")
    } else if matches!(config.mode, Mode::Watch) {
        "Press h again for the next one.".to_string()
    } else {
        format!(
            "Ask again for the next one: `cargo run -p checker -- hint {}`.",
            exercise.number()
        )
    };
    writeln!(out, "{DIM}{next}{DIM:#}")?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(checks: &[&str]) -> Hint {
        Hint {
            text: "x".into(),
            checks: checks.iter().map(|c| c.to_string()).collect(),
        }
    }

    /// 02's shape: the first two hints do not help with `never_blocks`.
    fn hints() -> Vec<Hint> {
        vec![
            hint(&["overlapping_waits", "right_answer"]),
            hint(&["never_blocks", "one_thread"]),
            hint(&["fails_fast"]),
            hint(&["never_blocks"]),
        ]
    }

    fn failing(checks: &[&str]) -> Vec<String> {
        checks.iter().map(|c| c.to_string()).collect()
    }

    fn index(seen: &[usize], fails: &[&str]) -> (usize, Option<String>, bool) {
        let p = pick(&hints(), seen, &failing(fails)).unwrap();
        (p.index, p.for_check, p.repeated)
    }

    /// With `never_blocks` failing, its hints come first, in order, then
    /// the rest in the general order.
    #[test]
    fn hints_for_the_failing_check_come_first() {
        let nb = Some("never_blocks".to_string());
        assert_eq!(index(&[], &["never_blocks"]), (1, nb.clone(), false));
        assert_eq!(index(&[1], &["never_blocks"]), (3, nb.clone(), false));
        assert_eq!(index(&[1, 3], &["never_blocks"]), (0, None, false));
        assert_eq!(index(&[0, 1, 3], &["never_blocks"]), (2, None, false));
    }

    /// Failing checks count in the grader's order: the first one's hints,
    /// then the next one's, before the general order.
    #[test]
    fn then_the_next_failing_check() {
        let ff = Some("fails_fast".to_string());
        assert_eq!(index(&[], &["fails_fast", "never_blocks"]), (2, ff, false));
        let nb = Some("never_blocks".to_string());
        assert_eq!(
            index(&[2], &["fails_fast", "never_blocks"]),
            (1, nb.clone(), false)
        );
        assert_eq!(
            index(&[1, 3], &["never_blocks", "fails_fast"]),
            (2, Some("fails_fast".into()), false)
        );
        assert_eq!(
            index(&[1, 2, 3], &["never_blocks", "fails_fast"]),
            (0, None, false)
        );
    }

    /// Without a stored result, or for a check no hint names (`build`, a
    /// check added since), the general order.
    #[test]
    fn falls_back_to_the_general_order() {
        assert_eq!(index(&[], &[]), (0, None, false));
        assert_eq!(index(&[0], &[]), (1, None, false));
        assert_eq!(index(&[], &["build"]), (0, None, false));
        assert_eq!(index(&[], &["a_check_added_later"]), (0, None, false));
    }

    /// When every hint was seen, the one for the failing check is shown
    /// again, else the last; no hints, nothing to pick.
    #[test]
    fn repeats_when_every_hint_was_seen() {
        let all = [0, 1, 2, 3];
        assert_eq!(
            index(&all, &["fails_fast"]),
            (2, Some("fails_fast".into()), true)
        );
        assert_eq!(index(&all, &[]), (3, None, true));
        assert_eq!(pick(&[], &[], &[]), None);
    }
}
