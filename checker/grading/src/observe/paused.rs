//! Async learner code on a paused clock, watched by a heartbeat, a poll
//! timer and a watchdog.
//!
//! The paused clock makes simulated waits exact and instant, but it cannot
//! see two things, and the instruments here cover both:
//!
//! - **Blocking.** `std::thread::sleep` or a CPU loop costs no simulated
//!   time. The poll timer and the heartbeat measure the runtime's thread on
//!   the real clock: the longest hold, and the sum of every hold.
//! - **Hangs.** A poll that never returns (a `block_on` inside async, a
//!   `std` lock or channel that waits, an endless loop) freezes the clock as
//!   well, so the simulated time limit never fires. A watchdog thread
//!   watches the real clock and ends the check within seconds, saying what
//!   it saw, instead of letting the process wait for its deadline.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;
use std::time::Duration;

use lab::io::{CallRecord, Recorder};
use lab::stall::{Heartbeat, PollStats, PollTimer, Pulse, Stretch};

use protocol::Verdict;
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::timeline;

/// How often the heartbeat ticks on the virtual clock.
const HEARTBEAT_PERIOD: Duration = Duration::from_millis(5);
/// How often the watchdog looks.
const WATCHDOG_PERIOD: Duration = Duration::from_millis(20);
/// Polls of the body, while the heartbeat is silent, that make a loop that
/// wakes itself. A body whose thread is held by another task is polled
/// not at all in that time, and a self-waking loop hundreds of thousands of
/// times (453,872 to 585,265 in 2 s were measured with six processes
/// competing for two cores), so the line sits far from both.
const SPINNING_POLLS: u64 = 100;

/// How to run and watch one async body.
#[derive(Debug, Clone, Copy)]
pub struct Paused {
    /// Simulated time the body gets before it counts as never finishing.
    pub limit: Duration,
    /// Real time without progress after which the watchdog ends the check:
    /// one poll that has not returned, or a runtime that has run none of its
    /// tasks, while no simulated call finished anywhere (calls finishing on
    /// other threads are progress, up to `run_limit`). Correct code needs
    /// milliseconds; keep this in seconds.
    pub stuck_after: Duration,
    /// Real time after which a run that still has not finished ends the
    /// check, whatever the reason.
    pub run_limit: Duration,
    /// The body's name in reports and timelines: `load_profile`.
    pub name: &'static str,
    /// Turns what the watchdog saw into the check's verdict (`timed_out`).
    pub on_hang: fn(&Hang) -> Verdict,
}

/// What the watchdog saw when it gave up on a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stuck {
    /// One poll of the body has not returned: the body holds the thread.
    InOnePoll,
    /// The body is polled again and again without finishing, and the
    /// clock cannot advance: it keeps waking itself.
    Spinning {
        /// Polls since the heartbeat last ticked.
        polls: u64,
    },
    /// No poll of the body is running, yet the runtime has run none of its
    /// other tasks: a spawned task holds the thread, or a blocking task
    /// keeps the paused clock from advancing.
    RuntimeHeld,
    /// The run goes on, polls return and the clock moves, but it has not
    /// finished after [`Paused::run_limit`].
    NotFinished,
}

/// The watchdog's evidence, handed to [`Paused::on_hang`].
#[derive(Debug, Clone)]
pub struct Hang {
    /// What it saw.
    pub stuck: Stuck,
    /// Real time without progress (or, for [`Stuck::NotFinished`], the run
    /// so far).
    pub stuck_for: Duration,
    /// Real time since the run began.
    pub real_elapsed: Duration,
    /// Every simulated call so far.
    pub calls: Vec<CallRecord>,
    /// The thread that runs the runtime.
    pub runtime_thread: ThreadId,
    /// The run on the real clock: the body, each call, and the stretch
    /// without progress.
    pub timeline: Timeline,
}

