//! Submissions that attack the supervision rather than the exercise. Each
//! is graded as if the hostile part were absent, and leaves nothing behind.

#[cfg(target_os = "linux")]
use std::sync::Arc;
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[cfg(target_os = "linux")]
use crate::support::run_json_with_env;
use crate::support::{fixture, run_json};

const FETCHES: &str = "02_three_fetches";
#[cfg(target_os = "linux")]
const TIMELINES: &str = "01_timelines";

/// What `git status` says of the parts of the checkout a check could try
/// to change: the graders, the checker, lab, the exercises, the solutions
/// and the fixtures. The graded code's own output goes to scratch folders
/// under `target/`, which git ignores.
fn checkout_status() -> String {
    let output = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .args(["checker", "lab", "exercises", "solutions", "tests/fixtures"])
        .current_dir(crate::support::root())
        .output();
    // Without git (or outside a checkout) there is nothing to compare.
    output
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Runs `grade` and asserts the checkout is as it was before.
fn leaving_the_checkout_as_it_was<T>(grade: impl FnOnce() -> T) -> T {
    let before = checkout_status();
    let graded = grade();
    assert_eq!(checkout_status(), before, "grading changed the checkout");
    graded
}

/// The processes whose command line is exactly `words`, from `/proc`.
#[cfg(target_os = "linux")]
fn processes(words: &[&str]) -> Vec<u32> {
    let wanted = words.join("\0") + "\0";
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            (cmdline == wanted.as_bytes()).then_some(pid)
        })
        .collect()
}

/// A correct solution that starts `sleep 600` in a process group of its
/// own, holding the check's stdout and stderr open, in every check. Killing
/// the check's group misses it and its output never ends; the checker
/// adopts it as the check's subreaper, kills it with the check, stops
/// reading, and grades the solution: every check passes, and no `sleep 600`
/// is left (the hang guard fails the test if the checker waits on it).
/// Linux only: the fixture uses Unix process groups, and elsewhere there is
/// no subreaper to adopt the process nor `/proc` to look for it.
#[cfg(target_os = "linux")]
#[test]
fn a_process_that_leaves_the_group_is_killed_with_its_check() {
    let report = leaving_the_checkout_as_it_was(|| {
        run_json(&[FETCHES, "--subject", &fixture(FETCHES, "escapes_group")])
    });
    report.run.assert_code(0);
    report.expect_all(FETCHES, "passed", &[]);
    let left = processes(&["sleep", "600"]);
    assert!(left.is_empty(), "left running: sleep 600 as {left:?}");
}

/// Whether this kernel runs Landlock, the sandbox of every check.
fn landlock() -> bool {
    std::fs::read_to_string("/sys/kernel/security/lsm").is_ok_and(|lsm| lsm.contains("landlock"))
}

/// A correct solution that first tries to open the grader's source, its
/// own memory, environment and memory map under `/proc/self`, to write a
/// file into the workspace, and to signal the checker; any attempt that
/// works makes it panic, naming each one. Without the sandbox
/// (`CHECKER_SANDBOX=off`, which the supervisor passes on) every attempt
/// works, which proves the fixture tries for real; in the sandbox none
/// does, and every check passes as if the attempts were absent, with no
/// file left behind.
#[test]
fn the_sandbox_keeps_a_check_to_its_own_folder() {
    if !landlock() {
        eprintln!("skipped: this kernel has no Landlock, so checks run without a sandbox");
        return;
    }
    let subject = fixture(FETCHES, "breaks_out");
    let planted = crate::support::root().join(&subject).join("planted.txt");

    let open = crate::support::run_json_with_env(
        &[FETCHES, "--subject", &subject],
        &[("CHECKER_SANDBOX", "off")],
    );
    open.expect_all(
        FETCHES,
        "panicked",
        &[
            "sandbox breached",
            "checker/graders/02_three_fetches/src/main.rs",
            "/proc/self/mem",
            "/proc/self/environ",
            "planted.txt",
            "outside the check",
        ],
    );

    let report = leaving_the_checkout_as_it_was(|| run_json(&[FETCHES, "--subject", &subject]));
    report.run.assert_code(0);
    report.expect_all(FETCHES, "passed", &[]);
    assert!(!planted.exists(), "{} was written", planted.display());
}

/// A correct solution that starts a storm of processes in every check
/// (`sleep 601` each, in process groups of their own) until the system
/// refuses one or 6,000 run. Every check passes as without the storm, and
/// when grading ends none of the storm is left. The storm's peak is
/// watched while it runs, to prove it happened; its cap (the sandbox's
/// `RLIMIT_NPROC`, or for root the check's `pids` cgroup) is proven by the
/// checker's own unit test of the cgroup. Linux only: elsewhere neither
/// cap applies (no `/proc` to count the user's processes, no cgroups), and
/// no storm should be let loose on the machine.
#[cfg(target_os = "linux")]
#[test]
fn a_relaunch_storm_is_graded_as_without_it_and_cleared() {
    let storm = ["sleep", "601"];
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(processes(&storm).len(), Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
    };
    let report = leaving_the_checkout_as_it_was(|| {
        run_json(&[
            TIMELINES,
            "--subject",
            &fixture(TIMELINES, "relaunch_storm"),
        ])
    });
    done.store(true, Ordering::SeqCst);
    watcher.join().expect("the watcher ends");
    report.run.assert_code(0);
    report.expect_all(TIMELINES, "passed", &[]);
    let peak = peak.load(Ordering::SeqCst);
    assert!(
        peak >= 20,
        "the storm never got going: at most {peak} at once"
    );
    let left = processes(&storm);
    assert!(left.is_empty(), "left running: {} of the storm", left.len());
}

/// A correct solution that finds the checker's record file through
/// `/proc/self/environ` and grows it to 2 GiB, sparse. In the sandbox
/// `/proc` is hidden and every check passes as without it; without the
/// sandbox the checker reads only its cap and says why no verdict came.
#[cfg(target_os = "linux")]
#[test]
fn a_record_file_grown_to_2_gib_is_read_no_further_than_its_cap() {
    let subject = fixture(FETCHES, "sparse_record_file");
    let exposed = leaving_the_checkout_as_it_was(|| {
        run_json_with_env(
            &[FETCHES, "--subject", &subject],
            &[("CHECKER_SANDBOX", "off")],
        )
    });
    exposed.run.assert_code(1);
    exposed.expect_all(
        FETCHES,
        "crashed",
        &[
            "record file grew to 2048.0 MiB",
            "past the 4 MiB the checker reads",
        ],
    );
    if !landlock() {
        eprintln!("skipped the sandboxed half: this kernel has no Landlock");
        return;
    }
    let report = leaving_the_checkout_as_it_was(|| run_json(&[FETCHES, "--subject", &subject]));
    report.run.assert_code(0);
    report.expect_all(FETCHES, "passed", &[]);
}
