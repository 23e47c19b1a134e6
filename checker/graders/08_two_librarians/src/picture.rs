//! `shelf.png`: the shelf drawn as rows of book spines, each spine in the
//! colour of the thread that read it, so the split of the work can be
//! seen: bands of one colour each, stripes, or one colour everywhere.

use std::collections::HashMap;
use std::path::PathBuf;

use grading::Ctx;
use grading::observe::CpuRun;
use lab::image::{Image, Rgb};

use crate::world::Shelf;

/// Colours for the threads, busiest thread first; the rest are grey.
const PALETTE: [(Rgb, &str); 8] = [
    ([230, 60, 50], "red"),
    ([40, 120, 230], "blue"),
    ([60, 180, 75], "green"),
    ([245, 175, 30], "orange"),
    ([150, 70, 200], "purple"),
    ([20, 190, 200], "cyan"),
    ([240, 90, 190], "pink"),
    ([130, 130, 130], "grey"),
];

/// Books on one row of the drawing.
const PER_ROW: usize = 50;
/// A spine's width and height, and the gap after it, in pixels.
const SPINE: (usize, usize) = (4, 36);
const GAP: usize = 1;
/// The plank under each row of books, and the margin around the shelf.
const PLANK: usize = 4;
const MARGIN: usize = 4;

const WALL: Rgb = [250, 245, 235];
const WOOD: Rgb = [120, 80, 45];
/// A book nobody read.
const UNREAD: Rgb = [40, 40, 40];
/// The band across a book read more than once.
const AGAIN: Rgb = [255, 255, 255];

/// Fills a rectangle of `image`, clipped to it.
fn fill(image: &mut Image, (x0, y0): (usize, usize), (w, h): (usize, usize), colour: Rgb) {
    let (width, height) = (image.width(), image.height());
    for y in y0..(y0 + h).min(height) {
        for x in x0..(x0 + w).min(width) {
            image.pixels_mut()[y * width + x] = colour;
        }
    }
}

/// Writes `shelf.png` for `run` on `shelf`. Returns the file (if written)
/// and the colour legend (empty if not).
pub fn shelf_map(ctx: &Ctx, shelf: &Shelf, run: &CpuRun<u64>) -> (Vec<PathBuf>, String) {
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
    // Who read each book, and how often: the shelf's own books only (a
    // read of another shelf's book has no place here).
    let mut readers: Vec<Option<usize>> = vec![None; shelf.books];
    let mut times = vec![0usize; shelf.books];
    let length = shelf.books;
    for call in &run.calls {
        if call.input.0 != length || call.item >= length {
            continue;
        }
        readers[call.item] = Some(place.get(&call.thread).copied().unwrap_or(0));
        times[call.item] += 1;
    }
    let rows = shelf.books.div_ceil(PER_ROW).max(1);
    let width = 2 * MARGIN + PER_ROW * (SPINE.0 + GAP);
    let height = MARGIN + rows * (SPINE.1 + PLANK) + MARGIN;
    let mut picture = Image::new(width, height);
    fill(&mut picture, (0, 0), (width, height), WALL);
    for row in 0..rows {
        let top = MARGIN + row * (SPINE.1 + PLANK);
        fill(&mut picture, (0, top + SPINE.1), (width, PLANK), WOOD);
    }
    for book in 0..shelf.books {
        let (row, column) = (book / PER_ROW, book % PER_ROW);
        let x = MARGIN + column * (SPINE.0 + GAP);
        let y = MARGIN + row * (SPINE.1 + PLANK);
        // Spines of slightly different heights look like books.
        let short = (book * 7 % 5) * 2;
        let tint = match readers[book] {
            Some(index) => colour(index).0,
            None => UNREAD,
        };
        fill(
            &mut picture,
            (x, y + short),
            (SPINE.0, SPINE.1 - short),
            tint,
        );
        if times[book] > 1 {
            fill(&mut picture, (x, y + SPINE.1 / 2 - 2), (SPINE.0, 4), AGAIN);
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
    let path = ctx.artifacts.join("shelf.png");
    match picture.save_png(&path) {
        Ok(()) => (
            vec![path],
            format!(
                "shelf.png shows which thread read each book of the {shelf}, {PER_ROW} books to a \
                 row: {legend}"
            ),
        ),
        Err(_) => (Vec::new(), String::new()),
    }
}
