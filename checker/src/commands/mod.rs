//! The subcommands beside plain grading: `list`, `hint` and `watch`.

pub mod hint;
pub mod list;
pub mod watch;
