//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence that each
//! wrong model (each mutant fixture in `tests/fixtures/02_three_fetches/`)
//! produces. Decisions compare numbers and enums, never text: labels and
//! timelines in the evidence are only carried into the messages.

use std::time::Duration;

use grading::observe::Stuck;
use grading::{Verdict, ms};
use lab::profile::{Endpoint, FetchError};
use protocol::Timeline;

use crate::world::Position;

/// Tolerance on simulated time: tokio rounds each sleep up to a whole ms.
pub const SLACK: Duration = Duration::from_millis(2);
/// The longest the runtime's thread may be held at a stretch. Correct code
/// holds it for microseconds, and under 5 ms on a busy machine; the wrong
/// models this catches hold it for tens or hundreds of milliseconds.
pub const STALL_LIMIT: Duration = Duration::from_millis(50);
/// The most the runtime's thread may be held in all, over one run. Correct
/// code stays under 5 ms here too; blocking 30 ms at a time three times is
/// 90 ms.
pub const BLOCKED_LIMIT: Duration = Duration::from_millis(50);

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A field of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `user`
    User,
    /// `posts`
    Posts,
    /// `friends`
    Friends,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::User => "user",
            Field::Posts => "posts",
            Field::Friends => "friends",
        }
    }
}

/// What `load_profile` returned, compared with what the API served.
#[derive(Debug, Clone, PartialEq)]
pub enum Returned {
    /// Exactly the served profile.
    Matches,
    /// A profile that differs in these fields.
    Differs(Vec<Field>),
    /// An error, although every fetch succeeded.
    Error(FetchError),
}

/// One run of `right_answer`.
#[derive(Debug, Clone)]
pub struct AnswerRun {
    /// The input's shape, for the message: "a generated profile".
    pub shape: &'static str,
    /// What came back.
    pub returned: Returned,
}

/// `right_answer`: every run returned exactly the served profile.
pub fn right_answer(runs: &[AnswerRun]) -> Verdict {
    for run in runs {
        match &run.returned {
            Returned::Matches => {}
            Returned::Differs(fields) => {
                let fields: Vec<&str> = fields.iter().map(|f| f.name()).collect();
                return Verdict::fail(format!(
                    "for {}, the returned profile differs from what the API served in: {}. \
                     Expected each field to hold the matching fetch's answer.",
                    run.shape,
                    fields.join(", ")
                ));
            }
            Returned::Error(err) => {
                return Verdict::fail(format!(
                    "for {}, load_profile returned an error ({err}) although every fetch \
                     succeeded. Expected Ok with the profile.",
                    run.shape
                ));
            }
        }
    }
    let shapes: Vec<&str> = runs.iter().map(|r| r.shape).collect();
    Verdict::pass(format!(
        "the profile matches what the API served, for {}",
        shapes.join(" and for ")
    ))
}

/// A run whose future had not finished when the simulated time limit ran
/// out.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// The simulated time limit.
    pub limit: Duration,
    /// Real time the run took until the limit ran out.
    pub real_elapsed: Duration,
    /// Fetches started.
    pub started: usize,
    /// Of those, fetches that had not finished.
    pub unfinished: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// The run (on the real clock when fetches ran on other threads).
    pub timeline: Timeline,
}

/// Any check, when `load_profile` never returned: the most specific thing
/// observed. Fetches on other threads explain it (the paused clock cannot
/// see their waits); otherwise it waited on nothing that could happen.
pub fn unfinished(run: &Unfinished) -> Verdict {
    let message = if run.foreign_threads > 0 {
        let fetches = if run.unfinished > 0 {
            format!(
                "while {} still waiting there",
                plural(run.unfinished, "fetch was", "fetches were")
            )
        } else {
            "though the fetches there had finished: their results never reached it".to_string()
        };
        format!(
            "load_profile never returned: its fetches ran on {} besides the runtime's own, and \
             the runtime's paused clock cannot see waits on other threads. With nothing of its \
             own to wait for, the runtime ran out its {} of simulated time within {} of real \
             time, {fetches} (drawn on the real clock). Expected the three fetches as futures \
             awaited on the thread that runs load_profile.",
            plural(run.foreign_threads, "other OS thread", "other OS threads"),
            secs(run.limit),
            ms(run.real_elapsed),
        )
    } else {
        format!(
            "load_profile had not returned after {} of simulated time; it was waiting for \
             something that never happens ({} of 3 started, {} of them unfinished). Expected it \
             back after the slowest fetch.",
            secs(run.limit),
            plural(run.started, "fetch", "fetches"),
            run.unfinished
        )
    };
    Verdict::fail(message).timeline(run.timeline.clone())
}

