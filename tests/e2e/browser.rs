//! The HTML report and the class page, as a real browser shows them.
//!
//! A headless Chromium (Debian's `chromium`, which `.ci/run` installs)
//! renders each page twice: once to a screenshot, decoded here and required
//! to hold a drawn page (many colours, not one background), and once inside
//! `browser/probe.html`, whose script reads the page's *layout*: the box
//! each exercise, check, timeline bar and class-page row was given, and the
//! text a reader sees (`innerText`). So the assertions are about what was
//! rendered, not about the HTML we wrote. Where no Chromium is installed
//! the tests say so and pass without checking anything.
//!
//! The pages come from grading exercise 02 three times: the reference
//! solution, and two wrong-model fixtures (fetches awaited one after
//! another; a blocking sleep). The screenshots stay in the target folder,
//! `browser/report.png` and `browser/class.png`, for a person to look at.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Report, fixture, run, run_json, target_dir};

const ID: &str = "02_three_fetches";

/// The measuring page; `PAGE` is replaced by the page under test's name.
const PROBE: &str = include_str!("browser/probe.html");

/// The browser window, and so the screenshots' size.
const WINDOW: (u32, u32) = (1000, 1400);

/// A hang guard for one Chromium run (it takes about a second), not a
/// speed assertion.
const BROWSER_GUARD: Duration = Duration::from_secs(90);

/// The Chromium to use: `$CHROMIUM`, or the first of the usual names on
/// the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(path.into());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .map(|name| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
            .find(|candidate| candidate.is_file())
    })
}

/// The browser, or `None` after saying why the test checks nothing.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        eprintln!(
            "skipped {test}: no Chromium found (install Debian's `chromium` package, or set \
             CHROMIUM to a Chromium or Chrome executable)"
        );
    }
    browser
}

/// The three graded runs and their pages, made once for both tests.
struct Graded {
    dir: PathBuf,
    solved: Report,
    sequential: Report,
    sleeping: Report,
}

fn graded() -> &'static Graded {
    static GRADED: OnceLock<Graded> = OnceLock::new();
    GRADED.get_or_init(|| {
        let dir = target_dir().join("browser");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let grade = |name: &str, subject: &[&str]| {
            let html = format!("html={}", dir.join(format!("{name}.html")).display());
            let json = format!("json={}", dir.join(format!("{name}.json")).display());
            let mut args = vec![ID];
            args.extend_from_slice(subject);
            args.extend(["--report", &html, "--report", &json]);
            run_json(&args)
        };
        let solved = grade("solved", &["--solutions"]);
        solved.run.assert_code(0);
        let sequential_path = fixture(ID, "sequential");
        let sequential = grade("sequential", &["--subject", &sequential_path]);
        sequential.expect(ID, "overlapping_waits", "failed", &["one after another"]);
        let sleeping_path = fixture(ID, "blocking_sleep");
        let sleeping = grade("sleeping", &["--subject", &sleeping_path]);
        sleeping.expect(ID, "never_blocks", "failed", &["blocked"]);
        Graded {
            dir,
            solved,
            sequential,
            sleeping,
        }
    })
}

