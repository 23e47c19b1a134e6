//! `checker class`: a teacher merges the learners' JSON reports into one
//! page and one CSV. The reports here are real ones, from grading the
//! reference solution and two wrong-model fixtures of exercise 02 as three
//! learners; a fourth is a copy that names its learner in the report.

use std::path::{Path, PathBuf};

use crate::support::{fixture, run, run_json};

const FETCHES: &str = "02_three_fetches";

/// A folder for this test's files, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("checker-class-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn save(dir: &Path, learner: &str, json: &serde_json::Value) -> String {
    let path = dir.join(format!("{learner}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(json).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Four learners: ann solved 02, bob awaited the fetches one after another
/// (twice: bob, and dana whose report names her), cy slept on the runtime's
/// thread. The CSV has a row per learner with the points and each check's
/// outcome as graded; the page shows the grid and puts `fails_fast`, which
/// failed for all three wrong ones, before `overlapping_waits` (two), with
/// the sequential diagnosis counted twice.
#[test]
fn reports_merge_into_a_class_page_and_csv() {
    let dir = scratch("merge");
    let solved = run_json(&[FETCHES, "--solutions"]);
    solved.expect_all(FETCHES, "passed", &[]);
    let sequential = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "sequential")]);
    sequential.expect(
        FETCHES,
        "overlapping_waits",
        "failed",
        &["one after another"],
    );
    let sleeping = run_json(&[FETCHES, "--subject", &fixture(FETCHES, "blocking_sleep")]);
    sleeping.expect(FETCHES, "never_blocks", "failed", &["blocked"]);
    let mut named = sequential.json.clone();
    named["learner"] = "Dana Scully".into();

    let reports = [
        save(&dir, "ann", &solved.json),
        save(&dir, "bob", &sequential.json),
        save(&dir, "cy", &sleeping.json),
        save(&dir, "d-report", &named),
    ];
    let html = dir.join("out/class.html");
    let csv = dir.join("out/class.csv");
    let mut args: Vec<&str> = vec!["class"];
    args.extend(reports.iter().map(String::as_str));
    let (html_arg, csv_arg) = (html.to_string_lossy(), csv.to_string_lossy());
    args.extend(["--html", &html_arg, "--csv", &csv_arg]);
    let merged = run(&args);
    merged.assert_code(0);
    assert!(
        merged.stdout.contains("4 learners graded on 1 exercise")
            && merged.stdout.contains("passed by 1 of 4"),
        "{}",
        merged.stdout
    );

    // The CSV, read as a grid: every cell as the reports have it.
    let csv = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let row = |learner: &str| {
        rows.iter()
            .find(|r| r[0] == learner)
            .unwrap_or_else(|| panic!("no row for {learner}:\n{csv}"))
    };
    assert_eq!(rows.len(), 5, "{csv}");
    for (learner, report) in [
        ("ann", &solved),
        ("bob", &sequential),
        ("cy", &sleeping),
        ("Dana Scully", &sequential),
    ] {
        let row = row(learner);
        let exercise = report.exercise(FETCHES);
        assert_eq!(
            row[column(FETCHES)],
            exercise["points"].to_string(),
            "{learner}"
        );
        assert_eq!(row[column("max_points")], "10");
        for check in report.checks(FETCHES) {
            let name = format!("{FETCHES}/{}", check["name"].as_str().unwrap());
            assert_eq!(
                row[column(&name)],
                check["outcome"].as_str().unwrap(),
                "{learner} {name}"
            );
        }
    }
    assert_eq!(row("ann")[column("points")], "10");
    assert_eq!(row("bob")[column("points")], "0");

    // The page: the grid's rows, then the most failed checks in order, each
    // with its diagnosis and who got it.
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script"));
    for learner in ["ann", "bob", "cy", "Dana Scully"] {
        assert!(
            page.contains(&format!("<th scope=\"row\">{learner}</th>")),
            "{learner}"
        );
    }
    let failed = &page[page
        .find("Checks that failed most")
        .expect("the failures section")..];
    let first = failed.find("<code>fails_fast</code>: failed for 3 of 4");
    let second = failed.find("<code>overlapping_waits</code>: failed for 2 of 4");
    assert!(
        first.is_some() && second.is_some() && first < second,
        "fails_fast (3 of 4) should come before overlapping_waits (2 of 4):\n{failed}"
    );
    let overlap = &failed[second.unwrap()..];
    assert!(
        overlap.contains("one after another") && overlap.contains("bob, Dana Scully"),
        "{overlap}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file that is not a report, or a report of another schema, stops the
/// summary with the file named and exit code 2; nothing is written.
#[test]
fn a_bad_report_is_named() {
    let dir = scratch("bad");
    let garbage = dir.join("eve.json");
    std::fs::write(&garbage, "not json at all").unwrap();
    let html = dir.join("class.html");
    let html_arg = html.to_string_lossy();
    let garbage_arg = garbage.to_string_lossy();
    let bad = run(&["class", &garbage_arg, "--html", &html_arg]);
    bad.assert_usage_error(&[&garbage_arg, "is not a JSON report"]);
    assert!(!html.exists(), "wrote a page from a bad report");

    let future = dir.join("frank.json");
    std::fs::write(&future, r#"{"schema": 2, "exercises": []}"#).unwrap();
    let future_arg = future.to_string_lossy();
    run(&["class", &future_arg]).assert_usage_error(&[&future_arg, "schema is 2"]);

    let missing = dir.join("nobody.json");
    let missing_arg = missing.to_string_lossy();
    run(&["class", &missing_arg]).assert_usage_error(&[&missing_arg, "cannot read"]);
    let _ = std::fs::remove_dir_all(&dir);
}
