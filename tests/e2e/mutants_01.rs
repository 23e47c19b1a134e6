//! Wrong models of exercise 01 (timelines), and correct solutions shaped
//! unlike the reference. Each wrong model must be rejected by the check of
//! the mode it gets wrong, naming the rule it missed; each correct one
//! must pass every check.

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "01_timelines";

/// Grades fixture `name` as exercise 01.
fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// Adding everything up: right in a row, wrong on one thread and on cores.
#[test]
fn everything_added_up_fails_concurrent_and_parallel() {
    let report = grade("sum_everything");
    report.expect(ID, "in_a_row", "passed", &[]);
    report.expect(
        ID,
        "concurrent",
        "failed",
        &["waits overlap on one thread", "drawn below"],
    );
    report.expect(
        ID,
        "parallel",
        "failed",
        &["cores run computing side by side"],
    );
    let timeline = &report.check(ID, "concurrent")["timeline"];
    assert_eq!(timeline["clock"], "virtual", "{}", report.summary());
}

/// Computing overlapped on one thread, as if async were parallelism.
#[test]
fn computing_overlapped_on_one_thread_fails_concurrent() {
    let report = grade("concurrent_max");
    report.expect(
        ID,
        "concurrent",
        "failed",
        &["computing does not overlap on one thread"],
    );
    report.expect(ID, "parallel", "passed", &[]);
}

/// Every task at once whatever the cores.
#[test]
fn cores_ignored_fail_parallel() {
    let report = grade("parallel_ignores_cores");
    report.expect(
        ID,
        "parallel",
        "failed",
        &["only as many at once as there are cores"],
    );
    report.expect(ID, "concurrent", "passed", &[]);
}

/// Waiting counted as no time.
#[test]
fn waiting_ignored_fails_in_a_row() {
    let report = grade("ignores_waiting");
    report.expect(ID, "in_a_row", "failed", &["waiting takes time too"]);
}

/// All the computing, then the longest wait: right on the README's
/// examples, wrong when an early task waits long.
#[test]
fn waits_after_all_computing_fail_concurrent() {
    let report = grade("waits_after_all_compute");
    report.expect(ID, "readme_examples", "passed", &[]);
    report.expect(
        ID,
        "concurrent",
        "failed",
        &["the moment its own computing is done"],
    );
}

/// All the work divided by the cores.
#[test]
fn work_divided_over_cores_fails_parallel() {
    let report = grade("parallel_divides");
    report.expect(ID, "parallel", "failed", &["cannot be cut into pieces"]);
}

/// A loop that never ends: the first check times out, the rest are skipped.
#[test]
fn an_endless_loop_times_out_and_the_rest_are_skipped() {
    let report = grade("endless_loop");
    report.expect(
        ID,
        "readme_examples",
        "timed_out",
        &["predict has not returned after 2.0 s"],
    );
    for check in &report.checks(ID)[1..] {
        let check = check["name"].as_str().unwrap_or("?");
        report.expect(ID, check, "skipped", &["not run", "readme_examples"]);
    }
}

/// Correct solutions shaped unlike the reference pass every check.
fn expect_correct(name: &str) {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(0);
    report.expect_all(ID, "passed", &[]);
}

#[test]
fn a_millisecond_by_millisecond_simulation_passes() {
    expect_correct("tick_by_tick");
}

#[test]
fn running_the_scenario_on_a_paused_clock_passes() {
    expect_correct("paused_runtime");
}

#[test]
fn a_heap_of_free_cores_passes() {
    expect_correct("binary_heap");
}

#[test]
fn an_event_list_passes() {
    expect_correct("event_queue");
}

#[test]
fn recursion_passes() {
    expect_correct("recursion");
}

/// The human report of the most common wrong model, everything added up:
/// the rule missed, the scenario, and the run drawn on the simulated clock.
/// Seeded and simulated, so exact: no filters beyond the shared ones.
#[test]
fn human_report_of_everything_added_up() {
    let subject = fixture(ID, "sum_everything");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    crate::snapshots::settings()
        .bind(|| insta::assert_snapshot!("sum_everything_01_human", run.stdout));
}
