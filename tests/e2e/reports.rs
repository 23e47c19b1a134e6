//! `--report FORMAT[=PATH]`: the JSON, JUnit, Gradescope and HTML reports
//! of one run, each read back by a reader that is not the writer: the JSON
//! by a JSON Schema validator against `docs/report.schema.json`, the JUnit
//! XML by a JUnit parser, Gradescope's `results.json` field by field, and
//! the HTML for what a self-contained page must hold.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{Report, Workspace, fixture, root, run, run_json, validate_report};

const ID: &str = "02_three_fetches";
const BLUR: &str = "06_blur_in_parallel";

/// A folder under the system's temporary one, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "checker-report-files-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    /// `FORMAT=<scratch>/RELATIVE`, for `--report`.
    fn report(&self, format: &str, relative: &str) -> String {
        format!("{format}={}", self.0.join(relative).display())
    }

    fn read(&self, relative: &str) -> String {
        let path = self.0.join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("no report at {}: {err}", path.display()))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every `--report` of all four formats into `scratch`, in folders that do
/// not exist yet.
fn every_format(scratch: &Scratch) -> Vec<String> {
    vec![
        "--report".into(),
        scratch.report("junit", "ci/deep/junit.xml"),
        "--report".into(),
        scratch.report("json", "ci/report.json"),
        "--report".into(),
        scratch.report("html", "page/report.html"),
        "--report".into(),
        scratch.report("gradescope", "results/results.json"),
    ]
}

fn args<'a>(fixed: &[&'a str], more: &'a [String]) -> Vec<&'a str> {
    let mut all = fixed.to_vec();
    all.extend(more.iter().map(String::as_str));
    all
}

/// The JSON file report: valid against the schema and the very document
/// that `--format json` printed in the same run.
fn json_file(scratch: &Scratch, report: &Report) -> Value {
    let json: Value = serde_json::from_str(&scratch.read("ci/report.json")).expect("JSON");
    validate_report(&json).unwrap_or_else(|err| panic!("report.json: {err}"));
    assert_eq!(json, report.json, "the file and stdout differ");
    json
}

/// The JUnit report, parsed by `junit-parser`: one suite per exercise and
/// one case per check, in the JSON report's order, with the JSON's
/// outcomes as success, failure, error or skipped.
fn junit(scratch: &Scratch, json: &Value) -> junit_parser::TestSuites {
    let text = scratch.read("ci/deep/junit.xml");
    let parsed = junit_parser::from_reader(std::io::Cursor::new(text.as_bytes()))
        .unwrap_or_else(|err| panic!("the JUnit report does not parse ({err}):\n{text}"));
    let exercises = json["exercises"].as_array().expect("exercises");
    assert_eq!(parsed.suites.len(), exercises.len(), "{text}");
    for (suite, exercise) in parsed.suites.iter().zip(exercises) {
        assert_eq!(suite.name, exercise["id"].as_str().unwrap());
        let checks = exercise["checks"].as_array().unwrap();
        assert_eq!(suite.cases.len(), checks.len(), "{text}");
        for (case, check) in suite.cases.iter().zip(checks) {
            assert_eq!(case.original_name, check["name"].as_str().unwrap());
            use junit_parser::TestStatus::*;
            let kind = match &case.status {
                Success => "success",
                Failure(_) => "failure",
                Error(_) => "error",
                Skipped(_) => "skipped",
            };
            let expected = match check["outcome"].as_str().unwrap() {
                "passed" => "success",
                "failed" | "not_started" | "inconclusive" => "failure",
                "skipped" => "skipped",
                _ => "error",
            };
            assert_eq!(kind, expected, "{}: {text}", case.original_name);
        }
    }
    parsed
}

