//! Runs `cargo build --keep-going --message-format=json` over the harness
//! workspace and reads its messages: which executable each harness became,
//! and the first compiler error of each one that failed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
        // Grading a submission uses only what is already downloaded: the
        // template's lock decides every version.
        .args(config.submission.is_some().then_some("--offline"))
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
    // cargo and the compilers it starts form a group of their own, so a
    // build that runs past its deadline (or is interrupted) is stopped
    // whole.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
            "cargo was not found. Install Rust with rustup (https://rustup.rs) and run the \
             checker again with `cargo run -p checker`."
        ),
        Err(err) => return Err(err).context("cannot start cargo"),
    };

    let deadline = Deadline::watch(child.id(), config.build_timeout);

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
                // The subject compiled, but the grader cannot call it.
                let in_grader = manifest.and_then(Path::parent).is_some_and(|dir| {
                    harness
                        .members
                        .iter()
                        .any(|m| dir == harness.dir.join(&m.exercise))
                });
                // An error in the grader is told in one line, within a
                // sentence: the grader's code is not the learner's to read.
                let mut error = first_error(&message["message"], &config.root, !in_grader);
                error.in_grader = in_grader;
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
    let timed_out = deadline.finish();
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
            None if timed_out => Err(BuildError {
                summary: format!(
                    "compilation did not finish in {} s, so it was stopped. Does the code make \
                     the compiler loop (a const that never ends, a recursive macro)?",
                    config.build_timeout.as_secs()
                ),
                location: None,
                in_grader: false,
            }),
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

/// The most lines of one compiler error shown: rustc's help and notes fit
/// easily; an error that quotes a whole page is cut with a pointer to cargo.
const MAX_ERROR_LINES: usize = 30;

/// A compiler error. In `full`, rustc's own rendering of it (the code it
/// points at, its `help:` and `note:` lines) with paths relative to the
/// workspace root (`--message-format=json` renders without colour);
/// otherwise its first line and its place.
fn first_error(message: &Value, root: &Path, full: bool) -> BuildError {
    let text = message["message"]
        .as_str()
        .unwrap_or("a compile error")
        .to_string();
    let code = message["code"]["code"].as_str();
    let headline = match code {
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
    let full = message["rendered"]
        .as_str()
        .filter(|_| full)
        .map(|r| rendered(r, root));
    match full {
        // The rendering holds the place itself (`--> file:line:col`).
        Some(full) if !full.is_empty() => BuildError {
            summary: full,
            location: None,
            in_grader: false,
        },
        _ => BuildError {
            summary: headline,
            location,
            in_grader: false,
        },
    }
}

/// rustc's rendered error, trimmed, its absolute paths under `root` made
/// relative, and cut at [`MAX_ERROR_LINES`].
fn rendered(text: &str, root: &Path) -> String {
    let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
    let text = text.trim_end().replace(&prefix, "");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_ERROR_LINES {
        return text;
    }
    let mut cut = lines[..MAX_ERROR_LINES].join("\n");
    cut.push_str(&format!(
        "\n... ({} more lines of this error)",
        lines.len() - MAX_ERROR_LINES
    ));
    cut
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

/// Stops cargo's process group when the build runs past its deadline or the
/// checker is interrupted.
struct Deadline {
    done: Arc<AtomicBool>,
    timed_out: Arc<AtomicBool>,
    watcher: std::thread::JoinHandle<()>,
}

impl Deadline {
    fn watch(pid: u32, limit: Duration) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let timed_out = Arc::new(AtomicBool::new(false));
        let (finished, late) = (done.clone(), timed_out.clone());
        let started = Instant::now();
        let watcher = std::thread::spawn(move || {
            while !finished.load(Ordering::SeqCst) {
                let interrupted = crate::interrupt::requested();
                if interrupted || started.elapsed() >= limit {
                    late.store(!interrupted, Ordering::SeqCst);
                    kill_group(pid);
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Deadline {
            done,
            timed_out,
            watcher,
        }
    }

    /// Ends the watch once cargo has exited; whether it ran out of time.
    fn finish(self) -> bool {
        self.done.store(true, Ordering::SeqCst);
        let _ = self.watcher.join();
        self.timed_out.load(Ordering::SeqCst)
    }
}

#[cfg(unix)]
fn kill_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals the process group that
        // cargo leads; it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// Windows has no process groups to signal: `taskkill /T` ends cargo and
/// every process it started (its tree), so a build past its deadline
/// stops there too.
#[cfg(windows)]
fn kill_group(pid: u32) {
    let _ = std::process::Command::new("taskkill")
        .args(["/F", "/T", "/PID", &pid.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

/// Elsewhere the deadline cannot reach cargo; it still ends with the
/// checker.
#[cfg(not(any(unix, windows)))]
fn kill_group(_pid: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// rustc's message for a missing trait import, as cargo sends it.
    fn missing_trait(root: &str) -> Value {
        serde_json::json!({
            "message": "no method named `par_chunks_mut` found",
            "code": { "code": "E0599" },
            "level": "error",
            "spans": [{
                "file_name": format!("{root}/exercises/06_x/src/lib.rs"),
                "line_start": 28, "column_start": 10, "is_primary": true
            }],
            "rendered": format!(
                "error[E0599]: no method named `par_chunks_mut` found\n  \
                 --> {root}/exercises/06_x/src/lib.rs:28:10\n   |\n28 |         .par_chunks_mut(width)\n   \
                 |          ^^^^^^^^^^^^^^\n   |\n   = help: items from traits can only be used if the trait is in scope\n\
                 help: trait `ParallelSliceMut` which provides `par_chunks_mut` is implemented but not in scope; \
                 perhaps you want to import it\n   |\n 1 + use rayon::prelude::*;\n   |\n\n"
            ),
        })
    }

    /// The whole rendering is kept, help lines included, with paths made
    /// relative to the root.
    #[test]
    fn keeps_rustcs_help_with_relative_paths() {
        let error = first_error(&missing_trait("/w/root"), Path::new("/w/root"), true);
        assert!(
            error.summary.starts_with("error[E0599]: no method named"),
            "{}",
            error.summary
        );
        assert!(
            error
                .summary
                .contains("--> exercises/06_x/src/lib.rs:28:10"),
            "{}",
            error.summary
        );
        assert!(
            error.summary.contains("use rayon::prelude::*;"),
            "{}",
            error.summary
        );
        assert!(
            error.summary.contains("= help: items from traits"),
            "{}",
            error.summary
        );
        assert!(!error.summary.contains("/w/root"), "{}", error.summary);
        assert!(!error.summary.ends_with('\n'));
        assert_eq!(error.location, None);
    }

    /// For the grader's own errors, one line and a place.
    #[test]
    fn a_short_form_for_grader_errors() {
        let error = first_error(&missing_trait("/w/root"), Path::new("/w/root"), false);
        assert_eq!(
            error.summary,
            "error[E0599]: no method named `par_chunks_mut` found"
        );
        assert_eq!(
            error.location.as_deref(),
            Some("exercises/06_x/src/lib.rs:28:10")
        );
    }

    /// A very long error is cut, and says how much was left out.
    #[test]
    fn long_errors_are_cut() {
        let long = (0..100)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let cut = rendered(&long, Path::new("/w"));
        assert_eq!(cut.lines().count(), MAX_ERROR_LINES + 1);
        assert!(cut.ends_with("... (70 more lines of this error)"), "{cut}");
    }
}
