//! Wrong models of exercise 03 (a thousand requests), and correct solutions
//! shaped unlike the reference. Each wrong model must be rejected by the
//! check that sees its model, with a message that names what it saw; each
//! correct one must pass every check. The fixtures' own comments say what
//! each one does and which check must catch it.

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "03_a_thousand_requests";

/// Grades fixture `name` as exercise 03; it must not pass.
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

/// `join_all` of every fetch: right answer, in order, on one thread, but a
/// thousand in flight whatever the limit. `bounded` fails and says every
/// URL started at once; `slots_kept_busy` sees it finish sooner than the
/// limit allows.
#[test]
fn unbounded_fails_bounded() {
    let report = grade("unbounded");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(
        ID,
        "bounded",
        "failed",
        &[
            "up to 1000 fetches were in flight",
            "every URL started at once",
        ],
    );
    report.expect(
        ID,
        "slots_kept_busy",
        "failed",
        &["sooner than 7 slots can", "up to 1000 fetches"],
    );
}

/// Awaiting one fetch after another: `slots_kept_busy` fails with the sum
/// of the latencies, and `bounded` sees the limit never reached.
#[test]
fn sequential_fails_slots_kept_busy() {
    let report = grade("sequential");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(
        ID,
        "slots_kept_busy",
        "failed",
        &[
            "one after another",
            "the sum of every latency",
            "never more than 1 in flight",
        ],
    );
    report.expect(ID, "bounded", "failed", &["never more than 1 fetch"]);
    let timeline = &report.check(ID, "slots_kept_busy")["timeline"];
    assert_eq!(timeline["clock"], "virtual", "{}", report.summary());
}

/// Groups of `limit` joined one after another: the limit holds and is
/// reached, so only the schedule shows each wave waiting for its slowest.
#[test]
fn waves_fail_slots_kept_busy() {
    let report = grade("waves");
    only_failing(
        &report,
        "slots_kept_busy",
        &[
            "in waves",
            "waited for its slowest fetch",
            "of empty slot time",
        ],
    );
}

/// `buffered(limit)`: results in order, the limit holds, but a finished
/// fetch keeps its slot until the fetches before it finish.
#[test]
fn buffered_fails_slots_kept_busy() {
    let report = grade("buffered_in_order");
    only_failing(
        &report,
        "slots_kept_busy",
        &[
            "slots stood empty while URLs waited to start",
            "`buffered` does this",
        ],
    );
}

/// `buffer_unordered` collected as it comes: the slots are right, the
/// order is the order the fetches finished in.
#[test]
fn completion_order_fails_right_answer() {
    let report = grade("completion_order");
    only_failing(
        &report,
        "right_answer",
        &["in the order the fetches finished, not in the order of the URLs"],
    );
}

/// A thread and a runtime per URL: `one_thread` counts the threads and
/// draws them on the real clock.
#[test]
fn thread_per_request_fails_one_thread() {
    let report = grade("thread_per_request");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(
        ID,
        "one_thread",
        "failed",
        &["1000 other OS threads besides the runtime's own"],
    );
    report.expect(ID, "slots_kept_busy", "failed", &["1000 other OS threads"]);
    let timeline = &report.check(ID, "one_thread")["timeline"];
    assert_eq!(timeline["clock"], "real", "{}", report.summary());
}

/// A loop spinning on a counter while the spawned fetches wait for the
/// thread: the watchdog stops the first check, the others are skipped.
#[test]
fn spinning_on_a_counter_is_stopped_as_a_stuck_poll() {
    let report = grade("spin_until_done");
    report.expect_status(ID, "failed");
    report.expect(
        ID,
        "right_answer",
        "timed_out",
        &[
            "one poll of fetch_all has not returned",
            "0 fetches had started",
        ],
    );
    for check in &report.checks(ID)[1..] {
        let check = check["name"].as_str().unwrap_or("?");
        report.expect(ID, check, "skipped", &["not run", "right_answer"]);
    }
}

/// Correct solutions shaped unlike the reference pass every check.
fn expect_correct(name: &str) {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(0);
    report.expect_all(ID, "passed", &[]);
}

#[test]
fn a_semaphore_around_join_all_passes() {
    expect_correct("semaphore_join_all");
}

#[test]
fn worker_loops_on_a_shared_counter_pass() {
    expect_correct("worker_loops");
}

#[test]
fn futures_unordered_refilled_by_hand_passes() {
    expect_correct("futures_unordered_refill");
}

#[test]
fn spawned_tasks_behind_a_semaphore_pass() {
    expect_correct("spawned_with_semaphore");
}

#[test]
fn slots_polled_by_hand_pass() {
    expect_correct("poll_fn_slots");
}

/// The human report of the most common wrong model, everything joined at
/// once: the limit's diagnosis, and the slots drawn on the simulated clock.
#[test]
fn human_report_of_the_unbounded_mutant() {
    let subject = fixture(ID, "unbounded");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    crate::snapshots::settings().bind(|| insta::assert_snapshot!("unbounded_03_human", run.stdout));
}
