//! `cargo run -p bench`: how fast the course is graded on this machine,
//! every figure beside its goal, measured side by side in one run.
//!
//! | figure | what is timed | goal |
//! |---|---|---|
//! | cold | a fresh clone to its first full report (`cargo run -p checker`), crates already downloaded | ≤ 60 s |
//! | warm single | a re-grade after editing one exercise, for each of the twelve | ≤ 2 s |
//! | warm full | a re-grade of all twelve exercises, solved | ≤ 8 s |
//! | hang | grading a submission that deadlocks | ≤ 5 s |
//! | overhead | the checker against its harness binaries built and run by hand | ≤ 1.2× |
//! | speedups | the reference solutions of 06, 07, 08, 10 and 12, every core against one | ≥ 1.8× on 2 idle cores |
//!
//! `cargo run -p bench -- speedups` measures the speedups alone (about
//! twenty seconds on two cores): no clone, no cargo, only the reference
//! solutions linked into this binary, so it also runs where no toolchain
//! is installed.
//!
//! The checker's figures come from a fresh clone of this repository in a
//! temporary folder (its last commit, [`course`]); nothing in the
//! repository the bench runs from is changed. Each timed figure is the
//! least of [`RUNS`] runs, taken in turns with the figure it is compared
//! with: a busy machine can only make a run slower, so the least is the
//! run the rest of the machine disturbed least. The figures go into
//! `docs/performance.md` with the machine they came from.

mod course;
mod direct;
mod speedups;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use course::{Clone, expect_code};

/// Runs of each timed figure.
const RUNS: usize = 3;
/// The seed of every graded run, so each run grades the same inputs.
const SEED: &str = "1";
/// A submission that deadlocks, per kind of exercise: async, then parallel.
const HANGS: [(&str, &str); 2] = [
    ("02", "tests/fixtures/02_three_fetches/deadlock"),
    ("06", "tests/fixtures/06_blur_in_parallel/deadlock"),
];

/// One row of the table.
struct Figure {
    name: String,
    measured: String,
    goal: &'static str,
    met: bool,
}

