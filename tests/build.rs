//! Finds the tests of each exercise, `e2e/mutants_NN.rs`, and declares them
//! as modules of the e2e test binary. So adding an exercise adds its file
//! of tests and edits no existing one (see CONTRIBUTING.md).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let e2e = manifest.join("e2e");
    // A folder: cargo looks at every file in it for changes.
    println!("cargo::rerun-if-changed=e2e");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&e2e)
        .expect("tests/e2e exists")
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let stem = name.strip_prefix("mutants_")?.strip_suffix(".rs")?;
            let valid =
                !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            valid.then(|| (format!("mutants_{stem}"), entry.path()))
        })
        .collect();
    files.sort();
    let mut out = String::new();
    for (module, path) in files {
        let _ = writeln!(
            out,
            "#[path = {:?}]\nmod {module};",
            path.display().to_string()
        );
    }
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("exercise_tests.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
