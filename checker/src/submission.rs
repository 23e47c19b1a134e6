//! `grade --submission DIR`: a learner's work graded from a pristine copy of
//! this workspace, for a teacher who must trust the verdict.
//!
//! The copy is made fresh for every run under
//! `target/checker/submissions/<hash>/`. From the submission it takes only
//! the learner's code, `exercises/*/src/**/*.rs`, for the exercises of the
//! catalogue. Everything else the submission changed (manifests, the lock
//! file, `build.rs`, `.cargo/`, toolchain files, graders, `lab`, the
//! checker) stays as the template has it and is listed in the report as
//! ignored. So no code of the learner's runs while the crates build: a
//! `build.rs` or a proc-macro needs a manifest entry or a file the copy
//! never takes. The learner's crates are built with `unsafe_code`
//! forbidden, which also refuses attributes such as `link_section` that
//! could run code before `main`. At run time each check is sandboxed (see
//! the grading crate's `sandbox`).
//!
//! The submission itself is only read, never changed.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::catalogue::{self, Exercise};
use crate::stable_hash::StableHasher;

/// A submission prepared for grading.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The learner's folder, as given.
    pub dir: PathBuf,
    /// The teacher's graders that replace the workspace's, if any: built
    /// from where they are.
    pub graders: Option<PathBuf>,
    /// Files of the submission that differ from the template and were not
    /// taken, relative to its root, in order.
    pub ignored: Vec<String>,
    /// The root of the pristine copy that is graded.
    pub root: PathBuf,
}

/// The most ignored files listed by name; the rest are counted.
const IGNORED_LISTED: usize = 200;

/// Makes the pristine copy of the workspace at `template` with the
/// learner's code from `submission` and, if given, the graders from
/// `graders`, under `work`.
pub fn prepare(
    template: &Path,
    submission: &Path,
    graders: Option<&Path>,
    work: &Path,
) -> Result<Submission> {
    let submission = std::path::absolute(submission)?;
    if !submission.join("exercises").is_dir() {
        bail!(
            "`{}` holds no exercises/ folder: --submission needs the root of a learner's copy of \
             this workspace",
            submission.display()
        );
    }
    let graders = graders.map(std::path::absolute).transpose()?;
    let all = catalogue::load(&template.join("checker/catalogue.toml"))?;

    let mut hasher = StableHasher::new();
    hasher.field(submission.as_os_str().as_encoded_bytes());
    if let Some(graders) = &graders {
        hasher.field(graders.as_os_str().as_encoded_bytes());
    }
    let root = work.join(&hasher.hex()[..12]);
    if root.exists() {
        std::fs::remove_dir_all(&root)
            .with_context(|| format!("cannot clear {}", root.display()))?;
    }
    std::fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    copy_tree(template, &root)?;

    if let Some(graders) = &graders {
        for exercise in &all {
            if !graders.join(&exercise.id).join("Cargo.toml").is_file() {
                bail!(
                    "`{}` has no grader for {}: --graders needs the layout of checker/graders, \
                     one crate per exercise",
                    graders.display(),
                    exercise.id
                );
            }
        }
        // Private graders are built from where the teacher keeps them,
        // never copied next to the learner's code, whose build could then
        // name them by a path it knows. The template's own graders stay in
        // the copy (the workspace lists them); they are public, and unused.
    }

    for exercise in &all {
        take_learner_code(&submission, &root, exercise)?;
        forbid_unsafe(&root.join("exercises").join(&exercise.id).join("Cargo.toml"))?;
    }
    // Nothing of the learner's runs while the crates build, and at run time
    // the sandbox keeps the checks out of the workspace; read-only files are
    // one more fence for the graders and the checker.
    for part in ["checker", "lab"] {
        make_read_only(&root.join(part));
    }

    fetch(&root)?;

    let mut ignored = Vec::new();
    list_ignored(&submission, &submission, template, &all, &mut ignored);
    ignored.sort();
    Ok(Submission {
        dir: submission,
        graders,
        ignored,
        root,
    })
}

