//! Exercise 10: the async pipeline, downloads on a tokio runtime and blurs
//! on a rayon pool.
//!
//! The solution hands each blur to `rayon::spawn`, which queues it on the
//! pool of the thread that calls it, or on rayon's global pool when that
//! thread is no rayon worker. The global pool's size is fixed for the
//! whole process, so to compare one blur thread with all of them, the
//! runtime itself runs inside a pool of our own: `pool.install` puts
//! `block_on` on one of its workers, and every `rayon::spawn` of the
//! pipeline then goes to that pool. That worker is busy running the
//! runtime (as the runtime's own thread is in the real program), so the
//! pool has one thread more than the blurs get: 1 + 1 against 1 + cores.

use std::time::{Duration, Instant};

use lab::batch::fingerprint;
use lab::gallery::{Server, Store};
use lab::image::Image;
use lab::io::Recorder;

use super::{Speedup, Timed, pool, side_by_side};

/// A batch: how many images, the size of the first, and the radius.
pub(super) struct Batch {
    pub images: usize,
    pub width: usize,
    pub height: usize,
    pub radius: usize,
}

/// 16 images of about 520x390 at radius 8, each about three times one
/// of the grader's story images: some 0.6 s of blurring on one core in
/// all, and enough images to keep the cores of a large machine busy.
pub(super) const FULL: Batch = Batch {
    images: 16,
    width: 520,
    height: 390,
    radius: 8,
};

/// The downloads and saves wait for real, on tokio's timer: image `i`
/// waits `i + 2` ms, every save 1 ms. All downloads are in flight at once,
/// so the waits end within the first 20 ms, under the first blur: the
/// blurs dominate the time.
fn latency(i: usize) -> Duration {
    Duration::from_millis(2 + i as u64)
}
const SAVE: Duration = Duration::from_millis(1);

/// The server's listings: ids that are not positions, each image a
/// little smaller than the one before.
fn listings(batch: &Batch) -> Vec<(u64, Image, Duration)> {
    (0..batch.images)
        .map(|i| {
            let image = Image::generate(100 + i as u64, batch.width - 2 * i, batch.height - i);
            (500 + 7 * i as u64, image, latency(i))
        })
        .collect()
}

/// One run of the pipeline with `blur_threads` rayon workers for the
/// blurs: the time of the pipeline alone, and `(id, fingerprint)` of every
/// image saved, by id.
fn run(
    listings: &[(u64, Image, Duration)],
    radius: usize,
    pool: &rayon::ThreadPool,
) -> Timed<Vec<(u64, u64)>> {
    // A current-thread runtime with a real clock, as the grader uses: one
    // thread runs every task, and the downloads really wait.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread tokio runtime");
    let (took, store) = pool.install(|| {
        runtime.block_on(async {
            // The server and store are made inside the runtime (lab's
            // recorder reads tokio's clock), before the clock starts.
            let recorder = Recorder::new();
            let server = Server::new(recorder.clone(), listings.to_vec());
            let store = Store::new(recorder, SAVE);
            let start = Instant::now();
            sol10_hybrid_pipeline::pipeline(server, store.clone(), radius).await;
            (start.elapsed(), store)
        })
    });
    let mut saved: Vec<(u64, u64)> = store
        .saved()
        .iter()
        .map(|s| (s.id, fingerprint(&s.image)))
        .collect();
    saved.sort_unstable();
    // Every image saved once: a pipeline that saved nothing would agree
    // with itself on both sides and still be wrong.
    let ids: Vec<u64> = saved.iter().map(|&(id, _)| id).collect();
    let mut expected: Vec<u64> = listings.iter().map(|l| l.0).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected, "10: each image must be saved once");
    Timed {
        took,
        result: saved,
    }
}

pub(super) fn measure(threads: usize, runs: usize) -> Speedup {
    speedup(&FULL, threads, runs)
}

pub(super) fn speedup(batch: &Batch, threads: usize, runs: usize) -> Speedup {
    let listings = listings(batch);
    // One worker more than the blurs get: it runs the runtime.
    let (one, all) = (pool(1 + 1), pool(1 + threads));
    let (one_thread, all_threads) = side_by_side("10", threads, runs, |k| {
        run(&listings, batch.radius, if k == 1 { &one } else { &all })
    });
    Speedup {
        exercise: "10 hybrid pipeline",
        what: format!(
            "pipeline {} images ~{}x{} r{}, real waits {}-{} ms",
            batch.images,
            batch.width,
            batch.height,
            batch.radius,
            latency(0).as_millis(),
            latency(batch.images - 1).as_millis()
        ),
        threads,
        one_thread,
        all_threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three tiny images are saved with the same pixels whether one
    /// thread blurs or two.
    #[test]
    fn both_sides_agree_on_three_tiny_images() {
        let tiny = Batch {
            images: 3,
            width: 10,
            height: 6,
            radius: 1,
        };
        assert_eq!(speedup(&tiny, 2, 2).threads, 2);
    }
}
