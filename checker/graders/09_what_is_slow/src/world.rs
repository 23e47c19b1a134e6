//! The world the learner's code is graded in: hidden workloads generated
//! from the run's seed, and the figures every check runs with.
//!
//! Every workload is clearly one kind, by a wide margin, and many sit near
//! an edge: a waiting job that computes a little, a computing job that
//! waits a little. Their names never say their kind (each is borrowed from
//! another kind's jobs), and their steps, which the learner can see, do not
//! either: only the clocks do.

use std::time::Duration;

use lab::cpu::Watch;
use lab::workload::{Kind, Log, Measurement, Plan, Workload};

/// One hidden workload: its true kind and its steps.
#[derive(Debug, Clone)]
pub struct Spec {
    /// What it really is.
    pub kind: Kind,
    /// Its name, misleading on purpose.
    pub label: &'static str,
    /// Its steps.
    pub plan: Vec<Plan>,
}

impl Spec {
    /// The workload itself, logged in `log`.
    pub fn build(&self, log: &Log) -> Workload {
        Workload::new(self.label, &self.plan, log)
    }

    /// What its steps are: `compute, wait, compute`.
    pub fn shape(&self) -> String {
        self.plan
            .iter()
            .map(|p| match p {
                Plan::Compute(_) => "compute",
                Plan::Wait(_) => "wait",
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Names of jobs, by the kind such a job usually is. A hidden workload is
/// named from another kind's list, so a name never tells its kind.
const NAMES: [(Kind, &[&str]); 3] = [
    (
        Kind::Waiting,
        &[
            "download report",
            "fetch prices",
            "query orders",
            "call weather api",
        ],
    ),
    (
        Kind::Computing,
        &[
            "resize photo",
            "hash passwords",
            "compress logs",
            "render chart",
        ],
    ),
    (
        Kind::Mixed,
        &["serve request", "sync inbox", "build invoice", "index mail"],
    ),
];

fn name(kind: Kind, rng: &mut fastrand::Rng) -> &'static str {
    let own = NAMES.iter().position(|(k, _)| *k == kind).unwrap_or(0);
    let other = (own + rng.usize(1..3)) % 3;
    let names = NAMES[other].1;
    names[rng.usize(..names.len())]
}

fn ms(rng: &mut fastrand::Rng, range: std::ops::RangeInclusive<u64>) -> Duration {
    Duration::from_millis(rng.u64(range))
}

/// A waiting workload: waits of 20 to 35 ms, and in `variant` 1 and 2 a
/// millisecond or two of computing (at most 5% of its time).
fn waiting(rng: &mut fastrand::Rng, variant: usize) -> Vec<Plan> {
    let mut plan: Vec<Plan> = (0..rng.usize(2..=3))
        .map(|_| Plan::Wait(ms(rng, 20..=35)))
        .collect();
    match variant % 3 {
        0 => {}
        1 => plan.insert(1, Plan::Compute(ms(rng, 1..=2))),
        _ => {
            plan.insert(0, Plan::Compute(ms(rng, 1..=1)));
            plan.push(Plan::Compute(Duration::from_millis(1)));
        }
    }
    plan
}

/// A computing workload: four computations of 10 to 16 ms, and in
/// `variant` 1 and 2 a wait of 2 ms (at most 5% of its time).
fn computing(rng: &mut fastrand::Rng, variant: usize) -> Vec<Plan> {
    let mut plan: Vec<Plan> = (0..4).map(|_| Plan::Compute(ms(rng, 10..=16))).collect();
    match variant % 3 {
        0 => {}
        1 => plan.insert(2, Plan::Wait(Duration::from_millis(2))),
        _ => plan.insert(0, Plan::Wait(Duration::from_millis(2))),
    }
    plan
}

/// A mixed workload: two computations and two waits, computing 40% to
/// 50% of its time, in an order set by `variant`. A busy machine only
/// lowers that share (the CPU time stays, the waits may end late), so the
/// top of the range may sit at the 50% that `kind_of` must call mixed.
fn mixed(rng: &mut fastrand::Rng, variant: usize) -> Vec<Plan> {
    let total = rng.u64(56..=72);
    let share = rng.u64(40..=50);
    let cpu = total * share / 100;
    let wait = total - cpu;
    let c1 = cpu / 2 + rng.u64(0..=3);
    let w1 = wait / 2 + rng.u64(0..=5);
    let c = |d: u64| Plan::Compute(Duration::from_millis(d));
    let w = |d: u64| Plan::Wait(Duration::from_millis(d));
    let (c1, c2, w1, w2) = (c(c1), c(cpu - c1), w(w1), w(wait - w1));
    match variant % 3 {
        0 => vec![c1, w1, c2, w2],
        1 => vec![w1, c1, w2, c2],
        _ => vec![c1, w1, w2, c2],
    }
}

fn spec(kind: Kind, rng: &mut fastrand::Rng, variant: usize) -> Spec {
    let plan = match kind {
        Kind::Waiting => waiting(rng, variant),
        Kind::Computing => computing(rng, variant),
        Kind::Mixed => mixed(rng, variant),
    };
    Spec {
        kind,
        label: name(kind, rng),
        plan,
    }
}

/// The nine workloads `classifies` and `measures` grade: three of each
/// kind, one pure and two near an edge, in an order drawn from the seed.
pub fn to_classify(seed: u64) -> Vec<Spec> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0xc1a55);
    let mut specs: Vec<Spec> = [Kind::Waiting, Kind::Computing, Kind::Mixed]
        .into_iter()
        .flat_map(|kind| (0..3).map(move |variant| (kind, variant)))
        .map(|(kind, variant)| spec(kind, &mut rng, variant))
        .collect();
    rng.shuffle(&mut specs);
    specs
}

/// The batch the dispatch checks run: five waiting workloads (enough that
/// waits in a row or a few at a time show), four computing ones (enough to
/// keep four workers busy), three mixed, in an order drawn from the seed.
pub fn batch(seed: u64) -> Vec<Spec> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0xba7c4);
    let mut specs = Vec::new();
    for (kind, count) in [(Kind::Waiting, 5), (Kind::Computing, 4), (Kind::Mixed, 3)] {
        for variant in 0..count {
            specs.push(spec(kind, &mut rng, variant));
        }
    }
    rng.shuffle(&mut specs);
    specs
}

