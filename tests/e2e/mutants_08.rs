//! Exercise 08 (two librarians): wrong models, each rejected by the check
//! meant to catch it with its diagnosis; hangs stopped by the grader's own
//! watchdog in seconds; correct solutions shaped unlike the reference,
//! which must pass every check; and runs pinned to one core, where the
//! checks that need two cores say `inconclusive`, never `failed`.

use serde_json::Value;

use crate::snapshots::settings;
use crate::support::{HANG_GUARD, Report, SEED, checker, fixture, root, run, run_json};

const ID: &str = "08_two_librarians";

/// The common ending of every miscount of reads.
const ONCE_EACH: &str = "Expected each book read exactly once";
/// The hint of every run whose librarians never read at the same time.
const SERIALISED: &str = "Something serialises the librarians";

fn graded(name: &str) -> Report {
    let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
    report.run.assert_code(1);
    report
}

/// A mutant whose count is right on every shelf.
fn grade(name: &str) -> Report {
    let report = graded(name);
    report.expect(ID, "right_count", "passed", &[]);
    report
}

/// One librarian whatever the number asked for: a plain loop on the
/// calling thread fails every model check, each saying what it saw.
#[test]
fn one_librarian_fails_every_model_check() {
    let report = grade("one_librarian");
    report.expect(
        ID,
        "threads_follow_librarians",
        "failed",
        &["the calling thread read every book itself", "sequential loop"],
    );
    report.expect(ID, "fair_shares", "failed", &["nothing was shared"]);
    report.expect(ID, "side_by_side", "failed", &["no two books were ever read at the same instant"]);
}

/// Rule "a thread per item is not a pool": 600 threads for 600 books.
#[test]
fn thread_per_book_fails_threads_follow_librarians() {
    let report = grade("thread_per_book");
    report.expect(
        ID,
        "threads_follow_librarians",
        "failed",
        &["600 threads read the 600 books", "a thread per book, not a librarian per band"],
    );
}

/// The human report of the join-before-spawn mutant (the one failing
/// check, `side_by_side`, with its drawing), run-dependent figures (the
/// cores, the held read's wait, the drawn lanes and their axis) filtered
/// out.
#[test]
fn human_report_of_the_join_before_spawn_mutant() {
    let subject = fixture(ID, "join_before_spawn");
    let run = run(&[ID, "--subject", &subject, "--seed", "7", "--color", "never"]);
    run.assert_code(1);
    let mut settings = settings();
    settings.add_filter(r"\d+ cores?\b", "[N] cores");
    settings.add_filter(r"held the first read for \d+ ms", "held the first read for [N] ms");
    settings.add_filter(r"(?m)^ +thread #\d+ .*\n", "");
    // The time axis of a real-clock drawing: its ticks and numbers change
    // with the machine's speed.
    settings.add_filter(r"(?m)^( +real time).*$", "$1  [axis]");
    settings.add_filter(r"(?m)^( +)┬[┬─]*$", "$1[ticks]");
    settings.add_filter(r"pictures: .*", "pictures: [paths]");
    settings.bind(|| insta::assert_snapshot!("join_before_spawn_08_human", run.stdout));
}

/// One librarian gets 95% of the shelf: the number of threads is right,
/// the split is not.
#[test]
fn lopsided_bands_fail_fair_shares() {
    let report = grade("lopsided_bands");
    report.expect(ID, "threads_follow_librarians", "passed", &[]);
    report.expect(
        ID,
        "fair_shares",
        "failed",
        &["did 95% of the reading", "Expected the reading shared fairly"],
    );
}

/// Rule "overlap in ordinary runs": a thread per band, joined before the
/// next is spawned, has the right threads and fair parts and never reads
/// two books at once; the held run finds nobody to meet.
#[test]
fn join_before_spawn_fails_side_by_side_with_a_hint() {
    let report = grade("join_before_spawn");
    report.expect(ID, "threads_follow_librarians", "passed", &[]);
    report.expect(ID, "fair_shares", "passed", &[]);
    report.expect(
        ID,
        "side_by_side",
        "failed",
        &["never two at the same instant", "no other thread started a book", SERIALISED, "joined before the next one is spawned"],
    );
}

/// The threads share a lock held around every read.
#[test]
fn lock_around_read_fails_side_by_side() {
    let report = grade("lock_around_read");
    report.expect(
        ID,
        "side_by_side",
        "failed",
        &["never two at the same instant", SERIALISED, "a lock held around read"],
    );
}

/// The number of threads follows the cores, not the librarians.
#[test]
fn threads_per_core_fail_threads_follow_librarians() {
    let report = grade("threads_per_core");
    report.expect(
        ID,
        "threads_follow_librarians",
        "failed",
        &["whatever the number of librarians (1, 2, 3, 5 and 3)"],
    );
}

/// Rule "sizes that do not divide": bands of len / librarians lose the
/// books left over.
#[test]
fn dropped_leftover_books_fail_right_count() {
    let report = graded("drops_leftover_books");
    report.expect(
        ID,
        "right_count",
        "failed",
        &["on the shelf of 601 books with 2 librarians", "book 600 was never read", ONCE_EACH, "left over"],
    );
}

