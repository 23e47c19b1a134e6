//! The JUnit XML report, for CI systems that show test results (GitHub
//! Actions' test reporters, GitLab's `artifacts:reports:junit`).
//!
//! One `<testsuite>` per exercise and one `<testcase>` per check. A check
//! that saw the wrong answer or the wrong model is a `<failure>`; one whose
//! code panicked, crashed, hung or did not build is an `<error>`; one not
//! run is `<skipped>`. The diagnosis is the failure's message and text; the
//! learner's output, cut to [`cap::OUTPUT_CHARS`], is the case's
//! `<system-out>`. The XML is written by `quick-junit`, which escapes it.

use std::io::Write;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::cap;
use super::json::{CheckJson, Document};
use crate::outcome::Outcome;

/// Writes `document` as JUnit XML.
pub fn write(document: &Document<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut report = Report::new("checker");
    for exercise in &document.exercises {
        let mut suite = TestSuite::new(exercise.id);
        suite.add_properties([
            Property::new("title", exercise.title),
            Property::new("model", exercise.model),
            Property::new("subject", exercise.subject.as_str()),
            Property::new("status", exercise.status.label()),
            Property::new("points", exercise.points.to_string()),
            Property::new("max_points", exercise.max_points.to_string()),
            Property::new("seed", document.seed.to_string()),
        ]);
        let mut total = Duration::ZERO;
        for check in &exercise.checks {
            let mut case = TestCase::new(check.name, status(check));
            case.set_classname(exercise.id)
                .set_time(Duration::from_millis(check.duration_ms));
            total += Duration::from_millis(check.duration_ms);
            if !check.about.is_empty() {
                case.add_property(Property::new("about", check.about));
            }
            let printed = check.output.map(|o| cap::tail(o, cap::OUTPUT_CHARS));
            match (check.outcome, printed) {
                // A pass carries its evidence, which CI shows beside it.
                (Outcome::Passed, printed) => {
                    let mut text = diagnosis(check);
                    if let Some(printed) = printed {
                        text.push_str("\n\n");
                        text.push_str(&printed);
                    }
                    case.set_system_out(text);
                }
                (_, Some(printed)) => {
                    case.set_system_out(printed);
                }
                (_, None) => {}
            }
            suite.add_test_case(case);
        }
        suite.set_time(total);
        report.add_test_suite(suite);
    }
    report
        .serialize(&mut *out)
        .map_err(|err| std::io::Error::other(err.to_string()))?;
    writeln!(out)
}

/// The case's status: success, failure, error or skipped, carrying the
/// diagnosis.
fn status(check: &CheckJson<'_>) -> TestCaseStatus {
    let kind = match check.outcome {
        Outcome::Passed => return TestCaseStatus::success(),
        Outcome::Skipped => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(check.message);
            return status;
        }
        Outcome::Failed | Outcome::NotStarted | Outcome::Inconclusive => NonSuccessKind::Failure,
        Outcome::BuildError | Outcome::Panicked | Outcome::TimedOut | Outcome::Crashed => {
            NonSuccessKind::Error
        }
    };
    let mut status = TestCaseStatus::non_success(kind);
    status
        .set_message(first_line(check.message))
        .set_type(check.outcome.label())
        .set_description(diagnosis(check));
    status
}

/// The message and its details, one per line.
fn diagnosis(check: &CheckJson<'_>) -> String {
    let mut text = check.message.to_string();
    for detail in check.details {
        text.push_str("\n  ");
        text.push_str(detail);
    }
    text
}

/// The first line of a message, for the `message` attribute (the whole
/// message is the element's text).
fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::write;
    use crate::report::json::tests::document;

    /// Learner output is capped and the cut is said; markup in a message
    /// stays text; a panic is an `<error>` of type `panicked`.
    #[test]
    fn long_output_is_cut_and_said() {
        let output = format!("{}THE END", "x".repeat(10_000));
        let details = vec!["at src/lib.rs:3".to_string()];
        let mut xml = Vec::new();
        write(&document(&output, &details), &mut xml).unwrap();
        let xml = String::from_utf8(xml).unwrap();
        assert!(xml.contains("[output cut: the first 6007 of 10007 characters are not shown]"));
        assert!(xml.contains("THE END</system-out>"));
        assert!(xml.len() < 6000, "{} bytes", xml.len());
        assert!(xml.contains("<error message=\"your code panicked: &lt;boom&gt; &amp; &quot;bust&quot;\" type=\"panicked\">"));
        assert!(xml.contains("at src/lib.rs:3"));
    }
}
