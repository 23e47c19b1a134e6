//! What the checker remembers between runs, under `target/checker/state/`:
//! the last result of each exercise, per subject (with the checks that did
//! not pass, so `hint` can answer the one that failed), and which hints
//! were shown.
//!
//! A result is stored with a fingerprint of the graded crate's sources and
//! of its grader. `list` recomputes the fingerprint (it reads files, it does
//! not build), so a result whose sources changed since is shown as stale,
//! never as current.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalogue::Exercise;
use crate::outcome::{ExerciseResult, Outcome};
use crate::stable_hash::StableHasher;

/// The last result of one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saved {
    /// Fingerprint of the sources it was graded from.
    pub fingerprint: String,
    /// Its status then.
    pub status: Outcome,
    /// Checks passed then.
    pub passed: usize,
    /// Checks in all.
    pub total: usize,
    /// The checks that did not pass, in the grader's order. Absent from
    /// results saved before it was kept.
    #[serde(default)]
    pub failing: Vec<String>,
}

/// The hints of one exercise that were shown, by index in the catalogue.
/// Earlier versions kept a count of hints shown in order; a count reads as
/// the first that many.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Shown {
    Count(usize),
    Indices(Vec<usize>),
}

impl Shown {
    fn indices(self) -> Vec<usize> {
        match self {
            Shown::Count(n) => (0..n).collect(),
            Shown::Indices(indices) => indices,
        }
    }
}

/// The state folder.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

type Results = BTreeMap<String, Saved>;

impl Store {
    /// The store under the checker's folder.
    pub fn new(checker_dir: &Path) -> Self {
        Store {
            dir: checker_dir.join("state"),
        }
    }

    /// The last results for `subject_key` (`exercises`, `solutions`, ...).
    pub fn results(&self, subject_key: &str) -> Results {
        read_json(&self.dir.join(format!("results-{subject_key}.json"))).unwrap_or_default()
    }

    /// Records `results`, keeping those of exercises not graded this time.
    pub fn save(&self, subject_key: &str, graded: &[(ExerciseResult, String)]) {
        let mut results = self.results(subject_key);
        for (result, fingerprint) in graded {
            results.insert(
                result.exercise.id.clone(),
                Saved {
                    fingerprint: fingerprint.clone(),
                    status: result.status(),
                    passed: result.passed(),
                    total: result.checks.len(),
                    failing: result
                        .checks
                        .iter()
                        .filter(|c| c.outcome != Outcome::Passed)
                        .map(|c| c.name.clone())
                        .collect(),
                },
            );
        }
        write_json(
            &self.dir.join(format!("results-{subject_key}.json")),
            &results,
        );
    }

    /// Which hints of `exercise` were shown so far, by index.
    pub fn hints_seen(&self, exercise: &str) -> Vec<usize> {
        let mut shown = self.all_hints_seen();
        shown
            .remove(exercise)
            .map(Shown::indices)
            .unwrap_or_default()
    }

    /// Records that the hints at `indices` of `exercise` were shown.
    pub fn mark_hints_seen(&self, exercise: &str, indices: impl IntoIterator<Item = usize>) {
        let mut all: BTreeMap<String, Vec<usize>> = self
            .all_hints_seen()
            .into_iter()
            .map(|(id, shown)| (id, shown.indices()))
            .collect();
        let seen = all.entry(exercise.to_string()).or_default();
        seen.extend(indices);
        seen.sort_unstable();
        seen.dedup();
        write_json(&self.dir.join("hints.json"), &all);
    }

    fn all_hints_seen(&self) -> BTreeMap<String, Shown> {
        read_json(&self.dir.join("hints.json")).unwrap_or_default()
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// State is a convenience: failing to save it must not fail a run.
fn write_json<T: Serialize>(path: &Path, value: &T) {
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(text) = serde_json::to_string_pretty(value) {
        let temp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&temp, text).is_ok() {
            let _ = std::fs::rename(&temp, path);
        }
    }
}

/// A fingerprint of the crate in `dir` and of the exercise's grader crate:
/// their manifests and every `.rs` file, `target/` left out. Its hash is
/// stable across Rust releases, so an upgrade does not make every stored
/// result look stale.
pub fn fingerprint(root: &Path, graders: &Path, dir: &Path, exercise: &Exercise) -> String {
    let mut files = Vec::new();
    collect_sources(dir, &mut files);
    collect_sources(&exercise.grader_dir(graders), &mut files);
    files.sort();
    let mut hasher = StableHasher::new();
    for file in files {
        let name = file.strip_prefix(root).unwrap_or(&file);
        hasher.field(name.to_string_lossy().as_bytes());
        hasher.field(&std::fs::read(&file).unwrap_or_default());
    }
    hasher.hex()
}

fn collect_sources(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect_sources(&path, files);
        } else if name.ends_with(".rs") || name == "Cargo.toml" {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shown hints are kept as indices, added to, never repeated; a count
    /// saved by an earlier version reads as the first that many.
    #[test]
    fn hints_seen_accumulate_and_read_old_counts() {
        let dir = std::env::temp_dir().join(format!("checker-state-test-{}", std::process::id()));
        let store = Store::new(&dir);
        assert!(store.hints_seen("02_x").is_empty());
        store.mark_hints_seen("02_x", [1]);
        store.mark_hints_seen("02_x", [1, 0]);
        assert_eq!(store.hints_seen("02_x"), [0, 1]);
        assert!(store.hints_seen("06_y").is_empty());

        std::fs::write(dir.join("state/hints.json"), r#"{"02_x": 2}"#).unwrap();
        assert_eq!(store.hints_seen("02_x"), [0, 1]);
        store.mark_hints_seen("02_x", [2]);
        assert_eq!(store.hints_seen("02_x"), [0, 1, 2]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
