//! The checker's overhead: its own time against building and running the
//! very harness binaries it runs, by hand.
//!
//! The checker writes one harness workspace per set of graded crates under
//! `target/checker/harness/`; this finds the one of the full run of the
//! solutions, builds it with one `cargo build` and starts each binary once
//! with `--list` and once per check, one after another, as the checker
//! does. Without the checker's record file a harness writes its records,
//! unsealed, on stderr: the list of checks is read from there. What the
//! checker adds (process groups, a sandbox, sealed records, the report)
//! is the difference.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use protocol::Record;

/// The harness workspace whose members grade all of `solutions/`: the one
/// with the most members among those of the solutions.
pub fn solutions_workspace(clone: &Path) -> Result<PathBuf> {
    let harness = clone.join("target/checker/harness");
    let mut best: Option<(usize, PathBuf)> = None;
    for entry in std::fs::read_dir(&harness)
        .with_context(|| format!("no harnesses in {}", harness.display()))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("solutions") {
            continue;
        }
        let members = std::fs::read_dir(entry.path())?
            .flatten()
            .filter(|e| e.path().join("Cargo.toml").is_file())
            .count();
        if best.as_ref().is_none_or(|(n, _)| members > *n) {
            best = Some((members, entry.path()));
        }
    }
    best.map(|(_, dir)| dir)
        .context("the checker wrote no harness of the solutions")
}

/// Builds the workspace's harnesses and runs every check of each, directly.
/// Returns the wall time of the whole, build included.
pub fn run_all(workspace: &Path, target: &Path, seed: &str) -> Result<Duration> {
    let started = Instant::now();
    let output = Command::new(crate::course::cargo())
        .args([
            "build",
            "--quiet",
            "--message-format",
            "json",
            "--manifest-path",
        ])
        .arg(workspace.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .context("cannot run cargo build")?;
    if !output.status.success() {
        bail!(
            "cargo build of the harnesses failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut binaries = executables(&String::from_utf8_lossy(&output.stdout));
    binaries.sort();
    let scratch = tempdir_in(target)?;
    for binary in &binaries {
        for check in checks_of(binary, &scratch, seed)? {
            let status = harness(binary, &scratch, seed)
                .args(["--check", &check])
                .output()
                .with_context(|| format!("cannot run {}", binary.display()))?
                .status;
            if !status.success() {
                bail!("{} --check {check} ended with {status}", binary.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(started.elapsed())
}

/// The harness binary, set up as the checker sets it up (the seed, the pool
/// size, a working folder), without the checker's record file.
fn harness(binary: &Path, scratch: &Path, seed: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir(scratch)
        .env(protocol::record::ENV_SEED, seed)
        .env(protocol::record::ENV_ARTIFACTS, scratch)
        .env("RAYON_NUM_THREADS", "4")
        .env("RUST_BACKTRACE", "0");
    command
}

/// The names of `binary`'s checks, from its `--list` records on stderr.
fn checks_of(binary: &Path, scratch: &Path, seed: &str) -> Result<Vec<String>> {
    let output = harness(binary, scratch, seed)
        .arg("--list")
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines() {
        let Some(json) = line.strip_prefix("[record] ") else {
            continue;
        };
        if let Ok(Record::Checks { checks }) = serde_json::from_str(json) {
            return Ok(checks.into_iter().map(|c| c.name).collect());
        }
    }
    bail!("{} --list gave no list of checks", binary.display())
}

/// The executables in cargo's `--message-format json` output.
fn executables(messages: &str) -> Vec<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|m| m.get("executable")?.as_str().map(PathBuf::from))
        .collect()
}

/// A fresh folder under `parent`.
fn tempdir_in(parent: &Path) -> Result<PathBuf> {
    let dir = parent.join(format!("bench-direct-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only cargo's artifact messages that name an executable count.
    #[test]
    fn executables_are_read_from_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","executable":null}
{"reason":"compiler-artifact","executable":"/t/debug/grade-02"}
not json
{"reason":"build-finished","success":true}"#;
        assert_eq!(executables(messages), [PathBuf::from("/t/debug/grade-02")]);
    }
}
