//! Exercise 07: a batch of photos, one photo per rayon task.

use lab::image::Image;

use super::{Speedup, pool, side_by_side, timed};

/// A batch: how many photos, the size of the first, and the radius.
pub(super) struct Batch {
    pub photos: usize,
    pub width: usize,
    pub height: usize,
    pub radius: usize,
}

/// 24 photos of about 460x345 at radius 8, each about a third larger
/// than one of the grader's story photos: some 0.7 s of one core in all,
/// and more photos than the cores of most machines, so that the last
/// photos do not leave most cores idle.
pub(super) const FULL: Batch = Batch {
    photos: 24,
    width: 460,
    height: 345,
    radius: 8,
};

/// The photos, each a little smaller than the one before, as in the
/// grader's batches.
fn photos(batch: &Batch) -> Vec<Image> {
    (0..batch.photos)
        .map(|i| Image::generate(70 + i as u64, batch.width - 2 * i, batch.height - i))
        .collect()
}

pub(super) fn measure(threads: usize, runs: usize) -> Speedup {
    speedup(&FULL, threads, runs)
}

pub(super) fn speedup(batch: &Batch, threads: usize, runs: usize) -> Speedup {
    let images = photos(batch);
    let (one, all) = (pool(1), pool(threads));
    let (one_thread, all_threads) = side_by_side("07", threads, runs, |k| {
        let pool = if k == 1 { &one } else { &all };
        pool.install(|| timed(|| sol07_a_batch_of_images::process_batch(&images, batch.radius)))
    });
    Speedup {
        exercise: "07 a batch of images",
        what: format!(
            "process_batch {} photos ~{}x{} r{}",
            batch.photos, batch.width, batch.height, batch.radius
        ),
        threads,
        one_thread,
        all_threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch of three tiny photos comes back the same on one thread and
    /// on two.
    #[test]
    fn both_sides_agree_on_a_tiny_batch() {
        let tiny = Batch {
            photos: 3,
            width: 12,
            height: 8,
            radius: 1,
        };
        assert_eq!(speedup(&tiny, 2, 2).threads, 2);
    }
}
