//! Command-line arguments, turned into a validated [`Config`] in one place.
//! The rest of the checker never sees raw arguments.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::EXIT_USAGE_OR_ENVIRONMENT;

use crate::catalogue::{self, Exercise};
use crate::submission::Submission;

/// Seconds a check may run by default: far above what a correct solution
/// needs on a slow machine (under 2 s), low enough to end a hang soon.
const DEFAULT_TIMEOUT_SECS: u64 = 20;
/// Seconds the build may take by default: a first build of every
/// dependency on a slow laptop stays well under it, and a compiler that
/// never finishes is stopped.
const DEFAULT_BUILD_TIMEOUT_SECS: u64 = 900;

/// Grades the exercises: proves each answer right and made by the right model.
#[derive(Debug, Parser)]
#[command(name = "checker", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    grade: GradeArgs,

    /// When to use colour (also honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Grade the first unsolved exercise, then again each time you save it.
    Watch {
        #[command(flatten)]
        grade: GradeArgs,
    },
    /// Show the next hint for an exercise (the first unsolved one if none is
    /// named).
    Hint {
        /// The exercise, by number, name or unique prefix.
        exercise: Option<String>,
        /// Show every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// Grade a learner's submission for a teacher: from a pristine copy of
    /// this workspace, taking only the learner's exercises/*/src/**/*.rs.
    Grade {
        /// The root of the learner's copy of this workspace.
        #[arg(long, value_name = "DIR")]
        submission: PathBuf,
        /// Graders to use instead of checker/graders (the same layout: one
        /// crate per exercise), e.g. a teacher's private ones.
        #[arg(long, value_name = "DIR")]
        graders: Option<PathBuf>,
        #[command(flatten)]
        grade: GradeArgs,
    },
    /// Every exercise with its status and your progress, from the last
    /// results (nothing is rebuilt).
    List {
        /// List the results of the reference solutions instead.
        #[arg(long)]
        solutions: bool,
    },
    /// Merge many learners' JSON reports (each from `grade --submission DIR
    /// --format json`) into one class page: who passed what, and the checks
    /// that failed most with their most common diagnoses.
    Class {
        /// The learners' reports; a learner is named by the report's
        /// `learner` field, else by the file's stem.
        #[arg(required = true, value_name = "REPORT.json")]
        reports: Vec<PathBuf>,
        /// Write the class page here: one self-contained HTML file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Write the class grid here, as CSV.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Write the zip Gradescope's autograder expects: setup.sh,
    /// run_autograder and this workspace (committed files, dependencies
    /// vendored) so that grading runs offline.
    GradescopeBundle {
        /// Where to write the zip.
        #[arg(
            long,
            value_name = "FILE.zip",
            default_value = "gradescope-autograder.zip"
        )]
        out: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
struct GradeArgs {
    /// Exercises to grade, by number (02), name (02_three_fetches) or unique
    /// prefix (three). All of them when none is given.
    exercises: Vec<String>,

    /// Grade the reference solutions in solutions/ instead of exercises/.
    #[arg(long)]
    solutions: bool,

    /// Grade the crate in DIR as an exercise: `--subject DIR` with one
    /// exercise named, or `--subject 02=DIR`. May be repeated.
    #[arg(long, value_name = "[EXERCISE=]DIR")]
    subject: Vec<String>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Also write a report: FORMAT is json, junit, gradescope or html;
    /// PATH is a file (its folders are created), `-` or nothing for stdout.
    /// May be repeated; all are written from the one run.
    #[arg(long, value_name = "FORMAT[=PATH]")]
    report: Vec<String>,

    /// Seed for the generated inputs (printed in every report), to repeat a
    /// run exactly.
    #[arg(long)]
    seed: Option<u64>,

    /// Seconds each check may run before it is stopped (1 to 3600).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS)]
    timeout: u64,

    /// Seconds the build of the graded crates may take before it is
    /// stopped (1 to 86400).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BUILD_TIMEOUT_SECS)]
    build_timeout: u64,

    /// Grade everything N times (one build, the same seed) and report
    /// every check whose outcome changed between runs (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 1)]
    repeat: u32,

    /// Draw the timeline of passing checks too, not only of failing ones.
    #[arg(long)]
    timeline: bool,

    /// Draw timelines with plain ASCII characters.
    #[arg(long)]
    ascii: bool,
}

/// How the report is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    /// Readable text with colour on a terminal.
    Human,
    /// One JSON document on stdout, for CI (schema version 1).
    Json,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

/// A format of `--report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The JSON document of `--format json` (schema 1).
    Json,
    /// JUnit XML: one test suite per exercise, one test case per check.
    Junit,
    /// Gradescope's `results.json`.
    Gradescope,
    /// One self-contained HTML page.
    Html,
}

