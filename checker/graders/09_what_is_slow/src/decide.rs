//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no threads, no learner code.
//! `checks.rs` runs the learner's functions under the instruments and fills
//! the evidence structs; the functions below read them, and every branch
//! is a unit test at the bottom of this file. This file decides on
//! measuring and classifying; `dispatch.rs` on the batch.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::{Verdict, ms};
use lab::workload::{Kind, Measurement};

/// How far `measure`'s CPU time may be from what the computations used:
/// this share of it, plus [`CPU_SLACK`] (reading clocks, starting a
/// runtime).
pub const CPU_TOLERANCE: f64 = 0.2;
/// See [`CPU_TOLERANCE`].
pub const CPU_SLACK: Duration = Duration::from_millis(3);
/// How far below what the waits took `measure`'s waiting may be: this
/// share of it, plus [`WAIT_SLACK`].
pub const WAIT_TOLERANCE: f64 = 0.1;
/// See [`WAIT_TOLERANCE`].
pub const WAIT_SLACK: Duration = Duration::from_millis(2);
/// How far above what the waits took `measure`'s waiting may be: more
/// than below, because a clock read just before or after a wait may be
/// parted from it by a busy machine taking the thread's core away.
pub const WAIT_OVER_TOLERANCE: f64 = 0.3;
/// See [`WAIT_OVER_TOLERANCE`].
pub const WAIT_OVER_SLACK: Duration = Duration::from_millis(5);

pub fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

pub fn share(part: Duration, whole: Duration) -> f64 {
    part.as_secs_f64() / whole.as_secs_f64().max(1e-9)
}

/// What the checks call a workload: its kind, name and steps.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    /// Its true kind.
    pub kind: Kind,
    /// Its name.
    pub label: String,
    /// Its steps, `compute, wait`.
    pub shape: String,
}

impl About {
    pub fn name(&self) -> String {
        format!("\"{}\" ({})", self.label, self.shape)
    }
}

// ---------------------------------------------------------------------
// measures_both_clocks
// ---------------------------------------------------------------------

/// One call of `measure`, beside what the instruments saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The workload.
    pub about: About,
    /// What `measure` returned.
    pub wall: Duration,
    /// What `measure` returned.
    pub cpu: Duration,
    /// What `measure` returned.
    pub waiting: Duration,
    /// CPU time the computations used, by their threads' clocks.
    pub logged_cpu: Duration,
    /// Real time the waits took, each from its start to its end.
    pub logged_waits: Duration,
    /// Real time from the first step's start to the last one's end.
    pub logged_span: Duration,
    /// Real time the call to `measure` took.
    pub outer: Duration,
    /// How many times each step ran, in step order.
    pub runs: Vec<usize>,
}

