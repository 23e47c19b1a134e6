//! Helpers shared by the end-to-end tests: find (and build) the checker,
//! run it from the workspace root, read its JSON report, and fail with a
//! message that shows what was expected next to what the checker said.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The longest any one checker run may take before the test calls it hung.
/// A hang guard, not a speed assertion: the checker ends every check and
/// build at its own deadline, so only a bug in it can run this long. The
/// slowest run here, all twelve exercises built and graded in a fresh copy
/// of the workspace, took over 120 s with two test suites sharing two
/// cores (a learner's busy laptop); hence ten minutes.
pub const HANG_GUARD: Duration = Duration::from_secs(600);

/// The seed of every graded run, so a failure can be repeated by hand.
pub const SEED: &str = "7";

/// The workspace root: this package lives in `<root>/tests`.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
}

/// The checker executable, built once per test process.
///
/// The checker is a binary of another package, so `cargo_bin` cannot find
/// it from here. Instead the first caller runs `cargo build -p checker` with
/// the cargo that runs the tests and takes the executable's path from
/// cargo's own JSON messages, which is right whatever the target directory.
pub fn checker() -> &'static Path {
    static CHECKER: OnceLock<PathBuf> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "-p", "checker", "--quiet", "--message-format=json"])
            .current_dir(root())
            .output()
            .expect("cannot run cargo to build the checker");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "`cargo build -p checker` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "checker")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo built no `checker` executable")
    })
}

/// What one run of the checker did.
#[derive(Debug)]
pub struct Run {
    /// The arguments, for messages.
    pub args: Vec<String>,
    /// Its exit code (`None` when it was killed at the hang guard).
    pub code: Option<i32>,
    /// Everything it wrote on stdout.
    pub stdout: String,
    /// Everything it wrote on stderr.
    pub stderr: String,
    /// How long it ran.
    pub elapsed: Duration,
}

impl Run {
    /// The command line, as a person would type it to repeat the run.
    pub fn command_line(&self) -> String {
        format!("cargo run -p checker -- {}", self.args.join(" "))
    }

    /// Asserts the exit code, showing both streams when it differs.
    pub fn assert_code(&self, expected: i32) {
        assert!(
            self.code == Some(expected),
            "{}\n  expected exit code {expected}, got {:?} after {:.1?}\n--- stdout\n{}\n--- stderr\n{}",
            self.command_line(),
            self.code,
            self.elapsed,
            self.stdout,
            self.stderr
        );
    }

    /// Asserts that stderr holds every one of `expected` and that nothing
    /// was graded (stdout is empty): the shape of a usage error.
    pub fn assert_usage_error(&self, expected: &[&str]) {
        self.assert_code(2);
        for text in expected {
            assert!(
                self.stderr.contains(text),
                "{}\n  stderr lacks {text:?}:\n{}",
                self.command_line(),
                self.stderr
            );
        }
        assert!(self.stdout.is_empty(), "graded something:\n{}", self.stdout);
    }
}

/// The target folder cargo builds this workspace into; runs on copies of
/// the workspace share it, so only the copies' own crates compile again.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Runs the checker from the workspace root with `args` (relative paths in
/// them are relative to the root), under the hang guard.
pub fn run(args: &[&str]) -> Run {
    run_with_env(args, &[])
}

/// [`run`] with extra environment variables.
pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    let output = assert_cmd::Command::new(checker())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(HANG_GUARD)
        .output()
        .expect("cannot start the checker");
    let run = Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    };
    assert!(
        run.elapsed < HANG_GUARD && run.code.is_some(),
        "{}\n  the checker itself hung: still running after {:.0?}, killed\n--- stdout\n{}\n--- stderr\n{}",
        run.command_line(),
        run.elapsed,
        run.stdout,
        run.stderr
    );
    run
}

/// A JSON report and the run that wrote it.
#[derive(Debug)]
pub struct Report {
    /// The run.
    pub run: Run,
    /// The parsed document.
    pub json: Value,
}

