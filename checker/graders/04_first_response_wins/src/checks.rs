//! The checks: each runs the learner's `first_response` in generated races
//! under the instruments, gathers the evidence, and hands it to the pure
//! decision of the same name in [`crate::decide`].

use std::time::Duration;

use grading::observe::{AsyncRun, Hang, Paused, run_paused};
use grading::{Ctx, Verdict, ms};
use lab::mirrors::{Download, FetchEnd, MirrorSet, RaceError};

use crate::decide::{self, DropRun, Fate, Got, Loser, MirrorFacts, RaceRun};
use crate::world::{Behaviour, Expected, Race, latencies};

/// How `first_response` runs: on the paused clock, under a watchdog.
const PAUSED: Paused = Paused {
    // Every race is decided within a second of simulated time.
    limit: Duration::from_secs(30),
    // Correct code finishes a race in microseconds of real time; a poll
    // that has not returned in 2 s never will.
    stuck_after: Duration::from_secs(2),
    run_limit: Duration::from_secs(3),
    name: "first_response",
    on_hang,
};

type Run = AsyncRun<Result<Download, RaceError>>;

/// Runs the learner's `first_response` on `race`; returns the run and the
/// mirror set, whose log says when each fetch ended.
fn run(race: &Race) -> (Run, MirrorSet) {
    let mut set_out = None;
    let deadline = race.deadline;
    let run = run_paused(&PAUSED, |recorder| {
        let set = race.set(recorder);
        set_out = Some(set.clone());
        let mirrors = set.mirrors();
        async move { subject::first_response(&mirrors, deadline).await }
    });
    (run, set_out.expect("the body was built"))
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
        timeline: hang.timeline.clone(),
    })
}

/// The verdict of a run that never returned, if it did not.
fn unfinished(run: &Run, race: &Race) -> Option<Verdict> {
    run.output.is_none().then(|| {
        decide::unfinished(&decide::Unfinished {
            limit: PAUSED.limit,
            deadline: race.deadline,
            real_elapsed: run.real_elapsed,
            foreign_threads: run.foreign_threads(),
            timeline: run.timeline(),
        })
    })
}

/// The race in words, every mirror with its latency: what the learner's
/// code was given.
fn scenario(race: &Race) -> String {
    let each: Vec<String> = race
        .specs
        .iter()
        .map(|s| {
            let fails = if s.fails { " failing" } else { "" };
            format!("{} {}{fails}", s.name, ms(s.latency))
        })
        .collect();
    format!(
        "{} mirrors ({}) and a {} deadline",
        race.specs.len(),
        each.join(", "),
        ms(race.deadline)
    )
}

/// Runs `race` and gathers what `first_success_wins`, `skips_failures`
/// and `deadline_exact` judge.
fn race_evidence(race: &Race) -> Result<RaceRun, Verdict> {
    let (run, _) = run(race);
    if let Some(verdict) = unfinished(&run, race) {
        return Err(verdict);
    }
    let got = match run.output.as_ref().expect("handled by unfinished") {
        Ok(download) => Got::Download {
            mirror: download.mirror.clone(),
            intact: download.contents == race.contents,
        },
        Err(RaceError::AllFailed(errors)) => {
            let mut named: Vec<&str> = errors
                .iter()
                .map(|e| e.mirror.as_str())
                .filter(|m| race.specs.iter().any(|s| s.fails && s.name == *m))
                .collect();
            named.sort();
            named.dedup();
            Got::AllFailed {
                errors: errors.len(),
                distinct: named.len(),
            }
        }
        Err(RaceError::TimedOut) => Got::TimedOut,
    };
    Ok(RaceRun {
        scenario: scenario(race),
        mirrors: race
            .specs
            .iter()
            .map(|s| MirrorFacts {
                name: s.name.clone(),
                latency: s.latency,
                fails: s.fails,
            })
            .collect(),
        deadline: race.deadline,
        expected: race.expected(),
        got,
        took: run.virtual_elapsed,
        foreign_threads: run.foreign_threads(),
        real_elapsed: run.real_elapsed,
        timeline: run.timeline(),
    })
}

/// Runs every race, then hands the evidence to `decide`.
fn judge_races(races: &[Race], decide: fn(&[RaceRun]) -> Verdict) -> Verdict {
    let mut runs = Vec::new();
    for race in races {
        match race_evidence(race) {
            Ok(run) => runs.push(run),
            Err(verdict) => return verdict,
        }
    }
    decide(&runs)
}

/// A seed per race, so that races of one check differ from each other.
fn seed_of(ctx: &Ctx, race: u64) -> u64 {
    ctx.seed.wrapping_mul(1_000_003).wrapping_add(race)
}

/// `n` succeeding mirrors with the fastest at `fastest`, and a deadline
/// after the slowest.
fn clean_race(seed: u64, n: usize, fastest: usize) -> Race {
    let l = latencies(seed, n, fastest);
    let slowest = *l.iter().max().expect("mirrors");
    let behaviours: Vec<Behaviour> = l.into_iter().map(|l| (l, false)).collect();
    Race::new(seed, &behaviours, slowest + 50 + seed % 150)
}

/// Mirrors with latencies `l`; those at the `failing` positions fail.
fn race_with_failures(seed: u64, l: Vec<u64>, failing: &[usize], deadline: u64) -> Race {
    let behaviours: Vec<Behaviour> = l
        .into_iter()
        .enumerate()
        .map(|(i, l)| (l, failing.contains(&i)))
        .collect();
    Race::new(seed, &behaviours, deadline)
}

/// Positions of `l` from fastest to slowest.
fn by_speed(l: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..l.len()).collect();
    order.sort_by_key(|&i| l[i]);
    order
}

