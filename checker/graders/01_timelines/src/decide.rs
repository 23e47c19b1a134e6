//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! A wrong prediction is classified by *which rule it missed*: the grader
//! recomputes the scenario under each known wrong rule (waits added up on
//! one thread, computing overlapped on one thread, cores ignored, ...) and
//! looks for the one that gives exactly the learner's number. The rules
//! are pure functions of the scenario, so every branch is unit-tested below
//! with the scenarios each mutant fixture in `tests/fixtures/01_timelines/`
//! gets wrong. Nothing here reads text: names and timelines are only
//! carried into messages.

use std::time::Duration;

use grading::Verdict;
use lab::scenario::{Mode, Scenario, Task};
use protocol::Timeline;

/// How far a prediction may be from the run: the paused clock is exact to
/// the millisecond.
pub const TOLERANCE: Duration = Duration::from_millis(1);

/// A rule of the course, and the wrong rule a prediction used instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// On one thread, waits were added up instead of overlapped.
    WaitsAddUp,
    /// On one thread, computing was overlapped like waiting.
    ComputeOverlaps,
    /// On one thread, every wait was put after all the computing.
    WaitsAfterAllComputing,
    /// On cores, every task ran at once, whatever the number of cores.
    CoresIgnored,
    /// On cores, the tasks ran one after another anyway.
    CoresInARow,
    /// On cores, the work was divided evenly, as if a task could be split.
    WorkSplit,
    /// Waiting was counted as no time.
    WaitingIgnored,
    /// Computing was counted as no time.
    ComputingIgnored,
}

impl Mistake {
    /// Every mistake, in the order they are tried: the most specific first.
    pub const ALL: [Mistake; 8] = [
        Mistake::WaitsAfterAllComputing,
        Mistake::WaitsAddUp,
        Mistake::ComputeOverlaps,
        Mistake::CoresIgnored,
        Mistake::CoresInARow,
        Mistake::WorkSplit,
        Mistake::WaitingIgnored,
        Mistake::ComputingIgnored,
    ];

    /// The rule that was missed, in the course's words.
    pub fn rule(self) -> &'static str {
        match self {
            Mistake::WaitsAddUp => {
                "waits overlap on one thread: a task that waits needs no thread, so while it \
                 waits the thread serves the others (the juggler's balls fly at the same time)"
            }
            Mistake::ComputeOverlaps => {
                "computing does not overlap on one thread: the one thread computes one task at \
                 a time, so computing takes turns and adds up (the lecturer alone talks, then \
                 writes)"
            }
            Mistake::WaitsAfterAllComputing => {
                "on one thread each task starts waiting the moment its own computing is done, \
                 not after everyone's: an early task's long wait runs while the others compute"
            }
            Mistake::CoresIgnored => {
                "cores run tasks side by side, but only as many at once as there are cores: the \
                 other tasks queue for the next free core"
            }
            Mistake::CoresInARow => {
                "cores run computing side by side: with N cores, N tasks run at the same instant \
                 instead of one after another"
            }
            Mistake::WorkSplit => {
                "a task runs on one core from start to finish; it cannot be cut into pieces and \
                 spread over the cores, so the total is set by whole tasks"
            }
            Mistake::WaitingIgnored => {
                "waiting takes time too: it needs no thread, yet the task is not done until its \
                 wait is over"
            }
            Mistake::ComputingIgnored => {
                "computing takes time too: it is the part that needs a thread or a core"
            }
        }
    }

    /// What the scenario takes under this wrong rule, or `None` where the
    /// rule does not apply to its mode.
    pub fn predict(self, scenario: &Scenario) -> Option<Duration> {
        let tasks = &scenario.tasks;
        let each = |t: &Task| t.compute + t.wait;
        let sum: Duration = tasks.iter().map(each).sum();
        let longest = tasks.iter().map(each).max().unwrap_or_default();
        match (self, scenario.mode) {
            (Mistake::WaitsAddUp, Mode::Concurrent) => Some(sum),
            (Mistake::ComputeOverlaps, Mode::Concurrent) => Some(longest),
            (Mistake::WaitsAfterAllComputing, Mode::Concurrent) => Some(
                tasks.iter().map(|t| t.compute).sum::<Duration>()
                    + tasks.iter().map(|t| t.wait).max().unwrap_or_default(),
            ),
            (Mistake::CoresIgnored, Mode::Parallel { .. }) => Some(longest),
            (Mistake::CoresInARow, Mode::Parallel { .. }) => Some(sum),
            (Mistake::WorkSplit, Mode::Parallel { cores }) => {
                Some(sum / u32::try_from(cores.max(1)).unwrap_or(u32::MAX))
            }
            (Mistake::WaitingIgnored, _) => Some(total(&Scenario::new(
                scenario.mode,
                tasks.iter().map(|t| Task::computing(t.compute)).collect(),
            ))),
            (Mistake::ComputingIgnored, _) => Some(total(&Scenario::new(
                scenario.mode,
                tasks.iter().map(|t| Task::waiting(t.wait)).collect(),
            ))),
            _ => None,
        }
    }
}

