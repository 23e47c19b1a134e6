//! The library of exercise 11: a catalogue database that takes about 95 ms
//! to answer, and request slips that take about 5 ms of CPU to read.
//!
//! A reader asks where a book stands by sending one line, a *slip*:
//! `WHERE 1234`. Serving it costs what a web request costs:
//!
//! 1. [`Catalogue::read_slip`]: reading and checking the slip, pure CPU
//!    work on the calling thread (parsing, checking, routing: everything a
//!    real server computes per request), about 5 ms. It goes through the
//!    CPU probe of [`crate::cpu`], which logs the OS thread that read it and
//!    its CPU time (for this kernel a [`crate::cpu::KernelCall`]'s `item`
//!    is the book's number);
//! 2. [`Catalogue::find`]: asking the database, about 95 ms of *waiting* on
//!    tokio's timer, the real clock. No CPU is needed meanwhile. Each query
//!    is logged as a [`QueryRecord`]: when it started and ended, on which
//!    OS thread, and how many were waiting at once.
//!
//! The reply is one line: the [`Reply`] (or the [`BadSlip`]) written with
//! `Display`, then `\n`.
//!
//! [`Catalogue::find_blocking`] is the old synchronous database client: it
//! waits with `std::thread::sleep`, holding its thread for the whole wait.
//!
//! ```
//! use lab::catalogue::Catalogue;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let catalogue = Catalogue::new([(7, "C-12".to_string())], 1_000, std::time::Duration::from_millis(5));
//! let query = catalogue.read_slip("WHERE 7").unwrap();
//! assert_eq!(catalogue.find(query).await.to_string(), "BOOK 7 SHELF C-12");
//! let query = catalogue.read_slip("WHERE 8").unwrap();
//! assert_eq!(catalogue.find(query).await.to_string(), "BOOK 8 MISSING");
//! assert_eq!(catalogue.read_slip("WHO 8").unwrap_err().to_string(), "ERROR expected WHERE <book number>");
//! # });
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::cpu::{self, Job};
use crate::io::lock;

/// How long the database takes to answer, unless told otherwise.
pub const DATABASE_WAIT: Duration = Duration::from_millis(95);

/// A checked slip: the only way to ask the catalogue. Made by
/// [`Catalogue::read_slip`], used up by [`Catalogue::find`].
#[derive(Debug, PartialEq, Eq)]
pub struct Query {
    book: u32,
}

impl Query {
    /// The book asked for.
    pub fn book(&self) -> u32 {
        self.book
    }
}

/// A slip that is not `WHERE <book number>`. Its `Display` is the reply
/// line the server sends back: `ERROR ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSlip {
    reason: &'static str,
}

impl fmt::Display for BadSlip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ERROR {}", self.reason)
    }
}

impl std::error::Error for BadSlip {}

/// The catalogue's answer. Its `Display` is the reply line the server
/// sends back, without the `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The book stands on this shelf: `BOOK 7 SHELF C-12`.
    Shelf {
        /// The book.
        book: u32,
        /// Its shelf.
        shelf: String,
    },
    /// The library has no such book: `BOOK 8 MISSING`.
    Missing {
        /// The book.
        book: u32,
    },
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Shelf { book, shelf } => write!(f, "BOOK {book} SHELF {shelf}"),
            Reply::Missing { book } => write!(f, "BOOK {book} MISSING"),
        }
    }
}

/// One database query, as the catalogue saw it.
#[derive(Debug, Clone)]
pub struct QueryRecord {
    /// The book asked for.
    pub book: u32,
    /// Real time from the catalogue's creation to the start of the query.
    pub real_start: Duration,
    /// Real time at which it ended; `None` while it waits, or if dropped.
    pub real_end: Option<Duration>,
    /// The OS thread that started it.
    pub thread: ThreadId,
    /// The OS thread that was running it when its answer came back.
    pub end_thread: Option<ThreadId>,
    /// True for [`Catalogue::find_blocking`]: the wait held its thread.
    pub blocking: bool,
    /// Whether a tokio runtime was running on the thread that started it.
    pub in_runtime: bool,
}

#[derive(Debug)]
struct Inner {
    shelves: HashMap<u32, String>,
    rounds: u32,
    wait: Duration,
    origin: Instant,
    queries: Mutex<Vec<QueryRecord>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

/// The library's catalogue: where each book stands. Cheap to clone: clones
/// share one database and one log. Safe to use from any thread.
#[derive(Debug, Clone)]
pub struct Catalogue {
    inner: Arc<Inner>,
}

/// The mixing of a slip: each round needs the one before, so no compiler
/// can skip it or split it.
fn mix(mut state: u64, rounds: u32) -> u64 {
    for _ in 0..rounds {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    state
}

/// The book number of a slip, `WHERE <book number>` (a `\r` before the
/// end of the line is let through).
fn parse(line: &str) -> Result<u32, BadSlip> {
    let mut words = line.trim_end_matches('\r').split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some("WHERE"), Some(number), None) => number.parse::<u32>().map_err(|_| BadSlip {
            reason: "a book number is a whole number",
        }),
        _ => Err(BadSlip {
            reason: "expected WHERE <book number>",
        }),
    }
}

impl Catalogue {
    /// A catalogue of `shelves` (book number, shelf), whose slips cost
    /// `rounds` rounds of CPU work each and whose queries wait `wait`.
    pub fn new(
        shelves: impl IntoIterator<Item = (u32, String)>,
        rounds: u32,
        wait: Duration,
    ) -> Catalogue {
        Catalogue {
            inner: Arc::new(Inner {
                shelves: shelves.into_iter().collect(),
                rounds,
                wait,
                origin: Instant::now(),
                queries: Mutex::new(Vec::new()),
                in_flight: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
            }),
        }
    }

