//! insta snapshots of whole reports, so that any change to what a learner
//! or a CI job reads is seen in review. Seeded simulated timings are
//! deterministic and stay; real-time numbers, durations and absolute paths
//! are replaced by placeholders.

use crate::support::{Workspace, fixture, root, run, run_json};

/// Settings shared by every snapshot: the folder, and the filters that
/// remove what changes from run to run.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.add_filter(&escape(&root().display().to_string()), "[ROOT]");
    settings.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[duration]""#);
    // Whether this machine's kernel has a sandbox is not the report's shape.
    settings.add_filter(r#""sandbox": "\w+""#, r#""sandbox": "[sandbox]""#);
    settings.add_filter(r"(?m)^Note: no sandbox.*\n", "");
    settings.add_filter(r"\d+ ms of real time", "[N] ms of real time");
    settings.add_filter(r"longest poll \d+ ms", "longest poll [N] ms");
    settings.add_filter(
        r"heartbeat at worst \d+ ms late",
        "heartbeat at worst [N] ms late",
    );
    settings.add_filter(
        r"wall time \d+ ms against \d+ ms of CPU time in all, about what one thread would take \([\d.]+x\)",
        "wall time [N] ms against [N] ms of CPU time in all, about what one thread would take ([N]x)",
    );
    settings
}

/// `s` as a regular expression that matches exactly `s`.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The human report of an untouched stub (02's, in a pristine copy of the
/// workspace): its "not started" line with the place of its `todo!()`, then
/// the next step and a hint. One exercise, so adding another to the course
/// leaves this snapshot alone.
#[test]
fn human_report_of_a_stub() {
    let copy = Workspace::pristine("stub-snapshot");
    let (code, stdout) = copy.checker(&["02", "--seed", "1"]);
    assert_eq!(code, Some(1), "{stdout}");
    let mut settings = settings();
    settings.add_filter(&escape(&copy.root.display().to_string()), "[COPY]");
    settings.bind(|| insta::assert_snapshot!("stub_02_human", stdout));
}

/// The human report of the 02 sequential mutant: the failing checks with
/// their diagnoses and the learner's run drawn on the simulated clock.
#[test]
fn human_report_of_the_sequential_mutant() {
    let subject = fixture("02_three_fetches", "sequential");
    let run = run(&[
        "02",
        "--subject",
        &subject,
        "--seed",
        "1",
        "--color",
        "never",
    ]);
    run.assert_code(1);
    settings().bind(|| insta::assert_snapshot!("sequential_02_human", run.stdout));
}

/// The human report of a build error (06 calling `par_chunks_mut` without
/// `use rayon::prelude::*`): rustc's whole first error, its `help:` lines
/// naming the missing import included, with paths from the root.
#[test]
fn human_report_of_a_build_error_with_its_help() {
    let subject = fixture("06_blur_in_parallel", "missing_prelude");
    let run = run(&[
        "06",
        "--subject",
        &subject,
        "--color",
        "never",
        "--seed",
        "1",
    ]);
    run.assert_code(1);
    assert!(run.stdout.contains("help:"), "{}", run.stdout);
    settings().bind(|| insta::assert_snapshot!("missing_prelude_06_human", run.stdout));
}

/// The JSON report (schema 1) of the 02 sequential mutant, every field, as
/// the checker writes it (its own field order, not re-serialised).
#[test]
fn json_report_of_the_sequential_mutant() {
    let subject = fixture("02_three_fetches", "sequential");
    let report = run_json(&["02", "--subject", &subject, "--seed", "1"]);
    report.run.assert_code(1);
    settings().bind(|| insta::assert_snapshot!("sequential_02_json", report.run.stdout));
}
