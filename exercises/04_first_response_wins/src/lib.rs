//! # Exercise 04: first response wins
//!
//! The same file sits on several mirrors. Ask them all at once, keep the
//! first good answer, cancel the rest the moment it arrives, and give up
//! at a deadline. Read `README.md` beside this folder for the story and
//! what the checker verifies.

use std::time::Duration;

use lab::mirrors::{Download, Mirror, RaceError};

/// Asks every mirror of `mirrors` (there are at least two) for the file
/// with `mirror.fetch()`, all at once, and returns the first download that
/// succeeds. The other fetches are cancelled the moment it arrives.
///
/// - A mirror's error does not end the race while other mirrors may still
///   answer.
/// - If every mirror fails, return `RaceError::AllFailed` with their
///   errors as soon as the last one arrives.
/// - If no mirror has answered with the file when `deadline` has passed
///   since the call, return `RaceError::TimedOut`, exactly then.
pub async fn first_response(mirrors: &[Mirror], deadline: Duration) -> Result<Download, RaceError> {
    // Replace this line with your code. A first version may fetch from the
    // first mirror only: the checker will tell you what it sees.
    let _ = (mirrors, deadline);
    todo!()
}
