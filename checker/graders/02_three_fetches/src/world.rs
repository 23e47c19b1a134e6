//! The generated inputs: a profile, and the latencies of its three
//! endpoints. Everything here is a pure function of the seed, so a report's
//! seed repeats a run exactly.

use std::time::Duration;

use lab::io::Recorder;
use lab::profile::{Endpoint, Post, Profile, ProfileApi, User, UserId};

/// A profile and how long each endpoint takes, in `Endpoint::ALL` order.
#[derive(Debug, Clone)]
pub struct World {
    /// What the API serves.
    pub profile: Profile,
    /// User, posts, friends.
    pub latency: [Duration; 3],
}

/// Where the failing fetch's answer comes, among the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Before both others: code that waits for everything is late.
    First,
    /// After one and before the other: code that returns early only when
    /// the error is the first answer it sees is late.
    Middle,
}

/// One run of `fails_fast`: which endpoint fails, and when each answers.
#[derive(Debug, Clone)]
pub struct FailingRun {
    /// The world, with `failing` answering an error after its latency.
    pub world: World,
    /// The endpoint that fails.
    pub failing: Endpoint,
    /// Where its answer comes among the three.
    pub position: Position,
}

const NAMES: [&str; 8] = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken",
];

fn user(rng: &mut fastrand::Rng) -> User {
    User {
        id: UserId(rng.u64(1..1_000_000)),
        name: NAMES[rng.usize(..NAMES.len())].to_string(),
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

impl World {
    /// The world of `seed`: a user with one to four posts and one to three
    /// friends; latencies near 100, 200 and 300 ms, whole milliseconds (the
    /// paused clock rounds sleeps up to them), in a random order.
    pub fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let profile = Profile {
            user: user(&mut rng),
            posts: (0..rng.usize(1..5))
                .map(|i| Post {
                    id: rng.u64(1..1_000_000),
                    title: format!("Post number {}", i + 1),
                })
                .collect(),
            friends: (0..rng.usize(1..4)).map(|_| user(&mut rng)).collect(),
        };
        let mut base = [100, 200, 300];
        rng.shuffle(&mut base);
        let latency = base.map(|b| ms(b + rng.u64(0..50)));
        World { profile, latency }
    }

    /// An edge shape of `seed`'s world: a user with no posts and no
    /// friends, which code that assumes a non-empty list gets wrong.
    pub fn lonely(seed: u64) -> Self {
        let mut world = World::new(seed ^ 0x5eed);
        world.profile.posts.clear();
        world.profile.friends.clear();
        world
    }

    /// The same world with its latencies rotated `k` places, so that over
    /// three rotations each endpoint is the slowest once.
    pub fn rotated(&self, k: usize) -> Self {
        let mut world = self.clone();
        world.latency.rotate_right(k % 3);
        world
    }

    /// The runs of `fails_fast` for `seed`: each endpoint fails once. One
    /// of them (chosen by the seed) fails first; each of the other two fails
    /// second, once with each of the remaining endpoints slower than it. So
    /// code that waits for everything is late in the first run; code that
    /// returns early only for the first answer is late in the others; and
    /// code that joins any two fetches before looking at their errors is
    /// late in at least one run, whichever two it pairs.
    pub fn failing_runs(seed: u64) -> [FailingRun; 3] {
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(31).wrapping_add(2));
        let mut order = Endpoint::ALL;
        rng.shuffle(&mut order);
        let [a, b, c] = order;
        let base = World::new(seed);
        let fast = ms(40 + rng.u64(0..20));
        let middle = ms(150 + rng.u64(0..40));
        let slow = ms(300 + rng.u64(0..50));
        let run = |failing: Endpoint, position: Position, times: [(Endpoint, Duration); 3]| {
            let mut world = base.clone();
            for (endpoint, latency) in times {
                world.latency[endpoint as usize] = latency;
            }
            FailingRun {
                world,
                failing,
                position,
            }
        };
        [
            run(a, Position::First, [(a, fast), (b, middle), (c, slow)]),
            run(b, Position::Middle, [(a, fast), (b, middle), (c, slow)]),
            run(c, Position::Middle, [(a, fast), (c, middle), (b, slow)]),
        ]
    }

    /// The simulated API serving this world, logging to `recorder`.
    pub fn api(&self, recorder: Recorder) -> ProfileApi {
        let mut api = ProfileApi::new(recorder, self.profile.clone());
        for (endpoint, latency) in Endpoint::ALL.into_iter().zip(self.latency) {
            api = api.with_latency(endpoint, latency);
        }
        api
    }

    /// Each endpoint with its latency.
    pub fn latencies(&self) -> [(Endpoint, Duration); 3] {
        [0, 1, 2].map(|i| (Endpoint::ALL[i], self.latency[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same seed gives the same world; latencies are distinct.
    #[test]
    fn worlds_repeat_by_seed() {
        let (a, b) = (World::new(9), World::new(9));
        assert_eq!(a.profile, b.profile);
        assert_eq!(a.latency, b.latency);
        assert!(a.latency[0] != a.latency[1] && a.latency[1] != a.latency[2]);
    }

    /// Over three rotations every endpoint is the slowest once.
    #[test]
    fn rotations_make_each_endpoint_the_slowest() {
        let world = World::new(3);
        let slowest: Vec<usize> = (0..3)
            .map(|k| {
                let l = world.rotated(k).latency;
                (0..3).max_by_key(|&i| l[i]).unwrap()
            })
            .collect();
        let mut sorted = slowest.clone();
        sorted.sort();
        assert_eq!(sorted, [0, 1, 2]);
    }

    /// Every endpoint fails once; the first run's failure comes first, the
    /// others' in the middle; and for every pair of endpoints some run has
    /// one of them failing while the other is still waiting.
    #[test]
    fn failing_runs_cover_every_endpoint_and_position() {
        for seed in 0..50 {
            let runs = World::failing_runs(seed);
            let mut failing: Vec<Endpoint> = runs.iter().map(|r| r.failing).collect();
            failing.sort_by_key(|e| *e as usize);
            assert_eq!(failing, Endpoint::ALL);
            for run in &runs {
                let l = run.world.latency;
                let own = l[run.failing as usize];
                let faster = l.iter().filter(|&&x| x < own).count();
                let expected = match run.position {
                    Position::First => 0,
                    Position::Middle => 1,
                };
                assert_eq!(faster, expected, "seed {seed}");
            }
            for x in Endpoint::ALL {
                for y in Endpoint::ALL.into_iter().filter(|y| *y != x) {
                    let caught = runs.iter().any(|r| {
                        let l = r.world.latency;
                        (r.failing == x && l[y as usize] > l[x as usize])
                            || (r.failing == y && l[x as usize] > l[y as usize])
                    });
                    assert!(caught, "seed {seed}: pair {x:?}, {y:?}");
                }
            }
        }
    }
}
