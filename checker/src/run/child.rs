//! One supervised child process: its own process group, a deadline, capped
//! output, and nothing left behind.
//!
//! The platform-specific parts (process groups and killing them) are in
//! [`group`]; elsewhere the child itself is killed. Where a `pids` cgroup
//! can be made ([`super::cgroup`]), the child starts in one of its own,
//! which caps its processes (for root too) and names them all for the kill.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::cgroup::Cgroup;

/// The most output kept from each of stdout and stderr.
const OUTPUT_CAP: usize = 16 * 1024;
/// How long the output may keep coming once the child is gone.
const PIPE_GRACE: Duration = Duration::from_millis(500);

/// How a supervised child ended.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status, or `None` when it was killed at the deadline.
    pub status: Option<ExitStatus>,
    /// The last part of what it printed, stdout then stderr.
    pub output: String,
    /// Real time it ran.
    pub duration: Duration,
}

/// Runs `command` to its end or to `deadline`, whichever comes first, with
/// `input` as its whole stdin. On expiry the whole process group is killed.
pub fn run(mut command: Command, deadline: Duration, input: &[u8]) -> std::io::Result<Finished> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    group::isolate(&mut command);
    group::adopt_orphans();
    let cgroup = Cgroup::create();
    if let Some(cgroup) = &cgroup {
        group::join(&mut command, cgroup);
    }
    let started = Instant::now();
    let mut child = command.spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A few bytes fit in the pipe's buffer; dropping closes it.
        let _ = stdin.write_all(input);
    }
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = wait(&mut child, started + deadline)?;
    // Whatever the child left behind (threads are gone with it, but it may
    // have started processes of its own) goes with its group, and whatever
    // left the group was handed to us when its parent died: it goes too.
    group::kill(&mut child);
    if let Some(cgroup) = &cgroup {
        cgroup.kill_all();
    }
    group::kill_orphans();
    drop(cgroup);
    // A process we could not reach may still hold the pipes open: take what
    // was read so far rather than wait for it.
    let until = Instant::now() + PIPE_GRACE;
    let mut output = join(out, until);
    let errors = join(err, until);
    if !errors.is_empty() {
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
        output.push_str(&errors);
    }
    Ok(Finished {
        status,
        output,
        duration: started.elapsed(),
    })
}

fn wait(child: &mut Child, until: Instant) -> std::io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= until || crate::interrupt::requested() {
            group::kill(child);
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A pipe being read to its end on a thread of its own.
struct Drain {
    kept: Arc<Mutex<Vec<u8>>>,
    thread: JoinHandle<()>,
}

/// Reads a pipe to its end on a thread of its own, keeping the last
/// `OUTPUT_CAP` bytes, so a child that prints without end neither blocks
/// nor fills our memory.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<Drain> {
    let mut pipe = pipe?;
    let kept = Arc::new(Mutex::new(Vec::new()));
    let shared = kept.clone();
    let thread = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut kept = shared.lock().unwrap_or_else(|p| p.into_inner());
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > 2 * OUTPUT_CAP {
                let excess = kept.len() - OUTPUT_CAP;
                kept.drain(..excess);
            }
        }
    });
    Some(Drain { kept, thread })
}

