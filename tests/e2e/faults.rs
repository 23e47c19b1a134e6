//! Faults: code that does not compile, hangs, panics, exits or forges a
//! pass. Each must become its own outcome in the report, never a crash or a
//! hang of the checker, and never a pass. Every run is under the hang guard
//! of [`crate::support::run`].

use crate::support::{fixture, run, run_json};

const FETCHES: &str = "02_three_fetches";
const BLUR: &str = "06_blur_in_parallel";

/// A type error in the 02 subject is that exercise's `build_error`, with the
/// compiler's message and the place (`src/lib.rs:14`), while 06, built in
/// the same cargo invocation, is still graded and passes.
#[test]
fn compile_error_is_a_build_error_and_other_exercises_still_run() {
    let subject = fixture(FETCHES, "does_not_compile");
    let report = run_json(&[
        "02",
        "06",
        "--solutions",
        "--subject",
        &format!("02={subject}"),
    ]);
    report.run.assert_code(1);
    assert_eq!(report.ids(), [FETCHES, BLUR]);
    assert_eq!(report.checks(FETCHES).len(), 1, "{}", report.summary());
    report.expect(
        FETCHES,
        "build",
        "build_error",
        &["error", &format!("{subject}/src/lib.rs:14:")],
    );
    report.expect_status(FETCHES, "build_error");
    report.expect_status(BLUR, "passed");
    report.expect_all(BLUR, "passed", &[]);
}

/// Grades hang fixture `name` with a 3 s deadline per check: the first
/// check is stopped as `timed_out` (by the grader's own watchdog, or else
/// at the deadline), the others are `skipped`, and the checker returns (the
/// hang guard fails the test otherwise).
fn expect_hang_stopped(name: &str) {
    let report = run_json(&[BLUR, "--subject", &fixture(BLUR, name), "--timeout", "3"]);
    report.run.assert_code(1);
    let checks = report.checks(BLUR);
    let first = checks[0]["name"].as_str().unwrap_or("?");
    report.expect(BLUR, first, "timed_out", &[]);
    for check in &checks[1..] {
        let name = check["name"].as_str().unwrap_or("?");
        report.expect(BLUR, name, "skipped", &["not run", first]);
    }
}

/// Two threads locking two mutexes in opposite order never finish.
#[test]
fn deadlock_times_out() {
    expect_hang_stopped("deadlock");
}

/// An endless loop is stopped like a deadlock.
#[test]
fn infinite_loop_times_out() {
    expect_hang_stopped("infinite_loop");
}

/// `panic!("boom")` is `panicked` in every check, quoting the message and
/// where it was raised; it is not mistaken for a `todo!()`.
#[test]
fn panic_is_panicked_with_its_message() {
    let subject = fixture(FETCHES, "panics");
    let report = run_json(&[FETCHES, "--subject", &subject]);
    report.run.assert_code(1);
    report.expect_all(
        FETCHES,
        "panicked",
        &["boom", &format!("{subject}/src/lib.rs:")],
    );
}

/// `std::process::exit(0)` ends the child with status 0 and no verdict:
/// that is `crashed`, with a message that points at `process::exit`, never a
/// pass.
#[test]
fn process_exit_is_a_crash_not_a_pass() {
    let report = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "exits")]);
    report.run.assert_code(1);
    report.expect_all(FETCHES, "crashed", &["process::exit", "status 0"]);
}

/// Lines shaped like pass records, printed on stdout and stderr, are never
/// parsed: no check passes, and each is `not_started` at the `todo!()`
/// that follows them.
#[test]
fn printed_pass_records_are_ignored() {
    let report = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "fake_pass")]);
    report.run.assert_code(1);
    let passed: Vec<_> = report
        .checks(FETCHES)
        .into_iter()
        .filter(|c| c["outcome"] == "passed")
        .collect();
    assert!(
        passed.is_empty(),
        "forged output passed checks:\n{}",
        report.summary()
    );
    report.expect_all(FETCHES, "not_started", &["reached todo!()"]);
    assert_eq!(report.json["summary"]["points"], 0);
}

