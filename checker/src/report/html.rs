//! The HTML report: one self-contained page that a learner or a teacher
//! opens in a browser. No script and no outside resource: the style is
//! inline, the timelines are inline SVG ([`super::svg`]) and the checks'
//! pictures are embedded as `data:` URIs. Every piece of text that learner
//! code could have chosen (messages, output, thread names) is escaped.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use super::json::{CheckJson, Document, ExerciseJson};
use super::{cap, escape as terminal, svg};
use crate::outcome::Outcome;

/// The largest picture embedded; a larger one is only named.
const MAX_PICTURE_BYTES: u64 = 8 << 20;

/// Writes `document` as one HTML page; relative picture paths are read
/// from under `root`.
pub fn write(document: &Document<'_>, root: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    let summary = &document.summary;
    let noun = if summary.exercises == 1 {
        "exercise"
    } else {
        "exercises"
    };
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Checker report: {} of {} {noun} passed</title><style>{STYLE}</style></head><body><main>\
         <header><h1>Checker report</h1><p class=\"totals\"><b>{}</b> of <b>{}</b> {noun} passed \
         every check · <b>{}</b> of <b>{}</b> points</p><p class=\"meta\">seed {} · sandbox {}</p>",
        summary.passed,
        summary.exercises,
        summary.passed,
        summary.exercises,
        summary.points,
        summary.max_points,
        document.seed,
        escape(document.sandbox)
    );
    if let Some(submission) = &document.submission {
        let _ = write!(
            page,
            "<p class=\"meta\">submission <code>{}</code>",
            escape(&submission.dir)
        );
        if let Some(graders) = &submission.graders {
            let _ = write!(page, " · graders <code>{}</code>", escape(graders));
        }
        page.push_str("</p>");
        if !submission.ignored.is_empty() {
            let _ = write!(
                page,
                "<details class=\"ignored\"><summary>{} file(s) of the submission were ignored</summary><ul>",
                submission.ignored.len()
            );
            for file in &submission.ignored {
                let _ = write!(page, "<li><code>{}</code></li>", escape(file));
            }
            page.push_str("</ul></details>");
        }
    }
    page.push_str("</header>");
    overview(&mut page, document);
    for exercise in &document.exercises {
        section(&mut page, exercise, root);
    }
    page.push_str("</main></body></html>\n");
    out.write_all(page.as_bytes())
}

/// The table of exercises at the top, each linking to its section.
fn overview(page: &mut String, document: &Document<'_>) {
    page.push_str(
        "<table class=\"overview\"><thead><tr><th>Exercise</th><th>Status</th>\
         <th>Checks passed</th><th>Points</th></tr></thead><tbody>",
    );
    for exercise in &document.exercises {
        let passed = exercise
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Passed)
            .count();
        let _ = write!(
            page,
            "<tr><td><a href=\"#{id}\">{label}</a></td><td>{badge}</td><td>{passed} / {total}</td>\
             <td>{points} / {max}</td></tr>",
            id = escape(exercise.id),
            label = escape(&label(exercise)),
            badge = badge(exercise.status),
            total = exercise.checks.len(),
            points = exercise.points,
            max = exercise.max_points,
        );
    }
    page.push_str("</tbody></table>");
}

/// One exercise: its heading, its model and each of its checks.
fn section(page: &mut String, exercise: &ExerciseJson<'_>, root: &Path) {
    let _ = write!(
        page,
        "<section class=\"exercise\" id=\"{}\"><h2>{} {}</h2>\
         <p class=\"model\">Model proved: {}</p><p class=\"meta\">graded crate <code>{}</code> · \
         {} of {} points</p>",
        escape(exercise.id),
        escape(&label(exercise)),
        badge(exercise.status),
        escape(exercise.model),
        escape(&exercise.subject),
        exercise.points,
        exercise.max_points
    );
    for check in &exercise.checks {
        self::check(page, check, root);
    }
    page.push_str("</section>");
}