impl ReportFormat {
    /// Every format, as `--report` names them.
    const ALL: [(&'static str, ReportFormat); 4] = [
        ("json", ReportFormat::Json),
        ("junit", ReportFormat::Junit),
        ("gradescope", ReportFormat::Gradescope),
        ("html", ReportFormat::Html),
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(name, _)| name)
    }
}

/// One `--report`: a format and where it goes (`None`: stdout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    /// What is written.
    pub format: ReportFormat,
    /// The file, absolute; `None` for stdout.
    pub path: Option<PathBuf>,
}

/// Reads `--report FORMAT[=PATH]`.
fn report_target(spec: &str) -> anyhow::Result<ReportTarget> {
    let (name, path) = match spec.split_once('=') {
        Some((name, path)) => (name, path),
        None => (spec, "-"),
    };
    let Some(&(_, format)) = ReportFormat::ALL.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = ReportFormat::ALL.iter().map(|(n, _)| *n).collect();
        anyhow::bail!(
            "`--report {spec}`: unknown format `{name}`; write one of {} (then `=PATH` for a file)",
            names.join(", ")
        );
    };
    let path = match path {
        "-" => None,
        "" => anyhow::bail!(
            "`--report {spec}`: the path is empty; write `{name}=PATH`, or `{name}` for stdout"
        ),
        path => Some(std::path::absolute(path)?),
    };
    Ok(ReportTarget { format, path })
}

/// Reads every `--report` and refuses two on stdout (or one beside
/// `--format json`) and two into one file.
fn report_targets(specs: &[String], format: Format) -> anyhow::Result<Vec<ReportTarget>> {
    let targets: Vec<ReportTarget> = specs
        .iter()
        .map(|spec| report_target(spec))
        .collect::<anyhow::Result<_>>()?;
    let on_stdout: Vec<&str> = targets
        .iter()
        .filter(|t| t.path.is_none())
        .map(|t| t.format.name())
        .collect();
    if on_stdout.len() > 1 {
        anyhow::bail!(
            "only one report can go to stdout, and {} were sent there: give the others a file (`--report {}=PATH`)",
            on_stdout.join(" and "),
            on_stdout[1]
        );
    }
    if format == Format::Json && !on_stdout.is_empty() {
        anyhow::bail!(
            "`--format json` already writes to stdout: give the {} report a file (`--report {}=PATH`)",
            on_stdout[0],
            on_stdout[0]
        );
    }
    for (i, target) in targets.iter().enumerate() {
        if let Some(path) = &target.path
            && targets[..i].iter().any(|t| t.path.as_ref() == Some(path))
        {
            anyhow::bail!(
                "two reports would be written to {}: give each its own file",
                path.display()
            );
        }
    }
    Ok(targets)
}

/// Where the graded crates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `exercises/`, the learner's work.
    Exercises,
    /// `solutions/`, the reference solutions.
    Solutions,
}

impl Source {
    /// The workspace folder the crates are in; also the name under which
    /// their results and pictures are kept.
    pub fn folder(self) -> &'static str {
        match self {
            Source::Exercises => "exercises",
            Source::Solutions => "solutions",
        }
    }
}

/// What the checker was asked to do.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Grade and report.
    Grade,
    /// Grade the first unsolved exercise again on every save.
    Watch,
    /// Show hints.
    Hint {
        /// The exercise named, if any.
        exercise: Option<Exercise>,
        /// All hints at once.
        all: bool,
    },
    /// List statuses from the last results.
    List,
    /// Merge learners' reports into a class summary.
    Class {
        /// The reports.
        reports: Vec<PathBuf>,
        /// Where the HTML page goes.
        html: Option<PathBuf>,
        /// Where the CSV goes.
        csv: Option<PathBuf>,
    },
    /// Write the Gradescope autograder zip.
    GradescopeBundle {
        /// Where.
        out: PathBuf,
    },
}

