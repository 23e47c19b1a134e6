//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence that each
//! wrong model (each mutant fixture in `tests/fixtures/04_first_response_wins/`)
//! produces. Decisions compare numbers and enums, never text: names and
//! timelines are only carried into the messages.

use std::time::Duration;

use grading::observe::Stuck;
use grading::{Verdict, ms};
use protocol::Timeline;

use crate::world::Expected;

/// Tolerance on simulated time: tokio rounds each timer up to a whole ms.
pub const SLACK: Duration = Duration::from_millis(1);

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn near(a: Duration, b: Duration) -> bool {
    a.abs_diff(b) <= SLACK
}

/// One mirror of a race, for the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorFacts {
    /// Its name.
    pub name: String,
    /// When it answers.
    pub latency: Duration,
    /// True when its answer is an error.
    pub fails: bool,
}

/// What `first_response` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got {
    /// A download naming this mirror.
    Download {
        /// The mirror it names.
        mirror: String,
        /// True when the contents are what the mirrors serve.
        intact: bool,
    },
    /// `AllFailed`.
    AllFailed {
        /// Errors in it.
        errors: usize,
        /// Distinct mirrors among them that did fail.
        distinct: usize,
    },
    /// `TimedOut`.
    TimedOut,
}

/// One race of `first_success_wins`, `skips_failures` or
/// `deadline_exact`.
#[derive(Debug, Clone)]
pub struct RaceRun {
    /// The race in words: every mirror with its latency, and the deadline.
    pub scenario: String,
    /// The mirrors, in the order given.
    pub mirrors: Vec<MirrorFacts>,
    /// The deadline.
    pub deadline: Duration,
    /// What a correct solution returns, and when.
    pub expected: Expected,
    /// What came back.
    pub got: Got,
    /// Simulated time until it came back.
    pub took: Duration,
    /// OS threads other than the runtime's that fetched.
    pub foreign_threads: usize,
    /// Real time the run took.
    pub real_elapsed: Duration,
    /// The run.
    pub timeline: Timeline,
}

impl RaceRun {
    fn name(&self, index: usize) -> &str {
        self.mirrors.get(index).map_or("?", |m| m.name.as_str())
    }

    fn latency_of(&self, name: &str) -> Option<Duration> {
        self.mirrors
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.latency)
    }

    fn slowest(&self) -> Duration {
        self.mirrors
            .iter()
            .map(|m| m.latency)
            .max()
            .unwrap_or_default()
    }

    /// What was expected, in words.
    fn expected_words(&self) -> String {
        match self.expected {
            Expected::Win { index, at } => format!(
                "expected {}'s file, the first success, at {}",
                self.name(index),
                ms(at)
            ),
            Expected::AllFailed { at } => format!(
                "expected RaceError::AllFailed with {} errors when the last one arrived, at {}",
                self.mirrors.len(),
                ms(at)
            ),
            Expected::TimedOut { at } => {
                format!(
                    "expected RaceError::TimedOut at exactly the deadline, {}",
                    ms(at)
                )
            }
        }
    }

    /// The first mirror to fail by `by`, if any.
    fn first_failure_by(&self, by: Duration) -> Option<&MirrorFacts> {
        self.mirrors
            .iter()
            .filter(|m| m.fails && m.latency <= by + SLACK)
            .min_by_key(|m| m.latency)
    }

    /// Mirrors that had not answered by `by`.
    fn unanswered_at(&self, by: Duration) -> usize {
        self.mirrors
            .iter()
            .filter(|m| m.latency > by + SLACK)
            .count()
    }
}

