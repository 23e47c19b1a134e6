//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence that each
//! wrong model (each mutant fixture in
//! `tests/fixtures/05_dont_block_the_juggler/`) produces. Decisions compare
//! numbers and enums, never text: labels and timelines in the evidence are
//! only carried into the messages.

use std::time::Duration;

use grading::{Verdict, ms};
use lab::password::Reply;
use protocol::Timeline;

use crate::serve::Stuck;

/// The longest the runtime's thread may be held at a stretch. Correct code
/// holds it for microseconds, and the heartbeat stays within a few ms even
/// on a busy machine; a blocking sleep holds it for a whole delay (100 ms or
/// more), an inline hash for its whole CPU time (about 25 ms, each).
pub const STALL_LIMIT: Duration = Duration::from_millis(50);
/// The most the runtime's worker may be busy in all, over one batch.
/// Correct code keeps it busy 1 to 3 ms, and up to 50 ms was measured with
/// two busy processes and a load average of 8 on two cores (the thread
/// preempted while it ran a task); five hashes on it are over 120 ms, five
/// delays slept there over 600 ms.
pub const BLOCKED_LIMIT: Duration = Duration::from_millis(80);
/// The share of the hash rounds that may run on the runtime's thread: none,
/// in practice (a zero-round call costs nothing and is let through).
pub const ROUNDS_ON_RUNTIME_PERCENT: u64 = 1;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A reply's name in messages.
fn reply(r: &Reply) -> String {
    match r {
        Reply::Welcome(user) => format!("Welcome({user:?})"),
        Reply::Denied => "Denied".to_string(),
    }
}

/// One request of a `right_answer` run.
#[derive(Debug, Clone)]
pub struct RequestFacts {
    /// The right reply.
    pub expected: Reply,
    /// The reply `login` gave.
    pub got: Reply,
    /// The request's delay.
    pub delay: Duration,
    /// Real time from the call of `login` to its reply.
    pub took: Duration,
    /// The account's rounds: what one hash of the password costs.
    pub rounds: u32,
    /// Rounds lab's hash did with this request's salt.
    pub hashed: u64,
}

/// One batch of `right_answer`.
#[derive(Debug, Clone)]
pub struct AnswerRun {
    /// The batch's shape, for the message.
    pub shape: &'static str,
    /// Its requests, in order of arrival.
    pub requests: Vec<RequestFacts>,
}

/// `right_answer`: every reply is the right one, none comes before its
/// delay, and each password was hashed by lab exactly once (its account's
/// rounds, no more, no fewer).
pub fn right_answer(runs: &[AnswerRun]) -> Verdict {
    for run in runs {
        for (i, r) in run.requests.iter().enumerate() {
            let which = format!("request {} of {}", i + 1, run.shape);
            let rounds = u64::from(r.rounds);
            let problem = if r.got != r.expected {
                let what = match (&r.expected, &r.got) {
                    (Reply::Denied, Reply::Welcome(_)) => "let a wrong password in",
                    (Reply::Welcome(_), Reply::Denied) => "turned the right password away",
                    _ => "welcomed the wrong user",
                };
                format!(
                    "{which}: login {what}, answering {} where {} was right. Expected \
                     request.account.check(&request.password) (or lab::password::hash) to decide.",
                    reply(&r.got),
                    reply(&r.expected)
                )
            } else if r.hashed == 0 {
                format!(
                    "{which}: the reply was right, but lab's hash never ran on its password. \
                     Expected the password hashed with lab::password (Account::check or hash): \
                     the checker counts its rounds, and a digest computed any other way is not \
                     seen."
                )
            } else if r.hashed != rounds {
                let times = if r.hashed % rounds == 0 {
                    format!(" ({} times over)", r.hashed / rounds)
                } else {
                    String::new()
                };
                format!(
                    "{which}: lab's hash did {} rounds on its password{times}, and one hash of it \
                     is {} rounds. Expected each password hashed exactly once, with its \
                     account's salt and rounds.",
                    r.hashed, rounds
                )
            } else if r.took < r.delay {
                format!(
                    "{which}: the reply came {} after the request, before its delay of {} was \
                     up. Expected every reply to wait out its delay first (an async sleep of \
                     request.delay).",
                    ms(r.took),
                    ms(r.delay)
                )
            } else {
                continue;
            };
            return Verdict::fail(problem);
        }
    }
    let shapes: Vec<&str> = runs.iter().map(|r| r.shape).collect();
    Verdict::pass(format!(
        "every reply was right and waited out its delay, and each password was hashed once, by \
         lab, for {}",
        shapes.join(" and for ")
    ))
}