/// One run of `overlapping_waits`.
#[derive(Debug, Clone)]
pub struct OverlapRun {
    /// Each endpoint's latency.
    pub latency: [(Endpoint, Duration); 3],
    /// Simulated time the run took.
    pub took: Duration,
    /// Real time it took.
    pub real_elapsed: Duration,
    /// The most fetches in flight at once.
    pub peak: usize,
    /// Fetches made.
    pub calls: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// The run (on the real clock when fetches ran on other threads).
    pub timeline: Timeline,
}

impl OverlapRun {
    fn slowest(&self) -> Duration {
        self.latency
            .iter()
            .map(|(_, l)| *l)
            .max()
            .unwrap_or_default()
    }

    fn total(&self) -> Duration {
        self.latency.iter().map(|(_, l)| *l).sum()
    }

    fn expected(&self) -> String {
        let each: Vec<String> = self
            .latency
            .iter()
            .map(|(e, l)| format!("{} {}", e.name(), ms(*l)))
            .collect();
        format!(
            "expected them to overlap: {}, 3 in flight ({})",
            ms(self.slowest()),
            each.join(", ")
        )
    }
}

/// `overlapping_waits`: in every run (each endpoint the slowest once),
/// simulated time is the slowest fetch's, with three in flight. The first
/// run that shows otherwise decides, with its own drawing.
pub fn overlapping_waits(runs: &[OverlapRun]) -> Verdict {
    for run in runs {
        let (took, peak) = (run.took, run.peak);
        let verdict = if run.calls != 3 {
            Verdict::fail(format!(
                "load_profile made {} fetches; expected exactly one each of user, posts and \
                 friends",
                run.calls
            ))
        } else if took + SLACK >= run.total() && peak == 1 {
            Verdict::fail(format!(
                "the three fetches ran one after another: {} of simulated waiting, at most 1 in \
                 flight; {}",
                ms(took),
                run.expected()
            ))
        } else if took + SLACK < run.slowest() && run.foreign_threads > 0 {
            Verdict::fail(format!(
                "only {} of simulated time passed though the slowest fetch waits {}: the \
                 fetches ran on {} and waited there, on the real clock ({} in all, drawn \
                 below), where the runtime that called load_profile cannot see them; {}",
                ms(took),
                ms(run.slowest()),
                plural(run.foreign_threads, "other OS thread", "other OS threads"),
                ms(run.real_elapsed),
                run.expected()
            ))
        } else if took + SLACK < run.slowest() {
            Verdict::fail(format!(
                "only {} of simulated time passed though the slowest fetch waits {}: some \
                 fetch did not wait its full time on the runtime that called load_profile; {}",
                ms(took),
                ms(run.slowest()),
                run.expected()
            ))
        } else if took <= run.slowest() + SLACK && peak == 3 {
            continue;
        } else {
            Verdict::fail(format!(
                "the fetches took {} of simulated time with at most {peak} in flight; {}",
                ms(took),
                run.expected()
            ))
        };
        return verdict.timeline(run.timeline.clone());
    }
    let slowest: Vec<String> = runs.iter().map(|r| ms(r.took)).collect();
    Verdict::pass(format!(
        "the three fetches overlapped: each run took its slowest fetch's time ({}), 3 in flight",
        slowest.join(", ")
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
        _ if run.calls == 0 => Verdict::fail("load_profile made no fetches at all; expected three"),
        0 => Verdict::pass("every fetch ran on the runtime's own thread"),
        n => Verdict::fail(format!(
            "the fetches ran on {} besides the runtime's own ({} of real time passed, drawn on \
             the real clock): that is a thread per fetch, each one blocked while it waits. \
             Expected all three as async work on the one thread that runs load_profile: join \
             the futures instead of spawning threads or runtimes.",
            plural(n, "other OS thread", "other OS threads"),
            ms(run.real_elapsed)
        ))
        .timeline(run.timeline.clone()),
    }
}

/// One run of `never_blocks`, as the poll timer and the heartbeat saw it.
#[derive(Debug, Clone)]
pub struct StallRun {
    /// The longest hold of the runtime's thread (poll or heartbeat).
    pub longest: Duration,
    /// The longest poll of `load_profile`.
    pub longest_poll: Duration,
    /// The heartbeat's worst lateness.
    pub heartbeat_worst: Duration,
    /// Every hold added up.
    pub total: Duration,
    /// How many separate holds.
    pub stretches: usize,
    /// Real time the run took.
    pub real_elapsed: Duration,
    /// Simulated time it took.
    pub virtual_elapsed: Duration,
    /// The run on the real clock, with a lane for the holds.
    pub timeline: Timeline,
}

/// True when a run shows no blocking: no long hold and no large total. A
/// busy machine pausing the process cannot make a correct run look blocked
/// in every one of a few runs, so the check stops at the first quiet one.
pub fn is_quiet(run: &StallRun) -> bool {
    run.longest < STALL_LIMIT && run.total < BLOCKED_LIMIT
}

/// `never_blocks`: passes if any run was quiet. A blocking call holds the
/// thread in every run; so only when all runs show it, the least blocked
/// run decides: one long hold, or short holds that add up.
pub fn never_blocks(runs: &[StallRun]) -> Verdict {
    // Every figure measured on the real clock says so ("of real time"):
    // they change from run to run, and reports that are compared over time
    // (snapshots, CI logs) can tell them from the exact simulated ones.
    let evidence = |run: &StallRun| {
        format!(
            "longest poll {}, heartbeat at worst {} late, blocked {} of real time in all, over \
             {} of real time for {} of simulated time",
            ms(run.longest_poll),
            ms(run.heartbeat_worst),
            ms(run.total),
            ms(run.real_elapsed),
            ms(run.virtual_elapsed)
        )
    };
    if let Some(quiet) = runs.iter().find(|r| is_quiet(r)) {
        return Verdict::pass("the runtime's thread was never blocked").detail(evidence(quiet));
    }
    let Some(least) = runs.iter().min_by_key(|r| r.total) else {
        return Verdict::inconclusive("no run of load_profile was measured");
    };
    let shortest_peak = runs.iter().map(|r| r.longest).min().unwrap_or_default();
    let what = if shortest_peak >= STALL_LIMIT {
        format!(
            "the runtime's thread was blocked for {} at a stretch",
            ms(least.longest)
        )
    } else {
        format!(
            "the runtime's thread was blocked {} for {} in all (the longest {}): short \
             blocks add up",
            plural(least.stretches, "time", "times"),
            ms(least.total),
            ms(least.longest)
        )
    };
    Verdict::fail(format!(
        "{what}, in each of {} (the least blocked drawn on the real clock: {} of real time for \
         {} of simulated time). Something held it (a std::thread::sleep, a blocking call, CPU \
         work, a join on threads) instead of awaiting, and while it is held no other task can \
         move. Expected no hold of {} or more, and under {} in all.",
        plural(runs.len(), "run", "runs"),
        ms(least.real_elapsed),
        ms(least.virtual_elapsed),
        ms(STALL_LIMIT),
        ms(BLOCKED_LIMIT)
    ))
    .detail(evidence(least))
    .timeline(least.timeline.clone())
}

/// What a `fails_fast` run returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Got {
    /// A profile.
    Ok,
    /// An error from this endpoint.
    Err(Endpoint),
}

