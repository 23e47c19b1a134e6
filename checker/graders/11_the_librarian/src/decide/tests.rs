//! Every branch of the decisions, with the evidence each mutant fixture
//! produces.

use super::*;
use grading::Outcome;
use protocol::timeline::Clock;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[track_caller]
fn expect(verdict: &Verdict, outcome: Outcome, phrases: &[&str]) {
    assert_eq!(verdict.outcome, outcome, "{}", verdict.message);
    for phrase in phrases {
        assert!(
            verdict.message.contains(phrase),
            "{phrase:?} not in {:?}",
            verdict.message
        );
    }
}

#[test]
fn union_joins_overlaps_and_sums_the_rest() {
    assert_eq!(
        union(&[(ms(0), ms(5)), (ms(3), ms(8)), (ms(10), ms(12))]),
        ms(10)
    );
    assert_eq!(union(&[]), Duration::ZERO);
    assert_eq!(pace_limit(ms(5000)), ms(10690));
}

// right_answers

fn reader(expected: &[&str], got: &[&str]) -> ReaderFacts {
    ReaderFacts {
        lines: expected.iter().map(|_| "WHERE 7".to_string()).collect(),
        expected: expected.iter().map(|s| s.to_string()).collect(),
        got: got.iter().map(|s| s.to_string()).collect(),
        problem: None,
    }
}

fn answers(readers: Vec<ReaderFacts>, books: Vec<(u32, usize, usize)>) -> Verdict {
    right_answers(&[AnswerRun {
        shape: "a crowd",
        readers,
        books,
    }])
}

#[test]
fn right_answers_passes_right_replies_read_and_asked_once() {
    let v = answers(
        vec![reader(&["BOOK 7 MISSING"], &["BOOK 7 MISSING"])],
        vec![(7, 1, 1)],
    );
    expect(
        &v,
        Outcome::Passed,
        &["every reader got the right reply", "a crowd"],
    );
}

#[test]
fn right_answers_names_a_wrong_or_missing_reply() {
    let v = answers(vec![reader(&["A", "B"], &["A", "C"])], vec![]);
    expect(
        &v,
        Outcome::Failed,
        &["reader 1 of a crowd", "got \"C\" where \"B\""],
    );
    let mut r = reader(&["A"], &[]);
    r.problem = Some("the server hung up after 0 of 1 replies".into());
    let v = answers(vec![r], vec![]);
    expect(&v, Outcome::Failed, &["got no reply (the server hung up"]);
}

#[test]
fn right_answers_counts_slips_and_queries() {
    let ok = || reader(&["A"], &["A"]);
    expect(
        &answers(vec![ok()], vec![(7, 2, 1)]),
        Outcome::Failed,
        &["read by catalogue.read_slip 2 times"],
    );
    expect(
        &answers(vec![ok()], vec![(7, 1, 0)]),
        Outcome::Failed,
        &["asked for book 7 0 times"],
    );
}

// hung

fn hang(sent: usize, slips: usize, started: usize, ended: usize) -> HangFacts {
    HangFacts {
        shape: "one reader alone",
        quiet: ms(2000),
        readers: 1,
        sent,
        answered: 0,
        slips,
        queries_started: started,
        queries_ended: ended,
        stopped: None,
        timeline: Timeline {
            clock: Clock::Real,
            lanes: vec![],
        },
    }
}

/// The `reads_to_end` fixture.
#[test]
fn a_server_that_reads_no_slip_times_out_saying_so() {
    let v = hung(&hang(1, 0, 0, 0));
    expect(
        &v,
        Outcome::TimedOut,
        &[
            "nothing moved for 2.0 s",
            "read_to_end",
            "1 of 1 readers had sent",
        ],
    );
}

#[test]
fn replies_that_never_arrive_time_out_saying_so() {
    expect(&hung(&hang(1, 1, 1, 1)), Outcome::TimedOut, &["flushed"]);
    expect(
        &hung(&hang(1, 1, 1, 0)),
        Outcome::TimedOut,
        &["never ended"],
    );
    let mut h = hang(1, 0, 0, 0);
    h.stopped = Some("run returned Ok(())".into());
    expect(&hung(&h), Outcome::TimedOut, &["run returned Ok(())"]);
}

// the thousand

fn crowd() -> CrowdFacts {
    CrowdFacts {
        readers: 1000,
        ending: Ending::Finished,
        answered: 1000,
        right: 1000,
        first_wrong: None,
        elapsed: ms(5600),
        compute: ms(5000),
        slip_cpu: ms(4900),
        slips: 1000,
        queries: 1000,
        peak_queries: 19,
        judged_waits: 999,
        lonely_waits: 0,
        blocking: 0,
        blocking_outside_runtime: 0,
        threads: 1,
        tokio_workers: false,
        timeline: Timeline {
            clock: Clock::Real,
            lanes: vec![],
        },
    }
}

#[test]
fn a_server_that_never_waits_passes_every_model_check() {
    let f = crowd();
    expect(
        &a_thousand_readers(&f),
        Outcome::Passed,
        &["all 1000 readers answered right in 5.6 s", "1.10 times"],
    );
    expect(
        &one_thread(&f),
        Outcome::Passed,
        &["one thread read all 1000 slips"],
    );
    expect(
        &waits_overlap(&f),
        Outcome::Passed,
        &["999 of 999 queries had work beside them"],
    );
}

