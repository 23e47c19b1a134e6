//! Where output goes: the report on stdout, progress on stderr, always, so
//! `checker > report.txt` keeps a clean report and a pipe to `less` is not
//! interleaved with progress lines.

use crate::support::{Workspace, catalogue, has_row};

/// Grading the first exercise (a stub, in a pristine copy) with both
/// streams captured apart: the per-check progress lines are only on
/// stderr, and the report (its header, the exercise's line, the summary)
/// only on stdout. `hint` and `list` write only stdout.
#[test]
fn progress_on_stderr_report_on_stdout() {
    let copy = Workspace::pristine("streams");
    let first = &catalogue()[0];
    let number = first.id.split('_').next().unwrap();
    let output = copy
        .command()
        .args([number, "--color", "never", "--seed", "1"])
        .output()
        .expect("the checker ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let both = format!("--- stdout\n{stdout}\n--- stderr\n{stderr}");

    let progress = format!("graded {} ", first.label);
    assert!(stderr.contains(&progress), "no progress on stderr:\n{both}");
    assert!(!stdout.contains("graded "), "progress on stdout:\n{both}");
    assert!(
        has_row(&stdout, &first.label, "not started"),
        "the exercise's row not on stdout:\n{both}"
    );
    for report in ["Grading 1 exercise", "of 1 exercise done", "Next:"] {
        assert!(stdout.contains(report), "{report:?} not on stdout:\n{both}");
        assert!(!stderr.contains(report), "{report:?} on stderr:\n{both}");
    }

    for command in [&["hint", number][..], &["list"][..]] {
        let output = copy
            .command()
            .args(command)
            .args(["--color", "never"])
            .output()
            .expect("the checker ran");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        assert!(
            !stdout.is_empty() && stderr.is_empty(),
            "{command:?}:\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
    }
}

/// With `--format json`, stdout is one JSON document, whatever cargo and
/// the checks print while it is made.
#[test]
fn json_report_alone_on_stdout() {
    let copy = Workspace::pristine("streams-json");
    let first = &catalogue()[0];
    let number = first.id.split('_').next().unwrap();
    let report = copy.run_json(&[number]);
    assert_eq!(report.ids(), [first.id.as_str()]);
    assert!(
        !report.run.stdout.contains("graded "),
        "{}",
        report.run.stdout
    );
}
