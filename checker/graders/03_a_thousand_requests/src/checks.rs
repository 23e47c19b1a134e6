//! The checks: each runs the learner's `fetch_all` in generated worlds
//! under the instruments, gathers the evidence, and hands it to the pure
//! decision of the same name in [`crate::decide`].

use std::collections::HashMap;
use std::time::Duration;

use grading::observe::{AsyncRun, Hang, Paused, run_paused};
use grading::{Ctx, Verdict};
use lab::io::CallRecord;
use lab::urls::{Body, FetchError};
use protocol::timeline::{Clock, Timeline};

use crate::decide::{self, AnswerRun, Held, PeakRun, ScheduleRun, Threads, Wrong};
use crate::schedule::{self, Interval};
use crate::world::{Errors, Spread, World};

/// How `fetch_all` runs: on the paused clock, under a watchdog. The
/// simulated time limit is set per run, from the world's latencies.
const PAUSED: Paused = Paused {
    limit: Duration::from_secs(60),
    // Correct code runs a thousand simulated fetches in well under a
    // second of real time, even on a busy machine; a poll that has not
    // returned in 2 s never will.
    stuck_after: Duration::from_secs(2),
    // A thousand fetches one after another, with a heartbeat every 5 ms
    // of simulated time, take a few hundred ms of real time in a debug
    // build. Past this, the run is not going to end.
    run_limit: Duration::from_secs(4),
    name: "fetch_all",
    on_hang,
};

/// How much of a run the slot drawing shows: a second and a half holds
/// several rounds of every slot.
const DRAWN: Duration = Duration::from_millis(1_500);

type Run = AsyncRun<Vec<Result<Body, FetchError>>>;

/// Runs the learner's `fetch_all` on `world`'s URLs with `limit`.
fn run(world: &World, limit: usize) -> Run {
    let urls = world.urls();
    // Enough simulated time for every fetch one after another, and then
    // some: only code that waits on nothing runs into it.
    let sum: Duration = world.latencies().iter().sum();
    let config = Paused {
        limit: sum * 2 + Duration::from_secs(60),
        ..PAUSED
    };
    run_paused(&config, |recorder| {
        let api = world.api(recorder);
        async move { subject::fetch_all(&api, &urls, limit).await }
    })
}

/// The calls as intervals on the clock they were measured on: the paused
/// one, or the real one when any fetch ran on another thread.
fn intervals(calls: &[CallRecord], clock: Clock) -> Vec<Interval> {
    calls
        .iter()
        .map(|c| match clock {
            Clock::Virtual => Interval {
                start: c.virtual_start,
                end: c.virtual_end,
            },
            Clock::Real => Interval {
                start: c.real_start,
                end: c.real_end,
            },
        })
        .collect()
}

/// The run's slots, drawn on the clock its fetches were measured on.
fn slots(run: &Run) -> Timeline {
    if run.foreign_threads() == 0 {
        schedule::slot_timeline(
            &intervals(&run.calls, Clock::Virtual),
            run.virtual_elapsed,
            DRAWN,
            Clock::Virtual,
        )
    } else {
        schedule::slot_timeline(
            &intervals(&run.calls, Clock::Real),
            run.real_elapsed,
            run.real_elapsed,
            Clock::Real,
        )
    }
}

/// The verdict of a run that never returned, if it did not.
fn unfinished(run: &Run, n: usize) -> Option<Verdict> {
    run.output.is_none().then(|| {
        decide::unfinished(&decide::Unfinished {
            limit: Duration::ZERO.max(run.virtual_elapsed),
            real_elapsed: run.real_elapsed,
            n,
            started: run.calls.len(),
            unfinished: run.calls.iter().filter(|c| c.virtual_end.is_none()).count(),
            foreign_threads: run.foreign_threads(),
            timeline: slots(run),
        })
    })
}

/// Called by the watchdog thread when a run stops making progress.
fn on_hang(hang: &Hang) -> Verdict {
    let mut foreign = Vec::new();
    for call in &hang.calls {
        if call.thread != hang.runtime_thread && !foreign.contains(&call.thread) {
            foreign.push(call.thread);
        }
    }
    decide::hang(&decide::HangFacts {
        stuck: hang.stuck,
        stuck_for: hang.stuck_for,
        started: hang.calls.len(),
        finished: hang.calls.iter().filter(|c| c.real_end.is_some()).count(),
        foreign_threads: foreign.len(),
        timeline: schedule::slot_timeline(
            &intervals(&hang.calls, Clock::Real),
            hang.real_elapsed,
            hang.real_elapsed,
            Clock::Real,
        ),
    })
}

/// A seed per run, so that runs of one check differ from each other.
fn seed_of(ctx: &Ctx, run: u64) -> u64 {
    ctx.seed.wrapping_mul(1_000_003).wrapping_add(run)
}

/// The URL an answer names.
fn url_of(answer: &Result<Body, FetchError>) -> &str {
    match answer {
        Ok(body) => &body.url,
        Err(err) => &err.url,
    }
}

