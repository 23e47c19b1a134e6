//! `lanes.png` and `stealing.png`: one lane per thread, left to right in
//! time, with a box for each kernel call in the colour of its photo and
//! the photo's number inside. The blur is the light part of a photo's
//! box, the contrast step the dark end.

use std::path::{Path, PathBuf};
use std::time::Duration;

use grading::draw::{fill, write_number};
use lab::image::Image;

use crate::decide::{Call, Kernel, Photo};

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
const LANE: usize = 26;
const GAP: usize = 6;
const BACKGROUND: [u8; 3] = [250, 250, 247];
const TRACK: [u8; 3] = [228, 228, 224];
const INK: [u8; 3] = [20, 20, 20];

/// Colours for the photos, by number, in turn.
const PALETTE: [[u8; 3]; 10] = [
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

/// The colour of photo `n`, light for its blur and dark for the contrast
/// step (or rows of exercise 06's kernel, drawn like blurs).
pub fn colour(n: usize, kernel: Kernel) -> [u8; 3] {
    let base = PALETTE[n % PALETTE.len()];
    match kernel {
        Kernel::Equalize => base.map(|c| (u16::from(c) * 3 / 5) as u8),
        Kernel::Blur | Kernel::Row => base,
    }
}

/// The boxes of one run's calls, one lane per thread number (0, 1, ...).
pub fn lanes_of(calls: &[Call], threads: usize) -> Vec<Vec<Boxed>> {
    let mut lanes = vec![Vec::new(); threads];
    for call in calls {
        let (colour, label) = match call.photo {
            Photo::Of(n) => (colour(n, call.kernel), Some(n)),
            Photo::Foreign => ([120, 120, 120], None),
        };
        if let Some(lane) = lanes.get_mut(call.thread) {
            lane.push(Boxed {
                start: call.start,
                end: call.end,
                colour,
                label: if call.kernel == Kernel::Blur {
                    label
                } else {
                    None
                },
            });
        }
    }
    lanes
}

/// Draws `lanes` (top to bottom) to `path`. Returns the path if written.
pub fn draw(path: &Path, lanes: &[Vec<Boxed>]) -> Option<PathBuf> {
    let end = lanes
        .iter()
        .flatten()
        .map(|b| b.end)
        .max()
        .unwrap_or_default()
        .max(Duration::from_millis(1));
    let height = GAP + lanes.len() * (LANE + GAP);
    let mut image = Image::new(WIDTH, height);
    fill(&mut image, 0, 0, WIDTH, height, BACKGROUND);
    let span = (WIDTH - 2 * LEFT) as f64;
    let x = |t: Duration| LEFT + (t.as_secs_f64() / end.as_secs_f64() * span) as usize;
    for (i, lane) in lanes.iter().enumerate() {
        let top = GAP + i * (LANE + GAP);
        fill(&mut image, LEFT, top, WIDTH - 2 * LEFT, LANE, TRACK);
        for b in lane {
            let (from, to) = (x(b.start), x(b.end).max(x(b.start) + 1));
            fill(&mut image, from, top + 1, to - from, LANE - 2, b.colour);
            if let Some(n) = b.label {
                let text = n.to_string();
                let wide = text.len() * 8;
                if to - from >= wide + 4 {
                    write_number(&mut image, from + 3, top + (LANE - 10) / 2, &text, INK);
                }
            }
        }
    }
    image.save_png(path).ok().map(|()| path.to_path_buf())
}