    /// Reads one slip (a line, without its `\n`): `WHERE <book number>`.
    /// A well-formed slip costs the catalogue's rounds of pure CPU work on
    /// the calling thread, about 5 ms; a malformed one is refused at once.
    pub fn read_slip(&self, line: &str) -> Result<Query, BadSlip> {
        let book = parse(line)?;
        let job = Job {
            item: book as usize,
            input: (0, 0),
            radius: 0,
        };
        let rounds = self.inner.rounds;
        std::hint::black_box(cpu::measure(job, || {
            std::hint::black_box(mix(u64::from(book) | 1, rounds))
        }));
        Ok(Query { book })
    }

    /// Asks the database where the query's book stands: waits about 95 ms
    /// on tokio's timer, without holding the thread, and answers.
    ///
    /// # Panics
    ///
    /// When awaited outside a tokio runtime: the wait needs tokio's timer.
    pub async fn find(&self, query: Query) -> Reply {
        if tokio::runtime::Handle::try_current().is_err() {
            panic!(
                "lab: Catalogue::find was awaited outside a tokio runtime. Await it inside \
                 async code that a tokio runtime runs."
            );
        }
        let mut guard = self.begin(query.book, false);
        tokio::time::sleep(self.inner.wait).await;
        guard.finish();
        self.answer(query.book)
    }

    /// The old synchronous database client: the same answer as
    /// [`Catalogue::find`], after the same wait, done with
    /// `std::thread::sleep`. The calling thread can do nothing else
    /// meanwhile: not even the other tasks of an async runtime.
    pub fn find_blocking(&self, query: Query) -> Reply {
        let mut guard = self.begin(query.book, true);
        std::thread::sleep(self.inner.wait);
        guard.finish();
        self.answer(query.book)
    }

    fn answer(&self, book: u32) -> Reply {
        match self.inner.shelves.get(&book) {
            Some(shelf) => Reply::Shelf {
                book,
                shelf: shelf.clone(),
            },
            None => Reply::Missing { book },
        }
    }

    fn begin(&self, book: u32, blocking: bool) -> QueryGuard {
        let inner = &self.inner;
        let now = inner.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        inner.peak.fetch_max(now, Ordering::SeqCst);
        let mut queries = lock(&inner.queries);
        queries.push(QueryRecord {
            book,
            real_start: inner.origin.elapsed(),
            real_end: None,
            thread: std::thread::current().id(),
            end_thread: None,
            blocking,
            in_runtime: tokio::runtime::Handle::try_current().is_ok(),
        });
        QueryGuard {
            catalogue: self.clone(),
            index: queries.len() - 1,
        }
    }

    /// Every query so far, in the order they started.
    pub fn queries(&self) -> Vec<QueryRecord> {
        lock(&self.inner.queries).clone()
    }

    /// How many queries were started so far.
    pub fn queries_started(&self) -> usize {
        lock(&self.inner.queries).len()
    }

    /// The most queries that waited at the same instant.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.peak.load(Ordering::SeqCst)
    }

    /// The instant the catalogue was made: the origin of every query's
    /// real times, which other instruments can share.
    pub fn origin(&self) -> Instant {
        self.inner.origin
    }
}

/// Lowers the in-flight gauge when a query ends or is dropped.
struct QueryGuard {
    catalogue: Catalogue,
    index: usize,
}

impl QueryGuard {
    fn finish(&mut self) {
        let inner = &self.catalogue.inner;
        let end = inner.origin.elapsed();
        let record = &mut lock(&inner.queries)[self.index];
        record.real_end = Some(end);
        record.end_thread = Some(std::thread::current().id());
    }
}

impl Drop for QueryGuard {
    fn drop(&mut self) {
        self.catalogue
            .inner
            .in_flight
            .fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::new([(3, "A-1".to_string())], 10, Duration::from_millis(20))
    }

    // The tests build queries by hand: `read_slip` goes through the CPU
    // probe, which another test of this crate may have installed.

    #[test]
    fn slips_are_read_or_refused() {
        assert_eq!(parse("WHERE 3"), Ok(3));
        assert_eq!(parse("WHERE 3\r"), Ok(3));
        for bad in ["", "WHERE", "WHERE 3 4", "where 3", "WHERE  3", "WHERE x"] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("ERROR "), "{bad:?}: {err}");
        }
    }

    /// Async queries overlap on one thread; blocking ones are marked so.
    #[test]
    fn queries_are_logged_with_their_threads() {
        let c = catalogue();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (a, b) = rt.block_on(async {
            let (a, b) = (Query { book: 3 }, Query { book: 4 });
            tokio::join!(c.find(a), c.find(b))
        });
        assert_eq!(a.to_string(), "BOOK 3 SHELF A-1");
        assert_eq!(b.to_string(), "BOOK 4 MISSING");
        assert_eq!(c.peak_in_flight(), 2);
        let blocking = c.find_blocking(Query { book: 3 });
        assert_eq!(blocking, a);
        let queries = c.queries();
        assert_eq!(queries.len(), 3);
        let me = std::thread::current().id();
        assert!(
            queries
                .iter()
                .all(|q| q.thread == me && q.end_thread == Some(me))
        );
        assert!(queries[0].in_runtime && !queries[0].blocking);
        assert!(!queries[2].in_runtime && queries[2].blocking);
        assert!(queries[2].real_end.unwrap() - queries[2].real_start >= Duration::from_millis(20));
    }
}
