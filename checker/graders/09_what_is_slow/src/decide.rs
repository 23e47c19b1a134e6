//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no threads, no learner code.
//! `checks.rs` runs the learner's functions under the instruments and fills
//! the evidence structs; the functions below read them, and every branch
//! is a unit test at the bottom of this file.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::overlap::most_at_once;
use grading::{Verdict, ms};
use lab::workload::{Kind, Measurement};

/// The most of the computing workloads' CPU time one pool thread may do
/// and still share fairly. With four workloads on four workers a fair
/// split gives each about 25%; 80% is one thread doing nearly everything.
pub const MAX_SHARE: f64 = 0.80;

/// How far `measure`'s CPU time may be from what the computations used:
/// this share of it, plus [`CPU_SLACK`] (reading clocks, starting a
/// runtime).
pub const CPU_TOLERANCE: f64 = 0.2;
/// See [`CPU_TOLERANCE`].
pub const CPU_SLACK: Duration = Duration::from_millis(3);
/// How far `measure`'s waiting may be from what the waits took: this
/// share of it, plus [`WAIT_SLACK`] (reading the clock around each wait).
pub const WAIT_TOLERANCE: f64 = 0.1;
/// See [`WAIT_TOLERANCE`].
pub const WAIT_SLACK: Duration = Duration::from_millis(2);

fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn share(part: Duration, whole: Duration) -> f64 {
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
    fn name(&self) -> String {
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
        let allowed = m.logged_waits.mul_f64(WAIT_TOLERANCE) + WAIT_SLACK;
        if m.waiting.abs_diff(m.logged_waits) > allowed {
            let why = if m.waiting.abs_diff(m.wall.saturating_sub(m.cpu)) <= Duration::from_millis(1) {
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
         the waits took (allowed: 10% + 2 ms)",
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
    /// What it said every time, if it never got it right.
    fn wrong(&self) -> Option<Kind> {
        if self.tries.iter().any(|t| t.got == self.about.kind) {
            return None;
        }
        self.tries.first().map(|t| t.got)
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
            .flat_map(|w| w.tries.iter().map(|t| t.share))
            .collect();
        if shares.is_empty() {
            continue;
        }
        let low = shares.iter().copied().fold(f64::INFINITY, f64::min);
        let high = shares.iter().copied().fold(0.0, f64::max);
        parts.push(format!("{kind} {} to {}", pct(low), pct(high)));
    }
    format!(
        "share of computing in the hidden workloads' runs: {} (edges at 20% and 60%)",
        parts.join(", ")
    )
}

/// Why `kind_of` got `wrong` figures wrong, when the pattern says.
fn kind_of_diagnosis(figures: &[Figure], wrong: &[&Figure]) -> &'static str {
    if wrong.iter().all(|f| f.stretched())
        && figures.iter().any(|f| !f.stretched() && f.got == f.expected)
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
            "{retried} workloads were classified again after a wrong answer"
        ));
    }
    verdict
}

// ---------------------------------------------------------------------
// The batch: what ran where
// ---------------------------------------------------------------------

/// A thread that ran steps of the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The thread that polled `run_batch`: the runtime's only thread.
    pub runtime: bool,
    /// Whether it was a rayon worker.
    pub rayon: bool,
    /// Its name in reports.
    pub label: String,
}

/// One step as it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    /// Its workload, by index in the batch.
    pub workload: usize,
    /// Its place in the workload.
    pub step: usize,
    /// A computation (else a wait).
    pub compute: bool,
    /// A wait that held its thread asleep.
    pub blocking: bool,
    /// Index into [`Batch::threads`].
    pub thread: usize,
    /// Real start.
    pub start: Duration,
    /// Real end, if it ended.
    pub end: Option<Duration>,
    /// CPU time, for a computation.
    pub cpu: Duration,
}

/// One run of `run_batch`.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The workloads, in the order given.
    pub workloads: Vec<About>,
    /// How many steps each has.
    pub steps: Vec<usize>,
    /// Every thread that ran a step.
    pub threads: Vec<Thread>,
    /// Every step run, in the order they started.
    pub ran: Vec<Ran>,
}

impl Batch {
    fn of(&self, kind: Kind) -> impl Iterator<Item = &Ran> {
        self.ran
            .iter()
            .filter(move |r| self.workloads[r.workload].kind == kind)
    }

    fn count(&self, kind: Kind) -> usize {
        self.workloads.iter().filter(|w| w.kind == kind).count()
    }

    fn who(&self, r: &Ran) -> &str {
        &self.threads[r.thread].label
    }

