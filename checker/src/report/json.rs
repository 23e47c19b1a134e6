//! The JSON report: one document on stdout when the run ends, for CI.
//!
//! The schema is versioned; fields may be added within a version, never
//! renamed or removed. `docs/report.schema.json` describes it, and the
//! tests validate real reports against that file. The other file reports
//! (JUnit, Gradescope, HTML) are drawn from this same [`Document`], so all
//! of them say the same thing about one run.

use std::io::Write;
use std::path::PathBuf;

use protocol::Timeline;
use serde::Serialize;

use super::{Event, Reporter};
use crate::outcome::{ExerciseResult, Outcome, Summary};

/// The schema version written in every report.
pub const SCHEMA: u32 = 1;

/// One run's report, as every file format sees it.
#[derive(Serialize)]
pub struct Document<'a> {
    pub schema: u32,
    pub seed: u64,
    pub sandbox: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission: Option<SubmissionJson>,
    pub exercises: Vec<ExerciseJson<'a>>,
    pub summary: Summary,
}

/// What `grade --submission` graded, and what it left out.
#[derive(Serialize, Clone)]
pub struct SubmissionJson {
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graders: Option<String>,
    pub ignored: Vec<String>,
}

/// One exercise of a [`Document`].
#[derive(Serialize)]
pub struct ExerciseJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub model: &'a str,
    pub subject: String,
    pub status: Outcome,
    pub points: u32,
    pub max_points: u32,
    pub checks: Vec<CheckJson<'a>>,
}

/// One check of an [`ExerciseJson`].
#[derive(Serialize)]
pub struct CheckJson<'a> {
    pub name: &'a str,
    pub about: &'a str,
    pub outcome: Outcome,
    pub message: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub details: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<&'a Timeline>,
    #[serde(skip_serializing_if = "<[PathBuf]>::is_empty")]
    pub artifacts: &'a [PathBuf],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<&'a str>,
    pub duration_ms: u64,
}

/// What a report says about the run besides its results, taken from
/// [`Event::RunStarted`].
#[derive(Clone)]
pub struct RunInfo {
    seed: u64,
    sandbox: &'static str,
    submission: Option<SubmissionJson>,
}

impl Default for RunInfo {
    fn default() -> Self {
        RunInfo {
            seed: 0,
            sandbox: "none",
            submission: None,
        }
    }
}

impl RunInfo {
    /// Takes what it needs from `event` when it is the start of the run.
    pub fn note(&mut self, event: &Event<'_>) {
        if let Event::RunStarted {
            config, sandbox, ..
        } = event
        {
            self.seed = config.seed;
            self.sandbox = sandbox.name();
            self.submission = config.submission.as_ref().map(|s| SubmissionJson {
                dir: s.dir.display().to_string(),
                graders: s.graders.as_ref().map(|g| g.display().to_string()),
                ignored: s.ignored.clone(),
            });
        }
    }

    /// The document of `results`.
    pub fn document<'a>(&self, results: &'a [ExerciseResult]) -> Document<'a> {
        let exercises = results
            .iter()
            .map(|r| ExerciseJson {
                id: &r.exercise.id,
                title: &r.exercise.title,
                model: &r.exercise.model,
                subject: r.subject.display().to_string(),
                status: r.status(),
                points: r.points(),
                max_points: r.exercise.points,
                checks: r
                    .checks
                    .iter()
                    .map(|c| CheckJson {
                        name: &c.name,
                        about: &c.about,
                        outcome: c.outcome,
                        message: &c.message,
                        details: &c.details,
                        timeline: c.timeline.as_ref(),
                        artifacts: &c.artifacts,
                        output: c.output.as_deref(),
                        duration_ms: c.duration.as_millis() as u64,
                    })
                    .collect(),
            })
            .collect();
        Document {
            schema: SCHEMA,
            seed: self.seed,
            sandbox: self.sandbox,
            submission: self.submission.clone(),
            exercises,
            summary: Summary::of_results(results),
        }
    }
}

/// Writes `document` as pretty JSON, with a final newline.
pub fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    writeln!(out)
}

/// Collects results and writes the document when the run ends.
pub struct Json<O, P> {
    out: O,
    progress: P,
    run: RunInfo,
}

impl<O: Write, P: Write> Json<O, P> {
    /// A reporter writing the document to `out` and build progress to
    /// `progress`.
    pub fn new(out: O, progress: P) -> Self {
        Json {
            out,
            progress,
            run: RunInfo::default(),
        }
    }
}

impl<O: Write, P: Write> Reporter for Json<O, P> {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        self.run.note(event);
        match event {
            Event::RunStarted { .. } | Event::Check { .. } | Event::ExerciseFinished(_) => {}
            Event::BuildProgress(line) => {
                if line.trim().starts_with("Compiling") {
                    writeln!(self.progress, "{}", line.trim())?;
                }
            }
            Event::RunFinished(results) => {
                write(&self.run.document(results), &mut self.out)?;
                self.out.flush()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub mod tests {
    use std::path::PathBuf;

    use super::{CheckJson, Document, ExerciseJson};
    use crate::outcome::{Outcome, Summary};

    /// A report of one check that panicked after printing far more than a report keeps.
    pub fn document<'a>(output: &'a str, details: &'a [String]) -> Document<'a> {
        let artifacts: &'static [PathBuf] = &[];
        Document {
            schema: 1,
            seed: 7,
            sandbox: "none",
            submission: None,
            exercises: vec![ExerciseJson {
                id: "02_three_fetches",
                title: "Three fetches",
                model: "async, one thread",
                subject: "exercises/02_three_fetches".into(),
                status: Outcome::Failed,
                points: 0,
                max_points: 10,
                checks: vec![CheckJson {
                    name: "right_answer",
                    about: "returns the profile",
                    outcome: Outcome::Panicked,
                    message: "your code panicked: <boom> & \"bust\"",
                    details,
                    timeline: None,
                    artifacts,
                    output: Some(output),
                    duration_ms: 12,
                }],
            }],
            summary: Summary {
                exercises: 1,
                passed: 0,
                points: 0,
                max_points: 10,
            },
        }
    }
}
