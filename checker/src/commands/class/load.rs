//! Reading the JSON reports a class summary merges: one report per learner,
//! each written by `grade --submission DIR --format json` (schema 1).
//!
//! Only what the summary needs is read, and all of it is checked: a report
//! that is not JSON, has another schema, or lacks a field the summary shows
//! is refused with the file's name and the field, never half-counted.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// One learner's graded submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Learner {
    /// Who: the report's `learner` field when it has one, else the file's
    /// stem (`alice.json` is alice).
    pub name: String,
    /// The report it was read from.
    pub file: PathBuf,
    /// The exercises graded, in the report's order.
    pub exercises: Vec<Exercise>,
}

/// One exercise as a report tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// `02_three_fetches`.
    pub id: String,
    /// `Three fetches`.
    pub title: String,
    /// `passed`, `failed`, `not_started` or `build_error`.
    pub status: String,
    /// Points earned.
    pub points: u64,
    /// Points there are.
    pub max_points: u64,
    /// Its checks, in the grader's order.
    pub checks: Vec<Check>,
}

/// One check's outcome and diagnosis.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// `overlapping_waits`.
    pub name: String,
    /// `passed`, `failed`, `timed_out`, ...
    pub outcome: String,
    /// What the check saw: the diagnosis when it did not pass.
    pub message: String,
}

/// The schema version this summary reads.
const SCHEMA: u64 = 1;

/// Reads every report, in the order given. The first unreadable or
/// malformed one stops everything with its file named: a class summary
/// that silently left a learner out would mislead.
pub fn all(files: &[PathBuf]) -> Result<Vec<Learner>> {
    if files.is_empty() {
        bail!(
            "`class` needs at least one JSON report (from `grade --submission DIR --format json`)"
        );
    }
    let mut learners = files
        .iter()
        .map(|file| one(file))
        .collect::<Result<Vec<_>>>()?;
    disambiguate(&mut learners);
    Ok(learners)
}

/// Reads one report.
pub fn one(file: &Path) -> Result<Learner> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the report {}", file.display()))?;
    let json: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a JSON report: write it with `grade --submission DIR --format json`",
            file.display()
        )
    })?;
    parse(&json, file)
        .with_context(|| format!("{} is not a report this checker reads", file.display()))
}

/// The learner in a parsed report.
fn parse(json: &Value, file: &Path) -> Result<Learner> {
    match json.get("schema").and_then(Value::as_u64) {
        Some(SCHEMA) => {}
        Some(other) => bail!("its schema is {other}; this checker reads schema {SCHEMA}"),
        None => bail!("it has no `schema` number"),
    }
    let name = match json.get("learner").and_then(Value::as_str) {
        Some(name) if !name.trim().is_empty() => name.trim().to_string(),
        _ => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string()),
    };
    let exercises = array(json, "exercises", "the report")?
        .iter()
        .map(exercise)
        .collect::<Result<Vec<_>>>()?;
    Ok(Learner {
        name,
        file: file.to_path_buf(),
        exercises,
    })
}

fn exercise(json: &Value) -> Result<Exercise> {
    let id = text(json, "id", "an exercise")?;
    let within = format!("exercise {id}");
    Ok(Exercise {
        title: text(json, "title", &within)?,
        status: text(json, "status", &within)?,
        points: number(json, "points", &within)?,
        max_points: number(json, "max_points", &within)?,
        checks: array(json, "checks", &within)?
            .iter()
            .map(|c| check(c, &within))
            .collect::<Result<Vec<_>>>()?,
        id,
    })
}

fn check(json: &Value, within: &str) -> Result<Check> {
    let name = text(json, "name", &format!("a check of {within}"))?;
    let within = format!("check {name} of {within}");
    Ok(Check {
        outcome: text(json, "outcome", &within)?,
        message: text(json, "message", &within)?,
        name,
    })
}

fn text(json: &Value, field: &str, within: &str) -> Result<String> {
    match json.get(field).and_then(Value::as_str) {
        Some(value) => Ok(value.to_string()),
        None => bail!("{within} has no `{field}` text"),
    }
}

fn number(json: &Value, field: &str, within: &str) -> Result<u64> {
    match json.get(field).and_then(Value::as_u64) {
        Some(value) => Ok(value),
        None => bail!("{within} has no `{field}` number"),
    }
}

fn array<'a>(json: &'a Value, field: &str, within: &str) -> Result<&'a Vec<Value>> {
    match json.get(field).and_then(Value::as_array) {
        Some(value) => Ok(value),
        None => bail!("{within} has no `{field}` list"),
    }
}

/// Two reports of the same name (`alice/report.json`, `bob/report.json`)
/// are told apart by their folder, so no row of the summary stands for two
/// learners.
fn disambiguate(learners: &mut [Learner]) {
    let names: Vec<String> = learners.iter().map(|l| l.name.clone()).collect();
    for learner in learners.iter_mut() {
        if names.iter().filter(|n| **n == learner.name).count() > 1 {
            learner.name = learner.file.display().to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(learner: Option<&str>) -> Value {
        let mut json = serde_json::json!({
            "schema": 1, "seed": 7, "sandbox": "none",
            "summary": {"exercises": 1, "passed": 0, "points": 0, "max_points": 10},
            "exercises": [{
                "id": "02_three_fetches", "title": "Three fetches", "model": "async",
                "subject": "exercises/02_three_fetches", "status": "failed",
                "points": 0, "max_points": 10,
                "checks": [{"name": "overlapping_waits", "about": "", "outcome": "failed",
                            "message": "the waits ran one after another", "duration_ms": 3}]
            }]
        });
        if let Some(name) = learner {
            json["learner"] = name.into();
        }
        json
    }

    /// The learner's name comes from the report, else from the file stem.
    #[test]
    fn the_name_comes_from_the_report_or_the_file() {
        let named = parse(&report(Some("Ada")), Path::new("x/alice.json")).unwrap();
        assert_eq!(named.name, "Ada");
        let unnamed = parse(&report(None), Path::new("x/alice.json")).unwrap();
        assert_eq!(unnamed.name, "alice");
        assert_eq!(unnamed.exercises[0].checks[0].outcome, "failed");
        assert_eq!(unnamed.exercises[0].max_points, 10);
    }

    /// A missing field is named, with where it is missing.
    #[test]
    fn a_missing_field_is_named() {
        let mut json = report(None);
        json["exercises"][0]["checks"][0]
            .as_object_mut()
            .unwrap()
            .remove("outcome");
        let err = parse(&json, Path::new("a.json")).unwrap_err().to_string();
        assert!(
            err.contains("`outcome`") && err.contains("overlapping_waits"),
            "{err}"
        );
        let mut json = report(None);
        json["schema"] = 2.into();
        let err = parse(&json, Path::new("a.json")).unwrap_err().to_string();
        assert!(err.contains("schema is 2"), "{err}");
    }

    /// Same stems in different folders become the paths, so two learners
    /// never share a row.
    #[test]
    fn same_names_are_told_apart_by_path() {
        let mut learners = vec![
            parse(&report(None), Path::new("alice/report.json")).unwrap(),
            parse(&report(None), Path::new("bob/report.json")).unwrap(),
            parse(&report(None), Path::new("carol.json")).unwrap(),
        ];
        disambiguate(&mut learners);
        let names: Vec<&str> = learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["alice/report.json", "bob/report.json", "carol"]);
    }
}
