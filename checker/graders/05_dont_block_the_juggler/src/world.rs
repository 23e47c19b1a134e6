//! The generated inputs: batches of login requests, each with its own
//! account, password (right or wrong), delay and moment of arrival.
//! Everything but the number of hash rounds is a pure function of the seed;
//! the rounds come from a calibration, so a hash costs about the same CPU
//! time on every machine.

use std::time::Duration;

use lab::password::{Account, LoginRequest, Reply, Salt, hash};
use lab::thread_cpu_time;

/// The CPU time one hash should cost. A real server spends 100 to 300 ms;
/// the checker spends less, so that a run of five requests stays a few
/// hundred ms of CPU, and still enough that a hash on the runtime's thread
/// holds it for tens of ms each time.
pub const HASH_CPU: Duration = Duration::from_millis(25);

/// Requests in the batches of the model checks.
pub const REQUESTS: usize = 5;

/// One request of a batch.
#[derive(Debug, Clone)]
pub struct Planned {
    /// When it arrives, from the start of the run.
    pub arrives: Duration,
    /// The request itself.
    pub request: LoginRequest,
    /// The reply a right handler gives.
    pub expected: Reply,
}

/// Requests that arrive together, as at a busy server.
#[derive(Debug, Clone)]
pub struct Batch {
    /// What the batch looks like, for messages: "five requests, ...".
    pub shape: &'static str,
    /// Its requests, in order of arrival.
    pub requests: Vec<Planned>,
}

const NAMES: [&str; 8] = [
    "ada", "alan", "grace", "edsger", "barbara", "donald", "frances", "ken",
];
const WORDS: [&str; 8] = [
    "juggler",
    "lecturer",
    "chalk",
    "gravity",
    "librarian",
    "archive",
    "pulse",
    "harbour",
];

/// Rounds that cost about [`HASH_CPU`] of CPU time on this machine: the
/// fastest of three short measurements (thread CPU time, which a busy
/// machine does not inflate the way it does wall time), scaled up.
pub fn calibrate() -> u32 {
    const PROBE_ROUNDS: u32 = 1_000_000;
    let fastest = (0..3)
        .map(|_| {
            let before = thread_cpu_time();
            std::hint::black_box(hash("calibration", Salt(1), PROBE_ROUNDS));
            thread_cpu_time().saturating_sub(before)
        })
        .min()
        .unwrap_or_default()
        .max(Duration::from_micros(50));
    let rounds = HASH_CPU.as_secs_f64() / fastest.as_secs_f64() * f64::from(PROBE_ROUNDS);
    rounds.clamp(1e6, 400e6) as u32
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

impl Batch {
    /// The batch of `seed`: [`REQUESTS`] requests, arriving 6 to 10 ms
    /// apart, each with a delay of 120 to 160 ms (whole milliseconds) and
    /// about `rounds` rounds (each account its own cost, within 20%). At
    /// least two passwords are right and two wrong, at positions the seed
    /// chooses, so code that answers by position fails.
    pub fn new(seed: u64, rounds: u32) -> Batch {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut right: [bool; REQUESTS] = [true, true, false, false, rng.bool()];
        rng.shuffle(&mut right);
        let mut arrives = Duration::ZERO;
        let requests = right
            .iter()
            .enumerate()
            .map(|(i, &right)| {
                let delay = ms(120 + rng.u64(0..=40));
                let planned = plan(&mut rng, i, right, arrives, delay, rounds);
                arrives += ms(6 + rng.u64(0..=4));
                planned
            })
            .collect();
        Batch {
            shape: "five requests arriving together, right and wrong passwords",
            requests,
        }
    }

    /// An edge shape: one request, with the right password and no delay at
    /// all, so the reply is due as soon as the hash is done.
    pub fn single(seed: u64, rounds: u32) -> Batch {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
        Batch {
            shape: "one request with no delay",
            requests: vec![plan(
                &mut rng,
                0,
                true,
                Duration::ZERO,
                Duration::ZERO,
                rounds,
            )],
        }
    }

    /// An edge shape: one request with a long delay (250 to 350 ms) and a
    /// light hash (a twentieth of the usual rounds), a wrong password. A
    /// reply that comes before the delay is up cannot hide behind a slow
    /// hash on a busy machine here: it comes some 300 ms early.
    pub fn long_delay(seed: u64, rounds: u32) -> Batch {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0xde1a);
        let delay = ms(250 + rng.u64(0..=100));
        Batch {
            shape: "one request with a long delay",
            requests: vec![plan(
                &mut rng,
                0,
                false,
                Duration::ZERO,
                delay,
                (rounds / 20).max(1),
            )],
        }
    }

    /// The sum of the requests' delays: what answering them one after
    /// another costs at least.
    pub fn sum_of_delays(&self) -> Duration {
        self.requests.iter().map(|p| p.request.delay).sum()
    }
}

