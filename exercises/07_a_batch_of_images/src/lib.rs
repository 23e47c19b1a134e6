//! # Exercise 07: a batch of images
//!
//! A batch of photos to develop, and several cores to do it with. Each
//! photo is developed on its own, needing nothing from the others, so the
//! photo is the piece of work to hand out: one photo per task, rayon's
//! workers taking photos until none are left. Read `README.md` beside this
//! folder for the story and what the checker verifies.
//!
//! Your task: fill in `process_batch` so that the photos are developed on
//! several cores at once with rayon, and come back in the order they were
//! given. `process_sequential` below does the job on one core: start from
//! it.

use lab::batch::{blur_image, equalize};
use lab::image::Image;

/// Develops one photo: a box blur of `radius`, then a contrast stretch.
/// Both steps are lab kernels, which the checker watches.
pub fn process_one(image: &Image, radius: usize) -> Image {
    equalize(&blur_image(image, radius))
}

/// Develops every photo of `images`, one after another, on one core. It is
/// correct, and it leaves every other core idle.
pub fn process_sequential(images: &[Image], radius: usize) -> Vec<Image> {
    let mut developed = Vec::with_capacity(images.len());
    for image in images {
        developed.push(process_one(image, radius));
    }
    developed
}

/// Develops every photo of `images` with `process_one` (or the same two
/// lab kernels), one photo per rayon task, and returns them in the order
/// of `images`.
pub fn process_batch(images: &[Image], radius: usize) -> Vec<Image> {
    // Replace this line with your code.
    let _ = (images, radius);
    todo!()
}
