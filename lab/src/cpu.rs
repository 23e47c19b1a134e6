//! Instruments for CPU work: who computed what, for how long, and how many at
//! once.
//!
//! The CPU kernels in `lab` (such as [`crate::blur::blur_row`]) call
//! `measure` around their work. While no [`Probe`] is installed that costs
//! one lock read. While one is installed, every call is logged as a
//! [`KernelCall`]: the OS thread, its rayon worker index, the pool's size and
//! the thread's CPU time spent inside the kernel. An in-flight gauge keeps the
//! peak number of kernel calls running at the same instant.
//!
//! A probe can also hold a [`Rendezvous`]: the first kernel call waits (up to
//! a timeout) until a call on another thread starts. If that happens, two
//! pieces of work provably ran at the same instant. Sequential code cannot
//! meet it; it just waits out the timeout and carries on. A rendezvous is a
//! probe that changes what it measures (it holds a thread back), so
//! graders use it only to confirm what ordinary, unheld runs show.
//!
//! [`Probe::progress`] says how many calls have started and finished and how
//! long the kernel has been quiet, for a watchdog that ends a run that no
//! longer makes progress (a deadlock, an endless loop).

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::io::lock;
use crate::thread_cpu_time;

/// What one kernel call was asked to do, as its arguments said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// What the kernel worked on (for the blur: the row number, `y`).
    pub item: usize,
    /// Width and height of the image the kernel read. A grader compares it
    /// with the input it gave: a kernel run on a copy or a crop of the input
    /// numbers its rows in that copy, not in the input.
    pub input: (usize, usize),
    /// The kernel's parameter (for the blur: the radius).
    pub radius: usize,
}

/// One kernel call, as the probe saw it.
#[derive(Debug, Clone)]
pub struct KernelCall {
    /// What the kernel worked on (for the blur: the row number).
    pub item: usize,
    /// The size of the image it read (see [`Job::input`]).
    pub input: (usize, usize),
    /// Its parameter (for the blur: the radius).
    pub radius: usize,
    /// The OS thread that ran it.
    pub thread: ThreadId,
    /// That thread's name, if any.
    pub thread_name: Option<String>,
    /// The rayon worker index, when a rayon worker ran it.
    pub rayon_index: Option<usize>,
    /// The size of that rayon worker's pool.
    pub pool_threads: Option<usize>,
    /// CPU time the thread spent inside the kernel.
    pub cpu: Duration,
    /// Real time from the probe's creation to the start of the call.
    pub real_start: Duration,
    /// Real time from the probe's creation to the end of the call.
    pub real_end: Duration,
}

/// What became of a [`Rendezvous`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RendezvousResult {
    /// No kernel call has arrived yet.
    Pending,
    /// A second thread started a kernel call while the first one waited.
    Met {
        /// How long the first call waited for it.
        waited: Duration,
    },
    /// Nobody came before the timeout.
    TimedOut {
        /// The timeout that ran out.
        waited: Duration,
    },
}

#[derive(Debug)]
struct RendezvousState {
    first: Option<ThreadId>,
    result: RendezvousResult,
}

/// Makes the first kernel call wait for a kernel call on another thread.
#[derive(Debug)]
pub struct Rendezvous {
    timeout: Duration,
    state: Mutex<RendezvousState>,
    arrived: Condvar,
}

impl Rendezvous {
    /// A rendezvous whose first caller waits at most `timeout`.
    pub fn new(timeout: Duration) -> Self {
        Rendezvous {
            timeout,
            state: Mutex::new(RendezvousState {
                first: None,
                result: RendezvousResult::Pending,
            }),
            arrived: Condvar::new(),
        }
    }

    /// The outcome so far.
    pub fn result(&self) -> RendezvousResult {
        lock(&self.state).result
    }

    /// Whether the first caller is waiting right now. A watchdog must not
    /// take that wait, which the probe itself imposes, for a hang.
    pub fn waiting(&self) -> bool {
        let state = lock(&self.state);
        state.first.is_some() && state.result == RendezvousResult::Pending
    }

