//! The subject: which crate is graded for each exercise.
//!
//! By default `exercises/NN_*`; with `--solutions`, `solutions/NN_*`; with
//! `--subject`, any crate folder (a wrong-model fixture, a submission). The
//! same grader serves all three, because the harness renames whatever it
//! grades to `subject`.

use std::path::PathBuf;

use crate::catalogue::Exercise;
use crate::cli::{Config, Source};

/// The crate graded for one exercise.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The exercise it is graded as.
    pub exercise: Exercise,
    /// Its folder (absolute).
    pub dir: PathBuf,
    /// Its package name, or why it could not be read.
    pub package: Result<String, String>,
}

impl Subject {
    /// The folder relative to the workspace root, for reports.
    pub fn shown(&self, config: &Config) -> PathBuf {
        self.dir
            .strip_prefix(&config.root)
            .map(PathBuf::from)
            .unwrap_or_else(|_| self.dir.clone())
    }
}

/// The subject for each of `exercises`.
pub fn resolve(config: &Config, exercises: &[Exercise]) -> Vec<Subject> {
    exercises
        .iter()
        .map(|exercise| {
            let dir = config
                .overrides
                .iter()
                .find(|(id, _)| *id == exercise.id)
                .map(|(_, dir)| dir.clone())
                .unwrap_or_else(|| {
                    let folder = match config.source {
                        Source::Exercises => "exercises",
                        Source::Solutions => "solutions",
                    };
                    config.root.join(folder).join(&exercise.id)
                });
            Subject {
                exercise: exercise.clone(),
                package: package_name(&dir),
                dir,
            }
        })
        .collect()
}

/// Reads `[package] name` from the crate's manifest.
fn package_name(dir: &std::path::Path) -> Result<String, String> {
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