    fn name(&self, r: &Ran) -> String {
        self.workloads[r.workload].name()
    }
}

/// `run_batch` ran every step of every workload once, in order, one step
/// of a workload at a time.
pub fn every_step_once(batch: &Batch) -> Verdict {
    for (w, about) in batch.workloads.iter().enumerate() {
        let mine: Vec<&Ran> = batch.ran.iter().filter(|r| r.workload == w).collect();
        for step in 0..batch.steps[w] {
            let n = mine.iter().filter(|r| r.step == step).count();
            if n != 1 {
                return Verdict::fail(format!(
                    "step {} of {} ({}) ran {n} times; expected every step of every workload to \
                     run exactly once.",
                    step + 1,
                    about.name(),
                    about.kind
                ));
            }
        }
        if let Some(r) = mine.iter().find(|r| r.end.is_none()) {
            return Verdict::fail(format!(
                "step {} of {} started and never finished: run_batch returned (or dropped it) \
                 before it ended. Expected every step to finish before run_batch returns.",
                r.step + 1,
                about.name()
            ));
        }
        let mut by_step = mine.clone();
        by_step.sort_by_key(|r| r.step);
        for pair in by_step.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            if after.start < before.end.unwrap_or_default() {
                return Verdict::fail(format!(
                    "step {} of {} started before step {} had finished; expected the steps of a \
                     workload in order, each after the one before it: a step may need what the \
                     one before it produced.",
                    after.step + 1,
                    about.name(),
                    before.step + 1
                ));
            }
        }
    }
    let steps: usize = batch.steps.iter().sum();
    Verdict::pass(format!(
        "each of the {steps} steps of the {} workloads ran once, each workload's in order",
        batch.workloads.len()
    ))
}

/// Waiting workloads ran as async on the runtime's one thread, their waits
/// in flight at the same time.
pub fn waiting_async(batch: &Batch) -> Verdict {
    let n = batch.count(Kind::Waiting);
    if let Some(r) = batch.of(Kind::Waiting).find(|r| !r.compute && r.blocking) {
        let on_pool = batch.threads[r.thread].rayon;
        return Verdict::fail(format!(
            "a wait of the waiting workload {} held {} asleep{}: waiting sent to threads, which \
             can wait only one at a time each. Expected the waiting workloads as async: their \
             waits awaited on the runtime's thread, which needs no thread per wait.",
            batch.name(r),
            batch.who(r),
            if on_pool {
                " (run_blocking on the pool)"
            } else {
                ""
            }
        ));
    }
    if let Some(r) = batch
        .of(Kind::Waiting)
        .find(|r| !batch.threads[r.thread].runtime)
    {
        return Verdict::fail(format!(
            "a {} of the waiting workload {} ran on {}, not on the runtime's thread that polls \
             run_batch. Expected every step of a waiting workload on that thread: its few \
             computations are too small to be worth a trip to another thread.",
            if r.compute { "computation" } else { "wait" },
            batch.name(r),
            batch.who(r)
        ));
    }
    let spans: Vec<(usize, Duration, Duration)> = batch
        .of(Kind::Waiting)
        .filter(|r| !r.compute)
        .map(|r| (r.workload, r.start, r.end.unwrap_or(r.start)))
        .collect();
    let most = most_at_once(&spans);
    if most + 1 < n {
        let how = if most <= 1 {
            "one after another".to_string()
        } else {
            format!("at most {most} at a time")
        };
        return Verdict::fail(format!(
            "the {n} waiting workloads waited {how} on the runtime's thread. Expected all of \
             them in flight at once (at least {}): start every waiting workload before awaiting \
             any, for example join them.",
            n - 1
        ));
    }
    Verdict::pass(format!(
        "the {n} waiting workloads ran on the runtime's thread, {most} of them waiting at the \
         same time"
    ))
}

/// Each pool thread's share of the computing workloads' CPU time, largest
/// first, with its label.
pub fn pool_shares(batch: &Batch) -> Vec<(String, f64)> {
    let mut by_thread: BTreeMap<usize, Duration> = BTreeMap::new();
    for r in batch.of(Kind::Computing).filter(|r| r.compute) {
        *by_thread.entry(r.thread).or_default() += r.cpu;
    }
    let total: Duration = by_thread.values().sum();
    let mut shares: Vec<(String, f64)> = by_thread
        .into_iter()
        .map(|(t, cpu)| (batch.threads[t].label.clone(), share(cpu, total)))
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    shares
}

