//! A timeline drawn as inline SVG for the HTML report: one lane per row,
//! each span a bar, over a time axis whose ticks fall on round numbers.
//! Every bar carries a `<title>` with its times, which a browser shows on
//! hover without any script.

use std::fmt::Write as _;

use protocol::timeline::{Clock, Timeline};

use super::html::escape;

/// The drawing's width in SVG units (it scales to the page).
const WIDTH: f64 = 760.0;
/// Room for the lane labels.
const LABELS: f64 = 170.0;
/// Room right of the bars for the last tick's label.
const TAIL: f64 = 40.0;
/// One lane's height, and its bar's.
const ROW: f64 = 24.0;
const BAR: f64 = 15.0;
/// The most lanes drawn; the rest are counted under the drawing.
const MAX_LANES: usize = 24;
/// The longest lane label shown whole (the full text is its tooltip).
const LABEL_CHARS: usize = 24;

/// The timeline as an `<svg>` element.
pub fn timeline(timeline: &Timeline) -> String {
    let end = timeline
        .lanes
        .iter()
        .flat_map(|lane| lane.spans.iter().map(|s| s.end_ms))
        .fold(0.0_f64, f64::max);
    let (step, intervals) = axis(end);
    let axis_end = step * intervals as f64;
    let bars = WIDTH - LABELS - TAIL;
    let x = |ms: f64| LABELS + (ms.clamp(0.0, axis_end) / axis_end) * bars;
    let lanes = &timeline.lanes[..timeline.lanes.len().min(MAX_LANES)];
    let top = 6.0;
    let axis_y = top + ROW * lanes.len() as f64 + 4.0;
    let height = axis_y + 38.0;
    let (clock, class) = match timeline.clock {
        Clock::Virtual => ("simulated time", "virtual"),
        Clock::Real => ("real time", "real"),
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="timeline {class}" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="timeline on the {clock} clock, {} lanes" xmlns="http://www.w3.org/2000/svg">"#,
        timeline.lanes.len()
    );
    // Grid lines first, so the bars are drawn over them.
    for i in 0..=intervals {
        let gx = x(step * i as f64);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{gx:.1}" y1="{top}" x2="{gx:.1}" y2="{axis_y}"/>"#
        );
    }
    for (row, lane) in lanes.iter().enumerate() {
        let y = top + ROW * row as f64;
        let label = escape(&lane.label);
        let short = escape(&shorten(&lane.label));
        let _ = write!(
            svg,
            r#"<text class="lane" x="{:.1}" y="{:.1}" text-anchor="end"><title>{label}</title>{short}</text>"#,
            LABELS - 8.0,
            y + ROW / 2.0 + 4.0
        );
        for span in &lane.spans {
            let (x1, x2) = (x(span.start_ms), x(span.end_ms));
            // A span too short to see is drawn one unit wide.
            let w = (x2 - x1).max(1.0);
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x1:.1}" y="{:.1}" width="{w:.1}" height="{BAR}" rx="3"><title>{label}: {} – {} ms</title></rect>"#,
                y + (ROW - BAR) / 2.0,
                number(span.start_ms),
                number(span.end_ms)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LABELS}" y1="{axis_y}" x2="{:.1}" y2="{axis_y}"/>"#,
        x(axis_end)
    );
    for i in 0..=intervals {
        let tx = x(step * i as f64);
        let value = number(step * i as f64);
        let unit = if i == intervals { " ms" } else { "" };
        let _ = write!(
            svg,
            r#"<line class="axis" x1="{tx:.1}" y1="{axis_y}" x2="{tx:.1}" y2="{:.1}"/><text class="tick" x="{tx:.1}" y="{:.1}" text-anchor="middle">{value}{unit}</text>"#,
            axis_y + 5.0,
            axis_y + 18.0
        );
    }
    let _ = write!(
        svg,
        r#"<text class="clock" x="{:.1}" y="{:.1}" text-anchor="end">{clock}</text>"#,
        LABELS - 8.0,
        axis_y + 18.0
    );
    if timeline.lanes.len() > MAX_LANES {
        let _ = write!(
            svg,
            r#"<text class="clock" x="{LABELS}" y="{:.1}">… and {} more lanes</text>"#,
            axis_y + 34.0,
            timeline.lanes.len() - MAX_LANES
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A step of 1, 2 or 5 times a power of ten, and how many of them reach
/// `last`: at most 8 intervals, so the tick labels have room.
fn axis(last: f64) -> (f64, usize) {
    let last = if last.is_finite() && last > 0.0 {
        last
    } else {
        1.0
    };
    for exponent in -3..=15_i32 {
        for mantissa in [1.0, 2.0, 5.0] {
            let step = mantissa * 10f64.powi(exponent);
            // The allowance keeps 300.0000001 from opening a tick.
            let intervals = ((last / step) - 1e-9).ceil().max(1.0) as usize;
            if intervals <= 8 {
                return (step, intervals);
            }
        }
    }
    (last, 1)
}

/// A time in ms without needless decimals: `250`, `0.5`.
fn number(ms: f64) -> String {
    let rounded = (ms * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A label cut to [`LABEL_CHARS`] characters, marked when cut.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use protocol::timeline::{Clock, Lane, Span, Timeline};

    use super::{axis, number, timeline};

    fn lane(label: &str, spans: &[(f64, f64)]) -> Lane {
        Lane {
            label: label.into(),
            spans: spans
                .iter()
                .map(|&(start_ms, end_ms)| Span { start_ms, end_ms })
                .collect(),
        }
    }

    /// Ticks are round and few, and the axis reaches the last span.
    #[test]
    fn the_axis_ends_on_a_round_number_past_the_last_span() {
        assert_eq!(axis(300.0), (50.0, 6));
        assert_eq!(axis(301.0), (50.0, 7));
        assert_eq!(axis(0.4), (0.05, 8));
        assert_eq!(axis(0.0), (0.2, 5));
        assert_eq!(number(250.0), "250");
        assert_eq!(number(0.5), "0.5");
    }

    /// One bar per span, placed by its times; a label that learner code
    /// chose is escaped, never markup.
    #[test]
    fn spans_become_bars_and_labels_are_escaped() {
        let drawn = timeline(&Timeline {
            clock: Clock::Virtual,
            lanes: vec![
                lane("user", &[(0.0, 100.0)]),
                lane("<script>alert(1)</script>", &[(0.0, 50.0), (150.0, 300.0)]),
            ],
        });
        assert_eq!(drawn.matches("<rect class=\"bar\"").count(), 3);
        assert!(!drawn.contains("<script>"));
        assert!(drawn.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // 0 ms starts the bars at the label column; 300 ms ends the axis.
        assert!(drawn.contains(r#"<rect class="bar" x="170.0""#));
        assert!(drawn.contains(">300 ms</text>"));
        assert!(drawn.contains("simulated time"));
    }
}