/// How timelines are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Drawing {
    /// Under passing checks too.
    pub always: bool,
    /// ASCII instead of Unicode blocks.
    pub ascii: bool,
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to do.
    pub mode: Mode,
    /// Every exercise of the catalogue, in order.
    pub catalogue: Vec<Exercise>,
    /// How timelines are drawn.
    pub drawing: Drawing,
    /// The workspace root.
    pub root: PathBuf,
    /// Where cargo puts build output.
    pub target_dir: PathBuf,
    /// Where the checker keeps its harnesses, runs, pictures and state:
    /// `target/checker`, or `target/checker-<hash>` for another root that
    /// shares this target folder.
    pub checker_dir: PathBuf,
    /// The exercises to grade, in catalogue order.
    pub exercises: Vec<Exercise>,
    /// Where crates come from unless overridden.
    pub source: Source,
    /// Explicit subject crates by exercise id.
    pub overrides: Vec<(String, PathBuf)>,
    /// Report format.
    pub format: Format,
    /// The reports of `--report`, written when the run ends.
    pub reports: Vec<ReportTarget>,
    /// Seed for generated inputs.
    pub seed: u64,
    /// Deadline of each check.
    pub timeout: Duration,
    /// Deadline of the build.
    pub build_timeout: Duration,
    /// How many times everything is graded (`--repeat`).
    pub repeat: u32,
    /// The learner's submission, in `grade` mode: `root` is then its
    /// pristine copy.
    pub submission: Option<Submission>,
    /// Where the grader crates are: `<root>/checker/graders`, or a
    /// teacher's own given with `grade --graders`.
    pub graders: PathBuf,
}

/// Parses the command line. On `--help`, `--version` or a usage error, the
/// message is already printed and the exit code is returned.
pub fn parse() -> Result<Config, ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return Err(if err.use_stderr() {
                ExitCode::from(EXIT_USAGE_OR_ENVIRONMENT)
            } else {
                ExitCode::SUCCESS
            });
        }
    };
    anstream::ColorChoice::write_global(match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    });
    validate(cli).map_err(|err| {
        anstream::eprintln!("error: {err:#}");
        ExitCode::from(EXIT_USAGE_OR_ENVIRONMENT)
    })
}

/// Environment variable naming another copy of this workspace to grade
/// (its exercises, graders and catalogue), for tests and for teachers who
/// keep one checkout per learner.
pub const ENV_ROOT: &str = "CHECKER_ROOT";

/// The workspace this checker was built in (it lives in `<root>/checker`).
fn own_workspace() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where cargo builds: `CARGO_TARGET_DIR`, else `<root>/target`.
fn target_dir(root: &Path) -> anyhow::Result<PathBuf> {
    Ok(match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(PathBuf::from(dir))?,
        None => root.join("target"),
    })
}

/// The workspace root: `CHECKER_ROOT`, else the workspace this checker was
/// built in.
fn workspace_root() -> anyhow::Result<(PathBuf, bool)> {
    let own = own_workspace();
    match std::env::var_os(ENV_ROOT) {
        Some(root) => {
            let root = std::path::absolute(PathBuf::from(root))?;
            if !root.join("checker/catalogue.toml").is_file() {
                anyhow::bail!(
                    "{ENV_ROOT}={} is not a copy of this workspace: it has no checker/catalogue.toml",
                    root.display()
                );
            }
            let same = root == own;
            Ok((root, same))
        }
        None => Ok((own, true)),
    }
}

