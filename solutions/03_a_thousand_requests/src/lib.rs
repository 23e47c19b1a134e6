//! # Exercise 03, solved: a thousand requests
//!
//! A thousand fetches of about 150 ms each take two and a half minutes one
//! after another, and about 150 ms all at once. Neither is what we want:
//! the first wastes the thread's ability to juggle, the second throws a
//! thousand requests at one server in the same instant. The middle way is
//! a fixed number of *slots*: `limit` fetches in flight, and the moment one
//! finishes, the next URL takes its slot. With `limit` slots kept busy, the
//! total time is about the sum of the latencies divided by `limit`.

use futures::stream::{self, StreamExt};
use lab::urls::{Body, FetchError, UrlApi};

/// Fetches every URL with at most `limit` fetches in flight, keeping all
/// `limit` slots busy, and returns the results in the order of `urls`.
pub async fn fetch_all(
    api: &UrlApi,
    urls: &[String],
    limit: usize,
) -> Vec<Result<Body, FetchError>> {
    // A stream of futures, one per URL, each tagged with its position so
    // that we can put its result back in place later. Nothing runs yet: a
    // future only moves while something polls it.
    let fetches = stream::iter(urls.iter().enumerate())
        .map(|(i, url)| async move { (i, api.fetch(url).await) });

    // `buffer_unordered(limit)` polls up to `limit` of those futures at
    // once, on this task and this thread, and starts the next one the
    // moment *any* of them finishes. It hands results out in the order they
    // finish, which is what keeps every slot busy.
    //
    // Its sibling `buffered(limit)` hands results out in input order, but a
    // finished fetch then keeps its slot until every fetch before it has
    // finished too: one slow page leaves the other slots idle behind it.
    // So we take results as they come, and restore the order ourselves.
    // https://docs.rs/futures/latest/futures/stream/trait.StreamExt.html#method.buffer_unordered
    let mut finished = fetches.buffer_unordered(limit.max(1));

    // One place per URL. Every result goes to its own position, errors
    // included: a 404 for `urls[5]` belongs at `results[5]`, not dropped
    // and not shifted.
    let mut results: Vec<Option<Result<Body, FetchError>>> = vec![None; urls.len()];
    while let Some((i, result)) = finished.next().await {
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("buffer_unordered yields every fetch exactly once"))
        .collect()
}
