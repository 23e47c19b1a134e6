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
//! meet it; it just waits out the timeout and carries on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::io::lock;
use crate::thread_cpu_time;

/// One kernel call, as the probe saw it.
#[derive(Debug, Clone)]
pub struct KernelCall {
    /// What the kernel worked on (for the blur: the row number).
    pub item: usize,
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

/// Collects [`KernelCall`]s while installed with [`Probe::install`].
#[derive(Debug)]
pub struct Probe {
    origin: Instant,
    calls: Mutex<Vec<KernelCall>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
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
            rendezvous,
        })
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

/// Runs one piece of kernel work on `item`, logging it if a probe is
/// installed. Only `lab`'s own kernels call this: if solutions could, they
/// could log work that never happened.
pub(crate) fn measure<R>(item: usize, work: impl FnOnce() -> R) -> R {
    let probe = ACTIVE.read().unwrap_or_else(|p| p.into_inner()).clone();
    let Some(probe) = probe else {
        return work();
    };
    let now = probe.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    probe.peak.fetch_max(now, Ordering::SeqCst);
    if let Some(rendezvous) = &probe.rendezvous {
        rendezvous.arrive();
    }
    let real_start = probe.origin.elapsed();
    let cpu_start = thread_cpu_time();
    let result = work();
    let cpu = thread_cpu_time().saturating_sub(cpu_start);
    let real_end = probe.origin.elapsed();
    probe.in_flight.fetch_sub(1, Ordering::SeqCst);
    let current = std::thread::current();
    let rayon_index = rayon::current_thread_index();
    lock(&probe.calls).push(KernelCall {
        item,
        thread: current.id(),
        thread_name: current.name().map(str::to_string),
        rayon_index,
        pool_threads: rayon_index.map(|_| rayon::current_num_threads()),
        cpu,
        real_start,
        real_end,
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spin(ms: u64) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(ms) {
            std::hint::black_box(0u64);
        }
    }

    /// Two threads meet at the rendezvous; one thread alone times out.
    #[test]
    fn rendezvous_needs_two_threads() {
        let probe = Probe::with_rendezvous(Duration::from_secs(10));
        let installed = probe.install();
        std::thread::scope(|s| {
            s.spawn(|| measure(0, || spin(5)));
            s.spawn(|| measure(1, || spin(5)));
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
        measure(0, || spin(1));
        measure(1, || spin(1));
        assert!(matches!(
            probe.rendezvous(),
            Some(RendezvousResult::TimedOut { .. })
        ));
        assert_eq!(probe.peak_in_flight(), 1);
    }
}
