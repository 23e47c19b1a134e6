//! Draws a timeline as bars, one lane per line, over a time axis.
//!
//! ```text
//!   user            █████████████
//!   posts           ███████████████████████████
//!   friends         ████████████████████████████████████████
//!                   ┬────────────┬─────────────┬────────────┬
//!   simulated time  0 ms         100           200          300 ms
//! ```
//!
//! The axis ends at a round number at or after the last span, so every
//! tick falls on a round time and a bar can be read against the ticks.

use protocol::timeline::{Clock, Timeline};

use super::escape;

/// Columns of the bar area when the width of the screen is unknown.
pub const DEFAULT_WIDTH: usize = 40;
/// The narrowest bar area drawn, however narrow the screen.
const MIN_WIDTH: usize = 20;
/// The most lanes drawn; the rest are summarised in one line.
const MAX_LANES: usize = 8;
/// Room kept right of the bars for the last tick's label (`1000 ms`).
const AXIS_TAIL: usize = 7;

/// The timeline as lines of text, each starting with `indent`, fitting in
/// `columns` (the screen's width), with Unicode blocks or, if `ascii`, `#`.
pub fn draw(timeline: &Timeline, indent: &str, columns: Option<usize>, ascii: bool) -> Vec<String> {
    let end = timeline
        .lanes
        .iter()
        .flat_map(|lane| lane.spans.iter().map(|s| s.end_ms))
        .fold(0.0_f64, f64::max);
    // Lane labels name threads, which learner code may name: escaped.
    let labels: Vec<String> = timeline
        .lanes
        .iter()
        .take(MAX_LANES)
        .map(|l| escape::controls(&l.label).into_owned())
        .collect();
    let clock = clock_name(timeline.clock);
    let label_width = labels
        .iter()
        .map(|l| l.chars().count())
        .chain(std::iter::once(clock.chars().count()))
        .max()
        .unwrap_or(0);
    let fit = |tail: usize| {
        columns.map_or(DEFAULT_WIDTH, |c| {
            c.saturating_sub(indent.chars().count() + label_width + 2 + tail)
                .max(MIN_WIDTH)
        })
    };
    let mut width = fit(AXIS_TAIL);
    let mut axis = Axis::new(end, width);
    // A last label longer than the room kept for it: make the bars shorter.
    if columns.is_some() && axis.last_label_len() > AXIS_TAIL {
        width = fit(axis.last_label_len());
        axis = Axis::new(end, width);
    }

    let block = if ascii { '#' } else { '█' };
    let mut lines = Vec::new();
    for (lane, label) in timeline.lanes.iter().zip(&labels) {
        let mut cells = vec![' '; width];
        for span in &lane.spans {
            let (from, to) = cells_of(span.start_ms, span.end_ms, axis.end, width);
            for cell in &mut cells[from..to] {
                *cell = block;
            }
        }
        let bar: String = cells.into_iter().collect();
        lines.push(format!("{indent}{label:<label_width$}  {}", bar.trim_end()));
    }
    if timeline.lanes.len() > MAX_LANES {
        lines.push(format!(
            "{indent}... and {} more lanes",
            timeline.lanes.len() - MAX_LANES
        ));
    }
    let (ticks, numbers) = axis.render(width, ascii);
    lines.push(format!("{indent}{:<label_width$}  {ticks}", ""));
    lines.push(format!("{indent}{clock:<label_width$}  {numbers}"));
    lines
}

/// What the spans' clock is called under the drawing.
fn clock_name(clock: Clock) -> &'static str {
    match clock {
        Clock::Virtual => "simulated time",
        Clock::Real => "real time",
    }
}

/// A time axis from 0 to `end`: `intervals` steps of `step` ms.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    /// Where the axis ends, in ms: `intervals * step`.
    end: f64,
    step: f64,
    intervals: usize,
    /// Decimals the tick values need (`0.5` needs one).
    decimals: usize,
}

