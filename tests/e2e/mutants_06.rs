//! Exercise 06 (blur in parallel): wrong models, each rejected by the check
//! meant to catch it with its diagnosis; hangs stopped by the grader's own
//! watchdog in seconds; and correct solutions shaped unlike the reference,
//! which must pass every check.

use crate::snapshots::settings;
use crate::support::{Report, fixture, run, run_json};

const ID: &str = "06_blur_in_parallel";

/// The common ending of every "one thread did all the rows" diagnosis.
const ONE_THREAD: &str = "Expected the rows spread over rayon's workers";
/// The common ending of every miscount of blur_row calls.
const ONE_CALL_PER_ROW: &str = "Expected one call per row";
/// The hint of every run whose threads never overlapped.
const SERIALISED: &str = "Something serialises the rows: most likely a lock held around blur_row";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose pixels are right on every shape.
fn grade(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "same_pixels", "passed", &[]);
    report
}

/// A plain loop on the calling thread: `work_shared` calls it a sequential
/// loop and `simultaneous` saw no two rows at the same instant.
#[test]
fn sequential_loop_fails_work_shared_and_simultaneous() {
    let report = grade("sequential");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["sequential loop", ONE_THREAD],
    );
    report.expect(ID, "simultaneous", "failed", &["no two rows", "on one thread"]);
}

/// `par_chunks_mut` inside a rayon pool of one thread looks parallel and is
/// not: `work_shared` names the pool of one thread.
#[test]
fn one_thread_pool_fails_work_shared() {
    let report = grade("one_thread_pool");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["pool of one thread", ONE_THREAD],
    );
}

/// The whole loop as one rayon task runs on one worker of a pool of four:
/// `work_shared` says the rows reached rayon as one piece of work.
#[test]
fn one_task_fails_work_shared() {
    let report = grade("one_task");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["one piece of work", ONE_THREAD],
    );
}

/// `par_chunks_mut(width * height)`: a parallel iterator with one item,
/// which rayon runs on the calling thread without splitting.
#[test]
fn one_chunk_fails_work_shared() {
    let report = grade("one_chunk");
    report.expect(ID, "work_shared", "failed", &["calling thread", ONE_THREAD]);
    report.expect(ID, "simultaneous", "failed", &["no two rows"]);
}

/// Rows as futures joined under `futures::executor::block_on`: concurrency
/// without parallelism, every row on the calling thread.
#[test]
fn async_rows_fail_work_shared() {
    let report = grade("async_rows");
    report.expect(ID, "work_shared", "failed", &["calling thread", ONE_THREAD]);
}

/// A sequential blur with decoy rows blurred again on two other threads:
/// the tally says which `y` values were passed more than once.
#[test]
fn decoy_rows_fail_work_shared() {
    let report = grade("decoy_rows");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["was passed 3 times each", ONE_CALL_PER_ROW],
    );
}

/// Rule "account for every unit": rows of a taller scratch image, past the
/// input's last row, once passed unseen ("3 threads shared the 1074
/// rows"); now the rows outside the image are named.
#[test]
fn extra_out_of_range_rows_fail_work_shared() {
    let report = grade("extra_out_of_range_rows");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["outside the 768-row image", "not the 1024x768 input", ONE_CALL_PER_ROW],
    );
}

/// Rule "say only what was observed": bands blurred from cropped copies
/// with local `y` have the right pixels, and fail `work_shared` with what
/// blur_row was given, never a claim that rows were blurred twice.
#[test]
fn cropped_bands_fail_work_shared_saying_what_was_passed() {
    let report = grade("cropped_bands");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["given an image that is not the 1024x768 input", "with y = 0 to"],
    );
    let message = report.check(ID, "work_shared")["message"].as_str().unwrap_or("");
    assert!(!message.contains("twice"), "{message}");
    report.expect(ID, "simultaneous", "passed", &[]);
}

/// Rule "a thread per item is not a pool": 768 OS threads, one per row.
#[test]
fn thread_per_row_fails_work_shared() {
    let report = grade("thread_per_row");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["768 threads each blurred a row or so", "a thread per item, not a pool"],
    );
}

/// The human report of the thread-per-row mutant, run-dependent figures
/// (timings, cores, the busiest threads, the drawn lanes) filtered out.
#[test]
fn human_report_of_the_thread_per_row_mutant() {
    let subject = fixture(ID, "thread_per_row");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(r"\d+ cores?\b", "[N] cores");
    settings.add_filter(r"at most \d+ threads here", "at most [N] threads here");
    settings.add_filter(r"longest pause between rows: \d+ ms", "longest pause between rows: [N] ms");
    settings.add_filter(r"threads\.png shows which thread blurred each row: .*", "threads.png shows [legend]");
    settings.add_filter(r"(?m)^ +thread #\d+ .*\n", "");
    // The time axis of a real-clock drawing: its ticks and numbers change
    // with the machine's speed.
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings.add_filter(r"pictures: .*", "pictures: [paths]");
    settings.bind(|| insta::assert_snapshot!("thread_per_row_06_human", run.stdout));
}

