//! Adding an exercise takes five places and nothing else: the exercise
//! crate, the solution crate, the grader crate, one catalogue entry and its
//! fixtures (CONTRIBUTING.md gives the recipe). This test follows the
//! recipe in a pristine copy of the workspace with a tiny exercise, writes
//! only those parts, and grades it end to end through the real checker.
//! No checker code, test or snapshot is touched.

use std::path::Path;

use crate::support::Workspace;

const ID: &str = "99_tiny_sum";

/// The five places, as `(path in the workspace, content)`. The catalogue
/// entry is appended to the catalogue rather than written whole.
const FILES: &[(&str, &str)] = &[
    // 1. The exercise crate: a stub with todo!() and a README.
    (
        "exercises/99_tiny_sum/Cargo.toml",
        r#"[package]
name = "ex99-tiny-sum"
version = "0.1.0"
edition.workspace = true
publish.workspace = true
"#,
    ),
    (
        "exercises/99_tiny_sum/README.md",
        "# 99 tiny sum\n\nAdd the numbers up. The checker checks the total.\n",
    ),
    (
        "exercises/99_tiny_sum/src/lib.rs",
        "/// The sum of `numbers`.\npub fn sum(numbers: &[u64]) -> u64 {\n    let _ = numbers;\n    todo!()\n}\n",
    ),
    // 2. The solution crate: same public API, another package name.
    (
        "solutions/99_tiny_sum/Cargo.toml",
        r#"[package]
name = "sol99-tiny-sum"
version = "0.1.0"
edition.workspace = true
publish.workspace = true
"#,
    ),
    (
        "solutions/99_tiny_sum/src/lib.rs",
        "/// The sum of `numbers`.\npub fn sum(numbers: &[u64]) -> u64 {\n    numbers.iter().sum()\n}\n",
    ),
    // 3. The grader crate: builds against the solution; the checker swaps
    //    in whatever it grades.
    (
        "checker/graders/99_tiny_sum/Cargo.toml",
        r#"[package]
name = "grader99-tiny-sum"
version = "0.1.0"
edition.workspace = true
publish.workspace = true

[dependencies]
subject = { path = "../../../solutions/99_tiny_sum", package = "sol99-tiny-sum" }
grading.workspace = true
"#,
    ),
    (
        "checker/graders/99_tiny_sum/src/main.rs",
        r#"use grading::{Check, Ctx, Verdict};

const CHECKS: &[Check] = &[Check {
    name: "right_answer",
    about: "returns the sum of the numbers",
    run: right_answer,
}];

fn main() {
    grading::harness::main(CHECKS)
}

fn right_answer(ctx: &Ctx) -> Verdict {
    let numbers: Vec<u64> = (1..=ctx.seed % 50 + 3).collect();
    decide(subject::sum(&numbers), numbers.iter().sum())
}

/// The decision, pure: what the subject returned against the truth.
fn decide(got: u64, expected: u64) -> Verdict {
    if got == expected {
        Verdict::pass(format!("the sum is {got}"))
    } else {
        Verdict::fail(format!("returned {got}; expected {expected}"))
    }
}
"#,
    ),
    // 5. Its fixtures: a wrong solution the grader must reject.
    (
        "tests/fixtures/99_tiny_sum/skips_the_first/Cargo.toml",
        r#"[package]
name = "fx99-skips-the-first"
version = "0.1.0"
edition = "2024"
publish = false
"#,
    ),
    (
        "tests/fixtures/99_tiny_sum/skips_the_first/src/lib.rs",
        "pub fn sum(numbers: &[u64]) -> u64 {\n    numbers.iter().skip(1).sum()\n}\n",
    ),
];

/// 4. The catalogue entry.
const ENTRY: &str = r#"
[[exercise]]
id = "99_tiny_sum"
title = "Tiny sum"
model = "none, a plain function"
points = 1
timeout_hint = "The sum never finished: an endless loop?"
hints = ["Walk the numbers once and add each to a total."]
"#;

fn write(root: &Path, relative: &str, content: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent folder")).unwrap();
    std::fs::write(path, content).unwrap();
}

/// In a copy of the workspace with only the five places added, the new
/// exercise is graded like any other: its solution passes, its stub is
/// `not_started`, its mutant fails `right_answer`, and the existing
/// exercises are still listed before it.
#[test]
fn an_exercise_added_in_five_places_is_graded_end_to_end() {
    let copy = Workspace::pristine("add-exercise");
    for (relative, content) in FILES {
        write(&copy.root, relative, content);
    }
    let catalogue = copy.path("checker/catalogue.toml");
    let text = std::fs::read_to_string(&catalogue).unwrap() + ENTRY;
    std::fs::write(&catalogue, text).unwrap();

    let solved = copy.run_json(&["99", "--solutions"]);
    solved.run.assert_code(0);
    solved.expect(ID, "right_answer", "passed", &["the sum is"]);

    let stub = copy.run_json(&["99"]);
    stub.run.assert_code(1);
    stub.expect_status(ID, "not_started");
    stub.expect_all(ID, "not_started", &["exercises/99_tiny_sum/src/lib.rs:"]);

    let mutant = copy.path("tests/fixtures/99_tiny_sum/skips_the_first");
    let wrong = copy.run_json(&["99", "--subject", &mutant.to_string_lossy()]);
    wrong.run.assert_code(1);
    wrong.expect(ID, "right_answer", "failed", &["expected"]);

    let (code, list) = copy.checker(&["list"]);
    assert_eq!(code, Some(0), "{list}");
    let new_line = list
        .find("99 tiny sum")
        .expect("list shows the new exercise");
    let first_line = list.find("02 three fetches").expect("list shows 02");
    assert!(first_line < new_line, "{list}");
}
