//! Speedups of the reference solutions: each parallel exercise's solution
//! timed on one thread and on every core of this machine, side by side in
//! one run.
//!
//! | module | exercise | what is timed |
//! |---|---|---|
//! | `blur` | 06 | `blur` of one large image, rows on a rayon pool |
//! | `batch` | 07 | `process_batch` of many photos, one photo per rayon task |
//! | `librarians` | 08 | `count_words` with one librarian thread per core |
//! | `pipeline` | 10 | the async `pipeline`, its blurs on a rayon pool |
//! | `jobs` | 12 | `run_on_pool` with one worker per core |
//!
//! Each input is about half a second to a second of work on one core:
//! long enough that starting threads and waking workers (microseconds)
//! does not count, short enough that the whole table takes well under
//! twenty seconds on two cores. The figures depend on the machine and on
//! what else it is doing: they are shown, never graded.

use std::time::{Duration, Instant};

mod batch;
mod blur;
mod jobs;
mod librarians;
mod pipeline;

/// Runs of each side. The least of three is the run that the rest of the
/// machine disturbed least: other programs can only make a run slower,
/// never faster, so the minimum is the fairest estimate of the work
/// itself (a mean would add their noise in).
pub const RUNS: usize = 3;

/// One exercise measured on one thread and on `threads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speedup {
    /// The exercise, e.g. "06 blur in parallel".
    pub exercise: &'static str,
    /// What was timed, in a few words: "blur 2048x1536 r8".
    pub what: String,
    /// The threads of the parallel side: every core of this machine.
    pub threads: usize,
    /// The best wall time on one thread.
    pub one_thread: Duration,
    /// The best wall time on `threads` threads.
    pub all_threads: Duration,
}

impl Speedup {
    /// How many times faster all the threads were than one: 2.0 means
    /// half the time. Ideal is `threads`; below 1.0 they were slower.
    pub fn ratio(&self) -> f64 {
        self.one_thread.as_secs_f64() / self.all_threads.as_secs_f64().max(1e-9)
    }
}

/// Measures the reference solutions of 06, 07, 08, 10 and 12 on one
/// thread and on every core of this machine
/// (`std::thread::available_parallelism`), side by side in one run.
///
/// # Panics
///
/// If a solution gives a different result on one thread than on all of
/// them: a timing of a wrong answer would mean nothing.
pub fn measure_all() -> Vec<Speedup> {
    let threads = cores();
    vec![
        blur::measure(threads, RUNS),
        batch::measure(threads, RUNS),
        librarians::measure(threads, RUNS),
        pipeline::measure(threads, RUNS),
        jobs::measure(threads, RUNS),
    ]
}

/// The number of cores this process may use (1 under `taskset -c 0`).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One timed call: how long it took, and what it returned.
struct Timed<R> {
    took: Duration,
    result: R,
}

/// Times `work`, and keeps its result to check.
fn timed<R>(work: impl FnOnce() -> R) -> Timed<R> {
    let start = Instant::now();
    let result = work();
    Timed {
        took: start.elapsed(),
        result,
    }
}

/// A rayon pool of exactly `threads` workers.
fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the operating system gives us the pool's threads")
}

/// Runs `side(1)` and `side(threads)` `runs` times each, taking turns
/// (one thread, all, one thread, all...) so that a burst of load from
/// elsewhere lands on both sides alike, and returns the least wall time of
/// each side: `(one thread, all threads)`.
///
/// # Panics
///
/// If any run returns a result other than the first one-thread run's.
fn side_by_side<R: PartialEq>(
    exercise: &str,
    threads: usize,
    runs: usize,
    mut side: impl FnMut(usize) -> Timed<R>,
) -> (Duration, Duration) {
    let mut expected: Option<R> = None;
    let (mut one, mut all) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        for (k, best) in [(1, &mut one), (threads, &mut all)] {
            let run = side(k);
            match &expected {
                None => expected = Some(run.result),
                Some(first) => assert!(
                    run.result == *first,
                    "{exercise}: the run on {k} thread(s) gave a different result \
                     from the first run on one thread"
                ),
            }
            *best = (*best).min(run.took);
        }
    }
    (one, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sides run, in turns, and each keeps its least time.
    #[test]
    fn side_by_side_interleaves_and_keeps_the_least() {
        let mut order = Vec::new();
        let mut n = 0u64;
        let (one, all) = side_by_side("test", 4, 3, |k| {
            order.push(k);
            n += 1;
            Timed {
                took: Duration::from_millis(100 - n),
                result: 7,
            }
        });
        assert_eq!(order, [1, 4, 1, 4, 1, 4]);
        assert_eq!(
            (one, all),
            (Duration::from_millis(95), Duration::from_millis(94))
        );
    }

    /// A side that answers differently stops the measure: a broken
    /// solution cannot show a speedup.
    #[test]
    #[should_panic(expected = "different result")]
    fn a_different_result_is_refused() {
        side_by_side("test", 2, 3, |k| Timed {
            took: Duration::from_millis(1),
            result: k,
        });
    }

    #[test]
    fn ratio_is_one_thread_over_all() {
        let s = Speedup {
            exercise: "x",
            what: String::new(),
            threads: 2,
            one_thread: Duration::from_millis(600),
            all_threads: Duration::from_millis(300),
        };
        assert!((s.ratio() - 2.0).abs() < 1e-9);
    }
}
