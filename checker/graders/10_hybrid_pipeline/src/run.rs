//! Running the learner's `pipeline` on one batch, on the real clock, under
//! the instruments.
//!
//! A blur is CPU work, which cannot live on tokio's paused clock, so the
//! pipeline runs on a current-thread runtime with a real clock, as a small
//! service would. One thread runs every async task: "the runtime's
//! thread" is one OS thread, and any blur seen on it was done there. The
//! evidence stays structural:
//!
//! - lab's recorder logs every download and save (when, on which thread);
//! - lab's CPU probe logs every blur (thread, rayon worker index, CPU time,
//!   start and end);
//! - a heartbeat task beside the pipeline reads, at each tick, how long
//!   tokio's worker was *busy* running tasks since the last one
//!   (`RuntimeMetrics::worker_total_busy_duration`): a thread that waits
//!   for a core on a busy machine is late but not busy, a thread inside a
//!   blur (or waiting for rayon inside a poll) is busy. A timer around each
//!   poll of the pipeline sees the same from the other side.
//!
//! The runtime names its blocking pool's threads [`BLOCKING_POOL`], so a
//! blur handed to `spawn_blocking` is told apart from one on a thread the
//! learner spawned.
//!
//! A watchdog thread ends a run that stops making progress (for
//! [`STUCK_AFTER`] no heartbeat tick, no blur, no download or save started
//! or ended) or is not done after [`RUN_LIMIT`], with the grader's
//! `timed_out` verdict, in seconds.
//! The same scheme as exercise 05's grader, with a pipeline in place of
//! login requests; the heartbeat and the holds are
//! `grading::observe::realtime`, which both share.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;
use std::time::Duration;

use grading::Verdict;
use grading::observe::realtime::{BusyBeat, Done, busy_now, holds};
use lab::cpu::{KernelCall, Probe};
use lab::gallery::{Saved, Server, Store};
use lab::io::{CallRecord, Recorder};
use lab::stall::{PollStats, PollTimer, Stretch};
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::world::{Batch, SAVE_LATENCY};

/// The name of the runtime's blocking-pool threads (`spawn_blocking`).
pub const BLOCKING_POOL: &str = "tokio-blocking-pool";
/// How often the watchdog looks.
const WATCHDOG_PERIOD: Duration = Duration::from_millis(20);
/// No progress for this long ends the check: a correct batch is done in
/// well under a second, even on a busy machine.
pub const STUCK_AFTER: Duration = Duration::from_secs(2);
/// A batch still not done after this long ends the check. Downloads in a
/// row with every blur on the runtime (the exercise's starting point) take
/// 2.3 s on an idle machine and 3.2 s were measured under a load average of
/// 10 on two cores: they must be graded, not stopped.
pub const RUN_LIMIT: Duration = Duration::from_secs(10);

/// Where a blur ran, relative to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The runtime's own thread.
    Runtime,
    /// A worker of a rayon pool.
    Pool,
    /// A thread of tokio's blocking pool: `spawn_blocking`.
    BlockingPool,
    /// Any other thread (one the code spawned itself).
    Other,
}

/// Where `call` ran, given the runtime's thread.
pub fn place(call: &KernelCall, runtime: ThreadId) -> Place {
    if call.thread == runtime {
        Place::Runtime
    } else if call.rayon_index.is_some() {
        Place::Pool
    } else if call.thread_name.as_deref() == Some(BLOCKING_POOL) {
        Place::BlockingPool
    } else {
        Place::Other
    }
}

/// What one run of the pipeline did.
#[derive(Debug)]
pub struct PipelineRun {
    /// The thread that ran the runtime.
    pub runtime_thread: ThreadId,
    /// Every download, in the order they started.
    pub downloads: Vec<CallRecord>,
    /// Every save, in the order they started.
    pub saves: Vec<CallRecord>,
    /// What the store received, in the order the saves finished.
    pub saved: Vec<Saved>,
    /// Every kernel call (the blurs), as the probe logged it.
    pub blurs: Vec<KernelCall>,
    /// The longest single poll of the pipeline.
    pub longest_poll: Duration,
    /// The latest the heartbeat woke (a busy machine counts too).
    pub heartbeat_worst: Duration,
    /// Of the heartbeat's gaps, the most the worker was busy in one.
    pub busiest_gap: Duration,
    /// How long tokio's worker was busy running tasks during the run.
    pub busy_total: Duration,
    /// When the thread was held for a [`HOLD`](grading::observe::realtime::HOLD) or more, merged.
    pub stretches: Vec<Stretch>,
    /// Real time from the start to the end of the pipeline.
    pub real_elapsed: Duration,
}