/// What is wrong with one race, or `None` when it went as expected.
fn judge(run: &RaceRun) -> Option<String> {
    let took = run.took;
    let right = match (&run.got, run.expected) {
        (Got::Download { mirror, intact }, Expected::Win { index, at }) => {
            *intact && mirror == run.name(index) && near(took, at)
        }
        (Got::AllFailed { errors, distinct }, Expected::AllFailed { at }) => {
            *errors == run.mirrors.len() && *distinct == run.mirrors.len() && near(took, at)
        }
        (Got::TimedOut, Expected::TimedOut { at }) => near(took, at),
        _ => false,
    };
    if right {
        return None;
    }
    let expected = run.expected_words();
    if run.foreign_threads > 0 {
        return Some(format!(
            "the fetches ran on {} besides the runtime's own, where the runtime's paused clock \
             cannot see their waits: first_response came back after {} of simulated time ({} of \
             real time); {expected}. Race the fetches as futures on the thread that calls \
             first_response",
            plural(run.foreign_threads, "other OS thread", "other OS threads"),
            ms(took),
            ms(run.real_elapsed)
        ));
    }
    let deadline = ms(run.deadline);
    let ended_at_error = |what: String| match run.first_failure_by(took) {
        Some(failed) if took + SLACK < run.expected.at() => format!(
            "{what}: the race ended when {} failed, at {}, while {} still fetching. An error \
             from one mirror must not end the race while others may still answer; {expected}",
            failed.name,
            ms(failed.latency),
            plural(run.unanswered_at(took), "mirror was", "mirrors were")
        ),
        _ => format!("{what}; {expected}"),
    };
    let message = match (&run.got, run.expected) {
        (
            Got::Download {
                mirror,
                intact: false,
            },
            _,
        ) => format!(
            "first_response returned a download from {mirror} whose contents differ from the \
             file the mirrors serve; {expected}"
        ),
        (Got::Download { mirror, .. }, Expected::Win { index, at })
            if mirror == run.name(index) =>
        {
            if took > at && took + SLACK >= run.slowest() {
                format!(
                    "first_response returned {mirror}'s file only after {}, when the slowest \
                     mirror had answered too: it waited for every mirror, though {mirror}'s file \
                     arrived at {}; {expected}",
                    ms(took),
                    ms(at)
                )
            } else if took > at {
                format!(
                    "first_response returned {mirror}'s file after {}, {} after it arrived; \
                     {expected}",
                    ms(took),
                    ms(took - at)
                )
            } else {
                format!(
                    "only {} of simulated time passed though {mirror} answers after {}: some \
                     fetch did not wait its full time on the runtime that called \
                     first_response; {expected}",
                    ms(took),
                    ms(at)
                )
            }
        }
        (Got::Download { mirror, .. }, Expected::Win { index, at }) => format!(
            "first_response returned {mirror}'s file{}, though {}'s arrived first, at {}; \
             {expected}",
            run.latency_of(mirror)
                .map(|l| format!(" (it arrived at {})", ms(l)))
                .unwrap_or_default(),
            run.name(index),
            ms(at)
        ),
        (Got::Download { mirror, .. }, Expected::TimedOut { .. }) => format!(
            "first_response returned {mirror}'s file after {}, though the {deadline} deadline \
             had passed before any file arrived: the deadline did not end the race on the \
             runtime's clock; {expected}",
            ms(took)
        ),
        (Got::Download { mirror, .. }, Expected::AllFailed { .. }) => format!(
            "first_response returned a download from {mirror} though every mirror failed; \
             {expected}"
        ),
        (Got::AllFailed { errors, distinct }, Expected::AllFailed { at }) => {
            let n = run.mirrors.len();
            if *errors != n || *distinct != n {
                format!(
                    "RaceError::AllFailed held {} of {} distinct failed mirrors, for {}; \
                     {expected} (one per mirror)",
                    plural(*errors, "error", "errors"),
                    distinct,
                    plural(n, "mirror", "mirrors")
                )
            } else {
                format!(
                    "first_response returned RaceError::AllFailed after {}, though the last \
                     mirror failed at {}; {expected}",
                    ms(took),
                    ms(at)
                )
            }
        }
        (Got::AllFailed { errors, .. }, _) => ended_at_error(format!(
            "first_response returned RaceError::AllFailed with {} after {}",
            plural(*errors, "error", "errors"),
            ms(took)
        )),
        (Got::TimedOut, Expected::TimedOut { at }) if took < at => format!(
            "first_response returned RaceError::TimedOut after {}, before the {deadline} \
             deadline; {expected}",
            ms(took)
        ),
        (Got::TimedOut, Expected::TimedOut { .. }) => format!(
            "first_response returned RaceError::TimedOut after {}, {} after the {deadline} \
             deadline; {expected}",
            ms(took),
            ms(took.saturating_sub(run.deadline))
        ),
        (Got::TimedOut, Expected::Win { index, at }) => format!(
            "first_response returned RaceError::TimedOut after {}, though {}'s file arrived at \
             {}, before the {deadline} deadline; {expected}",
            ms(took),
            run.name(index),
            ms(at)
        ),
        (Got::TimedOut, Expected::AllFailed { at }) => format!(
            "first_response returned RaceError::TimedOut after {}, though every mirror had \
             failed by {}; {expected}",
            ms(took),
            ms(at)
        ),
    };
    Some(message)
}