/// One batch of `never_blocks`, as the poll timer and the heartbeat saw it.
#[derive(Debug, Clone)]
pub struct StallRun {
    /// The longest hold of the runtime's thread: its longest poll of the
    /// batch, or the most its worker was busy between heartbeat ticks.
    pub longest: Duration,
    /// The longest poll of the batch.
    pub longest_poll: Duration,
    /// The heartbeat's worst lateness, on the real clock: a busy machine
    /// counts here too, so it is shown, and decides nothing.
    pub heartbeat_worst: Duration,
    /// The most the worker was busy between two heartbeat ticks.
    pub busiest_gap: Duration,
    /// How long the worker was busy running tasks in all.
    pub total: Duration,
    /// How many separate holds were seen.
    pub stretches: usize,
    /// Real time the batch took.
    pub real_elapsed: Duration,
    /// The run on the real clock, with a lane for the holds.
    pub timeline: Timeline,
}

/// True when a run shows no blocking: no long hold and no large total. A
/// busy machine that pauses the process cannot make a correct run look
/// blocked in every one of a few runs, so the check stops at the first
/// quiet one.
pub fn is_quiet(run: &StallRun) -> bool {
    run.longest < STALL_LIMIT && run.total < BLOCKED_LIMIT
}

/// `never_blocks`: passes if any run was quiet. Blocking code holds the
/// thread in every run, so only when all runs show it does the least
/// blocked run decide: one long hold, or short holds that add up.
pub fn never_blocks(runs: &[StallRun]) -> Verdict {
    let evidence = |run: &StallRun| {
        format!(
            "longest poll {}, heartbeat at worst {} late (the thread busy for at most {} of \
             it), the thread busy {} of real time in all, over {} of real time",
            ms(run.longest_poll),
            ms(run.heartbeat_worst),
            ms(run.busiest_gap),
            ms(run.total),
            ms(run.real_elapsed)
        )
    };
    if let Some(quiet) = runs.iter().find(|r| is_quiet(r)) {
        return Verdict::pass(
            "the runtime's thread was never held: the heartbeat beside the requests stayed on \
             time",
        )
        .detail(evidence(quiet));
    }
    let Some(least) = runs.iter().min_by_key(|r| r.total) else {
        return Verdict::inconclusive("no batch of requests was measured");
    };
    let shortest_peak = runs.iter().map(|r| r.longest).min().unwrap_or_default();
    let what = if shortest_peak >= STALL_LIMIT {
        format!(
            "the runtime's thread was held for {} or more at a stretch",
            ms(shortest_peak)
        )
    } else {
        format!(
            "the runtime's thread was held {} for {} in all (the longest {}): short holds add up",
            plural(least.stretches, "time", "times"),
            ms(least.total),
            ms(least.longest)
        )
    };
    Verdict::fail(format!(
        "{what}, in each of {} (the least held drawn on the real clock). While it is held the \
         juggler's one arm is busy: no other request moves and the heartbeat waits. Something \
         in login blocks (a std::thread::sleep, CPU work such as the hash) instead of awaiting. \
         Expected no hold of {} or more, and under {} in all.",
        plural(runs.len(), "run", "runs"),
        ms(STALL_LIMIT),
        ms(BLOCKED_LIMIT)
    ))
    .detail(evidence(least))
    .timeline(least.timeline.clone())
}

/// One batch of `requests_overlap`.
#[derive(Debug, Clone)]
pub struct OverlapRun {
    /// Requests in the batch.
    pub requests: usize,
    /// The most in flight at once (called, not yet answered).
    pub peak: usize,
    /// Real time from the first arrival to the last reply.
    pub elapsed: Duration,
    /// The sum of the requests' delays: the least that answering them one
    /// after another can take, however fast the machine.
    pub sum_of_delays: Duration,
    /// The run on the real clock.
    pub timeline: Timeline,
}

