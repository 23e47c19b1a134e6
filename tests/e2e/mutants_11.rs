//! Wrong models of exercise 11 (the librarian), and correct servers shaped
//! unlike the reference. Each wrong model must be rejected by the check
//! that sees its model, with a message that names what it saw; each
//! correct one must pass every check. And whatever a server did, nothing
//! of it outlives its grading: no harness process, no listening port.
//! The fixtures' own comments say what each one does.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::support::{Report, fixture, run, run_json};

const ID: &str = "11_the_librarian";

/// Grades fixture `name` as exercise 11.
fn grade(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// The addresses the library listened at, from the checks' details.
fn addresses(report: &Report) -> Vec<SocketAddr> {
    report
        .checks(ID)
        .iter()
        .flat_map(|c| c["details"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| {
            d.as_str()?
                .strip_prefix("the library listened at ")?
                .split(';')
                .next()?
                .parse()
                .ok()
        })
        .collect()
}

/// Processes still running the harness that graded fixture `name`
/// (Linux: from `/proc`; elsewhere none are found). The harness is named
/// after the exercise and the fixture's folder.
fn harnesses_of(name: &str) -> Vec<String> {
    let prefix = format!("grade-{ID}-{name}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let program = cmdline.split(|&b| b == 0).next()?;
            let program = String::from_utf8_lossy(program).into_owned();
            let file = program.rsplit('/').next()?;
            file.starts_with(&prefix).then_some(program)
        })
        .collect()
}

/// Nothing of the graded server is left: every port it listened at is
/// closed, and no process of its harness runs.
fn nothing_left_behind(report: &Report, name: &str) {
    let addresses = addresses(report);
    assert!(
        !addresses.is_empty(),
        "no check named its address:\n{}",
        report.summary()
    );
    for addr in addresses {
        assert!(
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
            "{addr} still accepts connections after grading {name}"
        );
    }
    let left = harnesses_of(name);
    assert!(left.is_empty(), "left running: {left:?}");
}

/// A thread per reader: quick, right, and 250 threads for 250 readers.
/// Its threads and sockets all go with the check's process.
#[test]
fn a_thread_per_reader_fails_one_thread_and_leaves_nothing() {
    let report = grade("thread_per_reader");
    report.expect(ID, "right_answers", "passed", &[]);
    report.expect(
        ID,
        "one_thread",
        "failed",
        &["250 threads", "a thread per reader", "new_current_thread"],
    );
    nothing_left_behind(&report, "thread_per_reader");
}

/// The right server on tokio's default, multi-thread runtime: its
/// workers are threads too.
#[test]
fn a_multi_thread_runtime_fails_one_thread() {
    let report = grade("multi_thread_runtime");
    report.expect(ID, "right_answers", "passed", &[]);
    report.expect(
        ID,
        "one_thread",
        "failed",
        &[
            "4 threads",
            "multi-thread tokio runtime",
            "new_current_thread",
        ],
    );
}

/// An accept loop that awaits each visit: cut off within seconds, as one
/// at a time, with the accept loop named; every wait still overlapped
/// nothing. The one thread it used passes.
#[test]
fn a_sequential_accept_loop_is_cut_off() {
    let report = grade("sequential_accept");
    report.expect(ID, "right_answers", "passed", &[]);
    report.expect(ID, "one_thread", "passed", &[]);
    report.expect(
        ID,
        "a_thousand_readers",
        "failed",
        &[
            "cut off after 2.",
            "one at a time",
            "accept loop",
            "tokio::spawn",
        ],
    );
    report.expect(
        ID,
        "waits_overlap",
        "failed",
        &["waited out with nothing else done", "accept loop"],
    );
    for check in ["waits_overlap", "a_thousand_readers"] {
        let ms = report.check(ID, check)["duration_ms"].as_u64().unwrap_or(0);
        assert!(ms < 10_000, "{check} ran {ms} ms before it was cut off");
    }
    nothing_left_behind(&report, "sequential_accept");
}

/// A blocking std::net server, one reader at a time: cut off and named.
#[test]
fn a_blocking_std_net_server_is_cut_off_and_named() {
    let report = grade("blocking_std_net");
    report.expect(
        ID,
        "a_thousand_readers",
        "failed",
        &["cut off", "one at a time", "blocking std::net server"],
    );
    report.expect(ID, "waits_overlap", "failed", &["blocking std::net server"]);
}

/// The database asked with the old synchronous client: its
/// std::thread::sleep holds the only thread through every query.
#[test]
fn a_database_wait_that_sleeps_fails_waits_overlap() {
    let report = grade("thread_sleep_wait");
    report.expect(ID, "right_answers", "passed", &[]);
    report.expect(
        ID,
        "waits_overlap",
        "failed",
        &[
            "waited out with nothing else done",
            "std::thread::sleep",
            "find_blocking",
        ],
    );
    report.expect(
        ID,
        "a_thousand_readers",
        "failed",
        &["cut off", "std::thread::sleep"],
    );
}

/// A server that reads to the end before answering never answers: the
/// first check times out saying so, the others are skipped, and the
/// server's process is gone.
#[test]
fn a_server_that_reads_to_the_end_times_out() {
    let report = grade("reads_to_end");
    report.expect_status(ID, "failed");
    report.expect(
        ID,
        "right_answers",
        "timed_out",
        &[
            "nothing moved for 5.",
            "read none of the slips",
            "read_to_end",
        ],
    );
    for check in &report.checks(ID)[1..] {
        let check = check["name"].as_str().unwrap_or("?");
        report.expect(ID, check, "skipped", &["not run", "right_answers"]);
    }
    nothing_left_behind(&report, "reads_to_end");
}

/// Correct servers shaped unlike the reference pass every check.
fn expect_correct(name: &str) {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(0);
    report.expect_all(ID, "passed", &[]);
}

#[test]
fn spawn_local_on_a_local_set_passes() {
    expect_correct("local_set");
}

#[test]
fn one_select_loop_without_spawn_passes() {
    expect_correct("select_loop");
}

#[test]
fn a_server_on_a_thread_of_its_own_passes() {
    expect_correct("own_thread");
}

#[test]
fn every_line_of_a_connection_at_once_passes() {
    expect_correct("pipelined");
}

#[test]
fn lines_cut_by_hand_from_a_std_listener_pass() {
    expect_correct("bytes_by_hand");
}

/// The human report of the sequential accept loop, the wrong model a
/// learner meets most: every figure measured on the real clock, and the
/// bars and axis of the drawings, become placeholders; the lanes' labels
/// and the diagnoses stay.
#[test]
fn human_report_of_the_sequential_accept_loop() {
    let subject = fixture(ID, "sequential_accept");
    let run = run(&[ID, "--subject", &subject, "--seed", "1", "--color", "never"]);
    run.assert_code(1);
    let mut settings = crate::snapshots::settings();
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.add_filter(r"\d+\.\d+ s\b", "[N] s");
    settings.add_filter(r"\d+ ms\b", "[N] ms");
    settings.add_filter(r"\d+ of \d+", "[N] of [N]");
    settings.add_filter(r"\b\d+ (slips?|quer(y|ies))\b", "[N] $1");
    settings.add_filter(
        r"(?m)^( {8}[a-z][a-z0-9_ ,()']*?) +[█▌▐ ]*[█▌▐][█▌▐ ]*$",
        "$1  [bars]",
    );
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings.bind(|| insta::assert_snapshot!("sequential_accept_11_human", run.stdout));
}
