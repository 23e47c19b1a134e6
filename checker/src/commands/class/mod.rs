//! `checker class REPORT.json...`: a class's results on one page.
//!
//! Each report is one learner's `grade --submission DIR --format json`. The
//! summary shows who passed what and the checks that failed most, with
//! their most common diagnoses: what a teacher looks at after a deadline.
//! It is written as a self-contained HTML page (`--html`) and as CSV
//! (`--csv`); a few lines of it go to stdout either way.

mod csv;
mod html;
mod load;
mod summary;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use summary::Class;

/// How many failing checks the text on stdout names.
const FAILURES_PRINTED: usize = 5;

/// Reads `reports`, writes the page to `html` and the CSV to `csv` where
/// given, and prints a short summary. Succeeds whatever the learners'
/// results: a report that cannot be read is the only error.
pub fn run(reports: &[PathBuf], html: Option<&Path>, csv: Option<&Path>) -> Result<bool> {
    let learners = load::all(reports)?;
    let class = Class::of(&learners);
    if let Some(path) = html {
        write(path, &html::render(&class))?;
    }
    if let Some(path) = csv {
        write(path, &csv::render(&class))?;
    }
    print!("{}", text(&class));
    for (what, path) in [("page", html), ("CSV", csv)] {
        if let Some(path) = path {
            println!("The class {what} is in {}.", path.display());
        }
    }
    Ok(true)
}

fn write(path: &Path, content: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))
}

/// The few lines printed on stdout.
fn text(class: &Class) -> String {
    let (learners, exercises) = (class.learners.len(), class.columns.len());
    let mut out = format!(
        "{learners} learner{} graded on {exercises} exercise{}.\n",
        if learners == 1 { "" } else { "s" },
        if exercises == 1 { "" } else { "s" },
    );
    // Ids, names and diagnoses come from the reports: control characters
    // in them are shown escaped, never sent to the terminal.
    let safe = |text: &str| crate::report::escape::controls(text).into_owned();
    for column in &class.columns {
        out += &format!(
            "  {:<28} passed by {} of {}\n",
            safe(&column.id),
            column.passed,
            column.graded
        );
    }
    if !class.failures.is_empty() {
        out += "Checks that failed most:\n";
    }
    for failure in class.failures.iter().take(FAILURES_PRINTED) {
        out += &format!(
            "  {} {}: {} of {}",
            failure.exercise, failure.check, failure.count, failure.reached
        );
        if let Some(top) = failure.diagnoses.first() {
            let first_line = top.example.lines().next().unwrap_or_default();
            out += &format!(
                " (most often: {})",
                crate::report::escape::controls(first_line)
            );
        }
        out += "\n";
    }
    out
}
