//! The human report: one line per exercise, then, for each check that did
//! not pass, what was observed and expected, with the learner's own run
//! drawn as a timeline. It ends with one next step.

use std::io::Write;
use std::path::{Path, PathBuf};

use protocol::Timeline;

use super::escape::controls;
use super::{Event, Reporter, timeline};
use crate::cli::{Drawing, Mode, Source};
use crate::outcome::{CheckResult, ExerciseResult, Outcome, Summary};
use crate::report::Progress;
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW, wrap};
use crate::submission::Submission;

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

    /// What a teacher must know about a submission: whose graders, and
    /// what of the learner's was left out.
    fn submission_header(&mut self, submission: &Submission) -> std::io::Result<()> {
        writeln!(
            self.out,
            "{DIM}Only exercises/*/src/**/*.rs is taken from it; everything else is the template's.{DIM:#}"
        )?;
        if let Some(graders) = &submission.graders {
            writeln!(self.out, "{DIM}Graders from {}.{DIM:#}", graders.display())?;
        }
        if !submission.ignored.is_empty() {
            let joined = submission.ignored.join(", ");
            let listed = controls(&joined);
            for line in wrap(
                &format!("Ignored (changed or added, not graded): {listed}"),
                self.columns,
            ) {
                writeln!(self.out, "{YELLOW}{line}{YELLOW:#}")?;
            }
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
        let width = crate::catalogue::LABEL_WIDTH;
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
            "{style}{mark}{style:#} {BOLD}{label:<width$}{BOLD:#} {style}{status}{style:#}  {DIM}{}{DIM:#}",
            result.subject.display()
        )?;
        if result.status() == Outcome::NotStarted {
            if let Some(first) = result.checks.first() {
                writeln!(out, "    {}", controls(&first.message))?;
            }
            return Ok(());
        }
        let always = self.drawing.always;
        // Checks that share a seed can record the very same run; it is
        // drawn once, under the first of them.
        let mut drawn: Vec<(&Timeline, &str)> = Vec::new();
        for check in result
            .checks
            .iter()
            .filter(|c| always || c.outcome != Outcome::Passed)
        {
            let same_as = check.timeline.as_ref().and_then(|t| {
                drawn
                    .iter()
                    .find(|(seen, _)| *seen == t)
                    .map(|(_, name)| *name)
            });
            self.check(check, same_as)?;
            if let (Some(t), None) = (&check.timeline, same_as) {
                drawn.push((t, &check.name));
            }
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

    /// Writes one check. `same_run_as` names an earlier check whose drawing
    /// is of this very run, so it is not drawn again.
    fn check(&mut self, check: &CheckResult, same_run_as: Option<&str>) -> std::io::Result<()> {
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
        // Messages quote learner panics and compiler errors; details may
        // too: every piece is escaped before it reaches the terminal.
        for line in controls(&check.message)
            .lines()
            .flat_map(|l| wrap(l, width))
        {
            writeln!(out, "      {line}")?;
        }
        for detail in check.details.iter().flat_map(|d| wrap(&controls(d), width)) {
            writeln!(out, "      {DIM}{detail}{DIM:#}")?;
        }
        match (&check.timeline, same_run_as) {
            (Some(_), Some(earlier)) => writeln!(
                out,
                "      {DIM}your run: the same run as drawn under `{earlier}` above.{DIM:#}"
            )?,
            (Some(drawing), None) => {
                writeln!(out, "      {DIM}your run:{DIM:#}")?;
                for line in timeline::draw(drawing, "        ", self.columns, self.drawing.ascii) {
                    writeln!(out, "{line}")?;
                }
            }
            (None, _) => {}
        }
        if let Some(output) = &check.output {
            writeln!(out, "      {DIM}its output ended with:{DIM:#}")?;
            for line in controls(output).lines() {
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
        let noun = if exercises == 1 {
            "exercise"
        } else {
            "exercises"
        };
        writeln!(
            self.out,
            "{BOLD}{passed} of {exercises} {noun} done, {points} of {max_points} points.{BOLD:#}"
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
        if self.watching {
            writeln!(self.out, "{BOLD}Stuck?{BOLD:#} Press h for a hint.")?;
        } else {
            writeln!(
                self.out,
                "{BOLD}Stuck?{BOLD:#} `cargo run -p checker -- hint {number}` shows a hint."
            )?;
        }
        Ok(())
    }
}

impl<O: Write, P: Write> Reporter for Human<O, P> {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        match event {
            Event::RunStarted {
                subjects,
                config,
                sandbox,
            } => {
                self.edits_exercises =
                    config.source == Source::Exercises && config.overrides.is_empty();
                self.drawing = config.drawing;
                self.watching = matches!(config.mode, Mode::Watch);
                let folder = format!("{}/", config.source.folder());
                let what = match (
                    &config.submission,
                    subjects.iter().filter(|s| s.given).count(),
                ) {
                    (Some(submission), _) => {
                        format!("the submission in {}", submission.dir.display())
                    }
                    (None, 0) => folder.clone(),
                    (None, n) if n == subjects.len() => "the given crates".to_string(),
                    (None, _) => format!("{folder} and the given crates"),
                };
                writeln!(
                    self.out,
                    "{BOLD}Grading {} exercise{} from {what}{BOLD:#} {DIM}(seed {}; repeat with --seed {}){DIM:#}",
                    subjects.len(),
                    if subjects.len() == 1 { "" } else { "s" },
                    config.seed,
                    config.seed
                )?;
                if let Some(submission) = &config.submission {
                    self.submission_header(submission)?;
                }
                if let Some(warning) = sandbox.warning() {
                    writeln!(self.out, "{YELLOW}Note: {warning}.{YELLOW:#}")?;
                }
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

#[cfg(test)]
mod tests {
    //! The human report's rules, on results made here: no build, no child.

    use protocol::timeline::{Clock, Lane, Span, Timeline};

    use super::*;
    use crate::catalogue::Exercise;

    fn exercise() -> Exercise {
        Exercise {
            id: "02_three_fetches".into(),
            title: "Three fetches".into(),
            model: "async, one thread".into(),
            points: 10,
            timeout_hint: String::new(),
            timeout: None,
            hints: Vec::new(),
        }
    }

    fn failed(name: &str, message: &str, timeline: Option<Timeline>) -> CheckResult {
        CheckResult {
            timeline,
            ..CheckResult::bare(name, Outcome::Failed, message)
        }
    }

    fn run_of(end_ms: f64) -> Timeline {
        Timeline {
            clock: Clock::Virtual,
            lanes: vec![Lane {
                label: "user".into(),
                spans: vec![Span {
                    start_ms: 0.0,
                    end_ms,
                }],
            }],
        }
    }

    /// The report of `results`, as the learner reads it (no colour: the
    /// writer is a plain buffer).
    fn report(results: &[ExerciseResult], watching: bool) -> String {
        let mut out = Vec::new();
        let mut human = Human::new(&mut out, std::io::sink(), PathBuf::from("/r"), false, None);
        human.watching = watching;
        for result in results {
            human.report(&Event::ExerciseFinished(result)).unwrap();
        }
        human.report(&Event::RunFinished(results)).unwrap();
        drop(human);
        // The report's own styles go; any other escape would be learner
        // text that was not escaped, and must stay visible to the tests.
        let mut text = String::from_utf8(out).unwrap();
        for style in [GREEN, RED, YELLOW, DIM, BOLD] {
            text = text
                .replace(&style.render().to_string(), "")
                .replace(&style.render_reset().to_string(), "");
        }
        text
    }

    fn result(checks: Vec<CheckResult>) -> ExerciseResult {
        ExerciseResult {
            exercise: exercise(),
            subject: PathBuf::from("exercises/02_three_fetches"),
            checks,
        }
    }

    /// Two failing checks that recorded the very same run: it is drawn
    /// once, and the later check points at the earlier one. A different
    /// run is drawn on its own.
    #[test]
    fn the_same_run_is_drawn_once() {
        let text = report(
            &[result(vec![
                failed("overlapping_waits", "in a row", Some(run_of(600.0))),
                failed("fails_fast", "waited", Some(run_of(600.0))),
                failed("never_blocks", "blocked", Some(run_of(300.0))),
            ])],
            false,
        );
        assert_eq!(text.matches("simulated time").count(), 2, "{text}");
        assert!(
            text.contains("your run: the same run as drawn under `overlapping_waits` above."),
            "{text}"
        );
        let fails_fast = text.find("fails_fast").unwrap();
        let never_blocks = text.find("never_blocks").unwrap();
        assert!(
            !text[fails_fast..never_blocks].contains("simulated time"),
            "{text}"
        );
    }

    /// Learner text (a message quoting a panic, details, captured output)
    /// reaches the report with its control characters escaped, its
    /// newlines kept.
    #[test]
    fn learner_text_is_escaped() {
        let mut check = failed(
            "right_answer",
            "panicked: \x1b[2Jcleared\nsecond line",
            None,
        );
        check.details = vec!["ding\x07".into()];
        check.output = Some("passed\rfailed\n\x1b]0;title\x07".into());
        let text = report(&[result(vec![check])], false);
        for raw in ['\x1b', '\x07', '\r'] {
            assert!(!text.contains(raw), "{raw:?} in {text:?}");
        }
        assert!(text.contains("panicked: \\x1b[2Jcleared\n"), "{text}");
        assert!(text.contains("      second line"), "{text}");
        assert!(text.contains("ding\\x07"), "{text}");
        assert!(text.contains("│ passed\\x0dfailed"), "{text}");
    }

    /// One exercise is "1 exercise", two are "2 exercises".
    #[test]
    fn the_summary_counts_in_words() {
        let one = result(vec![failed("a", "x", None)]);
        let text = report(std::slice::from_ref(&one), false);
        assert!(
            text.contains("0 of 1 exercise done, 0 of 10 points."),
            "{text}"
        );
        let text = report(&[one.clone(), one], false);
        assert!(
            text.contains("0 of 2 exercises done, 0 of 20 points."),
            "{text}"
        );
    }

    /// In watch mode the last line says to press h; otherwise it gives the
    /// command.
    #[test]
    fn the_hint_line_fits_the_mode() {
        let one = result(vec![failed("a", "x", None)]);
        let watching = report(std::slice::from_ref(&one), true);
        assert!(
            watching.ends_with("Stuck? Press h for a hint.\n"),
            "{watching}"
        );
        assert!(!watching.contains("-- hint"), "{watching}");
        let plain = report(&[one], false);
        assert!(
            plain.ends_with("Stuck? `cargo run -p checker -- hint 02` shows a hint.\n"),
            "{plain}"
        );
    }
}
