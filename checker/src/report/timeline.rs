//! Draws a timeline as bars, one lane per line.
//!
//! ```text
//!   user     ██████████▏
//!   posts    ████████████████████
//!   friends  ██████████████████████████████
//!            0 ms                     300 ms simulated
//! ```

use protocol::timeline::{Clock, Timeline};

/// Columns of the bar area when the width of the screen is unknown.
pub const DEFAULT_WIDTH: usize = 40;
/// The narrowest bar area drawn, however narrow the screen.
const MIN_WIDTH: usize = 20;
/// The most lanes drawn; the rest are summarised in one line.
const MAX_LANES: usize = 8;

/// The timeline as lines of text, each starting with `indent`, fitting in
/// `columns` (the screen's width), with Unicode blocks or, if `ascii`, `#`.
pub fn draw(timeline: &Timeline, indent: &str, columns: Option<usize>, ascii: bool) -> Vec<String> {
    let end = timeline
        .lanes
        .iter()
        .flat_map(|lane| lane.spans.iter().map(|s| s.end_ms))
        .fold(0.0_f64, f64::max);
    let label_width = timeline
        .lanes
        .iter()
        .take(MAX_LANES)
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0);
    let width = columns.map_or(DEFAULT_WIDTH, |c| {
        c.saturating_sub(indent.len() + label_width + 3)
            .max(MIN_WIDTH)
    });
    let block = if ascii { '#' } else { '█' };
    let mut lines = Vec::new();
    for lane in timeline.lanes.iter().take(MAX_LANES) {
        let mut cells = vec![' '; width];
        for span in &lane.spans {
            let (from, to) = cells_of(span.start_ms, span.end_ms, end, width);
            for cell in &mut cells[from..to] {
                *cell = block;
            }
        }
        let bar: String = cells.into_iter().collect();
        lines.push(format!(
            "{indent}{:<label_width$}  {}",
            lane.label,
            bar.trim_end()
        ));
    }
    if timeline.lanes.len() > MAX_LANES {
        lines.push(format!(
            "{indent}... and {} more lanes",
            timeline.lanes.len() - MAX_LANES
        ));
    }
    let clock = match timeline.clock {
        Clock::Virtual => "simulated",
        Clock::Real => "real time",
    };
    let right = format!("{:.0} ms {clock}", end);
    let gap = width.saturating_sub(4 + right.len()).max(1);
    lines.push(format!(
        "{indent}{:<label_width$}  0 ms{}{right}",
        "",
        " ".repeat(gap)
    ));
    lines
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

    use super::draw;

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
}
