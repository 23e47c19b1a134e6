//! The class summary as one self-contained HTML page: inline style, no
//! script, no file beside it. It opens in any browser, from an artifact or
//! an e-mail, and reads the same without JavaScript.

use std::fmt::Write as _;

use super::summary::{self, Class, DIAGNOSES_SHOWN};
use crate::report::escape_html as escape;

/// The page.
pub fn render(class: &Class) -> String {
    let mut out = String::new();
    let learners = class.learners.len();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Class summary</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Class summary</h1>\n<p>{learners} learner{}, {} exercise{}.</p>\n",
        plural(learners),
        class.columns.len(),
        plural(class.columns.len()),
    );
    grid(&mut out, class);
    most_failed(&mut out, class);
    checks(&mut out, class);
    out.push_str("</body>\n</html>\n");
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#eee}\
td.passed{background:#d7f5d7}td.failed{background:#f8d4d4}\
td.not_started{background:#f2f2f2;color:#666}td.build_error{background:#f8e3c4}\
td.timed_out,td.panicked,td.crashed,td.inconclusive{background:#f8d4d4}\
td.skipped{background:#f2f2f2;color:#666}\
td.num{text-align:right}.msg{font-family:monospace;white-space:pre-wrap}";

/// Who passed what: one row per learner, one column per exercise.
fn grid(out: &mut String, class: &Class) {
    out.push_str("<h2 id=\"grid\">Who passed what</h2>\n<table class=\"grid\">\n<tr><th>learner</th><th>points</th>");
    for column in &class.columns {
        let _ = write!(
            out,
            "<th title=\"{}\">{}</th>",
            escape(&column.title),
            escape(&column.id)
        );
    }
    out.push_str("</tr>\n");
    for learner in class.learners {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{} / {}</td>",
            escape(&learner.name),
            summary::points(learner),
            class.max_points()
        );
        for column in &class.columns {
            match class.cell(learner, &column.id) {
                Some(exercise) => {
                    let _ = write!(
                        out,
                        "<td class=\"{}\">{} / {} <small>{}</small></td>",
                        class_name(&exercise.status),
                        exercise.points,
                        exercise.max_points,
                        words(&exercise.status)
                    );
                }
                None => out.push_str("<td>not graded</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr><th scope=\"row\">passed by</th><td></td>");
    for column in &class.columns {
        let _ = write!(
            out,
            "<td class=\"num\">{} of {}</td>",
            column.passed, column.graded
        );
    }
    out.push_str("</tr>\n</table>\n");
}

/// The checks that failed most, each with its most common diagnoses.
fn most_failed(out: &mut String, class: &Class) {
    out.push_str("<h2 id=\"failed\">Checks that failed most</h2>\n");
    if class.failures.is_empty() {
        out.push_str("<p>No check failed for anyone who reached it.</p>\n");
        return;
    }
    out.push_str("<ol class=\"failures\">\n");
    for failure in &class.failures {
        let _ = write!(
            out,
            "<li><h3>{} <code>{}</code>: failed for {} of {} learner{} who reached it</h3>\n\
             <table><tr><th>learners</th><th>outcome</th><th>diagnosis (first seen)</th><th>who</th></tr>\n",
            escape(&failure.exercise),
            escape(&failure.check),
            failure.count,
            failure.reached,
            plural(failure.reached)
        );
        for diagnosis in failure.diagnoses.iter().take(DIAGNOSES_SHOWN) {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"msg\">{}</td><td>{}</td></tr>",
                diagnosis.count,
                words(&diagnosis.outcome),
                escape(&diagnosis.example),
                escape(&diagnosis.learners.join(", "))
            );
        }
        let rest: usize = failure
            .diagnoses
            .iter()
            .skip(DIAGNOSES_SHOWN)
            .map(|d| d.count)
            .sum();
        if rest > 0 {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{rest}</td><td colspan=\"3\">other diagnoses</td></tr>"
            );
        }
        out.push_str("</table></li>\n");
    }
    out.push_str("</ol>\n");
}

/// Every check of every exercise, per learner, folded away by exercise.
fn checks(out: &mut String, class: &Class) {
    out.push_str("<h2 id=\"checks\">Every check</h2>\n");
    for column in &class.columns {
        let _ = write!(
            out,
            "<details><summary>{} ({}): passed by {} of {}</summary>\n<table><tr><th>learner</th>",
            escape(&column.id),
            escape(&column.title),
            column.passed,
            column.graded
        );
        for name in &column.checks {
            let _ = write!(out, "<th>{}</th>", escape(name));
        }
        out.push_str("</tr>\n");
        for learner in class.learners {
            let exercise = class.cell(learner, &column.id);
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&learner.name));
            for name in &column.checks {
                match exercise.and_then(|e| summary::check(e, name)) {
                    Some(check) => {
                        let _ = write!(
                            out,
                            "<td class=\"{}\" title=\"{}\">{}</td>",
                            class_name(&check.outcome),
                            escape(&check.message),
                            words(&check.outcome)
                        );
                    }
                    None => out.push_str("<td></td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table></details>\n");
    }
}

/// An outcome as a CSS class: only the known ones, so a report cannot
/// inject markup through it.
fn class_name(outcome: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "passed",
        "failed",
        "not_started",
        "build_error",
        "panicked",
        "timed_out",
        "crashed",
        "inconclusive",
        "skipped",
    ];
    KNOWN.into_iter().find(|k| *k == outcome).unwrap_or("other")
}

/// `not_started` as `not started`, escaped.
fn words(outcome: &str) -> String {
    escape(&outcome.replace('_', " "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_report_is_escaped() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(class_name("passed\"><script>"), "other");
    }
}
