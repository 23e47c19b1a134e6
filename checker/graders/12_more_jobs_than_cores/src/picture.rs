//! `slots.png`: the pool's slots, one lane each, left to right in time,
//! with a box for each job in its own colour and its number inside; below
//! them the queue, a thin lane per job from the start of the run to the
//! moment a slot took it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use grading::draw::{fill, write_number};
use lab::image::Image;

/// Colours for the jobs, by number, in turn.
pub const PALETTE: [[u8; 3]; 10] = [
    [230, 80, 70],
    [60, 130, 230],
    [70, 180, 90],
    [245, 170, 40],
    [160, 90, 210],
    [30, 185, 195],
    [235, 100, 185],
    [150, 150, 60],
    [120, 160, 240],
    [200, 120, 80],
];

/// The colour of job `n`.
pub fn colour(n: usize) -> [u8; 3] {
    PALETTE[n % PALETTE.len()]
}

/// A lane of the picture: its height and its boxes.
pub type Row = (usize, Vec<Boxed>);

/// One box to draw in a lane.
#[derive(Debug, Clone, Copy)]
pub struct Boxed {
    /// Its left edge, on the run's real clock.
    pub start: Duration,
    /// Its right edge.
    pub end: Duration,
    /// Its fill.
    pub colour: [u8; 3],
    /// A number to write inside, if it fits.
    pub label: Option<usize>,
}

const WIDTH: usize = 960;
const LEFT: usize = 8;
/// The height of a slot's lane.
pub const LANE: usize = 26;
/// The height of a job's lane in the queue.
pub const QUEUE: usize = 8;
const GAP: usize = 6;
const BACKGROUND: [u8; 3] = [250, 250, 247];
const TRACK: [u8; 3] = [228, 228, 224];
const INK: [u8; 3] = [20, 20, 20];

/// Draws `lanes` (top to bottom, each with its height) to `path`.
/// Returns the path if written.
pub fn draw(path: &Path, lanes: &[Row]) -> Option<PathBuf> {
    let end = lanes
        .iter()
        .flat_map(|(_, boxes)| boxes)
        .map(|b| b.end)
        .max()
        .unwrap_or_default()
        .max(Duration::from_millis(1));
    let height = GAP + lanes.iter().map(|(h, _)| h + GAP).sum::<usize>();
    let mut image = Image::new(WIDTH, height);
    fill(&mut image, 0, 0, WIDTH, height, BACKGROUND);
    let span = (WIDTH - 2 * LEFT) as f64;
    let x = |t: Duration| LEFT + (t.as_secs_f64() / end.as_secs_f64() * span) as usize;
    let mut top = GAP;
    for (lane, boxes) in lanes {
        fill(&mut image, LEFT, top, WIDTH - 2 * LEFT, *lane, TRACK);
        for b in boxes {
            let (from, to) = (x(b.start), x(b.end).max(x(b.start) + 1));
            fill(
                &mut image,
                from,
                top + 1,
                to - from,
                lane.saturating_sub(2),
                b.colour,
            );
            if let Some(n) = b.label {
                let text = n.to_string();
                let wide = text.len() * 8;
                if to - from >= wide + 4 && *lane >= 12 {
                    write_number(&mut image, from + 3, top + (lane - 10) / 2, &text, INK);
                }
            }
        }
        top += lane + GAP;
    }
    image.save_png(path).ok().map(|()| path.to_path_buf())
}