/// The course's rules, computed: what the grader's runs measure. Used here
/// only to recompute a scenario with its waits or its computing removed.
pub fn total(scenario: &Scenario) -> Duration {
    let tasks = &scenario.tasks;
    match scenario.mode {
        Mode::InARow => tasks.iter().map(|t| t.compute + t.wait).sum(),
        Mode::Concurrent => {
            let mut free = Duration::ZERO;
            let mut end = Duration::ZERO;
            for t in tasks {
                free += t.compute;
                end = end.max(free + t.wait);
            }
            end
        }
        Mode::Parallel { cores } => {
            let mut cores = vec![Duration::ZERO; cores.max(1)];
            for t in tasks {
                if let Some(first) = cores.iter_mut().min() {
                    *first += t.compute + t.wait;
                }
            }
            cores.into_iter().max().unwrap_or_default()
        }
    }
}

/// One scenario: the prediction beside the run.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its name.
    pub name: String,
    /// The scenario.
    pub scenario: Scenario,
    /// What `predict` said.
    pub predicted: Duration,
    /// What the run took on the simulated clock.
    pub actual: Duration,
    /// The run, drawn.
    pub timeline: Timeline,
}

impl Case {
    /// Whether the prediction matched the run.
    pub fn right(&self) -> bool {
        self.predicted.abs_diff(self.actual) <= TOLERANCE
    }

    /// The wrong rule that gives exactly the prediction, if one does (and
    /// the right rule does not).
    pub fn mistake(&self) -> Option<Mistake> {
        Mistake::ALL.into_iter().find(|m| {
            m.predict(&self.scenario).is_some_and(|p| {
                p.abs_diff(self.predicted) <= TOLERANCE && p.abs_diff(self.actual) > TOLERANCE
            })
        })
    }
}

/// A duration as a reader of the README would write it: `3 s`, `110 ms`,
/// `1.25 s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 && ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else if ms >= 1000 {
        format!("{} s", d.as_secs_f64())
    } else {
        format!("{ms} ms")
    }
}

fn tasks_text(scenario: &Scenario) -> String {
    let each: Vec<String> = scenario
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{} computes {}, waits {}",
                crate::run::letter(i),
                human(t.compute),
                human(t.wait)
            )
        })
        .collect();
    each.join("; ")
}

/// A check over `cases` (`what` names them, for the pass message): every
/// prediction must match its run. When some do not, the rule missed most
/// often decides the message, shown on the first scenario that missed it,
/// with its run drawn beside the predicted total.
pub fn predictions(what: &str, cases: &[Case]) -> Verdict {
    let wrong: Vec<&Case> = cases.iter().filter(|c| !c.right()).collect();
    let Some(first) = wrong.first() else {
        return Verdict::pass(format!(
            "all {} predictions for {what} matched the runs to the millisecond",
            cases.len()
        ));
    };
    // The most frequent classified mistake, ties to the earlier one.
    let mut counts: Vec<(Mistake, usize)> = Vec::new();
    for m in wrong.iter().filter_map(|c| c.mistake()) {
        match counts.iter_mut().find(|(seen, _)| *seen == m) {
            Some((_, n)) => *n += 1,
            None => counts.push((m, 1)),
        }
    }
    let top = counts
        .iter()
        .fold(None::<(Mistake, usize)>, |best, &(m, n)| match best {
            Some((_, b)) if b >= n => best,
            _ => Some((m, n)),
        })
        .map(|(m, _)| m);
    let example = match top {
        Some(m) => wrong
            .iter()
            .find(|c| c.mistake() == Some(m))
            .copied()
            .unwrap_or(first),
        None => first,
    };
    let rule = match top {
        Some(m) => format!("The rule missed: {}.", m.rule()),
        None => "No single rule explains the wrong totals: compare the drawing with your \
                 reasoning, step by step."
            .to_string(),
    };
    Verdict::fail(format!(
        "{} of {} predictions for {what} were wrong. For \"{}\" ({}), predict said {}, and the \
         run took {} (drawn below). {rule}",
        wrong.len(),
        cases.len(),
        example.name,
        tasks_text(&example.scenario),
        human(example.predicted),
        human(example.actual),
    ))
    .timeline(example.timeline.clone())
}