    fn arrive(&self) {
        let me = std::thread::current().id();
        let mut state = lock(&self.state);
        if state.result != RendezvousResult::Pending {
            return;
        }
        match state.first {
            None => {
                state.first = Some(me);
                let started = Instant::now();
                // A Condvar with a timeout, never a bare Barrier: sequential
                // code must time out and go on, not hang.
                let (mut state, _) = self
                    .arrived
                    .wait_timeout_while(state, self.timeout, |s| {
                        s.result == RendezvousResult::Pending
                    })
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if state.result == RendezvousResult::Pending {
                    state.result = RendezvousResult::TimedOut {
                        waited: started.elapsed(),
                    };
                } else if let RendezvousResult::Met { waited } = &mut state.result {
                    *waited = started.elapsed();
                }
            }
            Some(first) if first != me => {
                state.result = RendezvousResult::Met {
                    waited: Duration::ZERO,
                };
                self.arrived.notify_all();
            }
            Some(_) => {}
        }
    }
}

/// How far a probed run has got, for a watchdog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Kernel calls started.
    pub started: usize,
    /// Kernel calls finished.
    pub finished: usize,
    /// Real time since a kernel call last started or finished, or the
    /// rendezvous let its first caller go (since the probe was made when
    /// none has yet).
    pub quiet: Duration,
    /// Whether the first call is being held at the rendezvous now.
    pub at_rendezvous: bool,
    /// Real time since the probe was made.
    pub elapsed: Duration,
}

/// Which kind of thread did kernel work, relative to the run that watched
/// it. Graders decide on this; its text (`Display`) is for reports only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThreadKind {
    /// The thread that called the code under test.
    Caller,
    /// A worker of a rayon pool.
    RayonWorker {
        /// Its index in the pool.
        index: usize,
        /// The pool's number of threads.
        pool: usize,
    },
    /// Another thread, with a name.
    Named(String),
    /// Another thread without a name, numbered from 1 in the order its
    /// first call was logged.
    Unnamed(usize),
}

impl fmt::Display for ThreadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThreadKind::Caller => write!(f, "the calling thread"),
            ThreadKind::RayonWorker { index, .. } => write!(f, "rayon worker {index}"),
            ThreadKind::Named(name) => write!(f, "thread {name}"),
            ThreadKind::Unnamed(n) => write!(f, "thread #{n}"),
        }
    }
}

/// When a watchdog should end a probed run: after `quiet` of real time in
/// which no kernel call started or finished (a deadlock, or a loop that
/// never reaches the kernel), or once more than `max_calls` calls have
/// started (a loop over the work that never ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    /// The longest quiet stretch a live run may have.
    pub quiet: Duration,
    /// The most calls a live run may start.
    pub max_calls: usize,
}

impl Watch {
    /// Whether `progress` shows a run that stopped making progress. The
    /// wait at a rendezvous is the probe's own doing, never a stall.
    pub fn stalled(&self, progress: &Progress) -> bool {
        progress.started > self.max_calls
            || (progress.quiet >= self.quiet && !progress.at_rendezvous)
    }
}

/// Collects [`KernelCall`]s while installed with [`Probe::install`].
#[derive(Debug)]
pub struct Probe {
    origin: Instant,
    calls: Mutex<Vec<KernelCall>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    started: AtomicUsize,
    finished: AtomicUsize,
    /// Nanoseconds from `origin` to the latest start, end or rendezvous
    /// release: an atomic, so the watchdog reads it without a lock that a
    /// kernel call could hold.
    last_event: AtomicU64,
    rendezvous: Option<Rendezvous>,
}

static ACTIVE: RwLock<Option<Arc<Probe>>> = RwLock::new(None);

impl Probe {
    /// A probe without a rendezvous.
    pub fn new() -> Arc<Self> {
        Self::build(None)
    }

