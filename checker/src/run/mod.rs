//! Run: starts a harness in a child process of its own and hands back what
//! it left, unjudged (collect judges).
//!
//! The pipeline asks each harness for its list of checks first (`--list`),
//! then starts it once per check (`--check NAME`). Each child gets a fresh
//! record file and key, a seed, a folder for its images and a deadline; it
//! runs in its own process group, which is killed when the deadline
//! passes. Checks run one at a time: the parallel ones measure cores, and a
//! neighbour would steal them.

mod cgroup;
pub mod child;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use protocol::record::{self, Key};

use crate::cli::Config;
use crate::subject::Subject;
use child::Finished;

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

/// What one run of a harness left behind, before anything is judged:
/// collect opens the records with the key and decides what they mean.
#[derive(Debug)]
pub struct Ran {
    /// The record file's text, every line, sealed or not.
    pub records: String,
    /// The record file's size when it is larger than what was read: code
    /// in the check grew it (nothing of the checker's comes near the cap).
    pub oversized: Option<u64>,
    /// The key this child's genuine records are sealed with.
    pub key: Key,
    /// How the process ended.
    pub finished: Finished,
}

/// The most of a record file that is read: a check sends a few records of
/// a few kilobytes, and a file grown by learner code is cut here.
pub const RECORDS_CAP: u64 = 4 * 1024 * 1024;

/// The first `RECORDS_CAP` bytes of the record file, as text.
fn read_capped(path: &Path) -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(RECORDS_CAP).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// How long `--list` may take: it runs no learner code.
pub const LIST_DEADLINE: Duration = Duration::from_secs(30);

/// The folder for the pictures of `subject`'s checks, created empty of
/// nothing: earlier pictures stay until a check writes new ones.
pub fn artifacts_dir(config: &Config, subject: &Subject) -> Result<PathBuf> {
    let dir = config
        .checker_dir
        .join("artifacts")
        .join(&subject.exercise.id)
        .join(&subject.key);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Runs the harness once with `args` in a child process of its own, under
/// `deadline`.
pub fn run(
    config: &Config,
    harness: &Path,
    args: &[&str],
    artifacts: &Path,
    deadline: Duration,
) -> Result<Ran> {
    let scratch = Scratch::new(config)?;
    let record = scratch.dir.join("record.jsonl");
    std::fs::write(&record, "").context("cannot create a record file")?;
    let key = Key::random();
    let mut command = Command::new(harness);
    command
        .args(args)
        .current_dir(&scratch.workdir)
        .env(record::ENV_RECORD, &record)
        .env(record::ENV_SEED, config.seed.to_string())
        .env(record::ENV_ARTIFACTS, artifacts)
        .env(record::ENV_DEADLINE_MS, deadline.as_millis().to_string())
        .env("RAYON_NUM_THREADS", RAYON_THREADS)
        .env("RUST_BACKTRACE", "0");
    let finished = child::run(command, deadline + GRACE, key.to_line().as_bytes())
        .with_context(|| format!("cannot start {}", harness.display()))?;
    let records = read_capped(&record);
    let oversized = std::fs::metadata(&record)
        .map(|m| m.len())
        .ok()
        .filter(|len| *len > RECORDS_CAP);
    Ok(Ran {
        records,
        oversized,
        key,
        finished,
    })
}