/// What an async run did.
#[derive(Debug)]
pub struct AsyncRun<T> {
    /// The body's result, or `None` if it had not finished when the virtual
    /// time limit ran out.
    pub output: Option<T>,
    /// The body's name, for timelines.
    pub name: &'static str,
    /// Virtual time from start to finish (or to the limit).
    pub virtual_elapsed: Duration,
    /// Real time from start to finish.
    pub real_elapsed: Duration,
    /// The longest single poll of the body, in real time.
    pub longest_poll: Duration,
    /// The latest the heartbeat woke, in real time.
    pub heartbeat_lateness: Duration,
    /// The sum of the body's polls that held the thread for
    /// [`lab::stall::STRETCH`] or more.
    pub blocked_in_polls: Duration,
    /// The sum of the heartbeat's late ticks.
    pub heartbeat_late_total: Duration,
    /// The stretches of real time the thread was held, from both
    /// instruments, merged where they overlap.
    pub stretches: Vec<Stretch>,
    /// The thread that ran the runtime.
    pub runtime_thread: ThreadId,
    /// Every simulated call.
    pub calls: Vec<CallRecord>,
    /// The most simulated calls in flight at once.
    pub peak_in_flight: usize,
    /// Simulated calls dropped before they finished.
    pub cancelled: usize,
}

impl<T> AsyncRun<T> {
    /// How long the runtime's thread was kept from its other tasks, at worst.
    pub fn stall(&self) -> Duration {
        self.longest_poll.max(self.heartbeat_lateness)
    }

    /// How long the runtime's thread was kept from its other tasks in all.
    /// Each instrument sees the same holds (the heartbeat also those inside
    /// spawned tasks), so the larger of their sums, not the two added.
    pub fn blocked_total(&self) -> Duration {
        self.blocked_in_polls.max(self.heartbeat_late_total)
    }

    /// Distinct OS threads the simulated calls ran on, other than the
    /// runtime's own.
    pub fn foreign_threads(&self) -> usize {
        foreign_threads(&self.calls, self.runtime_thread)
    }

    /// The calls as a timeline, on the clock they were measured on. Calls
    /// made on the runtime's thread read its paused clock and are drawn
    /// in simulated time. A call made on another thread reads another
    /// clock (another runtime's, or none), so when there is one, every
    /// call is drawn on the real clock instead, under a lane for the whole
    /// run: then the drawing ends at [`AsyncRun::real_elapsed`].
    pub fn timeline(&self) -> Timeline {
        if self.foreign_threads() == 0 {
            timeline::from_calls(&self.calls, self.virtual_elapsed)
        } else {
            real_timeline(self.name, &self.calls, self.real_elapsed, &[])
        }
    }

    /// The run on the real clock with the stretches the thread was held,
    /// for a check about blocking. Ends at [`AsyncRun::real_elapsed`].
    pub fn stall_timeline(&self) -> Timeline {
        real_timeline(self.name, &self.calls, self.real_elapsed, &self.stretches)
    }
}