/// Judges `runs` in order: the first that went wrong decides, with its
/// drawing; otherwise `pass`.
fn races(runs: &[RaceRun], pass: impl FnOnce() -> Verdict) -> Verdict {
    for run in runs {
        if let Some(message) = judge(run) {
            return Verdict::fail(format!("with {}, {message}.", run.scenario))
                .timeline(run.timeline.clone());
        }
    }
    pass()
}

/// `first_success_wins`: with no failures, whichever mirror is fastest,
/// its file comes back at exactly its latency.
pub fn first_success_wins(runs: &[RaceRun]) -> Verdict {
    races(runs, || {
        let each: Vec<String> = runs.iter().map(|r| ms(r.took)).collect();
        Verdict::pass(format!(
            "every race returned the fastest mirror's file the moment it arrived, wherever \
             that mirror stood: {}",
            each.join(", ")
        ))
    })
}

/// `skips_failures`: failed mirrors, fastest first and at every position,
/// do not end the race; the first success wins; if all fail, `AllFailed`
/// comes with the last error.
pub fn skips_failures(runs: &[RaceRun]) -> Verdict {
    races(runs, || {
        Verdict::pass(format!(
            "no error ended a race early: the first success won, and when every mirror \
             failed, AllFailed came with the last error ({})",
            plural(runs.len(), "race", "races")
        ))
    })
}

/// `deadline_exact`: the deadline ends the race exactly, and a file
/// arriving just before it still wins.
pub fn deadline_exact(runs: &[RaceRun]) -> Verdict {
    races(runs, || {
        let each: Vec<String> = runs
            .iter()
            .map(|r| match r.got {
                Got::TimedOut => format!("timed out at {}", ms(r.took)),
                _ => format!("won at {} of a {} deadline", ms(r.took), ms(r.deadline)),
            })
            .collect();
        Verdict::pass(format!("every deadline held exactly: {}", each.join(", ")))
    })
}

/// How a loser's fetch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Dropped (cancelled) at this simulated time.
    Dropped(Duration),
    /// Left to run to its end, at this simulated time.
    Finished(Duration),
    /// Still in flight after `first_response` returned.
    Running,
    /// Never asked.
    NotAsked,
}

/// A mirror that had not answered when the race was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loser {
    /// Its name.
    pub name: String,
    /// How its fetch ended.
    pub fate: Fate,
}

/// One race of `losers_dropped`.
#[derive(Debug, Clone)]
pub struct DropRun {
    /// The race in words.
    pub scenario: String,
    /// When the race was decided: the winner's arrival, or the deadline.
    pub decided_at: Duration,
    /// What decided it: "us-east's file", "the deadline".
    pub decided_by: String,
    /// The mirrors still fetching then.
    pub losers: Vec<Loser>,
    /// Fetches the recorder counted as cancelled.
    pub cancelled: usize,
    /// The run.
    pub timeline: Timeline,
}

/// `losers_dropped`: in every race, each mirror still fetching when the
/// race was decided is dropped at that very instant: none runs on, none is
/// left running after `first_response` returns.
pub fn losers_dropped(runs: &[DropRun]) -> Verdict {
    for run in runs {
        let at = run.decided_at;
        let by = format!("{}, at {},", run.decided_by, ms(at));
        for loser in &run.losers {
            let name = &loser.name;
            let what = match loser.fate {
                Fate::Dropped(t) if t == at => continue,
                Fate::NotAsked => continue,
                Fate::Dropped(t) if t > at => format!(
                    "{name} was still fetching when {by} decided the race, and was dropped only \
                     at {}, {} later",
                    ms(t),
                    ms(t - at)
                ),
                Fate::Dropped(t) => format!(
                    "{name} was dropped at {}, before {by} decided the race",
                    ms(t)
                ),
                Fate::Finished(t) => format!(
                    "{name} was still fetching when {by} decided the race, and ran on to its end \
                     at {}, {} later: its request was never cancelled",
                    ms(t),
                    ms(t.saturating_sub(at))
                ),
                Fate::Running => format!(
                    "{name} was still fetching when {by} decided the race, and was still in \
                     flight after first_response had returned: nothing cancelled it, so it \
                     runs on in the background"
                ),
            };
            return Verdict::fail(format!(
                "with {}, {what}. Expected every fetch still in flight dropped the moment the \
                 race is decided. Dropping a future cancels it; a task you spawned runs on until \
                 it is aborted.",
                run.scenario
            ))
            .timeline(run.timeline.clone());
        }
    }
    let losers: usize = runs.iter().map(|r| r.losers.len()).sum();
    let cancelled: usize = runs.iter().map(|r| r.cancelled).sum();
    Verdict::pass(format!(
        "every fetch still in flight was dropped the instant its race was decided: {} in {}",
        plural(losers, "loser", "losers"),
        plural(runs.len(), "race", "races")
    ))
    .detail(format!(
        "the recorder counted {} cancelled",
        plural(cancelled, "fetch", "fetches")
    ))
}

