//! Watch mode, end to end: on a copy of the workspace, `checker watch`
//! grades the first unsolved exercise, sees a solution being saved into it,
//! grades again, says it passes, moves on, shows a hint on `h`, and quits
//! on `q`, leaving no process behind.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::commands::hints_of;
use crate::support::{Workspace, catalogue, checker, has_row, root, target_dir};

/// The most any step may take before the test calls watch mode stuck. A
/// hang guard, not a speed assertion: each step is one small build and run.
const STEP_GUARD: Duration = Duration::from_secs(180);

/// Waits until the output seen so far contains `text`.
fn wait_for(lines: &mpsc::Receiver<String>, seen: &mut String, text: &str) {
    let deadline = Instant::now() + STEP_GUARD;
    while !seen.contains(text) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => panic!("watch mode never printed {text:?}; it printed:\n{seen}"),
        }
    }
}

/// Waits until `text` has appeared `count` times in the output.
fn wait_for_count(lines: &mpsc::Receiver<String>, seen: &mut String, text: &str, count: usize) {
    let deadline = Instant::now() + STEP_GUARD;
    while seen.matches(text).count() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => {
                panic!("watch mode never printed {text:?} {count} times; it printed:\n{seen}")
            }
        }
    }
}

/// Every process that mentions `copy` in its command line, or that was
/// started with `CHECKER_ROOT` set to it (the checker's children inherit
/// it): what watch mode on the copy could have left behind, and nothing of
/// the other tests running beside this one. Linux only; empty elsewhere.
fn leftovers(copy: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let root_var = format!("CHECKER_ROOT={copy}");
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline"))
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .unwrap_or_default();
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let in_copy = environ
            .split(|&b| b == 0)
            .any(|var| var == root_var.as_bytes());
        if cmdline.contains(copy) || in_copy {
            found.push(cmdline);
        }
    }
    found
}

/// Saving the solution into the watched exercise (the catalogue's first)
/// turns its verdict from not started to passed, and watch moves on to the
/// next exercise.
#[test]
fn saving_a_solution_changes_the_verdict() {
    let workspace = Workspace::pristine("watch");
    let copy = workspace.root.clone();
    let entries = catalogue();
    let (first, second) = (&entries[0], &entries[1]);

    // The copy shares this workspace's target folder, so nothing but the
    // copy's own crates is compiled again.
    let target = target_dir();
    let mut child = Command::new(checker())
        .args(["watch", "--color", "never"])
        .env("CHECKER_ROOT", &copy)
        .env("CARGO_TARGET_DIR", &target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start the checker");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();

    let watching_first = format!("Watching exercises/{}", first.id);
    wait_for(&lines, &mut seen, &watching_first);
    assert!(has_row(&seen, &first.label, "not started"), "{seen}");
    // In watch mode a hint is a key away: the report and the footer say
    // to press h, not to run a command.
    wait_for(&lines, &mut seen, "Press h for a hint, r");
    assert!(seen.contains("Stuck? Press h for a hint."), "{seen}");
    assert!(!seen.contains("-- hint"), "{seen}");

    // A burst of saves, as an editor makes them, starts one run, not five.
    let exercise = copy.join("exercises").join(&first.id).join("src/lib.rs");
    let stub = std::fs::read_to_string(&exercise).unwrap();
    for n in 0..5 {
        std::fs::write(&exercise, format!("{stub}\n// save {n}\n")).unwrap();
    }
    let runs_before = seen.matches("Grading 1 exercise").count();
    wait_for(&lines, &mut seen, "Grading 1 exercise");
    let after_burst = seen.len();
    wait_for_count(&lines, &mut seen, &watching_first, 2);
    // Give a second run, if one were queued, time to start (well past the
    // debounce) before counting.
    let settle = Instant::now() + Duration::from_millis(1500);
    while let Ok(line) = lines.recv_timeout(settle.saturating_duration_since(Instant::now())) {
        seen.push_str(&line);
        seen.push('\n');
    }
    assert_eq!(
        seen.matches("Grading 1 exercise").count(),
        runs_before + 1,
        "five quick saves should start exactly one run:\n{}",
        &seen[after_burst..]
    );

    let solution = root().join("solutions").join(&first.id).join("src/lib.rs");
    std::fs::copy(solution, &exercise).unwrap();
    wait_for(
        &lines,
        &mut seen,
        &format!("{} passes. On to {}.", first.label, second.label),
    );
    wait_for(
        &lines,
        &mut seen,
        &format!("Watching exercises/{}", second.id),
    );

    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "h").unwrap();
    let hints = hints_of(&second.id).len();
    wait_for(
        &lines,
        &mut seen,
        &format!("of {hints} for {}", second.label),
    );
    if hints > 1 {
        wait_for(&lines, &mut seen, "Press h again for the next one.");
    }
    writeln!(stdin, "q").unwrap();
    let deadline = Instant::now() + STEP_GUARD;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("watch mode did not quit on q; it printed:\n{seen}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "watch ended with {status}:\n{seen}");

    let left = leftovers(&copy.to_string_lossy());
    assert!(left.is_empty(), "processes left behind: {left:?}");
}