/// One run of `fails_fast`.
#[derive(Debug, Clone)]
pub struct FailRun {
    /// The endpoint that failed.
    pub failing: Endpoint,
    /// Where its answer came among the three.
    pub position: Position,
    /// When it failed (its latency).
    pub fail_after: Duration,
    /// What `load_profile` returned.
    pub got: Got,
    /// Simulated time until it returned.
    pub took: Duration,
    /// Fetches that finished after the failure, before `load_profile`
    /// returned: what it waited for. Only for the message.
    pub waited_for: Vec<String>,
    /// Fetches still in flight that were cancelled.
    pub cancelled: usize,
    /// The run.
    pub timeline: Timeline,
}

impl Position {
    fn words(self) -> &'static str {
        match self {
            Position::First => "the first of the three to answer",
            Position::Middle => "the second of the three to answer",
        }
    }
}

/// `fails_fast`: in every run (each endpoint failing once, first or in
/// the middle), that endpoint's error came back at its failure time.
pub fn fails_fast(runs: &[FailRun]) -> Verdict {
    for run in runs {
        let name = run.failing.name();
        let (took, at) = (run.took, run.fail_after);
        let verdict = match run.got {
            Got::Err(endpoint) if endpoint == run.failing && took + SLACK < at => {
                Verdict::fail(format!(
                    "{name} fails after {} of waiting, yet only {} of simulated time passed: the \
                     fetches waited somewhere else (on other threads or another runtime), not \
                     as tasks of the runtime that called load_profile",
                    ms(at),
                    ms(took)
                ))
            }
            Got::Err(endpoint) if endpoint == run.failing && took <= at + SLACK => continue,
            Got::Err(endpoint) if endpoint == run.failing => {
                let waited = if run.waited_for.is_empty() {
                    String::new()
                } else {
                    format!(": it waited for {} first", and_list(&run.waited_for))
                };
                Verdict::fail(format!(
                    "{name} failed after {} ({}) but load_profile returned its error only after \
                     {}, {} late{waited}. Expected every error back the moment it arrives, \
                     whichever fetch fails and whenever it answers.",
                    ms(at),
                    run.position.words(),
                    ms(took),
                    ms(took.saturating_sub(at))
                ))
            }
            Got::Err(endpoint) => Verdict::fail(format!(
                "only {name} failed, but load_profile returned an error of {}; expected the \
                 {name} error",
                endpoint.name()
            )),
            Got::Ok => Verdict::fail(format!(
                "{name} failed but load_profile returned Ok; expected the {name} error"
            )),
        };
        return verdict.timeline(run.timeline.clone());
    }
    let each: Vec<String> = runs
        .iter()
        .map(|r| format!("{} after {}", r.failing.name(), ms(r.took)))
        .collect();
    let cancelled: usize = runs.iter().map(|r| r.cancelled).sum();
    Verdict::pass(format!(
        "each error came back as soon as it arrived: {}",
        each.join(", ")
    ))
    .detail(format!(
        "{} still in flight were cancelled",
        plural(cancelled, "fetch", "fetches")
    ))
}

