//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no files, no threads, no learner
//! code. `checks.rs` runs the learner's `count_words` under the
//! instruments and fills the evidence structs; the functions below read
//! them. So every branch of every decision is a unit test at the bottom of
//! this file, with evidence written by hand, running in milliseconds.
//!
//! Messages say only what was observed (which books were passed to
//! `read`, how many threads, how many cores), then what was expected.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::Verdict;
use grading::observe::ThreadShare;
use lab::cpu::{Progress, RendezvousResult, ThreadKind};

use crate::world::{Shelf, plural};

/// How far one thread's part of the reading may rise above a fair share
/// (one part in as many as there are threads) and still count as fair:
/// 1.6 times, which is 80% for two threads, 53% for three, 32% for five.
/// Measured on a 2-core machine with two busy loops competing: equal bands
/// stay within 1.05 times; threads that pull books from a shared counter
/// stay within 1.25 times in nine runs out of ten, and one run in twenty
/// goes over (a thread the OS let run alone), which is why a lopsided
/// split must show in several runs in a row to fail
/// ([`crate::world::FAIR_RUNS`]).
pub const MAX_RATIO: f64 = 1.6;

/// How far one thread's part may fall below a fair share: 0.4 times, which
/// is 20% for two threads, 13% for three, 8% for five. Measured as above:
/// equal bands stay above 0.95 times, threads pulling from a counter
/// stayed above it in 180 runs (0.41 times at worst), the fairest of three
/// runs far above it.
pub const MIN_RATIO: f64 = 0.4;

/// One `read` call, as the decisions see it: what the book it was given
/// said about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    /// The book's number on its shelf.
    pub book: usize,
    /// Its shelf's length and mark.
    pub shelf: (usize, usize),
}

// ---------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------

/// `ns` (any order, duplicates allowed) as ranges: `0 to 191, 300, 302 to
/// 310`, at most six of them and then how many more.
pub fn ranges(ns: &[usize]) -> String {
    let mut sorted = ns.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for n in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    let mut parts: Vec<String> = runs
        .iter()
        .take(6)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        })
        .collect();
    if runs.len() > 6 {
        parts.push(format!("and {} more ranges", runs.len() - 6));
    }
    parts.join(", ")
}

/// "book 5" or "books 0 to 3, 7".
pub fn books_phrase(ns: &[usize]) -> String {
    let mut distinct = ns.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() == 1 {
        format!("book {}", distinct[0])
    } else {
        format!("books {}", ranges(&distinct))
    }
}

/// "1 core" or "4 cores".
pub fn cores_phrase(cores: usize) -> String {
    plural(cores, "core", "cores")
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// "1, 2, 3 and 5".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn never_called() -> Verdict {
    Verdict::fail(
        "count_words never called lab::library::read, so the checker could not see who did the \
         reading. Read each book with read(book).",
    )
}

// ---------------------------------------------------------------------
// Accounting: every book exactly once
// ---------------------------------------------------------------------

/// The books of the shelf of `books` books marked `mark` that no read was
/// given.
pub fn never_read(books: usize, mark: usize, reads: &[Read]) -> Vec<usize> {
    let mut seen = vec![false; books];
    for read in reads.iter().filter(|r| r.shelf == (books, mark)) {
        if let Some(s) = seen.get_mut(read.book) {
            *s = true;
        }
    }
    (0..books).filter(|&b| !seen[b]).collect()
}

/// What is wrong with the reads as a record of one read per book of the
/// shelf of `books` books marked `mark`, or `None` when each book was read
/// exactly once.
///
/// The facts come from what each book passed to `read` said about itself:
/// its number and its shelf. So the message says which books were read
/// how often, and how many reads were of books from another shelf.
pub fn tally(books: usize, mark: usize, reads: &[Read]) -> Option<String> {
    let mut problems = Vec::new();
    let mut count = vec![0usize; books];
    let mut others: BTreeMap<usize, usize> = BTreeMap::new();
    for read in reads {
        match count
            .get_mut(read.book)
            .filter(|_| read.shelf == (books, mark))
        {
            Some(n) => *n += 1,
            None => *others.entry(read.shelf.0).or_default() += 1,
        }
    }
    if !others.is_empty() {
        let foreign: usize = others.values().sum();
        let shelves = others
            .iter()
            .map(|(&len, &n)| format!("{n} from a shelf of {}", plural(len, "book", "books")))
            .collect::<Vec<_>>()
            .join(", ");
        problems.push(format!(
            "{} of books from another shelf ({shelves}), not the one count_words was given",
            plural(foreign, "read was", "reads were")
        ));
    }
    let mut repeated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (book, &n) in count.iter().enumerate() {
        if n > 1 {
            repeated.entry(n).or_default().push(book);
        }
    }
    for (n, ns) in repeated.iter().rev() {
        let each = if ns.len() > 1 { " each" } else { "" };
        let were = if ns.len() > 1 { "were" } else { "was" };
        problems.push(format!(
            "{} {were} read {}{each}",
            books_phrase(ns),
            times(*n)
        ));
    }
    let never: Vec<usize> = (0..books).filter(|&b| count[b] == 0).collect();
    if !never.is_empty() {
        let were = if never.len() > 1 { "were" } else { "was" };
        problems.push(format!("{} {were} never read", books_phrase(&never)));
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "lab::library::read was called {} for the {} of the shelf: {}. Expected each book read \
         exactly once.",
        plural(reads.len(), "time", "times"),
        plural(books, "book", "books"),
        problems.join("; ")
    ))
}

// ---------------------------------------------------------------------
// right_count
// ---------------------------------------------------------------------

/// What `count_words` did with one shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// It panicked, with this message, at this place if known.
    Panicked {
        /// The panic's message.
        message: String,
        /// `file:line` where it was raised.
        location: Option<String>,
    },
    /// It returned a count.
    Returned {
        /// What it returned.
        count: u64,
        /// One librarian's count of the same shelf.
        expected: u64,
        /// Every `read` call it made.
        reads: Vec<Read>,
    },
}

/// One shelf and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfRun {
    /// The shelf.
    pub shelf: Shelf,
    /// The mark its books carry.
    pub mark: usize,
    /// What `count_words` did with it.
    pub counted: Counted,
}