    /// A probe whose first kernel call waits up to `timeout` for a second
    /// thread.
    pub fn with_rendezvous(timeout: Duration) -> Arc<Self> {
        Self::build(Some(Rendezvous::new(timeout)))
    }

    fn build(rendezvous: Option<Rendezvous>) -> Arc<Self> {
        Arc::new(Probe {
            origin: Instant::now(),
            calls: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            last_event: AtomicU64::new(0),
            rendezvous,
        })
    }

    /// Notes that something happened now (a call started or ended).
    fn event(&self) -> Duration {
        let now = self.origin.elapsed();
        self.last_event
            .fetch_max(now.as_nanos() as u64, Ordering::SeqCst);
        now
    }

    /// How far the run has got.
    pub fn progress(&self) -> Progress {
        let elapsed = self.origin.elapsed();
        let last = Duration::from_nanos(self.last_event.load(Ordering::SeqCst));
        Progress {
            started: self.started.load(Ordering::SeqCst),
            finished: self.finished.load(Ordering::SeqCst),
            quiet: elapsed.saturating_sub(last),
            at_rendezvous: self.rendezvous.as_ref().is_some_and(Rendezvous::waiting),
            elapsed,
        }
    }

    /// Starts logging every kernel call in this process into `self`, until
    /// the returned guard is dropped.
    pub fn install(self: &Arc<Self>) -> Installed {
        *ACTIVE.write().unwrap_or_else(|p| p.into_inner()) = Some(self.clone());
        Installed { _private: () }
    }

    /// Every kernel call logged so far.
    pub fn calls(&self) -> Vec<KernelCall> {
        lock(&self.calls).clone()
    }

