//! The subcommands beside plain grading: `list`, `hint`, `watch`, and for
//! teachers `class` and `gradescope-bundle`.

pub mod class;
pub mod gradescope_bundle;
pub mod hint;
pub mod list;
pub mod watch;