/// True when the requests overlapped: several in flight at once, and the
/// batch done before the sum of its delays, which code that waits them out
/// one after another can never be (a sleep never ends early). A correct
/// batch needs about the longest delay plus a hash.
pub fn overlapped(run: &OverlapRun) -> bool {
    run.peak >= 2 && run.elapsed < run.sum_of_delays
}

/// `requests_overlap`: passes if any run overlapped (a busy machine can
/// slow one batch down, never make every one of a few take turns).
pub fn requests_overlap(runs: &[OverlapRun]) -> Verdict {
    if let Some(run) = runs.iter().find(|r| overlapped(r)) {
        return Verdict::pass(format!(
            "the requests overlapped: {} of {} in flight at once, all answered {} after the \
             first arrived, against {} for their delays one after another",
            run.peak,
            run.requests,
            ms(run.elapsed),
            ms(run.sum_of_delays)
        ));
    }
    let Some(least) = runs.iter().min_by_key(|r| r.elapsed) else {
        return Verdict::inconclusive("no batch of requests was measured");
    };
    let what = if least.peak <= 1 {
        format!(
            "the {} requests were served one at a time: never more than 1 in flight, each \
             answered before the next was even taken up, {} in all",
            least.requests,
            ms(least.elapsed)
        )
    } else {
        format!(
            "up to {} of {} requests were in flight at once, yet their waits took turns: the \
             batch took {}, no less than the sum of their delays ({})",
            least.peak,
            least.requests,
            ms(least.elapsed),
            ms(least.sum_of_delays)
        )
    };
    Verdict::fail(format!(
        "{what}, in each of {} (the fastest drawn on the real clock). Expected every request in \
         flight together, their delays running side by side, so the batch takes about the \
         longest delay plus a hash.",
        plural(runs.len(), "run", "runs")
    ))
    .timeline(least.timeline.clone())
}

/// The evidence of `hash_offloaded`: where lab's hash rounds ran.
#[derive(Debug, Clone)]
pub struct OffloadRun {
    /// Requests in the batch.
    pub requests: usize,
    /// Rounds hashed in all.
    pub rounds_total: u64,
    /// Of those, rounds hashed on the runtime's thread.
    pub rounds_on_runtime: u64,
    /// Hash calls on the runtime's thread.
    pub pieces_on_runtime: usize,
    /// Distinct passwords (salts) hashed on the runtime's thread.
    pub hashed_on_runtime: usize,
    /// CPU time of the hash calls on the runtime's thread.
    pub cpu_on_runtime: Duration,
    /// CPU time of the hash calls on other threads.
    pub cpu_elsewhere: Duration,
    /// Distinct other threads that hashed.
    pub threads_elsewhere: usize,
    /// The run on the real clock.
    pub timeline: Timeline,
}

/// `hash_offloaded`: lab's hash rounds ran on threads other than the
/// runtime's (no more than [`ROUNDS_ON_RUNTIME_PERCENT`] of them there).
pub fn hash_offloaded(run: &OffloadRun) -> Verdict {
    if run.rounds_total == 0 {
        return Verdict::fail(format!(
            "lab's hash never ran during a batch of {} requests, so there is nothing to show \
             where the hashing happened. Expected each password hashed with lab::password \
             (Account::check or hash) on a thread other than the runtime's.",
            run.requests
        ));
    }
    if run.rounds_on_runtime * 100 > run.rounds_total * ROUNDS_ON_RUNTIME_PERCENT {
        let share = run.rounds_on_runtime * 100 / run.rounds_total;
        let how = if run.pieces_on_runtime > run.hashed_on_runtime {
            format!(
                " in {} pieces: pausing between pieces (yield_now) lets other tasks in, but the \
                 runtime's thread still did every round itself, so each request waited for the \
                 hashing of all the others",
                run.pieces_on_runtime
            )
        } else {
            String::new()
        };
        return Verdict::fail(format!(
            "{} of {} passwords were hashed on the runtime's own thread ({share}% of the rounds, \
             {} of CPU time there){how}. CPU work keeps the juggler's one arm busy as surely as \
             a blocking call. Expected the hash on another thread: \
             tokio::task::spawn_blocking, or rayon with a channel back, awaited from login.",
            run.hashed_on_runtime,
            run.requests,
            ms(run.cpu_on_runtime)
        ))
        .timeline(run.timeline.clone());
    }
    Verdict::pass(format!(
        "every hash ran off the runtime's thread, on {} ({} of CPU time there, none on the \
         runtime's)",
        plural(run.threads_elsewhere, "other thread", "other threads"),
        ms(run.cpu_elsewhere)
    ))
}

