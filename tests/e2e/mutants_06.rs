//! Wrong models of exercise 06 (blur in parallel). Each blurs every pixel
//! right, so `same_pixels` passes, and each must still be rejected by
//! `work_shared` with a diagnosis of what it saw.

use crate::support::{Report, fixture, run_json};

const ID: &str = "06_blur_in_parallel";

/// The common ending of every "one thread did all the rows" diagnosis.
const ONE_THREAD: &str = "Expected the rows spread over rayon's workers";

fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
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
    report.expect(ID, "simultaneous", "failed", &["no two rows"]);
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
/// which rayon runs on the calling thread without splitting. `work_shared`
/// and `simultaneous` reject it. (Which diagnosis it gets is not asserted:
/// today it is "a sequential loop", though the grader's own text promises
/// "one chunk holding every row" the "one piece of work" diagnosis.)
#[test]
fn one_chunk_fails_work_shared() {
    let report = grade("one_chunk");
    report.expect(ID, "work_shared", "failed", &[ONE_THREAD]);
    report.expect(ID, "simultaneous", "failed", &["no two rows"]);
}

/// Rows as futures joined under `futures::executor::block_on`: concurrency
/// without parallelism, every row on the calling thread, so `work_shared`
/// fails.
#[test]
fn async_rows_fail_work_shared() {
    let report = grade("async_rows");
    report.expect(ID, "work_shared", "failed", &["calling thread", ONE_THREAD]);
}

/// A sequential blur with decoy rows blurred again on two other threads:
/// the CPU time looks shared and two rows did run at once, but rows were
/// blurred more than once, and `work_shared` says so.
#[test]
fn decoy_rows_fail_work_shared() {
    let report = grade("decoy_rows");
    report.expect(
        ID,
        "work_shared",
        "failed",
        &[
            "blurred more than once",
            "Expected each row blurred exactly once",
        ],
    );
}

/// The right model with the wrong pixels (a box one pixel too wide): the
/// model checks pass and `same_pixels` fails, counting the pixels that
/// differ.
#[test]
fn wrong_radius_fails_same_pixels() {
    let report = run_json(&[ID, "--subject", &fixture(ID, "wrong_radius")]);
    report.run.assert_code(1);
    report.expect(
        ID,
        "same_pixels",
        "failed",
        &["pixels differ from a one-thread blur"],
    );
    report.expect(ID, "work_shared", "passed", &[]);
    report.expect(ID, "simultaneous", "passed", &[]);
}
