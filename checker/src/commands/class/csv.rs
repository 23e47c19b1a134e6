//! The class summary as CSV, for a spreadsheet or a gradebook: one row per
//! learner with the points of each exercise and the outcome of each check.

use std::fmt::Write as _;

use super::summary::{self, Class};

/// The CSV text: a header, then one row per learner. The columns are
/// `learner`, `points`, `max_points`, one per exercise (its points, empty
/// when it was not graded), then one per check, `<exercise>/<check>` (its
/// outcome).
pub fn render(class: &Class) -> String {
    let mut header = vec!["learner".to_string(), "points".into(), "max_points".into()];
    header.extend(class.columns.iter().map(|c| c.id.clone()));
    for column in &class.columns {
        header.extend(
            column
                .checks
                .iter()
                .map(|check| format!("{}/{check}", column.id)),
        );
    }
    let mut out = String::new();
    line(&mut out, &header);
    for learner in class.learners {
        let mut row = vec![
            learner.name.clone(),
            summary::points(learner).to_string(),
            class.max_points().to_string(),
        ];
        for column in &class.columns {
            row.push(
                class
                    .cell(learner, &column.id)
                    .map(|e| e.points.to_string())
                    .unwrap_or_default(),
            );
        }
        for column in &class.columns {
            let exercise = class.cell(learner, &column.id);
            for name in &column.checks {
                row.push(
                    exercise
                        .and_then(|e| summary::check(e, name))
                        .map(|c| c.outcome.clone())
                        .unwrap_or_default(),
                );
            }
        }
        line(&mut out, &row);
    }
    out
}

fn line(out: &mut String, fields: &[String]) {
    let fields: Vec<String> = fields.iter().map(|f| field(f)).collect();
    let _ = write!(out, "{}\r\n", fields.join(","));
}

/// One field, quoted where RFC 4180 needs it. A field a spreadsheet would
/// take for a formula (`=`, `+`, `-`, `@` first) gets a `'` in front: a
/// learner's name is text the learner chose.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
