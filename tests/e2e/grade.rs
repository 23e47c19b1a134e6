//! `grade --submission DIR`: a teacher grades a learner's copy of the
//! workspace from a pristine copy of this one. Only the learner's
//! `exercises/*/src/**/*.rs` is taken; whatever else the submission changed
//! is listed as ignored and has no effect; the learner's crates compile
//! with `unsafe_code` forbidden; the submission is left untouched.

use std::path::Path;

use crate::support::{Workspace, root, run_json};

const FETCHES: &str = "02_three_fetches";
const BLUR: &str = "06_blur_in_parallel";

/// Every file under `dir` with its content, for telling whether anything
/// changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn write(dir: &Path, relative: &str, content: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A submission that solves 02, adds a `build.rs` that would fail the
/// build, rewrites 02's grader to pass anything, edits its manifest, and
/// uses `unsafe` in 06. Graded: 02 passes on its merits with the real
/// grader (the hostile files ignored, and listed), 06 is a build error
/// about `unsafe_code`, and not a byte of the submission changed.
#[test]
fn a_submission_is_graded_from_a_pristine_copy() {
    let learner = Workspace::pristine("submission");
    let dir = &learner.root;
    let solution = std::fs::read_to_string(root().join("solutions/02_three_fetches/src/lib.rs"))
        .expect("the 02 solution");
    write(dir, "exercises/02_three_fetches/src/lib.rs", &solution);
    write(
        dir,
        "exercises/02_three_fetches/build.rs",
        "fn main() { panic!(\"the learner's build script ran\"); }\n",
    );
    write(
        dir,
        "checker/graders/02_three_fetches/src/main.rs",
        "fn main() { println!(\"every check passed\"); }\n",
    );
    let manifest = dir.join("exercises/02_three_fetches/Cargo.toml");
    let edited = std::fs::read_to_string(&manifest).unwrap() + "\n# edited by the learner\n";
    std::fs::write(&manifest, edited).unwrap();
    write(
        dir,
        "exercises/06_blur_in_parallel/src/lib.rs",
        "pub fn blur(image: &lab::image::Image, radius: usize) -> lab::image::Image {\n    \
         let _ = radius;\n    unsafe { std::ptr::read(image) }\n}\n",
    );
    let before = snapshot(dir);

    let report = run_json(&[
        "grade",
        "--submission",
        &dir.to_string_lossy(),
        FETCHES,
        BLUR,
    ]);
    report.expect_all(FETCHES, "passed", &[]);
    report.expect(
        BLUR,
        "build",
        "build_error",
        &["usage of an `unsafe` block", "-F unsafe-code"],
    );
    let ignored: Vec<&str> = report.json["submission"]["ignored"]
        .as_array()
        .expect("the report lists what was ignored")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for expected in [
        "exercises/02_three_fetches/build.rs",
        "exercises/02_three_fetches/Cargo.toml",
        "checker/graders/02_three_fetches/src/main.rs",
    ] {
        assert!(ignored.contains(&expected), "{expected} not in {ignored:?}");
    }
    assert!(
        !ignored.iter().any(|i| i.ends_with("src/lib.rs")),
        "learner code listed as ignored: {ignored:?}"
    );
    assert!(snapshot(dir) == before, "grading changed the submission");
}

/// A folder that is no copy of the workspace is a usage error.
#[test]
fn a_folder_without_exercises_is_a_usage_error() {
    let empty = std::env::temp_dir().join(format!("checker-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let run = crate::support::run(&["grade", "--submission", &empty.to_string_lossy()]);
    run.assert_usage_error(&["holds no exercises/ folder"]);
    let _ = std::fs::remove_dir_all(&empty);
}

/// Code placed to run before `main` (a function in `.init_array`, the way
/// constructor crates do it) could read the record key off stdin before
/// the harness does. Declaring it needs an unsafe attribute, which grading
/// a submission refuses: the exercise is a build error naming it. The same
/// run has `CHECKER_ROOT` pointing at the learner's copy, whose grader for
/// 02 passes anything; `grade` ignores it and uses its own template.
#[test]
fn code_before_main_and_a_foreign_root_are_refused() {
    let learner = Workspace::pristine("before-main");
    let dir = &learner.root;
    let solution = std::fs::read_to_string(root().join("solutions/02_three_fetches/src/lib.rs"))
        .expect("the 02 solution");
    write(
        dir,
        "exercises/02_three_fetches/src/lib.rs",
        &format!(
            "{solution}\nextern \"C\" fn before_main() {{ \
             let mut key = String::new(); let _ = std::io::stdin().read_line(&mut key); }}\n\
             #[unsafe(link_section = \".init_array\")]\n#[used]\n\
             static BEFORE_MAIN: extern \"C\" fn() = before_main;\n"
        ),
    );
    write(
        dir,
        "checker/graders/02_three_fetches/src/main.rs",
        "fn main() { println!(\"every check passed\"); }\n",
    );
    let report = crate::support::run_json_with_env(
        &["grade", "--submission", &dir.to_string_lossy(), FETCHES],
        &[("CHECKER_ROOT", &dir.to_string_lossy())],
    );
    report.run.assert_code(1);
    report.expect(FETCHES, "build", "build_error", &["link_section", "unsafe"]);
}

/// `--graders DIR` grades with a teacher's own graders (the layout of
/// checker/graders): here 02's is replaced by one whose only check fails
/// with a message of its own, and the solved submission gets that verdict.
#[test]
fn a_teachers_own_graders_decide() {
    let learner = Workspace::pristine("private-graders");
    let dir = &learner.root;
    let solution = std::fs::read_to_string(root().join("solutions/02_three_fetches/src/lib.rs"))
        .expect("the 02 solution");
    write(dir, "exercises/02_three_fetches/src/lib.rs", &solution);

    let private = Workspace::pristine("graders-owner");
    let graders = private.path("checker/graders");
    write(
        &graders,
        "02_three_fetches/src/main.rs",
        r#"use grading::{Check, Ctx, Verdict};

const CHECKS: &[Check] = &[Check {
    name: "teachers_rule",
    about: "the teacher's own check",
    run: teachers_rule,
}];

fn main() {
    grading::harness::main(CHECKS)
}

fn teachers_rule(_ctx: &Ctx) -> Verdict {
    Verdict::fail("the private grader wants more")
}
"#,
    );
    let report = run_json(&[
        "grade",
        "--submission",
        &dir.to_string_lossy(),
        "--graders",
        &graders.to_string_lossy(),
        FETCHES,
    ]);
    report.run.assert_code(1);
    assert_eq!(report.checks(FETCHES).len(), 1, "{}", report.summary());
    report.expect(
        FETCHES,
        "teachers_rule",
        "failed",
        &["the private grader wants more"],
    );
}