/// Why one shelf came out wrong, or `None` when it came out right.
pub fn shelf_problem(run: &ShelfRun) -> Option<String> {
    let shelf = &run.shelf;
    let on = format!("on the {shelf} ({})", shelf.why);
    match &run.counted {
        Counted::Panicked { message, location } => {
            let zero = if shelf.librarians == 0 {
                " Zero librarians count as one: someone has to read the books."
            } else {
                ""
            };
            Some(format!(
                "count_words panicked {on}: {message}{}.{zero}",
                location
                    .as_deref()
                    .map(|l| format!(" (at {l})"))
                    .unwrap_or_default()
            ))
        }
        Counted::Returned {
            count,
            expected,
            reads,
        } => {
            let tallied = tally(shelf.books, run.mark, reads);
            let result = if count == expected {
                format!("the count was right ({count} words)")
            } else {
                format!("count_words returned {count} words, expected {expected}")
            };
            match tallied {
                None if count == expected => None,
                None => Some(format!(
                    "{on}, {result}, though every book was read exactly once: is each book's \
                     count added to the total exactly once, and every librarian's total \
                     collected?"
                )),
                Some(problem) => {
                    let never = never_read(shelf.books, run.mark, reads);
                    let librarians = shelf.librarians.max(1);
                    let leftover = !never.is_empty()
                        && never.last() == Some(&(shelf.books - 1))
                        && shelf.books % librarians != 0;
                    let hint = if leftover {
                        format!(
                            " Were they the books left over when {} are cut into {librarians} \
                             equal bands?",
                            plural(shelf.books, "book", "books")
                        )
                    } else {
                        String::new()
                    };
                    Some(format!("{on}, {result}, but {problem}{hint}"))
                }
            }
        }
    }
}

