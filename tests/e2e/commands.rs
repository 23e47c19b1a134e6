//! `hint` and `list` on a copy of the workspace (so this checkout's own
//! progress is left alone): hints come one at a time, and `list` shows the
//! last results without rebuilding, never passing a stale one off as
//! current.

use crate::support::{Workspace, catalogue};

fn assert_contains(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

/// `hint 02` gives hint 1, then 2, then 3, then keeps to the last one and
/// says so; `--all` prints every hint.
#[test]
fn hints_come_one_at_a_time() {
    let copy = Workspace::pristine("hints");
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
    let copy = Workspace::pristine("list");
    let (code, out) = copy.checker(&["list"]);
    assert_eq!(code, Some(0), "{out}");
    assert_contains(&out, "02 three fetches         not graded yet");
    let entries = catalogue();
    let max: u64 = entries.iter().map(|e| e.points).sum();
    assert_contains(
        &out,
        &format!("Progress: 0/{} exercises, 0/{max} points.", entries.len()),
    );

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

/// Grading the copy's solutions puts every exercise at passed in
/// `list --solutions`, with full points.
#[test]
fn list_counts_points_of_passing_exercises() {
    let copy = Workspace::pristine("points");
    let (code, out) = copy.checker(&["--solutions"]);
    assert_eq!(code, Some(0), "{out}");
    let (_, out) = copy.checker(&["list", "--solutions"]);
    let entries = catalogue();
    for entry in &entries {
        assert_contains(&out, &format!("✓ {:<24} passed", entry.label));
    }
    let max: u64 = entries.iter().map(|e| e.points).sum();
    let n = entries.len();
    assert_contains(
        &out,
        &format!("Progress: {n}/{n} exercises, {max}/{max} points."),
    );
}
