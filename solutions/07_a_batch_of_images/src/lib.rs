//! # Exercise 07, solved: a batch of images
//!
//! The photos of a batch are independent: developing one reads only that
//! photo. So each photo is a task, and rayon's pool of workers (one per
//! core) takes tasks until none are left. A worker that runs out steals
//! from a busy one, so a large photo ties up one worker while the others
//! share the small ones: nobody waits for the slowest photo while photos
//! are left.
//!
//! Why the photo and not its rows? Splitting each photo over the cores
//! (exercise 06's way) also keeps cores busy during its blur, but the
//! batch then goes one photo at a time: every photo ends with the cores
//! waiting for its last rows, the contrast step (which needs the whole
//! photo's histogram) runs on one core, and a small photo has too few rows
//! to share. With many independent photos, the coarse piece is the right
//! one: fewer, bigger tasks, no waiting in between.

use lab::batch::{blur_image, equalize};
use lab::image::Image;
use rayon::prelude::*;

/// Develops one photo: a box blur of `radius`, then a contrast stretch.
pub fn process_one(image: &Image, radius: usize) -> Image {
    equalize(&blur_image(image, radius))
}

/// Develops every photo of `images`, one after another, on one core.
pub fn process_sequential(images: &[Image], radius: usize) -> Vec<Image> {
    let mut developed = Vec::with_capacity(images.len());
    for image in images {
        developed.push(process_one(image, radius));
    }
    developed
}

/// Develops every photo of `images`, one photo per rayon task, and returns
/// them in the order of `images`.
pub fn process_batch(images: &[Image], radius: usize) -> Vec<Image> {
    // `par_iter` is the parallel twin of `iter`: rayon's workers take the
    // photos (splitting the slice in halves, and halves of halves, so an
    // idle worker always finds some to steal). `collect` into a Vec puts
    // each result at its photo's index, whichever worker finished first:
    // the order of the input is kept without any sorting.
    // https://docs.rs/rayon/latest/rayon/iter/trait.IndexedParallelIterator.html#method.collect_into_vec
    images
        .par_iter()
        .map(|image| process_one(image, radius))
        .collect()
}
