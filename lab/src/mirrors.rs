//! The mirrors of exercise 04: the same file on several servers.
//!
//! Each [`Mirror`] serves the same [`Download`] after a latency of its own,
//! or fails with a [`MirrorError`]. Ask them all at once and the fastest
//! good answer sets the pace; the others are then wasted work, to be
//! dropped (cancelled) at once.
//!
//! Every fetch goes through the set's [`Recorder`], labelled with the
//! mirror's name, and the set also logs when each fetch ended: finished, or
//! dropped before it could finish. That is how the checker sees that the
//! losers were cancelled the moment the winner arrived.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use lab::mirrors::MirrorSet;
//! let set = MirrorSet::demo();
//! let mirrors = set.mirrors();
//! let download = mirrors[0].fetch().await.unwrap();
//! assert_eq!(download.mirror, mirrors[0].name());
//! # }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::io::{Recorder, lock};

/// The file, as one mirror served it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The name of the mirror that served it.
    pub mirror: String,
    /// The file's contents.
    pub contents: String,
}

/// Why one mirror failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorError {
    /// The mirror that failed.
    pub mirror: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for MirrorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.mirror, self.message)
    }
}

impl std::error::Error for MirrorError {}

/// Why a race of mirrors gave no download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RaceError {
    /// The deadline passed before any mirror answered with the file.
    TimedOut,
    /// Every mirror failed before the deadline: one error per mirror, in
    /// the order they arrived.
    AllFailed(Vec<MirrorError>),
}

impl fmt::Display for RaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RaceError::TimedOut => write!(f, "no mirror answered before the deadline"),
            RaceError::AllFailed(errors) => write!(f, "all {} mirrors failed", errors.len()),
        }
    }
}

impl std::error::Error for RaceError {}

/// How a mirror behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorSpec {
    /// Its name, such as `"eu-west"`.
    pub name: String,
    /// How long it takes to answer. Use whole milliseconds: the paused
    /// tokio clock rounds sleeps up to them.
    pub latency: Duration,
    /// True when it answers with an error instead of the file.
    pub fails: bool,
}

/// How one fetch from a mirror ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchEnd {
    /// The mirror's name.
    pub mirror: String,
    /// The mirror's position in [`MirrorSet::mirrors`].
    pub index: usize,
    /// Virtual time from the set's creation to the end.
    pub virtual_at: Duration,
    /// Real time from the set's creation to the end.
    pub real_at: Duration,
    /// True when the fetch was dropped before it finished: cancelled.
    pub dropped: bool,
}

#[derive(Debug)]
struct Shared {
    recorder: Recorder,
    contents: String,
    ends: Mutex<Vec<FetchEnd>>,
}

/// A group of mirrors serving one file, with one recorder and one log of
/// how their fetches ended. Clones share both.
#[derive(Debug, Clone)]
pub struct MirrorSet {
    shared: Arc<Shared>,
    mirrors: Vec<Mirror>,
}

/// One mirror of a [`MirrorSet`]. Cheap to clone, and usable from any
/// thread or task (`'static`, `Send` and `Sync`).
#[derive(Debug, Clone)]
pub struct Mirror {
    shared: Arc<Shared>,
    spec: Arc<MirrorSpec>,
    index: usize,
}

impl MirrorSet {
    /// Mirrors that behave as `specs` say and serve `contents`, logging to
    /// `recorder`.
    pub fn new(recorder: Recorder, contents: &str, specs: Vec<MirrorSpec>) -> Self {
        let shared = Arc::new(Shared {
            recorder,
            contents: contents.to_string(),
            ends: Mutex::new(Vec::new()),
        });
        let mirrors = specs
            .into_iter()
            .enumerate()
            .map(|(index, spec)| Mirror {
                shared: shared.clone(),
                spec: Arc::new(spec),
                index,
            })
            .collect();
        MirrorSet { shared, mirrors }
    }

    /// Three mirrors to try your code on: `eu-west` answers in 300 ms,
    /// `us-east` in 120 ms, and `ap-south` fails after 80 ms.
    pub fn demo() -> Self {
        let spec = |name: &str, ms, fails| MirrorSpec {
            name: name.to_string(),
            latency: Duration::from_millis(ms),
            fails,
        };
        Self::new(
            Recorder::new(),
            "release-1.0.tar.gz: 4096 bytes",
            vec![
                spec("eu-west", 300, false),
                spec("us-east", 120, false),
                spec("ap-south", 80, true),
            ],
        )
    }

    /// The mirrors, in the order they were given.
    pub fn mirrors(&self) -> Vec<Mirror> {
        self.mirrors.clone()
    }

    /// The contents every mirror serves.
    pub fn contents(&self) -> &str {
        &self.shared.contents
    }

    /// The recorder that logs every fetch.
    pub fn recorder(&self) -> &Recorder {
        &self.shared.recorder
    }

    /// How every fetch that ended so far ended, in the order they ended.
    pub fn ends(&self) -> Vec<FetchEnd> {
        lock(&self.shared.ends).clone()
    }
}

impl Mirror {
    /// The mirror's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Fetches the file: waits the mirror's latency, like a real download,
    /// then answers with the file or with an error. Dropping the future
    /// before it finishes cancels the fetch.
    pub async fn fetch(&self) -> Result<Download, MirrorError> {
        let mut end = EndGuard {
            mirror: self,
            finished: false,
        };
        self.shared
            .recorder
            .wait(&self.spec.name, self.spec.latency)
            .await;
        end.finish();
        if self.spec.fails {
            Err(MirrorError {
                mirror: self.spec.name.clone(),
                message: "502 bad gateway".to_string(),
            })
        } else {
            Ok(Download {
                mirror: self.spec.name.clone(),
                contents: self.shared.contents.clone(),
            })
        }
    }
}

/// Logs how a fetch ended: when it finished, or when it was dropped.
struct EndGuard<'a> {
    mirror: &'a Mirror,
    finished: bool,
}

impl EndGuard<'_> {
    fn log(&self, dropped: bool) {
        let recorder = &self.mirror.shared.recorder;
        let end = FetchEnd {
            mirror: self.mirror.spec.name.clone(),
            index: self.mirror.index,
            virtual_at: recorder.virtual_elapsed(),
            real_at: recorder.real_elapsed(),
            dropped,
        };
        lock(&self.mirror.shared.ends).push(end);
    }

    fn finish(&mut self) {
        self.finished = true;
        self.log(false);
    }
}

impl Drop for EndGuard<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.log(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Joined, the demo's mirrors answer after their own latencies; a
    /// fetch dropped early is logged as dropped at the moment it was.
    #[tokio::test(start_paused = true)]
    async fn fetches_end_finished_or_dropped() {
        let set = MirrorSet::demo();
        let m = set.mirrors();
        let (a, b) = tokio::join!(m[1].fetch(), m[2].fetch());
        assert_eq!(a.unwrap().mirror, "us-east");
        assert_eq!(b.unwrap_err().mirror, "ap-south");
        let slow = m[0].fetch();
        let _ = tokio::time::timeout(Duration::from_millis(50), slow).await;
        let ends = set.ends();
        assert_eq!(ends.len(), 3);
        assert!(!ends[0].dropped && ends[0].virtual_at == Duration::from_millis(80));
        assert!(ends[2].dropped && ends[2].virtual_at == Duration::from_millis(170));
        assert_eq!(set.recorder().cancelled(), 1);
    }
}
