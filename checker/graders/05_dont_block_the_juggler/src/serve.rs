//! Serving a batch of login requests with the learner's handler, on the
//! real clock, under the instruments.
//!
//! CPU work cannot live on tokio's paused clock (a hash costs no simulated
//! time at all), so this exercise runs on a current-thread runtime with a
//! real clock, the way a small server would. The evidence stays structural:
//!
//! - a heartbeat task on the runtime and a timer around each poll of the
//!   batch measure how long the runtime's thread was held. On the real
//!   clock a busy machine also makes a healthy heartbeat late, when the
//!   operating system runs other threads first (measured: up to 30 ms with
//!   two busy processes and the hashing competing for two cores). So each
//!   tick also reads how long tokio's worker was *busy* running tasks since
//!   the last one (`RuntimeMetrics::worker_total_busy_duration`, stable): a
//!   thread that waits for a core is not busy, a thread inside a blocking
//!   sleep or a hash is. Holds are judged on that busy time;
//! - a wrapper around each request notes when it arrived and was answered,
//!   and how many were in flight at once;
//! - the CPU probe logs every hash call (lab::password): its thread, rounds
//!   and CPU time.
//!
//! A watchdog thread ends a run that stops making progress (a poll that
//! does not return, a runtime that runs none of its tasks, a batch that
//! never finishes) with the grader's `timed_out` verdict, in seconds.
//!
//! The heartbeat, the busy-time reading and the merging of holds are
//! `grading::observe::realtime`, shared with exercise 10's grader.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use grading::Verdict;
use grading::observe::realtime::{BusyBeat, Done, busy_now, holds, lock};
use lab::cpu::{KernelCall, Probe};
use lab::password::Reply;
use lab::stall::{PollStats, PollTimer, Stretch};
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::world::Batch;

/// How often the watchdog looks.
const WATCHDOG_PERIOD: Duration = Duration::from_millis(20);
/// No progress for this long ends the check: a correct batch is served in
/// a few hundred milliseconds, even on a busy machine.
pub const STUCK_AFTER: Duration = Duration::from_secs(2);
/// A batch still not served after this long ends the check, whatever the
/// reason.
pub const RUN_LIMIT: Duration = Duration::from_secs(4);

/// One request as the wrapper saw it.
#[derive(Debug, Clone)]
pub struct Served {
    /// Real time from the start of the run to the call of `login`.
    pub start: Duration,
    /// Real time from the start of the run to its reply.
    pub end: Duration,
    /// The reply.
    pub reply: Reply,
}

/// What one batch did.
#[derive(Debug)]
pub struct BatchRun {
    /// Every request, in the batch's order.
    pub served: Vec<Served>,
    /// Real time from the first request's arrival to the last reply.
    pub real_elapsed: Duration,
    /// The longest single poll of the batch.
    pub longest_poll: Duration,
    /// The latest the heartbeat woke, in real time (a busy machine counts).
    pub heartbeat_worst: Duration,
    /// Of the heartbeat's gaps, the most the runtime's worker was busy in
    /// one: the longest the heartbeat was kept waiting by the thread itself.
    pub busiest_gap: Duration,
    /// How long tokio's worker was busy running tasks during the batch.
    pub busy_total: Duration,
    /// When the thread was held for a stretch (2 ms) or more, from both
    /// instruments, merged.
    pub stretches: Vec<Stretch>,
    /// The thread that ran the runtime.
    pub runtime_thread: ThreadId,
    /// Every hash call, as the probe logged it.
    pub calls: Vec<KernelCall>,
    /// The most requests between their call and their reply at once.
    pub peak_requests: usize,
}

impl BatchRun {
    /// The longest hold of the runtime's thread: the longest poll of the
    /// batch, or the most busy time between two heartbeat ticks.
    pub fn longest_hold(&self) -> Duration {
        self.longest_poll.max(self.busiest_gap)
    }

    /// The holds drawn in the timeline.
    pub fn holds(&self) -> usize {
        self.stretches.len()
    }

    /// The run on the real clock: a lane per request, the hashing on the
    /// runtime's thread and elsewhere, and the stretches the thread was held.
    pub fn timeline(&self) -> Timeline {
        let requests: Vec<Times> = self
            .served
            .iter()
            .map(|s| Some((s.start, Some(s.end))))
            .collect();
        drawing(
            &requests,
            &self.calls,
            self.runtime_thread,
            &self.stretches,
            self.real_elapsed_end(),
        )
    }

