//! Exercise 09 (what is slow?): wrong models, each rejected by the check
//! meant to catch it with its diagnosis; a hang stopped by the grader's own
//! watchdog in seconds; and correct solutions shaped unlike the reference,
//! which must pass every check.

use crate::snapshots::settings;
use crate::support::{Report, fixture, run, run_json};

const ID: &str = "09_what_is_slow";

/// The ending of every wrong classification of a hidden workload.
const JUDGE_BY_CLOCKS: &str =
    "Expected classify to run the workload, read both clocks and judge by them";
/// The ending of every wrong `kind_of`.
const SHARE_RULE: &str = "Expected the kind from cpu / (cpu + waiting)";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose measuring and classifying are right: only the batch is
/// wrong.
fn grade_batch(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "measures_both_clocks", "passed", &[]);
    report.expect(ID, "classifies_by_the_clocks", "passed", &[]);
    report.expect(ID, "every_step_once", "passed", &[]);
    report
}

/// A mutant whose batch is right: only measuring or classifying is wrong.
fn grade_classify(name: &str) -> Report {
    let report = graded(name);
    for check in [
        "every_step_once",
        "waiting_on_async",
        "computing_on_the_pool",
        "mixed_on_both",
    ] {
        report.expect(ID, check, "passed", &[]);
    }
    report
}

/// Everything sent to async: the computing workloads compute on the
/// runtime's thread.
#[test]
fn everything_async_fails_computing_and_mixed() {
    let report = grade_batch("all_async");
    report.expect(ID, "waiting_on_async", "passed", &[]);
    report.expect(
        ID,
        "computing_on_the_pool",
        "failed",
        &["ran on the runtime's thread: computing sent to async"],
    );
    report.expect(
        ID,
        "mixed_on_both",
        "failed",
        &["ran on the runtime's thread"],
    );
}

/// Everything sent to the pool: waits hold rayon workers asleep.
#[test]
fn everything_on_the_pool_fails_waiting_and_mixed() {
    let report = grade_batch("all_pool");
    report.expect(
        ID,
        "waiting_on_async",
        "failed",
        &["(run_blocking on the pool): waiting sent to threads"],
    );
    report.expect(
        ID,
        "mixed_on_both",
        "failed",
        &[
            "held asleep rayon worker",
            "the whole workload sent to threads",
        ],
    );
}

/// Classification by the words of the name: every name is borrowed from
/// another kind's jobs.
#[test]
fn classify_by_name_fails_classifies() {
    let report = grade_classify("by_label");
    report.expect(ID, "measures_both_clocks", "passed", &[]);
    report.expect(
        ID,
        "classifies_by_the_clocks",
        "failed",
        &[
            "classify never ran it",
            "the kind its name suggests",
            JUDGE_BY_CLOCKS,
        ],
    );
}

/// Classification by the Debug text (which steps, not how long): wrong on
/// the near-edge workloads.
#[test]
fn classify_by_debug_text_fails_classifies() {
    let report = grade_classify("by_debug");
    report.expect(
        ID,
        "classifies_by_the_clocks",
        "failed",
        &[
            "follows which steps a workload has (or its Debug text)",
            JUDGE_BY_CLOCKS,
        ],
    );
}

/// `kind_of` on the wall time alone.
#[test]
fn kind_of_by_wall_time_fails_classifies() {
    let report = grade_classify("by_wall");
    report.expect(
        ID,
        "classifies_by_the_clocks",
        "failed",
        &["it reads how long the job took", SHARE_RULE],
    );
}

/// `kind_of` on cpu / wall: right on an idle machine's figures, wrong on
/// a busy one's.
#[test]
fn kind_of_by_cpu_over_wall_fails_classifies() {
    let report = grade_classify("cpu_over_wall");
    report.expect(
        ID,
        "classifies_by_the_clocks",
        "failed",
        &[
            "wrong when a busy machine had stretched the wall time",
            SHARE_RULE,
        ],
    );
}

/// The wall clock read twice, one reading called CPU time.
#[test]
fn wall_clock_as_cpu_time_fails_measures() {
    let report = grade_classify("wall_as_cpu");
    report.expect(
        ID,
        "measures_both_clocks",
        "failed",
        &["It equals the wall time: both figures come from the wall clock"],
    );
    report.expect(ID, "classifies_by_the_clocks", "failed", &[JUDGE_BY_CLOCKS]);
}

/// The workload run on another thread, the caller's CPU clock read.
#[test]
fn cpu_clock_of_the_wrong_thread_fails_measures() {
    let report = grade_classify("measured_elsewhere");
    report.expect(
        ID,
        "measures_both_clocks",
        "failed",
        &["it belongs to a thread that did not run the workload"],
    );
}

