//! The CPU time the calling thread has used, from the OS's per-thread clock.
//!
//! This is the one place in `lab` that needs `unsafe`: reading the clock is a
//! plain C call (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)` on Unix,
//! `GetThreadTimes` on Windows) that Rust's standard library does not wrap. Per-thread CPU time matters because a whole
//! process's CPU time includes rayon's idle workers spinning while they look
//! for work, which says nothing about who did the real work.

use std::time::Duration;

/// CPU time used by the calling thread so far.
///
/// On Unix this is the thread's own CPU clock; on Windows the kernel's count
/// of the thread's user and kernel time, which moves in scheduler ticks
/// (about 16 ms). Elsewhere the portable fallback is the real time since the
/// first call on this thread, which overcounts a thread that was descheduled
/// but still tells threads apart.
pub fn thread_cpu_time() -> Duration {
    imp::thread_cpu_time()
}

#[cfg(unix)]
mod imp {
    use std::time::Duration;

    pub fn thread_cpu_time() -> Duration {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec and the clock id is a
        // constant the OS defines; the call writes only into `ts`.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc != 0 {
            return Duration::ZERO;
        }
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }
}

#[cfg(windows)]
mod imp {
    use std::ffi::c_void;
    use std::time::Duration;

    /// Windows' FILETIME: a count of 100-nanosecond intervals, in halves.
    #[repr(C)]
    #[derive(Default, Clone, Copy)]
    struct FileTime {
        low: u32,
        high: u32,
    }

    impl FileTime {
        fn nanos(self) -> u64 {
            ((u64::from(self.high) << 32) | u64::from(self.low)).saturating_mul(100)
        }
    }

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetCurrentThread() -> *mut c_void;
        fn GetThreadTimes(
            thread: *mut c_void,
            creation: *mut FileTime,
            exit: *mut FileTime,
            kernel: *mut FileTime,
            user: *mut FileTime,
        ) -> i32;
    }

    pub fn thread_cpu_time() -> Duration {
        let (mut creation, mut exit) = (FileTime::default(), FileTime::default());
        let (mut kernel, mut user) = (FileTime::default(), FileTime::default());
        // SAFETY: GetCurrentThread returns a pseudo-handle to this thread
        // that needs no closing; GetThreadTimes writes only into the four
        // FILETIMEs it is given, which live on this stack frame.
        let ok = unsafe {
            GetThreadTimes(
                GetCurrentThread(),
                &mut creation,
                &mut exit,
                &mut kernel,
                &mut user,
            )
        };
        if ok == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(kernel.nanos().saturating_add(user.nanos()))
    }
}

/// The fallback where there is no per-thread CPU clock. Compiled for the
/// tests on Unix and Windows too, so its logic is tested where the project
/// is built.
#[cfg(not(any(unix, windows)))]
use elapsed as imp;

#[cfg(any(not(any(unix, windows)), test))]
mod elapsed {
    use std::cell::Cell;
    use std::time::{Duration, Instant};

    thread_local! {
        static START: Cell<Option<Instant>> = const { Cell::new(None) };
    }

    pub fn thread_cpu_time() -> Duration {
        START.with(|start| {
            let origin = start.get().unwrap_or_else(|| {
                let now = Instant::now();
                start.set(Some(now));
                now
            });
            origin.elapsed()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spinning uses CPU time; sleeping does not (with a real thread clock).
    #[test]
    fn spinning_counts_and_sleeping_does_not() {
        let before = thread_cpu_time();
        let spin = std::time::Instant::now();
        // At least 30 ms, and on until the clock moves (on Windows it moves
        // at the scheduler's ticks), for at most 5 s.
        while spin.elapsed() < Duration::from_millis(30)
            || (thread_cpu_time() == before && spin.elapsed() < Duration::from_secs(5))
        {
            std::hint::black_box(0u64);
        }
        let after_spin = thread_cpu_time();
        assert!(after_spin > before, "spinning used no CPU time");
        if cfg!(any(unix, windows)) {
            std::thread::sleep(Duration::from_millis(50));
            let slept = thread_cpu_time() - after_spin;
            assert!(slept < Duration::from_millis(50), "sleeping used {slept:?}");
        }
    }

    /// The fallback starts each thread at zero on its first call and then
    /// counts real time, sleeping included: threads are still told apart.
    #[test]
    fn the_fallback_counts_real_time_from_each_threads_first_call() {
        let first = elapsed::thread_cpu_time();
        std::thread::sleep(Duration::from_millis(30));
        let later = elapsed::thread_cpu_time();
        assert!(
            later >= first + Duration::from_millis(30),
            "{first:?} then {later:?}"
        );
        // The new thread's clock starts after this one's and is read before
        // this one is read again, so it shows less, whatever the machine's
        // load.
        let other = std::thread::spawn(elapsed::thread_cpu_time).join().unwrap();
        let now = elapsed::thread_cpu_time();
        assert!(
            other < now,
            "a new thread starts at {other:?}, this one is at {now:?}"
        );
    }
}
