//! `pipeline.png`: one lane per image, left to right in time, in the order
//! its download ended: grey while it downloads, then its blur in the
//! colour of where it ran, then blue while it is saved. A pipeline shows as
//! a staircase of short lanes; two phases as a wall of grey, then the
//! blurs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use grading::draw::fill;
use lab::batch::{Step, fingerprint, step_of};
use lab::image::Image;

use crate::run::{PipelineRun, Place, place};
use crate::world::Batch;

/// One box to draw in a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boxed {
    /// Its left edge, on the run's real clock.
    pub start: Duration,
    /// Its right edge.
    pub end: Duration,
    /// Its fill.
    pub colour: [u8; 3],
}

const WIDTH: usize = 960;
const LEFT: usize = 8;
const LANE: usize = 18;
const GAP: usize = 4;
const BACKGROUND: [u8; 3] = [250, 250, 247];
const TRACK: [u8; 3] = [228, 228, 224];
const DOWNLOAD: [u8; 3] = [150, 150, 150];
const SAVE: [u8; 3] = [60, 110, 220];

/// The colour of a blur, by where it ran.
pub fn colour(place: Place) -> [u8; 3] {
    match place {
        Place::Pool => [60, 170, 80],
        Place::Runtime => [220, 60, 50],
        Place::BlockingPool | Place::Other => [240, 150, 30],
    }
}

/// The boxes of `run`, one lane per image of `batch`, in the order the
/// downloads ended (one that never ended last). A blur is traced to its image by fingerprint (a whole
/// image per call) or by size (a row at a time: the images of a batch
/// differ in size).
pub fn lanes_of(batch: &Batch, run: &PipelineRun) -> Vec<Vec<Boxed>> {
    let mut lanes = Vec::new();
    let mut downloads: Vec<_> = run.downloads.iter().collect();
    downloads.sort_by_key(|d| d.real_end.unwrap_or(Duration::MAX));
    for download in downloads {
        let Some(id) = download
            .label
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        let Some(planned) = batch.find(id) else {
            continue;
        };
        let print = fingerprint(&planned.image);
        let size = (planned.image.width(), planned.image.height());
        let mut lane = vec![Boxed {
            start: download.real_start,
            end: download.real_end.unwrap_or(run.real_elapsed),
            colour: DOWNLOAD,
        }];
        lane.extend(
            run.blurs
                .iter()
                .filter(|c| match step_of(c) {
                    Some((Step::Blur, p)) => p == print,
                    Some(_) => false,
                    None => c.input == size,
                })
                .map(|c| Boxed {
                    start: c.real_start,
                    end: c.real_end,
                    colour: colour(place(c, run.runtime_thread)),
                }),
        );
        let save = lab::gallery::save_label(id);
        lane.extend(run.saves.iter().filter(|s| s.label == save).map(|s| Boxed {
            start: s.real_start,
            end: s.real_end.unwrap_or(run.real_elapsed),
            colour: SAVE,
        }));
        lanes.push(lane);
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
    let height = GAP + lanes.len().max(1) * (LANE + GAP);
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
        }
    }
    image.save_png(path).ok().map(|()| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each box lands in its lane, in its colour, scaled to the run.
    #[test]
    fn boxes_are_drawn_in_their_lanes() {
        let dir = std::env::temp_dir().join(format!("grader10-picture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.png");
        let ms = Duration::from_millis;
        let lanes = vec![
            vec![Boxed {
                start: ms(0),
                end: ms(50),
                colour: DOWNLOAD,
            }],
            vec![Boxed {
                start: ms(50),
                end: ms(100),
                colour: colour(Place::Pool),
            }],
        ];
        assert_eq!(draw(&path, &lanes), Some(path.clone()));
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
