//! Learner text cut to a size a report can carry.
//!
//! What a learner's code printed can be as long as it likes; the file
//! reports (JUnit, Gradescope, HTML) keep its last part, which is where a
//! panic or a crash shows, and say plainly how much was cut.

use std::borrow::Cow;

/// The most characters of learner output a file report keeps per check.
pub const OUTPUT_CHARS: usize = 4000;

/// `text` if it has at most `max` characters; else its last `max`
/// characters after a line that says how many came before.
pub fn tail(text: &str, max: usize) -> Cow<'_, str> {
    let total = text.chars().count();
    if total <= max {
        return Cow::Borrowed(text);
    }
    let cut = total - max;
    let start = text
        .char_indices()
        .nth(cut)
        .map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!(
        "[output cut: the first {cut} of {total} characters are not shown]\n{}",
        &text[start..]
    ))
}

#[cfg(test)]
mod tests {
    use super::tail;

    /// Short text passes whole; long text keeps its end and says what was
    /// cut, counting characters, not bytes.
    #[test]
    fn long_output_keeps_its_end_and_says_so() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("exactly10!", 10), "exactly10!");
        let cut = tail("ééééé panicked", 8);
        assert_eq!(
            cut,
            "[output cut: the first 6 of 14 characters are not shown]\npanicked"
        );
    }
}
