//! Wrong models of exercise 05 (don't block the juggler), and correct
//! solutions shaped unlike the reference. Each wrong model must be rejected
//! by the check that sees its model, with a message that names what it saw;
//! each correct one must pass every check. The fixtures' own comments say
//! what each one does and which check must catch it.

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "05_dont_block_the_juggler";

/// Grades fixture `name` as exercise 05.
fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// The handler as shipped: a blocking sleep and an inline hash. The heartbeat
/// check sees the thread held for a whole delay, drawn on the real clock;
/// the requests were served one at a time; the hashes ran on the runtime.
#[test]
fn the_handler_as_shipped_fails_never_blocks() {
    let report = grade("as_given");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(
        ID,
        "never_blocks",
        "failed",
        &["or more at a stretch", "juggler"],
    );
    report.expect(ID, "requests_overlap", "failed", &["one at a time"]);
    report.expect(
        ID,
        "hash_offloaded",
        "failed",
        &["5 of 5 passwords were hashed on the runtime's own thread"],
    );
    let timeline = &report.check(ID, "never_blocks")["timeline"];
    assert_eq!(timeline["clock"], "real", "{}", report.summary());
}

/// The sleep fixed, the hash still inline: the delays overlap, but every
/// hash ran on the runtime's thread.
#[test]
fn an_inline_hash_fails_hash_offloaded() {
    let report = grade("inline_hash");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(ID, "requests_overlap", "passed", &[]);
    report.expect(
        ID,
        "hash_offloaded",
        "failed",
        &["hashed on the runtime's own thread", "100% of the rounds"],
    );
}

/// The hash offloaded, the sleep still blocking: the heartbeat check sees a
/// whole delay at a stretch; the hash check passes.
#[test]
fn a_blocking_sleep_fails_never_blocks() {
    let report = grade("blocking_sleep");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(ID, "hash_offloaded", "passed", &[]);
    report.expect(ID, "never_blocks", "failed", &["or more at a stretch"]);
}

/// Blocking moved into `tokio::spawn`: the poll of login returns at once,
/// but the spawned task holds the same thread, which only the heartbeat's
/// busy time shows.
#[test]
fn blocking_inside_tokio_spawn_fails_never_blocks() {
    let report = grade("spawned_blocking_task");
    report.expect(ID, "never_blocks", "failed", &["or more at a stretch"]);
    report.expect(ID, "hash_offloaded", "failed", &["runtime's own thread"]);
}

/// The hash in pieces with `yield_now` between them: the heartbeat gets
/// its turns, but every round ran on the runtime's thread.
#[test]
fn yielding_between_pieces_of_the_hash_fails_hash_offloaded() {
    let report = grade("yield_in_hash_loop");
    report.expect(ID, "right_answer", "passed", &[]);
    report.expect(
        ID,
        "hash_offloaded",
        "failed",
        &["pieces", "yield_now", "every round itself"],
    );
}

/// A tokio Mutex around the whole handler: nothing blocks, but the
/// requests' waits take turns.
#[test]
fn requests_taking_turns_fail_requests_overlap() {
    let report = grade("serialised_by_a_lock");
    report.expect(ID, "never_blocks", "passed", &[]);
    report.expect(ID, "hash_offloaded", "passed", &[]);
    report.expect(
        ID,
        "requests_overlap",
        "failed",
        &["took turns", "sum of their delays"],
    );
}

/// The blocking sleep deleted instead of replaced: replies come before
/// their delay (at the latest in the run with a long delay and a light
/// hash, which a slow hash on a busy machine cannot cover).
#[test]
fn a_skipped_delay_fails_right_answer() {
    let report = grade("skips_the_delay");
    report.expect(
        ID,
        "right_answer",
        "failed",
        &[
            "before its delay",
            "Expected every reply to wait out its delay",
        ],
    );
}

/// tokio refuses `block_in_place` on a current-thread runtime: every check
/// is `panicked` with tokio's words and the checker's explanation.
#[test]
fn block_in_place_panics_with_tokios_message_explained() {
    let report = grade("block_in_place");
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

/// A std Mutex held across an await and locked by the next request: the
/// watchdog stops the first check as `timed_out`, and the others are
/// skipped.
#[test]
fn a_std_mutex_across_an_await_is_stopped_as_a_stuck_poll() {
    let report = grade("deadlock");
    report.expect_status(ID, "failed");
    report.expect(
        ID,
        "right_answer",
        "timed_out",
        &["one poll of the requests has not returned"],
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
fn rayon_with_a_oneshot_channel_passes() {
    expect_correct("rayon_oneshot");
}

#[test]
fn the_delay_and_the_hash_side_by_side_pass() {
    expect_correct("join_sleep_and_hash");
}

#[test]
fn a_thread_per_hash_passes() {
    expect_correct("thread_per_hash");
}

#[test]
fn one_long_lived_hashing_thread_passes() {
    expect_correct("hash_worker");
}

#[test]
fn hashing_bounded_by_a_semaphore_passes() {
    expect_correct("bounded_hashing");
}

/// The human report of the handler as shipped, the wrong model a learner
/// meets first: every figure measured on the real clock, and the bars and
/// axis of the real-clock drawings, become placeholders; the lanes' labels
/// stay.
#[test]
fn human_report_of_the_handler_as_shipped() {
    let subject = fixture(ID, "as_given");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    let mut settings = crate::snapshots::settings();
    settings.add_filter(r"\d+ ms", "[N] ms");
    settings.add_filter(r"\d+ of \d+ in flight", "[N] of [N] in flight");
    settings.add_filter(
        r"(?m)^( {8}[a-z][a-z0-9_ ,()']*?) +[█▌▐ ]*█[█▌▐ ]*$",
        "$1  [bars]",
    );
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings.bind(|| insta::assert_snapshot!("as_given_05_human", run.stdout));
}
