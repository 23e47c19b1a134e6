//! The world the learner's `blur` is run in: the image shapes it is graded
//! on, and the figures every check runs with.

use std::fmt;
use std::time::Duration;

use lab::cpu::Watch;
use lab::image::Image;

/// An image size and a blur radius to grade `blur` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels (rows).
    pub height: usize,
    /// The blur radius.
    pub radius: usize,
    /// Why this shape is graded: which shortcut it catches.
    pub why: &'static str,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}x{} image with radius {}",
            self.width, self.height, self.radius
        )
    }
}

impl Shape {
    /// The picture for this shape. Each shape gets its own seed, drawn from
    /// the run's, so pixels are never shared between shapes or runs.
    pub fn image(&self, seed: u64) -> Image {
        let salt = (self.width * 7919 + self.height * 104_729 + self.radius) as u64;
        Image::generate(seed ^ salt, self.width, self.height)
    }

    /// The most `blur_row` calls a live run of this shape may start before
    /// the watchdog calls it an endless loop: eight calls per row, far more
    /// than any correct solution makes (one), and reached within a second by
    /// a loop that never stops.
    pub fn watch(&self) -> Watch {
        Watch {
            quiet: QUIET,
            max_calls: 8 * self.height + 64,
        }
    }
}

/// The shape the model checks run on: about 100 ms of work on one core and
/// enough rows (over 64) that every worker gets some even when the machine
/// is busy.
pub const DEFAULT: Shape = Shape {
    width: 1024,
    height: 768,
    radius: 8,
    why: "the default",
};

/// Every shape `same_pixels` grades. Each catches a shortcut that gives the
/// right pixels on the default alone: rows left over when the height does
/// not divide into equal bands, sizes or a radius written in as constants,
/// bands of zero rows on short images, arithmetic that breaks at the edges.
pub const SHAPES: &[Shape] = &[
    DEFAULT,
    Shape {
        width: 1023,
        height: 769,
        radius: 8,
        why: "sizes that do not divide by the 4 threads",
    },
    Shape {
        width: 1,
        height: 1,
        radius: 1,
        why: "a single pixel",
    },
    Shape {
        width: 3,
        height: 2,
        radius: 1,
        why: "a tiny image",
    },
    Shape {
        width: 64,
        height: 3,
        radius: 2,
        why: "fewer rows than rayon's 4 threads",
    },
    Shape {
        width: 5,
        height: 301,
        radius: 3,
        why: "a tall, thin image",
    },
    Shape {
        width: 200,
        height: 150,
        radius: 0,
        why: "radius 0, which copies the image",
    },
    Shape {
        width: 20,
        height: 10,
        radius: 40,
        why: "a radius larger than the image",
    },
];

/// How long the learner's `blur` may go without starting or finishing a
/// row before the watchdog ends the check. A correct solution's longest
/// quiet stretch is a few milliseconds, tens on a crowded machine (the
/// reports show it as "longest pause between rows"): two seconds is far
/// above that, and short enough that a hanging submission is graded in a
/// few seconds.
pub const QUIET: Duration = Duration::from_secs(2);

/// How long the first row waits at the rendezvous for a second thread. A
/// rayon worker takes the next row within a millisecond or two, a starved
/// one within tens; one second is ample, and the wait is the probe's own,
/// so the watchdog does not count it as quiet.
pub const RENDEZVOUS: Duration = Duration::from_secs(1);

/// Ordinary (unheld) runs that `simultaneous` looks at for two rows at the
/// same instant before it gives up: one is almost always enough.
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