/// The `sequential_accept` fixture, cut off by the watchdog.
fn one_at_a_time() -> CrowdFacts {
    CrowdFacts {
        ending: Ending::Cut,
        answered: 20,
        right: 20,
        elapsed: ms(2050),
        compute: ms(105),
        slips: 21,
        queries: 21,
        peak_queries: 1,
        judged_waits: 20,
        lonely_waits: 20,
        ..crowd()
    }
}

#[test]
fn a_sequential_accept_loop_is_cut_off_and_named() {
    let f = one_at_a_time();
    expect(
        &a_thousand_readers(&f),
        Outcome::Failed,
        &[
            "cut off after 2.0 s",
            "20 of 1000 readers answered one at a time",
            "about 102.5 s",
            "The 21 slips read so far took 105 ms",
            "accept loop awaits",
            "tokio::spawn",
        ],
    );
    expect(
        &waits_overlap(&f),
        Outcome::Failed,
        &["20 of 20 queries were waited out", "accept loop"],
    );
    let v = one_thread(&f);
    expect(&v, Outcome::Passed, &[]);
    assert!(v.details[0].contains("cut off after 20 of 1000"));
}

/// The `thread_sleep_wait` fixture.
#[test]
fn a_blocking_database_wait_is_named() {
    let f = CrowdFacts {
        blocking: 21,
        ..one_at_a_time()
    };
    expect(
        &waits_overlap(&f),
        Outcome::Failed,
        &["std::thread::sleep", "find_blocking"],
    );
    expect(
        &a_thousand_readers(&f),
        Outcome::Failed,
        &["cut off", "std::thread::sleep"],
    );
}

/// The `blocking_std_net` fixture.
#[test]
fn a_blocking_std_net_server_is_named() {
    let f = CrowdFacts {
        blocking: 21,
        blocking_outside_runtime: 21,
        ..one_at_a_time()
    };
    expect(
        &a_thousand_readers(&f),
        Outcome::Failed,
        &["cut off", "blocking std::net server"],
    );
}

/// The `thread_per_reader` fixture: fast, but a thousand threads.
#[test]
fn a_thread_per_reader_fails_one_thread() {
    let f = CrowdFacts {
        threads: 1000,
        elapsed: ms(2700),
        compute: ms(2600),
        ..crowd()
    };
    expect(
        &one_thread(&f),
        Outcome::Failed,
        &["1000 threads", "a thread per reader"],
    );
    expect(&a_thousand_readers(&f), Outcome::Passed, &[]);
    expect(&waits_overlap(&f), Outcome::Passed, &[]);
    let pool = CrowdFacts {
        threads: 3,
        tokio_workers: true,
        ..crowd()
    };
    expect(
        &one_thread(&pool),
        Outcome::Failed,
        &["multi-thread tokio runtime"],
    );
}

/// A machine so busy that the crowd outlasts the check's time, while
/// the server kept the pace: not the learner's fault.
#[test]
fn a_crowd_too_long_for_a_busy_machine_is_inconclusive() {
    let f = CrowdFacts {
        ending: Ending::OverLimit,
        answered: 900,
        elapsed: ms(17500),
        compute: ms(16000),
        slip_cpu: ms(4500),
        ..crowd()
    };
    expect(
        &a_thousand_readers(&f),
        Outcome::Inconclusive,
        &["too busy", "900 of 1000", "28% of a core"],
    );
    let off_pace = CrowdFacts {
        compute: ms(4000),
        ..f
    };
    expect(
        &a_thousand_readers(&off_pace),
        Outcome::Failed,
        &["cut off after 17.5 s"],
    );
}

#[test]
fn a_slow_finish_and_wrong_replies_fail_the_thousand() {
    let f = CrowdFacts {
        elapsed: ms(11000),
        peak_queries: 2,
        ..crowd()
    };
    expect(
        &a_thousand_readers(&f),
        Outcome::Failed,
        &["in 11.0 s: more than the 10.7 s allowed"],
    );
    let f = CrowdFacts {
        right: 998,
        first_wrong: Some(("WHERE 5".into(), "no reply".into(), "BOOK 5 MISSING".into())),
        ..crowd()
    };
    expect(
        &a_thousand_readers(&f),
        Outcome::Failed,
        &["2 of 1000 readers got a wrong reply", "WHERE 5"],
    );
}

#[test]
fn a_few_lonely_waits_are_let_through() {
    assert_eq!(lonely_allowed(999), 49);
    assert_eq!(lonely_allowed(10), 2);
    expect(
        &waits_overlap(&CrowdFacts {
            lonely_waits: 49,
            ..crowd()
        }),
        Outcome::Passed,
        &[],
    );
    expect(
        &waits_overlap(&CrowdFacts {
            lonely_waits: 50,
            ..crowd()
        }),
        Outcome::Failed,
        &[],
    );
}

#[test]
fn lonely_waits_are_the_ones_others_waited_for() {
    // Two readers sent at 0. Sequential: slip 1 (0-5), query 1 (5-100),
    // slip 2 (100-105), query 2 (105-200).
    let slips = [(1, ms(0), ms(5)), (2, ms(100), ms(105))];
    let queries = [(1, ms(5), ms(100)), (2, ms(105), ms(200))];
    let sent = [(1, ms(0)), (2, ms(0))];
    assert_eq!(lonely_waits(&queries, &slips, &sent), (1, 1));
    // Overlapped: slip 2 read during query 1.
    let slips = [(1, ms(0), ms(5)), (2, ms(5), ms(10))];
    let queries = [(1, ms(5), ms(100)), (2, ms(10), ms(105))];
    assert_eq!(lonely_waits(&queries, &slips, &sent), (0, 0));
}
