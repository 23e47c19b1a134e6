//! A crowd of real readers: one loopback TCP connection each, all on the
//! check's own current-thread runtime (another thread than any of the
//! server's), with a watchdog beside them.
//!
//! Every reader connects, sends its lines, and reads one reply per line.
//! The watchdog wakes every 50 ms and ends the crowd early, with what it
//! saw, when
//!
//! - nothing moved for [`STUCK_AFTER`]: no reply, no slip read, no query
//!   started or ended (a server that never answers);
//! - the crowd is *paced* (the thousand) and the server is far behind the
//!   pace of one thread that never waits: more time has passed than
//!   [`decide::pace_limit`] allows for the slips read so far (a server
//!   that answers one reader at a time is cut off after about two
//!   seconds, not after the hundred it would need);
//! - its time limit has passed, whatever the reason (see [`run_limit`]).
//!
//! Dropping the readers closes their sockets: a crowd cut off leaves no
//! connection open on this side.
//!
//! All the readers set off at once, but at most [`AT_THE_DOOR`] of them
//! stand at the door together: connected, and not yet answered once. The
//! kernel queues connections that a server has not yet accepted, and a
//! listener from `TcpListener::bind` (tokio's or std's) queues 128. A
//! thousand readers connecting at once overflow that queue whenever the
//! server is busy reading slips. The kernel then drops them, and they come
//! back only when TCP retries, 1, 2 and 4 s later. A correct server then
//! sat silent for seconds, waiting for readers it had never refused, and
//! was once stopped as hung. A reader answered once has left the queue, so
//! a door of 100 never overflows it. It does not slow a right server:
//! at 5 ms of CPU per slip and 95 ms per query, one thread keeps about 20
//! readers busy at a time.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::ThreadId;
use std::time::Duration;

use lab::catalogue::QueryRecord;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use crate::decide;
use crate::library::Library;
use crate::world::{Crowd, Reader, book_of};

/// How often the watchdog looks.
const WATCH_PERIOD: Duration = Duration::from_millis(50);
/// Nothing moving for this long ends the crowd as hung: a right server
/// answers a lone reader in about 100 ms, and in a crowd something moves
/// every few ms. Yet with two test suites sharing two cores, a correct
/// server was seen still for 2 s with 29 replies to go: hence 5 s.
pub const STUCK_AFTER: Duration = Duration::from_secs(5);
/// The pace is judged from this far into a paced crowd on: the first
/// slips and queries need a moment to show a pace.
pub const PACE_AFTER: Duration = Duration::from_secs(2);
/// How long before the check's deadline a crowd is stopped: time to
/// decide and send the verdict.
const BEFORE_DEADLINE: Duration = Duration::from_millis(2_500);
/// The deadline assumed when the check was given none (the checker's
/// default `--timeout`).
const DEFAULT_DEADLINE: Duration = Duration::from_secs(20);

/// How long a crowd may run: until shortly before the check's deadline.
/// The thousand takes about 5 s of CPU on one thread, and a busy machine
/// stretches that; `--timeout` gives a slow machine more.
pub fn run_limit(deadline: Option<Duration>) -> Duration {
    deadline
        .unwrap_or(DEFAULT_DEADLINE)
        .saturating_sub(BEFORE_DEADLINE)
        .max(STUCK_AFTER)
}
/// The most readers connected and not yet answered once: below the 128
/// connections the kernel queues for a listener (see the module's
/// documentation).
pub const AT_THE_DOOR: usize = 100;
/// The pause between the two pieces of a slip sent in pieces.
const PIECE_PAUSE: Duration = Duration::from_millis(30);

/// One reader's visit, as the reader saw it.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    /// The replies received, in order.
    pub got: Vec<String>,
    /// What went wrong on the connection, if anything did.
    pub problem: Option<String>,
    /// When the reader had sent all its lines (catalogue clock).
    pub sent: Option<Duration>,
    /// When its last reply came (catalogue clock).
    pub answered: Option<Duration>,
}

