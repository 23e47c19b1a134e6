//! `threads.png`: the learner's blurred image with each row tinted in the
//! colour of the thread that computed it, so the split of the work can be
//! seen.

use std::collections::HashMap;
use std::path::PathBuf;

use grading::Ctx;
use grading::observe::CpuRun;
use lab::image::Image;

/// Colours for the threads, busiest thread first; the rest are grey.
const PALETTE: [([u8; 3], &str); 8] = [
    ([230, 60, 50], "red"),
    ([40, 120, 230], "blue"),
    ([60, 180, 75], "green"),
    ([245, 175, 30], "orange"),
    ([150, 70, 200], "purple"),
    ([20, 190, 200], "cyan"),
    ([240, 90, 190], "pink"),
    ([130, 130, 130], "grey"),
];

/// Writes `threads.png` for `run`. Returns the file (if written) and the
/// colour legend (empty if not).
pub fn thread_map(ctx: &Ctx, run: &CpuRun<Image>) -> (Vec<PathBuf>, String) {
    let shares = run.shares();
    let kinds = run.kinds();
    // Each thread's place among the shares, busiest first, picks its colour.
    let place: HashMap<_, usize> = kinds
        .iter()
        .map(|(id, kind)| {
            (
                *id,
                shares.iter().position(|s| &s.kind == kind).unwrap_or(0),
            )
        })
        .collect();
    let colour = |index: usize| PALETTE[index.min(PALETTE.len() - 1)];
    let mut picture = run.output.clone();
    let (width, height) = (picture.width(), picture.height());
    for call in &run.calls {
        // A call on another image (a crop, a scratch image) has no row here.
        if call.input != (width, height) || call.item >= height {
            continue;
        }
        let (tint, _) = colour(place.get(&call.thread).copied().unwrap_or(0));
        let row = &mut picture.pixels_mut()[call.item * width..(call.item + 1) * width];
        for pixel in row {
            for (channel, t) in pixel.iter_mut().zip(tint) {
                *channel = ((u16::from(*channel) + 2 * u16::from(t)) / 3) as u8;
            }
        }
    }
    let mut legend = shares
        .iter()
        .take(PALETTE.len() - 1)
        .enumerate()
        .map(|(i, s)| format!("{} = {}", colour(i).1, s.label()))
        .collect::<Vec<_>>()
        .join(", ");
    if shares.len() >= PALETTE.len() {
        legend.push_str(&format!(
            ", grey = the other {} threads",
            shares.len() - (PALETTE.len() - 1)
        ));
    }
    let path = ctx.artifacts.join("threads.png");
    match picture.save_png(&path) {
        Ok(()) => (
            vec![path],
            format!("threads.png shows which thread blurred each row: {legend}"),
        ),
        Err(_) => (Vec::new(), String::new()),
    }
}
