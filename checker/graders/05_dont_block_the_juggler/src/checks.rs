//! The checks: each serves generated batches of login requests with the
//! learner's `login` under the instruments, gathers the evidence, and hands
//! it to the pure decision of the same name in [`crate::decide`].

use std::collections::HashSet;
use std::time::Duration;

use grading::{Ctx, Verdict};

use crate::decide::{self, AnswerRun, OffloadRun, OverlapRun, RequestFacts, StallRun};
use crate::serve::{BatchRun, Hang, serve};
use crate::world::{self, Batch};

/// Runs of the timing checks that must all show the fault before they
/// fail: a blocking call shows in every run, a busy machine in few.
const RUNS: usize = 3;

/// Called by the watchdog thread when a batch stops making progress.
fn on_hang(h: &Hang) -> Verdict {
    decide::hang(&decide::HangFacts {
        stuck: h.stuck,
        stuck_for: h.stuck_for,
        requests: h.requests,
        started: h.started,
        answered: h.answered,
        hashes: h.hashes,
        timeline: h.timeline.clone(),
    })
}

/// The batch every model check serves.
fn batch(ctx: &Ctx) -> Batch {
    Batch::new(ctx.seed, world::calibrate())
}

/// Rounds lab hashed with `salt` during `run`.
fn hashed_with(run: &BatchRun, salt: u64) -> u64 {
    run.calls
        .iter()
        .filter(|c| c.input.0 as u64 == salt)
        .map(|c| c.item as u64)
        .sum()
}

pub fn right_answer(ctx: &Ctx) -> Verdict {
    let rounds = world::calibrate();
    let mut runs = Vec::new();
    for batch in [
        Batch::new(ctx.seed, rounds),
        Batch::single(ctx.seed, rounds),
        Batch::long_delay(ctx.seed, rounds),
    ] {
        let run = serve(&batch, on_hang);
        let requests = batch
            .requests
            .iter()
            .zip(&run.served)
            .map(|(planned, served)| RequestFacts {
                expected: planned.expected.clone(),
                got: served.reply.clone(),
                delay: planned.request.delay,
                took: served.end.saturating_sub(served.start),
                rounds: planned.request.account.rounds,
                hashed: hashed_with(&run, planned.request.account.salt.0),
            })
            .collect();
        runs.push(AnswerRun {
            shape: batch.shape,
            requests,
        });
    }
    decide::right_answer(&runs)
}

pub fn never_blocks(ctx: &Ctx) -> Verdict {
    let batch = batch(ctx);
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let run = serve(&batch, on_hang);
        let stall = StallRun {
            longest: run.longest_hold(),
            longest_poll: run.longest_poll,
            heartbeat_worst: run.heartbeat_worst,
            busiest_gap: run.busiest_gap,
            total: run.busy_total,
            stretches: run.holds(),
            real_elapsed: run.real_elapsed,
            timeline: run.timeline(),
        };
        let quiet = decide::is_quiet(&stall);
        runs.push(stall);
        if quiet {
            break;
        }
    }
    decide::never_blocks(&runs)
}

pub fn requests_overlap(ctx: &Ctx) -> Verdict {
    let batch = batch(ctx);
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let run = serve(&batch, on_hang);
        let overlap = OverlapRun {
            requests: batch.requests.len(),
            peak: run.peak_requests,
            elapsed: run.real_elapsed,
            sum_of_delays: batch.sum_of_delays(),
            timeline: run.timeline(),
        };
        let overlapped = decide::overlapped(&overlap);
        runs.push(overlap);
        if overlapped {
            break;
        }
    }
    decide::requests_overlap(&runs)
}

pub fn hash_offloaded(ctx: &Ctx) -> Verdict {
    let batch = batch(ctx);
    let run = serve(&batch, on_hang);
    let on_runtime = |runtime: bool| {
        run.calls
            .iter()
            .filter(move |c| (c.thread == run.runtime_thread) == runtime)
    };
    let rounds = |runtime: bool| on_runtime(runtime).map(|c| c.item as u64).sum::<u64>();
    let cpu = |runtime: bool| on_runtime(runtime).map(|c| c.cpu).sum::<Duration>();
    decide::hash_offloaded(&OffloadRun {
        requests: batch.requests.len(),
        rounds_total: rounds(true) + rounds(false),
        rounds_on_runtime: rounds(true),
        pieces_on_runtime: on_runtime(true).filter(|c| c.item > 0).count(),
        hashed_on_runtime: on_runtime(true)
            .filter(|c| c.item > 0)
            .map(|c| c.input.0)
            .collect::<HashSet<_>>()
            .len(),
        cpu_on_runtime: cpu(true),
        cpu_elsewhere: cpu(false),
        threads_elsewhere: on_runtime(false)
            .map(|c| c.thread)
            .collect::<HashSet<_>>()
            .len(),
        timeline: run.timeline(),
    })
}
