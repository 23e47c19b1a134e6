//! Learner text made safe to print on a terminal.
//!
//! Panic messages, captured output, thread names and compiler errors quote
//! the learner's code, and that code can print anything: an escape sequence
//! that clears the screen, moves the cursor over the verdict or rings the
//! bell. The human report passes every such piece of text through
//! [`controls`], so the learner sees `\x1b[2J` instead of a cleared screen.
//! (The JSON report needs none of this: JSON escapes control characters
//! itself.)

use std::borrow::Cow;

/// `text` with every control character written as an escape: ASCII ones as
/// `\x1b`, others as `\u{85}`. Newlines and tabs stay, as layout. Also
/// escaped: the Unicode marks that reorder the text after them (bidi
/// overrides and isolates), which could make a line read differently from
/// what it says.
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if c.is_ascii() {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::controls;

    /// Plain text, newlines and tabs pass unchanged (and uncopied).
    #[test]
    fn plain_text_is_untouched() {
        let text = "thread 'main' panicked at src/lib.rs:3:5:\n\tboom — ✗ 100 ms";
        assert!(matches!(controls(text), std::borrow::Cow::Borrowed(t) if t == text));
    }

    /// Escape sequences, the bell, carriage returns, DEL, C1 controls and
    /// bidi overrides are shown, not obeyed.
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(controls("\x1b[2Jgone"), "\\x1b[2Jgone");
        assert_eq!(controls("ding\x07"), "ding\\x07");
        assert_eq!(controls("passed\rfailed"), "passed\\x0dfailed");
        assert_eq!(controls("a\x7fb\x00"), "a\\x7fb\\x00");
        assert_eq!(controls("next\u{85}line"), "next\\u{85}line");
        assert_eq!(controls("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(controls("keep\n\tthis\x1b"), "keep\n\tthis\\x1b");
    }
}
