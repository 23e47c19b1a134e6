//! Report: reporters turn the pipeline's events into output.
//!
//! The pipeline never prints. It sends [`Event`]s; a reporter writes them to
//! any `impl Write`, so tests can capture a report in memory. The human
//! report streams; the JSON report writes one document at the end. The
//! `--report` files ([`files`]) are written at the end too, each in its
//! format, from the same document as the JSON report.

mod cap;
pub mod escape;
mod files;
mod gradescope;
mod html;

/// Text made safe inside HTML, as the HTML report writes it (the class page
/// uses it too).
pub use html::escape as escape_html;
mod human;
mod json;
mod junit;
pub mod style;
mod svg;
mod timeline;

use crate::catalogue::Exercise;
use crate::cli::{Config, Format};
use crate::outcome::{CheckResult, ExerciseResult};
use crate::sandbox::Sandbox;
use crate::subject::Subject;

/// Where a check stands, for progress reports.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The check `name`, number `index` (from 1) of `total`, has started.
    Started {
        /// The check's name.
        name: &'a str,
        /// Its position, from 1.
        index: usize,
        /// How many checks the exercise has.
        total: usize,
    },
    /// A check finished.
    Finished(&'a CheckResult),
}

/// Something the pipeline did.
#[derive(Debug)]
pub enum Event<'a> {
    /// Grading begins.
    RunStarted {
        /// What will be graded.
        subjects: &'a [Subject],
        /// The run's configuration.
        config: &'a Config,
        /// How its checks are contained.
        sandbox: Sandbox,
    },
    /// A line of cargo's progress while the harnesses build.
    BuildProgress(&'a str),
    /// A check started or finished.
    Check {
        /// Its exercise.
        exercise: &'a Exercise,
        /// What happened.
        progress: Progress<'a>,
    },
    /// Every check of an exercise finished.
    ExerciseFinished(&'a ExerciseResult),
    /// Everything finished.
    RunFinished(&'a [ExerciseResult]),
}

/// Renders events.
pub trait Reporter {
    /// Handles one event.
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()>;
}

/// The reporter for the configured format, writing to stdout (and progress
/// to stderr), joined by the `--report` files. The human report moves to
/// stderr when a `--report` takes stdout. Fails when a report's file cannot
/// be created.
pub fn new(config: &Config) -> anyhow::Result<Box<dyn Reporter>> {
    let main: Box<dyn Reporter> = match config.format {
        Format::Human if config.report_on_stdout() => Box::new(human::Human::new(
            anstream::stderr(),
            anstream::stderr(),
            config.root.clone(),
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
            None,
        )),
        Format::Human => Box::new(human::Human::new(
            anstream::stdout(),
            anstream::stderr(),
            config.root.clone(),
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
            screen_width(),
        )),
        Format::Json => Box::new(json::Json::new(std::io::stdout(), anstream::stderr())),
    };
    if config.reports.is_empty() {
        return Ok(main);
    }
    let files = files::Files::open(&config.reports, &config.root)?;
    Ok(Box::new(files::Tee(vec![main, Box::new(files)])))
}

/// The terminal's width, when stdout is one.
pub fn screen_width() -> Option<usize> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
}
