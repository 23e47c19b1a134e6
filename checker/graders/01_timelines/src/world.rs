//! The scenarios: the README's worked examples (the course's opening
//! scenes), and scenarios generated from the seed for each mode, edge
//! shapes included. Everything is a pure function of the seed.

use std::time::Duration;

use lab::scenario::{Mode, Scenario, Task};

/// A scenario with a name for messages.
#[derive(Debug, Clone)]
pub struct Named {
    /// What it is: "three tasks waiting 3 s each, concurrently".
    pub name: String,
    /// The scenario.
    pub scenario: Scenario,
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn named(name: &str, mode: Mode, tasks: Vec<Task>) -> Named {
    Named {
        name: name.to_string(),
        scenario: Scenario::new(mode, tasks),
    }
}

/// The examples of the README, each with the total it shows.
pub fn readme_examples() -> Vec<Named> {
    let three = |task| vec![task; 3];
    vec![
        named(
            "three tasks computing 3 s each, in a row",
            Mode::InARow,
            three(Task::computing(secs(3))),
        ),
        named(
            "three tasks waiting 3 s each, concurrently",
            Mode::Concurrent,
            three(Task::waiting(secs(3))),
        ),
        named(
            "three tasks computing 3 s each, in parallel on 3 cores",
            Mode::Parallel { cores: 3 },
            three(Task::computing(secs(3))),
        ),
        named(
            "three tasks computing 3 s each, concurrently",
            Mode::Concurrent,
            three(Task::computing(secs(3))),
        ),
        named(
            "the lecturer alone: talk 10 s, write 5 s, talk 10 s",
            Mode::Concurrent,
            vec![
                Task::computing(secs(10)),
                Task::computing(secs(5)),
                Task::computing(secs(10)),
            ],
        ),
        named(
            "a speaker and a writer: talk 10 s, write 5 s, talk 10 s, on 2 cores",
            Mode::Parallel { cores: 2 },
            vec![
                Task::computing(secs(10)),
                Task::computing(secs(5)),
                Task::computing(secs(10)),
            ],
        ),
        named(
            "three requests, 5 ms of CPU then 95 ms of database, concurrently",
            Mode::Concurrent,
            three(Task::new(ms(5), ms(95))),
        ),
        named(
            "ten jobs computing 1 s each, on 4 cores",
            Mode::Parallel { cores: 4 },
            vec![Task::computing(secs(1)); 10],
        ),
    ]
}

/// Which mode a generated set is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// [`Mode::InARow`].
    InARow,
    /// [`Mode::Concurrent`].
    Concurrent,
    /// [`Mode::Parallel`].
    Parallel,
}

/// A duration in whole tens of ms, up to `max` ms, zero now and then.
fn duration(rng: &mut fastrand::Rng, max: u64) -> Duration {
    if rng.u8(..8) == 0 {
        Duration::ZERO
    } else {
        ms(10 * rng.u64(1..=max / 10))
    }
}

fn tasks(rng: &mut fastrand::Rng, n: usize, compute: bool, wait: bool) -> Vec<Task> {
    (0..n)
        .map(|_| Task {
            compute: if compute {
                duration(rng, 900)
            } else {
                Duration::ZERO
            },
            wait: if wait {
                duration(rng, 1500)
            } else {
                Duration::ZERO
            },
        })
        .collect()
}

fn describe(tasks: &[Task], mode: Mode) -> String {
    let what = match (
        tasks.iter().any(|t| !t.compute.is_zero()),
        tasks.iter().any(|t| !t.wait.is_zero()),
    ) {
        (true, true) => "computing and waiting",
        (true, false) => "computing only",
        (false, true) => "waiting only",
        (false, false) => "doing nothing",
    };
    let n = tasks.len();
    format!(
        "{n} {} {what}, {mode}",
        if n == 1 { "task" } else { "tasks" }
    )
}

fn generated(mode: Mode, tasks: Vec<Task>) -> Named {
    Named {
        name: describe(&tasks, mode),
        scenario: Scenario::new(mode, tasks),
    }
}

/// Scenarios of `kind` for `seed`: mixed tasks, tasks that only compute,
/// tasks that only wait, and edge shapes (one task; for parallel, fewer
/// cores than tasks, more cores than tasks, one core).
pub fn scenarios(seed: u64, kind: Kind) -> Vec<Named> {
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(7).wrapping_add(kind as u64));
    let mut out = Vec::new();
    let n = |rng: &mut fastrand::Rng| rng.usize(3..=6);
    match kind {
        Kind::InARow | Kind::Concurrent => {
            let mode = if kind == Kind::InARow {
                Mode::InARow
            } else {
                Mode::Concurrent
            };
            for (compute, wait) in [
                (true, true),
                (true, true),
                (true, false),
                (false, true),
                (true, true),
            ] {
                let k = n(&mut rng);
                out.push(generated(mode, tasks(&mut rng, k, compute, wait)));
            }
            // A task that waits long early and one that computes late: the
            // last task to start waiting is not always the last to finish.
            out.push(generated(
                mode,
                vec![
                    Task::new(ms(100), ms(900)),
                    Task::new(ms(300), ms(50)),
                    Task::new(ms(200), ms(0)),
                ],
            ));
            out.push(generated(mode, tasks(&mut rng, 1, true, true)));
        }
        Kind::Parallel => {
            for (compute, wait, cores) in [
                (true, true, 2),
                (true, false, 3),
                (false, true, 2),
                (true, true, 4),
                (true, false, 1),
            ] {
                let k = n(&mut rng).max(cores + 1);
                out.push(generated(
                    Mode::Parallel { cores },
                    tasks(&mut rng, k, compute, wait),
                ));
            }
            // More cores than tasks.
            let k = n(&mut rng);
            out.push(generated(
                Mode::Parallel { cores: k + 2 },
                tasks(&mut rng, k, true, true),
            ));
            out.push(generated(
                Mode::Parallel { cores: 2 },
                tasks(&mut rng, 1, true, true),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated scenarios repeat by seed, and every parallel scenario but
    /// the two edge ones has more tasks than cores.
    #[test]
    fn scenarios_repeat_by_seed_and_cover_the_shapes() {
        for seed in 0..20 {
            let a = scenarios(seed, Kind::Parallel);
            let b = scenarios(seed, Kind::Parallel);
            assert_eq!(
                a.iter().map(|s| &s.scenario).collect::<Vec<_>>(),
                b.iter().map(|s| &s.scenario).collect::<Vec<_>>()
            );
            for s in &a[..5] {
                let Mode::Parallel { cores } = s.scenario.mode else {
                    panic!()
                };
                assert!(s.scenario.tasks.len() > cores, "{}", s.name);
            }
            let Mode::Parallel { cores } = a[5].scenario.mode else {
                panic!()
            };
            assert!(cores > a[5].scenario.tasks.len());
            for kind in [Kind::InARow, Kind::Concurrent] {
                let s = scenarios(seed, kind);
                assert_eq!(s.len(), 7);
                assert_eq!(s[6].scenario.tasks.len(), 1);
            }
        }
    }

    #[test]
    fn names_say_what_the_tasks_do() {
        let s = scenarios(1, Kind::Concurrent);
        assert!(s[2].name.contains("computing only"), "{}", s[2].name);
        assert!(s[3].name.contains("waiting only"), "{}", s[3].name);
        assert!(s[3].name.ends_with("concurrently on one thread"));
    }
}