/// Whether the computing was shared badly: one thread, or one doing over
/// [`MAX_SHARE`].
pub fn lopsided(batch: &Batch) -> bool {
    let shares = pool_shares(batch);
    shares.len() < 2 || shares[0].1 > MAX_SHARE || computing_overlap(batch) < 2
}

fn computing_overlap(batch: &Batch) -> usize {
    let spans: Vec<(usize, Duration, Duration)> = batch
        .of(Kind::Computing)
        .filter(|r| r.compute)
        .map(|r| (r.thread, r.start, r.end.unwrap_or(r.start)))
        .collect();
    most_at_once(&spans)
}

/// Whether a wait awaited on the runtime's thread was in flight while a
/// computing workload computed: the pool and the runtime at work at once.
fn waits_beside_computing(batch: &Batch) -> bool {
    let mut spans: Vec<(usize, Duration, Duration)> = batch
        .of(Kind::Computing)
        .filter(|r| r.compute)
        .map(|r| (0, r.start, r.end.unwrap_or(r.start)))
        .collect();
    spans.extend(
        batch
            .ran
            .iter()
            .filter(|r| !r.compute && !r.blocking && batch.threads[r.thread].runtime)
            .map(|r| (1, r.start, r.end.unwrap_or(r.start))),
    );
    most_at_once(&spans) >= 2
}

/// Computing workloads ran on rayon's pool: two or more workers, each a
/// fair share, at the same time.
pub fn computing_pool(batch: &Batch, pool: usize, cores: usize) -> Verdict {
    let computing = || batch.of(Kind::Computing).filter(|r| r.compute);
    if let Some(r) = computing().find(|r| batch.threads[r.thread].runtime) {
        return Verdict::fail(format!(
            "a computation of the computing workload {} ran on the runtime's thread: computing \
             sent to async. While it computes, nothing else on that thread moves, and async \
             gives it no second core. Expected the computing workloads on rayon's pool.",
            batch.name(r)
        ));
    }
    if let Some(r) = computing().find(|r| !batch.threads[r.thread].rayon) {
        return Verdict::fail(format!(
            "a computation of the computing workload {} ran on {}, which is not a rayon worker. \
             Expected the computing workloads on rayon's pool: a fixed set of threads, one per \
             core, that share the work.",
            batch.name(r),
            batch.who(r)
        ));
    }
    let shares = pool_shares(batch);
    let list = shares
        .iter()
        .map(|(label, s)| format!("{label} {}", pct(*s)))
        .collect::<Vec<_>>()
        .join(", ");
    if shares.len() < 2 {
        return Verdict::fail(format!(
            "every computing workload ran on one pool thread ({list}), one after another. \
             Expected them shared among the pool's {pool} workers: hand the pool all of them at \
             once (par_iter), not one rayon task that loops over them."
        ));
    }
    if shares[0].1 > MAX_SHARE {
        return Verdict::fail(format!(
            "one pool thread did {} of the computing in three runs ({list}). Expected the \
             computing workloads shared fairly among the pool's workers, none doing over {}.",
            pct(shares[0].1),
            pct(MAX_SHARE)
        ));
    }
    let most = computing_overlap(batch);
    if most < 2 {
        return Verdict::fail(format!(
            "the computing workloads ran on {} pool threads ({list}) but never two at the same \
             instant, in three runs: they took turns. Expected them computing side by side; \
             something serialises them, such as a lock held around the work.",
            shares.len()
        ));
    }
    if !waits_beside_computing(batch) {
        return Verdict::fail(format!(
            "the computing workloads ran on {} pool threads ({list}), but no wait on the \
             runtime's thread was in flight while they computed: the runtime's thread was held \
             until the pool was done (par_iter called straight from async code blocks it), or \
             the waiting waited for the computing to end. Expected the pool to compute while the \
             runtime's thread waits: hand the pool its work with rayon::spawn and await the end \
             through a tokio::sync::oneshot channel.",
            shares.len()
        ));
    }
    Verdict::pass(format!(
        "the computing workloads ran on {} of rayon's {pool} workers ({list}), {most} at the \
         same instant on this machine's {cores} cores, while the runtime's thread waited",
        shares.len()
    ))
}

