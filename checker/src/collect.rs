//! Collect: turns what a child left behind into an [`Outcome`].
//!
//! Only records sealed with the child's key count, and only a verdict record
//! can make a check pass. Exit status 0 means nothing by itself: learner code
//! that calls `process::exit(0)` ends the child with status 0 and no verdict,
//! which is a crash. The child's output is kept to show the learner, never
//! parsed.

use std::path::Path;

use protocol::{CheckInfo, Record, Verdict};

use crate::catalogue::Exercise;
use crate::outcome::{CheckResult, Outcome};
use crate::run::Ran;
use crate::run::child::Finished;

/// What one child reported, before it is judged.
#[derive(Debug)]
pub struct Collected {
    /// The harness's list of checks, when it was asked for one.
    pub checks: Option<Vec<CheckInfo>>,
    verdict: Option<Verdict>,
    panics: Vec<Panic>,
    deadline_reached: bool,
    finished: Finished,
    timeout_hint: String,
    oversized: Option<u64>,
}

/// A panic the child reported.
#[derive(Debug)]
struct Panic {
    message: String,
    location: Option<String>,
    explanation: Option<String>,
}

/// The marker of `todo!()`'s panic message.
const TODO_MESSAGE: &str = "not yet implemented";
/// Lines of the child's output shown under a panic, crash or timeout.
const OUTPUT_LINES: usize = 12;

/// Reads the record file's lines that the child's key sealed, and drops the
/// rest. Panic locations under `root` are shown relative to it.
pub fn collect(ran: Ran, exercise: &Exercise, root: &Path) -> Collected {
    let Ran {
        records,
        oversized,
        key,
        finished,
    } = ran;
    let mut collected = Collected {
        checks: None,
        verdict: None,
        panics: Vec::new(),
        deadline_reached: false,
        finished,
        timeout_hint: exercise.timeout_hint.clone(),
        oversized,
    };
    for line in records.lines() {
        let Some(record) = key.open(line) else {
            continue;
        };
        match record {
            Record::Checks { checks } => collected.checks = Some(checks),
            Record::Panic {
                message,
                location,
                explanation,
            } => {
                let location = location.map(|l| {
                    Path::new(&l)
                        .strip_prefix(root)
                        .map_or(l.clone(), |p| p.display().to_string())
                });
                collected.panics.push(Panic {
                    message,
                    location,
                    explanation,
                });
            }
            Record::Verdict(verdict) => collected.verdict = Some(verdict),
            Record::DeadlineReached => collected.deadline_reached = true,
        }
    }
    collected
}

impl Collected {
    /// Judges the child: the check's result.
    pub fn into_result(self, name: &str, about: &str) -> CheckResult {
        let duration = self.finished.duration;
        let mut result = match self.verdict {
            // A check decides passed, failed or inconclusive; any other
            // outcome in a genuine record is a grader's mistake.
            Some(verdict) if !verdict.outcome.is_decision() => CheckResult::bare(
                name,
                Outcome::Crashed,
                format!(
                    "the grader sent `{}` as a verdict, which only the checker may give: a bug \
                     in the grader",
                    verdict.outcome.label()
                ),
            ),
            Some(verdict) => CheckResult {
                name: name.to_string(),
                about: String::new(),
                outcome: verdict.outcome,
                message: verdict.message,
                details: verdict.details,
                timeline: verdict.timeline,
                artifacts: verdict.artifacts,
                output: None,
                duration,
            },
            // The verdict may be past the part of the file that was read.
            None if self.oversized.is_some() => CheckResult::bare(
                name,
                Outcome::Crashed,
                oversized_message(self.oversized.unwrap_or_default()),
            ),
            None => {
                let (outcome, message) = judge_without_verdict(
                    &self.panics,
                    self.deadline_reached,
                    &self.finished,
                    &self.timeout_hint,
                );
                let mut result = CheckResult::bare(name, outcome, message);
                if outcome != Outcome::NotStarted {
                    result.output = tail(&self.finished.output);
                }
                result
            }
        };
        result.about = about.to_string();
        result.duration = duration;
        result
    }
}