/// What the watchdog saw, with the run so far.
#[derive(Debug, Clone)]
pub struct HangFacts {
    /// What it saw.
    pub stuck: Stuck,
    /// For how long, in real time.
    pub stuck_for: Duration,
    /// Labels of the fetches started, in order (only for the message).
    pub started: Vec<String>,
    /// How many of them had finished.
    pub finished: usize,
    /// OS threads other than the runtime's that made fetches.
    pub foreign_threads: usize,
    /// The run so far, on the real clock.
    pub timeline: Timeline,
}

/// The `timed_out` verdict of a run that stopped making progress: what
/// held it, in the most specific words the evidence allows.
pub fn hang(h: &HangFacts) -> Verdict {
    let held = secs(h.stuck_for);
    let what = match h.stuck {
        Stuck::InOnePoll => format!(
            "one poll of load_profile has not returned for {held} of real time: the runtime's \
             only thread is stuck inside your code (a futures::executor::block_on, a std Mutex \
             or channel that waits, a thread::sleep or join that does not end, or an endless \
             loop), so no fetch can finish and the simulated clock cannot move"
        ),
        Stuck::Spinning { polls } => format!(
            "load_profile was polled {polls} times in {held} of real time without finishing, and \
             the simulated clock could not move: it keeps waking itself (a loop around \
             yield_now, or a future that wakes itself) instead of waiting on a fetch"
        ),
        Stuck::RuntimeHeld => format!(
            "load_profile is waiting, yet the runtime's thread has run none of its other tasks \
             for {held} of real time: a task you spawned holds the thread (a blocking call or an \
             endless loop inside tokio::spawn), or a spawn_blocking task is still running, which \
             stops the paused clock"
        ),
        Stuck::NotFinished => format!(
            "load_profile has not returned after {held} of real time, though the runtime kept \
             running; correct code returns within milliseconds"
        ),
    };
    let started = if h.started.is_empty() {
        "no fetch had started".to_string()
    } else {
        format!(
            "{} of 3 fetches had started ({}), {} finished",
            h.started.len(),
            h.started.join(", "),
            h.finished
        )
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
        "{what}. By then {started}{threads}. Stopped early; wait with .await instead."
    ))
    .timeline(h.timeline.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::Outcome;
    use protocol::timeline::{Clock, Timeline};

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

    // right_answer

    fn answer(returned: Returned) -> AnswerRun {
        AnswerRun {
            shape: "a generated profile",
            returned,
        }
    }

    #[test]
    fn lists_read_as_sentences() {
        let l = |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["user"]), "user");
        assert_eq!(l(&["user", "posts", "friends"]), "user, posts and friends");
    }

    #[test]
    fn right_answer_passes_when_every_run_matches() {
        let v = right_answer(&[answer(Returned::Matches), answer(Returned::Matches)]);
        expect(&v, Outcome::Passed, &["matches"]);
    }

    /// The `forgets_friends` fixture.
    #[test]
    fn right_answer_names_the_fields_that_differ() {
        let v = right_answer(&[
            answer(Returned::Matches),
            answer(Returned::Differs(vec![Field::Friends])),
        ]);
        expect(&v, Outcome::Failed, &["differs", "friends"]);
    }

    #[test]
    fn right_answer_rejects_an_error_when_all_succeeded() {
        let err = FetchError {
            endpoint: Endpoint::Posts,
            message: "x".into(),
        };
        let v = right_answer(&[answer(Returned::Error(err))]);
        expect(&v, Outcome::Failed, &["returned an error", "posts failed"]);
    }

    // unfinished

    fn unfinished_run(foreign_threads: usize, unfinished_calls: usize) -> Unfinished {
        Unfinished {
            limit: Duration::from_secs(10),
            real_elapsed: ms(4),
            started: 3,
            unfinished: unfinished_calls,
            foreign_threads,
            timeline: drawing(),
        }
    }

    /// The `threads_and_channel` fixture: fetches on other threads, whose
    /// waits the paused clock cannot see.
    #[test]
    fn unfinished_with_fetches_on_other_threads_says_so() {
        let v = unfinished(&unfinished_run(3, 3));
        expect(
            &v,
            Outcome::Failed,
            &[
                "3 other OS threads",
                "cannot see",
                "3 fetches were still waiting",
                "4 ms",
            ],
        );
        assert!(!v.message.contains("never happens"));
        assert!(v.timeline.is_some());
    }

    #[test]
    fn unfinished_after_foreign_fetches_finished_says_results_were_lost() {
        let v = unfinished(&unfinished_run(1, 0));
        expect(
            &v,
            Outcome::Failed,
            &["1 other OS thread", "never reached it"],
        );
    }

    #[test]
    fn unfinished_on_the_runtime_thread_waits_for_nothing() {
        let v = unfinished(&unfinished_run(0, 0));
        expect(&v, Outcome::Failed, &["never happens", "10.0 s"]);
    }

    // overlapping_waits

    fn overlap(took: u64, peak: usize, calls: usize, foreign_threads: usize) -> OverlapRun {
        OverlapRun {
            latency: [
                (Endpoint::User, ms(100)),
                (Endpoint::Posts, ms(300)),
                (Endpoint::Friends, ms(200)),
            ],
            took: ms(took),
            real_elapsed: ms(306),
            peak,
            calls,
            foreign_threads,
            timeline: drawing(),
        }
    }

    #[test]
    fn overlapping_waits_passes_when_every_run_takes_the_slowest() {
        let v = overlapping_waits(&[overlap(300, 3, 3, 0), overlap(301, 3, 3, 0)]);
        expect(&v, Outcome::Passed, &["overlapped", "300 ms, 301 ms"]);
        assert!(v.timeline.is_none());
    }

    #[test]
    fn overlapping_waits_counts_the_fetches() {
        let v = overlapping_waits(&[overlap(300, 2, 2, 0)]);
        expect(&v, Outcome::Failed, &["made 2 fetches"]);
    }

    /// The `sequential` fixture.
    #[test]
    fn overlapping_waits_sees_fetches_in_a_row() {
        let v = overlapping_waits(&[overlap(600, 1, 3, 0)]);
        expect(
            &v,
            Outcome::Failed,
            &["one after another", "at most 1 in flight"],
        );
        assert!(v.timeline.is_some());
    }

    /// The `thread_per_fetch` fixture: 0 ms simulated, real time drawn.
    #[test]
    fn overlapping_waits_sees_waits_on_other_threads() {
        let v = overlapping_waits(&[overlap(0, 3, 3, 3)]);
        expect(
            &v,
            Outcome::Failed,
            &["only 0 ms", "3 other OS threads", "306 ms in all"],
        );
    }

    #[test]
    fn overlapping_waits_sees_short_waits_on_its_own_thread() {
        let v = overlapping_waits(&[overlap(100, 3, 3, 0)]);
        expect(
            &v,
            Outcome::Failed,
            &["only 100 ms", "did not wait its full time"],
        );
    }

    /// Two joined, one after: a later run decides when the first passes.
    #[test]
    fn overlapping_waits_sees_partial_overlap_in_any_run() {
        let v = overlapping_waits(&[overlap(300, 3, 3, 0), overlap(400, 2, 3, 0)]);
        expect(&v, Outcome::Failed, &["400 ms", "at most 2 in flight"]);
    }

    // one_thread

    fn threads(calls: usize, foreign_threads: usize) -> Threads {
        Threads {
            calls,
            foreign_threads,
            real_elapsed: ms(306),
            timeline: drawing(),
        }
    }

    #[test]
    fn one_thread_passes_on_the_runtime_thread() {
        expect(
            &one_thread(&threads(3, 0)),
            Outcome::Passed,
            &["own thread"],
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

    /// The `thread_per_fetch` fixture.
    #[test]
    fn one_thread_counts_other_threads() {
        let v = one_thread(&threads(3, 3));
        expect(
            &v,
            Outcome::Failed,
            &["3 other OS threads", "306 ms of real time"],
        );
        let v = one_thread(&threads(3, 1));
        expect(&v, Outcome::Failed, &["1 other OS thread besides"]);
    }

    // never_blocks

    fn stall(longest: u64, total: u64, stretches: usize) -> StallRun {
        StallRun {
            longest: ms(longest),
            longest_poll: ms(longest),
            heartbeat_worst: ms(longest.saturating_sub(5)),
            total: ms(total),
            stretches,
            real_elapsed: ms(total + 3),
            virtual_elapsed: ms(300),
            timeline: drawing(),
        }
    }

    #[test]
    fn never_blocks_passes_a_quiet_run() {
        let v = never_blocks(&[stall(0, 0, 0)]);
        expect(&v, Outcome::Passed, &["never blocked"]);
    }

    /// A busy machine paused one run; the next was quiet.
    #[test]
    fn never_blocks_passes_if_any_run_is_quiet() {
        let v = never_blocks(&[stall(80, 80, 1), stall(3, 3, 1)]);
        expect(&v, Outcome::Passed, &[]);
        assert!(v.details[0].contains("longest poll 3 ms"));
    }

    #[test]
    fn just_under_both_limits_is_quiet() {
        assert!(is_quiet(&stall(49, 49, 2)));
        assert!(!is_quiet(&stall(50, 50, 1)));
        assert!(!is_quiet(&stall(30, 50, 2)));
    }

    /// The `blocking_sleep` fixture: one long hold in every run.
    #[test]
    fn never_blocks_fails_one_long_hold_in_every_run() {
        let v = never_blocks(&[stall(400, 400, 1), stall(401, 401, 1), stall(402, 402, 1)]);
        expect(
            &v,
            Outcome::Failed,
            &["blocked for 400 ms at a stretch", "each of 3 runs"],
        );
        assert!(v.timeline.is_some());
    }

    /// The `blocks_in_short_bursts` fixture: each hold under the limit on
    /// the longest, the total far over the limit on the sum.
    #[test]
    fn never_blocks_fails_short_holds_that_add_up() {
        let v = never_blocks(&[stall(35, 105, 3), stall(36, 107, 3), stall(35, 104, 3)]);
        expect(
            &v,
            Outcome::Failed,
            &["blocked 3 times for 104 ms in all", "short blocks add up"],
        );
    }

    #[test]
    fn never_blocks_without_runs_is_inconclusive() {
        expect(&never_blocks(&[]), Outcome::Inconclusive, &[]);
    }

    // fails_fast

    fn fail_run(failing: Endpoint, position: Position, got: Got, took: u64) -> FailRun {
        FailRun {
            failing,
            position,
            fail_after: ms(160),
            got,
            took: ms(took),
            waited_for: vec!["user".into(), "friends".into()],
            cancelled: 1,
            timeline: drawing(),
        }
    }

    #[test]
    fn fails_fast_passes_when_every_error_comes_at_once() {
        let v = fails_fast(&[
            fail_run(
                Endpoint::User,
                Position::First,
                Got::Err(Endpoint::User),
                160,
            ),
            fail_run(
                Endpoint::Posts,
                Position::Middle,
                Got::Err(Endpoint::Posts),
                161,
            ),
        ]);
        expect(
            &v,
            Outcome::Passed,
            &["user after 160 ms", "posts after 161 ms"],
        );
        assert!(v.details[0].contains("2 fetches"));
    }

    /// The `fails_fast_only_when_first`, `early_return_only_for_friends` and
    /// `join_then_check` fixtures: a later run's error comes back late.
    #[test]
    fn fails_fast_names_the_late_endpoint_and_by_how_much() {
        let v = fails_fast(&[
            fail_run(
                Endpoint::User,
                Position::First,
                Got::Err(Endpoint::User),
                160,
            ),
            fail_run(
                Endpoint::Posts,
                Position::Middle,
                Got::Err(Endpoint::Posts),
                330,
            ),
        ]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "posts failed after 160 ms",
                "second of the three",
                "after 330 ms, 170 ms late",
                "waited for user and friends first",
            ],
        );
        assert!(v.timeline.is_some());
    }

    #[test]
    fn fails_fast_sees_errors_earlier_than_possible() {
        let v = fails_fast(&[fail_run(
            Endpoint::User,
            Position::First,
            Got::Err(Endpoint::User),
            0,
        )]);
        expect(&v, Outcome::Failed, &["only 0 ms", "somewhere else"]);
    }

    #[test]
    fn fails_fast_wants_the_failing_endpoints_error() {
        let v = fails_fast(&[fail_run(
            Endpoint::User,
            Position::First,
            Got::Err(Endpoint::Posts),
            160,
        )]);
        expect(&v, Outcome::Failed, &["an error of posts"]);
    }

    #[test]
    fn fails_fast_rejects_ok() {
        let v = fails_fast(&[fail_run(Endpoint::Friends, Position::Middle, Got::Ok, 300)]);
        expect(
            &v,
            Outcome::Failed,
            &["friends failed but load_profile returned Ok"],
        );
    }

    // hang

    fn hang_facts(stuck: Stuck, foreign_threads: usize) -> HangFacts {
        HangFacts {
            stuck,
            stuck_for: Duration::from_secs(2),
            started: vec!["user".into()],
            finished: 0,
            foreign_threads,
            timeline: drawing(),
        }
    }

    /// The `deadlock`, `block_on_inside_async` and `endless_loop` fixtures.
    #[test]
    fn a_poll_that_never_returns_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::InOnePoll, 0));
        expect(
            &v,
            Outcome::TimedOut,
            &[
                "one poll of load_profile has not returned for 2.0 s",
                "1 of 3 fetches had started (user), 0 finished",
            ],
        );
        assert!(v.timeline.is_some());
    }

    #[test]
    fn a_self_waking_loop_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::Spinning { polls: 5000 }, 0));
        expect(&v, Outcome::TimedOut, &["polled 5000 times", "yield_now"]);
    }

    #[test]
    fn a_held_runtime_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::RuntimeHeld, 2));
        expect(
            &v,
            Outcome::TimedOut,
            &["none of its other tasks", "on 2 other OS threads"],
        );
    }

    #[test]
    fn a_run_that_never_ends_times_out_saying_so() {
        let mut facts = hang_facts(Stuck::NotFinished, 0);
        facts.started.clear();
        let v = hang(&facts);
        expect(
            &v,
            Outcome::TimedOut,
            &["has not returned after 2.0 s", "no fetch had started"],
        );
    }
}