/// Rule "overlap in ordinary runs": two threads that take turns (with a
/// timeout that let the old grader's rendezvous meet them) fail
/// `simultaneous`, which says they take turns and suggests a lock.
#[test]
fn threads_taking_turns_fail_simultaneous() {
    let report = grade("threads_take_turns");
    report.expect(
        ID,
        "simultaneous",
        "failed",
        &["never two at the same instant", "take turns", SERIALISED],
    );
}

/// "Locks get no hint": rows written through one Mutex fail with the hint.
#[test]
fn rows_behind_a_lock_fail_simultaneous_with_a_hint() {
    let report = grade("rows_behind_a_lock");
    report.expect(
        ID,
        "simultaneous",
        "failed",
        &["rows ran on 4 threads, but never two at the same instant", SERIALISED],
    );
}

/// A thread per band, joined before the next is spawned: fair shares, no
/// overlap, and the hint names the join.
#[test]
fn join_before_spawn_fails_simultaneous_with_a_hint() {
    let report = grade("join_before_spawn");
    report.expect(ID, "work_shared", "passed", &[]);
    report.expect(
        ID,
        "simultaneous",
        "failed",
        &["never two at the same instant", "joined before the next one is spawned"],
    );
}

/// The right model with the wrong pixels (a box one pixel too wide):
/// `same_pixels` fails, naming the radius blur_row was given.
#[test]
fn wrong_radius_fails_same_pixels() {
    let report = graded("wrong_radius");
    report.expect(
        ID,
        "same_pixels",
        "failed",
        &["pixels differ from a one-thread blur", "blur_row was called with radius 9, but blur was given radius 8"],
    );
    report.expect(ID, "work_shared", "passed", &[]);
    report.expect(ID, "simultaneous", "passed", &[]);
}

/// Rule "grade several shapes": the radius written in as 8 is right on the
/// default image only.
#[test]
fn hard_coded_radius_fails_same_pixels() {
    let report = graded("hard_coded_radius");
    report.expect(
        ID,
        "same_pixels",
        "failed",
        &["blur_row was called with radius 8, but blur was given radius 1"],
    );
    report.expect(ID, "work_shared", "passed", &[]);
}

/// Four equal bands forget the rows left over on a height of 769.
#[test]
fn dropped_leftover_rows_fail_same_pixels() {
    let report = graded("drops_leftover_rows");
    report.expect(
        ID,
        "same_pixels",
        "failed",
        &["on the 1023x769 image", "blur_row was never called with y = 768", "left over"],
    );
}

/// Bands of `height / 4` rows panic on images shorter than four rows:
/// `same_pixels` names the shape and the panic.
#[test]
fn panic_on_a_short_image_fails_same_pixels_naming_the_shape() {
    let report = graded("panics_when_short");
    report.expect(
        ID,
        "same_pixels",
        "failed",
        &["blur panicked on the 1x1 image with radius 1", "chunk_size must not be zero"],
    );
    report.expect(ID, "work_shared", "passed", &[]);
}

/// Hangs end in seconds: the grader's watchdog stops `same_pixels` (the
/// first check) as `timed_out` with what it saw, long before the default
/// 20 s deadline, and the other checks are skipped.
fn expect_watchdog(name: &str, phrases: &[&str]) {
    let report = graded(name);
    report.expect(ID, "same_pixels", "timed_out", phrases);
    report.expect(ID, "work_shared", "skipped", &["not run"]);
    report.expect(ID, "simultaneous", "skipped", &["not run"]);
}

#[test]
fn deadlock_is_stopped_by_the_watchdog() {
    expect_watchdog("deadlock", &["without calling blur_row once", "deadlock"]);
}

#[test]
fn infinite_loop_is_stopped_by_the_watchdog() {
    expect_watchdog("infinite_loop", &["without calling blur_row once"]);
}

/// A row loop that never ends, calling blur_row all the while.
#[test]
fn endless_row_loop_is_stopped_by_the_watchdog() {
    expect_watchdog("endless_rows", &["blur_row was called", "never ends"]);
}

/// Correct solutions shaped unlike the reference pass every check, graded
/// together in one run of the checker per fixture.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "par_iter_collect_rows",
        "scope_spawned_bands",
        "par_chunks_several_rows",
        "custom_pool_install",
        "std_scoped_bands",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}
