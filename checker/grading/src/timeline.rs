//! Timelines of the learner's own run, as data.
//!
//! A timeline is a set of lanes, each with spans of activity on one clock.
//! Async checks draw one lane per simulated call on the virtual clock;
//! parallel checks draw one lane per thread on the real clock. The reports
//! turn them into bars.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::Duration;

use lab::cpu::KernelCall;
use lab::io::CallRecord;
use serde::{Deserialize, Serialize};

/// Which clock the spans are measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// tokio's paused clock: simulated waiting, exact.
    Virtual,
    /// The wall clock.
    Real,
}

/// One interval of activity, in milliseconds from the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Start, in ms.
    pub start_ms: f64,
    /// End, in ms.
    pub end_ms: f64,
}

impl Eq for Span {}

/// One row of the drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// What the lane shows: a call's label or a thread's name.
    pub label: String,
    /// When it was active.
    pub spans: Vec<Span>,
}

/// A drawing of the learner's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// The clock of every span.
    pub clock: Clock,
    /// The lanes, top to bottom.
    pub lanes: Vec<Lane>,
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One lane per simulated call, on the virtual clock. A call that never
/// finished is drawn up to `end`.
pub fn from_calls(calls: &[CallRecord], end: Duration) -> Timeline {
    let lanes = calls
        .iter()
        .map(|call| Lane {
            label: if call.cancelled {
                format!("{} (cancelled)", call.label)
            } else {
                call.label.clone()
            },
            spans: vec![Span {
                start_ms: ms_f(call.virtual_start),
                end_ms: ms_f(call.virtual_end.unwrap_or(end)),
            }],
        })
        .collect();
    Timeline {
        clock: Clock::Virtual,
        lanes,
    }
}

/// One lane per thread that ran kernel work, on the real clock, busiest
/// first. `labels` names each thread.
pub fn from_kernel_calls(calls: &[KernelCall], labels: &HashMap<ThreadId, String>) -> Timeline {
    let mut lanes: Vec<(ThreadId, Lane)> = Vec::new();
    for call in calls {
        let span = Span {
            start_ms: ms_f(call.real_start),
            end_ms: ms_f(call.real_end),
        };
        match lanes.iter_mut().find(|(id, _)| *id == call.thread) {
            Some((_, lane)) => lane.spans.push(span),
            None => lanes.push((
                call.thread,
                Lane {
                    label: labels
                        .get(&call.thread)
                        .cloned()
                        .unwrap_or_else(|| "thread".into()),
                    spans: vec![span],
                },
            )),
        }
    }
    let mut lanes: Vec<Lane> = lanes.into_iter().map(|(_, lane)| merge(lane)).collect();
    lanes.sort_by(|a, b| a.label.cmp(&b.label));
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// Joins spans that touch (a thread's consecutive rows) so the data stays
/// small.
fn merge(mut lane: Lane) -> Lane {
    lane.spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    let mut merged: Vec<Span> = Vec::new();
    for span in lane.spans {
        match merged.last_mut() {
            Some(last) if span.start_ms - last.end_ms < 0.5 => {
                last.end_ms = last.end_ms.max(span.end_ms)
            }
            _ => merged.push(span),
        }
    }
    lane.spans = merged;
    lane
}
