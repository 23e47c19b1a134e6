//! Wrong models of exercise 02 (three fetches). Each returns the right
//! profile, so `right_answer` passes, and each must still be rejected by the
//! one check that sees its model, with a message that names what it saw.

use crate::support::{Report, fixture, run_json};

const ID: &str = "02_three_fetches";

fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report.expect(ID, "right_answer", "passed", &[]);
    report
}

/// Awaiting user, posts and friends one after another gives the right
/// profile on one thread without blocking, but the waits add up:
/// `overlapping_waits` fails and says they ran one after another.
#[test]
fn sequential_awaits_fail_overlapping_waits() {
    let report = grade("sequential");
    report.expect(
        ID,
        "overlapping_waits",
        "failed",
        &["one after another", "at most 1 in flight"],
    );
}

/// A thread and a runtime per fetch overlaps the waits on the real clock,
/// but the fetches ran on other OS threads: `one_thread` fails and counts
/// them.
#[test]
fn thread_per_fetch_fails_one_thread() {
    let report = grade("thread_per_fetch");
    report.expect(
        ID,
        "one_thread",
        "failed",
        &["other OS thread", "3 other OS threads"],
    );
}

/// Spawned tasks followed by `std::thread::sleep`: the answer is right, the
/// simulated waits overlap and everything ran on one thread, so only the
/// stall instruments can tell, and `never_blocks` fails with how long the
/// thread was blocked.
#[test]
fn blocking_sleep_fails_never_blocks_only_by_stall() {
    let report = grade("blocking_sleep");
    report.expect(ID, "overlapping_waits", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(ID, "never_blocks", "failed", &["blocked for"]);
}

/// `tokio::join!` then `?` is perfect while every fetch succeeds, but an
/// early error waits for the slow fetches: `fails_fast` fails and says so.
#[test]
fn join_then_check_fails_fails_fast() {
    let report = grade("join_then_check");
    report.expect(ID, "overlapping_waits", "passed", &[]);
    report.expect(
        ID,
        "fails_fast",
        "failed",
        &["waited for the other fetches"],
    );
}

/// The right model with the wrong answer (no friends): the model checks
/// pass and `right_answer` fails, naming the field that differs.
#[test]
fn forgotten_friends_fail_right_answer() {
    let report = run_json(&[ID, "--subject", &fixture(ID, "forgets_friends")]);
    report.run.assert_code(1);
    report.expect(ID, "right_answer", "failed", &["differs", "friends"]);
    report.expect(ID, "overlapping_waits", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(ID, "never_blocks", "passed", &[]);
}