/// One slip read, on the catalogue's clock.
#[derive(Debug, Clone)]
pub struct Slip {
    /// The book it asked for.
    pub book: u32,
    /// The thread that read it.
    pub thread: ThreadId,
    /// That thread's name, if any.
    pub thread_name: Option<String>,
    /// When the reading started and ended.
    pub start: Duration,
    /// See `start`.
    pub end: Duration,
    /// The thread's CPU time inside the reading.
    pub cpu: Duration,
}

/// How a crowd ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every reader had every reply (or a problem).
    Finished,
    /// Nothing moved for this long.
    Hung(Duration),
    /// Far behind the pace of one thread that never waits.
    Cut,
    /// Still going at its time limit.
    OverLimit,
}

/// What one crowd did.
#[derive(Debug, Clone)]
pub struct CrowdRun {
    /// Every reader's visit, in the crowd's order.
    pub visits: Vec<Visit>,
    /// How it ended.
    pub ending: Ending,
    /// When the first reader set off, and when the crowd ended (catalogue
    /// clock).
    pub start: Duration,
    /// See `start`.
    pub end: Duration,
    /// The crowd's slips read, by start.
    pub slips: Vec<Slip>,
    /// The crowd's queries, by start.
    pub queries: Vec<QueryRecord>,
}

