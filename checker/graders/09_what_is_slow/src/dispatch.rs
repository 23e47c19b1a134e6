//! The decisions about `run_batch`: which tool ran each step. Pure, like
//! `decide`: evidence in, a [`Verdict`] out, every branch a unit test.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::Verdict;
use grading::overlap::most_at_once;
use lab::workload::Kind;

use crate::decide::{About, pct, share};

/// The most of the computing workloads' CPU time one pool thread may do
/// and still share fairly. With four workloads on four workers a fair
/// split gives each about 25%; 80% is one thread doing nearly everything.
pub const MAX_SHARE: f64 = 0.80;

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
            if r.blocking { "held asleep" } else { "ran on" },
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

    fn thread(runtime: bool, rayon: bool, label: &str) -> Thread {
        Thread {
            runtime,
            rayon,
            label: label.into(),
        }
    }

    fn ran(
        workload: usize,
        step: usize,
        compute: bool,
        thread: usize,
        start: u64,
        end: u64,
    ) -> Ran {
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
        assert!(
            every_step_once(&b)
                .message
                .contains("before step 1 had finished")
        );
    }

    #[test]
    fn waits_on_the_pool_or_in_a_row_fail_waiting_async() {
        let mut b = good();
        b.ran[0].thread = 1;
        b.ran[0].blocking = true;
        let v = waiting_async(&b);
        assert!(
            v.message.contains("run_blocking on the pool"),
            "{}",
            v.message
        );
        let mut b = good();
        b.ran[0].thread = 1;
        assert!(
            waiting_async(&b)
                .message
                .contains("not on the runtime's thread")
        );
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
        assert!(
            computing_pool(&b, 4, 2)
                .message
                .contains("not a rayon worker")
        );
        let mut b = good();
        b.ran[6].thread = 1;
        b.ran[7].thread = 1;
        assert!(
            computing_pool(&b, 4, 2)
                .message
                .contains("one after another")
        );
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
        assert!(
            v.message.contains("runtime's thread was held"),
            "{}",
            v.message
        );
    }

    #[test]
    fn a_mixed_workload_needs_both_tools() {
        let mut b = good();
        b.ran[8].thread = 0;
        assert!(
            mixed_both(&b)
                .message
                .contains("ran on the runtime's thread")
        );
        let mut b = good();
        b.ran[9].thread = 1;
        b.ran[9].blocking = true;
        let v = mixed_both(&b);
        assert!(
            v.message.contains("held asleep rayon worker 0"),
            "{}",
            v.message
        );
        let mut b = good();
        b.threads[1].rayon = false;
        b.threads[1].label = "thread #1".into();
        assert!(mixed_both(&b).message.contains("not on a rayon worker"));
    }
}
