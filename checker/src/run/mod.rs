//! Run: each check of an exercise in a child process of its own.
//!
//! The harness is asked for its list of checks first (`--list`), then started
//! once per check (`--check NAME`). Each child gets a fresh record file and
//! nonce, a seed, a folder for its images and a deadline; it runs in its own
//! process group, which is killed when the deadline passes. Checks run one
//! at a time: the parallel ones measure cores, and a neighbour would steal
//! them.

pub mod child;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use grading::protocol::{self, CheckInfo, Key};

use crate::catalogue::Exercise;
use crate::cli::Config;
use crate::collect::{self, Collected};
use crate::outcome::CheckResult;

/// The rayon pool size every check gets, so the parallel checks see several
/// workers even on a one-core machine.
pub const RAYON_THREADS: &str = "4";
/// Extra time the supervisor allows past the child's own watchdog.
const GRACE: Duration = Duration::from_secs(2);

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// One run of a harness: a scratch folder for its record file, and an empty
/// working directory beside it.
struct Scratch {
    dir: PathBuf,
    workdir: PathBuf,
}

impl Scratch {
    fn new(config: &Config) -> Result<Self> {
        let n = RUNS.fetch_add(1, Ordering::SeqCst);
        let dir = config
            .checker_dir
            .join("runs")
            .join(format!("{}-{n}", std::process::id()));
        let workdir = dir.join("work");
        std::fs::create_dir_all(&workdir)
            .with_context(|| format!("cannot create {}", workdir.display()))?;
        Ok(Scratch { dir, workdir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the harness once with `args` and collects what it reported.
fn supervise(
    config: &Config,
    exercise: &Exercise,
    harness: &Path,
    args: &[&str],
    artifacts: &Path,
    deadline: Duration,
) -> Result<Collected> {
    let scratch = Scratch::new(config)?;
    let record = scratch.dir.join("record.jsonl");
    std::fs::write(&record, "").context("cannot create a record file")?;
    let key = Key::random();
    let mut command = Command::new(harness);
    command
        .args(args)
        .current_dir(&scratch.workdir)
        .env(protocol::ENV_RECORD, &record)
        .env(protocol::ENV_SEED, config.seed.to_string())
        .env(protocol::ENV_ARTIFACTS, artifacts)
        .env(protocol::ENV_DEADLINE_MS, deadline.as_millis().to_string())
        .env("RAYON_NUM_THREADS", RAYON_THREADS)
        .env("RUST_BACKTRACE", "0");
    let finished = child::run(command, deadline + GRACE, key.to_line().as_bytes())
        .with_context(|| format!("cannot start {}", harness.display()))?;
    let records = std::fs::read_to_string(&record).unwrap_or_default();
    Ok(collect::collect(
        &records,
        key,
        finished,
        exercise,
        &config.root,
    ))
}

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

/// Runs every check of `exercise` with the built `harness`, reporting
/// progress to `on_check` as it goes.
pub fn grade(
    config: &Config,
    exercise: &Exercise,
    subject_key: &str,
    harness: &Path,
    on_check: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<CheckResult>> {
    let artifacts = config
        .checker_dir
        .join("artifacts")
        .join(&exercise.id)
        .join(subject_key);
    std::fs::create_dir_all(&artifacts)
        .with_context(|| format!("cannot create {}", artifacts.display()))?;

    let listed = supervise(
        config,
        exercise,
        harness,
        &["--list"],
        &artifacts,
        Duration::from_secs(30),
    )?;
    let checks: Vec<CheckInfo> = match listed.checks {
        Some(checks) => checks,
        None => {
            let result = listed.into_result("list of checks", "");
            on_check(Progress::Finished(&result));
            return Ok(vec![result]);
        }
    };

    let mut results = Vec::new();
    let total = checks.len();
    for (index, check) in checks.into_iter().enumerate() {
        on_check(Progress::Started {
            name: &check.name,
            index: index + 1,
            total,
        });
        if crate::interrupt::requested() {
            anyhow::bail!("interrupted");
        }
        let collected = supervise(
            config,
            exercise,
            harness,
            &["--check", &check.name],
            &artifacts,
            config.timeout,
        )?;
        let result = collected.into_result(&check.name, &check.about);
        on_check(Progress::Finished(&result));
        results.push(result);
    }
    Ok(results)
}
