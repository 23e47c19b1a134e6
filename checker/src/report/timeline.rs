//! Draws a timeline as bars, one lane per line.
//!
//! ```text
//!   user     ██████████▏
//!   posts    ████████████████████
//!   friends  ██████████████████████████████
//!            0 ms                     300 ms simulated
//! ```

use grading::timeline::{Clock, Timeline};

/// Columns of the bar area.
const WIDTH: usize = 40;
/// The most lanes drawn; the rest are summarised in one line.
const MAX_LANES: usize = 8;

/// The timeline as lines of text, each starting with `indent`.
pub fn draw(timeline: &Timeline, indent: &str) -> Vec<String> {
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
    let mut lines = Vec::new();
    for lane in timeline.lanes.iter().take(MAX_LANES) {
        let mut cells = vec![' '; WIDTH];
        for span in &lane.spans {
            let (from, to) = columns(span.start_ms, span.end_ms, end);
            for cell in &mut cells[from..to] {
                *cell = '█';
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
            "{indent}… and {} more lanes",
            timeline.lanes.len() - MAX_LANES
        ));
    }
    let clock = match timeline.clock {
        Clock::Virtual => "simulated",
        Clock::Real => "real time",
    };
    let right = format!("{:.0} ms {clock}", end);
    let gap = WIDTH.saturating_sub(4 + right.len()).max(1);
    lines.push(format!(
        "{indent}{:<label_width$}  0 ms{}{right}",
        "",
        " ".repeat(gap)
    ));
    lines
}

/// The bar cells a span covers; at least one, so short spans stay visible.
fn columns(start: f64, end: f64, total: f64) -> (usize, usize) {
    if total <= 0.0 {
        return (0, 1);
    }
    let scale = WIDTH as f64 / total;
    let from = ((start * scale).floor() as usize).min(WIDTH - 1);
    let to = ((end * scale).round() as usize).clamp(from + 1, WIDTH);
    (from, to)
}