/// A run whose future had not finished when the simulated time limit ran
/// out.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// The simulated time limit.
    pub limit: Duration,
    /// The race's deadline.
    pub deadline: Duration,
    /// Real time the run took.
    pub real_elapsed: Duration,
    /// OS threads other than the runtime's that fetched.
    pub foreign_threads: usize,
    /// The run.
    pub timeline: Timeline,
}

/// Any check, when `first_response` never returned.
pub fn unfinished(run: &Unfinished) -> Verdict {
    let message = if run.foreign_threads > 0 {
        format!(
            "first_response never returned: its fetches ran on {} besides the runtime's own, \
             whose waits the paused clock cannot see, and it ran out its {} of simulated time \
             within {} of real time. Expected the fetches raced as futures on the thread that \
             calls first_response.",
            plural(run.foreign_threads, "other OS thread", "other OS threads"),
            secs(run.limit),
            ms(run.real_elapsed)
        )
    } else {
        format!(
            "first_response had not returned after {} of simulated time, though its deadline \
             was {}: it waited for something that never happens. Expected it back by the \
             deadline at the latest.",
            secs(run.limit),
            ms(run.deadline)
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
    /// OS threads other than the runtime's that fetched.
    pub foreign_threads: usize,
    /// The run so far, on the real clock.
    pub timeline: Timeline,
}

/// The `timed_out` verdict of a run that stopped making progress.
pub fn hang(h: &HangFacts) -> Verdict {
    let held = secs(h.stuck_for);
    let what = match h.stuck {
        Stuck::InOnePoll => format!(
            "one poll of first_response has not returned for {held} of real time: the runtime's \
             only thread is stuck inside your code (a block_on, a std::thread::sleep, a std \
             Mutex or channel that waits, or an endless loop), so no fetch can finish and the \
             simulated clock cannot move, deadline included"
        ),
        Stuck::Spinning { polls } => format!(
            "first_response was polled {polls} times in {held} of real time without finishing, \
             and the simulated clock could not move: it keeps waking itself (a loop around \
             yield_now) instead of waiting on the fetches or a timer"
        ),
        Stuck::RuntimeHeld => format!(
            "first_response is waiting, yet the runtime's thread has run none of its other \
             tasks for {held} of real time: a spawned task holds the thread, or a \
             spawn_blocking task is still running (a blocking sleep there stops the paused \
             clock)"
        ),
        Stuck::NotFinished => format!(
            "first_response has not returned after {held} of real time, though the runtime \
             kept running; correct code returns within milliseconds"
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
         on tokio's timers instead.",
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

    fn mirror(name: &str, latency: u64, fails: bool) -> MirrorFacts {
        MirrorFacts {
            name: name.into(),
            latency: ms(latency),
            fails,
        }
    }

    /// eu-west 300 ms, us-east 120 ms, ap-south 80 ms (failing if asked).
    fn race(ap_fails: bool, deadline: u64, expected: Expected, got: Got, took: u64) -> RaceRun {
        RaceRun {
            scenario: "3 mirrors".into(),
            mirrors: vec![
                mirror("eu-west", 300, false),
                mirror("us-east", 120, false),
                mirror("ap-south", 80, ap_fails),
            ],
            deadline: ms(deadline),
            expected,
            got,
            took: ms(took),
            foreign_threads: 0,
            real_elapsed: ms(2),
            timeline: drawing(),
        }
    }

    fn download(mirror: &str) -> Got {
        Got::Download {
            mirror: mirror.into(),
            intact: true,
        }
    }

    fn win(index: usize, at: u64) -> Expected {
        Expected::Win { index, at: ms(at) }
    }

    fn timed_out(at: u64) -> Expected {
        Expected::TimedOut { at: ms(at) }
    }

    // first_success_wins, and the judge all three race checks share

    #[test]
    fn the_first_success_on_time_passes() {
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("ap-south"), 80)]);
        expect(&v, Outcome::Passed, &["the moment it arrived", "80 ms"]);
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("ap-south"), 81)]);
        expect(&v, Outcome::Passed, &[]);
    }

    /// The `wait_for_all` fixture.
    #[test]
    fn waiting_for_every_mirror_is_named() {
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("ap-south"), 300)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "only after 300 ms",
                "waited for every mirror",
                "arrived at 80 ms",
            ],
        );
        assert!(v.timeline.is_some());
    }

    #[test]
    fn a_late_winner_is_named() {
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("ap-south"), 120)]);
        expect(
            &v,
            Outcome::Failed,
            &["after 120 ms, 40 ms after it arrived"],
        );
    }

    #[test]
    fn an_early_winner_did_not_wait() {
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("ap-south"), 0)]);
        expect(&v, Outcome::Failed, &["only 0 ms", "did not wait"]);
    }

    #[test]
    fn another_mirrors_file_is_named() {
        let v = first_success_wins(&[race(false, 500, win(2, 80), download("eu-west"), 300)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "eu-west's file (it arrived at 300 ms)",
                "ap-south's arrived first, at 80 ms",
            ],
        );
    }

    #[test]
    fn a_damaged_download_is_named() {
        let got = Got::Download {
            mirror: "ap-south".into(),
            intact: false,
        };
        let v = first_success_wins(&[race(false, 500, win(2, 80), got, 80)]);
        expect(&v, Outcome::Failed, &["contents differ"]);
    }

    #[test]
    fn fetches_on_other_threads_are_named() {
        let mut run = race(false, 500, win(2, 80), Got::TimedOut, 0);
        run.foreign_threads = 3;
        let v = first_success_wins(&[run]);
        expect(&v, Outcome::Failed, &["3 other OS threads", "cannot see"]);
    }

    // skips_failures

    /// The `first_answer_even_if_error` fixture.
    #[test]
    fn an_error_that_ends_the_race_is_named() {
        let got = Got::AllFailed {
            errors: 1,
            distinct: 1,
        };
        let v = skips_failures(&[race(true, 500, win(1, 120), got, 80)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "AllFailed with 1 error after 80 ms",
                "the race ended when ap-south failed, at 80 ms, while 2 mirrors were still fetching",
                "must not end the race",
                "expected us-east's file",
            ],
        );
    }

    #[test]
    fn all_failed_must_come_with_the_last_error_and_every_error() {
        let all = Expected::AllFailed { at: ms(300) };
        let got = |errors, distinct| Got::AllFailed { errors, distinct };
        let v = skips_failures(&[race(true, 500, all, got(3, 3), 300)]);
        expect(&v, Outcome::Passed, &["AllFailed came with the last error"]);
        let v = skips_failures(&[race(true, 500, all, got(3, 3), 500)]);
        expect(
            &v,
            Outcome::Failed,
            &["after 500 ms, though the last mirror failed at 300 ms"],
        );
        let v = skips_failures(&[race(true, 500, all, got(1, 1), 300)]);
        expect(
            &v,
            Outcome::Failed,
            &["held 1 error of 1 distinct", "for 3 mirrors"],
        );
        let v = skips_failures(&[race(true, 500, all, Got::TimedOut, 500)]);
        expect(&v, Outcome::Failed, &["every mirror had failed by 300 ms"]);
        let v = skips_failures(&[race(true, 500, all, download("us-east"), 120)]);
        expect(&v, Outcome::Failed, &["though every mirror failed"]);
    }

    // deadline_exact

    #[test]
    fn the_deadline_on_time_passes() {
        let v = deadline_exact(&[
            race(false, 60, timed_out(60), Got::TimedOut, 60),
            race(false, 500, win(2, 80), download("ap-south"), 80),
        ]);
        expect(
            &v,
            Outcome::Passed,
            &["timed out at 60 ms", "won at 80 ms of a 500 ms deadline"],
        );
    }

    /// The `thread_sleep_timeout` fixture: the file of a mirror slower
    /// than the deadline came back.
    #[test]
    fn a_deadline_that_did_not_fire_is_named() {
        let v = deadline_exact(&[race(false, 60, timed_out(60), download("ap-south"), 80)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "ap-south's file after 80 ms",
                "the 60 ms deadline had passed",
                "exactly the deadline, 60 ms",
            ],
        );
    }

    #[test]
    fn a_timeout_too_early_or_too_late_is_named() {
        let v = deadline_exact(&[race(false, 60, timed_out(60), Got::TimedOut, 0)]);
        expect(
            &v,
            Outcome::Failed,
            &["after 0 ms, before the 60 ms deadline"],
        );
        let v = deadline_exact(&[race(false, 60, timed_out(60), Got::TimedOut, 90)]);
        expect(
            &v,
            Outcome::Failed,
            &["after 90 ms, 30 ms after the 60 ms deadline"],
        );
        let v = deadline_exact(&[race(false, 500, win(2, 80), Got::TimedOut, 500)]);
        expect(
            &v,
            Outcome::Failed,
            &["ap-south's file arrived at 80 ms, before the 500 ms deadline"],
        );
    }

    #[test]
    fn an_error_before_the_deadline_is_not_a_timeout() {
        let got = Got::AllFailed {
            errors: 1,
            distinct: 1,
        };
        let v = deadline_exact(&[race(true, 100, timed_out(100), got, 80)]);
        expect(
            &v,
            Outcome::Failed,
            &["must not end the race", "exactly the deadline, 100 ms"],
        );
    }

    // losers_dropped

    fn drops(fate: Fate) -> DropRun {
        DropRun {
            scenario: "3 mirrors".into(),
            decided_at: ms(80),
            decided_by: "ap-south's file".into(),
            losers: vec![
                Loser {
                    name: "us-east".into(),
                    fate: Fate::Dropped(ms(80)),
                },
                Loser {
                    name: "eu-west".into(),
                    fate,
                },
            ],
            cancelled: 2,
            timeline: drawing(),
        }
    }

    #[test]
    fn losers_dropped_at_once_pass() {
        let v = losers_dropped(&[drops(Fate::Dropped(ms(80))), drops(Fate::NotAsked)]);
        expect(&v, Outcome::Passed, &["4 losers in 2 races"]);
        assert!(v.details[0].contains("counted 4 fetches cancelled"));
    }

    /// The `leaks_the_losers` fixture.
    #[test]
    fn a_loser_left_running_is_named() {
        let v = losers_dropped(&[drops(Fate::Running)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "eu-west was still fetching when ap-south's file, at 80 ms, decided the race",
                "still in flight after first_response had returned",
                "aborted",
            ],
        );
        assert!(v.timeline.is_some());
    }

    #[test]
    fn a_loser_run_to_its_end_is_named() {
        let v = losers_dropped(&[drops(Fate::Finished(ms(300)))]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "ran on to its end at 300 ms, 220 ms later",
                "never cancelled",
            ],
        );
    }

    #[test]
    fn a_loser_dropped_late_or_early_is_named() {
        let v = losers_dropped(&[drops(Fate::Dropped(ms(95)))]);
        expect(&v, Outcome::Failed, &["dropped only at 95 ms, 15 ms later"]);
        let v = losers_dropped(&[drops(Fate::Dropped(ms(10)))]);
        expect(&v, Outcome::Failed, &["dropped at 10 ms, before"]);
    }

    // unfinished and hang

    #[test]
    fn unfinished_says_what_it_saw() {
        let run = |foreign_threads| Unfinished {
            limit: Duration::from_secs(30),
            deadline: ms(400),
            real_elapsed: ms(3),
            foreign_threads,
            timeline: drawing(),
        };
        expect(
            &unfinished(&run(0)),
            Outcome::Failed,
            &["never happens", "400 ms"],
        );
        expect(
            &unfinished(&run(2)),
            Outcome::Failed,
            &["2 other OS threads", "cannot see"],
        );
    }

    #[test]
    fn every_kind_of_hang_times_out_saying_what_was_seen() {
        let cases = [
            (
                Stuck::InOnePoll,
                "one poll of first_response has not returned for 2.0 s",
            ),
            (Stuck::Spinning { polls: 4000 }, "polled 4000 times"),
            (Stuck::RuntimeHeld, "spawn_blocking"),
            (Stuck::NotFinished, "has not returned after 2.0 s"),
        ];
        for (stuck, phrase) in cases {
            let v = hang(&HangFacts {
                stuck,
                stuck_for: Duration::from_secs(2),
                started: 3,
                finished: 1,
                foreign_threads: 1,
                timeline: drawing(),
            });
            expect(
                &v,
                Outcome::TimedOut,
                &[
                    phrase,
                    "3 fetches had started, 1 finished, on 1 other OS thread",
                ],
            );
        }
    }
}
