//! `hint` and `list` on a copy of the workspace (so this checkout's own
//! progress is left alone): hints come one at a time, answer the check that
//! failed, and `list` shows the last results without rebuilding, never
//! passing a stale one off as current.

use crate::support::{Workspace, catalogue, fixture, has_row, root};

fn assert_contains(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

/// The number a command line names an exercise by: `02`.
fn number(id: &str) -> &str {
    id.split('_').next().unwrap_or(id)
}

/// The hints of exercise `id` as the catalogue writes them: each one's
/// text and the checks it names (none for a plain string).
pub fn hints_of(id: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("checker/catalogue.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let exercise = table["exercise"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("{id} is in the catalogue"));
    exercise["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hint| match hint {
            toml::Value::String(text) => (text.clone(), Vec::new()),
            table => (
                table["text"].as_str().unwrap().to_string(),
                table
                    .get("checks")
                    .and_then(toml::Value::as_array)
                    .map(|checks| {
                        checks
                            .iter()
                            .filter_map(|c| c.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        })
        .collect()
}

/// Before any grading, `hint` gives the first exercise's hints in the
/// catalogue's order, one per call; after the last it says every hint was
/// seen; `--all` prints every hint.
#[test]
fn hints_come_one_at_a_time() {
    let copy = Workspace::pristine("hints");
    let entries = catalogue();
    let first = &entries[0];
    let n = number(&first.id);
    let total = hints_of(&first.id).len();
    for i in 1..=total {
        let (code, out) = copy.checker(&["hint", n]);
        assert_eq!(code, Some(0), "{out}");
        assert_contains(&out, &format!("Hint {i} of {total} for {}", first.label));
        if i < total {
            assert_contains(&out, &format!("cargo run -p checker -- hint {n}"));
        } else {
            assert_contains(&out, "That was the last hint");
        }
    }
    let (_, out) = copy.checker(&["hint", n]);
    assert_contains(&out, &format!("You have seen all {total} hints"));
    let last = &entries[entries.len() - 1];
    let (_, out) = copy.checker(&["hint", number(&last.id), "--all"]);
    for i in 1..=hints_of(&last.id).len() {
        assert_contains(&out, &format!("{i}. "));
    }
}

/// After a run where checks failed, `hint` gives the first hint that names
/// the first failing check, whatever the catalogue's order; asked again,
/// the next unseen one for a failing check, then the catalogue's order.
#[test]
fn hint_answers_the_failing_check() {
    let copy = Workspace::pristine("hint-failing");
    // A plain sequential loop: right pixels, the wrong model.
    let id = "06_blur_in_parallel";
    let mutant = root().join(fixture(id, "sequential")).join("src/lib.rs");
    std::fs::copy(mutant, copy.path(&format!("exercises/{id}/src/lib.rs"))).unwrap();
    let report = copy.run_json(&[number(id)]);
    let failing: Vec<String> = report
        .checks(id)
        .into_iter()
        .filter(|c| c["outcome"] != "passed")
        .filter_map(|c| c["name"].as_str().map(String::from))
        .collect();
    assert!(
        !failing.is_empty(),
        "the sequential loop failed nothing:\n{}",
        report.summary()
    );

    let hints = hints_of(id);
    // The rule, stated once more: the failing checks in order, each one's
    // unseen hints in order; then any unseen hint.
    let next = |seen: &[usize]| -> (usize, Option<&String>) {
        for check in &failing {
            if let Some(i) =
                (0..hints.len()).find(|i| !seen.contains(i) && hints[*i].1.contains(check))
            {
                return (i, Some(check));
            }
        }
        ((0..hints.len()).find(|i| !seen.contains(i)).unwrap(), None)
    };
    let (first, for_check) = next(&[]);
    let Some(check) = for_check else {
        panic!("no hint of {id} names a check a sequential loop fails: {failing:?}");
    };
    // The first exercise is a stub, so name this one.
    let (code, out) = copy.checker(&["hint", number(id)]);
    assert_eq!(code, Some(0), "{out}");
    assert_contains(&out, &format!("Hint {} of {} for", first + 1, hints.len()));
    assert_contains(&out, &format!("(for `{check}`, which failed)"));
    assert_contains(&out, &hints[first].0);

    let (second, _) = next(&[first]);
    let (_, out) = copy.checker(&["hint", number(id)]);
    assert_contains(&out, &format!("Hint {} of {} for", second + 1, hints.len()));
    assert_contains(&out, &hints[second].0);
}

/// When every exercise passes, `hint` with no exercise says so plainly
/// instead of offering a hint for a solved one.
#[test]
fn hint_when_everything_passes() {
    let copy = Workspace::pristine("hint-all-pass");
    for entry in catalogue() {
        std::fs::copy(
            root().join("solutions").join(&entry.id).join("src/lib.rs"),
            copy.path(&format!("exercises/{}/src/lib.rs", entry.id)),
        )
        .unwrap();
    }
    let (code, out) = copy.checker(&[]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = copy.checker(&["hint"]);
    assert_eq!(code, Some(0), "{out}");
    assert_contains(&out, "Every exercise passes");
    assert!(!out.contains("Hint 1"), "{out}");
}

/// `list` knows nothing before grading, shows the graded status after, and
/// marks it stale as soon as the exercise's source changes; it builds
/// nothing, so it answers while the harness is not even built for the copy.
#[test]
fn list_shows_last_results_and_marks_stale_ones() {
    let copy = Workspace::pristine("list");
    let entries = catalogue();
    let (first, second) = (&entries[0], &entries[1]);
    let (code, out) = copy.checker(&["list"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        has_row(&out, &first.label, "not graded yet"),
        "expected {} with not graded yet in:\n{out}",
        first.label
    );
    let max: u64 = entries.iter().map(|e| e.points).sum();
    assert_contains(
        &out,
        &format!("Progress: 0/{} exercises, 0/{max} points.", entries.len()),
    );

    let (code, out) = copy.checker(&[number(&first.id)]);
    assert_eq!(code, Some(1), "{out}");
    let (_, out) = copy.checker(&["list"]);
    assert!(
        has_row(&out, &first.label, "not started"),
        "expected {} with not started in:\n{out}",
        first.label
    );
    assert!(
        has_row(&out, &second.label, "not graded yet"),
        "expected {} with not graded yet in:\n{out}",
        second.label
    );

    let lib = copy.path(&format!("exercises/{}/src/lib.rs", first.id));
    let edited = std::fs::read_to_string(&lib).unwrap() + "\n// an edit\n";
    std::fs::write(&lib, edited).unwrap();
    let (_, out) = copy.checker(&["list"]);
    assert!(
        has_row(
            &out,
            &first.label,
            "changed since last graded (was not started)"
        ),
        "expected {} changed since last graded in:\n{out}",
        first.label
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
        assert!(
            has_row(&out, &format!("✓ {}", entry.label), "passed"),
            "expected {} passed in:\n{out}",
            entry.label
        );
    }
    let max: u64 = entries.iter().map(|e| e.points).sum();
    let n = entries.len();
    assert_contains(
        &out,
        &format!("Progress: {n}/{n} exercises, {max}/{max} points."),
    );
}
