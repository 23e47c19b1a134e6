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
//! - resource limits: the size of a file it may write, open files, address
//!   space, and how many processes and threads it may start.
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
/// The most address space a check may map: far above what any exercise
/// needs (a thread per row of an image, each with its stack, maps about
/// 2 GiB), far below what would make the machine swap.
pub const MAX_ADDRESS_SPACE: u64 = 16 * 1024 * 1024 * 1024;
/// Processes and threads a check may start beyond those its user already
/// runs: room for a thread per item of any exercise, none for a fork bomb.
pub const MORE_TASKS: u64 = 4096;

/// Restricts this process (and everything it starts later) to `policy`.
/// Call it before starting any thread: Landlock binds the calling thread
/// and its future children, not threads that already run.
pub fn enter(policy: &Policy) -> Applied {
    limits();
    imp::enter(policy)
}

#[cfg(unix)]
fn limits() {
    // The resources keep libc's own type, which differs between systems
    // (an unsigned one on Linux with glibc, `c_int` on macOS).
    let mut limits = vec![
        (libc::RLIMIT_FSIZE, MAX_FILE_BYTES),
        (libc::RLIMIT_NOFILE, MAX_OPEN_FILES),
        (libc::RLIMIT_AS, MAX_ADDRESS_SPACE),
    ];
    // The process limit counts every process and thread of the user, the
    // learner's browser included: allow this many more than run now.
    if let Some(running) = user_tasks() {
        limits.push((libc::RLIMIT_NPROC, running + MORE_TASKS));
    }
    for (resource, value) in limits {
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

/// How many processes and threads this user runs now, from `/proc` (Linux
/// only; `None` elsewhere, and then no process limit is set).
#[cfg(unix)]
fn user_tasks() -> Option<u64> {
    // SAFETY: getuid has no arguments and cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut count = 0u64;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
        };
        if field("Uid:") == Some(u64::from(uid)) {
            count += field("Threads:").unwrap_or(1);
        }
    }
    (count > 0).then_some(count)
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
                r.add_rules(path_beneath_rules(
                    READABLE,
                    AccessFs::from_read(ABI_WANTED),
                ))
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
