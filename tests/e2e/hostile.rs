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
