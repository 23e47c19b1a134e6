//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence that each
//! wrong model (each mutant fixture in `tests/fixtures/03_a_thousand_requests/`)
//! produces. Decisions compare numbers and enums, never text.

use std::time::Duration;

use grading::observe::Stuck;
use grading::{Verdict, ms};
use protocol::Timeline;

use crate::schedule::{Idle, Schedule, Usage};

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1`, `1 and 2`, `1, 2 and 3`, and at most `max` of them with "..."
/// after.
fn positions(items: &[usize], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).map(|i| i.to_string()).collect();
    let more = items.len() > max;
    match shown.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        _ if more => format!("{}, ...", shown.join(", ")),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What one position of the returned `Vec` held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// The answer of the URL at another position.
    AnswerOf(usize),
    /// A body where the server answered an error status.
    BodyForError,
    /// An error where the server answered a body.
    ErrorForBody,
    /// Something the server never answered for any URL of the input.
    Unknown,
}

/// One position that does not hold its URL's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrong {
    /// The position.
    pub position: usize,
    /// What it held.
    pub held: Held,
}

/// One run of `right_answer`.
#[derive(Debug, Clone)]
pub struct AnswerRun {
    /// The input's shape, for the message: "1000 URLs, limit 7".
    pub shape: String,
    /// URLs given.
    pub n: usize,
    /// Results returned.
    pub returned: usize,
    /// The positions (of the first `n`) that hold something else than
    /// their URL's answer, in order.
    pub wrong: Vec<Wrong>,
    /// True when the returned answers are in the order the fetches
    /// finished.
    pub in_finish_order: bool,
    /// Positions whose URL was fetched more than once.
    pub fetched_twice: Vec<usize>,
    /// Positions whose URL was never fetched.
    pub never_fetched: Vec<usize>,
    /// Fetches of URLs that are not in the input.
    pub unknown_fetches: usize,
    /// Positions that fail, in the input.
    pub failing: usize,
}

/// `right_answer`: in every run, one result per URL, each the answer of
/// its own URL (errors included), and every URL fetched exactly once.
pub fn right_answer(runs: &[AnswerRun]) -> Verdict {
    for run in runs {
        let shape = &run.shape;
        let message = if run.returned != run.n {
            format!(
                "for {shape}, fetch_all returned {} for {}; expected exactly one result per \
                 URL, errors included, in the order of the URLs",
                plural(run.returned, "result", "results"),
                plural(run.n, "URL", "URLs"),
            )
        } else if let Some(first) = run.wrong.first() {
            let what = match first.held {
                Held::AnswerOf(j) => format!("the answer for the URL at position {j}"),
                Held::BodyForError => {
                    "a body, though the server answered that URL with an error".into()
                }
                Held::ErrorForBody => {
                    "an error, though the server answered that URL with a body".into()
                }
                Held::Unknown => "an answer the server never gave".into(),
            };
            let moved = run
                .wrong
                .iter()
                .all(|w| matches!(w.held, Held::AnswerOf(_)));
            let why = if moved && run.in_finish_order {
                ": the results are in the order the fetches finished, not in the order of the \
                 URLs"
                    .to_string()
            } else if moved {
                ": the answers are all there, in another order".to_string()
            } else {
                String::new()
            };
            format!(
                "for {shape}, position {} holds {what} ({} of {} positions hold something \
                 else than their own URL's answer){why}. Expected result i to be the answer \
                 for urls[i], a body or an error, whatever order the fetches finish in.",
                first.position,
                run.wrong.len(),
                run.n,
            )
        } else if !run.fetched_twice.is_empty() {
            format!(
                "for {shape}, the URL at position {} was fetched more than once; expected each \
                 URL fetched exactly once",
                positions(&run.fetched_twice, 5)
            )
        } else if !run.never_fetched.is_empty() {
            format!(
                "for {shape}, the URL at position {} was never fetched, yet a result came back \
                 for it; expected each URL fetched exactly once",
                positions(&run.never_fetched, 5)
            )
        } else if run.unknown_fetches > 0 {
            format!(
                "for {shape}, fetch_all fetched {} not in the input; expected only the URLs \
                 given",
                plural(run.unknown_fetches, "URL", "URLs")
            )
        } else {
            continue;
        };
        return Verdict::fail(message);
    }
    let shapes: Vec<&str> = runs.iter().map(|r| r.shape.as_str()).collect();
    let errors: usize = runs.iter().map(|r| r.failing).sum();
    Verdict::pass(format!(
        "every result is its own URL's answer, in input order, each URL fetched once: {}",
        shapes.join("; ")
    ))
    .detail(format!(
        "{} kept at {} own position",
        plural(errors, "error", "errors"),
        if errors == 1 { "its" } else { "their" }
    ))
}

/// One run of `bounded`.
#[derive(Debug, Clone)]
pub struct PeakRun {
    /// The limit passed.
    pub limit: usize,
    /// URLs given.
    pub n: usize,
    /// The most fetches in flight at once.
    pub peak: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
}

impl PeakRun {
    /// What the peak must be: the limit, or every URL when there are fewer.
    pub fn expected(&self) -> usize {
        self.limit.min(self.n)
    }
}

/// `bounded`: in every run the peak in flight is exactly the limit (or
/// the number of URLs, when smaller): never over it, and reached.
pub fn bounded(runs: &[PeakRun]) -> Verdict {
    for run in runs {
        let (peak, limit, n) = (run.peak, run.limit, run.n);
        let threads = if run.foreign_threads > 0 {
            format!(
                ", on {},",
                plural(run.foreign_threads, "other OS thread", "other OS threads")
            )
        } else {
            String::new()
        };
        let message = if peak > limit {
            let all = if peak == n {
                ": every URL started at once, nothing held the others back"
            } else {
                ""
            };
            format!(
                "up to {peak} fetches were in flight at once{threads} with a limit of {limit} \
                 ({n} URLs){all}. Expected never more than {limit}."
            )
        } else if peak < run.expected() && peak == 1 {
            format!(
                "never more than 1 fetch was in flight with a limit of {limit} ({n} URLs): the \
                 fetches ran one after another. Expected {} in flight at once.",
                run.expected()
            )
        } else if peak < run.expected() {
            format!(
                "at most {peak} fetches were in flight with a limit of {limit} ({n} URLs): the \
                 limit was never reached. Expected {} in flight at once.",
                run.expected()
            )
        } else {
            continue;
        };
        return Verdict::fail(message);
    }
    let each: Vec<String> = runs
        .iter()
        .map(|r| format!("{} of limit {} ({} URLs)", r.peak, r.limit, r.n))
        .collect();
    Verdict::pass(format!(
        "the most fetches in flight was exactly the limit every time: {}",
        each.join(", ")
    ))
}

/// One run of `slots_kept_busy`.
#[derive(Debug, Clone)]
pub struct ScheduleRun {
    /// The limit passed.
    pub limit: usize,
    /// URLs given.
    pub n: usize,
    /// The latencies, in words: "latencies of 80 to 120 ms".
    pub spread: &'static str,
    /// Simulated time the run took.
    pub took: Duration,
    /// What `limit` slots kept busy take.
    pub expected: Schedule,
    /// Every latency added up: one fetch after another.
    pub sum: Duration,
    /// The most fetches in flight at once.
    pub peak: usize,
    /// How the run used its slots.
    pub usage: Usage,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// Real time it took.
    pub real_elapsed: Duration,
    /// The run's slots, the start of it.
    pub timeline: Timeline,
    /// How much of the run the drawing shows.
    pub drawn: Duration,
}

impl ScheduleRun {
    /// Tolerance: a millisecond per fetch one slot runs in a row.
    pub fn tolerance(&self) -> Duration {
        Duration::from_millis(self.expected.steps as u64)
    }

    fn expected_words(&self) -> String {
        format!(
            "expected {} kept busy, each taking the next URL the moment it frees: {} (±{})",
            plural(self.limit.min(self.n), "slot", "slots"),
            ms(self.expected.makespan),
            ms(self.tolerance())
        )
    }
}

/// `slots_kept_busy`: in every run, simulated time equals the makespan of
/// `limit` slots kept busy, within a millisecond per step. The first run
/// that differs decides, with its slots drawn.
pub fn slots_kept_busy(runs: &[ScheduleRun]) -> Verdict {
    for run in runs {
        let (took, makespan, tol) = (run.took, run.expected.makespan, run.tolerance());
        let head = format!(
            "with {} and a limit of {} ({}), ",
            plural(run.n, "URL", "URLs"),
            run.limit,
            run.spread
        );
        let message = if took + tol < makespan && run.foreign_threads > 0 {
            format!(
                "{head}only {} of simulated time passed: the fetches ran on {} and waited \
                 there, on the real clock ({} in all), where the runtime that called fetch_all \
                 cannot see them; {}",
                ms(took),
                plural(run.foreign_threads, "other OS thread", "other OS threads"),
                ms(run.real_elapsed),
                run.expected_words()
            )
        } else if took + tol < makespan && run.peak > run.limit {
            format!(
                "{head}fetch_all finished after {}, sooner than {} slots can, because up to {} \
                 fetches were in flight at once; {}",
                ms(took),
                run.limit,
                run.peak,
                run.expected_words()
            )
        } else if took + tol < makespan {
            format!(
                "{head}only {} of simulated time passed: some fetch did not wait its full \
                 time on the runtime that called fetch_all; {}",
                ms(took),
                run.expected_words()
            )
        } else if took <= makespan + tol {
            continue;
        } else if run.peak == 1 && run.limit > 1 {
            format!(
                "{head}the fetches ran one after another: {} of simulated time, the sum of \
                 every latency ({}), never more than 1 in flight; {}",
                ms(took),
                ms(run.sum),
                run.expected_words()
            )
        } else if run.usage.waves {
            format!(
                "{head}the fetches ran in waves: each group of up to {} started only once the \
                 whole group before it had finished, so every wave waited for its slowest \
                 fetch while its other slots stood empty ({} of empty slot time in all): {} \
                 instead of {}; {}",
                run.limit,
                ms(run.usage.idle_total),
                ms(took),
                ms(makespan),
                run.expected_words()
            )
        } else if let Some(Idle {
            at,
            in_flight,
            waiting,
        }) = run.usage.first_idle
        {
            format!(
                "{head}slots stood empty while URLs waited to start: at {} only {} of {} were \
                 in flight with {} not started yet ({} of empty slot time in all). \
                 `buffered` does this: a finished fetch keeps its slot until every fetch \
                 before it has finished. It took {} instead of {}; {}",
                ms(at),
                in_flight,
                run.limit,
                plural(waiting, "URL", "URLs"),
                ms(run.usage.idle_total),
                ms(took),
                ms(makespan),
                run.expected_words()
            )
        } else {
            format!(
                "{head}fetch_all took {} of simulated time though its slots were never empty \
                 while URLs waited: it waited on something after the last fetch; {}",
                ms(took),
                run.expected_words()
            )
        };
        return Verdict::fail(format!(
            "{message}. The slots of the first {} are drawn below.",
            ms(run.drawn)
        ))
        .timeline(run.timeline.clone());
    }
    let each: Vec<String> = runs
        .iter()
        .map(|r| {
            format!(
                "limit {}: {} ({} expected)",
                r.limit,
                ms(r.took),
                ms(r.expected.makespan)
            )
        })
        .collect();
    Verdict::pass(format!(
        "every run took the time of its slots kept busy: {}",
        each.join(", ")
    ))
}

/// The evidence of `one_thread`.
#[derive(Debug, Clone)]
pub struct Threads {
    /// Fetches made.
    pub calls: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// Real time the run took.
    pub real_elapsed: Duration,
    /// The run (on the real clock when fetches ran on other threads).
    pub timeline: Timeline,
}

/// `one_thread`: every fetch ran on the runtime's own thread.
pub fn one_thread(run: &Threads) -> Verdict {
    match run.foreign_threads {
        _ if run.calls == 0 => Verdict::fail("fetch_all made no fetches at all"),
        0 => Verdict::pass(format!(
            "all {} fetches ran on the runtime's own thread",
            run.calls
        )),
        n => Verdict::fail(format!(
            "the fetches ran on {} besides the runtime's own ({} of real time passed, drawn on \
             the real clock): a thread is a whole worker kept waiting for one answer. Expected \
             every fetch as a future on the one thread that runs fetch_all, which waits for \
             a thousand as cheaply as for one.",
            plural(n, "other OS thread", "other OS threads"),
            ms(run.real_elapsed)
        ))
        .timeline(run.timeline.clone()),
    }
}

/// A run whose future had not finished when the simulated time limit ran
/// out.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// The simulated time limit.
    pub limit: Duration,
    /// Real time the run took until the limit ran out.
    pub real_elapsed: Duration,
    /// URLs given.
    pub n: usize,
    /// Fetches started.
    pub started: usize,
    /// Of those, fetches that had not finished.
    pub unfinished: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// The run.
    pub timeline: Timeline,
}

/// Any check, when `fetch_all` never returned: the most specific thing
/// observed.
pub fn unfinished(run: &Unfinished) -> Verdict {
    let message = if run.foreign_threads > 0 {
        format!(
            "fetch_all never returned: its fetches ran on {} besides the runtime's own, and the \
             runtime's paused clock cannot see waits on other threads. With nothing of its own \
             to wait for, it ran out its {} of simulated time within {} of real time, with {} \
             of {} started and {} unfinished (drawn on the real clock). Expected the fetches \
             as futures awaited on the thread that runs fetch_all.",
            plural(run.foreign_threads, "other OS thread", "other OS threads"),
            secs(run.limit),
            ms(run.real_elapsed),
            run.started,
            plural(run.n, "fetch", "fetches"),
            run.unfinished
        )
    } else {
        format!(
            "fetch_all had not returned after {} of simulated time; it was waiting for \
             something that never happens ({} of {} started, {} of them unfinished). Expected \
             it back once the last fetch ends.",
            secs(run.limit),
            run.started,
            plural(run.n, "fetch", "fetches"),
            run.unfinished
        )
    };
    Verdict::fail(message).timeline(run.timeline.clone())
}

/// What the watchdog saw, with the run so far.
#[derive(Debug, Clone)]
pub struct HangFacts {
    /// What it saw.
    pub stuck: Stuck,
    /// For how long, in real time.
    pub stuck_for: Duration,
    /// Fetches started.
    pub started: usize,
    /// Of those, finished.
    pub finished: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// The run so far, on the real clock.
    pub timeline: Timeline,
}

/// The `timed_out` verdict of a run that stopped making progress.
pub fn hang(h: &HangFacts) -> Verdict {
    let held = secs(h.stuck_for);
    let what = match h.stuck {
        Stuck::InOnePoll => format!(
            "one poll of fetch_all has not returned for {held} of real time: the runtime's only \
             thread is stuck inside your code (a block_on, a std Mutex or channel that waits, a \
             thread::sleep or join that does not end, or an endless loop), so no fetch can \
             finish and the simulated clock cannot move"
        ),
        Stuck::Spinning { polls } => format!(
            "fetch_all was polled {polls} times in {held} of real time without finishing, and \
             the simulated clock could not move: it keeps waking itself (a loop around \
             yield_now, or a future that wakes itself) instead of waiting on a fetch"
        ),
        Stuck::RuntimeHeld => format!(
            "fetch_all is waiting, yet the runtime's thread has run none of its other tasks for \
             {held} of real time: a task you spawned holds the thread (a blocking call or an \
             endless loop inside tokio::spawn), or a spawn_blocking task is still running, which \
             stops the paused clock"
        ),
        Stuck::NotFinished => format!(
            "fetch_all has not returned after {held} of real time, though the runtime kept \
             running; correct code needs a fraction of that"
        ),
    };
    let threads = if h.foreign_threads > 0 {
        format!(
            ", on {}",
            plural(h.foreign_threads, "other OS thread", "other OS threads")
        )
    } else {
        String::new()
    };
    Verdict::timed_out(format!(
        "{what}. By then {} had started, {} finished{threads}. Stopped early; wait with .await \
         instead.",
        plural(h.started, "fetch", "fetches"),
        h.finished
    ))
    .timeline(h.timeline.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::Outcome;
    use protocol::timeline::Clock;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn drawing() -> Timeline {
        Timeline {
            clock: Clock::Virtual,
            lanes: Vec::new(),
        }
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
    fn positions_read_as_sentences() {
        assert_eq!(positions(&[3], 5), "3");
        assert_eq!(positions(&[3, 4, 9], 5), "3, 4 and 9");
        assert_eq!(positions(&[1, 2, 3], 2), "1, 2, ...");
    }

    // right_answer

    fn answer() -> AnswerRun {
        AnswerRun {
            shape: "1000 URLs, limit 7".into(),
            n: 1000,
            returned: 1000,
            wrong: Vec::new(),
            in_finish_order: false,
            fetched_twice: Vec::new(),
            never_fetched: Vec::new(),
            unknown_fetches: 0,
            failing: 41,
        }
    }

    #[test]
    fn right_answer_passes_when_every_position_holds_its_answer() {
        let v = right_answer(&[answer(), answer()]);
        expect(
            &v,
            Outcome::Passed,
            &["in input order", "1000 URLs, limit 7"],
        );
        assert!(v.details[0].contains("82 errors"));
    }

    /// The `drops_errors` shape: fewer results than URLs.
    #[test]
    fn right_answer_counts_the_results() {
        let v = right_answer(&[AnswerRun {
            returned: 959,
            ..answer()
        }]);
        expect(&v, Outcome::Failed, &["returned 959 results for 1000 URLs"]);
    }

    /// The `completion_order` fixture.
    #[test]
    fn right_answer_sees_results_in_finish_order() {
        let v = right_answer(&[AnswerRun {
            wrong: vec![
                Wrong {
                    position: 0,
                    held: Held::AnswerOf(4),
                },
                Wrong {
                    position: 1,
                    held: Held::AnswerOf(0),
                },
            ],
            in_finish_order: true,
            ..answer()
        }]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "position 0 holds the answer for the URL at position 4",
                "2 of 1000 positions",
                "in the order the fetches finished",
            ],
        );
    }

    #[test]
    fn right_answer_sees_another_order() {
        let v = right_answer(&[AnswerRun {
            wrong: vec![Wrong {
                position: 3,
                held: Held::AnswerOf(2),
            }],
            ..answer()
        }]);
        expect(&v, Outcome::Failed, &["all there, in another order"]);
    }

    #[test]
    fn right_answer_sees_errors_and_bodies_swapped() {
        for (held, phrase) in [
            (Held::BodyForError, "a body, though"),
            (Held::ErrorForBody, "an error, though"),
            (Held::Unknown, "never gave"),
        ] {
            let v = right_answer(&[AnswerRun {
                wrong: vec![Wrong { position: 8, held }],
                ..answer()
            }]);
            expect(&v, Outcome::Failed, &["position 8 holds", phrase]);
            assert!(!v.message.contains("another order"));
        }
    }

    #[test]
    fn right_answer_accounts_for_every_fetch() {
        let v = right_answer(&[AnswerRun {
            fetched_twice: vec![4, 9],
            ..answer()
        }]);
        expect(
            &v,
            Outcome::Failed,
            &["position 4 and 9 was fetched more than once"],
        );
        let v = right_answer(&[AnswerRun {
            never_fetched: vec![0],
            ..answer()
        }]);
        expect(&v, Outcome::Failed, &["position 0 was never fetched"]);
        let v = right_answer(&[AnswerRun {
            unknown_fetches: 2,
            ..answer()
        }]);
        expect(&v, Outcome::Failed, &["2 URLs not in the input"]);
    }

    // bounded

    fn peak(limit: usize, n: usize, peak: usize) -> PeakRun {
        PeakRun {
            limit,
            n,
            peak,
            foreign_threads: 0,
        }
    }

    #[test]
    fn bounded_passes_at_exactly_the_limit() {
        let v = bounded(&[peak(1, 1000, 1), peak(7, 1000, 7), peak(1000, 5, 5)]);
        expect(
            &v,
            Outcome::Passed,
            &["7 of limit 7", "5 of limit 1000 (5 URLs)"],
        );
    }

    /// The `unbounded` fixture: everything at once.
    #[test]
    fn bounded_sees_every_url_at_once() {
        let v = bounded(&[peak(1, 1000, 1), peak(2, 1000, 1000)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "up to 1000 fetches",
                "limit of 2",
                "every URL started at once",
            ],
        );
    }

    #[test]
    fn bounded_sees_an_overshoot_on_threads() {
        let v = bounded(&[PeakRun {
            foreign_threads: 3,
            ..peak(2, 1000, 3)
        }]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "up to 3 fetches",
                "at once, on 3 other OS threads, with a limit of 2",
            ],
        );
        assert!(!v.message.contains("every URL"));
    }

    /// The `sequential` fixture.
    #[test]
    fn bounded_sees_one_at_a_time() {
        let v = bounded(&[peak(1, 1000, 1), peak(2, 1000, 1)]);
        expect(
            &v,
            Outcome::Failed,
            &["never more than 1", "one after another"],
        );
    }

    #[test]
    fn bounded_sees_a_limit_never_reached() {
        let v = bounded(&[peak(7, 1000, 6)]);
        expect(
            &v,
            Outcome::Failed,
            &["at most 6", "never reached", "Expected 7"],
        );
        let v = bounded(&[peak(1000, 5, 4)]);
        expect(&v, Outcome::Failed, &["Expected 5"]);
    }

    // slots_kept_busy

    fn sched(limit: usize, took: u64, makespan: u64, peak: usize, usage: Usage) -> ScheduleRun {
        ScheduleRun {
            limit,
            n: 1000,
            spread: "latencies of 10 to 700 ms",
            took: ms(took),
            expected: Schedule {
                makespan: ms(makespan),
                steps: 150,
            },
            sum: ms(150_000),
            peak,
            usage,
            foreign_threads: 0,
            real_elapsed: ms(40),
            timeline: drawing(),
            drawn: ms(1000),
        }
    }

    #[test]
    fn slots_kept_busy_passes_within_a_millisecond_per_step() {
        let v = slots_kept_busy(&[
            sched(7, 21_000, 21_000, 7, Usage::default()),
            sched(7, 21_150, 21_000, 7, Usage::default()),
            sched(7, 20_850, 21_000, 7, Usage::default()),
        ]);
        expect(
            &v,
            Outcome::Passed,
            &["limit 7: 21000 ms (21000 ms expected), limit 7: 21150 ms"],
        );
        assert!(v.timeline.is_none());
    }

    /// The `sequential` fixture.
    #[test]
    fn slots_kept_busy_sees_one_after_another() {
        let v = slots_kept_busy(&[sched(7, 150_000, 21_000, 1, Usage::default())]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "one after another",
                "sum of every latency (150000 ms)",
                "expected 7 slots",
            ],
        );
        assert!(v.timeline.is_some());
    }

    /// The `waves` fixture.
    #[test]
    fn slots_kept_busy_sees_waves() {
        let usage = Usage {
            first_idle: Some(Idle {
                at: ms(12),
                in_flight: 6,
                waiting: 993,
            }),
            idle_total: ms(60_000),
            waves: true,
        };
        let v = slots_kept_busy(&[sched(7, 31_000, 21_000, 7, usage)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "in waves",
                "its slowest fetch",
                "60000 ms of empty slot time",
                "31000 ms instead of 21000 ms",
            ],
        );
    }

    /// The `buffered_in_order` fixture: a finished fetch holds its slot.
    #[test]
    fn slots_kept_busy_sees_slots_left_empty() {
        let usage = Usage {
            first_idle: Some(Idle {
                at: ms(12),
                in_flight: 6,
                waiting: 993,
            }),
            idle_total: ms(9_000),
            waves: false,
        };
        let v = slots_kept_busy(&[sched(7, 25_000, 21_000, 7, usage)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "slots stood empty",
                "at 12 ms only 6 of 7",
                "993 URLs not started",
                "buffered",
            ],
        );
    }

    #[test]
    fn slots_kept_busy_sees_a_wait_after_the_last_fetch() {
        let v = slots_kept_busy(&[sched(7, 25_000, 21_000, 7, Usage::default())]);
        expect(&v, Outcome::Failed, &["after the last fetch"]);
    }

    /// The `unbounded` fixture: faster than the limit allows.
    #[test]
    fn slots_kept_busy_sees_more_than_the_limit() {
        let v = slots_kept_busy(&[sched(7, 700, 21_000, 1000, Usage::default())]);
        expect(
            &v,
            Outcome::Failed,
            &["sooner than 7 slots can", "up to 1000"],
        );
    }

    /// The `thread_per_request` fixture: no simulated time.
    #[test]
    fn slots_kept_busy_sees_waits_on_other_threads() {
        let mut run = sched(7, 0, 21_000, 1000, Usage::default());
        run.foreign_threads = 1000;
        let v = slots_kept_busy(&[run]);
        expect(&v, Outcome::Failed, &["only 0 ms", "1000 other OS threads"]);
    }

    #[test]
    fn slots_kept_busy_sees_short_waits() {
        let v = slots_kept_busy(&[sched(7, 10_000, 21_000, 7, Usage::default())]);
        expect(&v, Outcome::Failed, &["did not wait its full time"]);
    }

    // one_thread

    fn threads(calls: usize, foreign_threads: usize) -> Threads {
        Threads {
            calls,
            foreign_threads,
            real_elapsed: ms(420),
            timeline: drawing(),
        }
    }

    #[test]
    fn one_thread_passes_on_the_runtime_thread() {
        expect(
            &one_thread(&threads(1000, 0)),
            Outcome::Passed,
            &["all 1000 fetches"],
        );
    }

    #[test]
    fn one_thread_needs_fetches() {
        expect(
            &one_thread(&threads(0, 0)),
            Outcome::Failed,
            &["no fetches"],
        );
    }

    /// The `thread_per_request` fixture.
    #[test]
    fn one_thread_counts_other_threads() {
        let v = one_thread(&threads(1000, 1000));
        expect(
            &v,
            Outcome::Failed,
            &["1000 other OS threads", "420 ms of real time"],
        );
        assert!(v.timeline.is_some());
    }

    // unfinished

    fn unfinished_run(foreign_threads: usize) -> Unfinished {
        Unfinished {
            limit: Duration::from_secs(600),
            real_elapsed: ms(9),
            n: 1000,
            started: 7,
            unfinished: 7,
            foreign_threads,
            timeline: drawing(),
        }
    }

    #[test]
    fn unfinished_on_other_threads_says_so() {
        let v = unfinished(&unfinished_run(7));
        expect(
            &v,
            Outcome::Failed,
            &["7 other OS threads", "cannot see", "7 of 1000 fetches"],
        );
        assert!(!v.message.contains("never happens"));
    }

    #[test]
    fn unfinished_on_the_runtime_thread_waits_for_nothing() {
        let v = unfinished(&unfinished_run(0));
        expect(&v, Outcome::Failed, &["never happens", "600.0 s"]);
    }

    // hang

    fn facts(stuck: Stuck, foreign_threads: usize) -> HangFacts {
        HangFacts {
            stuck,
            stuck_for: Duration::from_secs(2),
            started: 7,
            finished: 0,
            foreign_threads,
            timeline: drawing(),
        }
    }

    #[test]
    fn every_kind_of_hang_times_out_saying_what_was_seen() {
        let cases = [
            (
                Stuck::InOnePoll,
                "one poll of fetch_all has not returned for 2.0 s",
            ),
            (Stuck::Spinning { polls: 5000 }, "polled 5000 times"),
            (Stuck::RuntimeHeld, "none of its other tasks"),
            (Stuck::NotFinished, "has not returned after 2.0 s"),
        ];
        for (stuck, phrase) in cases {
            let v = hang(&facts(stuck, 0));
            expect(
                &v,
                Outcome::TimedOut,
                &[phrase, "7 fetches had started, 0 finished"],
            );
            assert!(v.timeline.is_some());
        }
        let v = hang(&facts(Stuck::RuntimeHeld, 2));
        expect(&v, Outcome::TimedOut, &["on 2 other OS threads"]);
    }
}
