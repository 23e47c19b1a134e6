//! Grader of exercise 02, three fetches.
//!
//! The learner's `load_profile` runs against a simulated profile API on a
//! current-thread tokio runtime whose clock is paused, so every simulated
//! wait is exact and takes no real time. The checks prove the model:
//!
//! - `right_answer`: the profile is the one the API serves;
//! - `overlapping_waits`: simulated time equals the slowest fetch, with all
//!   three in flight at once (awaiting in a row costs the sum);
//! - `one_thread`: every fetch ran on the runtime's own thread (no thread per
//!   fetch, no runtime per fetch);
//! - `never_blocks`: the runtime's thread was never held for 50 ms or more
//!   (`std::thread::sleep` costs no simulated time, but it freezes the
//!   juggler, and the poll timer and heartbeat see it on the real clock);
//! - `fails_fast`: when one fetch fails, its error comes back as soon as it
//!   arrives, without waiting for the others.

use std::time::Duration;

use grading::observe::{AsyncRun, run_paused};
use grading::{Check, Ctx, Verdict, ms};
use lab::profile::{Endpoint, FetchError, Post, Profile, ProfileApi, User, UserId};

const CHECKS: &[Check] = &[
    Check {
        name: "right_answer",
        about: "returns the user, posts and friends the API serves",
        run: right_answer,
    },
    Check {
        name: "overlapping_waits",
        about: "the three fetches wait at the same time: total = the slowest, 3 in flight",
        run: overlapping_waits,
    },
    Check {
        name: "one_thread",
        about: "every fetch runs on the runtime's one thread",
        run: one_thread,
    },
    Check {
        name: "never_blocks",
        about: "the runtime's thread is never blocked (no blocking sleep or call)",
        run: never_blocks,
    },
    Check {
        name: "fails_fast",
        about: "an error from any fetch is returned as soon as it arrives",
        run: fails_fast,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}

/// Virtual time the learner's code gets before it counts as hung.
const LIMIT: Duration = Duration::from_secs(60);
/// Tolerance on virtual time: tokio rounds each sleep up to a whole ms.
const SLACK: Duration = Duration::from_millis(2);
/// The longest the runtime's thread may be held before it counts as blocked.
/// Correct code stays under 5 ms even on a busy machine; the wrong models
/// this catches hold it for hundreds.
const STALL_LIMIT: Duration = Duration::from_millis(50);
/// Runs of `never_blocks` that must all show a stall before it fails.
const STALL_RUNS: usize = 3;

/// The generated world of one run: a profile and three latencies.
struct World {
    profile: Profile,
    latency: [Duration; 3],
}

impl World {
    fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let names = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
        let user = |rng: &mut fastrand::Rng| User {
            id: UserId(rng.u64(1..1_000_000)),
            name: names[rng.usize(..names.len())].to_string(),
        };
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
        // Three distinct latencies of whole milliseconds, in random order.
        let mut base = [100, 200, 300];
        rng.shuffle(&mut base);
        let latency = base.map(|b| Duration::from_millis(b + rng.u64(0..50)));
        World { profile, latency }
    }

    fn api(&self, recorder: lab::io::Recorder) -> ProfileApi {
        let mut api = ProfileApi::new(recorder, self.profile.clone());
        for (endpoint, latency) in Endpoint::ALL.into_iter().zip(self.latency) {
            api = api.with_latency(endpoint, latency);
        }
        api
    }

    fn slowest(&self) -> Duration {
        self.latency.into_iter().max().unwrap_or_default()
    }

    fn total(&self) -> Duration {
        self.latency.into_iter().sum()
    }

    fn latencies(&self) -> String {
        Endpoint::ALL
            .into_iter()
            .zip(self.latency)
            .map(|(e, l)| format!("{} {}", e.name(), ms(l)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

type Outcome = Option<Result<Profile, FetchError>>;

/// Runs the learner's `load_profile` against `api` on the paused runtime.
fn run(world: &World, customise: impl FnOnce(ProfileApi) -> ProfileApi) -> AsyncRun<Result<Profile, FetchError>> {
    let id = world.profile.user.id;
    run_paused(LIMIT, |recorder| {
        let api = customise(world.api(recorder));
        async move { subject::load_profile(&api, id).await }
    })
}

fn never_finished(run: &AsyncRun<Result<Profile, FetchError>>) -> Option<Verdict> {
    run.output.is_none().then(|| {
        Verdict::fail(format!(
            "load_profile had not returned after {} s of simulated time; it was waiting for \
             something that never happens. Expected it back after the slowest fetch.",
            LIMIT.as_secs()
        ))
        .timeline(run.timeline())
    })
}

fn right_answer(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    let run = run(&world, |api| api);
    if let Some(verdict) = never_finished(&run) {
        return verdict;
    }
    let outcome: Outcome = run.output;
    match outcome {
        Some(Ok(profile)) if profile == world.profile => {
            Verdict::pass("the profile matches what the API served")
        }
        Some(Ok(profile)) => {
            let wrong: Vec<&str> = [
                ("user", profile.user != world.profile.user),
                ("posts", profile.posts != world.profile.posts),
                ("friends", profile.friends != world.profile.friends),
            ]
            .into_iter()
            .filter_map(|(field, differs)| differs.then_some(field))
            .collect();
            Verdict::fail(format!(
                "the returned profile differs from what the API served in: {}. Expected each \
                 field to hold the matching fetch's answer.",
                wrong.join(", ")
            ))
        }
        Some(Err(err)) => Verdict::fail(format!(
            "load_profile returned an error ({err}) although every fetch succeeded. Expected Ok \
             with the profile."
        )),
        None => unreachable!("handled by never_finished"),
    }
}

fn overlapping_waits(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    let run = run(&world, |api| api);
    if let Some(verdict) = never_finished(&run) {
        return verdict;
    }
    let (took, peak, calls) = (run.virtual_elapsed, run.peak_in_flight, run.calls.len());
    let expected = format!(
        "expected them to overlap: {}, 3 in flight ({})",
        ms(world.slowest()),
        world.latencies()
    );
    let verdict = if calls != 3 {
        Verdict::fail(format!(
            "load_profile made {calls} fetches; expected exactly one each of user, posts and \
             friends"
        ))
    } else if took + SLACK >= world.total() && peak == 1 {
        Verdict::fail(format!(
            "the three fetches ran one after another: {} of simulated waiting, at most 1 in \
             flight; {expected}",
            ms(took)
        ))
    } else if took + SLACK < world.slowest() {
        Verdict::fail(format!(
            "only {} of simulated time passed though the slowest fetch waits {}: the fetches \
             did their waiting somewhere else (on other threads or another runtime), not as \
             tasks of the runtime that called load_profile; {expected}",
            ms(took),
            ms(world.slowest())
        ))
    } else if took <= world.slowest() + SLACK && peak == 3 {
        Verdict::pass(format!(
            "the three fetches overlapped: {} of simulated time, 3 in flight",
            ms(took)
        ))
    } else {
        Verdict::fail(format!(
            "the fetches took {} of simulated time with at most {peak} in flight; {expected}",
            ms(took)
        ))
    };
    verdict.timeline(run.timeline())
}

fn one_thread(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    let run = run(&world, |api| api);
    if let Some(verdict) = never_finished(&run) {
        return verdict;
    }
    if run.calls.is_empty() {
        return Verdict::fail("load_profile made no fetches at all; expected three");
    }
    match run.foreign_threads() {
        0 => Verdict::pass("every fetch ran on the runtime's own thread"),
        n => Verdict::fail(format!(
            "the fetches ran on {n} other OS thread{} besides the runtime's own ({} of real time \
             passed): that is a thread per fetch, each one blocked while it waits. Expected all \
             three as async work on the one thread that runs load_profile: join the futures \
             instead of spawning threads or runtimes.",
            if n == 1 { "" } else { "s" },
            ms(run.real_elapsed)
        ))
        .timeline(run.timeline()),
    }
}

fn never_blocks(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    // A blocking call holds the thread on every run; the operating system
    // pausing our process on a crowded machine does not. So a stall counts
    // only if every one of a few runs shows it: the least stalled run
    // decides.
    let mut runs = Vec::new();
    for _ in 0..STALL_RUNS {
        let run = run(&world, |api| api);
        if let Some(verdict) = never_finished(&run) {
            return verdict;
        }
        let quiet = run.stall() < STALL_LIMIT;
        runs.push(run);
        if quiet {
            break;
        }
    }
    let least = runs
        .iter()
        .min_by_key(|r| r.stall())
        .expect("at least one run");
    let evidence = format!(
        "longest poll {}, heartbeat at worst {} late, {} of real time for {} of simulated time",
        ms(least.longest_poll),
        ms(least.heartbeat_lateness),
        ms(least.real_elapsed),
        ms(least.virtual_elapsed)
    );
    if least.stall() < STALL_LIMIT {
        Verdict::pass("the runtime's thread was never blocked").detail(evidence)
    } else {
        Verdict::fail(format!(
            "the runtime's thread was blocked for {} at a stretch (at least, in each of {} \
             runs): something held it (a std::thread::sleep, a blocking call, a join on threads) \
             instead of awaiting, and while it is held no other task can move. Expected no block \
             of {} or more.",
            ms(least.stall()),
            runs.len(),
            ms(STALL_LIMIT)
        ))
        .detail(evidence)
    }
}

fn fails_fast(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    // Friends fails quickly while the other two are slow.
    let fail_after = Duration::from_millis(40);
    let run = run(&world, |api| {
        api.with_latency(Endpoint::Friends, fail_after)
            .failing(Endpoint::Friends)
    });
    if let Some(verdict) = never_finished(&run) {
        return verdict;
    }
    let took = run.virtual_elapsed;
    let verdict = match &run.output {
        Some(Err(err)) if err.endpoint == Endpoint::Friends && took + SLACK < fail_after => {
            Verdict::fail(format!(
                "friends fails after {} of waiting, yet only {} of simulated time passed: the \
                 fetches waited somewhere else (on other threads or another runtime), not as \
                 tasks of the runtime that called load_profile",
                ms(fail_after),
                ms(took)
            ))
        }
        Some(Err(err)) if err.endpoint == Endpoint::Friends && took <= fail_after + SLACK => {
            Verdict::pass(format!(
                "the friends error came back after {}, as soon as it arrived",
                ms(took)
            ))
            .detail(format!("{} fetch(es) still in flight were cancelled", run.cancelled))
        }
        Some(Err(err)) if err.endpoint == Endpoint::Friends => Verdict::fail(format!(
            "friends failed after {} but load_profile returned its error only after {}: it \
             waited for the other fetches first. Expected the error back at {}.",
            ms(fail_after),
            ms(took),
            ms(fail_after)
        )),
        Some(Err(err)) => Verdict::fail(format!(
            "only friends failed, but load_profile returned a different error: {err}"
        )),
        Some(Ok(_)) => Verdict::fail(
            "friends failed but load_profile returned Ok; expected the friends error",
        ),
        None => unreachable!("handled by never_finished"),
    };
    verdict.timeline(run.timeline())
}
