//! Exercise 06: one large image, its rows shared by a rayon pool.

use lab::image::Image;

use super::{Speedup, pool, side_by_side, timed};

/// An image and a blur radius.
pub(super) struct Shape {
    pub width: usize,
    pub height: usize,
    pub radius: usize,
}

/// Four times the grader's 1024x768 (about 0.1 s of one core at radius 8),
/// so about 0.4 to 0.7 s on one core; 1536 rows give every core hundreds
/// to share.
pub(super) const FULL: Shape = Shape {
    width: 2048,
    height: 1536,
    radius: 8,
};

pub(super) fn measure(threads: usize, runs: usize) -> Speedup {
    speedup(&FULL, threads, runs)
}

pub(super) fn speedup(shape: &Shape, threads: usize, runs: usize) -> Speedup {
    let image = Image::generate(6, shape.width, shape.height);
    // Both pools are built before the clock starts: only the blur is timed.
    let (one, all) = (pool(1), pool(threads));
    let (one_thread, all_threads) = side_by_side("06", threads, runs, |k| {
        let pool = if k == 1 { &one } else { &all };
        // `install` runs the closure on the pool, so the solution's
        // `par_chunks_mut` shares the rows among this pool's workers.
        pool.install(|| timed(|| sol06_blur_in_parallel::blur(&image, shape.radius)))
    });
    Speedup {
        exercise: "06 blur in parallel",
        what: format!("blur {}x{} r{}", shape.width, shape.height, shape.radius),
        threads,
        one_thread,
        all_threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny image gives the same pixels on one thread and on two.
    #[test]
    fn both_sides_agree_on_a_tiny_image() {
        let tiny = Shape {
            width: 9,
            height: 7,
            radius: 2,
        };
        let s = speedup(&tiny, 2, 2);
        assert_eq!((s.threads, s.what.as_str()), (2, "blur 9x7 r2"));
    }
}