/// `measure` ran each workload once and returned its wall time and the
/// CPU time its computations used.
pub fn measures(all: &[Measured]) -> Verdict {
    for m in all {
        if m.runs.iter().any(|&n| n != 1) {
            return Verdict::fail(format!(
                "measure ran the steps of {} {} times, in step order; expected each step once: \
                 measure runs the workload one time.",
                m.about.name(),
                m.runs
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    for m in all {
        let allowed = m.logged_cpu.mul_f64(CPU_TOLERANCE) + CPU_SLACK;
        if m.cpu.abs_diff(m.logged_cpu) > allowed {
            let why = if m.cpu.abs_diff(m.wall) <= m.wall / 20 + Duration::from_millis(1) {
                " It equals the wall time: both figures come from the wall clock. \
                 lab::thread_cpu_time() is the clock that runs only while this thread computes."
            } else if m.cpu < m.logged_cpu / 4 {
                " The clock read saw almost none of the computing: it belongs to a thread that did \
                 not run the workload. Read lab::thread_cpu_time() on the thread that runs it."
            } else {
                ""
            };
            return Verdict::fail(format!(
                "measure said {} of CPU time for {}, whose computations used {} of CPU time \
                 (wall time {}).{why} Expected the CPU time of the thread that ran it, within {}.",
                ms(m.cpu),
                m.about.name(),
                ms(m.logged_cpu),
                ms(m.wall),
                ms(allowed)
            ));
        }
        let allowed = if m.waiting >= m.logged_waits {
            m.logged_waits.mul_f64(WAIT_OVER_TOLERANCE) + WAIT_OVER_SLACK
        } else {
            m.logged_waits.mul_f64(WAIT_TOLERANCE) + WAIT_SLACK
        };
        if m.waiting.abs_diff(m.logged_waits) > allowed {
            let why =
                if m.waiting.abs_diff(m.wall.saturating_sub(m.cpu)) <= Duration::from_millis(1) {
                    " It is the wall time less the CPU time, which also counts the time the thread \
                 was ready to compute but had no core: time the waits themselves."
                } else {
                    ""
                };
            return Verdict::fail(format!(
                "measure said {} of waiting for {}, whose waits took {} from their starts to \
                 their ends.{why} Expected the wall time of the wait steps, within {}.",
                ms(m.waiting),
                m.about.name(),
                ms(m.logged_waits),
                ms(allowed)
            ));
        }
        let least = m.logged_span.saturating_sub(Duration::from_millis(1));
        let most = m.outer + Duration::from_millis(1);
        if m.wall < least || m.wall > most {
            return Verdict::fail(format!(
                "measure said {} of wall time for {}, whose steps ran from first start to last end \
                 in {} and whose call to measure took {}. Expected the real time from just before \
                 the workload starts to just after it ends.",
                ms(m.wall),
                m.about.name(),
                ms(m.logged_span),
                ms(m.outer)
            ));
        }
    }
    let worst = all
        .iter()
        .map(|m| m.cpu.abs_diff(m.logged_cpu))
        .max()
        .unwrap_or_default();
    let worst_wait = all
        .iter()
        .map(|m| m.waiting.abs_diff(m.logged_waits))
        .max()
        .unwrap_or_default();
    Verdict::pass(format!(
        "measure ran each of {} workloads once and read both clocks: its CPU time was at most {} \
         from what the computations used (allowed: 20% + 3 ms), its waiting at most {} from what \
         the waits took (allowed: 10% + 2 ms less, 30% + 5 ms more)",
        all.len(),
        ms(worst),
        ms(worst_wait)
    ))
}

// ---------------------------------------------------------------------
// classifies_by_the_clocks
// ---------------------------------------------------------------------

/// One measurement given to `kind_of`, and its answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The measurement given.
    pub given: Measurement,
    /// The kind it is.
    pub expected: Kind,
    /// What `kind_of` said.
    pub got: Kind,
}

impl Figure {
    /// The share of computing in the time spent working.
    fn share(&self) -> f64 {
        share(self.given.cpu, self.given.cpu + self.given.waiting)
    }

    /// Whether a busy machine stretched its wall time past the computing
    /// plus the waiting.
    fn stretched(&self) -> bool {
        self.given.wall > self.given.cpu + self.given.waiting
    }

    fn describe(&self) -> String {
        format!(
            "{} CPU time, {} waiting and {} wall time",
            ms(self.given.cpu),
            ms(self.given.waiting),
            ms(self.given.wall)
        )
    }
}

/// One run of `classify` on a hidden workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Try {
    /// What `classify` said.
    pub got: Kind,
    /// The share of computing in that run, by the instruments: the CPU
    /// time of its computations over that plus the time its waits took.
    pub share: f64,
    /// How many of its steps ran during the call.
    pub steps_ran: usize,
    /// Whether the run can judge `classify`, by [`judged`].
    pub judged: bool,
}

/// Whether a run of a workload of kind `kind` can judge `classify`: its
/// own share of computing, as the instruments saw it, says `kind` by a
/// wide margin (within the shares where every rule that passes the
/// measurements above must answer `kind`). A busy machine can spoil a
/// run: a 2 ms wait that ends 40 ms late makes a computing workload half
/// waiting. Such a run is done again, never held against the code. A run
/// in which `classify` never ran the workload always judges it.
pub fn judged(kind: Kind, share: f64, steps_ran: usize) -> bool {
    steps_ran == 0
        || match kind {
            Kind::Waiting => share <= 0.08,
            Kind::Mixed => (0.33..=0.5).contains(&share),
            Kind::Computing => share >= 0.75,
        }
}

/// The runs of `classify` on one hidden workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// The workload.
    pub about: About,
    /// The kind its name suggests (always another kind).
    pub named_as: Kind,
    /// Each run, until one was right or the tries ran out.
    pub tries: Vec<Try>,
}

impl Classified {
    /// What it said in the first run that judged it, if no run got it
    /// right.
    fn wrong(&self) -> Option<Kind> {
        if self.right() {
            return None;
        }
        self.tries.iter().find(|t| t.judged).map(|t| t.got)
    }

    fn right(&self) -> bool {
        self.tries.iter().any(|t| t.got == self.about.kind)
    }
}

/// The kind a workload's steps suggest to someone who reads which steps
/// it has (or its `Debug` text), not how long they take.
fn kind_by_steps(shape: &str) -> Kind {
    match (shape.contains("compute"), shape.contains("wait")) {
        (true, false) => Kind::Computing,
        (false, true) => Kind::Waiting,
        _ => Kind::Mixed,
    }
}

/// The shares the hidden workloads showed, per kind: how far each kind
/// stayed from the README's edges of 20% and 60%.
fn margins(workloads: &[Classified]) -> String {
    let mut parts = Vec::new();
    for kind in [Kind::Waiting, Kind::Mixed, Kind::Computing] {
        let shares: Vec<f64> = workloads
            .iter()
            .filter(|w| w.about.kind == kind)
            .flat_map(|w| w.tries.iter().filter(|t| t.judged).map(|t| t.share))
            .collect();
        if shares.is_empty() {
            continue;
        }
        let low = shares.iter().copied().fold(f64::INFINITY, f64::min);
        let high = shares.iter().copied().fold(0.0, f64::max);
        parts.push(format!("{kind} {} to {}", pct(low), pct(high)));
    }
    format!(
        "share of computing in the runs that judged classify: {} (edges at 20% and 60%)",
        parts.join(", ")
    )
}

/// Why `kind_of` got `wrong` figures wrong, when the pattern says.
fn kind_of_diagnosis(figures: &[Figure], wrong: &[&Figure]) -> &'static str {
    if wrong.iter().all(|f| f.stretched())
        && figures
            .iter()
            .any(|f| !f.stretched() && f.got == f.expected)
    {
        return " It was right whenever the wall time was just the computing plus the waiting, \
                and wrong when a busy machine had stretched the wall time: the CPU time over \
                the wall time falls on a busy machine, where a thread also waits for a core.";
    }
    let mut by_share: BTreeMap<(u64, bool), Vec<Kind>> = BTreeMap::new();
    for f in figures {
        let key = ((f.share() * 1000.0).round() as u64, f.stretched());
        by_share.entry(key).or_default().push(f.got);
    }
    if by_share
        .values()
        .any(|kinds| kinds.iter().any(|k| *k != kinds[0]))
    {
        return " It gave different kinds to the same shares at different lengths: it reads \
                how long the job took, which says nothing of what it spent the time on.";
    }
    ""
}