fn foreign_threads(calls: &[CallRecord], runtime_thread: ThreadId) -> usize {
    let mut seen: Vec<ThreadId> = Vec::new();
    for call in calls {
        if call.thread != runtime_thread && !seen.contains(&call.thread) {
            seen.push(call.thread);
        }
    }
    seen.len()
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A lane for the whole run (`name`, 0 to `end`), one per call on the real
/// clock (a call that had not finished is drawn up to `end`), and one for
/// the stretches the runtime's thread was held, if any. Nothing is drawn
/// past `end`, so the drawing ends exactly there.
fn real_timeline(name: &str, calls: &[CallRecord], end: Duration, held: &[Stretch]) -> Timeline {
    let span = |start: Duration, stop: Duration| Span {
        start_ms: ms_f(start.min(end)),
        end_ms: ms_f(stop.min(end)),
    };
    let mut lanes = vec![Lane {
        label: name.to_string(),
        spans: vec![span(Duration::ZERO, end)],
    }];
    for call in calls {
        lanes.push(Lane {
            label: if call.cancelled {
                format!("{} (cancelled)", call.label)
            } else {
                call.label.clone()
            },
            spans: vec![span(call.real_start, call.real_end.unwrap_or(end))],
        });
    }
    if !held.is_empty() {
        lanes.push(
            Lane {
                label: "thread held".to_string(),
                spans: held.iter().map(|s| span(s.start, s.end)).collect(),
            }
            .merged(),
        );
    }
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// Sorts and joins overlapping stretches.
fn merge(mut stretches: Vec<Stretch>) -> Vec<Stretch> {
    stretches.sort_by_key(|s| s.start);
    let mut merged: Vec<Stretch> = Vec::new();
    for s in stretches {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Sets the flag when dropped, so the watchdog stops whether the run
/// returned or panicked.
struct Done(Arc<AtomicBool>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What the watchdog thread reads while the run goes on.
struct Watched {
    config: Paused,
    done: Arc<AtomicBool>,
    recorder: Recorder,
    polls: PollStats,
    pulse: Pulse,
    runtime_thread: ThreadId,
}

/// What the watchdog sees at one look.
#[derive(Debug, Clone, Copy)]
struct Look {
    /// Real time since the run began.
    now: Duration,
    /// Real time since the heartbeat last ticked.
    silent: Duration,
    /// How long the poll of the body running now has held the thread, if
    /// one is running.
    polling: Option<Duration>,
    /// Polls of the body since the heartbeat last ticked.
    polls_since_tick: u64,
    /// Real time since a simulated call last finished (or since the run
    /// began, if none has).
    since_a_call_finished: Duration,
}

/// Whether a run is stuck, and since when, from one look: `None` while it
/// is not (yet).
fn judge(config: &Paused, look: &Look) -> Option<(Stuck, Duration)> {
    let past_limit = look.now >= config.run_limit;
    // At the run's limit a shorter stretch is enough: on a crowded
    // machine a stuck poll may have begun late, and the most specific
    // observation is still the one to report.
    let needed = if past_limit {
        config.stuck_after / 2
    } else {
        config.stuck_after
    };
    // Calls that keep finishing while the runtime's thread is held finish
    // on other threads (the held runtime can finish none of its own): the
    // run makes progress there, and on a crowded machine a thousand such
    // threads may take longer than `stuck_after`. Until the run's limit,
    // that is not a hang; whether it is the right model is for the checks
    // to say once the run returns.
    if !past_limit && look.since_a_call_finished < needed {
        return None;
    }
    let silent = look.silent;
    if let Some(polling) = look.polling.filter(|d| *d >= needed) {
        Some((Stuck::InOnePoll, polling))
    } else if let Some(polling) = look
        .polling
        .filter(|_| silent >= needed && look.polls_since_tick < SPINNING_POLLS)
    {
        // The runtime's thread has run nothing for that long and is
        // inside a poll of the body right now, which was not polled over
        // and over (a self-waking loop): that poll holds it, though on a
        // crowded machine it may have begun after the heartbeat's last
        // tick.
        Some((Stuck::InOnePoll, polling.max(silent)))
    } else if silent >= needed {
        if look.polls_since_tick >= SPINNING_POLLS {
            Some((
                Stuck::Spinning {
                    polls: look.polls_since_tick,
                },
                silent,
            ))
        } else {
            Some((Stuck::RuntimeHeld, silent))
        }
    } else if past_limit {
        Some((Stuck::NotFinished, look.now))
    } else {
        None
    }
}

impl Watched {
    /// Looks every [`WATCHDOG_PERIOD`] until the run is done; if it sees no
    /// progress for too long, ends the check with the grader's verdict.
    fn watch(self) {
        let origin = self.recorder.real_origin();
        // The poll count when the heartbeat last ticked: a body polled
        // many times since, while the clock stands still, spins. Ticks are
        // told apart by their count, never by times read from two clocks,
        // which differ a little at every look.
        let mut polls_at_tick = (self.pulse.ticks(), self.polls.polls());
        // The count of finished calls, and when it last changed.
        let mut finished_at = (self.recorder.finished(), Duration::ZERO);
        loop {
            std::thread::sleep(WATCHDOG_PERIOD);
            if self.done.load(Ordering::SeqCst) {
                return;
            }
            let now = origin.elapsed();
            let ticks = self.pulse.ticks();
            if ticks != polls_at_tick.0 {
                polls_at_tick = (ticks, self.polls.polls());
            }
            let finished = self.recorder.finished();
            if finished != finished_at.0 {
                finished_at = (finished, now);
            }
            let look = Look {
                now,
                silent: self.pulse.since_last_tick(),
                polling: self.polls.polling_for(),
                polls_since_tick: self.polls.polls().saturating_sub(polls_at_tick.1),
                since_a_call_finished: now.saturating_sub(finished_at.1),
            };
            if let Some((stuck, stuck_for)) = judge(&self.config, &look) {
                // The run may have finished while we looked.
                if self.done.load(Ordering::SeqCst) {
                    return;
                }
                let calls = self.recorder.calls();
                let held = [Stretch {
                    start: now.saturating_sub(stuck_for),
                    end: now,
                }];
                let held: &[Stretch] = if stuck == Stuck::NotFinished {
                    &[]
                } else {
                    &held
                };
                let hang = Hang {
                    stuck,
                    stuck_for,
                    real_elapsed: now,
                    timeline: real_timeline(self.config.name, &calls, now, held),
                    calls,
                    runtime_thread: self.runtime_thread,
                };
                crate::harness::conclude((self.config.on_hang)(&hang));
            }
        }
    }
}

/// Runs `body` on a current-thread runtime with a paused clock and watches
/// it. `body` gets the recorder that the simulated world must log to. If the
/// body has not finished after `config.limit` of virtual time it is dropped
/// and `output` is `None`: a future that waits on nothing fails at once
/// instead of hanging. If it makes no progress for `config.stuck_after` of
/// real time, or runs past `config.run_limit`, the watchdog ends the whole
/// check with `config.on_hang`'s verdict and this function never returns.
///
/// # Panics
///
/// If the runtime cannot be built, or if `body` panics.
pub fn run_paused<T, F>(config: &Paused, body: impl FnOnce(Recorder) -> F) -> AsyncRun<T>
where
    F: Future<Output = T>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread tokio runtime");
    let runtime_thread = std::thread::current().id();
    let done = Arc::new(AtomicBool::new(false));
    let run = runtime.block_on(async {
        let _done = Done(done.clone());
        let recorder = Recorder::new();
        let origin = recorder.real_origin();
        let heartbeat = Heartbeat::spawn(HEARTBEAT_PERIOD, origin);
        let (timed, polls) = PollTimer::new(body(recorder.clone()), origin);
        let watched = Watched {
            config: *config,
            done: done.clone(),
            recorder: recorder.clone(),
            polls: polls.clone(),
            pulse: heartbeat.pulse(),
            runtime_thread,
        };
        let watchdog = std::thread::Builder::new()
            .name("checker-hang-watch".into())
            .spawn(move || watched.watch());
        if watchdog.is_err() {
            eprintln!("grading: no hang watchdog; the check's deadline still applies");
        }
        let virtual_start = tokio::time::Instant::now();
        let output = tokio::time::timeout(config.limit, timed).await.ok();
        let virtual_elapsed = virtual_start.elapsed();
        let real_elapsed = origin.elapsed();
        // Tasks the learner's code aborted on its way out are dropped the
        // next time the scheduler runs: let it run before counting.
        for _ in 0..4 {
            tokio::task::yield_now().await;
        }
        let mut stretches = polls.stretches();
        stretches.extend(heartbeat.stretches());
        AsyncRun {
            output,
            name: config.name,
            virtual_elapsed,
            real_elapsed,
            longest_poll: polls.longest_poll(),
            heartbeat_lateness: heartbeat.worst_lateness(),
            blocked_in_polls: polls.blocked_total(),
            heartbeat_late_total: heartbeat.total_lateness(),
            stretches: merge(stretches),
            runtime_thread,
            calls: recorder.calls(),
            peak_in_flight: recorder.peak_in_flight(),
            cancelled: recorder.cancelled(),
        }
    });
    // Learner code may have left blocking tasks behind: do not wait for them.
    runtime.shutdown_background();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: u64, end: u64) -> Stretch {
        Stretch {
            start: Duration::from_millis(start),
            end: Duration::from_millis(end),
        }
    }

    /// Overlapping stretches (a long poll and the late tick it caused)
    /// become one; separate ones stay apart.
    #[test]
    fn stretches_merge_where_they_overlap() {
        assert_eq!(
            merge(vec![s(50, 90), s(0, 30), s(20, 40)]),
            vec![s(0, 40), s(50, 90)]
        );
    }

    const CONFIG: Paused = Paused {
        limit: Duration::from_secs(60),
        stuck_after: Duration::from_secs(2),
        run_limit: Duration::from_secs(4),
        name: "body",
        on_hang: |_| Verdict::fail("hang"),
    };

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    /// A look at a run whose body has held the thread in one poll since
    /// it began, `now`, with no call finished meanwhile.
    fn held_poll(now: u64) -> Look {
        Look {
            now: ms(now),
            silent: ms(now),
            polling: Some(ms(now)),
            polls_since_tick: 1,
            since_a_call_finished: ms(now),
        }
    }

    /// A poll that holds the thread while no call finishes anywhere is
    /// stuck once it has held it for `stuck_after`, not before.
    #[test]
    fn a_held_poll_with_nothing_finishing_is_stuck_after_stuck_after() {
        assert_eq!(judge(&CONFIG, &held_poll(1_900)), None);
        assert_eq!(
            judge(&CONFIG, &held_poll(2_000)),
            Some((Stuck::InOnePoll, ms(2_000)))
        );
    }

    /// Calls that keep finishing while the runtime's thread is held finish
    /// on other threads: that run is slow, not stuck, until its limit (a
    /// thousand OS threads on a crowded machine), and then it is stopped
    /// like any other.
    #[test]
    fn calls_finishing_elsewhere_hold_off_the_watchdog_until_the_run_limit() {
        let progressing = |now| Look {
            since_a_call_finished: ms(100),
            ..held_poll(now)
        };
        assert_eq!(judge(&CONFIG, &progressing(2_500)), None);
        assert_eq!(judge(&CONFIG, &progressing(3_980)), None);
        assert_eq!(
            judge(&CONFIG, &progressing(4_000)),
            Some((Stuck::InOnePoll, ms(4_000)))
        );
        // Progress that stopped counts for nothing: 2 s since the last
        // call finished is stuck again.
        let stalled = Look {
            since_a_call_finished: ms(2_000),
            ..held_poll(3_000)
        };
        assert_eq!(
            judge(&CONFIG, &stalled),
            Some((Stuck::InOnePoll, ms(3_000)))
        );
    }

    /// The other findings are the ones the watchdog always made: a loop
    /// that wakes itself, a thread held outside the body, and a run that
    /// goes on past its limit.
    #[test]
    fn spinning_held_and_unfinished_runs_are_told_apart() {
        let spinning = Look {
            polling: None,
            polls_since_tick: SPINNING_POLLS,
            ..held_poll(2_000)
        };
        assert_eq!(
            judge(&CONFIG, &spinning),
            Some((
                Stuck::Spinning {
                    polls: SPINNING_POLLS
                },
                ms(2_000)
            ))
        );
        let held_elsewhere = Look {
            polling: None,
            ..held_poll(2_000)
        };
        assert_eq!(
            judge(&CONFIG, &held_elsewhere),
            Some((Stuck::RuntimeHeld, ms(2_000)))
        );
        let running = Look {
            silent: ms(5),
            polling: None,
            ..held_poll(4_000)
        };
        assert_eq!(
            judge(&CONFIG, &running),
            Some((Stuck::NotFinished, ms(4_000)))
        );
        assert_eq!(
            judge(
                &CONFIG,
                &Look {
                    now: ms(3_000),
                    ..running
                }
            ),
            None
        );
    }

    /// A real-clock drawing never reaches past the run's end, and its
    /// first lane is the whole run, so it ends exactly at `end`.
    #[test]
    fn a_real_timeline_ends_at_the_run_end() {
        let timeline = real_timeline("body", &[], Duration::from_millis(12), &[s(3, 40)]);
        assert_eq!(timeline.clock, Clock::Real);
        let end = timeline
            .lanes
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.end_ms))
            .fold(0.0, f64::max);
        assert_eq!(end, 12.0);
        assert_eq!(timeline.lanes[0].label, "body");
        assert_eq!(timeline.lanes[1].label, "thread held");
    }
}