/// The measurements `kind_of` is graded on, with the kind each must get:
/// shares of computing far from the edges (20% and 60%) the README
/// suggests, at three very different lengths (so a rule on the length
/// alone fails), each once as an idle machine shows it (the wall time is
/// the computing plus the waiting) and once as a busy one does (the wall
/// time three times that: so a rule on cpu / wall fails).
pub fn figures() -> Vec<(Measurement, Kind)> {
    let mut figures = Vec::new();
    for total_ms in [8u64, 120, 2_500] {
        for (share, kind) in [
            (0.0, Kind::Waiting),
            (0.05, Kind::Waiting),
            (0.1, Kind::Waiting),
            (0.3, Kind::Mixed),
            (0.4, Kind::Mixed),
            (0.5, Kind::Mixed),
            (0.7, Kind::Computing),
            (0.85, Kind::Computing),
            (1.0, Kind::Computing),
        ] {
            for stretch in [1, 3] {
                let total = Duration::from_millis(total_ms);
                let cpu = total.mul_f64(share);
                let measurement = Measurement {
                    wall: total * stretch,
                    cpu,
                    waiting: total - cpu,
                };
                figures.push((measurement, kind));
            }
        }
    }
    figures
}

/// How long the learner's code may go without a computation starting or
/// ending before the watchdog ends the check. A correct run's longest
/// quiet stretch is one wait, under 50 ms; 2 s is far above that and
/// short enough that a hang is graded in seconds.
pub const QUIET: Duration = Duration::from_secs(2);

/// The watchdog for a run of `steps` steps: quiet for [`QUIET`], or eight
/// times more computations than there are steps (a loop that never ends).
pub fn watch(steps: usize) -> Watch {
    Watch {
        quiet: QUIET,
        max_calls: 8 * steps + 64,
    }
}

/// How many times `classifies` runs a workload that it got wrong before
/// it decides: a correct rule gets it right the first time unless the
/// machine spoiled the run (see `decide::judged`), so this only costs
/// time to code that is wrong.
pub const CLASSIFY_TRIES: usize = 4;

/// How many runs of the batch `computing_on_the_pool` looks at before a
/// lopsided split or no overlap counts.
pub const POOL_RUNS: usize = 3;

/// The number of cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The kind of job a name is usually given to.
pub fn named_as(label: &str) -> Kind {
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&label))
        .map_or(Kind::Mixed, |(kind, _)| *kind)
}
