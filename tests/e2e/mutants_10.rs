//! Exercise 10 (a hybrid pipeline): wrong models, each rejected by the
//! check meant to catch it with its diagnosis; a hang stopped by the
//! grader's own watchdog in seconds; and correct solutions shaped unlike
//! the reference, which must pass every check.

use crate::snapshots::settings;
use crate::support::{Report, fixture, run, run_json};

const ID: &str = "10_hybrid_pipeline";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose results are all right: only the model is wrong.
fn grade(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "right_results", "passed", &[]);
    report
}

/// The starting point: one image at a time, each blurred on the runtime.
#[test]
fn the_starting_point_fails_three_checks() {
    let report = grade("as_given");
    report.expect(ID, "downloads_overlap", "failed", &["downloads in a row"]);
    report.expect(
        ID,
        "blur_on_pool",
        "failed",
        &["12 of 12 blur calls ran on the runtime's thread"],
    );
    report.expect(
        ID,
        "runtime_free",
        "failed",
        &["12 of 12 blur calls ran on it"],
    );
}

/// Each task blurs its own image inline, on the runtime's thread.
#[test]
fn blurring_on_the_runtime_fails_blur_on_pool_and_runtime_free() {
    let report = grade("blur_on_runtime");
    report.expect(ID, "downloads_overlap", "passed", &[]);
    report.expect(
        ID,
        "blur_on_pool",
        "failed",
        &[
            "12 of 12 blur calls ran on the runtime's thread",
            "no download and no save moves",
        ],
    );
    report.expect(
        ID,
        "runtime_free",
        "failed",
        &["12 of 12 blur calls ran on it"],
    );
}

/// One download at a time, blurs on the pool.
#[test]
fn downloads_in_a_row_fail_downloads_overlap() {
    let report = grade("downloads_in_a_row");
    report.expect(
        ID,
        "downloads_overlap",
        "failed",
        &[
            "downloads in a row: never two downloads in flight at once",
            "add up to",
        ],
    );
    report.expect(ID, "runtime_free", "passed", &[]);
}

/// A parallel blur called straight from each async task: every row on
/// the pool, and the runtime's thread waiting inside the call.
#[test]
fn par_iter_inside_an_async_task_fails_runtime_free() {
    let report = grade("par_iter_in_async");
    report.expect(ID, "downloads_overlap", "passed", &[]);
    report.expect(
        ID,
        "runtime_free",
        "failed",
        &[
            "every blur ran on other threads",
            "sat waiting for them",
            "called from async code blocks its thread",
        ],
    );
}

/// Every download, then every blur on the pool.
#[test]
fn all_downloads_first_fails_pipelined() {
    let report = grade("all_downloads_first");
    report.expect(ID, "downloads_overlap", "passed", &[]);
    report.expect(ID, "runtime_free", "passed", &[]);
    report.expect(
        ID,
        "pipelined",
        "failed",
        &[
            "two phases, not a pipeline",
            "after the last download had ended",
            "the pool sat idle",
        ],
    );
}

/// `spawn_blocking` per image: decided to fail, naming spawn_blocking and
/// why tokio's blocking pool is not a pool for computing.
#[test]
fn spawn_blocking_per_image_fails_blur_on_pool() {
    let report = grade("spawn_blocking_per_image");
    report.expect(ID, "runtime_free", "passed", &[]);
    report.expect(
        ID,
        "blur_on_pool",
        "failed",
        &[
            "of tokio's blocking pool",
            "That is spawn_blocking",
            "up to 512 threads",
            "a thread per image",
        ],
    );
}

/// A blocking `recv()` on the runtime's thread: the watchdog stops
/// `right_results` (the first check) as `timed_out` in seconds, and the
/// other checks are skipped.
#[test]
fn deadlock_is_stopped_by_the_watchdog() {
    let report = graded("deadlock");
    report.expect(
        ID,
        "right_results",
        "timed_out",
        &[
            "one poll of pipeline has held the runtime's thread",
            "with nothing happening",
            "Stopped early",
        ],
    );
    for check in [
        "downloads_overlap",
        "blur_on_pool",
        "runtime_free",
        "pipelined",
    ] {
        report.expect(ID, check, "skipped", &["not run"]);
    }
}

/// The human report of the spawn_blocking mutant, run-dependent figures
/// (thread counts, the drawn lanes, paths) filtered out.
#[test]
fn human_report_of_the_spawn_blocking_mutant() {
    let subject = fixture(ID, "spawn_blocking_per_image");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(
        r"on \d+ threads? of tokio's blocking pool",
        "on [N] threads of tokio's blocking pool",
    );
    settings.add_filter(r"(?m)^ +(download \d+|blur, [a-z ]+|runtime held) .*\n", "");
    settings.add_filter(r"(?m)^ +\.\.\. and \d+ more lanes?\n", "");
    settings.add_filter(r"(?m)^ +┬.*\n", "");
    settings.add_filter(r"(?m)^ +real time .*$", "        [axis] real time");
    settings.add_filter(r"pictures: .*", "pictures: [paths]");
    settings.bind(|| insta::assert_snapshot!("spawn_blocking_per_image_10_human", run.stdout));
}

/// Correct solutions shaped unlike the reference pass every check.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "rayon_scope_fed_by_channel",
        "custom_thread_pool",
        "mpsc_to_store_task",
        "buffer_unordered",
        "join_all_spawn_fifo",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}
