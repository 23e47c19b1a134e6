//! Instruments for async code on a current-thread runtime with a *real*
//! clock: the twin of [`super::run_paused`] for exercises whose work costs
//! CPU time, which tokio's paused clock cannot see (a hash or a blur takes
//! no simulated time at all).
//!
//! On the real clock a busy machine makes a healthy heartbeat late too,
//! when the operating system runs other threads first. So the heartbeat
//! here also reads, at each tick, how long tokio's worker was *busy*
//! running tasks since the last one
//! (`RuntimeMetrics::worker_total_busy_duration`): a thread waiting for a
//! core is late but not busy; a thread inside a blocking sleep, a hash or
//! a blur is busy. Holds are judged on that busy time, never on lateness.
//!
//! A grader runs its body beside a [`BusyBeat`], wraps the body in
//! `lab::stall::PollTimer`, and its watchdog reads both; [`holds`] merges
//! what the two saw into the stretches the thread was held.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use lab::stall::{PollStats, Stretch};

/// How often the heartbeat ticks. Real time: a healthy tick is at most a
/// millisecond or so late.
pub const HEARTBEAT_PERIOD: Duration = Duration::from_millis(5);
/// The shortest busy stretch counted as a hold, and the shortest poll:
/// correct code keeps the thread busy for microseconds at a time.
pub const HOLD: Duration = Duration::from_millis(2);

/// What the heartbeat task shares with the run and its watchdog.
#[derive(Debug)]
pub struct BusyBeat {
    origin: Instant,
    /// Nanoseconds since `origin` of the latest tick.
    last_tick: AtomicU64,
    worst_late: AtomicU64,
    busiest_gap: AtomicU64,
    held: std::sync::Mutex<Vec<Stretch>>,
}

impl BusyBeat {
    /// Spawns the heartbeat on the current runtime (which must have one
    /// worker): a task that wakes every [`HEARTBEAT_PERIOD`] and notes how
    /// late it woke and how busy the worker was in the gap. A gap in which
    /// the worker was busy for a [`HOLD`] or more is a stretch the thread
    /// was held, drawn as ending at the tick. Abort the task when the run
    /// ends.
    pub fn spawn(origin: Instant) -> (Arc<BusyBeat>, tokio::task::JoinHandle<()>) {
        let beat = Arc::new(BusyBeat {
            origin,
            last_tick: AtomicU64::new(nanos(origin.elapsed())),
            worst_late: AtomicU64::new(0),
            busiest_gap: AtomicU64::new(0),
            held: std::sync::Mutex::new(Vec::new()),
        });
        let shared = beat.clone();
        let task = tokio::spawn(async move {
            let mut last = shared.origin.elapsed();
            let mut busy_before = busy_now();
            loop {
                tokio::time::sleep(HEARTBEAT_PERIOD).await;
                let now = shared.origin.elapsed();
                let busy = busy_now();
                let late = now.saturating_sub(last).saturating_sub(HEARTBEAT_PERIOD);
                // tokio publishes the busy time when it parks, so a reading
                // can carry a little from before the previous tick: never
                // more than the gap itself.
                let gap_busy = busy
                    .saturating_sub(busy_before)
                    .min(now.saturating_sub(last));
                (last, busy_before) = (now, busy);
                shared.last_tick.store(nanos(now), Ordering::SeqCst);
                shared.worst_late.fetch_max(nanos(late), Ordering::SeqCst);
                shared
                    .busiest_gap
                    .fetch_max(nanos(gap_busy), Ordering::SeqCst);
                if gap_busy >= HOLD {
                    lock(&shared.held).push(Stretch {
                        start: now.saturating_sub(gap_busy),
                        end: now,
                    });
                }
            }
        });
        (beat, task)
    }

    /// Real time since the latest tick (or since the start).
    pub fn since_last_tick(&self) -> Duration {
        let last = Duration::from_nanos(self.last_tick.load(Ordering::SeqCst));
        self.origin.elapsed().saturating_sub(last)
    }

    /// The latest the heartbeat woke, in real time (a busy machine counts).
    pub fn worst_late(&self) -> Duration {
        Duration::from_nanos(self.worst_late.load(Ordering::SeqCst))
    }

    /// Of the gaps between ticks, the most the worker was busy in one: the
    /// longest the heartbeat was kept waiting by the thread itself.
    pub fn busiest_gap(&self) -> Duration {
        Duration::from_nanos(self.busiest_gap.load(Ordering::SeqCst))
    }

    /// The gaps in which the worker was busy for a [`HOLD`] or more.
    pub fn held(&self) -> Vec<Stretch> {
        lock(&self.held).clone()
    }
}

/// How long the current runtime's only worker has been busy running tasks,
/// as of its latest park (tokio publishes the figure when it parks).
///
/// # Panics
///
/// Outside a tokio runtime.
pub fn busy_now() -> Duration {
    tokio::runtime::Handle::current()
        .metrics()
        .worker_total_busy_duration(0)
}

/// The stretches the thread was held, from both instruments, merged: the
/// polls of the body that took a [`HOLD`] or more, and the heartbeat's
/// busy gaps.
pub fn holds(polls: &PollStats, beat: &BusyBeat) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = polls
        .stretches()
        .into_iter()
        .filter(|s| s.len() >= HOLD)
        .collect();
    stretches.extend(beat.held());
    merge(stretches)
}

/// Sorts and joins overlapping stretches.
pub fn merge(mut stretches: Vec<Stretch>) -> Vec<Stretch> {
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

/// Sets its flag when dropped, so a watchdog stops whether the run
/// returned or panicked.
#[derive(Debug)]
pub struct Done(pub Arc<AtomicBool>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Locks `mutex`, whether or not a panic poisoned it.
pub fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
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

    #[test]
    fn stretches_merge_where_they_overlap() {
        assert_eq!(
            merge(vec![s(50, 90), s(0, 30), s(20, 40)]),
            vec![s(0, 40), s(50, 90)]
        );
        assert_eq!(merge(Vec::new()), Vec::new());
    }

    /// A blocking sleep in the body holds the thread: `holds` reports it
    /// (the poll timer sees it whole); an awaited sleep of the same length
    /// is no hold, and the heartbeat keeps ticking through it.
    #[test]
    fn a_blocked_thread_is_a_hold_and_an_awaited_wait_is_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let origin = Instant::now();
        let (awaited, blocked) = runtime.block_on(async {
            let (beat, task) = BusyBeat::spawn(origin);
            let (timed, polls) =
                lab::stall::PollTimer::new(tokio::time::sleep(Duration::from_millis(60)), origin);
            timed.await;
            let awaited = holds(&polls, &beat);
            let (timed, polls) = lab::stall::PollTimer::new(
                async { std::thread::sleep(Duration::from_millis(60)) },
                origin,
            );
            timed.await;
            task.abort();
            (awaited, holds(&polls, &beat))
        });
        assert!(awaited.is_empty(), "awaited: {awaited:?}");
        assert!(
            blocked.iter().any(|s| s.len() >= Duration::from_millis(60)),
            "blocked: {blocked:?}"
        );
    }
}
