//! The catalogue: the ordered list of exercises, read from `catalogue.toml`.
//!
//! It is data so that adding an exercise touches no checker code: one entry
//! here, one crate each in `exercises/` and `solutions/`, one grader crate
//! in `checker/graders/`, and its fixtures (see CONTRIBUTING.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The width of the exercise-name column in reports: room for the longest
/// label of the course with a space to spare. A fixed number, so that
/// adding an exercise changes no other exercise's report.
pub const LABEL_WIDTH: usize = 28;

impl Exercise {
    /// The deadline of each of its checks, given the checker's `--timeout`.
    pub fn check_deadline(&self, timeout: std::time::Duration) -> std::time::Duration {
        self.timeout.map_or(timeout, |secs| {
            timeout.max(std::time::Duration::from_secs(secs))
        })
    }
}

/// Where the grader crates are, one folder per exercise id.
pub const GRADERS: &str = "checker/graders";

/// One exercise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Folder name, such as `02_three_fetches`, of its exercise, solution
    /// and grader crates.
    pub id: String,
    /// Human title, such as `Three fetches`.
    pub title: String,
    /// The model the grader proves, in a few words.
    pub model: String,
    /// Points for passing every check.
    pub points: u32,
    /// What a hang most likely means in this exercise.
    pub timeout_hint: String,
    /// Seconds each check of this exercise may run, for an exercise whose
    /// correct solution needs long on a busy machine (a server with a
    /// thousand clients): the larger of this and `--timeout` applies.
    #[serde(default)]
    pub timeout: Option<u64>,
    /// Hints in their general order, gentle first. Each may name the checks
    /// it helps with, so `hint` can answer the check that fails.
    pub hints: Vec<Hint>,
}

/// One hint, and the checks it helps with.
///
/// In `catalogue.toml` a hint is either a plain string or a table with
/// `text` and `checks`, written as `[[exercise.hints]]`. Both shapes fill
/// the one `hints` array, so an entry in the plain form stays valid and
/// tools that count an exercise's hints need not know which shape it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// What the learner reads.
    pub text: String,
    /// Names of the checks this hint helps pass. Empty: a general hint. A
    /// name the grader does not have (a check renamed or not yet written)
    /// only means the hint is never picked for it.
    pub checks: Vec<String>,
}

impl Hint {
    /// Whether this hint helps with the check called `check`.
    pub fn helps_with(&self, check: &str) -> bool {
        self.checks.iter().any(|c| c == check)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TiedHint {
    text: String,
    #[serde(default)]
    checks: Vec<String>,
}

/// Reads either shape. Written by hand rather than as an untagged enum so
/// that a mistake in a table (`chekcs = [...]`) is reported as that field,
/// not as "did not match any variant".
impl<'de> Deserialize<'de> for Hint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shapes;
        impl<'de> serde::de::Visitor<'de> for Shapes {
            type Value = Hint;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a hint: a string, or a table with `text` and `checks`")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Hint, E> {
                Ok(Hint {
                    text: text.to_string(),
                    checks: Vec::new(),
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Hint, A::Error> {
                let TiedHint { text, checks } =
                    TiedHint::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Hint { text, checks })
            }
        }
        deserializer.deserialize_any(Shapes)
    }
}

impl Exercise {
    /// The two-digit number at the front of the id.
    pub fn number(&self) -> &str {
        self.id.split('_').next().unwrap_or(&self.id)
    }

    /// The folder of its grader crate among the graders in `graders`
    /// (usually `<root>/checker/graders`).
    pub fn grader_dir(&self, graders: &Path) -> PathBuf {
        graders.join(&self.id)
    }