/// `right_count`: every shelf must come out right, each book read once.
pub fn right_count(runs: &[ShelfRun]) -> Verdict {
    let problems: Vec<(&ShelfRun, String)> = runs
        .iter()
        .filter_map(|run| shelf_problem(run).map(|p| (run, p)))
        .collect();
    match problems.split_first() {
        None => Verdict::pass(format!(
            "count_words gave one librarian's count on all {} shelves, each book read exactly \
             once: {}",
            runs.len(),
            runs.iter()
                .map(|r| format!("{} by {}", r.shelf.books, r.shelf.librarians))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Some(((_, first), rest)) => {
            let mut verdict = Verdict::fail(first.clone());
            if !rest.is_empty() {
                verdict = verdict.detail(format!(
                    "also wrong on {} more: {}",
                    rest.len(),
                    rest.iter()
                        .map(|(r, _)| r.shelf.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            verdict
        }
    }
}

// ---------------------------------------------------------------------
// The watchdog
// ---------------------------------------------------------------------

/// The verdict when the watchdog ended a run on `shelf` that stopped making
/// progress (see [`lab::cpu::Watch`]). Timed out: the run never finished,
/// and what it did until then is all that is known.
pub fn stalled(shelf: &Shelf, max_calls: usize, progress: &Progress) -> Verdict {
    let seconds = progress.elapsed.as_secs_f64();
    let message = if progress.started > max_calls {
        format!(
            "lab::library::read was called {} times while counting the {shelf}, and count_words \
             had still not returned after {seconds:.1} s: a loop over the books that never ends? \
             Expected one read per book.",
            progress.started
        )
    } else if progress.started == 0 {
        format!(
            "count_words ran for {seconds:.1} s on the {shelf} without reading a single book, so \
             it was stopped: a deadlock before the first book (threads waiting on each other's \
             locks, channels or joins), or a loop that never reaches the books?"
        )
    } else {
        format!(
            "count_words had finished {} on the {shelf}, then no read started or \
             finished for {:.1} s, so it was stopped after {seconds:.1} s: a deadlock (a thread \
             waiting on a lock, a channel or a join that never comes), or a loop that no longer \
             reaches read?",
            plural(progress.finished, "read", "reads"),
            progress.quiet.as_secs_f64()
        )
    };
    Verdict::timed_out(message)
}

// ---------------------------------------------------------------------
// threads_follow_librarians
// ---------------------------------------------------------------------

/// What `threads_follow_librarians` saw on one shelf: the run whose number
/// of threads came closest to the librarians asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// The shelf and its librarians.
    pub shelf: Shelf,
    /// Each thread that read books, and how many it read, in the order
    /// they first read.
    pub threads: Vec<(ThreadKind, usize)>,
    /// What was wrong with the reads, if anything (see [`tally`]).
    pub tally: Option<String>,
    /// Runs looked at.
    pub runs: usize,
}

impl Follow {
    fn count(&self) -> usize {
        self.threads.len()
    }

    fn matches(&self) -> bool {
        self.count() == self.shelf.expected_threads()
    }

    /// "2 librarians: 2 threads", naming the shelf when it is not the
    /// default.
    fn summary(&self) -> String {
        let on = if self.shelf.why == "the default" {
            String::new()
        } else {
            format!(" on {}", plural(self.shelf.books, "book", "books"))
        };
        format!(
            "{}{on}: {}",
            plural(self.shelf.librarians, "librarian", "librarians"),
            plural(self.count(), "thread", "threads")
        )
    }
}

/// `threads_follow_librarians`: on every shelf, exactly as many threads
/// read books as there were librarians (at most one per book).
pub fn threads_follow(cases: &[Follow], cores: usize) -> Verdict {
    if cases.iter().all(|c| c.threads.is_empty()) {
        return never_called();
    }
    if let Some(case) = cases.iter().find(|c| c.tally.is_some()) {
        return Verdict::fail(format!(
            "on the {}: {}",
            case.shelf,
            case.tally.as_deref().unwrap_or_default()
        ));
    }
    let summary = cases
        .iter()
        .map(Follow::summary)
        .collect::<Vec<_>>()
        .join("; ");
    let cores_text = cores_phrase(cores);
    let Some(wrong) = cases.iter().find(|c| !c.matches()) else {
        return Verdict::pass(format!(
            "the number of threads that read books followed the librarians, whatever the \
             length of the shelf: {summary}. This machine has {cores_text}."
        ));
    };
    let asked: Vec<String> = cases
        .iter()
        .map(|c| c.shelf.librarians.to_string())
        .collect();
    let asked = and_list(&asked);
    let seen = format!("Seen: {summary}.");
    let w = wrong.shelf.expected_threads();
    let n = wrong.count();
    let runs = if wrong.runs > 1 {
        format!(" (in each of {} runs)", wrong.runs)
    } else {
        String::new()
    };
    let librarians = plural(wrong.shelf.librarians, "librarian", "librarians");
    let expected = plural(w, "thread", "threads");
    // A thread per book (or per handful of books), in any case.
    if let Some(many) = cases
        .iter()
        .filter(|c| c.count() > c.shelf.expected_threads() && 2 * c.count() >= c.shelf.books)
        .max_by_key(|c| (c.shelf.librarians, std::cmp::Reverse(c.shelf.books)))
    {
        let (n, books) = (many.count(), many.shelf.books);
        let w = many.shelf.expected_threads();
        let runs = if many.runs > 1 {
            format!(" (in each of {} runs)", many.runs)
        } else {
            String::new()
        };
        return Verdict::fail(format!(
            "with {}, {n} threads read the {books} books ({:.1} each){runs}: a thread per \
             book, not a librarian per band. Starting a thread costs more than reading a book, \
             and {n} threads on this machine's {cores_text} only take turns. Expected exactly \
             {}, each reading its own band of the shelf. {seen}",
            plural(many.shelf.librarians, "librarian", "librarians"),
            books as f64 / n as f64,
            plural(w, "thread", "threads")
        ));
    }
    // rayon's pool: it sizes itself, whatever the librarians.
    if wrong
        .threads
        .iter()
        .any(|(kind, _)| matches!(kind, ThreadKind::RayonWorker { .. }))
    {
        return Verdict::fail(format!(
            "with {librarians}, {} read books, rayon workers among them: rayon's pool decides \
             how many threads work, not the librarians asked for. This exercise splits the \
             shelf by hand: start one thread per librarian with std::thread::scope. {seen}",
            plural(n, "thread", "threads")
        ));
    }
    // The same number of threads whatever the librarians.
    let first = cases[0].count();
    if cases.len() > 1 && cases.iter().all(|c| c.count() == first) {
        let kind = &cases[0].threads[0].0;
        if first == 1 && *kind == ThreadKind::Caller {
            return Verdict::fail(format!(
                "with {asked} librarians, the calling thread read every book itself, one after \
                 another: a sequential loop. Expected as many threads as librarians, each \
                 reading its own band of the shelf at the same time as the others. {seen}"
            ));
        }
        let why = if first == cores {
            format!(
                "this machine has {cores_text}: is the number taken from available_parallelism()? \
                 Here it must follow the librarians asked for"
            )
        } else if first == 1 {
            format!(
                "that one thread ({kind}) read every book, one after another: a single thread \
                 started for the whole shelf is still one librarian"
            )
        } else {
            "a number written into the code? It must follow the librarians asked for".to_string()
        };
        return Verdict::fail(format!(
            "{} read the books whatever the number of librarians ({asked}), and {why}. Expected \
             as many threads as librarians. {seen}",
            plural(first, "thread", "threads")
        ));
    }
    // A few more than asked.
    if n > w {
        let caller = wrong
            .threads
            .iter()
            .find(|(kind, _)| *kind == ThreadKind::Caller)
            .map(|(_, read)| {
                format!(
                    " The calling thread read {} itself, besides the threads it started: \
                     books left over? Put them in the librarians' bands instead.",
                    plural(*read, "book", "books")
                )
            })
            .unwrap_or_default();
        return Verdict::fail(format!(
            "with {librarians}, {n} threads read books{runs}: {} more than asked for. Expected \
             exactly {expected} (the calling thread may be one of them, if it reads a band \
             itself).{caller} {seen}",
            n - w
        ));
    }
    // Too few in one case.
    let who = wrong
        .threads
        .iter()
        .map(|(kind, read)| format!("{kind} {}", plural(*read, "book", "books")))
        .collect::<Vec<_>>()
        .join(", ");
    Verdict::fail(format!(
        "with {}, only {} read books{runs} ({who}). Expected {w}: is every librarian started, \
         and is every band given some books? {seen}",
        wrong.shelf,
        plural(n, "thread", "threads")
    ))
}

// ---------------------------------------------------------------------
// fair_shares
// ---------------------------------------------------------------------

/// The least and the most of the reading one of `threads` threads may do
/// and still share fairly.
pub fn bounds(threads: usize) -> (f64, f64) {
    let fair = 1.0 / threads.max(1) as f64;
    (MIN_RATIO * fair, (MAX_RATIO * fair).min(1.0))
}

/// Whether a run's shares call for another look before deciding: one
/// thread did all the reading where several were asked for, or a thread's
/// part is outside [`bounds`].
pub fn lopsided(librarians: usize, threads: &[ThreadShare]) -> bool {
    if threads.len() == 1 {
        return librarians >= 2;
    }
    let (least, most) = bounds(threads.len());
    threads.iter().any(|t| t.share > most || t.share < least)
}

/// How far a run is from a fair split: the largest distance of a share
/// from the fair one. The fairest of several runs decides.
pub fn unfairness(threads: &[ThreadShare]) -> f64 {
    let fair = 1.0 / threads.len().max(1) as f64;
    threads
        .iter()
        .map(|t| (t.share - fair).abs())
        .fold(if threads.len() == 1 { 1.0 } else { 0.0 }, f64::max)
}

/// What `fair_shares` saw on one shelf: its fairest run.
#[derive(Debug, Clone, PartialEq)]
pub struct Fairness {
    /// The shelf and its librarians.
    pub shelf: Shelf,
    /// Each thread's part of the reading, busiest first.
    pub threads: Vec<ThreadShare>,
    /// Runs looked at.
    pub runs: usize,
}

/// The threads' parts, busiest first: the first six, then how many more.
fn split(threads: &[ThreadShare]) -> String {
    let mut parts: Vec<String> = threads
        .iter()
        .take(6)
        .map(|t| {
            format!(
                "{} {} ({})",
                t.label(),
                percent(t.share),
                plural(t.items, "book", "books")
            )
        })
        .collect();
    if threads.len() > 6 {
        parts.push(format!("and {} more threads", threads.len() - 6));
    }
    parts.join(", ")
}

/// A share as a percentage: whole ones, tenths below 10%.
fn percent(share: f64) -> String {
    if share < 0.1 {
        format!("{:.1}%", share * 100.0)
    } else {
        format!("{:.0}%", share * 100.0)
    }
}

/// `fair_shares`: with several librarians, each thread that read did a
/// fair part of the reading, measured in its own CPU time inside `read`.
pub fn fair_shares(cases: &[Fairness], cores: usize) -> Verdict {
    if cases.iter().all(|c| c.threads.is_empty()) {
        return never_called();
    }
    if cases
        .iter()
        .flat_map(|c| &c.threads)
        .all(|t| t.cpu.is_zero())
    {
        return Verdict::inconclusive(
            "this platform's per-thread CPU clock reported no time at all, so the threads' parts \
             of the reading could not be measured",
        );
    }
    let details: Vec<String> = cases
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                plural(c.shelf.librarians, "librarian", "librarians"),
                split(&c.threads)
            )
        })
        .collect();
    for case in cases {
        let runs = if case.runs > 1 {
            format!(", the fairest of {} runs", case.runs)
        } else {
            String::new()
        };
        let librarians = plural(case.shelf.librarians, "librarian", "librarians");
        let books = plural(case.shelf.books, "book", "books");
        if case.threads.len() == 1 && case.shelf.librarians >= 2 {
            let only = &case.threads[0];
            if cores == 1 && only.kind != ThreadKind::Caller {
                // One thread started where the machine has one core: the
                // number may have come from the cores, and then a bigger
                // machine would share the reading. Whether it follows the
                // librarians is threads_follow_librarians' to decide.
                return Verdict::inconclusive(format!(
                    "with {librarians}, one thread ({}) did all the reading, and this machine has \
                     one core: if the number of threads came from the cores, the reading would be \
                     shared on a bigger machine. threads_follow_librarians says whether it follows \
                     the librarians; grade it on a machine with two cores or more.",
                    only.label()
                ));
            }
            let mut verdict = Verdict::fail(format!(
                "with {librarians}, one thread ({}) did all the reading of the {books}{runs}: \
                 nothing was shared. Expected each librarian's thread to read a fair part of the \
                 shelf.",
                only.label()
            ));
            for d in &details {
                verdict = verdict.detail(d.clone());
            }
            return verdict;
        }
        let n = case.threads.len();
        let (least, most) = bounds(n);
        let busiest = case.threads.first();
        let idlest = case.threads.last();
        let over = busiest.filter(|t| t.share > most);
        let under = idlest.filter(|t| t.share < least);
        let observed = match (over, under) {
            (Some(t), _) => format!("{} did {} of the reading", t.label(), percent(t.share)),
            (None, Some(t)) => {
                format!("{} did only {} of the reading", t.label(), percent(t.share))
            }
            (None, None) => continue,
        };
        let mut verdict = Verdict::fail(format!(
            "with {librarians} on the shelf of {books}, {observed}{runs} ({}). Expected the \
             reading shared fairly among the {n} threads: each near {}, none over {} and none \
             under {}. Give each librarian a band of about the same number of books.",
            split(&case.threads),
            percent(1.0 / n as f64),
            percent(most),
            percent(least)
        ));
        for d in &details {
            verdict = verdict.detail(d.clone());
        }
        return verdict;
    }
    let largest: Vec<String> = cases
        .iter()
        .map(|c| {
            let top = c.threads.first().map_or(0.0, |t| t.share);
            format!(
                "{} with {} (a fair part: {})",
                percent(top),
                c.shelf.librarians,
                percent(1.0 / c.threads.len().max(1) as f64)
            )
        })
        .collect();
    let mut verdict = Verdict::pass(format!(
        "every thread did a fair part of the reading, measured in its own CPU time inside read; \
         the busiest did {}",
        and_list(&largest)
    ));
    for d in details {
        verdict = verdict.detail(d);
    }
    verdict
}

// ---------------------------------------------------------------------
// side_by_side
// ---------------------------------------------------------------------

/// One `read` call's span on the real clock, on thread number `thread`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// Which thread (any numbering that tells threads apart).
    pub thread: usize,
    /// When the read started.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// The most distinct threads inside `read` at one instant. Spans that
/// only touch (one ends as the next starts) do not overlap.
pub fn most_at_once(spans: &[Span]) -> usize {
    let keyed: Vec<_> = spans.iter().map(|s| (s.thread, s.start, s.end)).collect();
    grading::overlap::most_at_once(&keyed)
}

/// What one ordinary (unheld) run showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordinary {
    /// `read` calls.
    pub reads: usize,
    /// Distinct threads that made them.
    pub threads: usize,
    /// The most threads inside `read` at one instant.
    pub most_at_once: usize,
    /// Whether every read was on the calling thread.
    pub on_caller: bool,
}

/// What `side_by_side` saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simultaneity {
    /// The shelf and its librarians.
    pub shelf: Shelf,
    /// The ordinary runs, in order (it stops at the first that overlaps).
    pub ordinary: Vec<Ordinary>,
    /// The held run: the first read waits for a second thread.
    pub rendezvous: Option<RendezvousResult>,
    /// The held run's timeout.
    pub held_for: Duration,
    /// The cores this process may use.
    pub cores: usize,
}

