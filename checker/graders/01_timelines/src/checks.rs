//! The checks: each asks the learner's `predict` about a set of
//! scenarios, runs every scenario itself on the paused clock, and hands
//! the pairs to [`crate::decide::predictions`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use grading::{Ctx, Verdict};

use crate::decide::{self, Case};
use crate::run::run;
use crate::world::{self, Kind, Named};

/// One call of `predict` that has not returned after this long never will:
/// correct code answers in microseconds.
const STUCK_AFTER: Duration = Duration::from_secs(2);

/// Calls the learner's `predict` on `named`, under a watchdog that ends the
/// check as `timed_out` if it does not return.
fn predict(named: &Named) -> Duration {
    let done = Arc::new(AtomicBool::new(false));
    let watched = done.clone();
    let name = named.name.clone();
    let started = Instant::now();
    let watchdog = std::thread::Builder::new()
        .name("checker-hang-watch".into())
        .spawn(move || {
            while !watched.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
                // The message names the limit crossed, not the moment the
                // watchdog noticed, which a busy machine delays.
                if started.elapsed() >= STUCK_AFTER && !watched.load(Ordering::SeqCst) {
                    grading::harness::conclude(decide::hang(&name, STUCK_AFTER));
                }
            }
        });
    let predicted = subject::predict(&named.scenario);
    done.store(true, Ordering::SeqCst);
    if let Ok(handle) = watchdog {
        let _ = handle.join();
    }
    predicted
}

fn cases(scenarios: Vec<Named>) -> Vec<Case> {
    scenarios
        .into_iter()
        .map(|named| {
            let predicted = predict(&named);
            let ran = run(&named.scenario);
            Case {
                timeline: ran.timeline(named.scenario.mode),
                actual: ran.total,
                predicted,
                name: named.name,
                scenario: named.scenario,
            }
        })
        .collect()
}

pub fn readme_examples(_ctx: &Ctx) -> Verdict {
    decide::predictions("the README's examples", &cases(world::readme_examples()))
}

pub fn in_a_row(ctx: &Ctx) -> Verdict {
    decide::predictions(
        "tasks in a row",
        &cases(world::scenarios(ctx.seed, Kind::InARow)),
    )
}

pub fn concurrent(ctx: &Ctx) -> Verdict {
    decide::predictions(
        "tasks concurrently on one thread",
        &cases(world::scenarios(ctx.seed, Kind::Concurrent)),
    )
}

pub fn parallel(ctx: &Ctx) -> Verdict {
    decide::predictions(
        "tasks in parallel on cores",
        &cases(world::scenarios(ctx.seed, Kind::Parallel)),
    )
}
