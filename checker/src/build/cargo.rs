//! Runs `cargo build --keep-going --message-format=json` over the harness
//! workspace and reads its messages: which executable each harness became,
//! and the first compiler error of each one that failed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::workspace::Harness;
use super::{BuildError, Built};
use crate::cli::Config;

/// Where to find cargo: the one that runs us, else the one on the PATH.
fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Builds every member of `harness`.
pub fn build(config: &Config, harness: &Harness, progress: &mut dyn FnMut(&str)) -> Result<Built> {
    let mut command = Command::new(cargo_program());
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(harness.dir.join("Cargo.toml"))
        .args(["--keep-going", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &config.target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if config.cargo_progress_on_terminal() {
            // cargo draws its own progress bar on a terminal.
            Stdio::inherit()
        } else {
            Stdio::piped()
        });
    for member in &harness.members {
        command.arg("-p").arg(&member.package);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
            "cargo was not found. Install Rust with rustup (https://rustup.rs) and run the \
             checker again with `cargo run -p checker`."
        ),
        Err(err) => return Err(err).context("cannot start cargo"),
    };

    // cargo's own messages (progress, manifest errors) come on stderr: keep
    // the tail for errors that have no JSON form, and pass progress on.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        })
    });

    let mut executables: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors: BTreeMap<String, BuildError> = BTreeMap::new();
    let mut shared_error: Option<BuildError> = None;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stderr_tail: Vec<String> = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        for progress_line in rx.try_iter() {
            progress(&progress_line);
            keep_tail(&mut stderr_tail, progress_line);
        }
        let Ok(message) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let manifest = message["manifest_path"].as_str().map(Path::new);
        let owner = manifest.and_then(|m| owner(harness, m));
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let (Some(exe), Some(id)) = (message["executable"].as_str(), &owner) {
                    executables.insert(id.clone(), PathBuf::from(exe));
                }
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let mut error = first_error(&message["message"], &config.root);
                // The subject compiled, but the grader cannot call it.
                error.in_grader = manifest.and_then(Path::parent).is_some_and(|dir| {
                    harness
                        .members
                        .iter()
                        .any(|m| dir == harness.dir.join(&m.exercise))
                });
                match owner {
                    Some(id) => {
                        errors.entry(id).or_insert(error);
                    }
                    None => {
                        shared_error.get_or_insert(error);
                    }
                }
            }
            _ => {}
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    if let Some(reader) = reader {
        let _ = reader.join();
    }
    for progress_line in rx.try_iter() {
        progress(&progress_line);
        keep_tail(&mut stderr_tail, progress_line);
    }

    let mut built = Built::new();
    for member in &harness.members {
        let id = &member.exercise;
        let result = match executables.remove(id) {
            Some(exe) => Ok(exe),
            None => Err(errors
                .remove(id)
                .or_else(|| shared_error.clone())
                .unwrap_or_else(|| cargo_failure(status.code(), &stderr_tail))),
        };
        built.insert(id.clone(), result);
    }
    Ok(built)
}

/// Which exercise a manifest belongs to: its harness crate or its subject.
fn owner(harness: &Harness, manifest: &Path) -> Option<String> {
    let dir = manifest.parent()?;
    harness
        .members
        .iter()
        .find(|m| dir == harness.dir.join(&m.exercise) || dir == m.subject)
        .map(|m| m.exercise.clone())
}

fn keep_tail(tail: &mut Vec<String>, line: String) {
    tail.push(line);
    if tail.len() > 40 {
        tail.remove(0);
    }
}

/// A compiler error, reduced to its first line and its place.
fn first_error(message: &Value, root: &Path) -> BuildError {
    let text = message["message"]
        .as_str()
        .unwrap_or("a compile error")
        .to_string();
    let code = message["code"]["code"].as_str();
    let summary = match code {
        Some(code) => format!("error[{code}]: {text}"),
        None => format!("error: {text}"),
    };
    let spans = message["spans"].as_array().cloned().unwrap_or_default();
    let primary = spans
        .iter()
        .find(|s| s["is_primary"] == true)
        .or(spans.first());
    let location = primary.map(|span| {
        let file = span["file_name"].as_str().unwrap_or("?");
        let file = Path::new(file)
            .strip_prefix(root)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| file.to_string());
        format!("{file}:{}:{}", span["line_start"], span["column_start"])
    });
    BuildError {
        summary,
        location,
        in_grader: false,
    }
}

/// An error cargo reported without a compiler message (a broken manifest,
/// an unknown dependency): its own `error:` lines.
fn cargo_failure(code: Option<i32>, stderr: &[String]) -> BuildError {
    let start = stderr
        .iter()
        .position(|l| l.starts_with("error"))
        .unwrap_or(0);
    let text: Vec<&str> = stderr[start..]
        .iter()
        .map(String::as_str)
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect();
    BuildError {
        summary: if text.is_empty() {
            format!("cargo build failed (exit status {code:?}); cargo's own message is above")
        } else {
            text.join("\n")
        },
        location: None,
        in_grader: false,
    }
}
