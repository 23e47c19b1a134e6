//! The checks: each runs the learner's `load_profile` in generated worlds
//! under the instruments, gathers the evidence, and hands it to the pure
//! decision of the same name in [`crate::decide`].

use std::time::Duration;

use grading::observe::{AsyncRun, Hang, Paused, run_paused};
use grading::{Ctx, Verdict};
use lab::io::CallRecord;
use lab::profile::{FetchError, Profile, ProfileApi};

use crate::decide::{self, AnswerRun, FailRun, Field, Got, OverlapRun, Returned, StallRun};
use crate::world::World;

/// How `load_profile` runs: on the paused clock, under a watchdog.
const PAUSED: Paused = Paused {
    // The slowest simulated fetch waits under 400 ms: after 10 s of
    // simulated time nothing is left that could still happen.
    limit: Duration::from_secs(10),
    // Correct code finishes a run in milliseconds of real time, even on a
    // busy machine; a poll that has not returned in 2 s never will.
    stuck_after: Duration::from_secs(2),
    run_limit: Duration::from_secs(3),
    name: "load_profile",
    on_hang,
};

/// Runs of `never_blocks` that must all show a block before it fails.
const STALL_RUNS: usize = 3;

type Run = AsyncRun<Result<Profile, FetchError>>;

/// Runs the learner's `load_profile` in `world` on the paused runtime;
/// `customise` changes the API first (to make an endpoint fail).
fn run(world: &World, customise: impl FnOnce(ProfileApi) -> ProfileApi) -> Run {
    let id = world.profile.user.id;
    run_paused(&PAUSED, |recorder| {
        let api = customise(world.api(recorder));
        async move { subject::load_profile(&api, id).await }
    })
}

/// The verdict of a run that never returned, if it did not.
fn unfinished(run: &Run) -> Option<Verdict> {
    run.output.is_none().then(|| {
        decide::unfinished(&decide::Unfinished {
            limit: PAUSED.limit,
            real_elapsed: run.real_elapsed,
            started: run.calls.len(),
            unfinished: run.calls.iter().filter(|c| c.virtual_end.is_none()).count(),
            foreign_threads: run.foreign_threads(),
            timeline: run.timeline(),
        })
    })
}

/// Called by the watchdog thread when a run stops making progress.
fn on_hang(hang: &Hang) -> Verdict {
    let foreign = hang
        .calls
        .iter()
        .filter(|c| c.thread != hang.runtime_thread)
        .map(|c| c.thread)
        .fold(Vec::new(), |mut seen, t| {
            if !seen.contains(&t) {
                seen.push(t);
            }
            seen
        });
    decide::hang(&decide::HangFacts {
        stuck: hang.stuck,
        stuck_for: hang.stuck_for,
        started: hang.calls.iter().map(|c| c.label.clone()).collect(),
        finished: hang.calls.iter().filter(|c| c.real_end.is_some()).count(),
        foreign_threads: foreign.len(),
        timeline: hang.timeline.clone(),
    })
}

pub fn right_answer(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    for (shape, world) in [
        ("a generated profile", World::new(ctx.seed)),
        (
            "a user with no posts and no friends",
            World::lonely(ctx.seed),
        ),
    ] {
        let run = run(&world, |api| api);
        if let Some(verdict) = unfinished(&run) {
            return verdict;
        }
        let returned = match run.output {
            Some(Ok(profile)) if profile == world.profile => Returned::Matches,
            Some(Ok(profile)) => Returned::Differs(
                [
                    (Field::User, profile.user != world.profile.user),
                    (Field::Posts, profile.posts != world.profile.posts),
                    (Field::Friends, profile.friends != world.profile.friends),
                ]
                .into_iter()
                .filter_map(|(field, differs)| differs.then_some(field))
                .collect(),
            ),
            Some(Err(err)) => Returned::Error(err),
            None => unreachable!("handled by unfinished"),
        };
        runs.push(AnswerRun { shape, returned });
    }
    decide::right_answer(&runs)
}

pub fn overlapping_waits(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    let mut runs = Vec::new();
    // Each endpoint is the slowest once: code that overlaps only some of
    // the fetches is late in at least one of the three.
    for k in 0..3 {
        let world = world.rotated(k);
        let run = run(&world, |api| api);
        if let Some(verdict) = unfinished(&run) {
            return verdict;
        }
        runs.push(OverlapRun {
            latency: world.latencies(),
            took: run.virtual_elapsed,
            real_elapsed: run.real_elapsed,
            peak: run.peak_in_flight,
            calls: run.calls.len(),
            foreign_threads: run.foreign_threads(),
            timeline: run.timeline(),
        });
    }
    decide::overlapping_waits(&runs)
}

pub fn one_thread(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    let run = run(&world, |api| api);
    if let Some(verdict) = unfinished(&run) {
        return verdict;
    }
    decide::one_thread(&decide::Threads {
        calls: run.calls.len(),
        foreign_threads: run.foreign_threads(),
        real_elapsed: run.real_elapsed,
        timeline: run.timeline(),
    })
}

pub fn never_blocks(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    // A blocking call holds the thread on every run; the operating system
    // pausing our process on a crowded machine does not. So the check
    // stops at the first quiet run, and fails only if all of a few runs
    // show a block.
    let mut runs = Vec::new();
    for _ in 0..STALL_RUNS {
        let run = run(&world, |api| api);
        if let Some(verdict) = unfinished(&run) {
            return verdict;
        }
        let stall = StallRun {
            longest: run.stall(),
            longest_poll: run.longest_poll,
            heartbeat_worst: run.heartbeat_lateness,
            total: run.blocked_total(),
            stretches: run.stretches.len(),
            real_elapsed: run.real_elapsed,
            virtual_elapsed: run.virtual_elapsed,
            timeline: run.stall_timeline(),
        };
        let quiet = decide::is_quiet(&stall);
        runs.push(stall);
        if quiet {
            break;
        }
    }
    decide::never_blocks(&runs)
}

pub fn fails_fast(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    for failing in World::failing_runs(ctx.seed) {
        let endpoint = failing.failing;
        let run = run(&failing.world, |api| api.failing(endpoint));
        if let Some(verdict) = unfinished(&run) {
            return verdict;
        }
        let fail_after = failing.world.latency[endpoint as usize];
        let took = run.virtual_elapsed;
        runs.push(FailRun {
            failing: endpoint,
            position: failing.position,
            fail_after,
            got: match &run.output {
                Some(Ok(_)) => Got::Ok,
                Some(Err(err)) => Got::Err(err.endpoint),
                None => unreachable!("handled by unfinished"),
            },
            took,
            waited_for: finished_between(&run.calls, endpoint.name(), fail_after, took),
            cancelled: run.cancelled,
            timeline: run.timeline(),
        });
    }
    decide::fails_fast(&runs)
}

/// Labels of the calls other than the failing one (`failing` is its label)
/// that finished after `from` and by `to` on the simulated clock: what code
/// that returned at `to` waited for.
fn finished_between(
    calls: &[CallRecord],
    failing: &str,
    from: Duration,
    to: Duration,
) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.label != failing)
        .filter(|c| c.virtual_end.is_some_and(|end| end > from && end <= to))
        .map(|c| c.label.clone())
        .collect()
}
