//! Submissions that attack the supervision rather than the exercise. Each
//! is graded as if the hostile part were absent, and leaves nothing behind.

use crate::support::{fixture, run_json};

const FETCHES: &str = "02_three_fetches";

/// The processes whose command line is exactly `words` (Linux: from
/// `/proc`; elsewhere none are found).
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
#[test]
fn a_process_that_leaves_the_group_is_killed_with_its_check() {
    let report = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "escapes_group")]);
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

    let report = run_json(&[FETCHES, "--subject", &subject]);
    report.run.assert_code(0);
    report.expect_all(FETCHES, "passed", &[]);
    assert!(!planted.exists(), "{} was written", planted.display());
}