/// `side_by_side`: two books read at the same instant, on two threads, in
/// an ordinary run. The held run (the rendezvous) never decides alone: it
/// only tells turn-taking (another thread comes when the first read is
/// held) from a join or a lock (nobody can come).
pub fn side_by_side(seen: &Simultaneity) -> Verdict {
    let ms = |d: Duration| format!("{} ms", d.as_millis());
    let cores = cores_phrase(seen.cores);
    let runs = seen.ordinary.len();
    let ordinary_runs = if runs == 1 {
        "an ordinary run".to_string()
    } else {
        format!("{runs} ordinary runs")
    };
    if seen.ordinary.iter().all(|r| r.reads == 0) {
        return never_called();
    }
    let held = match seen.rendezvous {
        Some(RendezvousResult::Met { waited }) => format!(
            "when the checker held the first read, another thread started a book {} later",
            ms(waited)
        ),
        Some(RendezvousResult::TimedOut { waited }) => format!(
            "when the checker held the first read for {}, no other thread started a book",
            ms(waited)
        ),
        _ => "the held run read no book".to_string(),
    };
    let best = seen
        .ordinary
        .iter()
        .max_by_key(|r| (r.most_at_once, r.threads))
        .copied()
        .expect("a run with reads");
    if best.most_at_once >= 2 {
        let how = if seen.cores == 1 {
            "this machine has 1 core, so the OS gave them turns on it; with more cores they read \
             at literally the same instant"
                .to_string()
        } else {
            format!(
                "this machine has {cores}, so up to {} of them read at literally the same instant",
                best.most_at_once.min(seen.cores)
            )
        };
        return Verdict::pass(format!(
            "with {}, in {ordinary_runs}, up to {} threads were inside read at the same instant \
             ({how}); {held}",
            plural(seen.shelf.librarians, "librarian", "librarians"),
            best.most_at_once
        ));
    }
    let threads = seen.ordinary.iter().map(|r| r.threads).max().unwrap_or(0);
    let spawned = seen.ordinary.iter().any(|r| r.reads > 0 && !r.on_caller);
    if threads <= 1 && spawned && seen.cores == 1 {
        // As in fair_shares: one thread started on a one-core machine may
        // be a number taken from the cores.
        return Verdict::inconclusive(format!(
            "every book was read on one thread, started by count_words, and this machine has one \
             core: if the number of threads came from the cores, a bigger machine would read \
             side by side. threads_follow_librarians says whether it follows the librarians; \
             grade it on a machine with two cores or more. ({held})"
        ));
    }
    if threads <= 1 {
        return Verdict::fail(format!(
            "no two books were ever read at the same instant: with {}, in {ordinary_runs} every \
             book was read on one thread, one after another, and {held}. Expected the \
             librarians' threads reading at the same time.",
            plural(seen.shelf.librarians, "librarian", "librarians")
        ));
    }
    if seen.cores == 1 {
        // One core runs one thread at a time: threads that were all alive
        // at once show as reads whose spans overlap only when the OS
        // switches threads in the middle of a book, which it nearly
        // always does, but not provably. Do not fail what the machine
        // may be hiding.
        return Verdict::inconclusive(format!(
            "books were read on {threads} threads, never two inside read at once in \
             {ordinary_runs}, and {held}; on this machine's one core that may be the OS giving \
             them turns. Grade it on a machine with two cores or more."
        ));
    }
    let met = matches!(seen.rendezvous, Some(RendezvousResult::Met { .. }));
    let cause = if met {
        format!(
            "only {held}: the threads take turns, each book waiting until the one before has \
             been read (or a timeout has passed)"
        )
    } else {
        format!("{held}: each book waited for the one before to be read")
    };
    Verdict::fail(format!(
        "books were read on {threads} threads, but never two at the same instant in \
         {ordinary_runs}; {cause}. Something serialises the librarians: most likely a thread \
         joined before the next one is spawned (a join inside the loop that spawns), or a lock \
         held around read. Start every librarian first, then wait for them all. This machine \
         has {cores}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{FAIR, default_with};
    use grading::Outcome::{Failed, Inconclusive, Passed, TimedOut};

    const MARK: usize = 77;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn reads(books: usize, ns: impl IntoIterator<Item = usize>) -> Vec<Read> {
        ns.into_iter()
            .map(|book| Read {
                book,
                shelf: (books, MARK),
            })
            .collect()
    }

    fn share(kind: ThreadKind, items: usize, share: f64) -> ThreadShare {
        ThreadShare {
            kind,
            items,
            cpu: Duration::from_micros((share * 100_000.0) as u64),
            share,
        }
    }

    fn t(n: usize) -> ThreadKind {
        ThreadKind::Unnamed(n)
    }

    fn assert_says(verdict: &Verdict, outcome: grading::Outcome, phrases: &[&str]) {
        assert_eq!(verdict.outcome, outcome, "{}", verdict.message);
        for phrase in phrases {
            assert!(
                verdict.message.contains(phrase),
                "{phrase:?} not in {:?}",
                verdict.message
            );
        }
    }

    #[test]
    fn ranges_and_phrases_read_well() {
        assert_eq!(ranges(&[3, 0, 1, 2, 7, 9, 10, 9]), "0 to 3, 7, 9 to 10");
        let many: Vec<usize> = (0..20).map(|i| i * 2).collect();
        assert!(ranges(&many).ends_with("and 14 more ranges"));
        assert_eq!(books_phrase(&[4, 4]), "book 4");
        assert_eq!(books_phrase(&[5, 4]), "books 4 to 5");
        assert_eq!(cores_phrase(1), "1 core");
        assert_eq!(
            and_list(&["1".into(), "2".into(), "3".into()]),
            "1, 2 and 3"
        );
    }

    #[test]
    fn tally_passes_each_book_once_in_any_order() {
        assert_eq!(tally(4, MARK, &reads(4, [2, 0, 3, 1])), None);
        assert_eq!(tally(0, MARK, &[]), None);
    }

    /// Mutants `rereads_a_book` and `drops_leftover_books`.
    #[test]
    fn tally_counts_repeats_and_gaps() {
        let problem =
            tally(8, MARK, &reads(8, [0, 1, 1, 2, 2, 2, 5, 5, 5, 6, 7])).expect("a problem");
        assert!(
            problem.contains("called 11 times for the 8 books"),
            "{problem}"
        );
        assert!(
            problem.contains("books 2, 5 were read 3 times each"),
            "{problem}"
        );
        assert!(problem.contains("book 1 was read twice"), "{problem}");
        assert!(
            problem.contains("books 3 to 4 were never read"),
            "{problem}"
        );
        assert!(
            problem.contains("Expected each book read exactly once"),
            "{problem}"
        );
    }

    /// Books of a shelf the learner made, or of the right length with
    /// another mark, are another shelf's.
    #[test]
    fn tally_names_books_of_another_shelf() {
        let mut calls = reads(4, 0..4);
        calls.extend(reads(9, [0, 1]));
        calls.push(Read {
            book: 0,
            shelf: (4, MARK + 1),
        });
        let problem = tally(4, MARK, &calls).expect("a problem");
        assert!(
            problem.contains("3 reads were of books from another shelf"),
            "{problem}"
        );
        assert!(
            problem.contains("1 from a shelf of 4 books, 2 from a shelf of 9 books"),
            "{problem}"
        );
        assert!(!problem.contains("never"), "{problem}");
        assert_eq!(never_read(4, MARK, &calls), Vec::<usize>::new());
    }

    fn shelf(books: usize, librarians: usize) -> Shelf {
        Shelf {
            books,
            letters: 10,
            librarians,
            why: "a test",
        }
    }

    fn returned(s: Shelf, count: u64, expected: u64, calls: Vec<Read>) -> ShelfRun {
        ShelfRun {
            shelf: s,
            mark: MARK,
            counted: Counted::Returned {
                count,
                expected,
                reads: calls,
            },
        }
    }

    #[test]
    fn right_count_passes_every_shelf_right() {
        let runs = [
            returned(shelf(4, 2), 9, 9, reads(4, 0..4)),
            returned(shelf(0, 3), 0, 0, vec![]),
        ];
        assert_says(
            &right_count(&runs),
            Passed,
            &["all 2 shelves", "4 by 2, 0 by 3"],
        );
    }

    /// Mutant `zero_librarians_panic`: the panic names the shelf, and says
    /// that zero librarians count as one.
    #[test]
    fn right_count_names_the_shelf_that_panicked() {
        let runs = [
            returned(shelf(4, 2), 9, 9, reads(4, 0..4)),
            ShelfRun {
                shelf: shelf(6, 0),
                mark: MARK,
                counted: Counted::Panicked {
                    message: "attempt to divide by zero".into(),
                    location: Some("fx/src/lib.rs:9".into()),
                },
            },
            ShelfRun {
                shelf: shelf(1, 2),
                mark: MARK,
                counted: Counted::Panicked {
                    message: "boom".into(),
                    location: None,
                },
            },
        ];
        let verdict = right_count(&runs);
        assert_says(
            &verdict,
            Failed,
            &[
                "panicked on the shelf of 6 books with 0 librarians (a test)",
                "divide by zero",
                "(at fx/src/lib.rs:9)",
                "Zero librarians count as one",
            ],
        );
        assert!(
            verdict.details[0].contains("also wrong on 1 more: shelf of 1 book with 2 librarians")
        );
    }

    /// Mutant `drops_leftover_books`: the books never read are named, with
    /// the bands hint when they end the shelf and it does not divide.
    #[test]
    fn right_count_names_books_never_read() {
        let v = right_count(&[returned(shelf(9, 2), 5, 9, reads(9, 0..8))]);
        assert_says(
            &v,
            Failed,
            &[
                "returned 5 words, expected 9",
                "book 8 was never read",
                "left over when 9 books are cut into 2",
            ],
        );
        let v = right_count(&[returned(shelf(8, 2), 5, 9, reads(8, [0, 1, 2, 4, 5, 6, 7]))]);
        assert_says(&v, Failed, &["book 3 was never read"]);
        assert!(!v.message.contains("left over"), "{}", v.message);
    }

    /// Mutant `rereads_a_book`: the count is right, the reads are not.
    #[test]
    fn right_count_rejects_a_right_count_with_extra_reads() {
        let v = right_count(&[returned(shelf(4, 2), 9, 9, reads(4, [0, 0, 1, 2, 3]))]);
        assert_says(
            &v,
            Failed,
            &[
                "the count was right (9 words), but",
                "book 0 was read twice",
            ],
        );
    }

    #[test]
    fn right_count_rejects_a_wrong_sum_of_right_reads() {
        let v = right_count(&[returned(shelf(4, 2), 7, 9, reads(4, 0..4))]);
        assert_says(
            &v,
            Failed,
            &[
                "returned 7 words, expected 9",
                "every book was read exactly once",
                "every librarian's total",
            ],
        );
    }

    fn progress(started: usize, finished: usize, quiet: u64) -> Progress {
        Progress {
            started,
            finished,
            quiet: ms(quiet),
            at_rendezvous: false,
            elapsed: ms(2100),
        }
    }

    /// Faults `deadlock` (no read), a deadlock after some reads, and
    /// `endless_reading` (reads without end).
    #[test]
    fn stalls_say_what_the_run_did_until_then() {
        let s = default_with(2);
        let v = stalled(&s, 4864, &progress(0, 0, 2100));
        assert_says(
            &v,
            TimedOut,
            &[
                "without reading a single book",
                "deadlock",
                "600 books with 2 librarians",
            ],
        );
        let v = stalled(&s, 4864, &progress(100, 100, 2000));
        assert_says(
            &v,
            TimedOut,
            &["finished 100 reads on the shelf of 600 books", "for 2.0 s"],
        );
        let v = stalled(&s, 4864, &progress(4865, 4865, 0));
        assert_says(&v, TimedOut, &["called 4865 times", "never ends"]);
    }

    fn follow(librarians: usize, threads: Vec<(ThreadKind, usize)>) -> Follow {
        Follow {
            shelf: default_with(librarians),
            threads,
            tally: None,
            runs: 1,
        }
    }

    /// `n` threads, 600 books between them.
    fn spread(n: usize) -> Vec<(ThreadKind, usize)> {
        (1..=n).map(|i| (t(i), 600 / n)).collect()
    }

    #[test]
    fn threads_follow_passes_as_many_threads_as_librarians() {
        let cases = [
            follow(1, vec![(ThreadKind::Caller, 600)]),
            follow(2, spread(2)),
            follow(5, spread(5)),
        ];
        assert_says(
            &threads_follow(&cases, 2),
            Passed,
            &[
                "followed the librarians",
                "1 librarian: 1 thread; 2 librarians: 2 threads; 5 librarians: 5 threads",
                "2 cores",
            ],
        );
    }

    #[test]
    fn threads_follow_needs_reads() {
        assert_says(
            &threads_follow(&[follow(2, vec![])], 2),
            Failed,
            &["never called lab::library::read"],
        );
    }

    #[test]
    fn threads_follow_rejects_a_miscount_first() {
        let mut case = follow(2, spread(2));
        case.tally = Some("book 3 was read twice".into());
        assert_says(
            &threads_follow(&[case], 2),
            Failed,
            &["on the shelf of 600 books with 2 librarians: book 3 was read twice"],
        );
    }

    /// Mutant `thread_per_book`.
    #[test]
    fn threads_follow_rejects_a_thread_per_book() {
        let cases = [follow(1, spread(600)), follow(2, spread(600))];
        assert_says(
            &threads_follow(&cases, 2),
            Failed,
            &[
                "with 2 librarians, 600 threads read the 600 books (1.0 each)",
                "a thread per book",
                "2 cores",
                "Expected exactly 2 threads,",
            ],
        );
    }

    /// A thread per band plus the calling thread reading the leftovers.
    #[test]
    fn threads_follow_names_the_caller_reading_leftovers() {
        let mut threads = spread(3);
        threads.push((ThreadKind::Caller, 2));
        let v = threads_follow(&[follow(3, threads)], 2);
        assert_says(
            &v,
            Failed,
            &[
                "with 3 librarians, 4 threads read books: 1 more than asked",
                "The calling thread read 2 books itself",
                "left over",
            ],
        );
    }

    /// Mutant `one_librarian` (and a single spawned thread).
    #[test]
    fn threads_follow_names_one_thread_for_every_number_of_librarians() {
        let one = |kind: ThreadKind| {
            [1, 2, 3]
                .map(|w| follow(w, vec![(kind.clone(), 600)]))
                .to_vec()
        };
        let mut cases = one(ThreadKind::Caller);
        cases[2].runs = 3;
        let v = threads_follow(&cases, 2);
        assert_says(
            &v,
            Failed,
            &[
                "with 1, 2 and 3 librarians, the calling thread read every book itself",
                "sequential loop",
                "Seen: 1 librarian: 1 thread; 2 librarians: 1 thread",
            ],
        );
        let v = threads_follow(&one(t(1)), 2);
        assert_says(
            &v,
            Failed,
            &[
                "1 thread read the books whatever",
                "that one thread (thread #1) read every book",
                "still one librarian",
            ],
        );
        // On one core, one spawned thread may be the cores' number.
        let v = threads_follow(&one(t(1)), 1);
        assert_says(
            &v,
            Failed,
            &["this machine has 1 core", "available_parallelism"],
        );
    }

    /// Mutant `threads_per_core`: the count follows the machine.
    #[test]
    fn threads_follow_names_a_count_that_follows_the_cores() {
        let cases = [
            follow(1, spread(2)),
            follow(2, spread(2)),
            follow(5, spread(2)),
        ];
        let v = threads_follow(&cases, 2);
        assert_says(
            &v,
            Failed,
            &[
                "2 threads read the books whatever the number of librarians (1, 2 and 5)",
                "available_parallelism",
            ],
        );
        let v = threads_follow(&cases, 8);
        assert_says(&v, Failed, &["a number written into the code"]);
    }

    /// A learner who brought rayon back: its pool, not the librarians,
    /// sets the number of threads.
    #[test]
    fn threads_follow_names_rayon_s_pool() {
        let pool = |n: usize| {
            (0..n)
                .map(|index| (ThreadKind::RayonWorker { index, pool: 4 }, 150))
                .collect()
        };
        let v = threads_follow(&[follow(2, pool(4)), follow(5, pool(4))], 2);
        assert_says(
            &v,
            Failed,
            &[
                "with 2 librarians, 4 threads read books, rayon workers among them",
                "std::thread::scope",
            ],
        );
    }

    #[test]
    fn threads_follow_names_too_few_threads_in_one_case() {
        let mut case = follow(5, spread(4));
        case.runs = 3;
        let v = threads_follow(&[follow(2, spread(2)), case], 2);
        assert_says(
            &v,
            Failed,
            &[
                "with shelf of 600 books with 5 librarians, only 4 threads read books (in each of 3 runs)",
                "thread #1 150 books",
                "Expected 5",
            ],
        );
    }

    #[test]
    fn bounds_scale_with_the_threads() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let (least, most) = bounds(2);
        assert!(close(least, 0.2) && close(most, 0.8));
        let (least, most) = bounds(5);
        assert!(close(least, 0.08) && close(most, 0.32));
        assert!(close(bounds(1).1, 1.0));
    }

    #[test]
    fn lopsided_runs_get_another_look() {
        assert!(lopsided(
            2,
            &[share(t(1), 570, 0.95), share(t(2), 30, 0.05)]
        ));
        assert!(lopsided(
            3,
            &[
                share(t(1), 200, 0.45),
                share(t(2), 200, 0.45),
                share(t(3), 200, 0.1)
            ]
        ));
        assert!(!lopsided(
            2,
            &[share(t(1), 300, 0.6), share(t(2), 300, 0.4)]
        ));
        assert!(lopsided(2, &[share(ThreadKind::Caller, 600, 1.0)]));
        assert!(!lopsided(1, &[share(ThreadKind::Caller, 600, 1.0)]));
        let fair = [share(t(1), 300, 0.52), share(t(2), 300, 0.48)];
        let unfair = [share(t(1), 300, 0.7), share(t(2), 300, 0.3)];
        assert!(unfairness(&fair) < unfairness(&unfair));
        assert!(unfairness(&[share(t(1), 600, 1.0)]) >= 1.0);
    }

    fn fairness(librarians: usize, threads: Vec<ThreadShare>) -> Fairness {
        Fairness {
            shelf: default_with(librarians),
            threads,
            runs: 1,
        }
    }

    fn even(n: usize) -> Vec<ThreadShare> {
        (1..=n)
            .map(|i| share(t(i), 600 / n, 1.0 / n as f64))
            .collect()
    }

    #[test]
    fn fair_shares_passes_even_bands() {
        let cases: Vec<Fairness> = FAIR
            .iter()
            .map(|s| fairness(s.librarians, even(s.librarians)))
            .collect();
        let v = fair_shares(&cases, 2);
        assert_says(
            &v,
            Passed,
            &[
                "every thread did a fair part",
                "50% with 2 (a fair part: 50%)",
                "20% with 5 (a fair part: 20%)",
            ],
        );
        assert!(
            v.details[1].starts_with("3 librarians: thread #1 33% (200 books)"),
            "{:?}",
            v.details
        );
    }

    #[test]
    fn fair_shares_needs_reads_and_a_clock() {
        assert_says(
            &fair_shares(&[fairness(2, vec![])], 2),
            Failed,
            &["never called"],
        );
        let mut case = fairness(2, even(2));
        for t in &mut case.threads {
            t.cpu = Duration::ZERO;
        }
        assert_says(&fair_shares(&[case], 2), Inconclusive, &["CPU clock"]);
    }

    /// Mutant `lopsided_bands`.
    #[test]
    fn fair_shares_rejects_one_thread_doing_almost_everything() {
        let mut case = fairness(
            3,
            vec![
                share(t(1), 570, 0.95),
                share(t(2), 15, 0.03),
                share(t(3), 15, 0.02),
            ],
        );
        case.runs = 3;
        let v = fair_shares(&[fairness(2, even(2)), case], 2);
        assert_says(
            &v,
            Failed,
            &[
                "with 3 librarians on the shelf of 600 books, thread #1 did 95% of the reading, the fairest of 3 runs",
                "each near 33%, none over 53% and none under 13%",
            ],
        );
        assert_eq!(v.details.len(), 2);
    }

    #[test]
    fn fair_shares_rejects_a_thread_with_too_little() {
        let v = fair_shares(
            &[fairness(
                3,
                vec![
                    share(t(1), 280, 0.48),
                    share(t(2), 280, 0.47),
                    share(t(3), 40, 0.05),
                ],
            )],
            2,
        );
        assert_says(&v, Failed, &["thread #3 did only 5.0% of the reading"]);
        // Many threads: the six busiest, then how many more.
        let many: Vec<ThreadShare> = (1..=9)
            .map(|i| share(t(i), 1, if i == 9 { 0.01 } else { 0.99 / 8.0 }))
            .collect();
        let v = fair_shares(&[fairness(2, many)], 2);
        assert_says(
            &v,
            Failed,
            &["thread #9 did only 1.0%", "and 3 more threads"],
        );
    }

    /// Mutant `one_librarian`: failed on any machine.
    #[test]
    fn fair_shares_rejects_one_thread_for_several_librarians() {
        for cores in [1, 2] {
            let v = fair_shares(
                &[fairness(2, vec![share(ThreadKind::Caller, 600, 1.0)])],
                cores,
            );
            assert_says(
                &v,
                Failed,
                &[
                    "one thread (the calling thread) did all the reading",
                    "nothing was shared",
                ],
            );
        }
        let v = fair_shares(&[fairness(2, vec![share(t(1), 600, 1.0)])], 2);
        assert_says(&v, Failed, &["one thread (thread #1) did all the reading"]);
    }

    /// Mutant `threads_per_core` on one core: one spawned thread may be
    /// the cores' number, so inconclusive, never failed.
    #[test]
    fn fair_shares_one_spawned_thread_on_one_core_is_inconclusive() {
        let v = fair_shares(&[fairness(2, vec![share(t(1), 600, 1.0)])], 1);
        assert_says(
            &v,
            Inconclusive,
            &[
                "one thread (thread #1) did all the reading",
                "one core",
                "threads_follow_librarians",
            ],
        );
    }

    fn span(thread: usize, start: u64, end: u64) -> Span {
        Span {
            thread,
            start: ms(start),
            end: ms(end),
        }
    }

    #[test]
    fn most_at_once_counts_distinct_threads_overlapping() {
        assert_eq!(most_at_once(&[]), 0);
        assert_eq!(most_at_once(&[span(0, 0, 1), span(0, 1, 2)]), 1);
        // Two threads taking turns: touching is not overlapping.
        assert_eq!(
            most_at_once(&[span(0, 0, 1), span(1, 1, 2), span(0, 2, 3)]),
            1
        );
        assert_eq!(
            most_at_once(&[span(0, 0, 4), span(1, 1, 2), span(2, 3, 5)]),
            2
        );
        assert_eq!(
            most_at_once(&[span(0, 0, 4), span(1, 1, 3), span(2, 2, 5)]),
            3
        );
    }

    fn seen(ordinary: Vec<Ordinary>, rendezvous: RendezvousResult, cores: usize) -> Simultaneity {
        Simultaneity {
            shelf: default_with(2),
            ordinary,
            rendezvous: Some(rendezvous),
            held_for: ms(1000),
            cores,
        }
    }

    fn ordinary(threads: usize, most_at_once: usize) -> Ordinary {
        Ordinary {
            reads: 600,
            threads,
            most_at_once,
            on_caller: threads == 1,
        }
    }

    const MET: RendezvousResult = RendezvousResult::Met {
        waited: Duration::from_millis(2),
    };
    const ALONE: RendezvousResult = RendezvousResult::TimedOut {
        waited: Duration::from_millis(1000),
    };

    #[test]
    fn side_by_side_passes_overlap_in_an_ordinary_run() {
        let v = side_by_side(&seen(vec![ordinary(2, 2)], MET, 2));
        assert_says(
            &v,
            Passed,
            &[
                "with 2 librarians, in an ordinary run, up to 2 threads",
                "2 cores",
                "2 ms later",
            ],
        );
        // The held run confirms; it does not decide against a real overlap.
        let v = side_by_side(&seen(vec![ordinary(2, 1), ordinary(2, 2)], ALONE, 2));
        assert_says(&v, Passed, &["in 2 ordinary runs", "no other thread"]);
    }

    #[test]
    fn side_by_side_on_one_core_says_the_threads_took_turns_on_it() {
        let v = side_by_side(&seen(vec![ordinary(2, 2)], MET, 1));
        assert_says(&v, Passed, &["1 core", "gave them turns"]);
    }

    #[test]
    fn side_by_side_needs_reads() {
        let mut s = seen(
            vec![Ordinary {
                reads: 0,
                threads: 0,
                most_at_once: 0,
                on_caller: true,
            }],
            ALONE,
            2,
        );
        s.rendezvous = None;
        assert_says(&side_by_side(&s), Failed, &["never called"]);
    }

    /// Mutant `one_librarian`: on any machine.
    #[test]
    fn side_by_side_rejects_one_thread() {
        for cores in [1, 2] {
            let v = side_by_side(&seen(vec![ordinary(1, 1); 3], ALONE, cores));
            assert_says(
                &v,
                Failed,
                &[
                    "no two books",
                    "in 3 ordinary runs every book was read on one thread",
                    "for 1000 ms",
                ],
            );
        }
        // One spawned thread fails on two cores...
        let spawned = Ordinary {
            on_caller: false,
            ..ordinary(1, 1)
        };
        let v = side_by_side(&seen(vec![spawned; 3], ALONE, 2));
        assert_says(&v, Failed, &["every book was read on one thread"]);
        // ...and is inconclusive on one (mutant `threads_per_core`).
        let v = side_by_side(&seen(vec![spawned; 3], ALONE, 1));
        assert_says(
            &v,
            Inconclusive,
            &[
                "started by count_words",
                "one core",
                "threads_follow_librarians",
            ],
        );
    }

    /// Mutants `join_before_spawn` and `lock_around_read`.
    #[test]
    fn side_by_side_rejects_librarians_that_wait_for_each_other() {
        let v = side_by_side(&seen(vec![ordinary(2, 1); 3], ALONE, 2));
        assert_says(
            &v,
            Failed,
            &[
                "books were read on 2 threads, but never two at the same instant",
                "no other thread started a book",
                "joined before the next one is spawned",
                "a lock",
            ],
        );
    }

    /// Threads that take turns: the held run let another thread in,
    /// which ordinary runs never did.
    #[test]
    fn side_by_side_rejects_threads_taking_turns() {
        let v = side_by_side(&seen(vec![ordinary(2, 1); 3], MET, 2));
        assert_says(
            &v,
            Failed,
            &[
                "only when the checker held",
                "take turns",
                "Something serialises",
            ],
        );
    }

    /// On one core, threads that never overlapped are inconclusive,
    /// whatever the held run saw: never failed.
    #[test]
    fn side_by_side_on_one_core_without_overlap_is_inconclusive() {
        for held in [MET, ALONE] {
            let v = side_by_side(&seen(vec![ordinary(2, 1); 3], held, 1));
            assert_says(&v, Inconclusive, &["one core", "two cores or more"]);
        }
    }
}