/// Downloads every dependency the template's lock names, if any is
/// missing, so that the build after it can run offline: the lock decides
/// every version, and nothing the learner wrote can add one.
fn fetch(root: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["fetch", "--locked", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .stdin(std::process::Stdio::null())
        .output()
        .context("cannot run cargo fetch")?;
    if !output.status.success() {
        bail!(
            "cannot fetch the workspace's dependencies before grading:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Whether `relative` (a path inside a submission, with `/` separators) is
/// learner code the copy takes: `exercises/<id>/src/**/*.rs` of a known
/// exercise.
pub fn is_taken(relative: &str, all: &[Exercise]) -> bool {
    let mut parts = relative.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("exercises"), Some(id), Some("src")) if all.iter().any(|e| e.id == id)
    ) && relative.ends_with(".rs")
        && !relative.split('/').any(|p| p == ".." || p.is_empty())
}

/// Replaces the copy's `src/` of `exercise` with the learner's `.rs` files,
/// where the submission has that exercise; keeps the stub otherwise.
fn take_learner_code(submission: &Path, root: &Path, exercise: &Exercise) -> Result<()> {
    let from = submission.join("exercises").join(&exercise.id).join("src");
    if !from.is_dir() {
        return Ok(());
    }
    let to = root.join("exercises").join(&exercise.id).join("src");
    std::fs::remove_dir_all(&to).ok();
    std::fs::create_dir_all(&to)?;
    copy_rust_files(&from, &to)
}

fn copy_rust_files(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)?.flatten() {
        let kind = entry.file_type()?;
        let (source, dest) = (entry.path(), to.join(entry.file_name()));
        // Links could point anywhere: only plain files and folders count.
        if kind.is_dir() {
            std::fs::create_dir_all(&dest)?;
            copy_rust_files(&source, &dest)?;
        } else if kind.is_file() && source.extension().is_some_and(|e| e == "rs") {
            std::fs::copy(&source, &dest)
                .with_context(|| format!("cannot copy {}", source.display()))?;
        }
    }
    Ok(())
}

/// Adds `unsafe_code = "forbid"` to the crate's lints. Given as a lint of
/// the manifest, it reaches rustc as `-F unsafe_code`, which an attribute in
/// the code cannot lift.
fn forbid_unsafe(manifest: &Path) -> Result<()> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let mut table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
    let lints = table
        .entry("lints")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let Some(lints) = lints.as_table_mut() else {
        bail!("{} has a `lints` that is not a table", manifest.display());
    };
    lints.remove("workspace");
    let rust = lints
        .entry("rust")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(rust) = rust.as_table_mut() {
        rust.insert("unsafe_code".into(), "forbid".into());
    }
    std::fs::write(manifest, toml::to_string(&table)?)
        .with_context(|| format!("cannot write {}", manifest.display()))
}

/// Files under `dir` (the submission) that are not taken and differ from
/// the template's, or that the template does not have.
fn list_ignored(
    dir: &Path,
    submission: &Path,
    template: &Path,
    all: &[Exercise],
    out: &mut Vec<String>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let path = entry.path();
        let relative = path
            .strip_prefix(submission)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            list_ignored(&path, submission, template, all, out);
        } else if !is_taken(&relative, all) {
            let same = std::fs::read(&path).ok() == std::fs::read(template.join(&relative)).ok();
            if !same {
                if out.len() == IGNORED_LISTED {
                    out.push("(and more)".into());
                }
                if out.len() < IGNORED_LISTED {
                    out.push(relative);
                }
            }
        }
    }
}

/// Copies the workspace's sources (no `target/`, no `.git`), plain files
/// and folders only.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)
        .with_context(|| format!("cannot read {}", from.display()))?
        .flatten()
    {
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let kind = entry.file_type()?;
        let (source, dest) = (entry.path(), to.join(&name));
        if kind.is_dir() {
            std::fs::create_dir_all(&dest)?;
            copy_tree(&source, &dest)?;
        } else if kind.is_file() {
            std::fs::copy(&source, &dest)
                .with_context(|| format!("cannot copy {}", source.display()))?;
        }
    }
    Ok(())
}

fn make_read_only(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            make_read_only(&path);
        } else if let Ok(metadata) = entry.metadata() {
            let mut permissions = metadata.permissions();
            permissions.set_readonly(true);
            let _ = std::fs::set_permissions(&path, permissions);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercises() -> Vec<Exercise> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        catalogue::load(&root.join("catalogue.toml")).unwrap()
    }

    /// Only `.rs` files under a known exercise's `src/` are taken.
    #[test]
    fn only_learner_sources_are_taken() {
        let all = exercises();
        let id = &all[0].id;
        assert!(is_taken(&format!("exercises/{id}/src/lib.rs"), &all));
        assert!(is_taken(&format!("exercises/{id}/src/deep/mod.rs"), &all));
        for ignored in [
            format!("exercises/{id}/Cargo.toml"),
            format!("exercises/{id}/build.rs"),
            format!("exercises/{id}/src/notes.txt"),
            format!("exercises/{id}/src/../build.rs"),
            "exercises/99_unknown/src/lib.rs".to_string(),
            format!("checker/graders/{id}/src/main.rs"),
            "Cargo.lock".to_string(),
            ".cargo/config.toml".to_string(),
        ] {
            assert!(!is_taken(&ignored, &all), "{ignored}");
        }
    }
}
