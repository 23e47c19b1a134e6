//! The few styles every screen of the checker uses. anstream drops them
//! where colour is off (not a terminal, `NO_COLOR`, `--color never`).

use anstyle::{AnsiColor, Style};

/// Passed, done.
pub const GREEN: Style = AnsiColor::Green.on_default().bold();
/// Failed, build errors, crashes.
pub const RED: Style = AnsiColor::Red.on_default().bold();
/// Not started, inconclusive, stale.
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
/// Supporting detail.
pub const DIM: Style = Style::new().dimmed();
/// Headlines.
pub const BOLD: Style = Style::new().bold();
