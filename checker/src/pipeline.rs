//! The pipeline: catalogue → subject → build → run → collect → report.
//!
//! This is the only place that knows the order of the stages. It never
//! prints: it sends events to a reporter.

use anyhow::Result;

use crate::build::{self, BuildError};
use crate::cli::{Config, Source};
use crate::outcome::{CheckResult, ExerciseResult, Outcome, Status};
use crate::report::{self, Event};
use crate::run;
use crate::state;
use crate::subject::{self, Subject};

/// Grades every selected exercise. `Ok(true)` when every check passed.
pub fn run(config: &Config) -> Result<bool> {
    let mut reporter = report::new(config);
    let subjects = subject::resolve(config, &config.exercises);
    // Taken before building: if a file changes while we grade, the stored
    // result is then marked stale rather than passed off as current.
    let fingerprints: Vec<String> = subjects
        .iter()
        .map(|s| state::fingerprint(&config.root, &s.dir, &s.exercise))
        .collect();
    reporter.report(&Event::RunStarted {
        subjects: &subjects,
        config,
    })?;

    let built = build::build(config, &subjects, &mut |line| {
        let _ = reporter.report(&Event::BuildProgress(line));
    })?;
    // Ctrl-C stops cargo too; what it left unbuilt is no build error.
    if crate::interrupt::requested() {
        anyhow::bail!("interrupted");
    }

    let mut results = Vec::new();
    for subject in &subjects {
        let exercise = &subject.exercise;
        let checks = match built.get(&exercise.id) {
            Some(Ok(harness)) => run::grade(
                config,
                exercise,
                &artifact_key(config, subject),
                harness,
                &mut |progress| {
                    let _ = reporter.report(&Event::Check { exercise, progress });
                },
            )?,
            Some(Err(error)) => vec![build_failure(error, subject, config)],
            None => vec![CheckResult::bare(
                "build",
                Outcome::BuildError,
                "the harness was not built",
            )],
        };
        let result = ExerciseResult {
            exercise: exercise.clone(),
            subject: subject.shown(config),
            checks,
        };
        reporter.report(&Event::ExerciseFinished(&result))?;
        results.push(result);
    }
    reporter.report(&Event::RunFinished(&results))?;
    save_progress(config, &results, fingerprints);
    Ok(results.iter().all(|r| r.status() == Status::Passed))
}

/// Remembers the results of the learner's own crates (and of the
/// solutions), for `list`, `hint` and `watch`. Crates given with
/// `--subject` are not anyone's progress.
fn save_progress(config: &Config, results: &[ExerciseResult], fingerprints: Vec<String>) {
    let graded: Vec<(ExerciseResult, String)> = results
        .iter()
        .cloned()
        .zip(fingerprints)
        .filter(|(r, _)| !config.overrides.iter().any(|(id, _)| *id == r.exercise.id))
        .collect();
    state::Store::new(&config.checker_dir).save(source_key(config.source), &graded);
}

/// The name under which results of `source` are kept.
pub fn source_key(source: Source) -> &'static str {
    match source {
        Source::Exercises => "exercises",
        Source::Solutions => "solutions",
    }
}

/// Where a subject's images go, under `target/checker/artifacts/<id>/`.
fn artifact_key(config: &Config, subject: &Subject) -> String {
    if config
        .overrides
        .iter()
        .any(|(id, _)| *id == subject.exercise.id)
    {
        let name = subject
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "subject".into());
        return name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            "_",
        );
    }
    source_key(config.source).into()
}

fn build_failure(error: &BuildError, subject: &Subject, config: &Config) -> CheckResult {
    if error.in_grader {
        let message = format!(
            "your crate compiles, but the grader cannot call it: {}. Keep the public items \
             (names, parameters, return types) exactly as the stub in exercises/{}/src/lib.rs \
             declares them.",
            error.summary, subject.exercise.id
        );
        return CheckResult::bare("build", Outcome::BuildError, message);
    }
    let mut message = error.summary.clone();
    if let Some(location) = &error.location {
        message.push_str(&format!("\n--> {location}"));
    }
    if subject.package.is_ok() {
        // `-p` finds only members of this workspace; any crate can be built
        // through its manifest.
        message.push_str(&format!(
            "\nRun `cargo build --manifest-path {}` to see every error.",
            subject.shown(config).join("Cargo.toml").display()
        ));
    }
    CheckResult::bare("build", Outcome::BuildError, message)
}
