//! The generated inputs: a list of pages, each with its own latency and
//! answer. Everything here is a pure function of the seed, so a report's
//! seed repeats a run exactly.

use std::time::Duration;

use lab::io::Recorder;
use lab::urls::{Body, FetchError, Page, UrlApi};

/// How the latencies are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// 80 to 120 ms: every page about as slow as the others.
    Narrow,
    /// 10 to 250 ms, and one page in ten 300 to 700 ms: a few slow pages
    /// that code waiting for the slowest of a group pays for again and
    /// again.
    Wide,
}

impl Spread {
    /// For messages: "latencies 80 to 120 ms".
    pub fn words(self) -> &'static str {
        match self {
            Spread::Narrow => "latencies of 80 to 120 ms",
            Spread::Wide => "latencies of 10 to 700 ms",
        }
    }
}

/// The pages of one run, in the order `fetch_all` gets their URLs.
#[derive(Debug, Clone)]
pub struct World {
    /// The pages, in input order.
    pub pages: Vec<Page>,
}

/// Where the failing pages sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errors {
    /// About one page in twenty-five, anywhere.
    Scattered,
    /// The first page, the last, and one in the middle.
    AtTheEnds,
    /// None.
    None,
}

const WORDS: [&str; 8] = [
    "items", "users", "orders", "books", "songs", "maps", "notes", "cards",
];

impl World {
    /// `n` pages of `seed` with latencies spread as `spread` says. URLs are
    /// distinct and in no sorted order, so code that sorts by URL cannot
    /// restore the input order by chance.
    pub fn new(seed: u64, n: usize, spread: Spread, errors: Errors) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed ^ (n as u64).wrapping_mul(0x9e37_79b9));
        let mut ids: Vec<u32> = Vec::with_capacity(n);
        while ids.len() < n {
            let id = rng.u32(1..1_000_000);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let pages = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                let ms = match spread {
                    Spread::Narrow => rng.u64(80..=120),
                    Spread::Wide if rng.u8(0..10) == 0 => rng.u64(300..=700),
                    Spread::Wide => rng.u64(10..=250),
                };
                let fails = match errors {
                    Errors::Scattered => rng.u8(0..25) == 0,
                    Errors::AtTheEnds => i == 0 || i + 1 == n || i == n / 2,
                    Errors::None => false,
                };
                let word = WORDS[rng.usize(..WORDS.len())];
                Page {
                    url: format!("https://api.example/{word}/{id}"),
                    latency: Duration::from_millis(ms),
                    status: if fails {
                        [404, 500, 503][rng.usize(..3)]
                    } else {
                        200
                    },
                    text: format!("{word} #{id}: {}", rng.u32(..)),
                }
            })
            .collect();
        World { pages }
    }

    /// The URLs, in input order.
    pub fn urls(&self) -> Vec<String> {
        self.pages.iter().map(|p| p.url.clone()).collect()
    }

    /// The latencies, in input order.
    pub fn latencies(&self) -> Vec<Duration> {
        self.pages.iter().map(|p| p.latency).collect()
    }

    /// The answers `fetch_all` must return, in input order.
    pub fn expected(&self) -> Vec<Result<Body, FetchError>> {
        self.pages.iter().map(Page::answer).collect()
    }

    /// The simulated server of this world, logging to `recorder`.
    pub fn api(&self, recorder: Recorder) -> UrlApi {
        UrlApi::new(recorder, self.pages.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same seed gives the same pages; URLs are distinct; the wide
    /// spread has slow pages and the scattered errors exist.
    #[test]
    fn worlds_repeat_by_seed() {
        let a = World::new(5, 1_000, Spread::Wide, Errors::Scattered);
        let b = World::new(5, 1_000, Spread::Wide, Errors::Scattered);
        assert_eq!(a.pages, b.pages);
        let mut urls = a.urls();
        urls.sort();
        urls.dedup();
        assert_eq!(urls.len(), 1_000);
        assert!(
            a.latencies()
                .iter()
                .any(|l| *l >= Duration::from_millis(300))
        );
        assert!(a.pages.iter().filter(|p| p.status != 200).count() > 10);
    }

    /// Errors at the ends fail the first, middle and last page only.
    #[test]
    fn errors_at_the_ends() {
        let w = World::new(1, 9, Spread::Narrow, Errors::AtTheEnds);
        let failing: Vec<usize> = (0..9).filter(|&i| w.pages[i].status != 200).collect();
        assert_eq!(failing, [0, 4, 8]);
    }
}

/// The generated latencies keep the wrong schedules apart from the right
/// one by far more than the tolerance, on every seed: waves of `limit` and
/// `buffered` (a finished fetch holds its slot until those before it are
/// done) are computed here by arithmetic, as the mutant fixtures run them.
#[cfg(test)]
mod margins {
    use std::time::Duration;

    use super::*;
    use crate::schedule::list_schedule;

    fn waves(l: &[Duration], k: usize) -> Duration {
        l.chunks(k)
            .map(|w| w.iter().max().copied().unwrap_or_default())
            .sum()
    }

    fn buffered(l: &[Duration], k: usize) -> Duration {
        // Results leave in order: fetch i leaves at y[i] = max(its end,
        // y[i-1]), and fetch i+k starts when fetch i leaves.
        let mut y: Vec<Duration> = Vec::with_capacity(l.len());
        for (i, &latency) in l.iter().enumerate() {
            let start = if i < k { Duration::ZERO } else { y[i - k] };
            let end = start + latency;
            let prev = y.last().copied().unwrap_or_default();
            y.push(end.max(prev));
        }
        y.last().copied().unwrap_or_default()
    }

    #[test]
    fn wrong_schedules_are_slower_by_far_more_than_the_tolerance() {
        for (k, spread) in [(7, Spread::Wide), (2, Spread::Wide), (7, Spread::Narrow)] {
            let mut least = (Duration::MAX, Duration::MAX, Duration::ZERO);
            for seed in 0..20 {
                let l = World::new(seed, 1_000, spread, Errors::Scattered).latencies();
                let right = list_schedule(&l, k);
                let tolerance = Duration::from_millis(right.steps as u64);
                let w = waves(&l, k) - right.makespan;
                let b = buffered(&l, k) - right.makespan;
                assert!(
                    w > tolerance * 10,
                    "seed {seed}, limit {k}: waves only {w:?} slower"
                );
                assert!(
                    b > tolerance * 3,
                    "seed {seed}, limit {k}: buffered only {b:?} slower"
                );
                least = (least.0.min(w), least.1.min(b), least.2.max(tolerance));
            }
            println!(
                "limit {k}, {spread:?}: least margins over the right schedule: waves {:?}, \
                 buffered {:?}; tolerance at most {:?}",
                least.0, least.1, least.2
            );
        }
    }
}
