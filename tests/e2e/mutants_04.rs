//! Wrong models of exercise 04 (first response wins), and correct solutions
//! shaped unlike the reference. Each wrong model must be rejected by the
//! check that sees its model, with a message that names what it saw; each
//! correct one must pass every check. The fixtures' own comments say what
//! each one does and which check must catch it.

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "04_first_response_wins";

/// Grades fixture `name` as exercise 04; it must not pass.
fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// Asserts that `check` is the only check of the report that failed.
fn only_failing(report: &Report, check: &str, phrases: &[&str]) {
    for other in report.checks(ID) {
        let name = other["name"].as_str().unwrap_or("?");
        if name == check {
            report.expect(ID, name, "failed", phrases);
        } else {
            report.expect(ID, name, "passed", &[]);
        }
    }
}

/// Every answer collected, then the first success picked: the right file,
/// at the slowest mirror's time.
#[test]
fn waiting_for_every_mirror_fails_first_success_wins() {
    let report = grade("wait_for_all");
    report.expect(
        ID,
        "first_success_wins",
        "failed",
        &[
            "when the slowest mirror had answered too",
            "it waited for every mirror",
        ],
    );
    report.expect(ID, "losers_dropped", "failed", &["ran on to its end"]);
}

/// Spawned fetches never aborted: the winner comes on time, the losers run
/// on after `first_response` has returned.
#[test]
fn losers_left_running_fail_losers_dropped() {
    let report = grade("leaks_the_losers");
    only_failing(
        &report,
        "losers_dropped",
        &[
            "still in flight after first_response had returned",
            "aborted",
        ],
    );
}

/// A deadline kept by `std::thread::sleep` in a thread: on the runtime's
/// clock it never fires, and a mirror slower than the deadline wins.
#[test]
fn a_thread_sleep_deadline_fails_deadline_exact() {
    let report = grade("thread_sleep_timeout");
    report.expect(ID, "first_success_wins", "passed", &[]);
    report.expect(ID, "skips_failures", "passed", &[]);
    report.expect(
        ID,
        "deadline_exact",
        "failed",
        &[
            "deadline had passed before any file arrived",
            "the deadline did not end the race on the runtime's clock",
            "expected RaceError::TimedOut at exactly the deadline",
        ],
    );
}

/// The first answer taken even when it is an error: a fast failing mirror
/// ends the race while the others would still deliver.
#[test]
fn the_first_answer_even_an_error_fails_skips_failures() {
    let report = grade("first_answer_even_if_error");
    report.expect(ID, "first_success_wins", "passed", &[]);
    report.expect(ID, "losers_dropped", "passed", &[]);
    report.expect(
        ID,
        "skips_failures",
        "failed",
        &[
            "the race ended when",
            "must not end the race while others may still answer",
        ],
    );
}

/// `block_on` inside async code: the watchdog stops the first check, the
/// others are skipped.
#[test]
fn block_on_inside_async_is_stopped_as_a_stuck_poll() {
    let report = grade("block_on_inside_async");
    report.expect_status(ID, "failed");
    report.expect(
        ID,
        "first_success_wins",
        "timed_out",
        &["one poll of first_response has not returned"],
    );
    for check in &report.checks(ID)[1..] {
        let check = check["name"].as_str().unwrap_or("?");
        report.expect(ID, check, "skipped", &["not run", "first_success_wins"]);
    }
}

/// Correct solutions shaped unlike the reference pass every check.
fn expect_correct(name: &str) {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(0);
    report.expect_all(ID, "passed", &[]);
}

#[test]
fn select_all_round_after_round_passes() {
    expect_correct("select_all_rounds");
}

#[test]
fn a_joinset_aborted_when_dropped_passes() {
    expect_correct("joinset_join_next");
}

#[test]
fn polling_fetches_and_a_sleep_by_hand_passes() {
    expect_correct("poll_fn_by_hand");
}

#[test]
fn a_stream_bounded_by_timeout_at_passes() {
    expect_correct("stream_timeout_at");
}

#[test]
fn spawned_fetches_behind_abort_guards_pass() {
    expect_correct("spawned_abort_guards");
}

/// The human report of the most common wrong model, the first answer taken
/// even when it is an error: the diagnosis and the race drawn on the
/// simulated clock.
#[test]
fn human_report_of_the_first_answer_mutant() {
    let subject = fixture(ID, "first_answer_even_if_error");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    crate::snapshots::settings()
        .bind(|| insta::assert_snapshot!("first_answer_04_human", run.stdout));
}