impl PipelineRun {
    /// The longest hold of the runtime's thread: the longest poll of the
    /// pipeline, or the most busy time between two heartbeat ticks.
    pub fn longest_hold(&self) -> Duration {
        self.longest_poll.max(self.busiest_gap)
    }

    /// The run drawn on the real clock.
    pub fn timeline(&self) -> Timeline {
        drawing(
            &self.downloads,
            &self.blurs,
            self.runtime_thread,
            &self.stretches,
            self.real_elapsed,
        )
    }
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The drawing of a run so far: the stretches the runtime's thread was
/// held, the blurs by where they ran, a lane per download; nothing past
/// `end`.
fn drawing(
    downloads: &[CallRecord],
    blurs: &[KernelCall],
    runtime: ThreadId,
    held: &[Stretch],
    end: Duration,
) -> Timeline {
    let span = |a: Duration, b: Duration| Span {
        start_ms: ms_f(a.min(end)),
        end_ms: ms_f(b.min(end)),
    };
    // The report draws the first few lanes only: the thread held and the
    // blurs go first, the downloads (one lane each) after them.
    let mut lanes: Vec<Lane> = Vec::new();
    if !held.is_empty() {
        lanes.push(
            Lane {
                label: "runtime held".to_string(),
                spans: held.iter().map(|s| span(s.start, s.end)).collect(),
            }
            .merged(),
        );
    }
    for (label, where_) in [
        ("blur, runtime thread", Place::Runtime),
        ("blur, rayon pool", Place::Pool),
        ("blur, blocking pool", Place::BlockingPool),
        ("blur, other threads", Place::Other),
    ] {
        let spans: Vec<Span> = blurs
            .iter()
            .filter(|c| place(c, runtime) == where_)
            .map(|c| span(c.real_start, c.real_end))
            .collect();
        if !spans.is_empty() {
            lanes.push(
                Lane {
                    label: label.to_string(),
                    spans,
                }
                .merged(),
            );
        }
    }
    lanes.extend(downloads.iter().map(|d| Lane {
        label: d.label.clone(),
        spans: vec![span(d.real_start, d.real_end.unwrap_or(end))],
    }));
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// What the watchdog saw when it gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stuck {
    /// One poll of the pipeline has not returned, and nothing happened
    /// meanwhile: it holds the thread.
    InOnePoll,
    /// No poll of the pipeline is running, yet the heartbeat has not
    /// ticked and nothing happened: a task the pipeline spawned holds the
    /// thread.
    RuntimeHeld,
    /// The batch is not done after [`RUN_LIMIT`], though something kept
    /// happening.
    NotFinished,
}

/// The watchdog's evidence.
#[derive(Debug, Clone)]
pub struct Hang {
    /// What it saw.
    pub stuck: Stuck,
    /// How long without progress (for [`Stuck::NotFinished`], the run).
    pub stuck_for: Duration,
    /// Images in the batch.
    pub images: usize,
    /// Downloads finished.
    pub downloaded: usize,
    /// Blurs finished.
    pub blurred: usize,
    /// Images saved.
    pub saved: usize,
    /// The run so far on the real clock.
    pub timeline: Timeline,
}

struct Watched {
    done: Arc<AtomicBool>,
    images: usize,
    polls: PollStats,
    beat: Arc<BusyBeat>,
    recorder: Recorder,
    store: Store,
    probe: Arc<Probe>,
    runtime_thread: ThreadId,
    on_hang: fn(&Hang) -> Verdict,
}

impl Watched {
    fn watch(self) {
        let origin = self.recorder.real_origin();
        loop {
            std::thread::sleep(WATCHDOG_PERIOD);
            if self.done.load(Ordering::SeqCst) {
                return;
            }
            let now = origin.elapsed();
            // Progress is anything happening: a heartbeat tick, a blur
            // starting or ending, a download or save starting or ending.
            // A runtime held by one blur after another (a wrong model on a
            // crowded machine) is slow, not stuck: each blur is progress.
            let quiet = self
                .beat
                .since_last_tick()
                .min(self.probe.progress().quiet)
                .min(now.saturating_sub(last_event(&self.recorder)));
            // A poll that holds the thread silences the heartbeat too, a
            // little before the poll itself is that old.
            let in_long_poll = self
                .polls
                .polling_for()
                .is_some_and(|d| d >= STUCK_AFTER / 2);
            let stuck = if quiet >= STUCK_AFTER && in_long_poll {
                Some((Stuck::InOnePoll, quiet))
            } else if quiet >= STUCK_AFTER {
                Some((Stuck::RuntimeHeld, quiet))
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
            let downloads = downloads_of(&self.recorder);
            let blurs = self.probe.calls();
            let held = match stuck {
                Stuck::NotFinished => Vec::new(),
                _ => vec![Stretch {
                    start: now.saturating_sub(stuck_for),
                    end: now,
                }],
            };
            let hang = Hang {
                stuck,
                stuck_for,
                images: self.images,
                downloaded: downloads.iter().filter(|d| d.real_end.is_some()).count(),
                blurred: blurs.len(),
                saved: self.store.saved().len(),
                timeline: drawing(&downloads, &blurs, self.runtime_thread, &held, now),
            };
            grading::harness::conclude((self.on_hang)(&hang));
        }
    }
}

/// What every download's label starts with (lab's `download_label`).
const DOWNLOAD: &str = "download ";

/// When the recorder last saw a call start or end, from its origin.
fn last_event(recorder: &Recorder) -> Duration {
    recorder
        .calls()
        .iter()
        .map(|c| c.real_end.unwrap_or(c.real_start))
        .max()
        .unwrap_or_default()
}

/// What every save's label starts with (lab's `save_label`).
const SAVE: &str = "save ";

/// The downloads among the recorder's calls.
fn downloads_of(recorder: &Recorder) -> Vec<CallRecord> {
    recorder
        .calls()
        .into_iter()
        .filter(|c| c.label.starts_with(DOWNLOAD))
        .collect()
}

/// Runs the learner's `pipeline` on `batch`, on a current-thread runtime
/// with a real clock, beside a heartbeat, with the CPU probe installed. If
/// the run stops making progress, the watchdog ends the check with
/// `on_hang`'s verdict and this never returns.
///
/// # Panics
///
/// If the runtime cannot be built, or if the learner's code panics (the
/// harness reports it, with tokio's panics explained).
pub fn run(batch: &Batch, on_hang: fn(&Hang) -> Verdict) -> PipelineRun {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name(BLOCKING_POOL)
        .build()
        .expect("a current-thread tokio runtime");
    let runtime_thread = std::thread::current().id();
    let done = Arc::new(AtomicBool::new(false));
    // The probe logs every kernel call from now on, from every thread: the
    // grader blurs nothing until it is uninstalled. The recorder is made
    // right after it, so their clocks start within microseconds.
    let probe = Probe::new();
    let installed = probe.install();
    let run = runtime.block_on(async {
        let recorder = Recorder::new();
        let origin = recorder.real_origin();
        let listings = batch
            .images
            .iter()
            .map(|p| (p.id, p.image.clone(), p.latency))
            .collect();
        let server = Server::new(recorder.clone(), listings);
        let store = Store::new(recorder.clone(), SAVE_LATENCY);
        let _done = Done(done.clone());
        let (beat, heartbeat) = BusyBeat::spawn(origin);
        let busy_at_start = busy_now();
        let pipeline = subject::pipeline(server, store.clone(), batch.radius);
        let (timed, polls) = PollTimer::new(pipeline, origin);
        let watched = Watched {
            done: done.clone(),
            images: batch.images.len(),
            polls: polls.clone(),
            beat: beat.clone(),
            recorder: recorder.clone(),
            store: store.clone(),
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
        timed.await;
        let real_elapsed = origin.elapsed();
        // tokio publishes the busy time when its worker parks: let it park
        // once more, so the pipeline's last polls are counted.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let busy_total = busy_now().saturating_sub(busy_at_start);
        heartbeat.abort();
        let stretches = holds(&polls, &beat);
        PipelineRun {
            runtime_thread,
            downloads: downloads_of(&recorder),
            saves: recorder
                .calls()
                .into_iter()
                .filter(|c| c.label.starts_with(SAVE))
                .collect(),
            saved: store.saved(),
            blurs: Vec::new(),
            longest_poll: polls.longest_poll(),
            heartbeat_worst: beat.worst_late(),
            busiest_gap: beat.busiest_gap(),
            busy_total,
            stretches,
            real_elapsed,
        }
    });
    drop(installed);
    // Blurs the pipeline left running may still log calls until the
    // runtime is gone: read the probe now, and do not wait for them.
    let run = PipelineRun {
        blurs: probe.calls(),
        ..run
    };
    runtime.shutdown_background();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefixes this grader sorts the recorder's calls by are lab's.
    #[test]
    fn labels_are_labs() {
        assert!(lab::gallery::download_label(17).starts_with(DOWNLOAD));
        assert!(lab::gallery::save_label(17).starts_with(SAVE));
    }
}
