//! The workloads of exercise 09: jobs made of steps that compute and steps
//! that wait, whose cost you can only learn by measuring.
//!
//! A [`Workload`] is a list of [`Step`]s, run one after the other. A
//! [`Compute`] step burns a fixed amount of CPU time on the thread that runs
//! it; a [`Wait`] step waits (on tokio's timer, or blocking a thread) as a
//! network or database call would. You can see *which* steps a workload
//! has, never *how long* each one takes: a workload of three waits and one
//! computation may be almost all computing, or almost all waiting. To know
//! what is slow, run it and compare the clocks.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use lab::workload::{Log, Workload, Plan};
//!
//! let log = Log::new();
//! let work = Workload::new("resize photo", &[Plan::Compute(Duration::from_millis(5))], &log);
//! let (wall, cpu) = (Instant::now(), lab::thread_cpu_time());
//! work.run_blocking();
//! assert!(lab::thread_cpu_time() - cpu >= Duration::from_millis(5));
//! assert!(wall.elapsed() >= Duration::from_millis(5));
//! ```
//!
//! Every step is logged in the workload's [`Log`] (the OS thread that ran
//! it, when, whether a wait blocked its thread) and every computation also
//! through [`crate::cpu`]'s probe: that is how the checker sees which tool
//! ran each step.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::cpu::{self, Job};
use crate::io::lock;
use crate::thread_cpu_time;

/// What a workload is, by what slows it down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Almost all of its time is spent waiting: the CPU is idle meanwhile.
    Waiting,
    /// Almost all of its time is spent computing on the CPU.
    Computing,
    /// A real share of both.
    Mixed,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Waiting => "waiting",
            Kind::Computing => "computing",
            Kind::Mixed => "mixed",
        })
    }
}

/// What one run of a workload took, by two clocks.
///
/// On an idle machine `wall` is `cpu` plus `waiting`. On a busy one it is
/// more: a thread that is ready to compute may still wait for a core, and
/// that time shows on the wall clock and on neither of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measurement {
    /// Real (wall-clock) time from start to end.
    pub wall: Duration,
    /// CPU time the thread(s) that ran it spent on it: the computing.
    pub cpu: Duration,
    /// Real time spent in its waits: the steps during which the CPU clock
    /// stood still.
    pub waiting: Duration,
}

/// The recipe of one step, to build a [`Workload`] with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// A computation that uses this much CPU time.
    Compute(Duration),
    /// A wait of this long.
    Wait(Duration),
}

/// One step of a workload. You can tell a computation from a wait, but not
/// how long either takes.
#[derive(Clone)]
pub enum Step {
    /// A computation: call [`Compute::run`] on the thread that should do it.
    Compute(Compute),
    /// A wait: await [`Wait::run`] in async code, or call
    /// [`Wait::run_blocking`] to hold a thread for it.
    Wait(Wait),
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Compute(_) => "Compute",
            Step::Wait(_) => "Wait",
        })
    }
}

/// Where a step belongs: which workload, which place in it.
#[derive(Debug, Clone)]
struct Place {
    workload: usize,
    step: usize,
    log: Arc<Shared>,
}

/// A computation step: pure CPU work of a fixed CPU time.
#[derive(Clone)]
pub struct Compute {
    place: Place,
    cpu: Duration,
}

/// A waiting step: a wait of a fixed length that needs no CPU.
#[derive(Clone)]
pub struct Wait {
    place: Place,
    latency: Duration,
}

