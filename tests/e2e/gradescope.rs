//! `checker gradescope-bundle`: the zip is unpacked where Gradescope would
//! put it (`<root>/source`, with `AUTOGRADER_ROOT=<root>` standing for
//! `/autograder`), `setup.sh` builds the checker from it, and
//! `run_autograder` grades a sample submission laid out as Gradescope lays
//! it out (`<root>/submission`, the learner's repository) into
//! `<root>/results/results.json`.
//!
//! Cargo runs with an empty `CARGO_HOME` and offline, so every dependency
//! comes from the bundle's `vendor/`. Crates built from there are the same
//! files to cargo as those built from the registry, but from another path:
//! sharing the other tests' target folder would make each rebuild them
//! for the other. So this test keeps a target folder of its own, and
//! unpacks the bundle at the same place every time, which lets a second
//! run reuse what the first compiled.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::support::{catalogue, root, run, target_dir};

const FETCHES: &str = "02_three_fetches";
const TIMELINES: &str = "01_timelines";

/// Whether `program` runs here.
fn available(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok()
}

fn unpack(zip: &Path, to: &Path) -> bool {
    std::fs::create_dir_all(to).unwrap();
    if available("unzip", "-v") {
        Command::new("unzip")
            .args(["-q"])
            .arg(zip)
            .arg("-d")
            .arg(to)
            .status()
            .unwrap()
            .success()
    } else {
        Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(zip)
            .arg(to)
            .status()
            .unwrap()
            .success()
    }
}

/// Sets the modification time of every file under `dir` to now.
fn touch_all(dir: &Path) {
    let now = std::time::SystemTime::now();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            touch_all(&path);
        } else if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(now);
        }
    }
}

fn bash(script: &Path, args: &[&str], autograder: &Path, home: &Path) -> (bool, String) {
    let output = Command::new("bash")
        .arg(script)
        .args(args)
        .current_dir(autograder)
        .env("AUTOGRADER_ROOT", autograder)
        .env("AUTOGRADER_WARM", "0")
        .env("CARGO_TARGET_DIR", home.join("target"))
        .env("CARGO_HOME", home.join("cargo-home"))
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("bash runs");
    let text = format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The bundle grades a learner's repository whose 02 is the reference
/// solution and whose 01 is still the stub: results.json gives 02's points
/// and none of 01's, with every field Gradescope requires, and the tests'
/// scores add up to the total.
#[test]
fn the_bundle_grades_a_submission_end_to_end() {
    if cfg!(windows) || !available("bash", "--version") {
        eprintln!("skipped: the autograder's scripts need bash (Gradescope runs them on Linux)");
        return;
    }
    if !available("unzip", "-v") && !available("python3", "--version") {
        eprintln!("skipped: neither unzip nor python3 is here to unpack the bundle");
        return;
    }
    if !root().join(".git").exists() {
        eprintln!("skipped: the bundle takes the last commit, and this copy is not a git checkout");
        return;
    }
    let started = Instant::now();
    // Kept between runs: `target/` and an empty `cargo-home/`.
    let home = target_dir().join("gradescope-test");
    let autograder = home.join("autograder");
    let _ = std::fs::remove_dir_all(&autograder);
    std::fs::create_dir_all(home.join("cargo-home")).unwrap();
    let zip = home.join("autograder.zip");
    let zip_arg = zip.to_string_lossy();
    let bundled = run(&["gradescope-bundle", "--out", &zip_arg]);
    bundled.assert_code(0);
    assert!(
        unpack(&zip, &autograder.join("source")),
        "cannot unpack {}",
        zip.display()
    );
    let source = autograder.join("source");
    for part in [
        "setup.sh",
        "run_autograder",
        "workspace/Cargo.lock",
        "workspace/.cargo/config.toml",
    ] {
        assert!(source.join(part).is_file(), "the bundle has no {part}");
    }
    assert!(source.join("vendor").is_dir(), "the bundle has no vendor/");
    assert!(
        !source.join("workspace/target").exists(),
        "the bundle holds build output"
    );
    // The zip dates every file 1980 (the same workspace gives the same
    // bytes). This test keeps its target folder between runs, where cargo
    // would then find the last run's build newer than every source and
    // reuse it: date the workspace's own files now, as a fresh unpack on
    // Gradescope is built from nothing anyway.
    touch_all(&source.join("workspace"));
    let unpacked = started.elapsed();

    // The learner's repository as Gradescope hands it over: the files at
    // the root of /autograder/submission.
    let submission = autograder.join("submission");
    let lib = submission.join(format!("exercises/{FETCHES}/src/lib.rs"));
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::copy(root().join(format!("solutions/{FETCHES}/src/lib.rs")), &lib).unwrap();
    std::fs::write(submission.join("README.md"), "my work\n").unwrap();

    let (ok, log) = bash(&source.join("setup.sh"), &[], &autograder, &home);
    assert!(ok, "setup.sh failed\n{log}");
    let set_up = started.elapsed();
    let (ok, log) = bash(
        &source.join("run_autograder"),
        &[FETCHES, TIMELINES, "--seed", "7"],
        &autograder,
        &home,
    );
    assert!(ok, "run_autograder failed\n{log}");
    let graded = started.elapsed();
    eprintln!(
        "gradescope bundle: written and unpacked {unpacked:.1?}, setup.sh until {set_up:.1?}, \
         run_autograder until {graded:.1?}"
    );

    let results = autograder.join("results/results.json");
    let text = std::fs::read_to_string(&results)
        .unwrap_or_else(|e| panic!("no results.json ({e})\n{log}"));
    let json: Value = serde_json::from_str(&text).expect("results.json is JSON");
    let tests = json["tests"].as_array().expect("results.json has tests[]");
    assert!(!tests.is_empty(), "{text}");
    // Gradescope shows a test by its name: "02 Three fetches: right_answer".
    let label = |id: &str| {
        let exercise = catalogue().into_iter().find(|e| e.id == id).unwrap();
        format!("{}:", exercise.label)
    };
    let (fetches, timelines) = (label(FETCHES), label(TIMELINES));
    let mut sum = 0.0;
    let mut max = 0.0;
    for test in tests {
        for field in ["name", "status", "output", "visibility"] {
            assert!(test[field].is_string(), "a test lacks `{field}`: {test}");
        }
        let score = test["score"].as_f64().expect("a test's score");
        let max_score = test["max_score"].as_f64().expect("a test's max_score");
        assert!((0.0..=max_score).contains(&score), "{test}");
        sum += score;
        max += max_score;
        let name = test["name"].as_str().unwrap().to_lowercase();
        let status = test["status"].as_str().unwrap();
        if name.starts_with(&fetches) {
            assert_eq!((status, score), ("passed", max_score), "{test}");
        } else if name.starts_with(&timelines) {
            assert_eq!((status, score), ("failed", 0.0), "the stub scored: {test}");
        }
    }
    let points = |id: &str| catalogue().into_iter().find(|e| e.id == id).unwrap().points as f64;
    let score = json["score"].as_f64().expect("results.json has a score");
    assert_eq!(
        score, sum,
        "the tests' scores do not add up to the score:\n{text}"
    );
    assert_eq!(score, points(FETCHES), "{text}");
    assert_eq!(max, points(FETCHES) + points(TIMELINES), "{text}");
    for label in [fetches, timelines] {
        assert!(
            tests.iter().any(|t| t["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .starts_with(&label)),
            "no test for {label}\n{text}"
        );
    }
    let _ = std::fs::remove_dir_all(&autograder);
}