/// The right tools, waiting workloads awaited one after another.
#[test]
fn waiting_in_a_row_fails_waiting_on_async() {
    let report = grade_batch("waiting_in_a_row");
    report.expect(
        ID,
        "waiting_on_async",
        "failed",
        &[
            "waited one after another on the runtime's thread",
            "at least 4",
        ],
    );
    report.expect(ID, "computing_on_the_pool", "passed", &[]);
    report.expect(ID, "mixed_on_both", "passed", &[]);
}

/// Mixed workloads sent whole to the pool.
#[test]
fn mixed_whole_on_the_pool_fails_mixed_on_both() {
    let report = grade_batch("mixed_whole_on_pool");
    report.expect(ID, "waiting_on_async", "passed", &[]);
    report.expect(ID, "computing_on_the_pool", "passed", &[]);
    report.expect(
        ID,
        "mixed_on_both",
        "failed",
        &[
            "held asleep rayon worker",
            "the whole workload sent to threads",
        ],
    );
}

/// The kinds ignored, every computation sent to the pool: the waiting
/// workloads' small computations leave the runtime's thread.
#[test]
fn every_computation_on_the_pool_fails_waiting_on_async() {
    let report = grade_batch("steps_everywhere");
    report.expect(
        ID,
        "waiting_on_async",
        "failed",
        &[
            "a computation of the waiting workload",
            "not on the runtime's thread",
        ],
    );
    report.expect(ID, "computing_on_the_pool", "passed", &[]);
    report.expect(ID, "mixed_on_both", "passed", &[]);
}

/// par_iter straight from async code: the pool computes, and the
/// runtime's thread is held meanwhile, so no wait overlaps the computing.
#[test]
fn par_iter_in_async_fails_computing_on_the_pool() {
    let report = grade_batch("par_iter_in_async");
    report.expect(
        ID,
        "computing_on_the_pool",
        "failed",
        &[
            "no wait on the runtime's thread was in flight while they computed",
            "par_iter called straight from async code",
        ],
    );
}

/// A deadlock in run_batch is stopped by the grader's watchdog in seconds
/// and the checks that run the same code are skipped.
#[test]
fn deadlock_is_stopped_by_the_watchdog() {
    let report = graded("deadlock");
    report.expect(
        ID,
        "every_step_once",
        "timed_out",
        &[
            "run_batch made no progress for 2000 ms",
            "without starting a single step",
            "deadlock",
        ],
    );
    for check in ["waiting_on_async", "computing_on_the_pool", "mixed_on_both"] {
        report.expect(ID, check, "skipped", &["not run"]);
    }
    // Stopped by the grader's own watchdog (the message above), not by the
    // checker's per-check deadline, whatever the machine's load: the
    // check ended before that deadline.
    let ms = report.check(ID, "every_step_once")["duration_ms"]
        .as_u64()
        .expect("a duration");
    assert!(
        ms < 20_000,
        "the hang ran into the checker's 20 s deadline: {ms} ms"
    );
}

/// A hang inside `measure` (it waits for the CPU clock to catch up with
/// the wall clock, which a sleeping thread's never does) is stopped by the
/// grader's watchdog (its message, not the checker's 20 s deadline), in
/// the first check, after every step ran; every check
/// after it runs measure or run_batch's code too and is skipped.
#[test]
fn a_hang_inside_measure_is_stopped_by_the_watchdog() {
    let report = graded("measure_never_returns");
    report.expect(
        ID,
        "measures_both_clocks",
        "timed_out",
        &["measure made no progress for 2000 ms", "0 still running"],
    );
    for check in [
        "classifies_by_the_clocks",
        "every_step_once",
        "waiting_on_async",
        "computing_on_the_pool",
        "mixed_on_both",
    ] {
        report.expect(ID, check, "skipped", &["not run", "measures_both_clocks"]);
    }
}

/// The human report of the everything-async mutant, the drawn lanes and
/// the time axis (which change with the machine's speed) filtered out.
#[test]
fn human_report_of_the_all_async_mutant() {
    let subject = fixture(ID, "all_async");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(
        r"(?m)^( +the runtime's thread (computes|waits)) .*$",
        "$1  [bars]",
    );
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings.bind(|| insta::assert_snapshot!("all_async_09_human", run.stdout));
}

/// Correct solutions shaped unlike the reference pass every check.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "spawned_tasks",
        "spawn_blocking_par_iter",
        "async_measure",
        "custom_pool",
        "step_by_step",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}