/// Runs the checker with `args` plus `--format json --seed 7` (unless a seed
/// is given) and parses its report.
pub fn run_json(args: &[&str]) -> Report {
    run_json_with_env(args, &[])
}

/// [`run_json`] with extra environment variables.
pub fn run_json_with_env(args: &[&str], env: &[(&str, &str)]) -> Report {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    if !args.contains(&"--seed") {
        all.extend(["--seed", SEED]);
    }
    report_of(run_with_env(&all, env))
}

/// Parses the JSON report of `run`, checking its schema.
fn report_of(run: Run) -> Report {
    assert!(
        run.elapsed < HANG_GUARD && run.code.is_some(),
        "{}\n  the checker itself hung: still running after {:.0?}, killed\n--- stderr\n{}",
        run.command_line(),
        run.elapsed,
        run.stderr
    );
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|err| {
        panic!(
            "{}\n  expected one JSON document on stdout ({err}), exit code {:?}\n--- stdout\n{}\n--- stderr\n{}",
            run.command_line(),
            run.code,
            run.stdout,
            run.stderr
        )
    });
    let report = Report { run, json };
    report.assert_schema();
    report
}

/// The subject argument for fixture `name` of exercise `id`.
pub fn fixture(id: &str, name: &str) -> String {
    let dir = format!("tests/fixtures/{id}/{name}");
    assert!(
        root().join(&dir).join("Cargo.toml").is_file(),
        "no fixture crate at {dir}"
    );
    dir
}

impl Report {
    fn fail(&self, what: String) -> ! {
        panic!(
            "{}\n{what}\n--- the report's checks\n{}--- stderr\n{}",
            self.run.command_line(),
            self.summary(),
            self.run.stderr
        )
    }

    /// Every check of every exercise, one line each.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for exercise in self.exercises() {
            let _ = writeln!(out, "{} ({})", exercise["id"], exercise["status"]);
            for check in exercise["checks"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "  {:<18} {:<12} {}",
                    check["name"].as_str().unwrap_or("?"),
                    check["outcome"].as_str().unwrap_or("?"),
                    check["message"].as_str().unwrap_or("?")
                );
            }
        }
        out
    }

    /// The fields every report has, whatever happened (schema 1), and
    /// agreement with the published `docs/report.schema.json`.
    fn assert_schema(&self) {
        if let Err(error) = validate_report(&self.json) {
            self.fail(format!(
                "  the report does not follow docs/report.schema.json:\n{error}"
            ));
        }
        let ok = self.json["schema"] == 1
            && self.json["seed"].is_u64()
            && self.json["exercises"].is_array()
            && self.json["summary"].is_object()
            && self.exercises().iter().all(|e| {
                e["id"].is_string()
                    && e["status"].is_string()
                    && e["checks"].as_array().is_some_and(|checks| {
                        !checks.is_empty()
                            && checks.iter().all(|c| {
                                c["name"].is_string()
                                    && c["about"].is_string()
                                    && c["outcome"].is_string()
                                    && c["message"].is_string()
                                    && c["duration_ms"].is_u64()
                            })
                    })
            });
        if !ok {
            self.fail(format!(
                "  the report does not follow schema 1:\n{:#}",
                self.json
            ));
        }
    }

    /// The graded exercises, in report order.
    pub fn exercises(&self) -> Vec<&Value> {
        self.json["exercises"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    /// The ids of the graded exercises, in report order.
    pub fn ids(&self) -> Vec<&str> {
        self.exercises()
            .iter()
            .filter_map(|e| e["id"].as_str())
            .collect()
    }

    /// Exercise `id`'s entry.
    pub fn exercise(&self, id: &str) -> &Value {
        self.exercises()
            .into_iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| self.fail(format!("  expected exercise {id} in the report")))
    }

    /// Exercise `id`'s checks.
    pub fn checks(&self, id: &str) -> Vec<&Value> {
        self.exercise(id)["checks"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    /// Check `name` of exercise `id`.
    pub fn check(&self, id: &str, name: &str) -> &Value {
        self.checks(id)
            .into_iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| self.fail(format!("  expected a check `{name}` in exercise {id}")))
    }

    /// Asserts that check `name` of exercise `id` ended with `outcome` and
    /// that its message contains each of `phrases`.
    pub fn expect(&self, id: &str, name: &str, outcome: &str, phrases: &[&str]) {
        let check = self.check(id, name);
        let got_outcome = check["outcome"].as_str().unwrap_or("?");
        let message = check["message"].as_str().unwrap_or("");
        let missing: Vec<&&str> = phrases.iter().filter(|p| !message.contains(**p)).collect();
        if got_outcome != outcome || !missing.is_empty() {
            self.fail(format!(
                "  exercise {id}, check `{name}`\n  expected: outcome {outcome}, message containing {phrases:?}\n  \
                 got:      outcome {got_outcome}, message {message:?}{}",
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("\n  missing:  {missing:?}")
                }
            ));
        }
    }

    /// Asserts that every check of exercise `id` ended with `outcome`, and
    /// that each message contains each of `phrases`.
    pub fn expect_all(&self, id: &str, outcome: &str, phrases: &[&str]) {
        for check in self.checks(id) {
            let name = check["name"].as_str().unwrap_or("?");
            self.expect(id, name, outcome, phrases);
        }
    }

    /// Asserts exercise `id`'s summary status.
    pub fn expect_status(&self, id: &str, status: &str) {
        let got = &self.exercise(id)["status"];
        if got != status {
            self.fail(format!(
                "  exercise {id}\n  expected: status {status}\n  got:      status {got}"
            ));
        }
    }
}

