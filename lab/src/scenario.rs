//! The scenarios of exercise 01: tasks that compute and wait, run in a
//! row, concurrently on one thread, or in parallel on several cores.
//!
//! Each [`Task`] first *computes* (it needs a thread, or a core, the whole
//! time) and then *waits* (for a network, a disk, a database: it needs
//! nothing, and anyone else may use the thread meanwhile). A web request is
//! such a task: a little computing to build a query, then a long wait for
//! the answer.
//!
//! A [`Scenario`] is a list of tasks and a [`Mode`], the way they run:
//!
//! - [`Mode::InARow`]: one after another, each finished before the next
//!   starts (its wait included).
//! - [`Mode::Concurrent`]: all started together on **one thread**, async
//!   style. Only one task can compute at a time: the others that want to
//!   compute take turns, in the order listed. A task that waits needs no
//!   thread, so waits overlap with everything.
//! - [`Mode::Parallel`]: on `cores` cores (threads), each running one task
//!   at a time from start to finish, its wait included (like a thread
//!   blocked on I/O). Tasks are handed out in the order listed, each to the
//!   first core that is free.
//!
//! ```
//! use std::time::Duration;
//! use lab::scenario::{Mode, Scenario, Task};
//!
//! let secs = Duration::from_secs;
//! let three_waits = Scenario::new(Mode::Concurrent, vec![Task::waiting(secs(3)); 3]);
//! assert_eq!(three_waits.tasks.len(), 3);
//! assert_eq!(three_waits.tasks[0].compute, Duration::ZERO);
//! ```

use std::fmt;
use std::time::Duration;

/// One task: it computes, then it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Task {
    /// CPU work first: needs a thread (or core) all along.
    pub compute: Duration,
    /// Then waiting (network, disk, database): needs no thread.
    pub wait: Duration,
}

impl Task {
    /// A task that computes for `compute`, then waits for `wait`.
    pub fn new(compute: Duration, wait: Duration) -> Task {
        Task { compute, wait }
    }

    /// A task that only computes.
    pub fn computing(compute: Duration) -> Task {
        Task::new(compute, Duration::ZERO)
    }

    /// A task that only waits.
    pub fn waiting(wait: Duration) -> Task {
        Task::new(Duration::ZERO, wait)
    }
}

/// How the tasks of a scenario run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// One after another, each to its end before the next starts.
    InARow,
    /// Together on one thread: computing takes turns (in the order
    /// listed), waiting overlaps.
    Concurrent,
    /// On `cores` cores, each running one task at a time from start to
    /// finish; tasks go out in the order listed to the first free core.
    Parallel {
        /// How many cores (at least 1).
        cores: usize,
    },
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::InARow => write!(f, "in a row"),
            Mode::Concurrent => write!(f, "concurrently on one thread"),
            Mode::Parallel { cores: 1 } => write!(f, "in parallel on 1 core"),
            Mode::Parallel { cores } => write!(f, "in parallel on {cores} cores"),
        }
    }
}

/// Tasks and the way they run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scenario {
    /// How they run.
    pub mode: Mode,
    /// The tasks, in order.
    pub tasks: Vec<Task>,
}

impl Scenario {
    /// A scenario of `tasks` run in `mode`.
    pub fn new(mode: Mode, tasks: Vec<Task>) -> Scenario {
        Scenario { mode, tasks }
    }
}
