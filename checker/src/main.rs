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
mod outcome;
mod pipeline;
mod report;
mod run;
mod subject;

use std::process::ExitCode;

/// Every graded check passed.
pub const EXIT_ALL_PASSED: u8 = 0;
/// At least one check did not pass (failed, not started, build error, ...).
pub const EXIT_NOT_ALL_PASSED: u8 = 1;
/// The checker could not do its job: bad arguments, no cargo, unreadable
/// catalogue. The message says what to do.
pub const EXIT_USAGE_OR_ENVIRONMENT: u8 = 2;

fn main() -> ExitCode {
    let config = match cli::parse() {
        Ok(config) => config,
        Err(code) => return code,
    };
    match pipeline::run(&config) {
        Ok(true) => ExitCode::from(EXIT_ALL_PASSED),
        Ok(false) => ExitCode::from(EXIT_NOT_ALL_PASSED),
        Err(err) => {
            anstream::eprintln!("error: {err:#}");
            ExitCode::from(EXIT_USAGE_OR_ENVIRONMENT)
        }
    }
}