/// Request `i`: a fresh account (a salt no other request of the batch has,
/// so the probe tells their hashes apart) and a password, right or wrong.
fn plan(
    rng: &mut fastrand::Rng,
    i: usize,
    right: bool,
    arrives: Duration,
    delay: Duration,
    rounds: u32,
) -> Planned {
    let user = format!("{}{}", NAMES[rng.usize(..NAMES.len())], i + 1);
    let password = format!("{}-{}", WORDS[rng.usize(..WORDS.len())], rng.u32(100..1000));
    // Salts below 2^32, so they survive the probe's `usize` on any target;
    // the index makes them distinct within the batch.
    let salt = Salt((rng.u64(1..1 << 24) << 4) | i as u64);
    let rounds = (f64::from(rounds) * (0.8 + 0.4 * rng.f64())) as u32;
    let account = Account::register(&user, &password, salt, rounds);
    let typed = if right {
        password
    } else {
        format!("{password}!")
    };
    Planned {
        arrives,
        expected: if right {
            Reply::Welcome(user)
        } else {
            Reply::Denied
        },
        request: LoginRequest {
            password: typed,
            account,
            delay,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small rounds keep these tests fast; the shapes do not depend on them.
    const ROUNDS: u32 = 1_000;

    /// A batch has right and wrong passwords, distinct salts, delays in
    /// range and arrivals in order; the same seed gives the same batch.
    #[test]
    fn batches_are_mixed_and_repeat_by_seed() {
        for seed in 0..20 {
            let batch = Batch::new(seed, ROUNDS);
            assert_eq!(batch.requests.len(), REQUESTS);
            let welcomes = batch
                .requests
                .iter()
                .filter(|p| matches!(p.expected, Reply::Welcome(_)))
                .count();
            assert!((2..=3).contains(&welcomes), "seed {seed}");
            let mut salts: Vec<u64> = batch
                .requests
                .iter()
                .map(|p| p.request.account.salt.0)
                .collect();
            salts.sort();
            salts.dedup();
            assert_eq!(salts.len(), REQUESTS);
            for pair in batch.requests.windows(2) {
                assert!(pair[0].arrives < pair[1].arrives);
            }
            for p in &batch.requests {
                assert!((ms(120)..=ms(160)).contains(&p.request.delay));
                assert_eq!(
                    p.request.account.check(&p.request.password),
                    matches!(p.expected, Reply::Welcome(_))
                );
            }
            assert!(batch.sum_of_delays() >= ms(600));
        }
        let (a, b) = (Batch::new(4, ROUNDS), Batch::new(4, ROUNDS));
        assert_eq!(a.requests[2].request, b.requests[2].request);
    }

    /// Over a few seeds, each position holds a wrong password once.
    #[test]
    fn wrong_passwords_move_around() {
        let mut seen = [false; REQUESTS];
        for seed in 0..30 {
            for (i, p) in Batch::new(seed, ROUNDS).requests.iter().enumerate() {
                seen[i] |= p.expected == Reply::Denied;
            }
        }
        assert_eq!(seen, [true; REQUESTS]);
    }

    #[test]
    fn the_long_delay_is_long_and_its_hash_light() {
        let batch = Batch::long_delay(3, 20 * ROUNDS);
        let request = &batch.requests[0].request;
        assert!(request.delay >= ms(250));
        assert!(request.account.rounds <= ROUNDS * 12 / 10);
        assert_eq!(batch.requests[0].expected, Reply::Denied);
    }

    #[test]
    fn the_single_request_is_right_and_undelayed() {
        let batch = Batch::single(3, ROUNDS);
        assert_eq!(batch.requests.len(), 1);
        assert_eq!(batch.requests[0].request.delay, Duration::ZERO);
        assert!(matches!(batch.requests[0].expected, Reply::Welcome(_)));
    }
}