impl Axis {
    /// The axis with the most ticks whose labels still have room between
    /// them on `width` cells, each tick a round number (1, 2 or 5 times a
    /// power of ten), the last at or after `last`.
    fn new(last: f64, width: usize) -> Axis {
        let last = if last > 0.0 { last } else { 1.0 };
        let mut fallback = None;
        for exponent in -3..=12_i32 {
            for mantissa in [1.0, 2.0, 5.0] {
                let step = mantissa * 10f64.powi(exponent);
                // The small allowance keeps 300.0000001 from opening a tick.
                let intervals = ((last / step) - 1e-9).ceil().max(1.0) as usize;
                let axis = Axis {
                    end: intervals as f64 * step,
                    step,
                    intervals,
                    decimals: usize::try_from(-exponent).unwrap_or(0),
                };
                let widest = axis.value(intervals).len().max("0 ms".len());
                if width / intervals >= widest + 3 {
                    return axis;
                }
                fallback = Some(axis);
                if intervals == 1 {
                    // One interval is as few ticks as there can be.
                    return axis;
                }
            }
        }
        fallback.expect("the loop ran")
    }

    /// Tick `i`'s time, as written under it.
    fn value(&self, i: usize) -> String {
        format!("{:.*}", self.decimals, i as f64 * self.step)
    }

    fn last_label_len(&self) -> usize {
        self.value(self.intervals).len() + " ms".len()
    }

    /// The tick line and the numbers under it, for bars `width` cells wide.
    /// Tick `i` sits in the cell where time `i * step` begins; the last one
    /// just right of the bars.
    fn render(&self, width: usize, ascii: bool) -> (String, String) {
        let (mark, rule) = if ascii { ('+', '-') } else { ('┬', '─') };
        let at = |i: usize| (i as f64 * width as f64 / self.intervals as f64).round() as usize;
        let mut ticks = vec![rule; width + 1];
        let mut numbers = String::new();
        for i in 0..=self.intervals {
            let column = at(i);
            ticks[column] = mark;
            let mut label = self.value(i);
            if i == 0 || i == self.intervals {
                label.push_str(" ms");
            }
            // Labels never overlap: one that would is left out.
            let used = numbers.chars().count();
            if column >= used + usize::from(used > 0) {
                numbers.push_str(&" ".repeat(column - used));
                numbers.push_str(&label);
            }
        }
        (ticks.into_iter().collect(), numbers)
    }
}

/// The bar cells a span covers; at least one, so short spans stay visible.
fn cells_of(start: f64, end: f64, total: f64, width: usize) -> (usize, usize) {
    if total <= 0.0 {
        return (0, 1);
    }
    let scale = width as f64 / total;
    let from = ((start * scale).floor() as usize).min(width - 1);
    let to = ((end * scale).round() as usize).clamp(from + 1, width);
    (from, to)
}

#[cfg(test)]
mod tests {
    //! Snapshots of the drawings a learner sees under a check, from
    //! timelines shaped as the graders send them: one lane per call on the
    //! virtual clock, or one lane per thread on the real clock.

    use protocol::timeline::{Clock, Lane, Span, Timeline};

    use super::{Axis, draw};

    /// One lane per simulated call, each `(label, start ms, end ms)`.
    fn calls(calls: &[(&str, f64, f64)]) -> Timeline {
        Timeline {
            clock: Clock::Virtual,
            lanes: calls
                .iter()
                .map(|&(label, start_ms, end_ms)| Lane {
                    label: label.into(),
                    spans: vec![Span { start_ms, end_ms }],
                })
                .collect(),
        }
    }

    /// One lane per thread, each busy over `(label, start ms, end ms)`.
    fn threads(threads: &[(&str, f64, f64)]) -> Timeline {
        Timeline {
            clock: Clock::Real,
            ..calls(threads)
        }
    }

    fn render(lines: Vec<String>) -> String {
        lines.join("\n")
    }