/// Why a check whose record file grew past the cap has no verdict.
fn oversized_message(size: u64) -> String {
    format!(
        "the check's record file grew to {:.1} MiB, past the {} MiB the checker reads, so its \
         verdict could not be read: code in the check wrote to the checker's own record file",
        size as f64 / (1024.0 * 1024.0),
        crate::run::RECORDS_CAP / (1024 * 1024)
    )
}

fn judge_without_verdict(
    panics: &[Panic],
    deadline_reached: bool,
    finished: &Finished,
    timeout_hint: &str,
) -> (Outcome, String) {
    if deadline_reached || finished.status.is_none() {
        return (
            Outcome::TimedOut,
            format!(
                "still running after {:.0} s, so it was stopped. {timeout_hint}",
                finished.duration.as_secs_f64().floor()
            ),
        );
    }
    let status = finished.status.expect("checked above");
    // A process that exited by itself with a status other than a panic's
    // (101) called `process::exit`, whatever it may have panicked and
    // caught before.
    if let Some(code) = status.code().filter(|code| *code != 101) {
        return (Outcome::Crashed, exit_message(code));
    }
    let place = |location: &Option<String>| {
        location
            .as_deref()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default()
    };
    if let Some(Panic { location, .. }) =
        panics.iter().find(|p| p.message.starts_with(TODO_MESSAGE))
    {
        return (
            Outcome::NotStarted,
            format!(
                "reached todo!(){}: this part is not written yet",
                place(location)
            ),
        );
    }
    if let Some(panic) = panics.first() {
        let mut message = format!("panicked{}: {}", place(&panic.location), panic.message);
        if let Some(explanation) = &panic.explanation {
            message.push_str(&format!(
                "\nThe async runtime raised this panic itself: {explanation}"
            ));
        }
        return (Outcome::Panicked, message);
    }
    if status.code() == Some(101) {
        return (
            Outcome::Panicked,
            "panicked, and its message could not be captured (was the panic hook replaced?)".into(),
        );
    }
    (Outcome::Crashed, crash_message(status))
}

#[cfg(unix)]
fn crash_message(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (_, Some(signal)) => {
            let meaning = match signal {
                libc::SIGABRT => {
                    " (an abort: a stack overflow, a panic while panicking, or std::process::abort)"
                }
                libc::SIGSEGV | libc::SIGBUS => " (a memory fault, often a stack overflow)",
                libc::SIGKILL => " (killed from outside, perhaps for using too much memory)",
                _ => "",
            };
            format!("the process was killed by signal {signal}{meaning} before the check finished")
        }
        (Some(code), None) => exit_message(code),
        (None, None) => "the process ended before the check finished".to_string(),
    }
}

/// Without signals (Windows) an exit status holds only a code. Compiled
/// for the tests on Unix too.
#[cfg(not(unix))]
fn crash_message(status: std::process::ExitStatus) -> String {
    code_only_crash_message(status)
}

#[cfg(any(not(unix), test))]
fn code_only_crash_message(status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => exit_message(code),
        None => "the process ended before the check finished".to_string(),
    }
}

fn exit_message(code: i32) -> String {
    format!(
        "the process exited with status {code} before the check finished: does the code call \
         std::process::exit? A library function must return its result instead."
    )
}

/// The last lines of the output, if there is any.
fn tail(output: &str) -> Option<String> {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return None;
    }
    Some(lines[lines.len().saturating_sub(OUTPUT_LINES)..].join("\n"))
}

#[cfg(test)]
mod tests {
    /// The message where an exit status has only a code: a code is named,
    /// and a status without one (a kill, on Unix) still says the check
    /// did not finish. The Unix message names the signal instead.
    #[cfg(unix)]
    #[test]
    fn without_signals_a_status_is_told_by_its_code() {
        use std::os::unix::process::ExitStatusExt;
        let exited = std::process::ExitStatus::from_raw(3 << 8);
        let message = super::code_only_crash_message(exited);
        assert!(message.contains("exited with status 3"), "{message}");
        let killed = std::process::ExitStatus::from_raw(libc::SIGKILL);
        assert_eq!(
            super::code_only_crash_message(killed),
            "the process ended before the check finished"
        );
        let message = super::crash_message(killed);
        assert!(message.contains("signal 9"), "{message}");
    }
}
