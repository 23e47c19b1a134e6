//! The human report: one line per exercise, then, for each check that did
//! not pass, what was observed and expected, with the learner's own run
//! drawn as a timeline. It ends with one next step.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Event, Reporter, timeline};
use crate::cli::{Drawing, Mode, Source};
use crate::outcome::{CheckResult, ExerciseResult, Outcome, Summary};
use crate::report::Progress;
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW, wrap};

/// Writes the human report to `out` and progress to `progress`.
pub struct Human<O, P> {
    out: O,
    progress: P,
    root: PathBuf,
    edits_exercises: bool,
    /// Whether `progress` is a terminal, where a one-line status is
    /// redrawn while checks run.
    live: bool,
    /// How timelines are drawn.
    drawing: Drawing,
    /// Whether watch mode runs us: the next step is then to save, not to
    /// run the checker again.
    watching: bool,
    /// The screen's width, when the report goes to a terminal.
    columns: Option<usize>,
}

impl<O: Write, P: Write> Human<O, P> {
    /// A reporter writing to `out`, progress to `progress`. Paths are shown
    /// relative to `root`.
    pub fn new(out: O, progress: P, root: PathBuf, live: bool, columns: Option<usize>) -> Self {
        Human {
            out,
            progress,
            root,
            edits_exercises: true,
            live,
            drawing: Drawing {
                always: false,
                ascii: false,
            },
            columns,
            watching: false,
        }
    }

    /// Clears the one-line status.
    fn clear_status(&mut self) -> std::io::Result<()> {
        if self.live {
            write!(self.progress, "\r\x1b[2K")?;
            self.progress.flush()?;
        }
        Ok(())
    }

    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    fn exercise(&mut self, result: &ExerciseResult) -> std::io::Result<()> {
        let out = &mut self.out;
        let label = result.exercise.label();
        let total = result.checks.len();
        let (mark, style, status) = match result.status() {
            Outcome::Passed => ("✓", GREEN, format!("passed  {total}/{total} checks")),
            Outcome::NotStarted => ("…", YELLOW, Outcome::NotStarted.label().to_string()),
            Outcome::BuildError => ("✗", RED, Outcome::BuildError.label().to_string()),
            _ => (
                "✗",
                RED,
                format!("{}/{total} checks passed", result.passed()),
            ),
        };
        writeln!(
            out,
            "{style}{mark}{style:#} {BOLD}{label:<24}{BOLD:#} {style}{status}{style:#}  {DIM}{}{DIM:#}",
            result.subject.display()
        )?;
        if result.status() == Outcome::NotStarted {
            if let Some(first) = result.checks.first() {
                writeln!(out, "    {}", first.message)?;
            }
            return Ok(());
        }
        let always = self.drawing.always;
        for check in result
            .checks
            .iter()
            .filter(|c| always || c.outcome != Outcome::Passed)
        {
            self.check(check)?;
        }
        let mut artifacts: Vec<&PathBuf> =
            result.checks.iter().flat_map(|c| &c.artifacts).collect();
        artifacts.dedup();
        if !artifacts.is_empty() {
            let shown: Vec<String> = artifacts.iter().map(|p| self.shown(p)).collect();
            writeln!(self.out, "    pictures: {}", shown.join(", "))?;
        }
        Ok(())
    }

    fn check(&mut self, check: &CheckResult) -> std::io::Result<()> {
        let out = &mut self.out;
        let (mark, style) = match check.outcome {
            Outcome::Passed => ("✓", GREEN),
            Outcome::Inconclusive | Outcome::NotStarted | Outcome::Skipped => ("?", YELLOW),
            _ => ("✗", RED),
        };
        writeln!(
            out,
            "    {style}{mark} {}{style:#}  {}",
            check.name,
            check.outcome.label()
        )?;
        let width = self.columns.map(|c| c.saturating_sub(6));
        for line in check.message.lines().flat_map(|l| wrap(l, width)) {
            writeln!(out, "      {line}")?;
        }
        for detail in check.details.iter().flat_map(|d| wrap(d, width)) {
            writeln!(out, "      {DIM}{detail}{DIM:#}")?;
        }
        if let Some(drawing) = &check.timeline {
            writeln!(out, "      {DIM}your run:{DIM:#}")?;
            for line in timeline::draw(drawing, "        ", self.columns, self.drawing.ascii) {
                writeln!(out, "{line}")?;
            }
        }
        if let Some(output) = &check.output {
            writeln!(out, "      {DIM}its output ended with:{DIM:#}")?;
            for line in output.lines() {
                writeln!(out, "      {DIM}│ {line}{DIM:#}")?;
            }
        }
        Ok(())
    }

