//! `--repeat N`: one build, N gradings with the same seed, and the checks
//! whose outcome changed between them.

use crate::support::{fixture, run};

/// The reference solution gets the same outcome every time: exit 0, and
/// the tally says how many runs of how many checks it compared.
#[test]
fn a_stable_solution_is_reported_stable() {
    let run = run(&["02", "--solutions", "--repeat", "3", "--color", "never"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Stability: 3 runs of 5 checks")
            && run
                .stdout
                .contains("Every check had the same outcome in every run."),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("run 3 of 3: 5 of 5 checks passed"),
        "{}",
        run.stderr
    );
}

/// A crate that tosses a coin between two models in each process: the
/// checks that see the model change between runs, and `--repeat` names
/// them with how often each outcome came. (The chance that 16 tosses all
/// land alike is 1 in 32,768.)
#[test]
fn a_changing_verdict_is_named_with_its_counts() {
    let subject = fixture("02_three_fetches", "alternating");
    let run = run(&[
        "02",
        "--subject",
        &subject,
        "--repeat",
        "16",
        "--color",
        "never",
    ]);
    run.assert_code(1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("changed 02_three_fetches overlapping_waits: "))
        .unwrap_or_else(|| panic!("no change named:\n{}", run.stdout));
    assert!(
        line.contains("passed ") && line.contains("failed "),
        "{line}"
    );
    // The message of each outcome is shown under it.
    assert!(run.stdout.contains("one after another"), "{}", run.stdout);
    // A check no model changes stays out of the list.
    assert!(
        !run.stdout.contains("changed 02_three_fetches right_answer"),
        "{}",
        run.stdout
    );
}

/// Repeats that cannot be honoured are refused before anything is graded.
#[test]
fn impossible_repeats_are_refused() {
    run(&["--repeat", "0"]).assert_usage_error(&["--repeat must be between 1 and 1000; 0 is not"]);
    run(&["02", "--repeat", "2", "--format", "json"])
        .assert_usage_error(&["`--repeat` writes no reports"]);
    run(&["02", "--repeat", "2", "--report", "junit=x.xml"])
        .assert_usage_error(&["`--repeat` writes no reports"]);
    run(&["watch", "--repeat", "2"]).assert_usage_error(&["leave it out of `watch`"]);
}