/// Gradescope's results: every field Gradescope reads, scores within their
/// maximums, the tests adding up to the score and the maximums to the
/// catalogue's points of the graded exercises.
fn gradescope(scratch: &Scratch, json: &Value) -> Value {
    let text = scratch.read("results/results.json");
    let results: Value = serde_json::from_str(&text).expect("results.json is JSON");
    let tests = results["tests"].as_array().expect("tests[]");
    let checks: usize = json["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["checks"].as_array().unwrap().len())
        .sum();
    assert_eq!(tests.len(), checks, "{text}");
    let (mut score, mut max) = (0.0, 0.0);
    for test in tests {
        for field in ["name", "output", "status", "visibility"] {
            assert!(
                test[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} missing: {test}"
            );
        }
        let (got, of) = (
            test["score"].as_f64().expect("score"),
            test["max_score"].as_f64().expect("max_score"),
        );
        assert!((0.0..=of).contains(&got), "{test}");
        match test["status"].as_str() {
            Some("passed") => assert_eq!(got, of, "{test}"),
            Some("failed") => assert_eq!(got, 0.0, "{test}"),
            other => panic!("status {other:?}: {test}"),
        }
        score += got;
        max += of;
    }
    assert_eq!(results["score"].as_f64(), Some(score), "{text}");
    assert_eq!(
        max,
        json["summary"]["max_points"].as_f64().unwrap(),
        "{text}"
    );
    results
}

/// The HTML page: whole, with no script and nothing loaded from elsewhere;
/// every exercise and check shown; one SVG per timeline of the JSON report
/// with a bar per span; every picture embedded as a PNG.
fn html(scratch: &Scratch, json: &Value) -> String {
    let page = scratch.read("page/report.html");
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    let lower = page.to_lowercase();
    for outside in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "url(",
        "@import",
    ] {
        assert!(!lower.contains(outside), "the page has {outside}");
    }
    let (mut timelines, mut spans, mut pictures) = (0, 0, 0);
    for exercise in json["exercises"].as_array().unwrap() {
        let id = exercise["id"].as_str().unwrap();
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "no section for {id}"
        );
        for check in exercise["checks"].as_array().unwrap() {
            let name = check["name"].as_str().unwrap();
            assert!(
                page.contains(&format!("<code class=\"name\">{name}</code>")),
                "no {name}"
            );
            if let Some(timeline) = check.get("timeline") {
                timelines += 1;
                for lane in timeline["lanes"].as_array().unwrap() {
                    spans += lane["spans"].as_array().unwrap().len();
                }
            }
            pictures += check
                .get("artifacts")
                .map_or(0, |a| a.as_array().unwrap().len());
        }
    }
    assert_eq!(page.matches("<svg class=\"timeline").count(), timelines);
    // Lanes past the 24th are counted, not drawn: none here has so many.
    assert_eq!(page.matches("<rect class=\"bar\"").count(), spans);
    // A PNG starts with the same 8 bytes, `iVBORw0KGgo` in base64.
    assert_eq!(
        page.matches("src=\"data:image/png;base64,iVBORw0KGgo")
            .count(),
        pictures
    );
    page
}

/// The reference solution of 02, every format at once beside `--format
/// json`: each agrees with the run's JSON, and every check passed in each.
#[test]
fn every_format_from_one_run_of_the_solutions() {
    let scratch = Scratch::new("solutions");
    let reports = every_format(&scratch);
    let report = run_json(&args(&[ID, "--solutions"], &reports));
    report.run.assert_code(0);
    let json = json_file(&scratch, &report);
    let parsed = junit(&scratch, &json);
    assert_eq!((parsed.failures, parsed.errors, parsed.skipped), (0, 0, 0));
    let results = gradescope(&scratch, &json);
    assert_eq!(results["score"].as_f64(), Some(10.0));
    html(&scratch, &json);
}