    /// `02 three fetches`: how reports name the exercise.
    pub fn label(&self) -> String {
        format!("{} {}", self.number(), self.title.to_lowercase())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    exercise: Vec<Exercise>,
}

/// Reads the catalogue at `path`.
pub fn load(path: &Path) -> Result<Vec<Exercise>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the catalogue {}", path.display()))?;
    let file: File = toml::from_str(&text)
        .with_context(|| format!("the catalogue {} is not valid", path.display()))?;
    if file.exercise.is_empty() {
        bail!("the catalogue {} lists no exercises", path.display());
    }
    for e in &file.exercise {
        if let Err(why) = check_hints(e) {
            bail!("the catalogue {}: exercise {}: {why}", path.display(), e.id);
        }
    }
    Ok(file.exercise)
}

/// What makes an exercise's hints usable: at least one, none empty, and
/// check names shaped like a grader's (`snake_case`). Whether the grader
/// has those checks is not known without building it; a name it lacks is
/// harmless (see [`Hint::checks`]).
fn check_hints(exercise: &Exercise) -> Result<(), String> {
    if exercise.hints.is_empty() {
        return Err("it has no hints".into());
    }
    for (i, hint) in exercise.hints.iter().enumerate() {
        if hint.text.trim().is_empty() {
            return Err(format!("hint {} has no text", i + 1));
        }
        if let Some(bad) = hint.checks.iter().find(|c| !is_check_name(c)) {
            return Err(format!(
                "hint {} names the check `{bad}`; check names are snake_case, like `never_blocks`",
                i + 1
            ));
        }
    }
    Ok(())
}

fn is_check_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Finds exercises by number (`2`, `02`), full id (`02_three_fetches`),
/// title word or unique prefix of the id's name part (`three`).
pub fn select<'a>(all: &'a [Exercise], wanted: &str) -> Result<&'a Exercise> {
    let want = wanted.trim().to_lowercase().replace(['-', ' '], "_");
    let by_number = want.parse::<u32>().ok().and_then(|n| {
        all.iter()
            .find(|e| e.number().parse::<u32>().ok() == Some(n))
    });
    if let Some(exercise) = by_number {
        return Ok(exercise);
    }
    if let Some(exact) = all.iter().find(|e| e.id == want) {
        return Ok(exact);
    }
    let matches: Vec<&Exercise> = all
        .iter()
        .filter(|e| {
            let name = e.id.split_once('_').map_or(e.id.as_str(), |(_, n)| n);
            e.id.starts_with(&want) || name.starts_with(&want)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => match closest(all, &want) {
            Some(near) => bail!(
                "no exercise is called `{wanted}`; did you mean {}? Name it by its number, `{}`, \
                 or by any of these:\n{}",
                near.label(),
                near.number(),
                listing(all)
            ),
            None => bail!(
                "no exercise is called `{wanted}`. The exercises are:\n{}",
                listing(all)
            ),
        },
        many => bail!(
            "`{wanted}` could mean {}. Say which one:\n{}",
            many.iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            listing(all)
        ),
    }
}

/// The exercise whose name `want` most likely misspells, if one is close
/// enough: compared with the name (`three_fetches`), each of its words and
/// the start of the name as long as `want`, so a typo in a prefix (`thee`)
/// counts as well as one in a whole word (`fetchs`). Allowed edits grow
/// with the length of `want`: one per three letters, so short guesses
/// (`x`) suggest nothing.
fn closest<'a>(all: &'a [Exercise], want: &str) -> Option<&'a Exercise> {
    let allowed = want.chars().count() / 3;
    all.iter()
        .map(|e| {
            let name = e.id.split_once('_').map_or(e.id.as_str(), |(_, n)| n);
            let prefix: String = name.chars().take(want.chars().count()).collect();
            let distance = std::iter::once(name)
                .chain(name.split('_'))
                .chain(std::iter::once(prefix.as_str()))
                .map(|candidate| edit_distance(want, candidate))
                .min()
                .unwrap_or(usize::MAX);
            (distance, e)
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, e)| e)
}

/// Levenshtein distance: the fewest one-character insertions, deletions and
/// substitutions that turn `a` into `b`. Names are a few words long, so the
/// plain two-row dynamic programme is plenty.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