/// What the watchdog saw, for [`hang`].
#[derive(Debug, Clone)]
pub struct HangFacts {
    /// What was stuck.
    pub stuck: Stuck,
    /// For how long (for [`Stuck::NotFinished`], the run so far).
    pub stuck_for: Duration,
    /// Requests in the batch.
    pub requests: usize,
    /// Requests whose `login` had been called.
    pub started: usize,
    /// Requests answered.
    pub answered: usize,
    /// Hash calls finished.
    pub hashes: usize,
    /// The run so far on the real clock.
    pub timeline: Timeline,
}

/// Any check, when the watchdog ended a batch that made no progress.
pub fn hang(h: &HangFacts) -> Verdict {
    let held = format!("{:.1} s", h.stuck_for.as_secs_f64());
    let what = match h.stuck {
        Stuck::InOnePoll => format!(
            "one poll of the requests has not returned for {held}: login holds the runtime's \
             thread and never lets go (a std Mutex or channel that waits for another request, \
             a block_on, or an endless loop)"
        ),
        Stuck::RuntimeHeld => format!(
            "the runtime's thread has run none of its tasks for {held}, though no request is \
             being polled: a task spawned from login holds the thread (a blocking call or an \
             endless loop inside tokio::spawn)"
        ),
        Stuck::NotFinished => format!(
            "the batch was not answered after {held} of real time, though the runtime kept \
             running: some login waits for something that never comes (a channel whose sender \
             never sends, a task never started); correct code answers in well under a second"
        ),
    };
    Verdict::timed_out(format!(
        "{what}. By then {} of {} requests had started, {} answered, and lab's hash had finished \
         {}. Stopped early.",
        h.started,
        h.requests,
        h.answered,
        plural(h.hashes, "time", "times")
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
            clock: Clock::Real,
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

    fn facts(expected: Reply, got: Reply, took: u64, hashed: u64) -> RequestFacts {
        RequestFacts {
            expected,
            got,
            delay: ms(120),
            took: ms(took),
            rounds: 1000,
            hashed,
        }
    }

    fn welcome() -> Reply {
        Reply::Welcome("ada1".into())
    }

    fn answers(requests: Vec<RequestFacts>) -> Verdict {
        right_answer(&[AnswerRun {
            shape: "five requests",
            requests,
        }])
    }

    #[test]
    fn right_answer_passes_right_replies_hashed_once_after_their_delay() {
        let v = answers(vec![
            facts(welcome(), welcome(), 150, 1000),
            facts(Reply::Denied, Reply::Denied, 121, 1000),
        ]);
        expect(
            &v,
            Outcome::Passed,
            &["every reply was right", "five requests"],
        );
    }

    #[test]
    fn right_answer_names_a_wrong_password_let_in() {
        let v = answers(vec![facts(Reply::Denied, welcome(), 150, 1000)]);
        expect(
            &v,
            Outcome::Failed,
            &["request 1", "let a wrong password in"],
        );
    }

    #[test]
    fn right_answer_names_a_right_password_turned_away() {
        let v = answers(vec![
            facts(welcome(), welcome(), 150, 1000),
            facts(welcome(), Reply::Denied, 150, 1000),
        ]);
        expect(
            &v,
            Outcome::Failed,
            &["request 2", "turned the right password away"],
        );
    }

    #[test]
    fn right_answer_names_the_wrong_user() {
        let v = answers(vec![facts(
            welcome(),
            Reply::Welcome("bob".into()),
            150,
            1000,
        )]);
        expect(&v, Outcome::Failed, &["welcomed the wrong user"]);
    }

    /// A digest computed outside lab (a copy of its hash loop) is not seen.
    #[test]
    fn right_answer_wants_labs_hash() {
        let v = answers(vec![facts(welcome(), welcome(), 150, 0)]);
        expect(
            &v,
            Outcome::Failed,
            &["lab's hash never ran on its password"],
        );
    }

    #[test]
    fn right_answer_counts_the_rounds() {
        let v = answers(vec![facts(welcome(), welcome(), 150, 2000)]);
        expect(
            &v,
            Outcome::Failed,
            &["2000 rounds", "(2 times over)", "exactly once"],
        );
        let v = answers(vec![facts(welcome(), welcome(), 150, 999)]);
        expect(&v, Outcome::Failed, &["999 rounds"]);
        assert!(!v.message.contains("times over"));
    }

    /// The `skips_the_delay` fixture.
    #[test]
    fn right_answer_wants_the_delay_waited_out() {
        let v = answers(vec![facts(Reply::Denied, Reply::Denied, 30, 1000)]);
        expect(
            &v,
            Outcome::Failed,
            &["came 30 ms after", "delay of 120 ms"],
        );
    }

    // never_blocks

    fn stall(longest: u64, total: u64, stretches: usize) -> StallRun {
        StallRun {
            longest: ms(longest),
            longest_poll: ms(longest),
            heartbeat_worst: ms(longest + 3),
            busiest_gap: ms(longest),
            total: ms(total),
            stretches,
            real_elapsed: ms(total + 200),
            timeline: drawing(),
        }
    }

    #[test]
    fn never_blocks_passes_a_quiet_run() {
        let v = never_blocks(&[stall(1, 0, 0)]);
        expect(&v, Outcome::Passed, &["never held"]);
        assert!(v.details[0].contains("longest poll 1 ms"));
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
        assert!(is_quiet(&stall(49, 79, 2)));
        assert!(!is_quiet(&stall(50, 50, 1)));
        assert!(!is_quiet(&stall(30, 80, 3)));
    }

    /// The `as_given` and `blocking_sleep` fixtures: a delay slept on the
    /// thread, in every run.
    #[test]
    fn never_blocks_fails_a_long_hold_in_every_run() {
        let v = never_blocks(&[stall(130, 600, 5), stall(131, 610, 5), stall(129, 605, 5)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "held for 129 ms or more at a stretch",
                "each of 3 runs",
                "juggler",
            ],
        );
        assert!(v.timeline.is_some());
    }

    /// The `inline_hash` fixture: holds of a hash each, which add up.
    #[test]
    fn never_blocks_fails_short_holds_that_add_up() {
        let v = never_blocks(&[stall(27, 130, 5), stall(26, 128, 5), stall(28, 135, 5)]);
        expect(
            &v,
            Outcome::Failed,
            &["held 5 times for 128 ms in all", "short holds add up"],
        );
    }

    #[test]
    fn never_blocks_without_runs_is_inconclusive() {
        expect(&never_blocks(&[]), Outcome::Inconclusive, &[]);
    }

    // requests_overlap

    fn overlap(peak: usize, elapsed: u64) -> OverlapRun {
        OverlapRun {
            requests: 5,
            peak,
            elapsed: ms(elapsed),
            sum_of_delays: ms(600),
            timeline: drawing(),
        }
    }

    #[test]
    fn requests_overlap_passes_requests_in_flight_together() {
        let v = requests_overlap(&[overlap(5, 190)]);
        expect(
            &v,
            Outcome::Passed,
            &["5 of 5 in flight", "190 ms", "600 ms"],
        );
    }

    /// A slow run, then one that overlapped.
    #[test]
    fn requests_overlap_passes_if_any_run_overlapped() {
        let v = requests_overlap(&[overlap(5, 640), overlap(5, 250)]);
        expect(&v, Outcome::Passed, &["250 ms"]);
    }

    #[test]
    fn just_under_the_sum_overlaps() {
        assert!(overlapped(&overlap(2, 599)));
        assert!(!overlapped(&overlap(2, 600)));
        assert!(!overlapped(&overlap(1, 100)));
    }

    /// The `as_given` fixture: each request done in one poll.
    #[test]
    fn requests_overlap_sees_one_at_a_time() {
        let v = requests_overlap(&[overlap(1, 720), overlap(1, 715)]);
        expect(
            &v,
            Outcome::Failed,
            &[
                "one at a time",
                "never more than 1 in flight",
                "715 ms",
                "each of 2 runs",
            ],
        );
        assert!(v.timeline.is_some());
    }

    /// The `serialised_by_a_lock` fixture: all in flight, waits in turn.
    #[test]
    fn requests_overlap_sees_waits_taking_turns() {
        let v = requests_overlap(&[overlap(5, 700)]);
        expect(
            &v,
            Outcome::Failed,
            &["up to 5 of 5", "took turns", "700 ms", "(600 ms)"],
        );
    }

    #[test]
    fn requests_overlap_without_runs_is_inconclusive() {
        expect(&requests_overlap(&[]), Outcome::Inconclusive, &[]);
    }

    // hash_offloaded

    fn offload(on_runtime: u64, pieces: usize, hashed: usize) -> OffloadRun {
        OffloadRun {
            requests: 5,
            rounds_total: 5000,
            rounds_on_runtime: on_runtime,
            pieces_on_runtime: pieces,
            hashed_on_runtime: hashed,
            cpu_on_runtime: ms(on_runtime / 40),
            cpu_elsewhere: ms((5000 - on_runtime) / 40),
            threads_elsewhere: if on_runtime == 5000 { 0 } else { 3 },
            timeline: drawing(),
        }
    }

    #[test]
    fn hash_offloaded_passes_hashing_on_other_threads() {
        let v = hash_offloaded(&offload(0, 0, 0));
        expect(&v, Outcome::Passed, &["3 other threads", "125 ms of CPU"]);
    }

    /// A zero-round call on the runtime's thread costs nothing.
    #[test]
    fn hash_offloaded_lets_a_trifle_through() {
        expect(&hash_offloaded(&offload(50, 1, 1)), Outcome::Passed, &[]);
        expect(&hash_offloaded(&offload(51, 1, 1)), Outcome::Failed, &[]);
    }

    /// The `inline_hash` and `as_given` fixtures.
    #[test]
    fn hash_offloaded_sees_the_hash_inline() {
        let v = hash_offloaded(&offload(5000, 5, 5));
        expect(
            &v,
            Outcome::Failed,
            &[
                "5 of 5 passwords were hashed on the runtime's own thread",
                "100% of the rounds",
            ],
        );
        assert!(!v.message.contains("yield_now"));
        assert!(v.timeline.is_some());
    }

    /// The `yield_in_hash_loop` fixture: many pieces, yielding between.
    #[test]
    fn hash_offloaded_sees_pieces_with_yields_between() {
        let v = hash_offloaded(&offload(5000, 200, 5));
        expect(
            &v,
            Outcome::Failed,
            &["in 200 pieces", "yield_now", "every round itself"],
        );
    }

    #[test]
    fn hash_offloaded_needs_labs_hash() {
        let mut run = offload(0, 0, 0);
        run.rounds_total = 0;
        expect(&hash_offloaded(&run), Outcome::Failed, &["never ran"]);
    }

    // hang

    fn hang_facts(stuck: Stuck) -> HangFacts {
        HangFacts {
            stuck,
            stuck_for: Duration::from_secs(2),
            requests: 5,
            started: 2,
            answered: 0,
            hashes: 1,
            timeline: drawing(),
        }
    }

    /// The `deadlock` fixture.
    #[test]
    fn a_poll_that_never_returns_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::InOnePoll));
        expect(
            &v,
            Outcome::TimedOut,
            &[
                "one poll of the requests has not returned for 2.0 s",
                "2 of 5 requests had started, 0 answered",
                "1 time.",
            ],
        );
        assert!(v.timeline.is_some());
    }

    #[test]
    fn a_held_runtime_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::RuntimeHeld));
        expect(
            &v,
            Outcome::TimedOut,
            &["none of its tasks", "tokio::spawn"],
        );
    }

    #[test]
    fn a_batch_that_never_ends_times_out_saying_so() {
        let v = hang(&hang_facts(Stuck::NotFinished));
        expect(
            &v,
            Outcome::TimedOut,
            &["not answered after 2.0 s", "never comes"],
        );
    }
}