/// A wrong model (02's fetches awaited one after another): JUnit carries
/// each failure with its diagnosis, Gradescope gives the passing checks'
/// share only, and the page draws the failing checks' timelines.
#[test]
fn a_wrong_model_in_every_format() {
    let scratch = Scratch::new("sequential");
    let reports = every_format(&scratch);
    let subject = fixture(ID, "sequential");
    let report = run_json(&args(&[ID, "--subject", &subject], &reports));
    report.run.assert_code(1);
    let json = json_file(&scratch, &report);

    let parsed = junit(&scratch, &json);
    let case = |name: &str| {
        parsed.suites[0]
            .cases
            .iter()
            .find(|c| c.original_name == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let junit_parser::TestStatus::Failure(failure) = &case("overlapping_waits").status else {
        panic!("overlapping_waits is no failure");
    };
    assert!(failure.message.contains("one after another"), "{failure:?}");
    assert!(failure.text.contains("at most 1 in flight"), "{failure:?}");
    assert_eq!(failure.failure_type, "failed");
    assert!(case("right_answer").status.is_success());

    let results = gradescope(&scratch, &json);
    let score = results["score"].as_f64().unwrap();
    assert!(
        score > 0.0 && score < 10.0,
        "partial credit expected: {score}"
    );
    let test = results["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().ends_with("overlapping_waits"))
        .expect("a test for overlapping_waits");
    assert_eq!(
        (test["status"].as_str(), test["score"].as_f64()),
        (Some("failed"), Some(0.0))
    );
    assert!(
        test["output"]
            .as_str()
            .unwrap()
            .contains("one after another")
    );

    let page = html(&scratch, &json);
    assert!(page.contains("one after another"));
    assert!(
        page.matches("<svg class=\"timeline").count() >= 1,
        "no timeline drawn"
    );
}

/// A panic is an `<error>` in JUnit, naming the outcome and quoting the
/// message, and earns nothing on Gradescope.
#[test]
fn a_panic_is_an_error_with_its_message() {
    let scratch = Scratch::new("panics");
    let reports = every_format(&scratch);
    let subject = fixture(ID, "panics");
    let report = run_json(&args(&[ID, "--subject", &subject], &reports));
    report.run.assert_code(1);
    let json = json_file(&scratch, &report);
    let parsed = junit(&scratch, &json);
    for case in &parsed.suites[0].cases {
        let junit_parser::TestStatus::Error(error) = &case.status else {
            panic!("{} is no error: {:?}", case.original_name, case.status);
        };
        assert_eq!(error.error_type, "panicked");
        assert!(error.text.contains("boom"), "{error:?}");
    }
    let results = gradescope(&scratch, &json);
    assert_eq!(results["score"].as_f64(), Some(0.0));
    html(&scratch, &json);
}

/// Pictures: 06's solution leaves PNGs, and the page embeds each one.
#[test]
fn the_page_embeds_the_pictures() {
    let scratch = Scratch::new("pictures");
    let reports = every_format(&scratch);
    let report = run_json(&args(&[BLUR, "--solutions"], &reports));
    report.run.assert_code(0);
    let json = json_file(&scratch, &report);
    let page = html(&scratch, &json);
    assert!(
        page.contains("data:image/png;base64,"),
        "no picture embedded"
    );
}

/// `--report FORMAT` alone takes stdout; the human report then goes to
/// stderr.
#[test]
fn a_report_on_stdout_moves_the_human_report_to_stderr() {
    let graded = run(&[ID, "--solutions", "--seed", "7", "--report", "junit"]);
    graded.assert_code(0);
    let parsed = junit_parser::from_reader(std::io::Cursor::new(graded.stdout.as_bytes()))
        .unwrap_or_else(|err| panic!("stdout is no JUnit ({err}):\n{}", graded.stdout));
    assert_eq!(parsed.tests, 5, "{}", graded.stdout);
    assert!(
        graded.stderr.contains("Every check passed"),
        "{}",
        graded.stderr
    );

    let graded = run(&[ID, "--solutions", "--seed", "7", "--report", "gradescope=-"]);
    graded.assert_code(0);
    let results: Value = serde_json::from_str(&graded.stdout).expect("results.json on stdout");
    assert_eq!(results["score"].as_f64(), Some(10.0));
}

/// Plain grading of the learner's own exercises (whatever state they are
/// in) writes reports that validate and parse.
#[test]
fn plain_grading_writes_valid_reports() {
    let scratch = Scratch::new("plain");
    let reports = every_format(&scratch);
    let report = run_json(&args(&[ID], &reports));
    let json = json_file(&scratch, &report);
    junit(&scratch, &json);
    gradescope(&scratch, &json);
    html(&scratch, &json);
}

/// Two reports on stdout, a report on stdout beside `--format json`, an
/// unknown format and a path that cannot be created are usage errors, said
/// before anything is graded, with no backtrace.
#[test]
fn impossible_reports_are_refused_plainly() {
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--report", "json", "--report", "junit"],
            &["only one report can go to stdout"],
        ),
        (
            &["--format", "json", "--report", "html"],
            &["`--format json` already writes to stdout"],
        ),
        (
            &["--report", "pdf=out.pdf"],
            &["unknown format `pdf`", "junit"],
        ),
        // A regular file cannot be a folder, even for root.
        (
            &["--report", "json=Cargo.toml/report.json"],
            &["cannot write the json report to", "Cargo.toml"],
        ),
    ];
    for (extra, expected) in cases {
        let mut all = vec![ID, "--solutions"];
        all.extend(extra);
        let graded = run(&all);
        graded.assert_usage_error(expected);
        assert!(
            !graded.stderr.contains("panicked") && !graded.stderr.contains("backtrace"),
            "{}",
            graded.stderr
        );
        assert!(
            !graded.stderr.contains("Compiling"),
            "graded before refusing: {}",
            graded.stderr
        );
    }
    assert!(!root().join("Cargo.toml/report.json").exists());
    run(&["watch", "--report", "json"]).assert_usage_error(&["`watch` writes no reports"]);
}

/// `grade --submission` with the Gradescope report where Gradescope's
/// `run_autograder` writes it: a learner who solved 02 gets its 10 points.
#[test]
fn a_graded_submission_writes_gradescope_results() {
    let learner = Workspace::pristine("reports-submission");
    let solution = std::fs::read_to_string(root().join("solutions/02_three_fetches/src/lib.rs"))
        .expect("the 02 solution");
    std::fs::write(
        learner.path("exercises/02_three_fetches/src/lib.rs"),
        solution,
    )
    .unwrap();
    let scratch = Scratch::new("submission");
    let dir = learner.root.to_string_lossy().into_owned();
    let reports = every_format(&scratch);
    let report = run_json(&args(&["grade", "--submission", &dir, ID], &reports));
    report.run.assert_code(0);
    let json = json_file(&scratch, &report);
    assert!(json["submission"]["dir"].is_string(), "{json:#}");
    let results = gradescope(&scratch, &json);
    assert_eq!(results["score"].as_f64(), Some(10.0));
    junit(&scratch, &json);
    html(&scratch, &json);
}

/// The schema is no formality: a report with an unknown outcome, a missing
/// field or an undocumented one does not validate.
#[test]
fn the_schema_rejects_what_it_does_not_describe() {
    let valid = serde_json::json!({
        "schema": 1, "seed": 7, "sandbox": "landlock",
        "exercises": [{
            "id": "02_three_fetches", "title": "Three fetches", "model": "async, one thread",
            "subject": "solutions/02_three_fetches", "status": "failed",
            "points": 0, "max_points": 10,
            "checks": [{
                "name": "overlapping_waits", "about": "", "outcome": "failed",
                "message": "one after another", "duration_ms": 3,
                "timeline": { "clock": "virtual", "lanes": [
                    { "label": "user", "spans": [{ "start_ms": 0.0, "end_ms": 124.5 }] }
                ]}
            }]
        }],
        "summary": { "exercises": 1, "passed": 0, "points": 0, "max_points": 10 }
    });
    validate_report(&valid).expect("the hand-made report is valid");
    type Breaks = fn(&mut Value);
    let broken: [(&str, Breaks); 5] = [
        ("an unknown outcome", |v| {
            v["exercises"][0]["checks"][0]["outcome"] = "exploded".into()
        }),
        ("no summary", |v| {
            drop(v.as_object_mut().unwrap().remove("summary"))
        }),
        ("schema 2", |v| v["schema"] = 2.into()),
        ("an undocumented field", |v| {
            v["exercises"][0]["grade"] = "A".into()
        }),
        ("a clock of its own", |v| {
            v["exercises"][0]["checks"][0]["timeline"]["clock"] = "cpu".into()
        }),
    ];
    for (what, breaks) in broken {
        let mut report = valid.clone();
        breaks(&mut report);
        assert!(
            validate_report(&report).is_err(),
            "{what} passed the schema"
        );
    }
}

/// A report that cannot be written at the end (a full disk) is an error
/// with exit code 2 that names it; the other reports are still written.
#[test]
fn a_full_disk_is_a_plain_error() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    let scratch = Scratch::new("full");
    let junit = scratch.report("junit", "junit.xml");
    let graded = run(&[
        ID,
        "--solutions",
        "--report",
        "json=/dev/full",
        "--report",
        &junit,
    ]);
    graded.assert_code(2);
    assert!(
        graded
            .stderr
            .contains("cannot write the json report to /dev/full"),
        "{}",
        graded.stderr
    );
    assert!(!graded.stderr.contains("panicked"), "{}", graded.stderr);
    junit_parser::from_reader(std::io::Cursor::new(scratch.read("junit.xml").as_bytes()))
        .expect("the JUnit report was still written");
}