/// Validates `json` against the published schema of the JSON report,
/// `docs/report.schema.json` (compiled once per test process).
pub fn validate_report(json: &Value) -> Result<(), String> {
    static SCHEMA: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();
    let (schemas, index) = SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("docs/report.schema.json"))
            .expect("docs/report.schema.json is readable");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        // Handed over as a document under a name of its own, so no path
        // (a Windows one included) has to be read as a URL.
        let name = "file:///docs/report.schema.json";
        let mut compiler = boon::Compiler::new();
        let mut schemas = boon::Schemas::new();
        let compiled = match compiler.add_resource(name, schema) {
            Ok(()) => compiler.compile(name, &mut schemas),
            Err(err) => Err(err),
        };
        let index = compiled
            .unwrap_or_else(|err| panic!("docs/report.schema.json does not compile: {err:#}"));
        (schemas, index)
    });
    schemas
        .validate(json, *index)
        .map_err(|err| format!("{err:#}"))
}

/// One exercise of the catalogue (`checker/catalogue.toml`), as the tests
/// need it: the tests take the list of exercises from there, so adding an
/// exercise changes no test.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its id, such as `02_three_fetches`.
    pub id: String,
    /// How reports name it: `02 three fetches`.
    pub label: String,
    /// Its points.
    pub points: u64,
}

