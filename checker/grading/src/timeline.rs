//! Timelines built from lab's records: one lane per simulated call on the
//! virtual clock for async checks, one lane per thread on the real clock
//! for parallel checks. The data types are the protocol's; the reports draw
//! them.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::Duration;

use lab::cpu::KernelCall;
use lab::io::CallRecord;
use protocol::timeline::{Clock, Lane, Span, Timeline};

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
    let mut lanes: Vec<Lane> = lanes.into_iter().map(|(_, lane)| lane.merged()).collect();
    lanes.sort_by(|a, b| a.label.cmp(&b.label));
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}
