//! Pure arithmetic on schedules: the makespan of `limit` slots kept busy,
//! what a learner's run did with its slots, and a drawing of those slots.
//! No clock, no learner code: every function is unit-tested below.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use protocol::timeline::{Clock, Lane, Span, Timeline};

/// What `limit` slots kept busy achieve on a list of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// When the last fetch ends.
    pub makespan: Duration,
    /// The most fetches one slot runs one after another: each may round
    /// up by a millisecond on tokio's clock, so this many ms is the
    /// tolerance.
    pub steps: usize,
}

/// The list schedule: each fetch, in input order, takes the slot that
/// frees first, the moment it frees. That is what "at most `limit` in
/// flight, and a free slot never waits" means, and no order of starting
/// that keeps to the input order finishes sooner.
pub fn list_schedule(latencies: &[Duration], limit: usize) -> Schedule {
    let slots = limit.clamp(1, latencies.len().max(1));
    let mut free: BinaryHeap<Reverse<(Duration, usize)>> =
        (0..slots).map(|s| Reverse((Duration::ZERO, s))).collect();
    let mut counts = vec![0usize; slots];
    let mut makespan = Duration::ZERO;
    for &latency in latencies {
        let Reverse((at, slot)) = free.pop().expect("at least one slot");
        let end = at + latency;
        makespan = makespan.max(end);
        counts[slot] += 1;
        free.push(Reverse((end, slot)));
    }
    Schedule {
        makespan,
        steps: counts.into_iter().max().unwrap_or(0),
    }
}

/// One fetch of a run, on one clock: when it started and ended (`None`:
/// never ended, cancelled or still running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Its start.
    pub start: Duration,
    /// Its end, if it had one.
    pub end: Option<Duration>,
}

/// The first moment a slot stood empty while URLs waited to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idle {
    /// When.
    pub at: Duration,
    /// Fetches in flight then.
    pub in_flight: usize,
    /// URLs not yet started then.
    pub waiting: usize,
}

/// How a run used its slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// The first moment fewer than `limit` fetches were in flight while
    /// URLs were still waiting to start.
    pub first_idle: Option<Idle>,
    /// Empty slot-time while URLs waited: the sum, over the run, of
    /// (`limit` − in flight) × how long, whenever URLs waited.
    pub idle_total: Duration,
    /// True when the fetches started in groups, each only once nothing
    /// was in flight any more, over at least two groups: waves.
    pub waves: bool,
}

/// Sweeps the run's starts and ends in time order. After all events of
/// an instant, fewer than `limit` in flight while some of the `n` URLs
/// have not started is a slot left empty.
pub fn usage(calls: &[Interval], n: usize, limit: usize) -> Usage {
    // (time, +1 start / -1 end); ends of an instant before its starts, so
    // that "nothing in flight just before these starts" can be read off.
    let mut events: Vec<(Duration, i8)> = Vec::with_capacity(calls.len() * 2);
    for call in calls {
        events.push((call.start, 1));
        if let Some(end) = call.end {
            events.push((end, -1));
        }
    }
    events.sort();
    let mut usage = Usage::default();
    let (mut in_flight, mut started) = (0usize, 0usize);
    let mut start_instants = 0usize;
    let mut every_start_after_empty = true;
    let mut i = 0;
    while i < events.len() {
        let at = events[i].0;
        let mut starts_here = 0;
        while i < events.len() && events[i].0 == at && events[i].1 < 0 {
            in_flight = in_flight.saturating_sub(1);
            i += 1;
        }
        let before_starts = in_flight;
        while i < events.len() && events[i].0 == at {
            in_flight += 1;
            started += 1;
            starts_here += 1;
            i += 1;
        }
        if starts_here > 0 {
            start_instants += 1;
            if start_instants > 1 && before_starts > 0 {
                every_start_after_empty = false;
            }
        }
        let waiting = n.saturating_sub(started);
        if waiting > 0 && in_flight < limit {
            if usage.first_idle.is_none() {
                usage.first_idle = Some(Idle {
                    at,
                    in_flight,
                    waiting,
                });
            }
            if let Some(&(next, _)) = events.get(i) {
                usage.idle_total += (next - at) * (limit - in_flight) as u32;
            }
        }
    }
    usage.waves = start_instants >= 2 && every_start_after_empty;
    usage
}

/// The most slots drawn one per lane; the rest share the last lane.
const DRAWN_SLOTS: usize = 7;