/// `kind_of` answers by the share of computing, and `classify` says the
/// right kind of every hidden workload.
pub fn classifies(figures: &[Figure], workloads: &[Classified]) -> Verdict {
    let wrong: Vec<&Figure> = figures.iter().filter(|f| f.got != f.expected).collect();
    if let Some(first) = wrong.first() {
        let why = kind_of_diagnosis(figures, &wrong);
        return Verdict::fail(format!(
            "kind_of said {} for a measurement of {} (computing {} of the time spent working), \
             which is {}; {} of {} measurements got the wrong kind.{why} Expected the kind from \
             cpu / (cpu + waiting): under 20% waiting, over 60% computing, mixed in between.",
            first.got,
            first.describe(),
            pct(first.share()),
            first.expected,
            wrong.len(),
            figures.len()
        ));
    }
    let wrong: Vec<(&Classified, Kind)> = workloads
        .iter()
        .filter_map(|w| w.wrong().map(|got| (w, got)))
        .collect();
    if let Some((first, got)) = wrong.first() {
        let by_name = wrong.iter().all(|(w, got)| *got == w.named_as);
        let by_steps = workloads.iter().all(|w| {
            w.tries
                .iter()
                .all(|t| t.got == kind_by_steps(&w.about.shape))
        });
        let why = if by_steps {
            " Every answer follows which steps a workload has (or its Debug text), not how long \
             they take: a waiting job may compute a little, and a computing one wait a little."
        } else if by_name {
            " Every wrong answer is the kind its name suggests: a name says what a job is for, \
             never what slows it."
        } else {
            ""
        };
        let share = first.tries.first().map_or(0.0, |t| t.share);
        let how = if first.tries.iter().all(|t| t.steps_ran == 0) {
            format!(
                "; classify never ran it (none of its steps ran in {} calls), so no clock could \
                 show its kind",
                first.tries.len()
            )
        } else {
            format!(
                ": it computed {} of the time it spent working, in each of {} runs",
                pct(share),
                first.tries.len()
            )
        };
        return Verdict::fail(format!(
            "classify said {got} for {}, which is {}{how}. {} of {} hidden workloads got the \
             wrong kind.{why} Expected classify to run the workload, read both clocks and judge \
             by them.",
            first.about.name(),
            first.about.kind,
            wrong.len(),
            workloads.len()
        ));
    }
    if let Some(spoiled) = workloads.iter().find(|w| !w.right()) {
        let shares = spoiled
            .tries
            .iter()
            .map(|t| pct(t.share))
            .collect::<Vec<_>>()
            .join(", ");
        return Verdict::inconclusive(format!(
            "classify got {} ({}) wrong in {} runs, in each of which the busy machine made it \
             look like another kind (it computed {shares} of the time it spent working, its \
             waits ending late): these runs cannot show its kind. Try again on a quieter \
             machine.",
            spoiled.about.name(),
            spoiled.about.kind,
            spoiled.tries.len()
        ));
    }
    let retried = workloads.iter().filter(|w| w.tries.len() > 1).count();
    let mut verdict = Verdict::pass(format!(
        "kind_of judged {} measurements by their share of computing, and classify named the \
         kind of all {} hidden workloads, near-edge ones included",
        figures.len(),
        workloads.len()
    ))
    .detail(margins(workloads));
    if retried > 0 {
        verdict = verdict.detail(format!(
            "{retried} workloads were classified again after a wrong answer in a run the busy \
             machine had spoiled"
        ));
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Passes {
        fn is_pass(&self) -> bool;
    }

    impl Passes for Verdict {
        fn is_pass(&self) -> bool {
            self.outcome == grading::Outcome::Passed
        }
    }

    fn d(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    fn about(kind: Kind, shape: &str) -> About {
        About {
            kind,
            label: "fetch prices".into(),
            shape: shape.into(),
        }
    }

    fn measured(wall: u64, cpu: u64, logged: u64) -> Measured {
        Measured {
            about: about(Kind::Mixed, "compute, wait"),
            wall: d(wall),
            cpu: d(cpu),
            waiting: d(40),
            logged_cpu: d(logged),
            logged_waits: d(40),
            logged_span: d(60),
            outer: d(62),
            runs: vec![1, 1],
        }
    }

    #[test]
    fn measures_passes_close_figures_and_names_each_fault() {
        assert!(measures(&[measured(61, 21, 20)]).is_pass());
        let twice = Measured {
            runs: vec![2, 2],
            ..measured(61, 21, 20)
        };
        assert!(measures(&[twice]).message.contains("2, 2 times"));
        let wall_as_cpu = measures(&[measured(61, 61, 20)]);
        assert!(
            wall_as_cpu
                .message
                .contains("both figures come from the wall clock")
        );
        let other_thread = measures(&[measured(61, 0, 20)]);
        assert!(other_thread.message.contains("did not run the workload"));
        let stretched = Measured {
            waiting: d(61 - 21),
            logged_waits: d(20),
            ..measured(61, 21, 20)
        };
        let v = measures(&[stretched]);
        assert!(
            v.message.contains("the wall time less the CPU time"),
            "{}",
            v.message
        );
        let short = Measured {
            waiting: d(33),
            ..measured(61, 21, 20)
        };
        assert!(measures(&[short]).message.contains("33 ms of waiting"));
        let a_little_long = Measured {
            waiting: d(50),
            ..measured(61, 21, 20)
        };
        assert!(measures(&[a_little_long]).is_pass());
        assert!(
            measures(&[measured(30, 20, 20)])
                .message
                .contains("of wall time")
        );
        assert!(
            measures(&[measured(90, 20, 20)])
                .message
                .contains("of wall time")
        );
    }

    fn figure(cpu: u64, waiting: u64, wall: u64, expected: Kind, got: Kind) -> Figure {
        Figure {
            given: Measurement {
                wall: d(wall),
                cpu: d(cpu),
                waiting: d(waiting),
            },
            expected,
            got,
        }
    }

    fn classified(kind: Kind, shape: &str, named_as: Kind, got: &[Kind]) -> Classified {
        Classified {
            about: about(kind, shape),
            named_as,
            tries: got
                .iter()
                .map(|&got| Try {
                    got,
                    share: 0.4,
                    steps_ran: 0,
                    judged: true,
                })
                .collect(),
        }
    }

    #[test]
    fn kind_of_by_the_wall_or_by_cpu_over_wall_is_named() {
        let by_length = [
            figure(0, 10, 10, Kind::Waiting, Kind::Computing),
            figure(0, 1000, 1000, Kind::Waiting, Kind::Waiting),
        ];
        let v = classifies(&by_length, &[]);
        assert!(!v.is_pass());
        assert!(
            v.message.contains("it reads how long the job took"),
            "{}",
            v.message
        );
        let over_wall = [
            figure(90, 10, 100, Kind::Computing, Kind::Computing),
            figure(90, 10, 300, Kind::Computing, Kind::Mixed),
        ];
        let v = classifies(&over_wall, &[]);
        assert!(
            v.message.contains("busy machine had stretched"),
            "{}",
            v.message
        );
        let v = classifies(&[figure(5, 5, 10, Kind::Mixed, Kind::Waiting)], &[]);
        assert!(v.message.contains("kind_of said waiting"));
        assert!(!v.message.contains(" It "));
    }

    #[test]
    fn classify_by_name_or_by_steps_is_named() {
        let ok = [figure(0, 10, 10, Kind::Waiting, Kind::Waiting)];
        let by_name = [
            classified(
                Kind::Waiting,
                "wait",
                Kind::Computing,
                &[Kind::Computing; 3],
            ),
            classified(Kind::Mixed, "compute, wait", Kind::Waiting, &[Kind::Mixed]),
        ];
        let v = classifies(&ok, &by_name);
        assert!(
            v.message.contains("the kind its name suggests"),
            "{}",
            v.message
        );
        assert!(
            v.message
                .contains("never ran it (none of its steps ran in 3 calls)"),
            "{}",
            v.message
        );
        let by_steps = [
            classified(
                Kind::Waiting,
                "compute, wait",
                Kind::Computing,
                &[Kind::Mixed; 3],
            ),
            classified(
                Kind::Computing,
                "compute",
                Kind::Waiting,
                &[Kind::Computing],
            ),
        ];
        let v = classifies(&ok, &by_steps);
        assert!(
            v.message.contains("which steps a workload has"),
            "{}",
            v.message
        );
    }

    #[test]
    fn one_right_run_of_three_passes_classify() {
        let ok = [figure(0, 10, 10, Kind::Waiting, Kind::Waiting)];
        let retried = [classified(
            Kind::Computing,
            "compute",
            Kind::Waiting,
            &[Kind::Mixed, Kind::Computing],
        )];
        let v = classifies(&ok, &retried);
        assert!(v.is_pass(), "{}", v.message);
        assert!(v.details.iter().any(|d| d.contains("classified again")));
    }

    #[test]
    fn runs_a_busy_machine_spoiled_never_fail_classify() {
        assert!(judged(Kind::Computing, 0.8, 5));
        assert!(!judged(Kind::Computing, 0.5, 5));
        assert!(judged(Kind::Computing, 0.0, 0), "never ran: always judged");
        assert!(judged(Kind::Mixed, 0.45, 4));
        assert!(!judged(Kind::Mixed, 0.2, 4));
        assert!(!judged(Kind::Waiting, 0.1, 3));
        let ok = [figure(0, 10, 10, Kind::Waiting, Kind::Waiting)];
        let mut spoiled = classified(Kind::Computing, "compute", Kind::Waiting, &[Kind::Mixed; 3]);
        for t in &mut spoiled.tries {
            t.judged = false;
            t.steps_ran = 4;
        }
        let v = classifies(&ok, &[spoiled]);
        assert_eq!(v.outcome, grading::Outcome::Inconclusive, "{}", v.message);
        assert!(v.message.contains("cannot show its kind"), "{}", v.message);
    }
}
