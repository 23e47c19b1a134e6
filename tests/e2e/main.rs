//! End-to-end tests of the checker binary.
//!
//! Each test runs the real `checker` (built once, see [`support::checker`])
//! from the workspace root, usually with `--format json`, and asserts what
//! the report says: the reference solutions pass, the stubs are not started,
//! every wrong-model mutant in `tests/fixtures/` is rejected by the check
//! meant to catch it with the diagnosis meant for it, every fault becomes
//! its outcome instead of a crash or a hang of the checker, and the human
//! and JSON reports keep their shape (insta snapshots in `snapshots/`).
//!
//! Tests run in parallel; each runs the checker as few times as it can.

mod add_exercise;
mod browser;
mod class;
mod commands;
mod faults;
mod grade;
mod gradescope;
mod hostile;
mod one_core;
mod platforms;
mod repeat;
mod reports;
mod snapshots;
mod solutions;
mod streams;
mod stubs;
mod support;
mod watch;
mod workflows;

// The tests of each exercise, one file `mutants_NN.rs` per exercise, found
// by `tests/build.rs`: adding an exercise adds its file and edits nothing
// here.
include!(concat!(env!("OUT_DIR"), "/exercise_tests.rs"));
