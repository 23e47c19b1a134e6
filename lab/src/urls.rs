//! The URL API of exercise 03: many pages behind one slow server.
//!
//! Every page answers after a latency of its own, and a few answer with an
//! error status instead of a body. Fetching a page mostly *waits*, so one
//! thread can keep many fetches going, but a polite client never has more
//! than a fixed number in flight at once: the server (or your network) would
//! not thank it for a thousand at the same instant.
//!
//! Every call goes through a [`Recorder`], labelled with its URL, so the
//! checker can see how many fetches were in flight at each moment.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use lab::urls::UrlApi;
//! let api = UrlApi::demo();
//! let urls = api.urls();
//! assert_eq!(urls.len(), 1_000);
//! let first = api.fetch(&urls[0]).await.unwrap();
//! assert_eq!(first.url, urls[0]);
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::io::Recorder;

/// A page as the server returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The URL it was fetched from.
    pub url: String,
    /// Its text.
    pub text: String,
}

/// Why a fetch failed: the server answered with an error status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The URL that failed.
    pub url: String,
    /// The HTTP status the server answered with, such as 404 or 503.
    pub status: u16,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.url, self.status)
    }
}

impl std::error::Error for FetchError {}

/// One page the server knows: how long it takes and what it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its URL.
    pub url: String,
    /// How long the server takes to answer. Use whole milliseconds: the
    /// paused tokio clock rounds sleeps up to them.
    pub latency: Duration,
    /// 200 for a page that answers with its body; any other status makes
    /// [`UrlApi::fetch`] return a [`FetchError`] with that status.
    pub status: u16,
    /// The body's text, for a page that answers 200.
    pub text: String,
}

impl Page {
    /// The answer [`UrlApi::fetch`] gives for this page.
    pub fn answer(&self) -> Result<Body, FetchError> {
        if self.status == 200 {
            Ok(Body {
                url: self.url.clone(),
                text: self.text.clone(),
            })
        } else {
            Err(FetchError {
                url: self.url.clone(),
                status: self.status,
            })
        }
    }
}

/// How long an unknown URL takes to answer 404.
const UNKNOWN_LATENCY: Duration = Duration::from_millis(50);

#[derive(Debug)]
struct Inner {
    recorder: Recorder,
    pages: Vec<Page>,
    by_url: HashMap<String, usize>,
}

/// A simulated web server. Clones share the same pages and recorder, and
/// the API may be used from any thread.
#[derive(Debug, Clone)]
pub struct UrlApi {
    inner: Arc<Inner>,
}

impl UrlApi {
    /// A server that knows `pages`, logging every fetch to `recorder`.
    pub fn new(recorder: Recorder, pages: Vec<Page>) -> Self {
        let by_url = pages
            .iter()
            .enumerate()
            .map(|(i, page)| (page.url.clone(), i))
            .collect();
        UrlApi {
            inner: Arc::new(Inner {
                recorder,
                pages,
                by_url,
            }),
        }
    }

    /// A server to try your code on: 1,000 pages that take 50 to 250 ms
    /// each; a few of them answer 404 or 503. The same every time.
    pub fn demo() -> Self {
        let mut rng = fastrand::Rng::with_seed(3);
        let pages = (0..1_000)
            .map(|i| Page {
                url: format!("https://pages.example/{i:04}"),
                latency: Duration::from_millis(rng.u64(50..=250)),
                status: match i % 97 {
                    13 => 404,
                    71 => 503,
                    _ => 200,
                },
                text: format!("page {i}"),
            })
            .collect();
        Self::new(Recorder::new(), pages)
    }

    /// Every URL the server knows, in the order it was given them.
    pub fn urls(&self) -> Vec<String> {
        self.inner.pages.iter().map(|p| p.url.clone()).collect()
    }

    /// The pages the server knows, in the order it was given them.
    pub fn pages(&self) -> &[Page] {
        &self.inner.pages
    }

    /// The recorder that logs this server's fetches.
    pub fn recorder(&self) -> &Recorder {
        &self.inner.recorder
    }

    /// Fetches `url`: waits the page's latency, like a real request, then
    /// answers with its body or its error status. A URL the server does not
    /// know answers 404.
    pub async fn fetch(&self, url: &str) -> Result<Body, FetchError> {
        let page = self.inner.by_url.get(url).map(|&i| &self.inner.pages[i]);
        let latency = page.map_or(UNKNOWN_LATENCY, |p| p.latency);
        self.inner.recorder.wait(url, latency).await;
        match page {
            Some(page) => page.answer(),
            None => Err(FetchError {
                url: url.to_string(),
                status: 404,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, ms: u64, status: u16) -> Page {
        Page {
            url: url.into(),
            latency: Duration::from_millis(ms),
            status,
            text: format!("text of {url}"),
        }
    }

    /// A page answers after its latency, with its body or its status; an
    /// unknown URL answers 404.
    #[tokio::test(start_paused = true)]
    async fn pages_answer_after_their_latency() {
        let api = UrlApi::new(
            Recorder::new(),
            vec![page("a", 120, 200), page("b", 30, 503)],
        );
        let a = api.fetch("a").await.unwrap();
        assert_eq!(a.text, "text of a");
        assert_eq!(api.recorder().virtual_elapsed(), Duration::from_millis(120));
        let b = api.fetch("b").await.unwrap_err();
        assert_eq!(b.status, 503);
        assert_eq!(api.fetch("zzz").await.unwrap_err().status, 404);
        let labels: Vec<String> = api
            .recorder()
            .calls()
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, ["a", "b", "zzz"]);
    }

    /// The demo has 1,000 distinct URLs, some of which fail.
    #[test]
    fn the_demo_has_a_thousand_pages() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let api = runtime.block_on(async { UrlApi::demo() });
        let mut urls = api.urls();
        urls.dedup();
        assert_eq!(urls.len(), 1_000);
        assert!(api.pages().iter().any(|p| p.status != 200));
    }
}