pub fn first_success_wins(ctx: &Ctx) -> Verdict {
    // The fastest mirror at every position of two and of three mirrors,
    // and inside a group of five.
    let shapes = [
        (2, 0),
        (2, 1),
        (3, 0),
        (3, 1),
        (3, 2),
        (5, 2 + (ctx.seed % 2) as usize),
    ];
    let races: Vec<Race> = shapes
        .iter()
        .enumerate()
        .map(|(i, &(n, fastest))| clean_race(seed_of(ctx, i as u64), n, fastest))
        .collect();
    judge_races(&races, decide::first_success_wins)
}

pub fn skips_failures(ctx: &Ctx) -> Verdict {
    let mut races = Vec::new();
    // Three mirrors; the fastest fails, at each position in turn.
    for p in 0..3 {
        let seed = seed_of(ctx, 10 + p as u64);
        let l = latencies(seed, 3, p);
        let deadline = l.iter().max().expect("mirrors") + 100;
        races.push(race_with_failures(seed, l, &[p], deadline));
    }
    // Four mirrors; the two fastest fail, wherever they stand.
    let seed = seed_of(ctx, 13);
    let l = latencies(seed, 4, (seed % 4) as usize);
    let order = by_speed(&l);
    let deadline = l.iter().max().expect("mirrors") + 100;
    races.push(race_with_failures(seed, l, &order[..2], deadline));
    // Four mirrors; all fail but the slowest, which wins last.
    let seed = seed_of(ctx, 14);
    let l = latencies(seed, 4, (seed % 4) as usize);
    let order = by_speed(&l);
    let deadline = l.iter().max().expect("mirrors") + 100;
    races.push(race_with_failures(seed, l, &order[..3], deadline));
    // Every mirror fails: three, then two of them.
    for (k, n) in [(15, 3), (16, 2)] {
        let seed = seed_of(ctx, k);
        let l = latencies(seed, n, (seed % n as u64) as usize);
        let deadline = l.iter().max().expect("mirrors") + 100;
        let all: Vec<usize> = (0..n).collect();
        races.push(race_with_failures(seed, l, &all, deadline));
    }
    judge_races(&races, decide::skips_failures)
}

pub fn deadline_exact(ctx: &Ctx) -> Verdict {
    let mut races = Vec::new();
    // Every mirror slower than the deadline.
    let seed = seed_of(ctx, 20);
    let l = latencies(seed, 2, 1);
    let fastest = *l.iter().min().expect("mirrors");
    races.push(race_with_failures(seed, l, &[], fastest - 20 - seed % 15));
    // One mirror fails before the deadline and the others are slower:
    // that error does not end the race, the deadline does.
    let seed = seed_of(ctx, 21);
    let l = latencies(seed, 3, (seed % 3) as usize);
    let order = by_speed(&l);
    let deadline = (l[order[0]] + l[order[1]]) / 2;
    races.push(race_with_failures(seed, l, &order[..1], deadline));
    // A file arriving 1 ms before the deadline still wins, after an error.
    let seed = seed_of(ctx, 22);
    let l = latencies(seed, 4, (seed % 4) as usize);
    let order = by_speed(&l);
    let deadline = l[order[1]] + 1;
    races.push(race_with_failures(seed, l, &order[..1], deadline));
    // A short deadline among five mirrors.
    let seed = seed_of(ctx, 23);
    let l = latencies(seed, 5, 4);
    races.push(race_with_failures(seed, l, &[], 25 + seed % 10));
    judge_races(&races, decide::deadline_exact)
}

/// How each fetch that had not answered when the race was decided ended.
/// The recorder's calls were taken before the runtime shut down, so a
/// task left running still shows as running here.
fn losers(race: &Race, run: &Run, ends: &[FetchEnd], decided_at: Duration) -> Vec<Loser> {
    race.specs
        .iter()
        .filter(|s| s.latency > decided_at)
        .map(|s| {
            let fate = match run.calls.iter().find(|c| c.label == s.name) {
                None => Fate::NotAsked,
                Some(c) if c.cancelled => ends
                    .iter()
                    .find(|e| e.mirror == s.name && e.dropped)
                    .map_or(Fate::Running, |e| Fate::Dropped(e.virtual_at)),
                Some(c) => c.virtual_end.map_or(Fate::Running, Fate::Finished),
            };
            Loser {
                name: s.name.clone(),
                fate,
            }
        })
        .collect()
}

pub fn losers_dropped(ctx: &Ctx) -> Verdict {
    let shapes = [(3, 0), (3, 1), (3, 2), (5, 1 + (ctx.seed % 3) as usize)];
    let mut races: Vec<Race> = shapes
        .iter()
        .enumerate()
        .map(|(i, &(n, fastest))| clean_race(seed_of(ctx, 30 + i as u64), n, fastest))
        .collect();
    // A race the deadline decides: every fetch is a loser.
    let seed = seed_of(ctx, 34);
    let l = latencies(seed, 3, 2);
    let fastest = *l.iter().min().expect("mirrors");
    races.push(race_with_failures(seed, l, &[], fastest - 15));
    let mut runs = Vec::new();
    for race in &races {
        let (run, set) = run(race);
        if let Some(verdict) = unfinished(&run, race) {
            return verdict;
        }
        let expected = race.expected();
        let decided_by = match expected {
            Expected::Win { index, .. } => format!("{}'s file", race.specs[index].name),
            Expected::TimedOut { .. } => "the deadline".to_string(),
            Expected::AllFailed { .. } => "the last error".to_string(),
        };
        runs.push(DropRun {
            scenario: scenario(race),
            decided_at: expected.at(),
            decided_by,
            losers: losers(race, &run, &set.ends(), expected.at()),
            cancelled: run.cancelled,
            timeline: run.timeline(),
        });
    }
    decide::losers_dropped(&runs)
}
