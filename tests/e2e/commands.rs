//! `hint` and `list` on a copy of the workspace (so this checkout's own
//! progress is left alone): hints come one at a time, and `list` shows the
//! last results without rebuilding, never passing a stale one off as
//! current.

use std::path::PathBuf;

use crate::support::{HANG_GUARD, checker, root, target_dir};
use crate::watch::copy_workspace;

/// A fresh copy of the workspace under the system's temporary folder.
struct Copy(PathBuf);

impl Copy {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("checker-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        copy_workspace(root(), &dir);
        Copy(dir)
    }

    /// Runs the checker on the copy; returns its exit code and stdout.
    fn checker(&self, args: &[&str]) -> (Option<i32>, String) {
        let output = assert_cmd::Command::new(checker())
            .args(args)
            .args(["--color", "never"])
            .env("CHECKER_ROOT", &self.0)
            .env("CARGO_TARGET_DIR", target_dir())
            .timeout(HANG_GUARD)
            .output()
            .expect("the checker ran");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_contains(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

/// `hint 02` gives hint 1, then 2, then 3, then keeps to the last one and
/// says so; `--all` prints every hint.
#[test]
fn hints_come_one_at_a_time() {
    let copy = Copy::new("hints");
    for n in 1..=3 {
        let (code, out) = copy.checker(&["hint", "02"]);
        assert_eq!(code, Some(0), "{out}");
        assert_contains(&out, &format!("Hint {n} of 3 for 02 three fetches"));
    }
    let (_, out) = copy.checker(&["hint", "three"]);
    assert_contains(&out, "Hint 3 of 3");
    assert_contains(&out, "That was the last hint");
    let (_, out) = copy.checker(&["hint", "06", "--all"]);
    for n in 1..=3 {
        assert_contains(&out, &format!("{n}. "));
    }
}

/// `list` knows nothing before grading, shows the graded status after, and
/// marks it stale as soon as the exercise's source changes; it builds
/// nothing, so it answers while the harness is not even built for the copy.
#[test]
fn list_shows_last_results_and_marks_stale_ones() {
    let copy = Copy::new("list");
    let (code, out) = copy.checker(&["list"]);
    assert_eq!(code, Some(0), "{out}");
    assert_contains(&out, "02 three fetches         not graded yet");
    assert_contains(&out, "Progress: 0/2 exercises, 0/20 points.");

    let (code, out) = copy.checker(&["02"]);
    assert_eq!(code, Some(1), "{out}");
    let (_, out) = copy.checker(&["list"]);
    assert_contains(&out, "02 three fetches         not started");
    assert_contains(&out, "06 blur in parallel      not graded yet");

    let lib = copy.path("exercises/02_three_fetches/src/lib.rs");
    let edited = std::fs::read_to_string(&lib).unwrap() + "\n// an edit\n";
    std::fs::write(&lib, edited).unwrap();
    let (_, out) = copy.checker(&["list"]);
    assert_contains(
        &out,
        "02 three fetches         changed since last graded (was not started)",
    );
}

/// Grading the copy's solutions puts both exercises at done in
/// `list --solutions`, with full points.
#[test]
fn list_counts_points_of_passing_exercises() {
    let copy = Copy::new("points");
    let (code, out) = copy.checker(&["--solutions"]);
    assert_eq!(code, Some(0), "{out}");
    let (_, out) = copy.checker(&["list", "--solutions"]);
    assert_contains(&out, "✓ 02 three fetches         passed");
    assert_contains(&out, "Progress: 2/2 exercises, 20/20 points.");
}