/// The verdict when one call of `predict` has not returned after `after`.
pub fn hang(name: &str, after: Duration) -> Verdict {
    Verdict::timed_out(format!(
        "predict has not returned after {:.1} s on \"{name}\"; correct code answers in \
         microseconds. A loop that never ends (a counter that never reaches its bound, a core \
         that is never free)? Stopped early.",
        after.as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::Outcome;
    use protocol::timeline::Clock;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn scenario(mode: Mode, tasks: &[(u64, u64)]) -> Scenario {
        Scenario::new(
            mode,
            tasks
                .iter()
                .map(|&(c, w)| Task::new(ms(c), ms(w)))
                .collect(),
        )
    }

    fn case(mode: Mode, tasks: &[(u64, u64)], predicted: Duration) -> Case {
        let scenario = scenario(mode, tasks);
        Case {
            name: "a scenario".into(),
            actual: total(&scenario),
            scenario,
            predicted,
            timeline: Timeline {
                clock: Clock::Virtual,
                lanes: Vec::new(),
            },
        }
    }

    /// A case predicted with the wrong rule `m`.
    fn wrong(m: Mistake, mode: Mode, tasks: &[(u64, u64)]) -> Case {
        let s = scenario(mode, tasks);
        case(mode, tasks, m.predict(&s).expect("the rule applies"))
    }

    #[track_caller]
    fn expect(verdict: &Verdict, outcome: Outcome, phrases: &[&str]) {
        assert_eq!(verdict.outcome, outcome, "{}", verdict.message);
        for phrase in phrases {
            assert!(
                verdict.message.contains(phrase),
                "{phrase:?} not in {:?}",
                verdict.message
            );
        }
    }

    const MIXED: [(u64, u64); 3] = [(100, 900), (300, 50), (200, 0)];

    #[test]
    fn the_rules_compute_the_opening_scenes() {
        let three = |c, w| [(c, w); 3];
        assert_eq!(total(&scenario(Mode::InARow, &three(3000, 0))), ms(9000));
        assert_eq!(
            total(&scenario(Mode::Concurrent, &three(0, 3000))),
            ms(3000)
        );
        assert_eq!(
            total(&scenario(Mode::Parallel { cores: 3 }, &three(3000, 0))),
            ms(3000)
        );
        assert_eq!(total(&scenario(Mode::Concurrent, &MIXED)), ms(1000));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human(ms(3000)), "3 s");
        assert_eq!(human(ms(110)), "110 ms");
        assert_eq!(human(ms(1250)), "1.25 s");
        assert_eq!(human(ms(0)), "0 ms");
    }

    #[test]
    fn right_predictions_pass() {
        let cases = [
            case(Mode::Concurrent, &MIXED, ms(1000)),
            case(Mode::InARow, &MIXED, ms(1551)),
        ];
        expect(
            &predictions("these", &cases),
            Outcome::Passed,
            &["all 2 predictions for these"],
        );
    }

    /// A millisecond off is still right: sleeps round to whole ms.
    #[test]
    fn a_millisecond_off_is_right() {
        assert!(case(Mode::Concurrent, &MIXED, ms(1001)).right());
        assert!(!case(Mode::Concurrent, &MIXED, ms(1002)).right());
    }

    /// The `sum_everything` fixture, on one thread.
    #[test]
    fn waits_added_up_on_one_thread_are_named() {
        let v = predictions(
            "concurrent runs",
            &[wrong(Mistake::WaitsAddUp, Mode::Concurrent, &MIXED)],
        );
        expect(
            &v,
            Outcome::Failed,
            &[
                "1 of 1 predictions",
                "predict said 1.55 s",
                "took 1 s",
                "waits overlap on one thread",
            ],
        );
        assert!(v.timeline.is_some());
    }

    /// The `concurrent_max` fixture.
    #[test]
    fn computing_overlapped_on_one_thread_is_named() {
        let v = predictions(
            "x",
            &[wrong(
                Mistake::ComputeOverlaps,
                Mode::Concurrent,
                &[(300, 0); 3],
            )],
        );
        expect(
            &v,
            Outcome::Failed,
            &["computing does not overlap on one thread"],
        );
    }

    /// The `waits_after_all_compute` fixture.
    #[test]
    fn waits_put_after_all_computing_are_named() {
        let v = predictions(
            "x",
            &[wrong(
                Mistake::WaitsAfterAllComputing,
                Mode::Concurrent,
                &MIXED,
            )],
        );
        expect(
            &v,
            Outcome::Failed,
            &["the moment its own computing is done"],
        );
    }

    /// The `parallel_ignores_cores` fixture.
    #[test]
    fn cores_ignored_are_named() {
        let v = predictions(
            "x",
            &[wrong(
                Mistake::CoresIgnored,
                Mode::Parallel { cores: 2 },
                &[(100, 0); 5],
            )],
        );
        expect(
            &v,
            Outcome::Failed,
            &["only as many at once as there are cores"],
        );
    }

    /// The `sum_everything` fixture, on cores.
    #[test]
    fn cores_in_a_row_are_named() {
        let v = predictions(
            "x",
            &[wrong(
                Mistake::CoresInARow,
                Mode::Parallel { cores: 2 },
                &[(100, 0); 4],
            )],
        );
        expect(&v, Outcome::Failed, &["cores run computing side by side"]);
    }

    /// The `parallel_divides` fixture.
    #[test]
    fn work_split_over_cores_is_named() {
        let v = predictions(
            "x",
            &[wrong(
                Mistake::WorkSplit,
                Mode::Parallel { cores: 2 },
                &[(300, 0), (100, 0), (100, 0)],
            )],
        );
        expect(&v, Outcome::Failed, &["cannot be cut into pieces"]);
    }

    /// The `ignores_waiting` fixture.
    #[test]
    fn waiting_ignored_is_named() {
        let v = predictions("x", &[wrong(Mistake::WaitingIgnored, Mode::InARow, &MIXED)]);
        expect(&v, Outcome::Failed, &["waiting takes time too"]);
    }

    #[test]
    fn computing_ignored_is_named() {
        let v = predictions(
            "x",
            &[wrong(Mistake::ComputingIgnored, Mode::InARow, &MIXED)],
        );
        expect(&v, Outcome::Failed, &["computing takes time too"]);
    }

    /// The most frequent mistake decides, and its own example is shown.
    #[test]
    fn the_most_frequent_rule_decides() {
        let cores = Mode::Parallel { cores: 2 };
        let v = predictions(
            "x",
            &[
                case(Mode::Concurrent, &MIXED, ms(7)),
                wrong(Mistake::CoresIgnored, cores, &[(100, 0); 5]),
                wrong(Mistake::CoresIgnored, cores, &[(200, 10); 3]),
            ],
        );
        expect(
            &v,
            Outcome::Failed,
            &["3 of 3 predictions", "predict said 100 ms", "only as many"],
        );
    }

    #[test]
    fn a_wrong_total_no_rule_explains_says_so() {
        let v = predictions("x", &[case(Mode::Concurrent, &MIXED, ms(7))]);
        expect(
            &v,
            Outcome::Failed,
            &["No single rule explains", "predict said 7 ms"],
        );
    }

    /// A wrong rule that happens to give the right total explains nothing.
    #[test]
    fn a_rule_that_gives_the_right_total_is_no_mistake() {
        let c = case(Mode::Concurrent, &[(0, 300); 3], ms(300));
        assert_eq!(c.mistake(), None);
    }

    #[test]
    fn a_hang_times_out_naming_the_scenario() {
        let v = hang("ten jobs", Duration::from_secs(2));
        expect(&v, Outcome::TimedOut, &["after 2.0 s", "\"ten jobs\""]);
    }
}
