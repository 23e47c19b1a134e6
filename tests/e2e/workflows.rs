//! The GitHub workflows, the project's CI and the classroom template, pass
//! actionlint. `.ci/run` installs actionlint from PyPI
//! (`.ci/requirements-actionlint.txt`) and puts it on the PATH; elsewhere
//! this test is skipped with a message when actionlint is not found.

use std::process::Command;

use crate::support::root;

/// The workflow files the project ships.
const WORKFLOWS: [&str; 2] = [".github/workflows/ci.yml", "docs/classroom/grade.yml"];

#[test]
fn the_workflows_pass_actionlint() {
    let Ok(version) = Command::new("actionlint").arg("--version").output() else {
        eprintln!(
            "skipped: actionlint is not on the PATH (install it with \
             `pip install -r .ci/requirements-actionlint.txt`)"
        );
        return;
    };
    assert!(version.status.success(), "actionlint --version failed");
    let output = Command::new("actionlint")
        .args(["-no-color"])
        .args(WORKFLOWS)
        .current_dir(root())
        .output()
        .expect("actionlint runs");
    assert!(
        output.status.success(),
        "actionlint found problems in the workflows:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// actionlint does fail a broken workflow, so the test above can fail: the
/// classroom template with an expression that calls no real function.
#[test]
fn actionlint_rejects_a_broken_workflow() {
    if Command::new("actionlint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: actionlint is not on the PATH");
        return;
    }
    let template = std::fs::read_to_string(root().join(WORKFLOWS[1])).unwrap();
    let broken = template.replace("if: always()", "if: alwayz()");
    assert_ne!(
        broken, template,
        "the template has no `if: always()` to break"
    );
    let path = std::env::temp_dir().join(format!("checker-broken-{}.yml", std::process::id()));
    std::fs::write(&path, broken).unwrap();
    let output = Command::new("actionlint")
        .arg("-no-color")
        .arg(&path)
        .output()
        .expect("actionlint runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        !output.status.success() && String::from_utf8_lossy(&output.stdout).contains("alwayz"),
        "actionlint passed a broken workflow:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
