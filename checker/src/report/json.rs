//! The JSON report: one document on stdout when the run ends, for CI.
//!
//! The schema is versioned; fields may be added within a version, never
//! renamed or removed.

use std::io::Write;
use std::path::PathBuf;

use protocol::Timeline;
use serde::Serialize;

use super::{Event, Reporter};
use crate::outcome::{ExerciseResult, Outcome, Summary};

/// The schema version written in every report.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    seed: u64,
    sandbox: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    submission: Option<SubmissionJson>,
    exercises: Vec<ExerciseJson<'a>>,
    summary: Summary,
}

/// What `grade --submission` graded, and what it left out.
#[derive(Serialize, Clone)]
struct SubmissionJson {
    dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    graders: Option<String>,
    ignored: Vec<String>,
}

#[derive(Serialize)]
struct ExerciseJson<'a> {
    id: &'a str,
    title: &'a str,
    model: &'a str,
    subject: String,
    status: Outcome,
    points: u32,
    max_points: u32,
    checks: Vec<CheckJson<'a>>,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    name: &'a str,
    about: &'a str,
    outcome: Outcome,
    message: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    details: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<&'a Timeline>,
    #[serde(skip_serializing_if = "<[PathBuf]>::is_empty")]
    artifacts: &'a [PathBuf],
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'a str>,
    duration_ms: u64,
}

/// Collects results and writes the document when the run ends.
pub struct Json<O, P> {
    out: O,
    progress: P,
    seed: u64,
    sandbox: &'static str,
    submission: Option<SubmissionJson>,
}

impl<O: Write, P: Write> Json<O, P> {
    /// A reporter writing the document to `out` and build progress to
    /// `progress`.
    pub fn new(out: O, progress: P) -> Self {
        Json {
            out,
            progress,
            seed: 0,
            sandbox: "none",
            submission: None,
        }
    }

    fn document<'a>(&self, results: &'a [ExerciseResult]) -> Document<'a> {
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

impl<O: Write, P: Write> Reporter for Json<O, P> {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        match event {
            Event::RunStarted {
                config, sandbox, ..
            } => {
                self.seed = config.seed;
                self.sandbox = sandbox.name();
                self.submission = config.submission.as_ref().map(|s| SubmissionJson {
                    dir: s.dir.display().to_string(),
                    graders: s.graders.as_ref().map(|g| g.display().to_string()),
                    ignored: s.ignored.clone(),
                });
            }
            Event::BuildProgress(line) => {
                if line.trim().starts_with("Compiling") {
                    writeln!(self.progress, "{}", line.trim())?;
                }
            }
            Event::Check { .. } | Event::ExerciseFinished(_) => {}
            Event::RunFinished(results) => {
                let document = serde_json::to_string_pretty(&self.document(results))?;
                writeln!(self.out, "{document}")?;
                self.out.flush()?;
            }
        }
        Ok(())
    }
}
