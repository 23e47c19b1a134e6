//! Exercise 07 (a batch of images): wrong models, each rejected by the
//! check meant to catch it with its diagnosis; hangs stopped by the
//! grader's own watchdog in seconds; and correct solutions shaped unlike
//! the reference, which must pass every check.

use crate::snapshots::settings;
use crate::support::{Report, fixture, run, run_json};

const ID: &str = "07_a_batch_of_images";

/// The common ending of every "one thread did all the photos" diagnosis.
const ONE_THREAD: &str = "Expected the photos spread over rayon's workers, one photo per task";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose photos are all right and in order.
fn grade(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "right_images", "passed", &[]);
    report
}

/// A plain loop over the batch on the calling thread.
#[test]
fn sequential_loop_fails_work_shared_and_images_overlap() {
    let report = grade("sequential_loop");
    report.expect(ID, "work_shared", "failed", &["sequential loop", ONE_THREAD]);
    report.expect(ID, "images_overlap", "failed", &["no two photos were ever developed at the same instant"]);
}

/// Exercise 06's way on every photo in turn: rows in parallel, photos one
/// after another. `images_overlap` names it; `work_shared` names the row
/// kernel it used instead of the photo kernel.
#[test]
fn parallelism_inside_each_image_fails_images_overlap() {
    let report = grade("parallel_inside_each_image");
    report.expect(
        ID,
        "images_overlap",
        "failed",
        &["parallel inside each photo, one photo at a time", "blurred row by row", "never on two photos"],
    );
    report.expect(ID, "work_shared", "failed", &["exercise 06's row kernel"]);
}

/// Rule "a thread per item is not a pool": 13 OS threads for 13 photos on
/// a machine of 6 cores or fewer; on more, the batch grows past the thread
/// limit (33 photos on 16 cores), so the count is left out.
#[test]
fn thread_per_image_fails_work_shared() {
    let report = grade("thread_per_image");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &["threads each developed a photo or so", "a thread per photo, not a pool"],
    );
}

/// Results pushed as they finish: right photos, wrong places.
#[test]
fn completion_order_fails_right_images() {
    let report = graded("completion_order");
    report.expect(
        ID,
        "right_images",
        "failed",
        &["right but not in the order of the input", "Were they collected in the order they finished?"],
    );
    report.expect(ID, "work_shared", "passed", &[]);
    report.expect(ID, "images_overlap", "passed", &[]);
}

/// `par_iter` inside a rayon pool of one thread.
#[test]
fn one_thread_pool_fails_work_shared() {
    let report = grade("one_thread_pool");
    report.expect(ID, "work_shared", "failed", &["pool of one thread", ONE_THREAD]);
    report.expect(ID, "images_overlap", "failed", &["no two photos"]);
}

/// Rayon's workers share the photos but develop them under one lock.
#[test]
fn photos_behind_a_lock_fail_images_overlap() {
    let report = grade("photos_behind_a_lock");
    report.expect(ID, "work_shared", "passed", &[]);
    report.expect(
        ID,
        "images_overlap",
        "failed",
        &["but never two at the same instant", "a lock held around process_one"],
    );
}

/// Hangs end in seconds: the watchdog stops `right_images` (the first
/// check) as `timed_out`, and the other checks are skipped.
fn expect_watchdog(name: &str, phrases: &[&str]) {
    let report = graded(name);
    report.expect(ID, "right_images", "timed_out", phrases);
    report.expect(ID, "work_shared", "skipped", &["not run"]);
    report.expect(ID, "images_overlap", "skipped", &["not run"]);
}

#[test]
fn deadlock_is_stopped_by_the_watchdog() {
    expect_watchdog("deadlock", &["without calling a lab kernel once", "deadlock"]);
}

#[test]
fn infinite_loop_is_stopped_by_the_watchdog() {
    expect_watchdog("infinite_loop", &["without calling a lab kernel once"]);
}

/// The human report of the inner-parallelism mutant, run-dependent figures
/// (timings, cores, threads, the drawn lanes) filtered out.
#[test]
fn human_report_of_the_parallel_inside_each_image_mutant() {
    let subject = fixture(ID, "parallel_inside_each_image");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(r"\d+ cores?\b", "[N] cores");
    settings.add_filter(r"was called \d+ times", "was called [N] times");
    // work_shared's batch: 13 photos, more on a machine of 7 cores or more.
    settings.add_filter(r"\b(1[3-9]|[2-9]\d|\d{3,}) photos\b", "[13 or more] photos");
    settings.add_filter(r"photos 0 to \d+", "photos 0 to [last]");
    settings.add_filter(r"up to \d+ threads worked", "up to [N] threads worked");
    settings.add_filter(r"in \d ordinary runs?", "in [N] ordinary runs");
    settings.add_filter(r"in an ordinary run\b", "in [N] ordinary runs");
    settings.add_filter(r"work stealing on the batch with one large photo: .*", "work stealing [story]");
    settings.add_filter(r"in the batch with one large photo.*", "work stealing [story]");
    settings.add_filter(r"show one lane per thread, top to bottom: .*", "show one lane per thread [names]");
    settings.add_filter(r"(?m)^ +(rayon worker|the calling thread|thread).*\n", "");
    settings.add_filter(r"(?m)^ +┬.*\n", "");
    settings.add_filter(r"(?m)^ +real time .*$", "        [axis] real time");
    settings.add_filter(r"pictures: .*", "pictures: [paths]");
    settings.bind(|| insta::assert_snapshot!("parallel_inside_each_image_07_human", run.stdout));
}

/// Correct solutions shaped unlike the reference pass every check.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "scoped_workers_queue",
        "rayon_scope_spawn",
        "par_iter_mut_zip",
        "join_halves",
        "custom_pool_max_len",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}
