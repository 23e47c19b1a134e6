//! The catalogue: the ordered list of exercises, read from `catalogue.toml`.
//!
//! It is data so that adding an exercise touches no checker code: one entry
//! here, one crate each in `exercises/` and `solutions/`, one grader crate
//! in `checker/graders/`, and its fixtures (see CONTRIBUTING.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// Where the grader crates are, one folder per exercise id.
pub const GRADERS: &str = "checker/graders";

/// One exercise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Folder name, such as `02_three_fetches`, of its exercise, solution
    /// and grader crates.
    pub id: String,
    /// Human title, such as `Three fetches`.
    pub title: String,
    /// The model the grader proves, in a few words.
    pub model: String,
    /// Points for passing every check.
    pub points: u32,
    /// What a hang most likely means in this exercise.
    pub timeout_hint: String,
    /// Hints, gentle first.
    pub hints: Vec<String>,
}

impl Exercise {
    /// The two-digit number at the front of the id.
    pub fn number(&self) -> &str {
        self.id.split('_').next().unwrap_or(&self.id)
    }

    /// The folder of its grader crate in the workspace at `root`.
    pub fn grader_dir(&self, root: &Path) -> PathBuf {
        root.join(GRADERS).join(&self.id)
    }

    /// `02 three fetches`: how reports name the exercise.
    pub fn label(&self) -> String {
        format!("{} {}", self.number(), self.title.to_lowercase())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    exercise: Vec<Exercise>,
}

/// Reads the catalogue at `path`.
pub fn load(path: &Path) -> Result<Vec<Exercise>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the catalogue {}", path.display()))?;
    let file: File = toml::from_str(&text)
        .with_context(|| format!("the catalogue {} is not valid", path.display()))?;
    if file.exercise.is_empty() {
        bail!("the catalogue {} lists no exercises", path.display());
    }
    if let Some(e) = file.exercise.iter().find(|e| e.hints.is_empty()) {
        bail!(
            "the catalogue {} gives exercise {} no hints",
            path.display(),
            e.id
        );
    }
    Ok(file.exercise)
}

/// Finds exercises by number (`2`, `02`), full id (`02_three_fetches`),
/// title word or unique prefix of the id's name part (`three`).
pub fn select<'a>(all: &'a [Exercise], wanted: &str) -> Result<&'a Exercise> {
    let want = wanted.trim().to_lowercase().replace(['-', ' '], "_");
    let by_number = want.parse::<u32>().ok().and_then(|n| {
        all.iter()
            .find(|e| e.number().parse::<u32>().ok() == Some(n))
    });
    if let Some(exercise) = by_number {
        return Ok(exercise);
    }
    if let Some(exact) = all.iter().find(|e| e.id == want) {
        return Ok(exact);
    }
    let matches: Vec<&Exercise> = all
        .iter()
        .filter(|e| {
            let name = e.id.split_once('_').map_or(e.id.as_str(), |(_, n)| n);
            e.id.starts_with(&want) || name.starts_with(&want)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!(
            "no exercise is called `{wanted}`. The exercises are:\n{}",
            listing(all)
        ),
        many => bail!(
            "`{wanted}` could mean {}. Say which one:\n{}",
            many.iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            listing(all)
        ),
    }
}

fn listing(all: &[Exercise]) -> String {
    all.iter()
        .map(|e| format!("  {:<24}{}", e.id, e.title))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Vec<Exercise> {
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue.toml")).unwrap()
    }

    /// Numbers, ids and unique prefixes all find the same exercise.
    #[test]
    fn selects_by_number_id_and_prefix() {
        let all = catalogue();
        for name in ["2", "02", "02_three_fetches", "three", "three-fetches"] {
            assert_eq!(select(&all, name).unwrap().id, "02_three_fetches", "{name}");
        }
        assert_eq!(select(&all, "blur").unwrap().id, "06_blur_in_parallel");
    }

    /// A name that matches nothing lists the valid ones.
    #[test]
    fn unknown_names_list_the_exercises() {
        let err = select(&catalogue(), "juggling").unwrap_err().to_string();
        assert!(err.contains("no exercise is called `juggling`"), "{err}");
        assert!(err.contains("02_three_fetches"), "{err}");
    }

    /// Every exercise has the hints and crates the catalogue promises.
    #[test]
    fn every_entry_has_its_crates_grader_and_hints() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for e in catalogue() {
            assert!(e.hints.len() >= 2, "{} needs two hints", e.id);
            for dir in ["exercises", "solutions"] {
                assert!(
                    root.join(dir).join(&e.id).join("Cargo.toml").exists(),
                    "{dir}/{}",
                    e.id
                );
            }
            assert!(e.grader_dir(root).join("Cargo.toml").exists(), "grader of {}", e.id);
        }
    }
}