/// The run as slots: each fetch, by start, goes to the first lane free
/// at its start, so a run with `limit` in flight fills `limit` lanes and
/// an empty slot shows as a gap. Only `[0, window]` is drawn; lanes past
/// the seventh are drawn as one.
pub fn slot_timeline(
    calls: &[Interval],
    run_end: Duration,
    window: Duration,
    clock: Clock,
) -> Timeline {
    let window = window.min(run_end);
    let mut sorted: Vec<Interval> = calls.to_vec();
    sorted.sort_by_key(|c| c.start);
    let mut lane_free: Vec<Duration> = Vec::new();
    let mut spans: Vec<Vec<Span>> = Vec::new();
    for call in sorted {
        let end = call.end.unwrap_or(run_end);
        let lane = match lane_free.iter().position(|free| *free <= call.start) {
            Some(lane) => lane,
            None => {
                lane_free.push(Duration::ZERO);
                spans.push(Vec::new());
                lane_free.len() - 1
            }
        };
        lane_free[lane] = end;
        if call.start < window {
            spans[lane].push(Span {
                start_ms: call.start.as_secs_f64() * 1000.0,
                end_ms: end.min(window).as_secs_f64() * 1000.0,
            });
        }
    }
    let total = spans.len();
    let mut lanes: Vec<Lane> = Vec::new();
    for (i, lane_spans) in spans.into_iter().enumerate() {
        if i < DRAWN_SLOTS || total == DRAWN_SLOTS + 1 {
            lanes.push(Lane {
                label: format!("slot {}", i + 1),
                spans: lane_spans,
            });
        } else if i == DRAWN_SLOTS {
            lanes.push(Lane {
                label: format!("slots {}-{total}", i + 1),
                spans: lane_spans,
            });
        } else if let Some(last) = lanes.last_mut() {
            last.spans.extend(lane_spans);
        }
    }
    Timeline {
        clock,
        lanes: lanes.into_iter().map(Lane::merged).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn iv(start: u64, end: u64) -> Interval {
        Interval {
            start: ms(start),
            end: Some(ms(end)),
        }
    }

    /// Two slots, [300, 100, 100, 100]: the short ones share one slot
    /// while the long one runs, 300 ms in all.
    #[test]
    fn the_list_schedule_fills_the_slot_that_frees_first() {
        let l = [ms(300), ms(100), ms(100), ms(100)];
        assert_eq!(
            list_schedule(&l, 2),
            Schedule {
                makespan: ms(300),
                steps: 3
            }
        );
        assert_eq!(list_schedule(&l, 1).makespan, ms(600));
        assert_eq!(list_schedule(&l, 1_000).makespan, ms(300));
        assert_eq!(list_schedule(&l, 1_000).steps, 1);
        assert_eq!(list_schedule(&[], 3).makespan, Duration::ZERO);
    }

    /// A run that refills each slot at once never leaves one empty.
    #[test]
    fn a_busy_run_has_no_idle_slot() {
        let calls = [iv(0, 300), iv(0, 100), iv(100, 200), iv(200, 300)];
        let u = usage(&calls, 4, 2);
        assert_eq!(u.first_idle, None);
        assert_eq!(u.idle_total, Duration::ZERO);
        assert!(!u.waves);
    }

    /// Waves of two: the second wave starts only when both of the first
    /// have ended.
    #[test]
    fn waves_are_seen_with_their_idle_time() {
        let calls = [iv(0, 300), iv(0, 100), iv(300, 400), iv(300, 500)];
        let u = usage(&calls, 4, 2);
        assert!(u.waves);
        assert_eq!(
            u.first_idle,
            Some(Idle {
                at: ms(100),
                in_flight: 1,
                waiting: 2
            })
        );
        assert_eq!(u.idle_total, ms(200));
    }

    /// A slot held by a finished fetch (head of line): not waves, idle.
    #[test]
    fn a_slot_held_behind_a_slow_fetch_is_idle() {
        let calls = [iv(0, 300), iv(0, 100), iv(300, 400), iv(300, 400)];
        let u = usage(&calls, 4, 2);
        // At 300 the first wave's last ends and both start: looks like
        // waves, because the slow fetch was the head.
        assert!(u.waves);
        let calls = [iv(0, 300), iv(0, 100), iv(100, 400), iv(300, 350)];
        let u = usage(&calls, 4, 2);
        assert!(!u.waves);
        assert_eq!(u.first_idle, None);
        let calls = [iv(0, 300), iv(0, 100), iv(150, 400), iv(300, 350)];
        let u = usage(&calls, 4, 2);
        assert!(!u.waves);
        assert_eq!(u.first_idle.map(|i| i.at), Some(ms(100)));
        assert_eq!(u.idle_total, ms(50));
    }

    /// One after another: one slot of a limit of three, all the time.
    #[test]
    fn one_at_a_time_leaves_slots_empty() {
        let calls = [iv(0, 100), iv(100, 200), iv(200, 300)];
        let u = usage(&calls, 3, 3);
        assert_eq!(u.first_idle.map(|i| i.in_flight), Some(1));
        assert_eq!(u.idle_total, ms(400));
    }

    /// Lanes past the seventh share one; spans past the window are cut.
    #[test]
    fn slots_are_drawn_in_at_most_eight_lanes() {
        let calls: Vec<Interval> = (0..20).map(|_| iv(0, 500)).collect();
        let t = slot_timeline(&calls, ms(500), ms(200), Clock::Virtual);
        assert_eq!(t.lanes.len(), 8);
        assert_eq!(t.lanes[7].label, "slots 8-20");
        assert_eq!(t.lanes[0].spans[0].end_ms, 200.0);
        let calls = [iv(0, 100), iv(100, 200), iv(0, 50)];
        let t = slot_timeline(&calls, ms(200), ms(1_000), Clock::Virtual);
        assert_eq!(t.lanes.len(), 2);
        assert_eq!(t.lanes[0].spans.len(), 1, "touching spans merge");
    }
}