fn listing(all: &[Exercise]) -> String {
    all.iter()
        .map(|e| format!("  {:<24}{}", e.id, e.title))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Vec<Exercise> {
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue.toml")).unwrap()
    }

    /// Numbers, ids and unique prefixes all find the same exercise.
    #[test]
    fn selects_by_number_id_and_prefix() {
        let all = catalogue();
        for name in ["2", "02", "02_three_fetches", "three", "three-fetches"] {
            assert_eq!(select(&all, name).unwrap().id, "02_three_fetches", "{name}");
        }
        assert_eq!(select(&all, "blur").unwrap().id, "06_blur_in_parallel");
    }

    /// A name that matches nothing lists the valid ones.
    #[test]
    fn unknown_names_list_the_exercises() {
        let err = select(&catalogue(), "juggling").unwrap_err().to_string();
        assert!(err.contains("no exercise is called `juggling`"), "{err}");
        assert!(err.contains("02_three_fetches"), "{err}");
    }

    /// A misspelt name suggests the exercise it is closest to; a name far
    /// from every exercise suggests none.
    #[test]
    fn unknown_names_suggest_the_closest() {
        let all = catalogue();
        for typo in ["thee", "three_fetchs", "fetchs", "blurr_in", "parralel"] {
            let err = select(&all, typo).unwrap_err().to_string();
            let expected = if typo.contains("thee") || typo.contains("fetch") {
                "02 three fetches"
            } else {
                "06 blur in parallel"
            };
            assert!(
                err.contains(&format!(
                    "no exercise is called `{typo}`; did you mean {expected}?"
                )),
                "{err}"
            );
        }
        for far in ["juggling", "x", "zz"] {
            let err = select(&all, far).unwrap_err().to_string();
            assert!(!err.contains("did you mean"), "{far}: {err}");
        }
    }

    /// An exercise's own `timeout` lengthens its checks' deadline, never
    /// shortens it; without one, `--timeout` applies as given.
    #[test]
    fn an_exercise_timeout_only_lengthens_the_deadline() {
        let s = std::time::Duration::from_secs;
        let all = catalogue();
        let fetches = select(&all, "02").unwrap();
        assert_eq!(fetches.timeout, None);
        assert_eq!(fetches.check_deadline(s(20)), s(20));
        let mut long = fetches.clone();
        long.timeout = Some(45);
        assert_eq!(long.check_deadline(s(20)), s(45));
        assert_eq!(long.check_deadline(s(90)), s(90));
    }

    /// The edit distance counts insertions, deletions and substitutions.
    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("blur", "blur"), 0);
        assert_eq!(edit_distance("blur", "blurr"), 1);
        assert_eq!(edit_distance("three", "thre"), 1);
        assert_eq!(edit_distance("fetches", "fecthes"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    /// Hints may be plain strings (the old form) or tables naming checks;
    /// both fill the same list, in file order.
    #[test]
    fn hints_read_in_both_shapes() {
        let text = r#"
            [[exercise]]
            id = "99_x"
            title = "X"
            model = "m"
            points = 1
            timeout_hint = "t"
            hints = ["plain one", { text = "inline", checks = ["a_check"] }]

            [[exercise]]
            id = "98_y"
            title = "Y"
            model = "m"
            points = 1
            timeout_hint = "t"

            [[exercise.hints]]
            text = "tied"
            checks = ["right_answer", "fails_fast"]

            [[exercise.hints]]
            text = "general"
        "#;
        let file: File = toml::from_str(text).unwrap();
        let [x, y] = file.exercise.as_slice() else {
            panic!("two exercises")
        };
        assert_eq!(x.hints[0].text, "plain one");
        assert!(x.hints[0].checks.is_empty());
        assert!(x.hints[1].helps_with("a_check"));
        assert_eq!(y.hints[0].checks, ["right_answer", "fails_fast"]);
        assert_eq!(y.hints[1].text, "general");
        assert!(y.hints[1].checks.is_empty());
    }

    /// A hint with no text or a check name that is not snake_case is a
    /// mistake in the catalogue, caught when it is read.
    #[test]
    fn malformed_hints_are_refused() {
        let with = |hint: &str| {
            let text = format!(
                "[[exercise]]\nid = \"99_x\"\ntitle = \"X\"\nmodel = \"m\"\npoints = 1\n\
                 timeout_hint = \"t\"\nhints = [{hint}]\n"
            );
            let file: File = toml::from_str(&text).unwrap();
            check_hints(&file.exercise[0])
        };
        assert!(with(r#""fine""#).is_ok());
        assert!(with(r#"{ text = "fine", checks = ["never_blocks"] }"#).is_ok());
        assert!(with(r#""  ""#).is_err());
        assert!(with(r#"{ text = "x", checks = ["Never Blocks"] }"#).is_err());
        assert!(with(r#"{ text = "x", checks = [""] }"#).is_err());
        assert!(with("").is_err());
        let typo = "[[exercise]]\nid = \"99_x\"\ntitle = \"X\"\nmodel = \"m\"\npoints = 1\n\
                    timeout_hint = \"t\"\nhints = [{ text = \"x\", chekcs = [] }]\n";
        let err = toml::from_str::<File>(typo).unwrap_err().to_string();
        assert!(err.contains("chekcs"), "{err}");
    }

    /// The course's hints: three per exercise, in a general order, each
    /// tied to at least one check by a well-formed name. (Which checks a
    /// grader has is known only by running it; a name it lacks is harmless.)
    #[test]
    fn course_hints_are_three_each_and_tied_to_checks() {
        for e in catalogue() {
            assert_eq!(e.hints.len(), 3, "{} has three hints", e.id);
            for hint in &e.hints {
                assert!(
                    !hint.checks.is_empty(),
                    "{}: {:?} names no check",
                    e.id,
                    hint.text
                );
            }
            check_hints(&e).unwrap();
        }
    }

    /// Every exercise has the crates the catalogue promises.
    #[test]
    fn every_entry_has_its_crates_and_grader() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for e in catalogue() {
            for dir in ["exercises", "solutions"] {
                assert!(
                    root.join(dir).join(&e.id).join("Cargo.toml").exists(),
                    "{dir}/{}",
                    e.id
                );
            }
            assert!(
                e.grader_dir(&root.join(GRADERS))
                    .join("Cargo.toml")
                    .exists(),
                "grader of {}",
                e.id
            );
        }
    }
}