fn validate(cli: Cli) -> anyhow::Result<Config> {
    let (mut root, mut own_root) = workspace_root()?;
    let mut submission = None;
    if let Some(Command::Grade {
        submission: dir,
        graders,
        grade,
    }) = &cli.command
    {
        if grade.solutions || !grade.subject.is_empty() {
            anyhow::bail!("`grade` grades the submission: leave out --solutions and --subject");
        }
        // A teacher's grading never follows CHECKER_ROOT: the template is
        // the workspace this checker was built from.
        let template = own_workspace();
        let work = target_dir(&template)?.join("checker").join("submissions");
        let prepared = crate::submission::prepare(&template, dir, graders.as_deref(), &work)?;
        root = prepared.root.clone();
        own_root = false;
        submission = Some(prepared);
    }
    let all = catalogue::load(&root.join("checker/catalogue.toml"))?;
    let (mode, args) = match cli.command {
        None => (Mode::Grade, cli.grade),
        Some(Command::Grade { grade, .. }) => (Mode::Grade, grade),
        Some(Command::Watch { grade }) => (Mode::Watch, grade),
        Some(Command::Hint {
            exercise,
            all: every,
        }) => {
            let exercise = exercise
                .map(|name| catalogue::select(&all, &name).cloned())
                .transpose()?;
            (
                Mode::Hint {
                    exercise,
                    all: every,
                },
                GradeArgs::default(),
            )
        }
        Some(Command::List { solutions }) => (
            Mode::List,
            GradeArgs {
                solutions,
                ..GradeArgs::default()
            },
        ),
        Some(Command::Class { reports, html, csv }) => {
            (Mode::Class { reports, html, csv }, GradeArgs::default())
        }
        Some(Command::GradescopeBundle { out }) => {
            (Mode::GradescopeBundle { out }, GradeArgs::default())
        }
    };
    let cli = args;
    let reports = report_targets(&cli.report, cli.format)?;
    if matches!(mode, Mode::Watch) && !reports.is_empty() {
        anyhow::bail!(
            "`watch` writes no reports: run `checker --report ...` (or `checker grade`) instead"
        );
    }
    in_range("--repeat", u64::from(cli.repeat), 1..=1000)?;
    if cli.repeat > 1 && !matches!(mode, Mode::Grade) {
        anyhow::bail!("`--repeat` repeats grading: leave it out of `watch`");
    }
    if cli.repeat > 1 && (!reports.is_empty() || cli.format == Format::Json) {
        anyhow::bail!(
            "`--repeat` writes no reports: its result is which checks changed between runs, \
             printed as text. Grade once for a report."
        );
    }
    let mut named: Vec<&Exercise> = Vec::new();
    for name in &cli.exercises {
        let exercise = catalogue::select(&all, name)?;
        if !named.iter().any(|e| e.id == exercise.id) {
            named.push(exercise);
        }
    }

    let mut overrides = Vec::new();
    for spec in &cli.subject {
        let (exercise, dir) = match spec.split_once('=') {
            Some((name, dir)) if catalogue::select(&all, name).is_ok() => {
                (catalogue::select(&all, name)?, dir)
            }
            _ => match named.as_slice() {
                [one] => (*one, spec.as_str()),
                _ => anyhow::bail!(
                    "`--subject {spec}` does not say which exercise it is. Name exactly one \
                     exercise (`checker 02 --subject {spec}`) or write `--subject 02={spec}`."
                ),
            },
        };
        let dir = std::path::absolute(dir)?;
        if !dir.join("Cargo.toml").is_file() {
            anyhow::bail!(
                "`{}` holds no Cargo.toml: --subject needs the folder of a crate",
                dir.display()
            );
        }
        overrides.push((exercise.id.clone(), dir));
    }

    // Nothing named: every exercise, unless only --subject was given, which
    // then names its own.
    let exercises: Vec<Exercise> = if named.is_empty() && overrides.is_empty() {
        all.clone()
    } else {
        all.iter()
            .filter(|e| {
                named.iter().any(|n| n.id == e.id) || overrides.iter().any(|(id, _)| *id == e.id)
            })
            .cloned()
            .collect()
    };

    let target_dir = match &submission {
        Some(_) => target_dir(&own_workspace())?,
        None => target_dir(&root)?,
    };
    // Two checkouts may share one CARGO_TARGET_DIR (to share compiled
    // dependencies): each then keeps its harnesses, runs and results apart,
    // under a folder named for its root.
    let checker_dir = if own_root && target_dir == root.join("target") {
        target_dir.join("checker")
    } else {
        let hash = crate::stable_hash::StableHasher::new()
            .field(root.as_os_str().as_encoded_bytes())
            .hex();
        target_dir.join(format!("checker-{}", &hash[..8]))
    };
    in_range("--timeout", cli.timeout, 1..=3600)?;
    let graders = submission
        .as_ref()
        .and_then(|s| s.graders.clone())
        .unwrap_or_else(|| root.join(catalogue::GRADERS));
    in_range("--build-timeout", cli.build_timeout, 1..=86_400)?;
    Ok(Config {
        mode,
        catalogue: all.clone(),
        drawing: Drawing {
            always: cli.timeline,
            ascii: cli.ascii,
        },
        root,
        target_dir,
        checker_dir,
        exercises,
        source: if cli.solutions {
            Source::Solutions
        } else {
            Source::Exercises
        },
        overrides,
        format: cli.format,
        reports,
        seed: cli.seed.unwrap_or_else(|| fastrand::u64(1..1_000_000)),
        timeout: Duration::from_secs(cli.timeout),
        build_timeout: Duration::from_secs(cli.build_timeout),
        repeat: cli.repeat,
        graders,
        submission,
    })
}