    /// The most kernel calls that ran at the same instant.
    pub fn peak_in_flight(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// The rendezvous outcome, if this probe has one.
    pub fn rendezvous(&self) -> Option<RendezvousResult> {
        self.rendezvous.as_ref().map(Rendezvous::result)
    }
}

/// Keeps a probe installed; uninstalls it when dropped.
#[derive(Debug)]
pub struct Installed {
    _private: (),
}

impl Drop for Installed {
    fn drop(&mut self) {
        *ACTIVE.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Runs one piece of kernel work, `job`, logging it if a probe is
/// installed. Only `lab`'s own kernels call this: if solutions could, they
/// could log work that never happened.
pub(crate) fn measure<R>(job: Job, work: impl FnOnce() -> R) -> R {
    let probe = ACTIVE.read().unwrap_or_else(|p| p.into_inner()).clone();
    let Some(probe) = probe else {
        return work();
    };
    probe.started.fetch_add(1, Ordering::SeqCst);
    probe.event();
    let now = probe.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    probe.peak.fetch_max(now, Ordering::SeqCst);
    if let Some(rendezvous) = &probe.rendezvous {
        rendezvous.arrive();
    }
    // The span starts after the rendezvous: a row held there is not yet
    // being computed, so the wait never shows as two rows at once.
    let real_start = probe.event();
    let cpu_start = thread_cpu_time();
    let result = work();
    let cpu = thread_cpu_time().saturating_sub(cpu_start);
    let real_end = probe.event();
    probe.in_flight.fetch_sub(1, Ordering::SeqCst);
    let current = std::thread::current();
    let rayon_index = rayon::current_thread_index();
    lock(&probe.calls).push(KernelCall {
        item: job.item,
        input: job.input,
        radius: job.radius,
        thread: current.id(),
        thread_name: current.name().map(str::to_string),
        rayon_index,
        pool_threads: rayon_index.map(|_| rayon::current_num_threads()),
        cpu,
        real_start,
        real_end,
    });
    probe.finished.fetch_add(1, Ordering::SeqCst);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Probes are installed process-wide, so tests that install one take
    /// turns.
    static ONE_PROBE_AT_A_TIME: Mutex<()> = Mutex::new(());

    fn job(item: usize) -> Job {
        Job {
            item,
            input: (1, 2),
            radius: 0,
        }
    }

    fn spin(ms: u64) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(ms) {
            std::hint::black_box(0u64);
        }
    }

    /// Two threads meet at the rendezvous; one thread alone times out.
    #[test]
    fn rendezvous_needs_two_threads() {
        let _turn = lock(&ONE_PROBE_AT_A_TIME);
        let probe = Probe::with_rendezvous(Duration::from_secs(10));
        let installed = probe.install();
        std::thread::scope(|s| {
            s.spawn(|| measure(job(0), || spin(5)));
            s.spawn(|| measure(job(1), || spin(5)));
        });
        drop(installed);
        assert!(matches!(
            probe.rendezvous(),
            Some(RendezvousResult::Met { .. })
        ));
        assert_eq!(probe.peak_in_flight(), 2);
        assert_eq!(probe.calls().len(), 2);

        let probe = Probe::with_rendezvous(Duration::from_millis(20));
        let _installed = probe.install();
        measure(job(0), || spin(1));
        measure(job(1), || spin(1));
        assert!(matches!(
            probe.rendezvous(),
            Some(RendezvousResult::TimedOut { .. })
        ));
        assert_eq!(probe.peak_in_flight(), 1);
    }

    /// Progress counts starts and ends; the quiet time restarts with each
    /// call and does not run while the first call waits at the rendezvous.
    #[test]
    fn progress_counts_calls_and_quiet_time() {
        let _turn = lock(&ONE_PROBE_AT_A_TIME);
        let probe = Probe::with_rendezvous(Duration::from_millis(300));
        let installed = probe.install();
        let before = probe.progress();
        assert_eq!((before.started, before.finished), (0, 0));
        assert!(!before.at_rendezvous);
        std::thread::scope(|s| {
            s.spawn(|| measure(job(0), || spin(1)));
            // Held at the rendezvous: seen as waiting, not as quiet.
            std::thread::sleep(Duration::from_millis(100));
            let held = probe.progress();
            assert!(held.at_rendezvous, "{held:?}");
            assert_eq!((held.started, held.finished), (1, 0));
        });
        measure(job(1), || spin(1));
        drop(installed);
        let after = probe.progress();
        assert_eq!((after.started, after.finished), (2, 2));
        assert!(!after.at_rendezvous);
        assert!(after.quiet < after.elapsed);
        let calls = probe.calls();
        assert_eq!(calls[0].input, (1, 2));
    }

    /// A watch sees a stall when nothing happened for its quiet time
    /// (unless the rendezvous holds a call) or too many calls started.
    #[test]
    fn a_watch_sees_quiet_runs_and_runaway_calls() {
        let watch = Watch {
            quiet: Duration::from_secs(2),
            max_calls: 10,
        };
        let progress = |started, quiet_ms, at_rendezvous| Progress {
            started,
            finished: started,
            quiet: Duration::from_millis(quiet_ms),
            at_rendezvous,
            elapsed: Duration::from_secs(5),
        };
        assert!(!watch.stalled(&progress(3, 100, false)));
        assert!(watch.stalled(&progress(3, 2000, false)));
        assert!(!watch.stalled(&progress(3, 2500, true)));
        assert!(!watch.stalled(&progress(10, 0, false)));
        assert!(watch.stalled(&progress(11, 0, false)));
    }

    /// Thread kinds read as the reports name them.
    #[test]
    fn thread_kinds_have_labels() {
        assert_eq!(ThreadKind::Caller.to_string(), "the calling thread");
        assert_eq!(
            ThreadKind::RayonWorker { index: 2, pool: 4 }.to_string(),
            "rayon worker 2"
        );
        assert_eq!(ThreadKind::Named("band".into()).to_string(), "thread band");
        assert_eq!(ThreadKind::Unnamed(3).to_string(), "thread #3");
    }
}