/// Runs Chromium headless on `page` with `args`, under the hang guard, and
/// returns what it printed. Each run has a profile folder of its own, so
/// runs in parallel do not share one.
fn chromium_run(browser: &Path, page: &Path, args: &[&str]) -> String {
    let profile = page.with_extension(format!("profile-{}", args.len()));
    let _ = std::fs::remove_dir_all(&profile);
    let started = Instant::now();
    let output = assert_cmd::Command::new(browser)
        .arg("--headless")
        // The tests run as root in CI containers, where Chromium's own
        // sandbox cannot start; the pages are our own, from local files.
        .arg("--no-sandbox")
        .args(["--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .args(args)
        .arg(file_url(page))
        .timeout(BROWSER_GUARD)
        .output()
        .expect("cannot start Chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "Chromium failed on {} ({}, after {:.1?}):\n{}",
        page.display(),
        output.status,
        started.elapsed(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `page` (an absolute path) as a `file:` URL, `C:\\x` as `file:///C:/x`.
fn file_url(page: &Path) -> String {
    let path = page.to_string_lossy().replace('\\', "/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{path}")
}

/// The page as laid out: the probe's measurements of `page` (see
/// `browser/probe.html`).
fn rendered(browser: &Path, page: &Path) -> Value {
    let name = page.file_name().unwrap().to_str().unwrap();
    let probe = page.with_file_name(format!("probe-{name}"));
    std::fs::write(&probe, PROBE.replace("PAGE", name)).unwrap();
    let dom = chromium_run(
        browser,
        &probe,
        &["--allow-file-access-from-files", "--dump-dom"],
    );
    let start = dom
        .find("<pre id=\"result\">")
        .unwrap_or_else(|| panic!("no result in the dumped DOM:\n{dom}"));
    let text = &dom[start + "<pre id=\"result\">".len()..];
    let text = &text[..text.find("</pre>").expect("an unclosed result")];
    let measured: Value = serde_json::from_str(text)
        .unwrap_or_else(|err| panic!("the probe's result is not JSON ({err}): {text}"));
    assert!(
        measured.get("error").is_none(),
        "the probe could not read {name}: {}",
        measured["error"]
    );
    measured
}

/// Screenshots `page` into `png` and checks that a page was drawn: the
/// window's size, many colours (text is anti-aliased), and no colour (the
/// background) covering nearly everything.
fn screenshot(browser: &Path, page: &Path, png: &Path) {
    chromium_run(browser, page, &[&format!("--screenshot={}", png.display())]);
    let file = std::fs::File::open(png)
        .unwrap_or_else(|err| panic!("no screenshot at {}: {err}", png.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("the screenshot is not a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), WINDOW, "{}", png.display());
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let samples = info.color_type.samples();
    assert!(samples >= 3, "a grey screenshot: {:?}", info.color_type);
    let mut counts = std::collections::HashMap::<[u8; 3], usize>::new();
    for pixel in buf[..info.buffer_size()].chunks_exact(samples) {
        *counts.entry([pixel[0], pixel[1], pixel[2]]).or_default() += 1;
    }
    let pixels = (info.width * info.height) as usize;
    let background = counts.values().max().copied().unwrap_or(0);
    assert!(
        counts.len() >= 50 && background * 100 < pixels * 95,
        "{} looks blank: {} colours, the commonest on {background} of {pixels} pixels",
        png.display(),
        counts.len()
    );
}

/// A rendered box with room in it, drawn (not folded away).
fn has_area(item: &Value) -> bool {
    is_drawn(&item["box"])
}

fn is_drawn(size: &Value) -> bool {
    size["w"].as_u64().unwrap_or(0) > 0
        && size["h"].as_u64().unwrap_or(0) > 0
        && size["drawn"] == true
}

/// Whitespace folded, as `innerText` is folded by the probe.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every exercise and check of `report` shown in the rendered `page`, each
/// check with its outcome and diagnosis, and each timeline drawn with a
/// visible bar per span.
fn assert_report_rendered(report: &Report, page: &Value) {
    let mut shown_checks = page["checks"].as_array().unwrap().iter();
    let (mut timelines, mut spans) = (0, 0);
    for exercise in report.exercises() {
        let id = exercise["id"].as_str().unwrap();
        let section = page["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no section for {id}: {page}"));
        assert!(has_area(section), "{id} is not on screen: {section}");
        for check in exercise["checks"].as_array().unwrap() {
            let name = check["name"].as_str().unwrap();
            let shown = shown_checks
                .next()
                .unwrap_or_else(|| panic!("{id} {name} is not shown: {page}"));
            assert_eq!(shown["name"], name, "checks out of order");
            assert!(has_area(shown), "{name} has no box: {shown}");
            let text = shown["text"].as_str().unwrap();
            let words = ["outcome", "about", "message"].map(|key| check[key].as_str());
            for expected in words.into_iter().flatten() {
                assert!(
                    text.contains(&folded(expected)),
                    "{name} on screen lacks {expected:?}: {text}"
                );
            }
            if let Some(timeline) = check.get("timeline") {
                timelines += 1;
                for lane in timeline["lanes"].as_array().unwrap() {
                    spans += lane["spans"].as_array().unwrap().len();
                }
            }
        }
    }
    assert!(
        shown_checks.next().is_none(),
        "more checks shown than graded"
    );
    let drawn = page["timelines"].as_array().unwrap();
    assert_eq!(drawn.len(), timelines, "timelines drawn: {drawn:?}");
    let mut bars = 0;
    for svg in drawn {
        assert!(has_area(svg), "a timeline with no box: {svg}");
        for bar in svg["bars"].as_array().unwrap() {
            assert!(is_drawn(bar), "an empty bar: {svg}");
            bars += 1;
        }
    }
    assert_eq!(bars, spans, "a bar per span");
}

/// The HTML report of the solution (every check passed, no timeline) and of
/// the sequential fixture (two checks failed, each with its timeline), in
/// Chromium: every exercise and check on screen with its outcome, what it
/// checks and its diagnosis; each failed check's timeline drawn, with a
/// bar of some width for each span.
#[test]
fn html_report_in_a_headless_chromium() {
    let Some(browser) = browser_or_skip("html_report_in_a_headless_chromium") else {
        return;
    };
    let graded = graded();
    let started = Instant::now();
    let mut timelines = Vec::new();
    for (name, report) in [
        ("solved", &graded.solved),
        ("sequential", &graded.sequential),
    ] {
        let page = rendered(&browser, &graded.dir.join(format!("{name}.html")));
        assert!(
            page["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Checker report")),
            "{page}"
        );
        assert_report_rendered(report, &page);
        timelines.push(page["timelines"].as_array().unwrap().len());
    }
    // So the drawing was tested: the failed run's two timelines were drawn.
    assert_eq!(timelines, [0, 2]);
    screenshot(
        &browser,
        &graded.dir.join("sequential.html"),
        &graded.dir.join("report.png"),
    );
    eprintln!("the browser's part took {:.1?}", started.elapsed());
}

/// The class page of the three runs, in Chromium: a row on screen for each
/// learner, named after the report's file, and the checks that failed in
/// order of how often, each with its diagnosis as the reports give it; the
/// table of every check is folded away, so not on screen.
#[test]
fn class_page_in_a_headless_chromium() {
    let Some(browser) = browser_or_skip("class_page_in_a_headless_chromium") else {
        return;
    };
    let graded = graded();
    let reports = ["solved", "sequential", "sleeping"].map(|learner| {
        graded
            .dir
            .join(format!("{learner}.json"))
            .to_string_lossy()
            .into_owned()
    });
    let html = graded.dir.join("class.html");
    let html_arg = html.to_string_lossy();
    let mut args = vec!["class"];
    args.extend(reports.iter().map(String::as_str));
    args.extend(["--html", &html_arg]);
    run(&args).assert_code(0);

    let started = Instant::now();
    let page = rendered(&browser, &html);
    let rows: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| has_area(row))
        .map(|row| row["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        rows,
        ["solved", "sequential", "sleeping", "passed by"],
        "rows on screen: {page}"
    );
    // fails_fast failed for both wrong ones, then one each.
    let failures = page["failures"].as_array().unwrap();
    let heads: Vec<&str> = failures
        .iter()
        .map(|f| f["head"].as_str().unwrap())
        .collect();
    assert_eq!(heads.len(), 3, "{heads:?}");
    assert!(
        heads[0].contains("fails_fast") && heads[0].contains("2 of 3"),
        "{heads:?}"
    );
    for (failure, (report, check)) in failures.iter().skip(1).zip([
        (&graded.sequential, "overlapping_waits"),
        (&graded.sleeping, "never_blocks"),
    ]) {
        assert!(has_area(failure), "{failure}");
        let head = failure["head"].as_str().unwrap();
        assert!(head.contains(check) && head.contains("1 of 3"), "{heads:?}");
        let diagnosis = report.check(ID, check)["message"].as_str().unwrap();
        let text = failure["text"].as_str().unwrap();
        assert!(
            text.contains(&folded(diagnosis)),
            "{check}'s diagnosis is not on screen: {text}"
        );
    }
    screenshot(&browser, &html, &graded.dir.join("class.png"));
    eprintln!("the browser's part took {:.1?}", started.elapsed());
}
