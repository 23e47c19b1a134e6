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

/// Splits `text` into lines of at most `width` characters at spaces (a
/// single word longer than that gets a line of its own). Without a width
/// (not a terminal) the text stays one line, which suits logs and tests.
pub fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| *w >= 20) else {
        return vec![text.to_string()];
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    /// Lines break at spaces within the width; no width, no break.
    #[test]
    fn wraps_at_spaces() {
        let text = "the three fetches ran one after another: 600 ms of simulated waiting";
        assert_eq!(
            wrap(text, Some(30)),
            [
                "the three fetches ran one",
                "after another: 600 ms of",
                "simulated waiting"
            ]
        );
        assert_eq!(wrap(text, None), [text]);
    }
}