/// Subject code that copies the tag of a genuine record (a caught panic
/// makes one) onto a verdict of its own, appends it and exits before the
/// grader's verdict: the tag does not fit, so no check may pass.
#[test]
fn verdict_forged_from_the_record_file_never_passes() {
    let report = run_json(&[
        FETCHES,
        "--subject",
        &fixture(FETCHES, "forge_from_record_file"),
    ]);
    report.run.assert_code(1);
    report.expect_all(FETCHES, "crashed", &[]);
}

/// Subject code that reads everything the process was given (the original
/// environment through `/proc/self/environ`, and stdin) and tags a verdict
/// with each value it finds: the key is nowhere to be found by then, so no
/// check may pass.
#[cfg(target_os = "linux")]
#[test]
fn verdict_forged_from_proc_environ_never_passes() {
    let report = run_json(&[
        FETCHES,
        "--subject",
        &fixture(FETCHES, "forge_from_environ"),
    ]);
    report.run.assert_code(1);
    report.expect_all(FETCHES, "crashed", &[]);
}

/// Subject code that depends on the checker's own `grading` crate and starts
/// the harness a second time, with passing checks of its own: the harness
/// runs once per process, so the second start aborts and no check passes.
#[test]
fn reentering_the_harness_never_passes() {
    let report = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "reenter_harness")]);
    report.run.assert_code(1);
    // An abort is a signal on Unix; on Windows only an exit code tells it.
    let words: &[&str] = if cfg!(unix) { &["signal"] } else { &[] };
    report.expect_all(FETCHES, "crashed", words);
}

/// An exercise name that matches nothing is a usage error (exit 2) whose
/// message lists the valid exercises; nothing is graded.
#[test]
fn unknown_exercise_is_a_usage_error_listing_the_exercises() {
    run(&["juggling"]).assert_usage_error(&["juggling", "02_three_fetches", "06_blur_in_parallel"]);
}

/// `--subject` on a folder without a Cargo.toml is a usage error (exit 2)
/// that says a crate folder is needed.
#[test]
fn subject_without_manifest_is_a_usage_error() {
    run(&["02", "--subject", "tests/fixtures"]).assert_usage_error(&[
        "tests/fixtures",
        "holds no Cargo.toml",
        "--subject needs the folder of a crate",
    ]);
}

/// A crate that compiles but changed the function's signature breaks the
/// grader's build, not its own: the build error says the grader cannot
/// call it and to keep the stub's signature, instead of showing an error
/// inside the hidden grader.
#[test]
fn changed_signature_is_a_build_error_about_the_api() {
    let report = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "changed_signature")]);
    report.run.assert_code(1);
    report.expect_all(
        FETCHES,
        "build_error",
        &["the grader cannot call it", "Keep the public items"],
    );
}

/// A constant whose evaluation never ends keeps the compiler busy forever:
/// at the build deadline (`--build-timeout 5`) the whole build is stopped
/// and the exercise is a `build_error` saying so, not a hang.
#[test]
fn a_compile_that_never_ends_is_stopped_at_its_deadline() {
    let subject = fixture(FETCHES, "endless_compile");
    let report = run_json(&[FETCHES, "--subject", &subject, "--build-timeout", "5"]);
    report.run.assert_code(1);
    report.expect(
        FETCHES,
        "build",
        "build_error",
        &["compilation did not finish in 5 s"],
    );
    // The compiler went with the build: no rustc is left on the fixture.
    #[cfg(target_os = "linux")]
    {
        let compiling = |entry: std::fs::DirEntry| {
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).into_owned();
            cmdline.contains("fx02_endless_compile").then_some(cmdline)
        };
        let left: Vec<String> = std::fs::read_dir("/proc")
            .map(|entries| entries.flatten().filter_map(compiling).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "still compiling: {left:?}");
    }
}

/// Numeric options out of range are usage errors that say the range, not
/// a panic on overflow.
#[test]
fn numbers_out_of_range_are_usage_errors() {
    for (option, value) in [
        ("--timeout", "0"),
        ("--timeout", "18446744073709551615"),
        ("--build-timeout", "0"),
        ("--build-timeout", "99999999999"),
    ] {
        let run = run(&["02", option, value]);
        run.assert_usage_error(&[option, "must be between"]);
    }
}
