//! Exercise 12 (more jobs than cores): wrong models, each rejected by the
//! check meant to catch it with its diagnosis; hangs stopped by the
//! grader's own watchdog in seconds; and correct solutions shaped unlike
//! the reference, which must pass every check.

use crate::snapshots::settings;
use crate::support::{Report, fixture, run, run_json};

const ID: &str = "12_more_jobs_than_cores";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose answers are all right and in order.
fn grade(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "every_job_once", "passed", &[]);
    report
}

/// Every job a thread of its own: more jobs at once than the pool.
#[test]
fn thread_per_job_fails_at_most_n() {
    let report = grade("thread_per_job");
    report.expect(ID, "at_most_n", "failed", &["a thread per job, not a pool of 2", "Expected never more than 2 at once"]);
}

/// A pool of one whatever was asked: never N at once.
#[test]
fn pool_of_one_fails_n_reached() {
    let report = grade("pool_of_one");
    report.expect(ID, "at_most_n", "passed", &[]);
    report.expect(ID, "n_reached", "failed", &["at most 1 job was computing", "a pool of one"]);
}

/// Two threads more than asked.
#[test]
fn pool_larger_than_n_fails_at_most_n() {
    let report = grade("pool_larger_than_n");
    report.expect(ID, "at_most_n", "failed", &["workers of a rayon pool of 4", "a pool larger than asked"]);
}

/// rayon's global pool (4 threads under the checker) for 2 workers.
#[test]
fn global_pool_fails_at_most_n() {
    let report = grade("global_pool");
    report.expect(ID, "at_most_n", "failed", &["with 7 jobs on 2 workers", "a pool larger than asked"]);
}

/// Waves of N threads, each wave joined before the next: the slot
/// schedule shows slots idle while jobs wait.
#[test]
fn waves_of_n_fail_no_idle_slots() {
    let report = grade("waves_of_n");
    report.expect(ID, "at_most_n", "passed", &[]);
    report.expect(ID, "n_reached", "passed", &[]);
    report.expect(ID, "no_idle_slots", "failed", &["slots stood idle for", "while jobs were waiting", "waves of 3"]);
}

/// Waves fed one at a time to a real pool of N: the same idle slots.
#[test]
fn waves_in_a_pool_fail_no_idle_slots() {
    let report = grade("waves_in_a_pool");
    report.expect(ID, "no_idle_slots", "failed", &["waves of 3"]);
}

/// Answers pushed as the jobs finish.
#[test]
fn completion_order_fails_every_job_once() {
    let report = graded("completion_order");
    report.expect(ID, "every_job_once", "failed", &["not in job order", "order the jobs finished"]);
    report.expect(ID, "at_most_n", "passed", &[]);
    report.expect(ID, "no_idle_slots", "passed", &[]);
}

fn expect_watchdog(name: &str, phrases: &[&str]) {
    let report = graded(name);
    report.expect(ID, "every_job_once", "timed_out", phrases);
    for check in ["at_most_n", "n_reached", "no_idle_slots"] {
        report.expect(ID, check, "skipped", &["not run"]);
    }
}

/// Workers wait on a channel that is never closed, after the last job.
#[test]
fn deadlock_is_stopped_by_the_watchdog() {
    expect_watchdog("deadlock", &["then no job started or finished", "a channel that is never closed"]);
}

#[test]
fn infinite_loop_is_stopped_by_the_watchdog() {
    expect_watchdog("infinite_loop", &["without starting a job"]);
}

/// The human report of the waves mutant, run-dependent figures filtered.
#[test]
fn human_report_of_the_waves_mutant() {
    let subject = fixture(ID, "waves_of_n");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(r"\d+ ms", "[N] ms");
    settings.add_filter(r"\(\d+% of", "([N]% of");
    settings.add_filter(r"\d+ cores?\b", "[N] cores");
    settings.add_filter(r"(?m)^ +(slot \d|a slot idle|over the limit).*\n", "");
    settings.add_filter(r"(?m)^ +┬.*\n", "");
    settings.add_filter(r"(?m)^ +real time .*$", "        [axis] real time");
    settings.add_filter(r"pictures: .*", "pictures: [paths]");
    settings.bind(|| insta::assert_snapshot!("waves_of_n_12_human", run.stdout));
}

/// Correct solutions shaped unlike the reference pass every check.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "channel_workers",
        "atomic_counter_scope",
        "pool_scope_spawn",
        "max_len_one",
        "par_bridge_sorted",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}
