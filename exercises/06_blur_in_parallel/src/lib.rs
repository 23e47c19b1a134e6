//! # Exercise 06: blur in parallel
//!
//! Blurring an image is pure computation: no waiting anywhere. Async cannot
//! make it faster; only more cores can. Read `README.md` beside this folder
//! for the story and what the checker verifies.
//!
//! Your task: fill in `blur` so that the rows are blurred on several cores at
//! once with rayon. `blur_sequential` below does the job on one core: start
//! from it.

use lab::blur::blur_row;
use lab::image::Image;

/// Blurs `image` with a box of `radius`, on one core, one row after another.
/// It is correct, and it leaves every other core idle.
pub fn blur_sequential(image: &Image, radius: usize) -> Image {
    let mut out = Image::new(image.width(), image.height());
    let width = image.width();
    for (y, row) in out.pixels_mut().chunks_mut(width).enumerate() {
        blur_row(image, radius, y, row);
    }
    out
}

/// Blurs `image` with a box of `radius`, spreading the rows over rayon's
/// worker threads. Each row must be computed with `lab::blur::blur_row`:
/// that is where the checker watches which thread did what.
pub fn blur(image: &Image, radius: usize) -> Image {
    // Replace this line with your code.
    let _ = (image, radius);
    todo!()
}
