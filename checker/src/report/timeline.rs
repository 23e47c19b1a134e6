//! Draws a timeline as bars, one lane per line.
//!
//! ```text
//!   user     ██████████▏
//!   posts    ████████████████████
//!   friends  ██████████████████████████████
//!            0 ms                     300 ms simulated
//! ```

use grading::timeline::{Clock, Timeline};

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
    //! Snapshots of the drawings a learner sees under a check. The data is
    //! built the way the graders build it, from lab's own records.

    use std::collections::HashMap;
    use std::thread::ThreadId;
    use std::time::Duration;

    use grading::timeline::{from_calls, from_kernel_calls};
    use lab::cpu::KernelCall;
    use lab::io::CallRecord;

    use super::draw;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn call(label: &str, start: u64, end: u64) -> CallRecord {
        CallRecord {
            label: label.into(),
            virtual_start: ms(start),
            virtual_end: Some(ms(end)),
            real_start: Duration::ZERO,
            real_end: Some(Duration::ZERO),
            thread: std::thread::current().id(),
            thread_name: None,
            task: None,
            cancelled: false,
        }
    }

    /// Rows `rows` blurred back to back by `thread`, 2 ms each from `start`.
    fn rows(thread: ThreadId, rows: std::ops::Range<usize>, start: u64) -> Vec<KernelCall> {
        rows.enumerate()
            .map(|(i, item)| KernelCall {
                item,
                thread,
                thread_name: None,
                rayon_index: None,
                pool_threads: None,
                cpu: ms(2),
                real_start: ms(start + 2 * i as u64),
                real_end: ms(start + 2 * i as u64 + 2),
            })
            .collect()
    }

    fn other_thread() -> ThreadId {
        std::thread::spawn(|| std::thread::current().id())
            .join()
            .unwrap()
    }

    fn render(lines: Vec<String>) -> String {
        lines.join("\n")
    }

    /// Exercise 02 awaited in a row: three lanes, end to end.
    #[test]
    fn fetches_one_after_another() {
        let calls = [
            call("user", 0, 100),
            call("posts", 100, 300),
            call("friends", 300, 600),
        ];
        let drawing = draw(&from_calls(&calls, ms(600)), "  ", None, false);
        insta::assert_snapshot!(render(drawing));
    }

    /// Exercise 02 joined: three lanes starting together.
    #[test]
    fn fetches_overlapping() {
        let calls = [
            call("user", 0, 100),
            call("posts", 0, 200),
            call("friends", 0, 300),
        ];
        let drawing = draw(&from_calls(&calls, ms(300)), "  ", None, false);
        insta::assert_snapshot!(render(drawing));
    }

    /// The same in ASCII, fitted to a 60-column screen.
    #[test]
    fn fetches_overlapping_ascii_narrow() {
        let calls = [
            call("user", 0, 100),
            call("posts", 0, 200),
            call("friends", 0, 300),
        ];
        let drawing = draw(&from_calls(&calls, ms(300)), "  ", Some(60), true);
        insta::assert_snapshot!(render(drawing));
    }

    /// Exercise 06 on one thread: one lane, busy the whole time.
    #[test]
    fn blur_on_one_thread() {
        let one = std::thread::current().id();
        let labels = HashMap::from([(one, "the calling thread".to_string())]);
        let drawing = draw(
            &from_kernel_calls(&rows(one, 0..40, 0), &labels),
            "  ",
            None,
            false,
        );
        insta::assert_snapshot!(render(drawing));
    }

    /// Exercise 06 on two threads: two lanes, busy at the same time, done in
    /// half the time.
    #[test]
    fn blur_on_two_threads() {
        let (a, b) = (std::thread::current().id(), other_thread());
        let labels = HashMap::from([
            (a, "rayon worker 0".to_string()),
            (b, "rayon worker 1".to_string()),
        ]);
        let mut calls = rows(a, 0..20, 0);
        calls.extend(rows(b, 20..40, 0));
        let drawing = draw(&from_kernel_calls(&calls, &labels), "  ", None, false);
        insta::assert_snapshot!(render(drawing));
    }
}