/// One check, open: outcome, what it proves, the diagnosis, its evidence,
/// its timeline, its pictures and the learner's output.
fn check(page: &mut String, check: &CheckJson<'_>, root: &Path) {
    let _ = write!(
        page,
        "<details open class=\"check {class}\"><summary><span class=\"mark\">{mark}</span> \
         <code class=\"name\">{name}</code> {badge}</summary>",
        class = class(check.outcome),
        mark = mark(check.outcome),
        name = escape(check.name),
        badge = badge(check.outcome),
    );
    if !check.about.is_empty() {
        let _ = write!(page, "<p class=\"about\">{}</p>", escape(check.about));
    }
    // A message of several lines quotes the compiler or the learner's
    // output, aligned in columns: kept in a fixed-width font.
    let tag = if check.message.contains('\n') {
        "pre"
    } else {
        "p"
    };
    let _ = write!(
        page,
        "<{tag} class=\"message\">{}</{tag}>",
        escape(check.message)
    );
    if !check.details.is_empty() {
        page.push_str("<ul class=\"details\">");
        for detail in check.details {
            let _ = write!(page, "<li>{}</li>", escape(detail));
        }
        page.push_str("</ul>");
    }
    if let Some(timeline) = check.timeline {
        let _ = write!(
            page,
            "<figure class=\"drawing\">{}</figure>",
            svg::timeline(timeline)
        );
    }
    if !check.artifacts.is_empty() {
        page.push_str("<div class=\"pictures\">");
        for artifact in check.artifacts {
            picture(page, artifact, root);
        }
        page.push_str("</div>");
    }
    if let Some(output) = check.output {
        let _ = write!(
            page,
            "<p class=\"label\">What the code printed (its end):</p><pre class=\"output\">{}</pre>",
            escape(&cap::tail(output, cap::OUTPUT_CHARS))
        );
    }
    let _ = write!(
        page,
        "<p class=\"time\">{} ms</p></details>",
        check.duration_ms
    );
}

/// A check's picture, embedded when it is a PNG that can be read.
fn picture(page: &mut String, path: &Path, root: &Path) {
    let full = root.join(path);
    let name = escape(&path.file_name().unwrap_or_default().to_string_lossy());
    let is_png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    let size = std::fs::metadata(&full).map(|m| m.len());
    let bytes = match size {
        Ok(size) if is_png && size <= MAX_PICTURE_BYTES => std::fs::read(&full).ok(),
        _ => None,
    };
    match bytes {
        Some(bytes) => {
            let _ = write!(
                page,
                "<figure class=\"picture\"><img alt=\"{name}\" src=\"data:image/png;base64,{}\">\
                 <figcaption>{name}</figcaption></figure>",
                base64(&bytes)
            );
        }
        None => {
            let _ = write!(
                page,
                "<p class=\"meta\">picture <code>{}</code> (not embedded: {})</p>",
                escape(&full.display().to_string()),
                match size {
                    Err(_) => "no longer on disk",
                    Ok(_) if !is_png => "not a PNG",
                    Ok(_) => "too large",
                }
            );
        }
    }
}

/// `02 Three fetches`.
fn label(exercise: &ExerciseJson<'_>) -> String {
    let number = exercise.id.split('_').next().unwrap_or(exercise.id);
    format!("{number} {}", exercise.title)
}

/// The outcome as a coloured label.
fn badge(outcome: Outcome) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        class(outcome),
        outcome.label()
    )
}

/// The CSS class of an outcome's colour.
fn class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "ok",
        Outcome::Failed | Outcome::BuildError => "bad",
        Outcome::Panicked | Outcome::TimedOut | Outcome::Crashed => "fault",
        Outcome::Inconclusive => "unsure",
        Outcome::NotStarted | Outcome::Skipped => "idle",
    }
}

/// The outcome as one sign, so it reads without colour too.
fn mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "✓",
        Outcome::NotStarted | Outcome::Skipped => "○",
        Outcome::Inconclusive => "?",
        _ => "✗",
    }
}

/// `text` safe inside HTML text and attribute values: markup characters
/// as entities, control characters shown as escapes (see
/// [`terminal::controls`]).
pub fn escape(text: &str) -> String {
    let shown = terminal::controls(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding, for `data:` URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's style: readable on screen and on paper, light or dark.
const STYLE: &str = include_str!("html.css");

#[cfg(test)]
mod tests {
    use super::{base64, escape, write};
    use crate::report::json::tests::document;

    /// The whole page: self-contained, the check's markup-laden message
    /// and long output escaped, the output cut and the cut said.
    #[test]
    fn a_page_is_whole_and_escapes_the_learner() {
        let output = format!("<script>{}</script>", "y".repeat(9_000));
        let details = vec!["detail <b>".to_string()];
        let mut page = Vec::new();
        write(
            &document(&output, &details),
            std::path::Path::new("/"),
            &mut page,
        )
        .unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("<script>") && !page.contains("detail <b>"));
        assert!(page.contains("detail &lt;b&gt;"));
        assert!(page.contains("your code panicked: &lt;boom&gt; &amp; &quot;bust&quot;"));
        assert!(page.contains("[output cut: the first 5017 of 9017 characters are not shown]"));
        assert!(page.contains("y&lt;/script&gt;</pre>"));
        assert!(page.contains("<span class=\"badge fault\">panicked</span>"));
    }

    /// The RFC 4648 test vectors.
    #[test]
    fn base64_matches_the_standard() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    /// Markup, quotes and terminal escapes in learner text stay text.
    #[test]
    fn learner_text_is_escaped() {
        assert_eq!(
            escape("<img src=x onerror=\"alert('1')\"> & \x1b[2J"),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; \\x1b[2J"
        );
    }
}
