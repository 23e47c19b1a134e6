//! The sandbox a check's child enters before any learner code runs.
//!
//! On Linux it is Landlock, which a process applies to itself and to every
//! thread and process it starts afterwards:
//!
//! - files: read-only access to the system's libraries and settings
//!   (`/usr`, `/lib*`, `/etc`, `/dev`, `/sys`), read and write access to the
//!   check's own scratch folder and picture folder, and nothing else. So the
//!   learner's code cannot read `/proc` (its own memory, where the record key
//!   is, or its environment), the graders' sources, the checker's state, or
//!   anything else in the workspace, and can change no file outside its
//!   scratch folder;
//! - signals: it cannot signal a process outside its own check (the
//!   checker included), where the kernel supports that scope (Landlock ABI
//!   6 and later);
//! - `no_new_privs`, which Landlock needs anyway: nothing started from the
//!   check gains privileges through set-user-id programs;
//! - resource limits: the size of a file it may write, and open files.
//!
//! Landlock is applied best effort: a kernel without it, or with an older
//! version, enforces what it can, and the supervisor says in its report how
//! much that was. Elsewhere (macOS, Windows) there is no sandbox; grading
//! still works.

use std::path::PathBuf;

/// What the sandbox lets a check touch.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Folders the check may read, write and create files in.
    pub writable: Vec<PathBuf>,
}

/// How far the sandbox could be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Every restriction asked for is enforced.
    Full,
    /// Some are: the kernel's Landlock is older than this sandbox.
    Partial,
    /// None: no Landlock here (or not Linux).
    None,
}

/// The largest file a check may write: its pictures are a few megabytes.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most files a check may hold open at once: enough for a server
/// exercise with two thousand sockets.
pub const MAX_OPEN_FILES: u64 = 8192;

/// Restricts this process (and everything it starts later) to `policy`.
/// Call it before starting any thread: Landlock binds the calling thread
/// and its future children, not threads that already run.
pub fn enter(policy: &Policy) -> Applied {
    limits();
    imp::enter(policy)
}

#[cfg(unix)]
fn limits() {
    for (resource, value) in [
        (libc::RLIMIT_FSIZE, MAX_FILE_BYTES),
        (libc::RLIMIT_NOFILE, MAX_OPEN_FILES),
    ] {
        let limit = libc::rlimit {
            rlim_cur: value as libc::rlim_t,
            rlim_max: value as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct we pass and changes only this
        // process's limits. Failure (a hard limit already lower) is fine:
        // the lower limit stays.
        unsafe {
            libc::setrlimit(resource, &limit);
        }
    }
}

#[cfg(not(unix))]
fn limits() {}

#[cfg(target_os = "linux")]
mod imp {
    use landlock::{
        ABI, Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr,
        RulesetStatus, Scope, path_beneath_rules,
    };

    use super::{Applied, Policy};

    /// The newest Landlock this sandbox asks for; older kernels give less.
    const ABI_WANTED: ABI = ABI::V6;

    /// Read-only system folders: shared libraries, settings, devices such as
    /// `/dev/null`, and `/sys` for the number of cores.
    const READABLE: &[&str] = &["/usr", "/lib", "/lib64", "/etc", "/dev", "/sys"];

    pub fn enter(policy: &Policy) -> Applied {
        let result = Ruleset::default()
            .set_compatibility(CompatLevel::BestEffort)
            .handle_access(AccessFs::from_all(ABI_WANTED))
            .and_then(|r| r.scope(Scope::Signal))
            .and_then(|r| r.create())
            .and_then(|r| {
                r.add_rules(path_beneath_rules(READABLE, AccessFs::from_read(ABI_WANTED)))
            })
            .and_then(|r| {
                r.add_rules(path_beneath_rules(
                    &policy.writable,
                    AccessFs::from_all(ABI_WANTED),
                ))
            })
            .and_then(|r| r.restrict_self());
        match result {
            Ok(status) => match status.ruleset {
                RulesetStatus::FullyEnforced => Applied::Full,
                RulesetStatus::PartiallyEnforced => Applied::Partial,
                RulesetStatus::NotEnforced => Applied::None,
            },
            Err(_) => Applied::None,
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{Applied, Policy};

    pub fn enter(_policy: &Policy) -> Applied {
        Applied::None
    }
}