/// Shared between the readers and the watchdog.
struct Marks {
    visits: Mutex<Vec<Visit>>,
    /// Nanoseconds (catalogue clock) of the latest reply or send.
    last: AtomicU64,
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Marks {
    fn touch(&self, at: Duration) {
        self.last.fetch_max(nanos(at), Ordering::SeqCst);
    }
}

/// The crowd's slips and queries so far.
fn evidence(library: &Library, books: &HashSet<u32>) -> (Vec<Slip>, Vec<QueryRecord>) {
    let mut slips: Vec<Slip> = library
        .probe
        .calls()
        .into_iter()
        .filter(|c| books.contains(&(c.item as u32)))
        .map(|c| Slip {
            book: c.item as u32,
            thread: c.thread,
            thread_name: c.thread_name,
            start: library.on_catalogue_clock(c.real_start),
            end: library.on_catalogue_clock(c.real_end),
            cpu: c.cpu,
        })
        .collect();
    slips.sort_by_key(|s| s.start);
    let queries = library
        .catalogue
        .queries()
        .into_iter()
        .filter(|q| books.contains(&q.book))
        .collect();
    (slips, queries)
}

/// One reader: wait for room at the door, connect, send, read a reply per
/// line.
async fn visit(library: &Library, reader: &Reader, i: usize, marks: &Marks, door: &Semaphore) {
    let origin = library.catalogue.origin();
    let note = |f: &dyn Fn(&mut Visit)| f(&mut lock(&marks.visits)[i]);
    let problem = |what: String| note(&|v| v.problem = Some(what.clone()));
    // Held until the first reply (or until the visit ends, whatever ends it).
    let mut at_the_door = Some(door.acquire().await.expect("the door is never closed"));
    let stream = match TcpStream::connect(library.addr).await {
        Ok(stream) => stream,
        Err(e) => return problem(format!("could not connect: {e}")),
    };
    let (reading, mut writing) = stream.into_split();
    let mut text = reader.lines.join("\n");
    text.push('\n');
    let sent = if reader.in_pieces {
        let (first, rest) = text.split_at(3.min(text.len()));
        let first = writing.write_all(first.as_bytes()).await;
        tokio::time::sleep(PIECE_PAUSE).await;
        match first {
            Ok(()) => writing.write_all(rest.as_bytes()).await,
            Err(e) => Err(e),
        }
    } else {
        writing.write_all(text.as_bytes()).await
    };
    if let Err(e) = sent {
        return problem(format!("could not send its slips: {e}"));
    }
    let at = origin.elapsed();
    note(&|v| v.sent = Some(at));
    marks.touch(at);
    let mut lines = BufReader::new(reading).lines();
    for n in 0..reader.expected.len() {
        match lines.next_line().await {
            Ok(Some(line)) => {
                at_the_door.take();
                let at = origin.elapsed();
                marks.touch(at);
                note(&|v| v.got.push(line.clone()));
            }
            Ok(None) => {
                return problem(format!(
                    "the server hung up after {n} of {} replies",
                    reader.expected.len()
                ));
            }
            Err(e) => return problem(format!("the connection failed after {n} replies: {e}")),
        }
    }
    let at = origin.elapsed();
    note(&|v| v.answered = Some(at));
}

/// The watchdog: returns how the crowd must end, if it must end early.
async fn watch(
    library: &Library,
    books: &HashSet<u32>,
    marks: &Marks,
    start: Duration,
    paced: bool,
    limit: Duration,
) -> Ending {
    let origin = library.catalogue.origin();
    loop {
        tokio::time::sleep(WATCH_PERIOD).await;
        let now = origin.elapsed();
        let (slips, queries) = evidence(library, books);
        let last = [
            Duration::from_nanos(marks.last.load(Ordering::SeqCst)),
            start,
        ]
        .into_iter()
        .chain(slips.iter().map(|s| s.end))
        .chain(queries.iter().map(|q| q.real_end.unwrap_or(q.real_start)))
        .max()
        .unwrap_or(start);
        let quiet = now.saturating_sub(last);
        if quiet >= STUCK_AFTER {
            return Ending::Hung(quiet);
        }
        let elapsed = now.saturating_sub(start);
        if elapsed >= limit {
            return Ending::OverLimit;
        }
        if paced && elapsed >= PACE_AFTER {
            let spans: Vec<(Duration, Duration)> = slips.iter().map(|s| (s.start, s.end)).collect();
            if elapsed > decide::pace_limit(decide::union(&spans)) {
                return Ending::Cut;
            }
        }
    }
}

/// Sends `crowd` to the library, all readers at once (at most [`AT_THE_DOOR`]
/// of them at the door), and gathers what
/// happened. `paced`: the watchdog also cuts off a server far behind the
/// pace of one thread that never waits. `limit`: see [`run_limit`].
pub async fn visit_all(library: &Library, crowd: &Crowd, paced: bool, limit: Duration) -> CrowdRun {
    let books: HashSet<u32> = crowd
        .readers
        .iter()
        .flat_map(|r| r.lines.iter())
        .filter_map(|l| book_of(l))
        .collect();
    let marks = Marks {
        visits: Mutex::new(vec![Visit::default(); crowd.readers.len()]),
        last: AtomicU64::new(0),
    };
    let door = Semaphore::new(AT_THE_DOOR);
    let start = library.catalogue.origin().elapsed();
    let readers = futures::future::join_all(
        crowd
            .readers
            .iter()
            .enumerate()
            .map(|(i, reader)| visit(library, reader, i, &marks, &door)),
    );
    let ending = tokio::select! {
        _ = readers => Ending::Finished,
        ending = watch(library, &books, &marks, start, paced, limit) => ending,
    };
    // The readers are dropped by now: their sockets are closed.
    let end = library.catalogue.origin().elapsed();
    let (slips, queries) = evidence(library, &books);
    CrowdRun {
        visits: lock(&marks.visits).clone(),
        ending,
        start,
        end,
        slips,
        queries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crowd stops 2.5 s before the check's deadline, 17.5 s by default,
    /// and never sooner than a hang would be seen.
    #[test]
    fn the_run_limit_follows_the_deadline() {
        let s = Duration::from_secs;
        assert_eq!(run_limit(None), Duration::from_millis(17_500));
        assert_eq!(run_limit(Some(s(60))), Duration::from_millis(57_500));
        assert_eq!(run_limit(Some(s(1))), STUCK_AFTER);
    }
}
