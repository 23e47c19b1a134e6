//! Grader of exercise 07, a batch of images.
//!
//! The learner's `process_batch` develops batches of generated photos.
//! Each photo should go through `lab::batch::blur_image` then
//! `lab::batch::equalize`; both log, while a probe is installed, a
//! fingerprint of the image they were given, the thread that ran them, its
//! CPU time and when they started and ended. The checker traces every call
//! to its photo by that fingerprint, whatever the code that made it. The
//! checks prove the model:
//!
//! - `right_images`: on batches of 1, 3, 8 and 13 photos and one with a
//!   large photo among small ones, every result equals the photo developed
//!   on one thread, in input order;
//! - `work_shared`: on the batch of 13 (more on a machine of 7 cores or
//!   more, so that a thread per photo is always more threads than a pool
//!   may have; and on the one with the large photo),
//!   each photo was blurred once and equalised once; by two or more
//!   threads of a pool (not a thread per photo), none doing over 80% of
//!   the kernels' CPU time. The report tells how work stealing spread the
//!   batch with the large photo;
//! - `images_overlap`: in an ordinary run on the batch of 8, two photos
//!   were being developed at the same instant. Threads working together
//!   on one photo at a time (parallel inside each photo, the batch
//!   sequential) fail here.
//!
//! A watchdog ends any run that stops making progress (no kernel call
//! started or finished for 2 s, or far more calls than photos) as
//! `timed_out`, so a hanging submission is graded in seconds.
//!
//! | file | role |
//! |---|---|
//! | `world.rs` | the batches and the figures the checks run with |
//! | `checks.rs` | runs the learner's code, traces its calls (impure) |
//! | `decide.rs` | evidence in, verdict out (pure, unit-tested) |
//! | `picture.rs` | `lanes.png`, `stealing.png` |
//!
//! The checker runs this with `RAYON_NUM_THREADS=4`, so the structure holds
//! even on a machine with one core.

mod checks;
mod decide;
mod picture;
mod world;

use grading::Check;

const CHECKS: &[Check] = &[
    Check {
        name: "right_images",
        about: "on five batches, every photo developed right and returned in input order",
        run: checks::right_images,
    },
    Check {
        name: "work_shared",
        about: "each photo developed once, by two or more pool threads, none doing over 80% of the work",
        run: checks::work_shared,
    },
    Check {
        name: "images_overlap",
        about: "in an ordinary run, two photos are developed at the same instant on two threads",
        run: checks::images_overlap,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}