/// Mixed workloads ran on both tools: computations on the pool, waits
/// awaited on the runtime's thread.
pub fn mixed_both(batch: &Batch) -> Verdict {
    if let Some(r) = batch
        .of(Kind::Mixed)
        .find(|r| r.compute && batch.threads[r.thread].runtime)
    {
        return Verdict::fail(format!(
            "a computation of the mixed workload {} ran on the runtime's thread, which every \
             wait of the batch needs meanwhile. Expected a mixed workload's computations on \
             rayon's pool, awaited from async code.",
            batch.name(r)
        ));
    }
    if let Some(r) = batch
        .of(Kind::Mixed)
        .find(|r| r.compute && !batch.threads[r.thread].rayon)
    {
        return Verdict::fail(format!(
            "a computation of the mixed workload {} ran on {}, not on a rayon worker. Expected \
             its computations on rayon's pool.",
            batch.name(r),
            batch.who(r)
        ));
    }
    if let Some(r) = batch
        .of(Kind::Mixed)
        .find(|r| !r.compute && (r.blocking || !batch.threads[r.thread].runtime))
    {
        return Verdict::fail(format!(
            "a wait of the mixed workload {} {} {}: the whole workload sent to threads. Expected \
             its waits awaited on the runtime's thread (no thread needed) and only its \
             computations sent to the pool.",
            batch.name(r),
            if r.blocking {
                "held asleep"
            } else {
                "ran on"
            },
            batch.who(r)
        ));
    }
    Verdict::pass(format!(
        "the {} mixed workloads computed on rayon's pool and waited on the runtime's thread",
        batch.count(Kind::Mixed)
    ))
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
        assert!(wall_as_cpu.message.contains("both figures come from the wall clock"));
        let other_thread = measures(&[measured(61, 0, 20)]);
        assert!(other_thread.message.contains("did not run the workload"));
        let stretched = Measured {
            waiting: d(61 - 21),
            logged_waits: d(30),
            ..measured(61, 21, 20)
        };
        let v = measures(&[stretched]);
        assert!(v.message.contains("the wall time less the CPU time"), "{}", v.message);
        assert!(measures(&[measured(30, 20, 20)]).message.contains("of wall time"));
        assert!(measures(&[measured(90, 20, 20)]).message.contains("of wall time"));
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
        assert!(v.message.contains("it reads how long the job took"), "{}", v.message);
        let over_wall = [
            figure(90, 10, 100, Kind::Computing, Kind::Computing),
            figure(90, 10, 300, Kind::Computing, Kind::Mixed),
        ];
        let v = classifies(&over_wall, &[]);
        assert!(v.message.contains("busy machine had stretched"), "{}", v.message);
        let v = classifies(&[figure(5, 5, 10, Kind::Mixed, Kind::Waiting)], &[]);
        assert!(v.message.contains("kind_of said waiting"));
        assert!(!v.message.contains(" It "));
    }

    #[test]
    fn classify_by_name_or_by_steps_is_named() {
        let ok = [figure(0, 10, 10, Kind::Waiting, Kind::Waiting)];
        let by_name = [
            classified(Kind::Waiting, "wait", Kind::Computing, &[Kind::Computing; 3]),
            classified(Kind::Mixed, "compute, wait", Kind::Waiting, &[Kind::Mixed]),
        ];
        let v = classifies(&ok, &by_name);
        assert!(v.message.contains("the kind its name suggests"), "{}", v.message);
        assert!(v.message.contains("never ran it (none of its steps ran in 3 calls)"), "{}", v.message);
        let by_steps = [
            classified(Kind::Waiting, "compute, wait", Kind::Computing, &[Kind::Mixed; 3]),
            classified(Kind::Computing, "compute", Kind::Waiting, &[Kind::Computing]),
        ];
        let v = classifies(&ok, &by_steps);
        assert!(v.message.contains("which steps a workload has"), "{}", v.message);
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

    fn thread(runtime: bool, rayon: bool, label: &str) -> Thread {
        Thread {
            runtime,
            rayon,
            label: label.into(),
        }
    }

    fn ran(workload: usize, step: usize, compute: bool, thread: usize, start: u64, end: u64) -> Ran {
        Ran {
            workload,
            step,
            compute,
            blocking: false,
            thread,
            start: d(start),
            end: Some(d(end)),
            cpu: if compute { d(end - start) } else { d(0) },
        }
    }

    /// Two waiting workloads, two computing ones and a mixed one, run the
    /// right way: thread 0 is the runtime's, 1 and 2 rayon workers.
    fn good() -> Batch {
        Batch {
            workloads: vec![
                about(Kind::Waiting, "wait, wait"),
                about(Kind::Waiting, "wait, wait"),
                about(Kind::Computing, "compute, compute"),
                about(Kind::Computing, "compute, compute"),
                about(Kind::Mixed, "compute, wait"),
            ],
            steps: vec![2, 2, 2, 2, 2],
            threads: vec![
                thread(true, false, "the runtime's thread"),
                thread(false, true, "rayon worker 0"),
                thread(false, true, "rayon worker 1"),
            ],
            ran: vec![
                ran(0, 0, false, 0, 0, 20),
                ran(1, 0, false, 0, 0, 20),
                ran(0, 1, false, 0, 20, 40),
                ran(1, 1, false, 0, 20, 40),
                ran(2, 0, true, 1, 0, 10),
                ran(2, 1, true, 1, 10, 20),
                ran(3, 0, true, 2, 0, 10),
                ran(3, 1, true, 2, 10, 20),
                ran(4, 0, true, 1, 20, 30),
                ran(4, 1, false, 0, 30, 50),
            ],
        }
    }

    #[test]
    fn the_right_tools_pass_every_batch_check() {
        let b = good();
        assert!(every_step_once(&b).is_pass());
        assert!(waiting_async(&b).is_pass(), "{}", waiting_async(&b).message);
        assert!(computing_pool(&b, 4, 2).is_pass());
        assert!(mixed_both(&b).is_pass());
        assert!(!lopsided(&b));
    }

    #[test]
    fn missing_twice_unfinished_and_out_of_order_steps_fail() {
        let mut b = good();
        b.ran.pop();
        assert!(every_step_once(&b).message.contains("ran 0 times"));
        let mut b = good();
        b.ran.push(ran(0, 0, false, 0, 50, 60));
        assert!(every_step_once(&b).message.contains("ran 2 times"));
        let mut b = good();
        b.ran[0].end = None;
        assert!(every_step_once(&b).message.contains("never finished"));
        let mut b = good();
        b.ran[9].start = d(25);
        assert!(every_step_once(&b).message.contains("before step 1 had finished"));
    }

    #[test]
    fn waits_on_the_pool_or_in_a_row_fail_waiting_async() {
        let mut b = good();
        b.ran[0].thread = 1;
        b.ran[0].blocking = true;
        let v = waiting_async(&b);
        assert!(v.message.contains("run_blocking on the pool"), "{}", v.message);
        let mut b = good();
        b.ran[0].thread = 1;
        assert!(waiting_async(&b).message.contains("not on the runtime's thread"));
        let mut b = good();
        b.workloads.push(about(Kind::Waiting, "wait"));
        b.steps.push(1);
        b.ran.push(ran(5, 0, false, 0, 40, 60));
        b.workloads.push(about(Kind::Waiting, "wait"));
        b.steps.push(1);
        b.ran.push(ran(6, 0, false, 0, 60, 80));
        let v = waiting_async(&b);
        assert!(v.message.contains("at most 2 at a time"), "{}", v.message);
    }

    #[test]
    fn computing_on_the_runtime_or_unshared_fails_computing_pool() {
        let mut b = good();
        for r in &mut b.ran {
            r.thread = 0;
        }
        assert!(computing_pool(&b, 4, 2).message.contains("sent to async"));
        let mut b = good();
        b.threads[2].rayon = false;
        b.threads[2].label = "thread #1".into();
        assert!(computing_pool(&b, 4, 2).message.contains("not a rayon worker"));
        let mut b = good();
        b.ran[6].thread = 1;
        b.ran[7].thread = 1;
        assert!(computing_pool(&b, 4, 2).message.contains("one after another"));
        assert!(lopsided(&b));
        let mut b = good();
        b.ran[6].cpu = d(1);
        b.ran[7].cpu = d(1);
        assert!(computing_pool(&b, 4, 2).message.contains("fairly"));
        let mut b = good();
        b.ran[6].start = d(20);
        b.ran[6].end = Some(d(30));
        b.ran[7].start = d(30);
        b.ran[7].end = Some(d(40));
        assert!(computing_pool(&b, 4, 2).message.contains("took turns"));
        let mut b = good();
        for r in &mut b.ran[..4] {
            r.start += d(20);
            r.end = r.end.map(|e| e + d(20));
        }
        b.ran[9].start = d(20);
        let v = computing_pool(&b, 4, 2);
        assert!(v.message.contains("runtime's thread was held"), "{}", v.message);
    }

    #[test]
    fn a_mixed_workload_needs_both_tools() {
        let mut b = good();
        b.ran[8].thread = 0;
        assert!(mixed_both(&b).message.contains("ran on the runtime's thread"));
        let mut b = good();
        b.ran[9].thread = 1;
        b.ran[9].blocking = true;
        let v = mixed_both(&b);
        assert!(v.message.contains("held asleep rayon worker 0"), "{}", v.message);
        let mut b = good();
        b.threads[1].rayon = false;
        b.threads[1].label = "thread #1".into();
        assert!(mixed_both(&b).message.contains("not on a rayon worker"));
    }
}
