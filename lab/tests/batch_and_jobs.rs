//! The kernels of exercises 07 and 12, run in a test process of their own
//! (a probe installed by another test would log their calls).

use lab::batch::{blur_image, equalize};
use lab::blur::blur_row;
use lab::image::Image;
use lab::jobs::{Job, run};

/// The whole-image blur gives blur_row's pixels, on odd shapes too.
#[test]
fn blur_image_matches_blur_row() {
    for (w, h, r) in [(17, 9, 2), (1, 1, 1), (5, 3, 9), (8, 8, 0)] {
        let image = Image::generate(3, w, h);
        let mut rows = Image::new(w, h);
        for (y, row) in rows.pixels_mut().chunks_mut(w).enumerate() {
            blur_row(&image, r, y, row);
        }
        assert_eq!(blur_image(&image, r), rows, "{w}x{h} r{r}");
    }
}

#[test]
fn equalize_spreads_the_range_and_keeps_the_size() {
    let image = Image::generate(5, 30, 20);
    let out = equalize(&image);
    assert_eq!((out.width(), out.height()), (30, 20));
    let top = out.pixels().iter().map(|p| p[0]).max();
    assert_eq!(top, Some(255));
    assert_eq!(equalize(&Image::new(0, 0)).pixels().len(), 0);
}

#[test]
fn job_answers_depend_on_id_units_and_seed() {
    let a = run(&Job::new(1, 1, 9));
    assert_eq!(a, run(&Job::new(1, 1, 9)));
    assert_ne!(a, run(&Job::new(2, 1, 9)));
    assert_ne!(a, run(&Job::new(1, 1, 8)));
    assert_ne!(a, run(&Job::new(1, 2, 9)));
    assert_eq!(Job::new(4, 3, 0).id(), 4);
    assert_eq!(Job::new(4, 3, 0).units(), 3);
}
