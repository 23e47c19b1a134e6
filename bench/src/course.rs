//! The checker's figures, measured the way a learner meets them: in a
//! fresh clone of this repository, through `cargo run -p checker`.
//!
//! Nothing here touches the repository the bench runs from: the clone is
//! made in a temporary folder, its solutions are edited there, and it is
//! removed at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A fresh clone of the repository, with a target folder of its own.
pub struct Clone {
    /// Its root.
    pub root: PathBuf,
}

impl Clone {
    /// Clones the repository at `from` (its last commit) into `into`.
    pub fn new(from: &Path, into: &Path) -> Result<Clone> {
        let root = into.join("course");
        let output = Command::new("git")
            .args(["clone", "--quiet"])
            .arg(from)
            .arg(&root)
            .output()
            .context("cannot run git (the bench clones the repository with it)")?;
        if !output.status.success() {
            bail!(
                "git clone failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(Clone { root })
    }

    /// `cargo run -p checker -- ARGS` in the clone, as a learner types it:
    /// cargo's own look at whether the checker needs building is part of
    /// the time. Returns the wall time and what it printed.
    pub fn checker(&self, args: &[&str]) -> Result<(Duration, Output)> {
        let mut command = Command::new(cargo());
        command
            .args(["run", "--quiet", "-p", "checker", "--"])
            .args(args)
            .args(["--color", "never"]);
        self.timed(command)
    }

    /// Runs `command` in the clone, with the clone's own target folder.
    pub fn timed(&self, mut command: Command) -> Result<(Duration, Output)> {
        command
            .current_dir(&self.root)
            .env_remove("CARGO_TARGET_DIR")
            .env("CARGO_TERM_COLOR", "never");
        let started = Instant::now();
        let output = command
            .output()
            .with_context(|| format!("cannot run {command:?}"))?;
        Ok((started.elapsed(), output))
    }

    /// Adds a comment line to the end of `file` (relative to the root): an
    /// edit that changes nothing but makes cargo build the crate again.
    pub fn touch_source(&self, file: &str, n: usize) -> Result<()> {
        let path = self.root.join(file);
        let mut text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {file}"))?;
        text.push_str(&format!("// bench edit {n}\n"));
        std::fs::write(&path, text).with_context(|| format!("cannot write {file}"))
    }

    /// The folder of exercise `number` (`"06"`) under `solutions/`.
    pub fn solution_of(&self, number: &str) -> Result<String> {
        let found = std::fs::read_dir(self.root.join("solutions"))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|name| name.starts_with(&format!("{number}_")));
        found
            .map(|name| format!("solutions/{name}"))
            .with_context(|| format!("no solution of exercise {number}"))
    }
}

/// The cargo that runs this bench, so nested builds use the same toolchain.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `output`'s exit code, which must be one of `expected`.
pub fn expect_code(what: &str, output: &Output, expected: &[i32]) -> Result<()> {
    let code = output.status.code();
    if code.is_some_and(|c| expected.contains(&c)) {
        return Ok(());
    }
    bail!(
        "{what} ended with {code:?}, expected {expected:?}:\n{}\n{}",
        tail(&output.stdout),
        tail(&output.stderr)
    )
}

/// The last lines of a stream, for an error message.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