/// What a drain read, once its pipe closed or at `until`, whichever comes
/// first. A reader still blocked then is left to end when the pipe does.
fn join(drain: Option<Drain>, until: Instant) -> String {
    let Some(drain) = drain else {
        return String::new();
    };
    while !drain.thread.is_finished() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut kept = drain.kept.lock().unwrap_or_else(|p| p.into_inner()).clone();
    if kept.len() > OUTPUT_CAP {
        kept.drain(..kept.len() - OUTPUT_CAP);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[cfg(unix)]
mod group {
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};

    /// Starts the child as the leader of a new process group.
    pub fn isolate(command: &mut Command) {
        command.process_group(0);
    }

    /// Makes the child join `cgroup` before it runs anything of its own,
    /// so that everything it starts is counted and found there.
    pub fn join(command: &mut Command, cgroup: &super::Cgroup) {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(cgroup.procs().as_os_str().as_bytes()) else {
            return;
        };
        // SAFETY: the closure runs in the forked child before exec, where
        // only async-signal-safe calls are allowed: open(2), write(2) and
        // close(2) on a path made before the fork; it allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                if fd >= 0 {
                    // `0` means "the process writing this".
                    libc::write(fd, b"0".as_ptr().cast(), 1);
                    libc::close(fd);
                }
                Ok(())
            });
        }
    }

    /// Kills the child's whole process group.
    pub fn kill(child: &mut Child) {
        let pgid = child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group the
        // child leads; it touches no memory of ours.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = child.kill();
    }

    /// Makes this process the one that adopts its descendants when their
    /// parent dies (Linux's child subreaper), instead of the system's init:
    /// a process that left the check's group then still ends up ours to
    /// kill. Elsewhere a no-op.
    pub fn adopt_orphans() {
        #[cfg(target_os = "linux")]
        {
            static ONCE: std::sync::Once = std::sync::Once::new();
            // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes plain
            // integers and changes only this process's attributes.
            ONCE.call_once(|| unsafe {
                libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
            });
        }
    }

    /// Kills and reaps every child process we still have. The check's own
    /// child has been waited for by now, and nothing else of ours runs
    /// while a check does, so any child left is one a check left behind
    /// (adopted as its subreaper). Killing it may hand us its own children:
    /// repeat until none are left.
    pub fn kill_orphans() {
        // Bounded: a process that cannot die at once (stuck in the kernel)
        // must not hold the checker; it is killed, and reaped if it can be.
        #[cfg(target_os = "linux")]
        for _ in 0..200 {
            let orphans = children_of(std::process::id());
            if orphans.is_empty() {
                return;
            }
            for pid in orphans {
                // SAFETY: kill(2) and waitpid(2) on a pid that is our own
                // child, without waiting; no memory of ours is touched.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                    libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// The processes whose parent is `parent`, from `/proc`.
    #[cfg(target_os = "linux")]
    fn children_of(parent: u32) -> Vec<libc::pid_t> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| {
                let pid: libc::pid_t = entry.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // `pid (name) state ppid ...`; the name may hold spaces and
                // parentheses, so read from the last `)`.
                let rest = &stat[stat.rfind(')')? + 1..];
                let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
                (ppid == parent).then_some(pid)
            })
            .collect()
    }
}

/// The fallback where there are no process groups (Windows). Compiled for
/// the tests on Unix too, where its logic is tested.
#[cfg(not(unix))]
use fallback as group;

#[cfg(any(not(unix), test))]
mod fallback {
    use std::process::{Child, Command};

    /// No process groups here: the child alone is supervised.
    pub fn isolate(_command: &mut Command) {}

    /// No cgroups here.
    #[cfg_attr(unix, allow(dead_code))]
    pub fn join(_command: &mut Command, _cgroup: &super::Cgroup) {}

    /// Nothing is handed to us here.
    pub fn adopt_orphans() {}

    /// Nothing to do: see `adopt_orphans`.
    pub fn kill_orphans() {}

    /// Kills the child.
    pub fn kill(child: &mut Child) {
        let _ = child.kill();
    }
}

#[cfg(test)]
mod tests {
    /// The fallback kills the child it supervises, at once: a child that
    /// would sleep for half a minute ends killed.
    #[cfg(unix)]
    #[test]
    fn the_fallback_kills_the_child() {
        use super::fallback;
        let mut command = std::process::Command::new("sleep");
        command.arg("30");
        fallback::isolate(&mut command);
        fallback::adopt_orphans();
        let mut child = command.spawn().unwrap();
        fallback::kill(&mut child);
        let status = child.wait().unwrap();
        assert!(!status.success(), "{status}");
        assert!(child.try_wait().unwrap().is_some());
        fallback::kill_orphans();
    }
}