/// Rule "parameters of 0": zero librarians divide by zero.
#[test]
fn zero_librarians_panic_fails_right_count_naming_the_shelf() {
    let report = graded("zero_librarians_panic");
    report.expect(
        ID,
        "right_count",
        "failed",
        &["panicked on the shelf of 6 books with 0 librarians", "divide by zero", "Zero librarians count as one"],
    );
}

/// Rule "account for every unit": a right total with books read twice.
#[test]
fn rereads_fail_right_count_though_the_count_is_right() {
    let report = graded("rereads_a_book");
    report.expect(
        ID,
        "right_count",
        "failed",
        &["the count was right", "was read twice", ONCE_EACH],
    );
}

/// Hangs end in seconds: the grader's watchdog stops `right_count` (the
/// first check) as `timed_out` with what it saw, long before the default
/// deadline, and the other checks are skipped.
fn expect_watchdog(name: &str, phrases: &[&str]) {
    let report = graded(name);
    report.expect(ID, "right_count", "timed_out", phrases);
    for check in ["threads_follow_librarians", "fair_shares", "side_by_side"] {
        report.expect(ID, check, "skipped", &["not run"]);
    }
}

/// A channel whose receiver waits for the caller's own sender: every book
/// read, then nothing.
#[test]
fn channel_never_closed_is_stopped_by_the_watchdog() {
    expect_watchdog("channel_never_closed", &["finished 600 reads", "deadlock"]);
}

/// A reading loop that never ends, calling read all the while.
#[test]
fn endless_reading_is_stopped_by_the_watchdog() {
    expect_watchdog("endless_reading", &["lab::library::read was called", "never ends"]);
}

/// Correct solutions shaped unlike the reference pass every check.
#[test]
fn unusual_correct_solutions_pass_every_check() {
    for name in [
        "striped",
        "atomic_counter",
        "channel_totals",
        "split_at_caller_reads",
        "counts_by_chunks_mut",
    ] {
        let report = run_json(&[ID, "--subject", &fixture(ID, name)]);
        report.expect_all(ID, "passed", &[]);
        report.run.assert_code(0);
    }
}

/// Runs the checker on exercise 08 pinned to CPU 0 and returns each check's
/// outcome, or `None` where `taskset` is missing.
fn on_one_core(subject: &[&str]) -> Option<Vec<(String, String)>> {
    let taskset = ["/usr/bin/taskset", "/bin/taskset"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(taskset) = taskset else {
        eprintln!("skipped: no taskset on this machine to pin the checker to one core");
        return None;
    };
    let output = assert_cmd::Command::new(taskset)
        .args(["-c", "0"])
        .arg(checker())
        .args([ID, "--format", "json", "--seed", SEED])
        .args(subject)
        .current_dir(root())
        .timeout(HANG_GUARD)
        .output()
        .expect("the checker ran");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("no JSON report ({err}):\n{}", String::from_utf8_lossy(&output.stderr))
    });
    let checks = report["exercises"][0]["checks"].as_array().cloned().unwrap_or_default();
    Some(
        checks
            .iter()
            .map(|c| {
                let field = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (field("name"), field("outcome"))
            })
            .collect(),
    )
}

fn outcome<'a>(outcomes: &'a [(String, String)], name: &str) -> &'a str {
    outcomes
        .iter()
        .find(|(n, _)| n == name)
        .map_or("missing", |(_, o)| o.as_str())
}

/// On one core the reference solution passes every check: the number of
/// threads is the librarians', and their reads overlap in time while the
/// OS gives them turns.
#[test]
fn the_solution_passes_on_one_core() {
    let Some(outcomes) = on_one_core(&["--solutions"]) else {
        return;
    };
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    assert!(outcomes.iter().all(|(_, o)| o == "passed"), "{outcomes:?}");
}

/// On one core, one thread started for the whole shelf may be a number
/// taken from the cores: the checks that need two cores are inconclusive,
/// and `threads_follow_librarians` (about the parameter) still decides.
/// Librarians joined one by one are inconclusive for `side_by_side` too.
#[test]
fn one_core_gives_inconclusive_never_failed_for_the_parallel_checks() {
    let per_core = fixture(ID, "threads_per_core");
    if let Some(outcomes) = on_one_core(&["--subject", &per_core]) {
        assert_eq!(outcome(&outcomes, "right_count"), "passed", "{outcomes:?}");
        assert_eq!(outcome(&outcomes, "threads_follow_librarians"), "failed", "{outcomes:?}");
        assert_eq!(outcome(&outcomes, "fair_shares"), "inconclusive", "{outcomes:?}");
        assert_eq!(outcome(&outcomes, "side_by_side"), "inconclusive", "{outcomes:?}");
    }
    let joined = fixture(ID, "join_before_spawn");
    if let Some(outcomes) = on_one_core(&["--subject", &joined]) {
        assert_eq!(outcome(&outcomes, "side_by_side"), "inconclusive", "{outcomes:?}");
        assert!(
            outcomes.iter().all(|(name, o)| o == "passed" || name == "side_by_side"),
            "{outcomes:?}"
        );
    }
}
