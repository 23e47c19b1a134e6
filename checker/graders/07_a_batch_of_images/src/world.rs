//! The world the learner's `process_batch` runs in: the batches it is
//! graded on, and the figures every check runs with.

use std::time::Duration;

use lab::cpu::Watch;
use lab::image::Image;

/// A batch of photos to grade `process_batch` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// How reports name it: "the batch of 8 photos".
    pub name: String,
    /// Why it is graded: which shortcut it catches.
    pub why: &'static str,
    /// Width and height of each photo, in batch order. Within a batch no
    /// two photos have the same size, so a call of exercise 06's row
    /// kernel (which logs the size of the image it read) can be traced to
    /// its photo too.
    pub sizes: Vec<(usize, usize)>,
    /// The blur radius.
    pub radius: usize,
}

impl Batch {
    /// The photos, each from its own seed drawn from the run's.
    pub fn photos(&self, seed: u64) -> Vec<Image> {
        self.sizes
            .iter()
            .enumerate()
            .map(|(i, &(w, h))| {
                let salt = (i as u64 + 1).wrapping_mul(0x9e37_79b9) ^ (w * 7919 + h) as u64;
                Image::generate(seed ^ salt, w, h)
            })
            .collect()
    }

    /// When the watchdog ends a run: no kernel call started or finished for
    /// [`QUIET`], or far more calls than the batch needs. A correct run
    /// makes two per photo; the limit leaves room for row-by-row blurs
    /// (exercise 06's kernel), so that model is diagnosed, not stopped.
    pub fn watch(&self) -> Watch {
        let rows: usize = self.sizes.iter().map(|&(_, h)| h).sum();
        Watch {
            quiet: QUIET,
            max_calls: 2 * rows + 8 * self.sizes.len() + 64,
        }
    }
}

/// A batch of one photo: nothing to share, and nothing may break.
pub fn one() -> Batch {
    Batch {
        name: "the batch of 1 photo".into(),
        why: "a single photo",
        sizes: vec![(240, 180)],
        radius: 4,
    }
}

/// Fewer photos than rayon's 4 workers.
pub fn three() -> Batch {
    Batch {
        name: "the batch of 3 photos".into(),
        why: "fewer photos than rayon's 4 workers",
        sizes: vec![(320, 240), (300, 200), (280, 210)],
        radius: 5,
    }
}

/// The story's batch: 8 photos of about the same size (about 15 ms of one
/// core each). `images_overlap` runs on it.
pub fn eight() -> Batch {
    Batch {
        name: "the batch of 8 photos".into(),
        why: "eight photos, twice rayon's 4 workers",
        sizes: (0..8).map(|i| (392 + 4 * i, 300 - 2 * i)).collect(),
        radius: 8,
    }
}

/// 13 photos, a number that does not divide by rayon's 4 workers.
/// `right_images` grades it.
pub fn thirteen() -> Batch {
    photos_of_about_300(13)
}

/// The batch `work_shared` runs on: more photos than `limit`, the most
/// threads that may share a batch here ([`crate::decide::thread_limit`]),
/// and 13 at least. A thread per photo then shows as more threads than
/// the limit allows on any machine: 13 photos where a pool may have 8
/// threads (2 cores), 33 where it may have 32 (16 cores). With a fixed 13,
/// a thread per photo passed on a machine of 7 cores or more.
pub fn for_sharing(limit: usize) -> Batch {
    photos_of_about_300((limit + 1).max(13))
}

/// `count` photos of about 300x200, each a size of its own (the widths
/// differ), about 10 ms of one core each.
fn photos_of_about_300(count: usize) -> Batch {
    Batch {
        name: format!("the batch of {count} photos"),
        why: "a number of photos that does not divide by rayon's 4 workers",
        sizes: (0..count)
            .map(|i| (300 + 6 * i, 224 - 2 * (i % 32)))
            .collect(),
        radius: 6,
    }
}

/// Where the large photo sits in [`mixed`]: neither first nor last.
pub const LARGE_AT: usize = 1;

/// One large photo (about 70% of the work) among 11 small ones: the
/// worker that takes it is busy for long, and the others must share the
/// small ones meanwhile. Its place is not the first, and it finishes last,
/// so results gathered in the order they finished cannot come back in
/// input order by luck.
pub fn mixed() -> Batch {
    let mut sizes: Vec<(usize, usize)> = (0..11).map(|i| (200 + 2 * i, 150)).collect();
    sizes.insert(LARGE_AT, (1024, 768));
    Batch {
        name: "the batch with one large photo among 11 small ones".into(),
        why: "one large photo among small ones",
        sizes,
        radius: 8,
    }
}

/// Every batch `right_images` grades, the smallest first (a runaway loop
/// on it reaches the watchdog's call limit soonest).
pub fn all() -> Vec<Batch> {
    vec![one(), three(), eight(), thirteen(), mixed()]
}

/// How long the learner's code may go without starting or finishing a
/// kernel call before the watchdog ends the check. A correct solution's
/// longest quiet stretch is one photo's step (tens of milliseconds, a few
/// hundred for the large photo on a crowded machine): two seconds is far
/// above that and short enough to grade a hang in seconds.
pub const QUIET: Duration = Duration::from_secs(2);

/// Ordinary runs that `images_overlap` looks at for two photos at the same
/// instant before it gives up: one is almost always enough.
pub const OVERLAP_RUNS: usize = 3;

/// Runs of `work_shared` that must all be lopsided before it fails.
pub const FAIRNESS_RUNS: usize = 3;

/// The number of cores this process may use (1 under `taskset -c 0`).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The size of rayon's global pool: what `RAYON_NUM_THREADS` asked for.
pub fn pool() -> usize {
    rayon::current_num_threads()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::thread_limit;

    /// On 2 cores the sharing batch is the 13 photos; on 16 it outnumbers
    /// the 32 threads a pool may have there, and no two photos share a
    /// size (a row kernel's call is traced to its photo by size).
    #[test]
    fn the_sharing_batch_outnumbers_the_thread_limit() {
        assert_eq!(for_sharing(thread_limit(4, 2)), thirteen());
        for cores in [1, 2, 4, 7, 16, 64, 200] {
            let limit = thread_limit(4, cores);
            let batch = for_sharing(limit);
            assert!(batch.sizes.len() > limit && batch.sizes.len() >= 13);
            assert_ne!(batch.sizes.len() % 4, 0, "{cores} cores");
            let mut sizes = batch.sizes.clone();
            sizes.sort_unstable();
            sizes.dedup();
            assert_eq!(sizes.len(), batch.sizes.len());
            assert!(batch.sizes.iter().all(|&(w, h)| w > 0 && h > 0));
        }
        assert_eq!(for_sharing(32).name, "the batch of 33 photos");
    }
}