impl Compute {
    /// Does the computation on the calling thread and returns its result.
    /// It keeps this thread's CPU busy the whole time: nothing else runs on
    /// this thread meanwhile.
    pub fn run(&self) -> u64 {
        let entry = self.place.begin(StepKind::Compute, false);
        let job = Job {
            item: self.place.workload,
            input: (self.place.workload, self.place.step),
            radius: 0,
        };
        let cpu_start = thread_cpu_time();
        let target = self.cpu;
        let result = cpu::measure(job, || {
            let mut x = (self.place.workload as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            loop {
                for _ in 0..2_000 {
                    // xorshift: cheap, and the compiler cannot skip it.
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x = std::hint::black_box(x);
                }
                if thread_cpu_time().saturating_sub(cpu_start) >= target {
                    return x;
                }
            }
        });
        let cpu = thread_cpu_time().saturating_sub(cpu_start);
        self.place.end(entry, cpu);
        result
    }
}

impl Wait {
    /// Waits on tokio's timer, as an async network call would: the thread
    /// is free to run other tasks meanwhile.
    ///
    /// # Panics
    ///
    /// When awaited outside a tokio runtime.
    pub async fn run(&self) {
        if tokio::runtime::Handle::try_current().is_err() {
            panic!(
                "lab: a wait step was awaited outside a tokio runtime. Await it inside \
                 async code that tokio runs, or call run_blocking() on a thread instead."
            );
        }
        let entry = self.place.begin(StepKind::Wait, false);
        let guard = Unfinished(Some((self.place.clone(), entry)));
        tokio::time::sleep(self.latency).await;
        guard.finish();
    }

    /// Waits by holding the calling thread asleep, as a blocking library
    /// call would: nothing else runs on this thread meanwhile.
    pub fn run_blocking(&self) {
        let entry = self.place.begin(StepKind::Wait, true);
        std::thread::sleep(self.latency);
        self.place.end(entry, Duration::ZERO);
    }
}

/// Ends a wait's record when it finishes; a wait dropped halfway (its
/// future cancelled) keeps no end.
struct Unfinished(Option<(Place, usize)>);

impl Unfinished {
    fn finish(mut self) {
        if let Some((place, entry)) = self.0.take() {
            place.end(entry, Duration::ZERO);
        }
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some((place, _)) = self.0.take() {
            place.log.in_flight.fetch_sub(1, Ordering::SeqCst);
            place.log.touch();
        }
    }
}

/// A job made of steps that compute and steps that wait, run in order.
/// Cheap to clone: clones share their steps and their log.
#[derive(Clone)]
pub struct Workload {
    label: Arc<str>,
    steps: Arc<[Step]>,
}

impl fmt::Debug for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workload")
            .field("label", &self.label)
            .field("steps", &self.steps)
            .finish()
    }
}

/// Numbers workloads across every log, so that two workloads never share
/// a number.
static NEXT_WORKLOAD: AtomicUsize = AtomicUsize::new(0);

impl Workload {
    /// A workload called `label` whose steps follow `plan`, logged in
    /// `log`.
    pub fn new(label: &str, plan: &[Plan], log: &Log) -> Self {
        let workload = NEXT_WORKLOAD.fetch_add(1, Ordering::SeqCst);
        let steps = plan
            .iter()
            .enumerate()
            .map(|(step, plan)| {
                let place = Place {
                    workload,
                    step,
                    log: log.shared.clone(),
                };
                match *plan {
                    Plan::Compute(cpu) => Step::Compute(Compute { place, cpu }),
                    Plan::Wait(latency) => Step::Wait(Wait { place, latency }),
                }
            })
            .collect();
        Workload {
            label: label.into(),
            steps,
        }
    }

    /// Its name. A name says what the job is for, never what slows it.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Its number, unique in this process: how the [`Log`] names it.
    pub fn id(&self) -> usize {
        match self.steps.first() {
            Some(Step::Compute(c)) => c.place.workload,
            Some(Step::Wait(w)) => w.place.workload,
            None => usize::MAX,
        }
    }

    /// Its steps, in the order they must run.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Runs every step in turn on the calling thread, as async code:
    /// computations run right here, waits are awaited on tokio's timer.
    pub async fn run(&self) {
        for step in self.steps.iter() {
            match step {
                Step::Compute(c) => {
                    c.run();
                }
                Step::Wait(w) => w.run().await,
            }
        }
    }

    /// Runs every step in turn on the calling thread, blocking it for the
    /// waits.
    pub fn run_blocking(&self) {
        for step in self.steps.iter() {
            match step {
                Step::Compute(c) => {
                    c.run();
                }
                Step::Wait(w) => w.run_blocking(),
            }
        }
    }
}