    fn summary(&mut self, results: &[ExerciseResult]) -> std::io::Result<()> {
        let Summary {
            exercises,
            passed,
            points,
            max_points,
        } = Summary::of_results(results);
        writeln!(self.out)?;
        writeln!(
            self.out,
            "{BOLD}{passed} of {exercises} exercises done, {points} of {max_points} points.{BOLD:#}"
        )?;
        let Some(next) = results.iter().find(|r| r.status() != Outcome::Passed) else {
            writeln!(self.out, "Every check passed.")?;
            return Ok(());
        };
        let number = next.exercise.number();
        let again = if self.watching {
            "save it: watch mode grades it again".to_string()
        } else {
            format!("run `cargo run -p checker -- {number}`")
        };
        let step = match next.status() {
            Outcome::NotStarted if self.edits_exercises => format!(
                "read {0}/README.md, then replace the todo!() in {0}/src/lib.rs and {again}.",
                next.subject.display()
            ),
            Outcome::NotStarted => format!(
                "{} reached todo!(): fill it in and {again}.",
                next.subject.display()
            ),
            Outcome::BuildError => format!("fix the compile error above, then {again}."),
            _ => {
                let check = next
                    .checks
                    .iter()
                    .find(|c| c.outcome != Outcome::Passed)
                    .map_or("", |c| c.name.as_str());
                format!(
                    "make `{check}` of {} pass (see above), then {again}.",
                    next.exercise.label()
                )
            }
        };
        let next_step = format!("Next: {step}");
        let mut lines = wrap(&next_step, self.columns).into_iter();
        let first = lines.next().unwrap_or_default();
        writeln!(self.out, "{BOLD}Next:{BOLD:#}{}", &first["Next:".len()..])?;
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        writeln!(
            self.out,
            "{BOLD}Stuck?{BOLD:#} `cargo run -p checker -- hint {number}` shows a hint."
        )?;
        Ok(())
    }
}

impl<O: Write, P: Write> Reporter for Human<O, P> {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        match event {
            Event::RunStarted { subjects, config } => {
                self.edits_exercises =
                    config.source == Source::Exercises && config.overrides.is_empty();
                self.drawing = config.drawing;
                self.watching = matches!(config.mode, Mode::Watch);
                let folder = format!("{}/", config.source.folder());
                let what = match subjects.iter().filter(|s| s.given).count() {
                    0 => folder.clone(),
                    n if n == subjects.len() => "the given crates".to_string(),
                    _ => format!("{folder} and the given crates"),
                };
                writeln!(
                    self.out,
                    "{BOLD}Grading {} exercise{} from {what}{BOLD:#} {DIM}(seed {}; repeat with --seed {}){DIM:#}",
                    subjects.len(),
                    if subjects.len() == 1 { "" } else { "s" },
                    config.seed,
                    config.seed
                )?;
                writeln!(self.out)?;
                self.out.flush()
            }
            Event::BuildProgress(line) => {
                let line = line.trim();
                if line.starts_with("Compiling") || line.starts_with("Building") {
                    writeln!(self.progress, "{DIM}  {line}{DIM:#}")?;
                }
                Ok(())
            }
            Event::Check { exercise, progress } => {
                if !self.live {
                    // Not a terminal (a log): one plain line per check.
                    if let Progress::Finished(check) = progress {
                        writeln!(
                            self.progress,
                            "  graded {} {}: {}",
                            exercise.label(),
                            check.name,
                            check.outcome.label()
                        )?;
                    }
                    return Ok(());
                }
                match progress {
                    Progress::Started { name, index, total } => write!(
                        self.progress,
                        "\r\x1b[2K{DIM}  grading {} [{index}/{total}] {name}...{DIM:#}",
                        exercise.label(),
                    )?,
                    Progress::Finished(check) => {
                        write!(self.progress, " {DIM}{}{DIM:#}", check.outcome.label())?
                    }
                }
                self.progress.flush()
            }
            Event::ExerciseFinished(result) => {
                self.clear_status()?;
                self.exercise(result)?;
                self.out.flush()
            }
            Event::RunFinished(results) => {
                self.summary(results)?;
                self.out.flush()
            }
        }
    }
}
