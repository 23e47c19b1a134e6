//! The world the learner's `pipeline` runs in: the batches of images it
//! is graded on, and the figures every check runs with.

use std::time::Duration;

use lab::batch::blur_image;
use lab::image::Image;
use lab::thread_cpu_time;

/// One image of a batch, as the server will offer it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Its id on the server.
    pub id: u64,
    /// The image.
    pub image: Image,
    /// How long its download waits.
    pub latency: Duration,
}

/// A batch of images to grade `pipeline` on.
#[derive(Debug, Clone)]
pub struct Batch {
    /// How reports name it: "the batch of 12 images".
    pub name: &'static str,
    /// The images, in the server's order.
    pub images: Vec<Planned>,
    /// The blur radius.
    pub radius: usize,
}

impl Batch {
    /// The image with id `id`.
    pub fn find(&self, id: u64) -> Option<&Planned> {
        self.images.iter().find(|p| p.id == id)
    }

    /// The sum of the download latencies: what downloads in a row wait.
    pub fn sum_of_latencies(&self) -> Duration {
        self.images.iter().map(|p| p.latency).sum()
    }
}

/// How long each save waits.
pub const SAVE_LATENCY: Duration = Duration::from_millis(3);

/// `n` distinct ids drawn from `seed`, between 100 and 999: ids are not
/// positions, so an image stored under its index (or another's id) shows.
fn ids(seed: u64, n: usize) -> Vec<u64> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x1d5);
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let id = rng.u64(100..1000);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A batch from `(width, height, latency in ms)`, latencies shuffled over
/// the images by the seed, so the slowest download sits anywhere.
fn batch(
    name: &'static str,
    seed: u64,
    sizes: &[(usize, usize)],
    mut latencies: Vec<u64>,
    radius: usize,
) -> Batch {
    fastrand::Rng::with_seed(seed ^ 0x5eed).shuffle(&mut latencies);
    let images = ids(seed, sizes.len())
        .into_iter()
        .zip(sizes)
        .zip(latencies)
        .map(|((id, &(w, h)), latency)| Planned {
            id,
            image: Image::generate(seed ^ id.wrapping_mul(0x9e37_79b9), w, h),
            latency: Duration::from_millis(latency),
        })
        .collect();
    Batch {
        name,
        images,
        radius,
    }
}

/// The sizes of the story's batch: all different, about 330 x 210.
fn twelve_sizes() -> Vec<(usize, usize)> {
    (0..12).map(|i| (300 + 6 * i, 230 - 3 * i)).collect()
}

/// About what one image of the story's batch costs to blur, in CPU time,
/// whatever the machine: the radius is chosen by [`calibrate`]. A runtime
/// that blurs, or waits for rayon, is held for that long per image; enough
/// to stand far above the few ms a busy machine adds to a correct run.
pub const BLUR_CPU: Duration = Duration::from_millis(60);

/// The radius at which blurring an image of the story's batch costs about
/// [`BLUR_CPU`] on this machine: the fastest of three measurements at
/// radius 8 (thread CPU time, which a busy machine does not inflate the way
/// it does wall time), scaled by the area of the box, `(2r + 1)^2`.
pub fn calibrate() -> usize {
    const PROBE_RADIUS: usize = 8;
    let (w, h) = twelve_sizes()[6];
    let image = Image::generate(1, w, h);
    let fastest = (0..3)
        .map(|_| {
            let before = thread_cpu_time();
            std::hint::black_box(blur_image(&image, PROBE_RADIUS));
            thread_cpu_time().saturating_sub(before)
        })
        .min()
        .unwrap_or_default()
        .max(Duration::from_micros(50));
    let side =
        (BLUR_CPU.as_secs_f64() / fastest.as_secs_f64()).sqrt() * (2 * PROBE_RADIUS + 1) as f64;
    (((side - 1.0) / 2.0).round() as usize).clamp(4, 40)
}

/// The story's batch: 12 images whose downloads end in pairs, spread from
/// 30 ms to 260 ms. Each pair lands at nearly the same instant, so two
/// blurs are due at once and a pool puts them on two workers; the spread
/// makes a pipeline visible: the first blurs can run while the last
/// downloads are still on their way. Every model check runs on it, with
/// the radius of [`calibrate`].
pub fn twelve(seed: u64, radius: usize) -> Batch {
    let latencies = [30, 75, 120, 165, 210, 255]
        .into_iter()
        .flat_map(|ms| [ms, ms + 4])
        .collect();
    batch(
        "the batch of 12 images",
        seed,
        &twelve_sizes(),
        latencies,
        radius,
    )
}

/// One image: nothing to overlap, and nothing may break.
pub fn one(seed: u64) -> Batch {
    batch("the batch of 1 image", seed ^ 1, &[(200, 150)], vec![40], 6)
}

/// Five images of different sizes, the slowest download neither first nor
/// last in the server's order once shuffled, and a smaller radius.
pub fn five(seed: u64) -> Batch {
    let sizes = [(180, 140), (220, 90), (64, 200), (250, 160), (120, 120)];
    let name = "the batch of 5 images";
    batch(name, seed ^ 5, &sizes, vec![60, 20, 110, 45, 85], 4)
}

/// Every batch `right_results` grades, the smallest first.
pub fn all(seed: u64, radius: usize) -> Vec<Batch> {
    vec![one(seed), five(seed), twelve(seed, radius)]
}

/// Runs of a model check that must all show the fault before it fails: a
/// wrong model shows in every run, a busy machine in few.
pub const RUNS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are distinct, latencies are the planned ones in some order, and
    /// the same seed makes the same batch.
    #[test]
    fn batches_are_seeded_and_distinct() {
        let a = twelve(7, 10);
        let mut seen: Vec<u64> = a.images.iter().map(|p| p.id).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 12);
        assert_eq!(a.sum_of_latencies(), Duration::from_millis(2 * 855 + 24));
        let b = twelve(7, 10);
        assert!(
            a.images
                .iter()
                .zip(&b.images)
                .all(|(x, y)| x.id == y.id && x.image == y.image)
        );
        assert_ne!(twelve(8, 10).images[0].id, 0);
        assert_eq!(
            all(3, 10)
                .iter()
                .map(|b| b.images.len())
                .collect::<Vec<_>>(),
            [1, 5, 12]
        );
    }

    /// The calibrated radius lands inside its bounds, and a blur at it
    /// costs the same order of CPU time as planned.
    #[test]
    fn calibration_finds_a_radius_near_the_planned_cost() {
        let radius = calibrate();
        assert!((4..=40).contains(&radius), "{radius}");
        let (w, h) = twelve_sizes()[6];
        let image = Image::generate(2, w, h);
        let before = thread_cpu_time();
        std::hint::black_box(blur_image(&image, radius));
        let cost = thread_cpu_time().saturating_sub(before);
        // Generous bounds: a test must not judge this machine's speed.
        assert!(cost < BLUR_CPU * 10, "{cost:?}");
    }
}