/// Computation or wait, in a [`StepRecord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A [`Compute`] step.
    Compute,
    /// A [`Wait`] step.
    Wait,
}

/// One run of one step, as the log saw it.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// The workload's number ([`Workload::id`]).
    pub workload: usize,
    /// The step's place in the workload, from 0.
    pub step: usize,
    /// Computation or wait.
    pub kind: StepKind,
    /// For a wait: whether it held its thread asleep ([`Wait::run_blocking`]).
    pub blocking: bool,
    /// The OS thread that started it.
    pub thread: ThreadId,
    /// That thread's name, if any.
    pub thread_name: Option<String>,
    /// The rayon worker index, when a rayon worker started it.
    pub rayon_index: Option<usize>,
    /// Whether the thread was inside a tokio runtime when it started.
    pub in_runtime: bool,
    /// Real time from the log's creation to the start.
    pub start: Duration,
    /// Real time from the log's creation to the end; `None` if it never
    /// ended (a wait dropped halfway).
    pub end: Option<Duration>,
    /// For a computation: the CPU time its thread spent on it.
    pub cpu: Duration,
}

#[derive(Debug)]
struct Shared {
    origin: Instant,
    records: Mutex<Vec<StepRecord>>,
    in_flight: AtomicUsize,
    started: AtomicUsize,
    /// Nanoseconds from `origin` to the latest start or end.
    last_event: AtomicU64,
}

impl Shared {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn touch(&self) -> Duration {
        let now = self.now();
        self.last_event
            .fetch_max(now.as_nanos() as u64, Ordering::SeqCst);
        now
    }
}

impl Place {
    fn begin(&self, kind: StepKind, blocking: bool) -> usize {
        let log = &self.log;
        log.started.fetch_add(1, Ordering::SeqCst);
        log.in_flight.fetch_add(1, Ordering::SeqCst);
        let start = log.touch();
        let current = std::thread::current();
        let mut records = lock(&log.records);
        records.push(StepRecord {
            workload: self.workload,
            step: self.step,
            kind,
            blocking,
            thread: current.id(),
            thread_name: current.name().map(str::to_string),
            rayon_index: rayon::current_thread_index(),
            in_runtime: tokio::runtime::Handle::try_current().is_ok(),
            start,
            end: None,
            cpu: Duration::ZERO,
        });
        records.len() - 1
    }

    fn end(&self, entry: usize, cpu: Duration) {
        let log = &self.log;
        let end = log.touch();
        {
            let mut records = lock(&log.records);
            let record = &mut records[entry];
            record.end = Some(end);
            record.cpu = cpu;
        }
        log.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The log of every step run of the workloads built with it. Cheap to
/// clone: clones share one log.
#[derive(Debug, Clone)]
pub struct Log {
    shared: Arc<Shared>,
}

impl Default for Log {
    fn default() -> Self {
        Self::new()
    }
}

impl Log {
    /// An empty log whose clock starts now.
    pub fn new() -> Self {
        Log {
            shared: Arc::new(Shared {
                origin: Instant::now(),
                records: Mutex::new(Vec::new()),
                in_flight: AtomicUsize::new(0),
                started: AtomicUsize::new(0),
                last_event: AtomicU64::new(0),
            }),
        }
    }

    /// Every step run so far, in the order they started.
    pub fn records(&self) -> Vec<StepRecord> {
        lock(&self.shared.records).clone()
    }

    /// Forgets every record, so the next run is logged on its own.
    pub fn clear(&self) {
        lock(&self.shared.records).clear();
        self.shared.started.store(0, Ordering::SeqCst);
    }

    /// Real time since the log was created.
    pub fn elapsed(&self) -> Duration {
        self.shared.now()
    }

    /// Steps started since the last [`Log::clear`].
    pub fn started(&self) -> usize {
        self.shared.started.load(Ordering::SeqCst)
    }

    /// Steps running now.
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Real time since a step last started or ended (since the log was
    /// created when none has).
    pub fn quiet(&self) -> Duration {
        let last = Duration::from_nanos(self.shared.last_event.load(Ordering::SeqCst));
        self.shared.now().saturating_sub(last)
    }
}
