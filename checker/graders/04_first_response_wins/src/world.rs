//! The generated races: mirrors with their latencies and failures, and a
//! deadline. Everything here is a pure function of the seed, so a report's
//! seed repeats a run exactly.

use std::time::Duration;

use lab::io::Recorder;
use lab::mirrors::{MirrorSet, MirrorSpec};

/// What a correct `first_response` does in a race.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Mirror `index`'s file, the first success, when it arrives.
    Win {
        /// The winner's position among the mirrors.
        index: usize,
        /// When its file arrives.
        at: Duration,
    },
    /// Every mirror failed before the deadline: `AllFailed`, when the last
    /// error arrives.
    AllFailed {
        /// When the last error arrives.
        at: Duration,
    },
    /// `TimedOut`, exactly at the deadline.
    TimedOut {
        /// The deadline.
        at: Duration,
    },
}

impl Expected {
    /// When the race is decided.
    pub fn at(self) -> Duration {
        match self {
            Expected::Win { at, .. } | Expected::AllFailed { at } | Expected::TimedOut { at } => at,
        }
    }
}

/// One race: the mirrors, in the order `first_response` gets them, and
/// the deadline.
#[derive(Debug, Clone)]
pub struct Race {
    /// The mirrors.
    pub specs: Vec<MirrorSpec>,
    /// The deadline.
    pub deadline: Duration,
    /// What the file holds.
    pub contents: String,
}

const NAMES: [&str; 10] = [
    "eu-west",
    "us-east",
    "ap-south",
    "sa-east",
    "eu-north",
    "us-west",
    "af-south",
    "ap-east",
    "me-central",
    "ca-central",
];

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// How a mirror of [`Race::new`] behaves: its latency in ms, and whether
/// it fails.
pub type Behaviour = (u64, bool);

impl Race {
    /// A race of `seed` whose mirrors behave as `behaviours` say, in that
    /// order, with `deadline` in ms. Names are drawn from the seed so that
    /// code cannot special-case one.
    pub fn new(seed: u64, behaviours: &[Behaviour], deadline: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut names = NAMES;
        rng.shuffle(&mut names);
        let specs = behaviours
            .iter()
            .zip(names)
            .map(|(&(latency, fails), name)| MirrorSpec {
                name: name.to_string(),
                latency: ms(latency),
                fails,
            })
            .collect();
        Race {
            specs,
            deadline: ms(deadline),
            contents: format!(
                "release-{}.tar.gz: {} bytes",
                rng.u8(1..40),
                rng.u32(1_000..1_000_000)
            ),
        }
    }

    /// What a correct solution returns, and when.
    pub fn expected(&self) -> Expected {
        let winner = self
            .specs
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.fails && s.latency < self.deadline)
            .min_by_key(|(_, s)| s.latency);
        if let Some((index, spec)) = winner {
            return Expected::Win {
                index,
                at: spec.latency,
            };
        }
        let last_error = self
            .specs
            .iter()
            .map(|s| s.latency)
            .max()
            .unwrap_or_default();
        if self.specs.iter().all(|s| s.fails) && last_error < self.deadline {
            Expected::AllFailed { at: last_error }
        } else {
            Expected::TimedOut { at: self.deadline }
        }
    }

    /// The mirrors of this race, logging to `recorder`.
    pub fn set(&self, recorder: Recorder) -> MirrorSet {
        MirrorSet::new(recorder, &self.contents, self.specs.clone())
    }
}

/// Latencies for `n` mirrors of `seed`, distinct and at least 15 ms apart,
/// 40 to 400 ms, with the fastest at position `fastest`.
pub fn latencies(seed: u64, n: usize, fastest: usize) -> Vec<u64> {
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(7_919));
    let mut picked: Vec<u64> = Vec::new();
    while picked.len() < n {
        let l = rng.u64(40..=400);
        // Apart, so that each answer is its own moment.
        if picked.iter().all(|p| p.abs_diff(l) >= 15) {
            picked.push(l);
        }
    }
    picked.sort();
    let min = picked.remove(0);
    rng.shuffle(&mut picked);
    picked.insert(fastest.min(n - 1), min);
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fastest lands where asked; latencies are distinct.
    #[test]
    fn latencies_put_the_fastest_where_asked() {
        for seed in 0..30 {
            for n in 2..6 {
                for at in 0..n {
                    let l = latencies(seed, n, at);
                    assert_eq!(l.len(), n);
                    assert_eq!(l.iter().min(), Some(&l[at]));
                    let mut d = l.clone();
                    d.sort();
                    d.dedup();
                    assert_eq!(d.len(), n);
                }
            }
        }
    }

    /// The expected outcome of each kind of race.
    #[test]
    fn expected_outcomes() {
        let r = Race::new(1, &[(300, false), (100, true), (200, false)], 500);
        assert_eq!(
            r.expected(),
            Expected::Win {
                index: 2,
                at: ms(200)
            }
        );
        let r = Race::new(1, &[(300, true), (100, true)], 500);
        assert_eq!(r.expected(), Expected::AllFailed { at: ms(300) });
        let r = Race::new(1, &[(300, true), (600, false)], 500);
        assert_eq!(r.expected(), Expected::TimedOut { at: ms(500) });
        let r = Race::new(1, &[(300, true), (600, true)], 500);
        assert_eq!(r.expected(), Expected::TimedOut { at: ms(500) });
        let names: Vec<&str> = r.specs.iter().map(|s| s.name.as_str()).collect();
        assert_ne!(names[0], names[1]);
    }
}