/// Compares what came back with what the server answered, position by
/// position, and counts the fetches of each URL.
fn answer_evidence(shape: String, world: &World, run: &Run) -> AnswerRun {
    let expected = world.expected();
    let got = run.output.as_deref().unwrap_or_default();
    let index: HashMap<&str, usize> = world
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let mut wrong = Vec::new();
    for (position, (got, want)) in got.iter().zip(&expected).enumerate() {
        if got == want {
            continue;
        }
        let held = match index.get(url_of(got)) {
            Some(&j) if j != position && *got == expected[j] => Held::AnswerOf(j),
            Some(&j) if j == position && got.is_ok() && want.is_err() => Held::BodyForError,
            Some(&j) if j == position && got.is_err() && want.is_ok() => Held::ErrorForBody,
            _ => Held::Unknown,
        };
        wrong.push(Wrong { position, held });
    }
    // The order the fetches finished in: by simulated end, and by real
    // end among those that ended at the same simulated instant.
    let mut finished: Vec<&CallRecord> = run
        .calls
        .iter()
        .filter(|c| c.virtual_end.is_some())
        .collect();
    finished.sort_by_key(|c| (c.virtual_end, c.real_end));
    let in_finish_order = !got.is_empty()
        && finished.len() == got.len()
        && finished.iter().zip(got).all(|(c, g)| c.label == url_of(g));
    let mut counts = vec![0usize; world.pages.len()];
    let mut unknown_fetches = 0;
    for call in &run.calls {
        match index.get(call.label.as_str()) {
            Some(&i) => counts[i] += 1,
            None => unknown_fetches += 1,
        }
    }
    AnswerRun {
        shape,
        n: world.pages.len(),
        returned: got.len(),
        wrong,
        in_finish_order,
        fetched_twice: (0..counts.len()).filter(|&i| counts[i] > 1).collect(),
        never_fetched: (0..counts.len()).filter(|&i| counts[i] == 0).collect(),
        unknown_fetches,
        failing: expected.iter().filter(|a| a.is_err()).count(),
    }
}

pub fn right_answer(ctx: &Ctx) -> Verdict {
    // A thousand with errors anywhere; none; one (failing); fewer URLs
    // than the limit; and errors first, in the middle and last.
    let shapes = [
        (1_000, 7, Spread::Wide, Errors::Scattered),
        (0, 3, Spread::Wide, Errors::None),
        (1, 4, Spread::Narrow, Errors::AtTheEnds),
        (5, 1_000, Spread::Wide, Errors::AtTheEnds),
        (40, 2, Spread::Wide, Errors::AtTheEnds),
    ];
    let mut runs = Vec::new();
    for (i, (n, limit, spread, errors)) in shapes.into_iter().enumerate() {
        let world = World::new(seed_of(ctx, i as u64), n, spread, errors);
        let run = run(&world, limit);
        if let Some(verdict) = unfinished(&run, n) {
            return verdict;
        }
        let shape = format!("{} with a limit of {limit}", plural_urls(n));
        runs.push(answer_evidence(shape, &world, &run));
    }
    decide::right_answer(&runs)
}

fn plural_urls(n: usize) -> String {
    match n {
        0 => "no URLs".to_string(),
        1 => "1 URL".to_string(),
        n => format!("{n} URLs"),
    }
}

pub fn bounded(ctx: &Ctx) -> Verdict {
    let shapes = [
        (1_000, 1, Spread::Narrow),
        (1_000, 2, Spread::Wide),
        (1_000, 7, Spread::Wide),
        (1_000, 1_000, Spread::Narrow),
        (5, 1_000, Spread::Wide),
    ];
    let mut runs = Vec::new();
    for (i, (n, limit, spread)) in shapes.into_iter().enumerate() {
        let world = World::new(seed_of(ctx, 10 + i as u64), n, spread, Errors::Scattered);
        let run = run(&world, limit);
        if let Some(verdict) = unfinished(&run, n) {
            return verdict;
        }
        runs.push(PeakRun {
            limit,
            n,
            peak: run.peak_in_flight,
            foreign_threads: run.foreign_threads(),
        });
    }
    decide::bounded(&runs)
}

pub fn slots_kept_busy(ctx: &Ctx) -> Verdict {
    let shapes = [
        (1_000, 7, Spread::Wide),
        (1_000, 2, Spread::Wide),
        (1_000, 7, Spread::Narrow),
        (1_000, 1, Spread::Narrow),
        (1_000, 1_000, Spread::Wide),
        (30, 4, Spread::Wide),
    ];
    let mut runs = Vec::new();
    for (i, (n, limit, spread)) in shapes.into_iter().enumerate() {
        let world = World::new(seed_of(ctx, 20 + i as u64), n, spread, Errors::Scattered);
        let run = run(&world, limit);
        if let Some(verdict) = unfinished(&run, n) {
            return verdict;
        }
        let latencies = world.latencies();
        runs.push(ScheduleRun {
            limit,
            n,
            spread: spread.words(),
            took: run.virtual_elapsed,
            expected: schedule::list_schedule(&latencies, limit),
            sum: latencies.iter().sum(),
            peak: run.peak_in_flight,
            usage: schedule::usage(&intervals(&run.calls, Clock::Virtual), n, limit),
            foreign_threads: run.foreign_threads(),
            real_elapsed: run.real_elapsed,
            timeline: slots(&run),
            drawn: if run.foreign_threads() == 0 {
                DRAWN.min(run.virtual_elapsed)
            } else {
                run.real_elapsed
            },
        });
    }
    decide::slots_kept_busy(&runs)
}

pub fn one_thread(ctx: &Ctx) -> Verdict {
    let n = 1_000;
    let world = World::new(seed_of(ctx, 30), n, Spread::Wide, Errors::Scattered);
    let run = run(&world, 7);
    if let Some(verdict) = unfinished(&run, n) {
        return verdict;
    }
    decide::one_thread(&Threads {
        calls: run.calls.len(),
        foreign_threads: run.foreign_threads(),
        real_elapsed: run.real_elapsed,
        timeline: slots(&run),
    })
}
