//! The subject: which crate is graded for each exercise.
//!
//! By default `exercises/NN_*`; with `--solutions`, `solutions/NN_*`; with
//! `--subject`, any crate folder (a wrong-model fixture, a submission). The
//! same grader serves all three, because the harness renames whatever it
//! grades to `subject`.
//!
//! Every fact about a subject (where it is, how reports show it, the name
//! its results and pictures are kept under) is worked out here, once.

use std::path::{Path, PathBuf};

use crate::catalogue::Exercise;
use crate::cli::Config;

/// The crate graded for one exercise.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The exercise it is graded as.
    pub exercise: Exercise,
    /// Its folder (absolute).
    pub dir: PathBuf,
    /// Its folder as reports show it: relative to the workspace root where
    /// it is inside it.
    pub shown: PathBuf,
    /// Whether it was given with `--subject` (not the learner's own crate
    /// nor a reference solution).
    pub given: bool,
    /// The name its pictures are kept under: `exercises`, `solutions`, or
    /// the given folder's name made safe for a path.
    pub key: String,
    /// Its package name, or why it could not be read.
    pub package: Result<String, String>,
}

/// The subject for each of `exercises`.
pub fn resolve(config: &Config, exercises: &[Exercise]) -> Vec<Subject> {
    exercises
        .iter()
        .map(|exercise| {
            let given = config
                .overrides
                .iter()
                .find(|(id, _)| *id == exercise.id)
                .map(|(_, dir)| dir.clone());
            let dir = given
                .clone()
                .unwrap_or_else(|| config.root.join(config.source.folder()).join(&exercise.id));
            let key = match &given {
                Some(dir) => safe_name(dir),
                None => config.source.folder().to_string(),
            };
            Subject {
                exercise: exercise.clone(),
                shown: dir
                    .strip_prefix(&config.root)
                    .map_or_else(|_| dir.clone(), PathBuf::from),
                given: given.is_some(),
                key,
                package: package_name(&dir),
                dir,
            }
        })
        .collect()
}

/// The folder's own name with anything but letters, digits, `-` and `_`
/// replaced.
fn safe_name(dir: &Path) -> String {
    dir.file_name()
        .map_or_else(|| "subject".into(), |n| n.to_string_lossy().into_owned())
        .replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            "_",
        )
}

/// Reads `[package] name` from the crate's manifest.
fn package_name(dir: &Path) -> Result<String, String> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{} is not valid TOML: {e}", path.display()))?;
    manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no [package] name", path.display()))
}
