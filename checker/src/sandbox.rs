//! Whether the checks of this run are sandboxed, for the report.
//!
//! Each check's child shuts itself into a Landlock sandbox before any
//! learner code runs (see the grading crate's `sandbox` module). The
//! supervisor cannot see inside the child, so it asks the kernel the same
//! question the child's sandbox depends on, and the report says the answer:
//! a teacher must know when a hostile submission would not be contained.

use protocol::record::ENV_SANDBOX;

/// How the checks of this run are contained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sandbox {
    /// Landlock, at this ABI version of the kernel.
    Landlock(u32),
    /// Switched off with `CHECKER_SANDBOX=off`.
    Off,
    /// Not available here: not Linux, or a kernel without Landlock.
    None,
}

impl Sandbox {
    /// What this run's checks get.
    pub fn detect() -> Self {
        if std::env::var(ENV_SANDBOX).is_ok_and(|v| v == "off") {
            return Sandbox::Off;
        }
        match landlock_abi() {
            Some(abi) => Sandbox::Landlock(abi),
            None => Sandbox::None,
        }
    }

    /// Its name in the JSON report: `landlock`, `off` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Sandbox::Landlock(_) => "landlock",
            Sandbox::Off => "off",
            Sandbox::None => "none",
        }
    }

    /// A warning for the report's header, when the checks are not
    /// contained.
    pub fn warning(self) -> Option<&'static str> {
        match self {
            Sandbox::Landlock(_) => None,
            Sandbox::Off => Some(
                "no sandbox: switched off with CHECKER_SANDBOX=off, so the graded code can read \
                 and change anything you can",
            ),
            Sandbox::None => Some(
                "no sandbox on this system (it needs Linux with Landlock): grading works, but the \
                 graded code can read and change anything you can",
            ),
        }
    }
}

/// The kernel's Landlock ABI version, if it has Landlock.
#[cfg(target_os = "linux")]
fn landlock_abi() -> Option<u32> {
    /// Asks for the ABI version instead of creating a ruleset.
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: with a null attribute, size 0 and the version flag, the
    // system call reads and writes no memory of ours; it returns the ABI
    // version or -1.
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    u32::try_from(abi).ok().filter(|&abi| abi > 0)
}

#[cfg(not(target_os = "linux"))]
fn landlock_abi() -> Option<u32> {
    None
}
