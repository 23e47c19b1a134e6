//! # Exercise 06, solved: blur in parallel
//!
//! Each output row depends only on the input image, so the rows can be
//! computed in any order and on any thread. rayon turns that independence
//! into parallelism: it splits the rows into pieces and lets a pool of worker
//! threads, one per core, take pieces until none are left (a worker that runs
//! out *steals* half of another's remaining pieces, so all cores stay busy).
//! On two cores the blur takes about half the time; on eight, an eighth.

use lab::blur::blur_row;
use lab::image::Image;
use rayon::prelude::*;

/// Blurs `image` with a box of `radius`, on one core, one row after another.
pub fn blur_sequential(image: &Image, radius: usize) -> Image {
    let mut out = Image::new(image.width(), image.height());
    let width = image.width();
    for (y, row) in out.pixels_mut().chunks_mut(width).enumerate() {
        blur_row(image, radius, y, row);
    }
    out
}

/// Blurs `image` with a box of `radius`, with the rows spread over rayon's
/// worker threads.
pub fn blur(image: &Image, radius: usize) -> Image {
    let mut out = Image::new(image.width(), image.height());
    let width = image.width();
    // `par_chunks_mut(width)` is the parallel twin of `chunks_mut(width)`: it
    // hands out disjoint `&mut` rows, so no two threads can ever write the
    // same pixel, and the compiler checks that for us. The input is only
    // read, and `&Image` may be shared by any number of threads.
    // `enumerate` numbers the rows of the whole image, so `y` is each row's
    // index in the input, which is what blur_row needs to read the right
    // neighbours (and what the checker counts rows by). Leftover rows,
    // short images and any radius need no special case: one item per row.
    // https://docs.rs/rayon/latest/rayon/slice/trait.ParallelSliceMut.html
    out.pixels_mut()
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(y, row)| blur_row(image, radius, y, row));
    out
}
