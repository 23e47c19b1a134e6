//! Build: compiles each exercise's grader together with its subject crate
//! into one harness executable.
//!
//! All harnesses are members of one generated workspace under
//! `target/checker/harness/` and are built by a single `cargo build
//! --keep-going`, so cargo's lock is taken once, the compiled tokio and rayon
//! of the main workspace are reused, and one exercise that does not compile
//! never stops another from being graded.

mod cargo;
mod workspace;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::Config;
use crate::subject::Subject;

/// Why an exercise's harness could not be built.
#[derive(Debug, Clone)]
pub struct BuildError {
    /// The first error: rustc's whole rendering (with its `-->` place and
    /// its `help:` and `note:` lines) for an error in the graded crate, one
    /// line for an error in the grader or the manifest.
    pub summary: String,
    /// Where it is, as `file:line`, when the summary does not say already.
    pub location: Option<String>,
    /// The graded crate compiled, but the grader could not use it: its
    /// public API differs from the exercise's.
    pub in_grader: bool,
}

/// The result of the build stage, by exercise id.
pub type Built = BTreeMap<String, Result<PathBuf, BuildError>>;

/// Builds the harness of every subject. `progress` receives cargo's progress
/// lines.
pub fn build(
    config: &Config,
    subjects: &[Subject],
    progress: &mut dyn FnMut(&str),
) -> Result<Built> {
    let mut built = Built::new();
    let buildable: Vec<&Subject> = subjects
        .iter()
        .filter(|subject| match &subject.package {
            Ok(_) => true,
            Err(why) => {
                built.insert(
                    subject.exercise.id.clone(),
                    Err(BuildError {
                        summary: why.clone(),
                        location: None,
                        in_grader: false,
                    }),
                );
                false
            }
        })
        .collect();
    if buildable.is_empty() {
        return Ok(built);
    }
    let harness = workspace::write(config, &buildable)?;
    let results = cargo::build(config, &harness, progress)?;
    built.extend(results);
    Ok(built)
}