    /// Exercise 02 awaited in a row: three lanes, end to end.
    #[test]
    fn fetches_one_after_another() {
        let timeline = calls(&[
            ("user", 0.0, 100.0),
            ("posts", 100.0, 300.0),
            ("friends", 300.0, 600.0),
        ]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", None, false)));
    }

    /// Exercise 02 joined: three lanes starting together.
    #[test]
    fn fetches_overlapping() {
        let timeline = calls(&[
            ("user", 0.0, 100.0),
            ("posts", 0.0, 200.0),
            ("friends", 0.0, 300.0),
        ]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", None, false)));
    }

    /// The same in ASCII, fitted to a 60-column screen.
    #[test]
    fn fetches_overlapping_ascii_narrow() {
        let timeline = calls(&[
            ("user", 0.0, 100.0),
            ("posts", 0.0, 200.0),
            ("friends", 0.0, 300.0),
        ]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", Some(60), true)));
    }

    /// Exercise 06 on one thread: one lane, busy the whole time (40 rows
    /// of 2 ms).
    #[test]
    fn blur_on_one_thread() {
        let timeline = threads(&[("the calling thread", 0.0, 80.0)]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", None, false)));
    }

    /// Exercise 06 on two threads: two lanes, busy at the same time, done in
    /// half the time.
    #[test]
    fn blur_on_two_threads() {
        let timeline = threads(&[("rayon worker 0", 0.0, 40.0), ("rayon worker 1", 0.0, 40.0)]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", None, false)));
    }

    /// Fetches that ran past a round number: the axis goes on to the next
    /// tick, and the bars are drawn to that scale.
    #[test]
    fn fetches_past_a_round_number() {
        let timeline = calls(&[
            ("user", 0.0, 108.0),
            ("posts", 108.0, 411.0),
            ("friends", 411.0, 618.0),
        ]);
        insta::assert_snapshot!(render(draw(&timeline, "  ", None, false)));
    }

    /// Ticks are round, as many as leave room for their labels, and the
    /// axis ends at or after the last span.
    #[test]
    fn axis_ticks_are_round_and_have_room() {
        let axis = |last, width| {
            let a = Axis::new(last, width);
            (a.step, a.intervals, a.end)
        };
        assert_eq!(axis(300.0, 40), (100.0, 3, 300.0));
        assert_eq!(axis(618.0, 40), (200.0, 4, 800.0));
        assert_eq!(axis(80.0, 40), (20.0, 4, 80.0));
        assert_eq!(axis(300.0, 100), (50.0, 6, 300.0));
        assert_eq!(axis(0.0, 40), (0.2, 5, 1.0));
        let small = Axis::new(0.35, 40);
        assert_eq!(small.value(small.intervals), "0.4");
        assert!(axis(1e6, 20).1 <= 2);
    }

    /// The clock's name comes from the timeline: real-clock spans are never
    /// called simulated.
    #[test]
    fn the_clock_is_named_from_the_data() {
        let real = render(draw(&threads(&[("main", 0.0, 5.0)]), "", None, true));
        assert!(real.contains("real time"), "{real}");
        assert!(!real.contains("simulated"), "{real}");
        let simulated = render(draw(&calls(&[("user", 0.0, 5.0)]), "", None, true));
        assert!(simulated.contains("simulated time"), "{simulated}");
    }

    /// Every line fits the screen it is drawn for, ticks included (on
    /// screens wide enough for the narrowest bars).
    #[test]
    fn every_line_fits_the_screen() {
        let timeline = calls(&[("user", 0.0, 100.0), ("friends", 0.0, 12_345.0)]);
        for columns in [52, 60, 80, 132] {
            for line in draw(&timeline, "        ", Some(columns), false) {
                assert!(line.chars().count() <= columns, "{columns}: {line:?}");
            }
        }
    }

    /// A thread name with an escape sequence is shown escaped.
    #[test]
    fn lane_labels_are_escaped() {
        let timeline = threads(&[("evil\x1b[2J", 0.0, 5.0)]);
        let drawn = render(draw(&timeline, "", None, true));
        assert!(drawn.contains("evil\\x1b[2J"), "{drawn}");
        assert!(!drawn.contains('\x1b'), "{drawn}");
    }
}
