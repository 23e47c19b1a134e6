//! Timelines of the learner's own run, as data.
//!
//! A timeline is a set of lanes, each with spans of activity on one clock.
//! Async checks draw one lane per simulated call on the virtual clock;
//! parallel checks draw one lane per thread on the real clock. The reports
//! turn them into bars.

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

impl Lane {
    /// Joins spans that touch (a thread's consecutive rows) so the data
    /// stays small.
    pub fn merged(mut self) -> Lane {
        self.spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let mut merged: Vec<Span> = Vec::new();
        for span in self.spans {
            match merged.last_mut() {
                Some(last) if span.start_ms - last.end_ms < 0.5 => {
                    last.end_ms = last.end_ms.max(span.end_ms)
                }
                _ => merged.push(span),
            }
        }
        self.spans = merged;
        self
    }
}
