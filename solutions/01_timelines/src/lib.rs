//! # Exercise 01, solved: timelines
//!
//! Three rules give every total:
//!
//! 1. **In a row**, nothing overlaps: the total is every compute and every
//!    wait added up.
//! 2. **Concurrently on one thread**, waits overlap (a waiting task needs
//!    no thread) but computing does not (the one thread does one thing at a
//!    time). The tasks compute in turn, in order, and each starts waiting
//!    the moment its own computing is done.
//! 3. **In parallel on N cores**, N tasks run side by side, each on its own
//!    core from start to finish; with more tasks than cores, the rest queue
//!    for the next free core.

use std::time::Duration;

use lab::scenario::{Mode, Scenario};

/// How long `scenario` takes, by the three rules.
pub fn predict(scenario: &Scenario) -> Duration {
    let tasks = &scenario.tasks;
    match scenario.mode {
        // Rule 1: one after another, so everything adds up.
        Mode::InARow => tasks.iter().map(|t| t.compute + t.wait).sum(),

        // Rule 2: the thread computes the tasks one after another. Task i
        // finishes computing once every compute before it and its own are
        // done; then it waits, side by side with everything else. The last
        // task to finish ends the scenario. (With waits only, that is the
        // longest wait: the one-armed juggler's balls all fly at once. With
        // computing only, it is the sum: the lecturer who talks and writes
        // in turns is no faster than talking, then writing.)
        Mode::Concurrent => {
            let mut thread_free_at = Duration::ZERO;
            let mut end = Duration::ZERO;
            for task in tasks {
                thread_free_at += task.compute;
                end = end.max(thread_free_at + task.wait);
            }
            end
        }

        // Rule 3: each core takes the next task when it is free. Keep when
        // each core is free next; hand each task, in order, to the one free
        // first. The scenario ends when the busiest core does.
        Mode::Parallel { cores } => {
            let mut free_at = vec![Duration::ZERO; cores.max(1)];
            for task in tasks {
                let first_free = free_at.iter_mut().min().expect("at least one core");
                *first_free += task.compute + task.wait;
            }
            free_at.into_iter().max().unwrap_or_default()
        }
    }
}
