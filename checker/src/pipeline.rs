//! The pipeline: catalogue → subject → build → run → collect → report.
//!
//! This is the only place that knows the order of the stages. Data flows
//! one way: run produces what a child left, collect opens its sealed
//! records and judges, report renders. The pipeline never prints: it sends
//! events to a reporter.

use std::path::Path;

use anyhow::Result;

use crate::build::{self, BuildError};
use crate::cli::Config;
use crate::collect;
use crate::outcome::{CheckResult, ExerciseResult, Outcome};
use crate::report::{self, Event, Progress, Reporter};
use crate::run;
use crate::sandbox::Sandbox;
use crate::state;
use crate::subject::{self, Subject};

/// Grades every selected exercise. `Ok(true)` when every check passed.
pub fn run(config: &Config) -> Result<bool> {
    let mut reporter = report::new(config)?;
    let subjects = subject::resolve(config, &config.exercises);
    // Taken before building: if a file changes while we grade, the stored
    // result is then marked stale rather than passed off as current.
    let fingerprints: Vec<String> = subjects
        .iter()
        .map(|s| state::fingerprint(&config.root, &config.graders, &s.dir, &s.exercise))
        .collect();
    reporter.report(&Event::RunStarted {
        subjects: &subjects,
        config,
        sandbox: Sandbox::detect(),
    })?;

    let built = build::build(config, &subjects, &mut |line| {
        let _ = reporter.report(&Event::BuildProgress(line));
    })?;
    // Ctrl-C stops cargo too; what it left unbuilt is no build error.
    if crate::interrupt::requested() {
        anyhow::bail!("interrupted");
    }

    let results = grade_all(config, &subjects, &built, reporter.as_mut())?;
    reporter.report(&Event::RunFinished(&results))?;
    save_progress(config, &subjects, &results, fingerprints);
    let all_passed = results.iter().all(|r| r.status() == Outcome::Passed);
    if config.repeat > 1 {
        let stable = crate::repeat::again(config, results, |reporter| {
            grade_all(config, &subjects, &built, reporter)
        })?;
        return Ok(all_passed && stable);
    }
    Ok(all_passed)
}

/// Grades every subject with its built harness, one exercise after another.
fn grade_all(
    config: &Config,
    subjects: &[Subject],
    built: &build::Built,
    reporter: &mut dyn Reporter,
) -> Result<Vec<ExerciseResult>> {
    let mut results = Vec::new();
    for subject in subjects {
        let checks = match built.get(&subject.exercise.id) {
            Some(Ok(harness)) => grade(config, subject, harness, reporter)?,
            Some(Err(error)) => vec![build_failure(error, subject, config)],
            None => vec![CheckResult::bare(
                "build",
                Outcome::BuildError,
                "the harness was not built",
            )],
        };
        let result = ExerciseResult {
            exercise: subject.exercise.clone(),
            subject: subject.shown.clone(),
            checks,
        };
        reporter.report(&Event::ExerciseFinished(&result))?;
        results.push(result);
    }
    Ok(results)
}

/// Runs every check of `subject` with its built `harness`: first `--list`,
/// then one child per check, reporting progress as it goes.
fn grade(
    config: &Config,
    subject: &Subject,
    harness: &Path,
    reporter: &mut dyn Reporter,
) -> Result<Vec<CheckResult>> {
    let exercise = &subject.exercise;
    let artifacts = run::artifacts_dir(config, subject)?;
    let mut progress = |progress: Progress<'_>| {
        let _ = reporter.report(&Event::Check { exercise, progress });
    };

    let ran = run::run(config, harness, &["--list"], &artifacts, run::LIST_DEADLINE)?;
    let listed = collect::collect(ran, exercise, &config.root);
    let Some(checks) = listed.checks.clone() else {
        let result = listed.into_result("list of checks", "");
        progress(Progress::Finished(&result));
        return Ok(vec![result]);
    };

    let mut results: Vec<CheckResult> = Vec::new();
    let total = checks.len();
    for (index, check) in checks.into_iter().enumerate() {
        // Code that hung once hangs again: a hanging submission is graded
        // in seconds, not in one deadline per check.
        if let Some(hung) = results.iter().find(|r| r.outcome == Outcome::TimedOut) {
            let mut result = CheckResult::bare(
                &check.name,
                Outcome::Skipped,
                format!(
                    "not run: `{}` timed out, and this check runs the same code",
                    hung.name
                ),
            );
            result.about = check.about.clone();
            progress(Progress::Finished(&result));
            results.push(result);
            continue;
        }
        progress(Progress::Started {
            name: &check.name,
            index: index + 1,
            total,
        });
        if crate::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        let ran = run::run(
            config,
            harness,
            &["--check", &check.name],
            &artifacts,
            exercise.check_deadline(config.timeout),
        )?;
        let result =
            collect::collect(ran, exercise, &config.root).into_result(&check.name, &check.about);
        progress(Progress::Finished(&result));
        results.push(result);
    }
    Ok(results)
}

/// Remembers the results of the learner's own crates (and of the
/// solutions), for `list`, `hint` and `watch`. Crates given with
/// `--subject` are not anyone's progress.
fn save_progress(
    config: &Config,
    subjects: &[Subject],
    results: &[ExerciseResult],
    fingerprints: Vec<String>,
) {
    let graded: Vec<(ExerciseResult, String)> = subjects
        .iter()
        .zip(results.iter().cloned().zip(fingerprints))
        .filter(|(subject, _)| !subject.given)
        .map(|(_, graded)| graded)
        .collect();
    state::Store::new(&config.checker_dir).save(config.source.folder(), &graded);
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
    // A submission's crate lives in a copy the teacher never opens.
    if subject.package.is_ok() && config.submission.is_none() {
        // `-p` finds only members of this workspace; any crate can be built
        // through its manifest.
        message.push_str(&format!(
            "\nRun `cargo build --manifest-path {}` to see every error.",
            subject.shown.join("Cargo.toml").display()
        ));
    }
    CheckResult::bare("build", Outcome::BuildError, message)
}
