//! # Exercise 04, solved: first response wins
//!
//! Asking several mirrors at once is concurrency put to a different use:
//! not to finish *all* the work sooner, but to take the *first* good
//! answer and throw the rest away. In async Rust, throwing work away is
//! simple and exact: a future that is dropped stops at once, at the
//! `.await` where it was waiting, and its request is cancelled. Nothing
//! keeps running in the background unless you spawned it there.

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use lab::mirrors::{Download, Mirror, RaceError};

/// Races every mirror; the first success wins, the rest are dropped.
pub async fn first_response(mirrors: &[Mirror], deadline: Duration) -> Result<Download, RaceError> {
    // The race itself, without the deadline. `FuturesUnordered` holds one
    // fetch per mirror, all in flight at once on this task, and hands out
    // each result the moment it arrives, fastest first.
    let race = async {
        let mut fetches: FuturesUnordered<_> = mirrors.iter().map(|m| m.fetch()).collect();
        let mut errors = Vec::new();
        while let Some(result) = fetches.next().await {
            match result {
                // The first success wins. Returning drops `fetches`, and
                // with it every fetch still waiting: that is the
                // cancellation, at the very instant the winner arrived.
                Ok(download) => return Ok(download),
                // One mirror failing says nothing about the others: note
                // the error and keep waiting for the rest.
                Err(error) => errors.push(error),
            }
        }
        // Every mirror answered, and every answer was an error.
        Err(RaceError::AllFailed(errors))
    };

    // `tokio::time::timeout` races the race against a timer on tokio's
    // clock. If the timer fires first, the race future is dropped (every
    // fetch in it cancelled) and we get `Err(Elapsed)`, exactly at the
    // deadline. A timer on another clock (a `std::thread::sleep` in some
    // thread) would not be the runtime's time at all.
    // https://docs.rs/tokio/latest/tokio/time/fn.timeout.html
    match tokio::time::timeout(deadline, race).await {
        Ok(result) => result,
        Err(_elapsed) => Err(RaceError::TimedOut),
    }
}
