//! The box blur of exercise 06, one row at a time.
//!
//! A box blur replaces each pixel by the average of the square of pixels
//! around it (`2 * radius + 1` on a side, cut off at the image's edges). Every
//! output row depends only on the *input* image, never on another output
//! row, so rows can be computed in any order, or all at once on many cores.
//! That independence is what makes the blur "embarrassingly parallel".

use crate::cpu::{self, Job};
use crate::image::{Image, Rgb};

/// Computes row `y` of the blurred image into `out`.
///
/// This is pure CPU work: no waiting, no I/O. Call it once per row, with
/// `source` the whole input image and `y` the row's index in it (not in a
/// copy or a crop of it): the checker watches each call (which row, which
/// thread, how much CPU time) and counts the rows by `y`.
///
/// # Panics
///
/// When `out` is not exactly one row long or `y` is not a row of `source`.
pub fn blur_row(source: &Image, radius: usize, y: usize, out: &mut [Rgb]) {
    let (width, height) = (source.width(), source.height());
    assert_eq!(
        out.len(),
        width,
        "`out` must hold exactly one row of {width} pixels"
    );
    assert!(y < height, "row {y} is outside an image of {height} rows");
    let job = Job {
        item: y,
        input: (width, height),
        radius,
    };
    cpu::measure(job, || {
        let top = y.saturating_sub(radius);
        let bottom = (y + radius).min(height - 1);
        for (x, pixel) in out.iter_mut().enumerate() {
            let left = x.saturating_sub(radius);
            let right = (x + radius).min(width - 1);
            let mut sum = [0u32; 3];
            for row in top..=bottom {
                for &[r, g, b] in &source.row(row)[left..=right] {
                    sum[0] += u32::from(r);
                    sum[1] += u32::from(g);
                    sum[2] += u32::from(b);
                }
            }
            let count = ((bottom - top + 1) * (right - left + 1)) as u32;
            *pixel = sum.map(|s| ((s + count / 2) / count) as u8);
        }
    })
}