fn main() {
    if let Err(err) = run() {
        eprintln!("error: {err:#}");
        std::process::exit(2);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => {}
        ["speedups"] => {
            println!("{}", machine());
            let figures = speedup_figures();
            print_table(&figures);
            return Ok(());
        }
        _ => anyhow::bail!(
            "usage: cargo run -p bench [-- speedups]\n\
             With no argument every figure is measured; `speedups` measures only the \
             reference solutions, one thread against every core."
        ),
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("the bench lives in the workspace")?
        .to_path_buf();
    let scratch = std::env::temp_dir().join(format!("course-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = measure(&root, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let figures = result?;
    print_table(&figures);
    Ok(())
}

fn measure(root: &Path, scratch: &Path) -> Result<Vec<Figure>> {
    println!("{}", machine());
    let mut figures = Vec::new();

    step(
        "cold: cloning the repository's last commit (uncommitted changes are not measured) \
         and running `cargo run -p checker` in the clone",
    );
    let clone = Clone::new(root, scratch)?;
    let (cold, output) = clone.checker(&[])?;
    expect_code("the first run", &output, &[0, 1])?;
    figures.push(seconds(
        "cold: fresh clone to the first full report",
        cold,
        60.0,
        "≤ 60 s",
    ));

    step("warm full: grading every solution, against the harnesses run by hand");
    let (_, output) = clone.checker(&["--solutions", "--seed", SEED])?;
    expect_code("grading the solutions", &output, &[0])?;
    let workspace = direct::solutions_workspace(&clone.root)?;
    let target = clone.root.join("target");
    let checker = std::fs::canonicalize(target.join("debug/checker"))?;
    let (mut full, mut bare, mut by_cargo) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (took, output) = clone.checker(&["--solutions", "--seed", SEED])?;
        expect_code("grading the solutions", &output, &[0])?;
        by_cargo.push(took);
        let mut command = std::process::Command::new(&checker);
        command.args(["--solutions", "--seed", SEED, "--color", "never"]);
        let (took, output) = clone.timed(command)?;
        expect_code("grading the solutions", &output, &[0])?;
        full.push(took);
        bare.push(direct::run_all(&workspace, &target, SEED)?);
    }
    let warm_full = least(&by_cargo);
    figures.push(seconds(
        "warm full: all twelve, solved",
        warm_full,
        8.0,
        "≤ 8 s",
    ));
    let ratio = least(&full).as_secs_f64() / least(&bare).as_secs_f64();
    figures.push(Figure {
        name: format!(
            "overhead: checker {} against harnesses by hand {}",
            secs(least(&full)),
            secs(least(&bare))
        ),
        measured: format!("{ratio:.2}x"),
        goal: "≤ 1.2x",
        met: ratio <= 1.2,
    });

    step("warm single: editing each solution in turn and grading it again");
    let mut singles = Vec::new();
    for n in 1..=12 {
        let number = format!("{n:02}");
        let folder = clone.solution_of(&number)?;
        // Graded alone once first: the harness of one exercise is built
        // once, as it is for a learner who grades it again and again.
        clone.checker(&["--solutions", &number, "--seed", SEED])?;
        let mut times = Vec::new();
        for run in 0..RUNS {
            clone.touch_source(&format!("{folder}/src/lib.rs"), run)?;
            let (took, output) = clone.checker(&["--solutions", &number, "--seed", SEED])?;
            expect_code(&format!("grading solution {number}"), &output, &[0])?;
            times.push(took);
        }
        singles.push((number, least(&times)));
    }
    let mut sorted: Vec<Duration> = singles.iter().map(|(_, d)| *d).collect();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let met = singles
        .iter()
        .filter(|(_, d)| d.as_secs_f64() <= 2.0)
        .count();
    figures.push(seconds(
        &format!("warm single: median of the twelve ({met} of 12 within 2 s)"),
        median,
        2.0,
        "≤ 2 s",
    ));
    for (number, took) in &singles {
        figures.push(seconds(
            &format!("  warm single {number}"),
            *took,
            2.0,
            "≤ 2 s",
        ));
    }

    step("hang: grading submissions that deadlock");
    for (number, fixture) in HANGS {
        let args = [number, "--subject", fixture, "--seed", SEED];
        let (_, output) = clone.checker(&args)?;
        expect_code("grading a deadlock", &output, &[1])?;
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let (took, output) = clone.checker(&args)?;
            expect_code("grading a deadlock", &output, &[1])?;
            times.push(took);
        }
        figures.push(seconds(
            &format!("hang: {fixture}"),
            least(&times),
            5.0,
            "≤ 5 s",
        ));
    }

    figures.extend(speedup_figures());
    Ok(figures)
}

/// The speedups of the reference solutions, one thread against every core.
fn speedup_figures() -> Vec<Figure> {
    step("speedups: the reference solutions, one thread against every core");
    let mut figures = Vec::new();
    for s in speedups::measure_all() {
        let ratio = s.ratio();
        figures.push(Figure {
            name: format!(
                "speedup {}: {} ({} against {} on {} threads)",
                s.exercise,
                s.what,
                secs(s.one_thread),
                secs(s.all_threads),
                s.threads
            ),
            measured: format!("{ratio:.2}x"),
            goal: "≥ 1.8x on 2 idle cores",
            met: ratio >= 1.8,
        });
    }
    figures
}

/// The least of `times`.
fn least(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn seconds(name: &str, took: Duration, goal: f64, text: &'static str) -> Figure {
    Figure {
        name: name.to_string(),
        measured: secs(took),
        goal: text,
        met: took.as_secs_f64() <= goal,
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

/// The table, in Markdown, to paste into `docs/performance.md`.
fn print_table(figures: &[Figure]) {
    println!("\n| figure | measured | goal | met |\n|---|---|---|---|");
    for f in figures {
        println!(
            "| {} | {} | {} | {} |",
            f.name,
            f.measured,
            f.goal,
            if f.met { "yes" } else { "**no**" }
        );
    }
    println!(
        "\nEach time is the least of {RUNS} runs; the speedups are the least of {} runs a side, \
         taken in turns.",
        speedups::RUNS
    );
}

/// The machine, in one line: cores, processor, system, toolchain.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown processor".into());
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .map_or(String::new(), |l| {
            format!(", load average {l} at the start")
        });
    format!(
        "Machine: {cores} cores ({cpu}), {} {}, {rustc}{load}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The least time is the figure; an empty list is zero, not a panic.
    #[test]
    fn least_takes_the_fastest_run() {
        let ms = Duration::from_millis;
        assert_eq!(least(&[ms(30), ms(10), ms(20)]), ms(10));
        assert_eq!(least(&[]), Duration::ZERO);
    }

    /// A figure is met at its goal, not only below it.
    #[test]
    fn a_figure_at_its_goal_is_met() {
        assert!(seconds("x", Duration::from_secs(2), 2.0, "≤ 2 s").met);
        assert!(!seconds("x", Duration::from_millis(2001), 2.0, "≤ 2 s").met);
    }
}
