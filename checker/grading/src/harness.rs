//! The `main` of every harness executable.
//!
//! The supervisor runs `harness --list` once, then `harness --check NAME` once
//! per check, each in a fresh process. Here the child:
//!
//! 1. takes its orders from the environment (record file, seed, deadline)
//!    and its secret key from stdin, before any learner code runs;
//! 2. installs a panic hook that reports every panic as a record, so a
//!    `todo!()` is told apart from other panics;
//! 3. starts a watchdog thread that ends the process at the deadline, a
//!    second line of defence behind the supervisor's own kill;
//! 4. runs the check and writes its verdict, then exits at once without
//!    waiting for threads the learner's code may have left running.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use protocol::Verdict;
use protocol::record::{self, CheckInfo, Key, Record};

/// One check of a grader.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Short identifier, shown in reports: `overlapping_waits`.
    pub name: &'static str,
    /// One sentence: what the check establishes.
    pub about: &'static str,
    /// Runs the learner's code under the instruments and decides.
    pub run: fn(&Ctx) -> Verdict,
}

/// What a check is given to work with.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Seed for generated inputs; printed by the supervisor so a run can be
    /// repeated with `--seed`.
    pub seed: u64,
    /// Folder where the check may write files for the learner (images).
    pub artifacts: PathBuf,
    /// When the check's own watchdog ends it (`--timeout`), if known: a
    /// check whose work takes long on a busy machine can stop just before.
    pub deadline: Option<Duration>,
}

struct Sink {
    file: Mutex<File>,
    key: Key,
}

static SINK: OnceLock<Sink> = OnceLock::new();

/// Sends one record to the supervisor. Without orders (run by hand), prints
/// the record on stderr instead so a developer can see it.
fn send(record: Record) {
    match SINK.get() {
        Some(sink) => {
            let line = sink.key.seal(&record);
            let mut file = sink.file.lock().unwrap_or_else(|p| p.into_inner());
            let _ = file.write_all(line.as_bytes());
            let _ = file.flush();
        }
        None => eprintln!(
            "[record] {}",
            serde_json::to_string(&record).unwrap_or_default()
        ),
    }
}

/// Ends the check at once with `verdict`, from any thread: for a grader's
/// watchdog that sees the learner's code make no progress (a poll that
/// never returns, a loop that never ends) while the check's own thread is
/// stuck inside it.
pub fn conclude(verdict: Verdict) -> ! {
    send(Record::Verdict(verdict));
    std::process::exit(0);
}

/// Reads a variable and removes it from the environment.
fn take_var(name: &str) -> Option<String> {
    let value = std::env::var(name).ok();
    // SAFETY: called from `main` before this process starts any thread, so no
    // other thread can be reading the environment at the same time.
    unsafe { std::env::remove_var(name) };
    value
}

/// Set once `main` has started: a second call (from learner code that
/// depends on this crate) would run checks of its own choosing.
static STARTED: AtomicBool = AtomicBool::new(false);

/// The harness's entry point: call it from the grader's `main` with the
/// grader's checks.
pub fn main(checks: &[Check]) -> ! {
    if STARTED.swap(true, Ordering::SeqCst) {
        eprintln!("harness: main may run only once per process");
        std::process::abort();
    }
    let record = take_var(record::ENV_RECORD);
    let seed = take_var(record::ENV_SEED)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let artifacts = take_var(record::ENV_ARTIFACTS)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let deadline = take_var(record::ENV_DEADLINE_MS).and_then(|s| s.parse::<u64>().ok());
    let sandbox = take_var(record::ENV_SANDBOX);

    if let Some(path) = record {
        // The key comes on stdin, which is then at its end: learner code
        // that reads stdin finds nothing.
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        let Some(key) = Key::from_line(&line) else {
            eprintln!("harness: no key on stdin");
            std::process::exit(2);
        };
        match OpenOptions::new().append(true).create(true).open(&path) {
            Ok(file) => {
                let _ = SINK.set(Sink {
                    file: Mutex::new(file),
                    key,
                });
            }
            Err(err) => {
                eprintln!("harness: cannot open the record file {path}: {err}");
                std::process::exit(2);
            }
        }
    }

    // Under the supervisor, the sandbox closes before any learner code runs
    // and before any thread starts (Landlock binds the threads started
    // after it). The record file is open already, and stays usable.
    if SINK.get().is_some() && sandbox.as_deref() != Some("off") {
        let mut writable = vec![artifacts.clone()];
        writable.extend(std::env::current_dir().ok());
        crate::sandbox::enter(&crate::sandbox::Policy { writable });
    }

    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "a panic without a message".to_string()
        };
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        let explanation =
            crate::runtime_panics::explain_runtime_panic(&message).map(str::to_string);
        send(Record::Panic {
            message,
            location,
            explanation,
        });
        default_hook(info);
    }));

    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--list"] => {
            let checks = checks
                .iter()
                .map(|c| CheckInfo {
                    name: c.name.to_string(),
                    about: c.about.to_string(),
                })
                .collect();
            send(Record::Checks { checks });
            std::process::exit(0);
        }
        ["--check", name] => {
            let Some(check) = checks.iter().find(|c| c.name == *name) else {
                eprintln!("harness: no check named {name}");
                std::process::exit(2);
            };
            if let Some(ms) = deadline {
                start_watchdog(Duration::from_millis(ms));
            }
            let ctx = Ctx {
                seed,
                artifacts,
                deadline: deadline.map(Duration::from_millis),
            };
            match panic::catch_unwind(AssertUnwindSafe(|| (check.run)(&ctx))) {
                Ok(verdict) => {
                    send(Record::Verdict(verdict));
                    std::process::exit(0);
                }
                // The panic hook has already reported the panic.
                Err(_) => std::process::exit(101),
            }
        }
        _ => {
            eprintln!("usage: harness --list | harness --check NAME");
            std::process::exit(2);
        }
    }
}

fn start_watchdog(deadline: Duration) {
    let spawned = std::thread::Builder::new()
        .name("checker-watchdog".into())
        .spawn(move || {
            std::thread::sleep(deadline);
            send(Record::DeadlineReached);
            std::process::exit(124);
        });
    if spawned.is_err() {
        eprintln!("harness: could not start the watchdog; the supervisor's deadline still applies");
    }
}
