//! Command-line arguments, turned into a validated [`Config`] in one place.
//! The rest of the checker never sees raw arguments.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::EXIT_USAGE_OR_ENVIRONMENT;
use crate::catalogue::{self, Exercise};

/// Grades the exercises: proves each answer right and made by the right model.
#[derive(Debug, Parser)]
#[command(name = "checker", version, about, long_about = None)]
struct Cli {
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

    /// Seed for the generated inputs (printed in every report), to repeat a
    /// run exactly.
    #[arg(long)]
    seed: Option<u64>,

    /// Seconds each check may run before it is stopped.
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    timeout: u64,

    /// When to use colour (also honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text with colour on a terminal.
    Human,
    /// One JSON document on stdout, for CI (schema version 1).
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Where the graded crates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `exercises/`, the learner's work.
    Exercises,
    /// `solutions/`, the reference solutions.
    Solutions,
}

/// A validated configuration.
#[derive(Debug)]
pub struct Config {
    /// The workspace root.
    pub root: PathBuf,
    /// Where cargo puts build output.
    pub target_dir: PathBuf,
    /// The exercises to grade, in catalogue order.
    pub exercises: Vec<Exercise>,
    /// Where crates come from unless overridden.
    pub source: Source,
    /// Explicit subject crates by exercise id.
    pub overrides: Vec<(String, PathBuf)>,
    /// Report format.
    pub format: Format,
    /// Seed for generated inputs.
    pub seed: u64,
    /// Deadline of each check.
    pub timeout: Duration,
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

/// The workspace root: the checker lives in `<root>/checker`.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn validate(cli: Cli) -> anyhow::Result<Config> {
    let root = workspace_root();
    let all = catalogue::load(&root.join("checker/catalogue.toml"))?;
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
        if !named.iter().any(|e| e.id == exercise.id) && !cli.exercises.is_empty() {
            named.push(exercise);
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

    let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(PathBuf::from(dir))?,
        None => root.join("target"),
    };
    if cli.timeout == 0 {
        anyhow::bail!("--timeout must be at least 1 second");
    }
    Ok(Config {
        root,
        target_dir,
        exercises,
        source: if cli.solutions { Source::Solutions } else { Source::Exercises },
        overrides,
        format: cli.format,
        seed: cli.seed.unwrap_or_else(|| fastrand::u64(1..1_000_000)),
        timeout: Duration::from_secs(cli.timeout),
    })
}