    fn real_elapsed_end(&self) -> Duration {
        self.served.iter().map(|s| s.end).max().unwrap_or_default()
    }
}

/// A request's start, once called, and its end, once answered.
type Times = Option<(Duration, Option<Duration>)>;

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The drawing of a run so far: `requests` (start if started, end if
/// answered; one not started yet gets an empty lane), hash calls split by
/// thread, held stretches; nothing past `end`.
fn drawing(
    requests: &[Times],
    calls: &[KernelCall],
    runtime_thread: ThreadId,
    held: &[Stretch],
    end: Duration,
) -> Timeline {
    let span = |a: Duration, b: Duration| Span {
        start_ms: ms_f(a.min(end)),
        end_ms: ms_f(b.min(end)),
    };
    let mut lanes: Vec<Lane> = requests
        .iter()
        .enumerate()
        .map(|(i, times)| Lane {
            label: format!("request {}", i + 1),
            spans: times
                .iter()
                .map(|(start, stop)| span(*start, stop.unwrap_or(end)))
                .collect(),
        })
        .collect();
    let hashing = |label: &str, on_runtime: bool| Lane {
        label: label.to_string(),
        spans: calls
            .iter()
            .filter(|c| (c.thread == runtime_thread) == on_runtime)
            .map(|c| span(c.real_start, c.real_end))
            .collect(),
    };
    for lane in [
        hashing("hash, runtime thread", true),
        hashing("hash, other threads", false),
    ] {
        if !lane.spans.is_empty() {
            lanes.push(lane.merged());
        }
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

/// What the watchdog saw when it gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stuck {
    /// One poll of the batch has not returned: a handler holds the thread.
    InOnePoll,
    /// No poll is running, yet the heartbeat has not ticked: a task the
    /// handler spawned holds the thread.
    RuntimeHeld,
    /// The runtime runs, but the batch is not served after [`RUN_LIMIT`]:
    /// a handler waits for something that never comes.
    NotFinished,
}

/// The watchdog's evidence.
#[derive(Debug, Clone)]
pub struct Hang {
    /// What it saw.
    pub stuck: Stuck,
    /// How long without progress (for [`Stuck::NotFinished`], the run).
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

/// Per-request marks the watchdog can read while the run goes on.
#[derive(Debug, Default)]
struct Marks {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    started: AtomicUsize,
    answered: AtomicUsize,
    spans: std::sync::Mutex<Vec<Times>>,
}

struct Watched {
    done: Arc<AtomicBool>,
    origin: Instant,
    polls: PollStats,
    beat: Arc<BusyBeat>,
    marks: Arc<Marks>,
    probe: Arc<Probe>,
    runtime_thread: ThreadId,
    on_hang: fn(&Hang) -> Verdict,
}

impl Watched {
    fn watch(self) {
        loop {
            std::thread::sleep(WATCHDOG_PERIOD);
            if self.done.load(Ordering::SeqCst) {
                return;
            }
            let now = self.origin.elapsed();
            let polling = self.polls.polling_for().filter(|d| *d >= STUCK_AFTER);
            let silent = self.beat.since_last_tick();
            // A poll that holds the thread also silences the heartbeat, a
            // few ms before the poll itself reaches the limit: a silence
            // during a long poll is that poll's doing.
            let in_long_poll = self.polls.polling_for().filter(|d| *d >= STUCK_AFTER / 2);
            let stuck = if let Some(polling) = polling {
                Some((Stuck::InOnePoll, polling))
            } else if let (true, Some(polling)) = (silent >= STUCK_AFTER, in_long_poll) {
                Some((Stuck::InOnePoll, polling))
            } else if silent >= STUCK_AFTER {
                Some((Stuck::RuntimeHeld, silent))
            } else if now >= RUN_LIMIT {
                Some((Stuck::NotFinished, now))
            } else {
                None
            };
            let Some((stuck, stuck_for)) = stuck else {
                continue;
            };
            if self.done.load(Ordering::SeqCst) {
                return;
            }
            let requests = lock(&self.marks.spans).clone();
            let calls = self.probe.calls();
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
                requests: requests.len(),
                started: self.marks.started.load(Ordering::SeqCst),
                answered: self.marks.answered.load(Ordering::SeqCst),
                hashes: calls.len(),
                timeline: drawing(&requests, &calls, self.runtime_thread, held, now),
            };
            grading::harness::conclude((self.on_hang)(&hang));
        }
    }
}

/// Serves `batch` with the learner's `login` on a current-thread runtime
/// with a real clock: each request is called at its arrival time, all of
/// them joined in one task beside a heartbeat, with the CPU probe installed.
/// If the run stops making progress the watchdog ends the check with
/// `on_hang`'s verdict and this never returns.
///
/// # Panics
///
/// If the runtime cannot be built, or if the learner's code panics (the
/// harness reports it, with tokio's panics explained).
pub fn serve(batch: &Batch, on_hang: fn(&Hang) -> Verdict) -> BatchRun {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime");
    let runtime_thread = std::thread::current().id();
    let done = Arc::new(AtomicBool::new(false));
    let marks = Arc::new(Marks::default());
    lock(&marks.spans).resize(batch.requests.len(), None);
    // The probe logs hash calls from now on, from every thread: the grader
    // itself hashes nothing until it is uninstalled.
    let probe = Probe::new();
    let installed = probe.install();
    let origin = Instant::now();
    let run = runtime.block_on(async {
        let _done = Done(done.clone());
        let (beat, heartbeat) = BusyBeat::spawn(origin);
        let busy_at_start = busy_now();
        let requests = batch.requests.iter().enumerate().map(|(i, planned)| {
            let marks = marks.clone();
            let request = planned.request.clone();
            let arrives = planned.arrives;
            async move {
                tokio::time::sleep_until((origin + arrives).into()).await;
                let start = origin.elapsed();
                lock(&marks.spans)[i] = Some((start, None));
                marks.started.fetch_add(1, Ordering::SeqCst);
                let now = marks.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                marks.peak.fetch_max(now, Ordering::SeqCst);
                let reply = subject::login(request).await;
                let end = origin.elapsed();
                marks.in_flight.fetch_sub(1, Ordering::SeqCst);
                marks.answered.fetch_add(1, Ordering::SeqCst);
                lock(&marks.spans)[i] = Some((start, Some(end)));
                Served { start, end, reply }
            }
        });
        let (timed, polls) = PollTimer::new(futures::future::join_all(requests), origin);
        let watched = Watched {
            done: done.clone(),
            origin,
            polls: polls.clone(),
            beat: beat.clone(),
            marks: marks.clone(),
            probe: probe.clone(),
            runtime_thread,
            on_hang,
        };
        if std::thread::Builder::new()
            .name("checker-hang-watch".into())
            .spawn(move || watched.watch())
            .is_err()
        {
            eprintln!("grading: no hang watchdog; the check's deadline still applies");
        }
        let served = timed.await;
        // tokio publishes the busy time when its worker parks: let it park
        // once more, so the batch's last polls are counted.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let busy_total = busy_now().saturating_sub(busy_at_start);
        heartbeat.abort();
        let stretches = holds(&polls, &beat);
        let first = served.iter().map(|s| s.start).min().unwrap_or_default();
        let last = served.iter().map(|s| s.end).max().unwrap_or_default();
        BatchRun {
            real_elapsed: last.saturating_sub(first),
            served,
            longest_poll: polls.longest_poll(),
            heartbeat_worst: beat.worst_late(),
            busiest_gap: beat.busiest_gap(),
            busy_total,
            stretches,
            runtime_thread,
            calls: Vec::new(),
            peak_requests: marks.peak.load(Ordering::SeqCst),
        }
    });
    drop(installed);
    // Hash work the handler left running may still log calls until the
    // runtime is gone: read the probe now, and do not wait for it.
    let run = BatchRun {
        calls: probe.calls(),
        ..run
    };
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

    /// Requests get a lane each, an unanswered one drawn to the end; no
    /// hash lanes without hash calls; the held lane comes last.
    #[test]
    fn the_drawing_has_a_lane_per_request_and_ends_at_the_end() {
        let ms = Duration::from_millis;
        let t = drawing(
            &[Some((ms(0), Some(ms(120)))), Some((ms(8), None)), None],
            &[],
            std::thread::current().id(),
            &[s(10, 500)],
            ms(300),
        );
        let labels: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            ["request 1", "request 2", "request 3", "thread held"]
        );
        assert_eq!(t.lanes[1].spans[0].end_ms, 300.0);
        assert!(t.lanes[2].spans.is_empty());
        assert_eq!(t.lanes[3].spans[0].end_ms, 300.0);
    }
}
