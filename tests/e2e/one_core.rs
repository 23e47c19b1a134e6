//! On a machine with one core (simulated with `taskset`, Linux only), a
//! correct solution still passes: the checker gives rayon 4 workers, and the
//! structural evidence holds when they share one core. A pool of one
//! thread, which is what code sizing its pool to the cores gets there, is
//! `inconclusive`, never `failed`: the machine could not show the model.

use serde_json::Value;

use crate::support::{HANG_GUARD, SEED, checker, fixture, root};

/// Runs the checker pinned to CPU 0 and returns each check's outcome of
/// exercise 06, or `None` where `taskset` is missing.
fn on_one_core(subject: &[&str]) -> Option<Vec<(String, String)>> {
    let taskset = ["/usr/bin/taskset", "/bin/taskset"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(taskset) = taskset else {
        eprintln!("skipped: no taskset on this machine to pin the checker to one core");
        return None;
    };
    let output = assert_cmd::Command::new(taskset)
        .args(["-c", "0"])
        .arg(checker())
        .args(["06", "--format", "json", "--seed", SEED])
        .args(subject)
        .current_dir(root())
        .timeout(HANG_GUARD)
        .output()
        .expect("the checker ran");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "no JSON report ({err}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let checks = report["exercises"][0]["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Some(
        checks
            .iter()
            .map(|c| {
                let field = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (field("name"), field("outcome"))
            })
            .collect(),
    )
}

/// The reference solution passes every check on one core.
#[test]
fn the_solution_passes_on_one_core() {
    let Some(outcomes) = on_one_core(&["--solutions"]) else {
        return;
    };
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert!(outcomes.iter().all(|(_, o)| o == "passed"), "{outcomes:?}");
}

/// A one-thread pool on one core is inconclusive for both model checks,
/// while its pixels are still checked.
#[test]
fn a_one_thread_pool_on_one_core_is_inconclusive() {
    let subject = fixture("06_blur_in_parallel", "one_thread_pool");
    let Some(outcomes) = on_one_core(&["--subject", &subject]) else {
        return;
    };
    let outcome = |name: &str| {
        outcomes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.as_str())
            .unwrap_or("missing")
    };
    assert_eq!(outcome("same_pixels"), "passed", "{outcomes:?}");
    assert_eq!(outcome("work_shared"), "inconclusive", "{outcomes:?}");
    assert_eq!(outcome("simultaneous"), "inconclusive", "{outcomes:?}");
}

/// Every reference solution of the catalogue, graded on one core: no check
/// fails. An async solution needs no second core at all; a parallel one
/// either shows its model with the checker's pool of four on one core or
/// is `inconclusive`, never `failed`, since one core cannot show two
/// things at the same instant.
#[test]
fn no_solution_fails_on_one_core() {
    let taskset = ["/usr/bin/taskset", "/bin/taskset"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(taskset) = taskset else {
        eprintln!("skipped: no taskset on this machine to pin the checker to one core");
        return;
    };
    let output = assert_cmd::Command::new(taskset)
        .args(["-c", "0"])
        .arg(checker())
        .args(["--solutions", "--format", "json", "--seed", SEED])
        .current_dir(root())
        .timeout(HANG_GUARD * 3)
        .output()
        .expect("the checker ran");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "no JSON report ({err}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut failed = Vec::new();
    for exercise in report["exercises"].as_array().into_iter().flatten() {
        for check in exercise["checks"].as_array().into_iter().flatten() {
            let outcome = check["outcome"].as_str().unwrap_or("?");
            if outcome != "passed" && outcome != "inconclusive" {
                failed.push(format!(
                    "{} {}: {outcome}: {}",
                    exercise["id"], check["name"], check["message"]
                ));
            }
        }
    }
    assert!(failed.is_empty(), "on one core:\n{}", failed.join("\n"));
}
