//! # Exercise 01: timelines, predict then watch
//!
//! Three tasks of 3 s each: how long do they take? It depends on what the
//! tasks do (compute, or wait) and how they run (in a row, concurrently on
//! one thread, in parallel on several cores). Read `README.md` beside this
//! folder for the stories, the rules and worked examples.
//!
//! Your task: fill in `predict`. The checker runs each scenario itself and
//! compares.

use std::time::Duration;

use lab::scenario::{Mode, Scenario};

/// How long `scenario` takes, from the start of its first task to the end
/// of its last one.
///
/// Each task first computes for `task.compute`, then waits for
/// `task.wait`. `scenario.mode` says how the tasks run: see
/// `lab::scenario` and the README for the exact rules.
pub fn predict(scenario: &Scenario) -> Duration {
    // Replace this with your code. Start with `Mode::InARow`, the easy
    // one; the checker tells you which rule each wrong prediction missed.
    match scenario.mode {
        Mode::InARow => todo!(),
        Mode::Concurrent => todo!(),
        Mode::Parallel { cores } => {
            let _ = cores;
            todo!()
        }
    }
}