/// Refuses a numeric option outside `range`, naming it.
fn in_range(option: &str, value: u64, range: std::ops::RangeInclusive<u64>) -> anyhow::Result<()> {
    if !range.contains(&value) {
        let unit = if option == "--repeat" { "" } else { " seconds" };
        anyhow::bail!(
            "{option} must be between {} and {}{unit}; {value} is not",
            range.start(),
            range.end()
        );
    }
    Ok(())
}

impl Default for GradeArgs {
    fn default() -> Self {
        GradeArgs {
            exercises: Vec::new(),
            solutions: false,
            subject: Vec::new(),
            format: Format::Human,
            report: Vec::new(),
            seed: None,
            timeout: DEFAULT_TIMEOUT_SECS,
            build_timeout: DEFAULT_BUILD_TIMEOUT_SECS,
            repeat: 1,
            timeline: false,
            ascii: false,
        }
    }
}

impl Config {
    /// The same configuration, grading only `exercises`.
    pub fn with_exercises(&self, exercises: Vec<Exercise>) -> Config {
        Config {
            exercises,
            ..self.clone()
        }
    }
}

impl Config {
    /// Whether cargo should draw its own progress on our terminal: for the
    /// human report when stderr is a terminal.
    pub fn cargo_progress_on_terminal(&self) -> bool {
        self.format == Format::Human && std::io::IsTerminal::is_terminal(&std::io::stderr())
    }

    /// Whether a `--report` takes stdout (the human report then goes to
    /// stderr).
    pub fn report_on_stdout(&self) -> bool {
        self.reports.iter().any(|r| r.path.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::{Format, ReportFormat, report_targets};

    fn specs(all: &[&str]) -> Vec<String> {
        all.iter().map(|s| s.to_string()).collect()
    }

    /// `FORMAT`, `FORMAT=-` and `FORMAT=PATH`: stdout, stdout, an absolute
    /// file.
    #[test]
    fn report_targets_name_a_format_and_a_place() {
        let targets = report_targets(
            &specs(&["junit=out/junit.xml", "html=-", "gradescope=/tmp/r.json"]),
            Format::Human,
        )
        .unwrap();
        let formats: Vec<ReportFormat> = targets.iter().map(|t| t.format).collect();
        assert_eq!(
            formats,
            [
                ReportFormat::Junit,
                ReportFormat::Html,
                ReportFormat::Gradescope
            ]
        );
        let junit = targets[0].path.as_ref().unwrap();
        assert!(junit.is_absolute() && junit.ends_with("out/junit.xml"));
        assert_eq!(targets[1].path, None);
        let json = report_targets(&specs(&["json"]), Format::Human).unwrap();
        assert_eq!(json[0].path, None);
    }

    /// What cannot be honoured is refused, saying why.
    #[test]
    fn impossible_report_targets_are_refused() {
        let refused = |all: &[&str], format: Format| {
            report_targets(&specs(all), format)
                .expect_err("refused")
                .to_string()
        };
        assert!(refused(&["json", "junit=-"], Format::Human).contains("only one report"));
        assert!(refused(&["html"], Format::Json).contains("`--format json` already"));
        assert!(refused(&["xml=a.xml"], Format::Human).contains("unknown format `xml`"));
        assert!(refused(&["json="], Format::Human).contains("the path is empty"));
        assert!(refused(&["json=a", "junit=a"], Format::Human).contains("two reports"));
        // A file beside `--format json` on stdout is fine.
        assert!(report_targets(&specs(&["json=a.json"]), Format::Json).is_ok());
    }
}
