//! The reference solutions, and correct solutions shaped unlike them, pass
//! every check: a grader must never reject a right model.

use crate::support::{catalogue_ids, fixture, run_json};

/// `--solutions` grades solutions/: every check of every exercise in the
/// catalogue passes, the summary counts them all and the exit code is 0.
#[test]
fn reference_solutions_pass_every_check() {
    let report = run_json(&["--solutions"]);
    report.run.assert_code(0);
    assert_eq!(report.ids(), catalogue_ids());
    for id in report.ids() {
        report.expect_status(id, "passed");
        report.expect_all(id, "passed", &[]);
        assert!(
            report.exercise(id)["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("solutions/")),
            "{}",
            report.summary()
        );
    }
    let summary = &report.json["summary"];
    assert_eq!(summary["passed"], summary["exercises"], "{summary}");
    assert_eq!(summary["points"], summary["max_points"], "{summary}");
}

/// Correct solutions that differ in shape from the reference pass too:
/// 02 spawns each fetch as a task and `try_join3`s the join handles (with
/// abort on drop), 06 splits the rows by `rayon::join` recursion. Both are
/// graded in one run, each with its own `--subject`.
#[test]
fn alternative_correct_solutions_pass_every_check() {
    let fetches = fixture("02_three_fetches", "spawned_try_join");
    let blur = fixture("06_blur_in_parallel", "join_recursion");
    let report = run_json(&[
        "--subject",
        &format!("02={fetches}"),
        "--subject",
        &format!("06={blur}"),
    ]);
    assert_eq!(report.ids(), ["02_three_fetches", "06_blur_in_parallel"]);
    report.expect_all("02_three_fetches", "passed", &[]);
    report.expect_all("06_blur_in_parallel", "passed", &[]);
    report.expect(
        "02_three_fetches",
        "fails_fast",
        "passed",
        &["as soon as it arrived"],
    );
    report.run.assert_code(0);
}