/// The catalogue of the workspace at `root`, in order.
pub fn catalogue_of(root: &Path) -> Vec<Entry> {
    let path = root.join("checker/catalogue.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let table: toml::Table = toml::from_str(&text).expect("the catalogue is valid TOML");
    table["exercise"]
        .as_array()
        .expect("the catalogue lists exercises")
        .iter()
        .map(|e| {
            let id = e["id"].as_str().expect("an id").to_string();
            let number = id.split('_').next().unwrap_or_default();
            Entry {
                label: format!(
                    "{number} {}",
                    e["title"].as_str().expect("a title").to_lowercase()
                ),
                points: e["points"].as_integer().expect("points") as u64,
                id,
            }
        })
        .collect()
}

/// This workspace's catalogue.
pub fn catalogue() -> Vec<Entry> {
    catalogue_of(root())
}

/// The ids of this workspace's catalogue, in order.
pub fn catalogue_ids() -> Vec<String> {
    catalogue().into_iter().map(|e| e.id).collect()
}

/// A copy of the workspace's sources under the system's temporary folder,
/// removed when dropped. Its `exercises/` are the pristine stubs as
/// committed, not the learner's working files, so tests about stubs pass
/// whatever state a learner's exercises are in. The copy shares this
/// workspace's target folder, so only the copy's own crates compile again.
pub struct Workspace {
    /// The copy's root.
    pub root: PathBuf,
}

impl Workspace {
    /// A fresh copy named after `name`.
    pub fn pristine(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("checker-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        copy_tree(root(), &dir);
        restore_pristine_exercises(&dir.join("exercises"));
        Workspace { root: dir }
    }

    /// A path inside the copy.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The checker, ready to run on the copy.
    pub fn command(&self) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::new(checker());
        command
            .env("CHECKER_ROOT", &self.root)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .current_dir(&self.root)
            .timeout(HANG_GUARD);
        command
    }

    /// Runs the checker on the copy with `args`; returns its exit code and
    /// stdout.
    pub fn checker(&self, args: &[&str]) -> (Option<i32>, String) {
        let output = self
            .command()
            .args(args)
            .args(["--color", "never"])
            .output()
            .expect("the checker ran");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }

    /// Runs the checker on the copy like [`run_json`].
    pub fn run_json(&self, args: &[&str]) -> Report {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        if !args.contains(&"--seed") {
            all.extend(["--seed", SEED]);
        }
        let started = Instant::now();
        let output = self.command().args(&all).output().expect("the checker ran");
        let run = Run {
            args: all.iter().map(|a| a.to_string()).collect(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            elapsed: started.elapsed(),
        };
        report_of(run)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Copies the workspace's sources (no `target/`, no `.git`) from `from` to
/// `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (source, dest) = (entry.path(), to.join(&name));
        if source.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&source, &dest);
        } else {
            std::fs::copy(&source, &dest).unwrap();
        }
    }
}

/// Replaces the copy's `exercises/` with the committed ones (`git archive
/// HEAD`), so a learner's edits, finished or broken, do not reach the tests.
/// Without git (a downloaded archive), the working files stay: they are
/// then pristine unless the learner changed them.
fn restore_pristine_exercises(exercises: &Path) {
    let archive = Command::new("git")
        .args(["archive", "--format=tar", "HEAD", "exercises"])
        .current_dir(root())
        .output();
    let Some(archive) = archive.ok().filter(|o| o.status.success()) else {
        eprintln!("note: git could not give the committed exercises; using the working files");
        return;
    };
    let _ = std::fs::remove_dir_all(exercises);
    let parent = exercises.parent().expect("exercises/ has a parent");
    let mut tar = Command::new("tar")
        .args(["-x", "-f", "-", "-C"])
        .arg(parent)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("tar runs");
    std::io::Write::write_all(tar.stdin.as_mut().expect("piped"), &archive.stdout)
        .expect("tar reads the archive");
    drop(tar.stdin.take());
    assert!(tar.wait().expect("tar ends").success(), "tar failed");
}

/// Whether exercise `id` of the copy at `root` is still a stub: its
/// `src/lib.rs` holds a `todo!()`. A learner who committed a solution has
/// none in HEAD either; outside CI, stub tests then skip that exercise and
/// say so.
pub fn is_stub(root: &Path, id: &str) -> bool {
    let lib = root.join("exercises").join(id).join("src/lib.rs");
    let stub = std::fs::read_to_string(lib).is_ok_and(|s| s.contains("todo!("));
    if !stub {
        assert!(
            std::env::var_os("CI").is_none(),
            "exercises/{id} as committed has no todo!(): in CI every exercise must be a stub"
        );
        eprintln!("skipped exercises/{id}: the committed version is solved (no todo!())");
    }
    stub
}

/// Whether some line of `text` shows `label`, then the column's padding,
/// then `rest`: a row of a report, whatever width the name column has.
pub fn has_row(text: &str, label: &str, rest: &str) -> bool {
    text.lines().any(|line| {
        line.find(label).is_some_and(|at| {
            let after = &line[at + label.len()..];
            after.starts_with(' ') && after.trim_start().starts_with(rest)
        })
    })
}
