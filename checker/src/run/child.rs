//! One supervised child process: its own process group, a deadline, capped
//! output, and nothing left behind.
//!
//! The platform-specific parts (process groups and killing them) are in
//! [`group`]; elsewhere the child itself is killed.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The most output kept from each of stdout and stderr.
const OUTPUT_CAP: usize = 16 * 1024;

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
    // have started processes of its own) goes with its group.
    group::kill(&mut child);
    let mut output = join(out);
    let errors = join(err);
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

/// Reads a pipe to its end on a thread of its own, keeping the last
/// `OUTPUT_CAP` bytes, so a child that prints without end neither blocks
/// nor fills our memory.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<String>> {
    let mut pipe = pipe?;
    Some(std::thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > 2 * OUTPUT_CAP {
                kept.drain(..kept.len() - OUTPUT_CAP);
            }
        }
        if kept.len() > OUTPUT_CAP {
            kept.drain(..kept.len() - OUTPUT_CAP);
        }
        String::from_utf8_lossy(&kept).into_owned()
    }))
}

fn join(handle: Option<JoinHandle<String>>) -> String {
    handle.and_then(|h| h.join().ok()).unwrap_or_default()
}

#[cfg(unix)]
mod group {
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};

    /// Starts the child as the leader of a new process group.
    pub fn isolate(command: &mut Command) {
        command.process_group(0);
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
}

#[cfg(not(unix))]
mod group {
    use std::process::{Child, Command};

    /// No process groups here: the child alone is supervised.
    pub fn isolate(_command: &mut Command) {}

    /// Kills the child.
    pub fn kill(child: &mut Child) {
        let _ = child.kill();
    }
}
