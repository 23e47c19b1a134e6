//! Wrong models of exercise 02 (three fetches), and correct solutions
//! shaped unlike the reference. Each wrong model must be rejected by the
//! check that sees its model, with a message that names what it saw; each
//! correct one must pass every check. The fixtures' own comments say what
//! each one does and which check must catch it.

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "02_three_fetches";

/// Grades fixture `name` as exercise 02.
fn grade_any(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// Grades a fixture that returns the right profile.
fn grade(name: &str) -> Report {
    let report = grade_any(name);
    report.expect(ID, "right_answer", "passed", &[]);
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
    report.expect(
        ID,
        "overlapping_waits",
        "failed",
        &["only 0 ms of simulated time", "3 other OS threads"],
    );
    // Calls on other threads read another clock: drawn on the real one.
    assert_eq!(
        report.check(ID, "one_thread")["timeline"]["clock"],
        "real",
        "{}",
        report.summary()
    );
}

/// Spawned tasks followed by `std::thread::sleep`: the answer is right, the
/// simulated waits overlap and everything ran on one thread, so only the
/// stall instruments can tell, and `never_blocks` fails with how long the
/// thread was blocked, drawn on the real clock.
#[test]
fn blocking_sleep_fails_never_blocks_only_by_stall() {
    let report = grade("blocking_sleep");
    report.expect(ID, "overlapping_waits", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(ID, "never_blocks", "failed", &["at a stretch"]);
    let timeline = &report.check(ID, "never_blocks")["timeline"];
    assert_eq!(timeline["clock"], "real", "{}", report.summary());
}

/// Three blocks of 35 ms each, each under the limit on the longest block:
/// `never_blocks` fails on their total.
#[test]
fn short_bursts_of_blocking_fail_never_blocks_on_their_total() {
    let report = grade("blocks_in_short_bursts");
    only_failing(&report, "never_blocks", &["short blocks add up", "in all"]);
}

/// `tokio::join!` then `?` is perfect while every fetch succeeds, but an
/// early error waits for the slow fetches: `fails_fast` fails and says
/// which error came back late.
#[test]
fn join_then_check_fails_fails_fast() {
    let report = grade("join_then_check");
    only_failing(&report, "fails_fast", &["late", "it waited for"]);
}

/// Early return only when `friends` fails, the endpoint the old check made
/// fail: an error of user or posts waits for the other of the two.
#[test]
fn early_return_for_one_endpoint_fails_fails_fast() {
    let report = grade("early_return_only_for_friends");
    only_failing(
        &report,
        "fails_fast",
        &["late", "Expected every error back"],
    );
}

/// Early return only when the error is the first answer: the run where a
/// fetch fails second catches it.
#[test]
fn early_return_only_when_first_fails_fails_fast() {
    let report = grade("fails_fast_only_when_first");
    only_failing(
        &report,
        "fails_fast",
        &["the second of the three to answer", "late"],
    );
}

/// Spawned fetches whose handles are awaited in a fixed order: an error is
/// seen only after the handles before it.
#[test]
fn handles_awaited_in_order_fail_fails_fast() {
    let report = grade("spawn_then_await_in_order");
    only_failing(&report, "fails_fast", &["late"]);
}

/// The right model with the wrong answer (no friends): the model checks
/// pass and `right_answer` fails, naming the field that differs.
#[test]
fn forgotten_friends_fail_right_answer() {
    let report = grade_any("forgets_friends");
    report.expect(ID, "right_answer", "failed", &["differs", "friends"]);
    report.expect(ID, "overlapping_waits", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(ID, "never_blocks", "passed", &[]);
}

/// Fetches on threads of their own, answered over async channels: the
/// caller's paused clock cannot see their waits and runs out. Every check
/// says so, never "waiting for something that never happens".
#[test]
fn threads_answering_over_a_channel_are_named_as_such() {
    let report = grade_any("threads_and_channel");
    report.expect_all(ID, "failed", &["3 other OS threads", "cannot see"]);
    for check in report.checks(ID) {
        let message = check["message"].as_str().unwrap_or("");
        assert!(!message.contains("never happens"), "{message}");
        assert_eq!(check["timeline"]["clock"], "real", "{}", report.summary());
    }
}

/// A hang is stopped by the grader's watchdog: the first check is
/// `timed_out` with what the watchdog saw, and the others are skipped.
fn expect_hang(name: &str, phrases: &[&str]) {
    let report = grade_any(name);
    report.expect_status(ID, "failed");
    report.expect(ID, "right_answer", "timed_out", phrases);
    for check in &report.checks(ID)[1..] {
        let check = check["name"].as_str().unwrap_or("?");
        report.expect(ID, check, "skipped", &["not run", "right_answer"]);
    }
}

/// A std Mutex guard held across an await, locked again by a joined future.
#[test]
fn mutex_held_across_await_is_stopped_as_a_stuck_poll() {
    expect_hang("deadlock", &["one poll of load_profile has not returned"]);
}

/// `futures::executor::block_on` inside the async function.
#[test]
fn block_on_inside_async_is_stopped_as_a_stuck_poll() {
    expect_hang(
        "block_on_inside_async",
        &[
            "one poll of load_profile has not returned",
            "3 of 3 fetches had started",
        ],
    );
}

/// A spin loop waiting for spawned tasks that can never run.
#[test]
fn endless_loop_is_stopped_as_a_stuck_poll() {
    expect_hang(
        "endless_loop",
        &[
            "one poll of load_profile has not returned",
            "no fetch had started",
        ],
    );
}

/// A std channel's blocking `recv` on the runtime's thread.
#[test]
fn std_channel_recv_is_stopped_as_a_stuck_poll() {
    expect_hang(
        "std_channel_wait",
        &["one poll of load_profile has not returned"],
    );
}

/// Fetches driven by `Handle::block_on` inside `spawn_blocking`: the paused
/// clock stops while blocking tasks run, and they wait for it.
#[test]
fn spawn_blocking_around_block_on_is_stopped_as_a_held_runtime() {
    expect_hang(
        "spawn_blocking_block_on",
        &[
            "none of its other tasks",
            "spawn_blocking",
            "3 other OS threads",
        ],
    );
}

/// Polling in a loop with `yield_now`: the runtime never idles, so the
/// paused clock never moves.
#[test]
fn busy_polling_is_stopped_as_a_self_waking_loop() {
    expect_hang("busy_poll_with_yield", &["keeps waking itself"]);
}

/// tokio refuses `block_in_place` on a current-thread runtime: every check
/// is `panicked` with tokio's own words and, beside them, the checker's
/// explanation of what the code did and what to write instead.
#[test]
fn block_in_place_panics_with_tokios_message_explained() {
    let report = grade_any("block_in_place");
    report.expect_all(
        ID,
        "panicked",
        &[
            "can call blocking only when running on the multi-threaded runtime",
            "The async runtime raised this panic itself",
            "current-thread runtime has no other worker",
        ],
    );
}

/// A runtime of its own, dropped inside async code: tokio panics, and the
/// checker explains.
#[test]
fn a_runtime_of_its_own_panics_when_dropped() {
    let report = grade_any("runtime_of_its_own");
    report.expect_all(
        ID,
        "panicked",
        &["Cannot drop a runtime", "The async runtime raised this panic itself"],
    );
}

/// Correct solutions shaped unlike the reference pass every check.
fn expect_correct(name: &str) {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(0);
    report.expect_all(ID, "passed", &[]);
}

#[test]
fn futures_try_join3_passes() {
    expect_correct("futures_try_join");
}

#[test]
fn a_select_loop_passes() {
    expect_correct("select_loop");
}

#[test]
fn futures_unordered_passes() {
    expect_correct("futures_unordered");
}

#[test]
fn polling_by_hand_in_poll_fn_passes() {
    expect_correct("manual_poll_fn");
}

#[test]
fn join_raced_against_the_first_error_passes() {
    expect_correct("join_with_error_race");
}

/// Filters for reports that show real time: numbers measured on the real
/// clock, and the bars and axis of real-clock drawings, become placeholders;
/// the lanes' labels stay, so the snapshot still shows what is drawn.
fn real_time_settings() -> insta::Settings {
    let mut settings = crate::snapshots::settings();
    settings.add_filter(r"\d+\.\d s of real time", "[N] s of real time");
    settings.add_filter(
        r"for \d+ ms in all \(the longest \d+ ms\)",
        "for [N] ms in all (the longest [N] ms)",
    );
    settings.add_filter(r"(?m)^( {8}[a-z][a-z_ ()]*?) +█[█ ]*$", "$1  [bars]");
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings
}

/// The human report of a hang: the watchdog's diagnosis with the run so
/// far on the real clock, and the skipped checks.
#[test]
fn human_report_of_a_hang() {
    let subject = fixture(ID, "deadlock");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    real_time_settings().bind(|| insta::assert_snapshot!("deadlock_02_human", run.stdout));
}

/// The human report of short blocks that add up: the totals, and the
/// stretches the thread was held drawn on the real clock.
#[test]
fn human_report_of_blocking_in_bursts() {
    let subject = fixture(ID, "blocks_in_short_bursts");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    real_time_settings().bind(|| insta::assert_snapshot!("bursts_02_human", run.stdout));
}
