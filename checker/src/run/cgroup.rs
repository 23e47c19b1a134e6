//! A process-count limit for one check, from Linux's `pids` cgroup, where
//! the checker may create one.
//!
//! The sandbox's `RLIMIT_NPROC` caps how many processes and threads a check
//! may start, but the kernel does not enforce it for root, and graders often
//! run as root (CI containers, Gradescope). A `pids` cgroup holds for root
//! too: a relaunch storm stops at [`PIDS_MAX`] instead of filling the
//! system's process table. It also names every process the check started,
//! wherever it went, so all of them are killed when the check ends.
//!
//! It is used where it is available: cgroup v1's `pids` hierarchy, or a
//! cgroup v2 folder of ours that delegates the `pids` controller. Elsewhere
//! (no cgroups, not writable, not Linux) [`Cgroup::create`] gives `None` and
//! the process group, the subreaper and `RLIMIT_NPROC` remain.

use std::path::{Path, PathBuf};

/// The most processes and threads one check may have at once: room for a
/// thread per item of any exercise (a thousand clients and a thread for
/// each), none for a storm.
pub const PIDS_MAX: u32 = 4096;

static CREATED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One check's cgroup; removed when dropped.
#[derive(Debug)]
pub struct Cgroup {
    dir: PathBuf,
}

impl Cgroup {
    /// A new cgroup limited to [`PIDS_MAX`] tasks, or `None` where none can
    /// be made.
    pub fn create() -> Option<Cgroup> {
        let parent = pids_home()?;
        let n = CREATED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n == 0 {
            sweep(&parent);
        }
        let dir = parent.join(format!("checker-{}-{n}", std::process::id()));
        std::fs::create_dir(&dir).ok()?;
        let cgroup = Cgroup { dir };
        std::fs::write(cgroup.dir.join("pids.max"), PIDS_MAX.to_string()).ok()?;
        Some(cgroup)
    }

    /// The file a process writes `0` into to join this cgroup. (Without
    /// Unix no cgroup is ever made, and nothing joins or kills one.)
    #[cfg_attr(not(unix), allow(dead_code))]
    pub fn procs(&self) -> PathBuf {
        self.dir.join("cgroup.procs")
    }

    /// The processes in the cgroup now.
    #[cfg_attr(not(unix), allow(dead_code))]
    pub fn members(&self) -> Vec<i32> {
        std::fs::read_to_string(self.procs())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    /// Kills every process in the cgroup, until none is left (bounded: a
    /// process stuck in the kernel must not hold the checker).
    pub fn kill_all(&self) {
        #[cfg(unix)]
        for _ in 0..200 {
            let members = self.members();
            if members.is_empty() {
                return;
            }
            for pid in members {
                // SAFETY: kill(2) on a process id read from our own cgroup;
                // no memory of ours is touched.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        // A cgroup can be removed once its last process has been reaped,
        // which may take a moment after the kill.
        for _ in 0..100 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Removes the empty cgroups that checkers no longer running left in
/// `parent` (a checker killed outright cannot remove its own).
fn sweep(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("checker-"))
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            // Fails, harmlessly, while processes remain in it.
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}

/// The folder under which our checks' cgroups go: our own place in the
/// `pids` hierarchy, if we may write there.
fn pids_home() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let ours = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    v1_home(&ours, Path::new("/sys/fs/cgroup/pids"))
        .or_else(|| v2_home(&ours, Path::new("/sys/fs/cgroup")))
}

/// cgroup v1: the line `N:pids:/path` of `/proc/self/cgroup`, under the
/// `pids` mount.
fn v1_home(ours: &str, mount: &Path) -> Option<PathBuf> {
    let path = ours.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        controllers.split(',').any(|c| c == "pids").then_some(path)
    })?;
    let home = mount.join(path.trim_start_matches('/'));
    home.join("cgroup.procs").exists().then_some(home)
}

/// cgroup v2: the line `0::/path`, where that folder hands the `pids`
/// controller down to the folders under it.
fn v2_home(ours: &str, mount: &Path) -> Option<PathBuf> {
    let path = ours.lines().find_map(|line| line.strip_prefix("0::"))?;
    let home = mount.join(path.trim_start_matches('/'));
    let delegated = std::fs::read_to_string(home.join("cgroup.subtree_control")).ok()?;
    delegated
        .split_whitespace()
        .any(|c| c == "pids")
        .then_some(home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_finds_the_pids_line_among_others() {
        let dir = tempdir();
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/b/cgroup.procs"), "").unwrap();
        let ours = "9:name=systemd:/\n8:pids:/a/b\n4:memory:/x\n0::/\n";
        assert_eq!(v1_home(ours, &dir), Some(dir.join("a/b")));
        assert_eq!(v1_home("4:memory:/x\n", &dir), None);
        // A pids line whose folder is not there (another mount) is no home.
        assert_eq!(v1_home("8:pids:/elsewhere\n", &dir), None);
    }

    /// Only the folders of checkers that no longer run are removed.
    #[test]
    fn the_sweep_removes_what_dead_checkers_left() {
        let dir = tempdir();
        let ours = dir.join(format!("checker-{}-0", std::process::id()));
        let dead = dir.join("checker-999999999-3");
        let other = dir.join("someone-else");
        for folder in [&ours, &dead, &other] {
            std::fs::create_dir(folder).unwrap();
        }
        sweep(&dir);
        assert!(ours.exists() && other.exists());
        assert!(!dead.exists());
    }

    #[test]
    fn v2_needs_the_pids_controller_delegated() {
        let dir = tempdir();
        std::fs::create_dir_all(dir.join("user")).unwrap();
        std::fs::write(dir.join("user/cgroup.subtree_control"), "cpu memory\n").unwrap();
        assert_eq!(v2_home("0::/user\n", &dir), None);
        std::fs::write(dir.join("user/cgroup.subtree_control"), "cpu pids memory\n").unwrap();
        assert_eq!(v2_home("0::/user\n", &dir), Some(dir.join("user")));
    }

    /// Where this machine lets us make a cgroup, a process that joins it
    /// counts, cannot start more than the limit (here lowered to 4), and
    /// is killed with it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_real_cgroup_limits_and_kills_its_members() {
        let Some(cgroup) = Cgroup::create() else {
            eprintln!("skipped: no writable pids cgroup here");
            return;
        };
        let max = std::fs::read_to_string(cgroup.dir.join("pids.max")).unwrap();
        assert_eq!(max.trim(), PIDS_MAX.to_string());
        std::fs::write(cgroup.dir.join("pids.max"), "4").unwrap();
        let script = format!(
            "echo 0 > {}; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 599 & done; wait",
            cgroup.procs().display()
        );
        let mut child = std::process::Command::new("sh")
            .args(["-c", &script])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The shell and the sleeps the limit lets it start (four at most,
        // where eleven would run without it).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while cgroup.members().len() < 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let members = cgroup.members();
        assert!((2..=4).contains(&members.len()), "members: {members:?}");
        cgroup.kill_all();
        // The shell either gave up when a fork was refused or was killed.
        let status = child.wait().unwrap();
        assert!(!status.success(), "the shell started every sleep");
        // The sleeps were the shell's children: adopted by init (or a
        // subreaper) and reaped there; the cgroup empties once they are.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !cgroup.members().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(cgroup.members().is_empty(), "left: {:?}", cgroup.members());
        let dir = cgroup.dir.clone();
        drop(cgroup);
        assert!(!dir.exists(), "{} was not removed", dir.display());
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "checker-cgroup-test-{}-{}",
            std::process::id(),
            CREATED.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
