//! `cargo run -p checker`: grades the exercises.
//!
//! This file only turns arguments into a configuration, runs the pipeline
//! and maps the result to an exit code. The pipeline lives in the modules,
//! one stage each, data flowing one way:
//!
//! catalogue → subject → build → run → collect → report

mod build;
mod catalogue;
mod cli;
mod collect;
mod commands;
mod interrupt;
mod outcome;
mod pipeline;
mod repeat;
mod report;
mod run;
mod sandbox;
mod stable_hash;
mod state;
mod subject;
mod submission;

use std::process::ExitCode;

/// Every graded check passed.
pub const EXIT_ALL_PASSED: u8 = 0;
/// At least one check did not pass (failed, not started, build error, ...).
pub const EXIT_NOT_ALL_PASSED: u8 = 1;
/// The checker could not do its job: bad arguments, no cargo, unreadable
/// catalogue. The message says what to do.
pub const EXIT_USAGE_OR_ENVIRONMENT: u8 = 2;
/// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let config = match cli::parse() {
        Ok(config) => config,
        Err(code) => return code,
    };
    interrupt::install();
    let result = match &config.mode {
        cli::Mode::Grade => pipeline::run(&config),
        cli::Mode::Watch => commands::watch::run(&config),
        cli::Mode::List => commands::list::run(&config),
        cli::Mode::Hint { exercise, all } => commands::hint::run(&config, exercise.as_ref(), *all),
        cli::Mode::Class { reports, html, csv } => {
            commands::class::run(reports, html.as_deref(), csv.as_deref())
        }
        cli::Mode::GradescopeBundle { out } => commands::gradescope_bundle::run(&config, out),
    };
    match result {
        _ if interrupt::requested() => {
            anstream::eprintln!("\nInterrupted. No check is left running.");
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Ok(true) => ExitCode::from(EXIT_ALL_PASSED),
        Ok(false) => ExitCode::from(EXIT_NOT_ALL_PASSED),
        Err(err) => {
            anstream::eprintln!("error: {err:#}");
            ExitCode::from(EXIT_USAGE_OR_ENVIRONMENT)
        }
    }
}
