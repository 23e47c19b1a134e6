//! The workspace compiles for macOS and Windows, not only for the Linux it
//! is developed on: `cargo check --workspace --all-targets --target T` for
//! Apple silicon and for Windows (GNU), so code behind `cfg(unix)`,
//! `cfg(target_os = "linux")` and their fallbacks is all type-checked.
//!
//! Checking for a target needs that target's standard library (`rustup
//! target add T`); where it is not installed the test says so and checks
//! nothing. Nothing is linked, so no other toolchain is needed. The checks
//! build into a folder of their own under the target folder, so they never
//! invalidate the other tests' builds.

use std::process::Command;

use crate::support::{root, target_dir};

/// Whether rustup lists `target` as installed (`false` without rustup).
fn installed(target: &str) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| {
            out.status.success()
                && String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .any(|line| line.trim() == target)
        })
}

/// `cargo check` of every crate and target of the workspace for `target`,
/// or a message saying why it was skipped.
fn check_for(target: &str) {
    if !installed(target) {
        eprintln!(
            "skipped: the standard library for {target} is not installed (`rustup target add \
             {target}` installs it), so the workspace was not checked for it"
        );
        return;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--target",
        ])
        .arg(target)
        .env("CARGO_TARGET_DIR", target_dir().join("platforms"))
        .current_dir(root())
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "the workspace does not compile for {target}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_workspace_compiles_for_macos() {
    check_for("aarch64-apple-darwin");
}

#[test]
fn the_workspace_compiles_for_windows() {
    check_for("x86_64-pc-windows-gnu");
}
