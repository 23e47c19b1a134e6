//! # Exercise 03: a thousand requests
//!
//! A thousand pages to fetch, each one mostly *waiting* for the server.
//! One thread can keep them all moving, but a good client keeps at most
//! `limit` of them in flight at once. Read `README.md` beside this folder
//! for the story and what the checker verifies.
//!
//! Your task: fill in `fetch_all` so that exactly `limit` fetches are in
//! flight whenever there is work left to start, and the results come back
//! in the order of `urls`.

use lab::urls::{Body, FetchError, UrlApi};

/// Fetches every URL of `urls` with `api.fetch(url)`, with never more than
/// `limit` fetches in flight at once (`limit` is at least 1), and returns
/// one result per URL, in the order of `urls`: `result[i]` is the answer for
/// `urls[i]`, whether a body or an error.
pub async fn fetch_all(
    api: &UrlApi,
    urls: &[String],
    limit: usize,
) -> Vec<Result<Body, FetchError>> {
    // Replace this line with your code. Awaiting one fetch after another
    // gives the right answer and is a fine first version: the checker will
    // tell you what it sees.
    let _ = (api, urls, limit);
    todo!()
}
