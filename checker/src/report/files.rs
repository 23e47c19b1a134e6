//! `--report FORMAT[=PATH]`: the reports written when the run ends, each to
//! its file or to stdout, all from the one [`Document`](super::json::Document).
//!
//! Every file is created (with its folders) before anything is graded, so
//! a path that cannot be written is an error at once rather than after
//! minutes of grading. Until the run ends the file is empty: a report left
//! from an earlier run never passes for this one's.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::json::RunInfo;
use super::{Event, Reporter, gradescope, html, json, junit};
use crate::cli::{ReportFormat, ReportTarget};

/// One report's destination, opened.
struct Output {
    format: ReportFormat,
    /// Shown in errors.
    name: String,
    out: Box<dyn Write>,
}

/// Writes every `--report` when the run ends.
pub struct Files {
    outputs: Vec<Output>,
    run: RunInfo,
    /// For resolving relative picture paths in the HTML report.
    root: PathBuf,
}

impl Files {
    /// Creates each target's file (and its folders), or takes stdout.
    pub fn open(targets: &[ReportTarget], root: &Path) -> anyhow::Result<Files> {
        let mut outputs = Vec::new();
        for target in targets {
            let format = target.format;
            let (name, out): (String, Box<dyn Write>) = match &target.path {
                None => ("stdout".into(), Box::new(std::io::stdout())),
                Some(path) => (path.display().to_string(), Box::new(create(format, path)?)),
            };
            outputs.push(Output { format, name, out });
        }
        Ok(Files {
            outputs,
            run: RunInfo::default(),
            root: root.to_path_buf(),
        })
    }
}

/// Creates `path` and its missing folders, naming the report in the error.
fn create(format: ReportFormat, path: &Path) -> anyhow::Result<BufWriter<File>> {
    let what = || {
        format!(
            "cannot write the {} report to {}",
            format.name(),
            path.display()
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(what)?;
    }
    Ok(BufWriter::new(File::create(path).with_context(what)?))
}

impl Reporter for Files {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        self.run.note(event);
        let Event::RunFinished(results) = event else {
            return Ok(());
        };
        let document = self.run.document(results);
        // Each report is written even when an earlier one could not be;
        // the first failure is then the error.
        let mut first_error = None;
        for output in &mut self.outputs {
            let out = &mut output.out;
            let written = match output.format {
                ReportFormat::Json => json::write(&document, out),
                ReportFormat::Junit => junit::write(&document, out),
                ReportFormat::Gradescope => gradescope::write(&document, out),
                ReportFormat::Html => html::write(&document, &self.root, out),
            }
            .and_then(|()| out.flush());
            if let Err(err) = written {
                first_error.get_or_insert(std::io::Error::new(
                    err.kind(),
                    format!(
                        "cannot write the {} report to {}: {err}",
                        output.format.name(),
                        output.name
                    ),
                ));
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// Sends every event to each of several reporters, in order.
pub struct Tee(pub Vec<Box<dyn Reporter>>);

impl Reporter for Tee {
    fn report(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        for reporter in &mut self.0 {
            reporter.report(event)?;
        }
        Ok(())
    }
}
