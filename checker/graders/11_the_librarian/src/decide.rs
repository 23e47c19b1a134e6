//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence that each
//! wrong model (each mutant fixture in `tests/fixtures/11_the_librarian/`)
//! produces. Decisions compare numbers and enums, never text.

use std::time::Duration;

use grading::{Verdict, ms};
use lab::catalogue::DATABASE_WAIT;
use protocol::Timeline;

use crate::crowd::Ending;

/// How many times one thread's pace the thousand may take: the time of
/// its slips read one after another, plus one request's wait. A server
/// that never waits needs about 1.1 times that on an idle machine (the
/// rest is accepting, reading and writing), and a busy machine stretches
/// the slips and the rest alike, since both are measured on the real
/// clock. Serving readers two at a time needs about 10 times.
pub const PACE: u32 = 2;
/// Added to the limit: the start of a crowd (a thousand connections) and a
/// moment the whole process may be paused on a busy machine.
pub const PACE_SLACK: Duration = Duration::from_millis(500);

/// The longest a crowd may take, given the time its slips took to read
/// one after another (`compute`): [`PACE`] times that plus one query's
/// wait, plus [`PACE_SLACK`]. The wait is the catalogue's own figure: a
/// query's task may be polled later than its timer fires, behind the
/// thread's other work, and that is the thread's pace, not the query's.
pub fn pace_limit(compute: Duration) -> Duration {
    (compute + DATABASE_WAIT) * PACE + PACE_SLACK
}

/// The length of the union of `spans`: how long at least one was open.
/// For the slips of one thread, their total.
pub fn union(spans: &[(Duration, Duration)]) -> Duration {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let mut total = Duration::ZERO;
    let mut current: Option<(Duration, Duration)> = None;
    for (start, end) in sorted {
        match &mut current {
            Some((_, e)) if start <= *e => *e = (*e).max(end),
            _ => {
                if let Some((s, e)) = current {
                    total += e.saturating_sub(s);
                }
                current = Some((start, end));
            }
        }
    }
    if let Some((s, e)) = current {
        total += e.saturating_sub(s);
    }
    total
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// One reader of a `right_answers` crowd.
#[derive(Debug, Clone)]
pub struct ReaderFacts {
    /// The lines sent.
    pub lines: Vec<String>,
    /// The right replies.
    pub expected: Vec<String>,
    /// The replies received.
    pub got: Vec<String>,
    /// What went wrong on the connection.
    pub problem: Option<String>,
}

/// One crowd of `right_answers`.
#[derive(Debug, Clone)]
pub struct AnswerRun {
    /// The crowd's shape, for messages.
    pub shape: &'static str,
    /// Its readers.
    pub readers: Vec<ReaderFacts>,
    /// Per well-formed slip's book: (book, times its slip was read, times
    /// the catalogue was asked for it).
    pub books: Vec<(u32, usize, usize)>,
}

fn quoted(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| format!("{l:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `right_answers`: every reader got the right reply to each line, in
/// order; every well-formed slip was read by lab once and asked of the
/// catalogue once.
pub fn right_answers(runs: &[AnswerRun]) -> Verdict {
    for run in runs {
        for (i, r) in run.readers.iter().enumerate() {
            let who = format!("reader {} of {}", i + 1, run.shape);
            if let Some(n) = (0..r.expected.len()).find(|&n| r.got.get(n) != Some(&r.expected[n])) {
                let got = match (r.got.get(n), &r.problem) {
                    (Some(line), _) => format!("got {line:?}"),
                    (None, Some(problem)) => format!("got no reply ({problem})"),
                    (None, None) => "got no reply".to_string(),
                };
                return Verdict::fail(format!(
                    "{who} sent {} and, to {:?}, {got} where {:?} was right. Expected one line \
                     back per line sent, in order: the Reply (or the BadSlip) from the \
                     catalogue, written with to_string() and ended with \\n.",
                    quoted(&r.lines),
                    r.lines[n],
                    r.expected[n]
                ));
            }
        }
        for &(book, read, asked) in &run.books {
            let problem = if read != 1 {
                format!(
                    "the slip \"WHERE {book}\" was read by catalogue.read_slip {} ({}), and \
                     each slip must be read exactly once",
                    plural(read, "time", "times"),
                    run.shape
                )
            } else if asked != 1 {
                format!(
                    "the catalogue was asked for book {book} {} ({}), and each slip is one \
                     query: catalogue.find(query).await, once",
                    plural(asked, "time", "times"),
                    run.shape
                )
            } else {
                continue;
            };
            return Verdict::fail(format!(
                "the replies were right, but {problem}. The checker counts every slip read and \
                 every query: a reply that did not come from them is not served."
            ));
        }
    }
    let shapes: Vec<&str> = runs.iter().map(|r| r.shape).collect();
    Verdict::pass(format!(
        "every reader got the right reply to every line, in order, each slip read once and \
         asked once: for {}",
        shapes.join(", for ")
    ))
}

/// What a crowd showed when its watchdog found nothing moving.
#[derive(Debug, Clone)]
pub struct HangFacts {
    /// The crowd's shape.
    pub shape: &'static str,
    /// How long nothing moved.
    pub quiet: Duration,
    /// Readers in the crowd.
    pub readers: usize,
    /// Readers who had sent their slips.
    pub sent: usize,
    /// Readers who had every reply.
    pub answered: usize,
    /// Slips read, queries started and ended.
    pub slips: usize,
    /// See `slips`.
    pub queries_started: usize,
    /// See `slips`.
    pub queries_ended: usize,
    /// What became of `run`, if it returned.
    pub stopped: Option<String>,
    /// The crowd so far.
    pub timeline: Timeline,
}

/// Any check, when nothing moved in a crowd: `timed_out`, saying where the
/// readers were stuck.
pub fn hung(h: &HangFacts) -> Verdict {
    let why = if let Some(stopped) = &h.stopped {
        format!("{stopped}, so nobody was serving any more")
    } else if h.sent == 0 {
        "no reader could send a slip".to_string()
    } else if h.slips == 0 {
        "the server read none of the slips it was sent: it may wait for more than a line \
         (read_to_end or read_to_string wait for the reader to hang up, and a reader waiting \
         for a reply never does), or never accept the connection"
            .to_string()
    } else if h.queries_started > h.queries_ended {
        "a query to the catalogue never ended: it was never polled again (awaited under another \
         executor, or its task blocked)"
            .to_string()
    } else {
        "slips were read, but the replies never reached the readers: a reply is one line ended \
         by \\n, and anything written through a BufWriter must be flushed"
            .to_string()
    };
    Verdict::timed_out(format!(
        "nothing moved for {} with {}: {why}. By then {} of {} readers had sent their slips, {} \
         had their replies; {} read, {} of {} queries ended. Stopped early.",
        secs(h.quiet),
        h.shape,
        h.sent,
        h.readers,
        h.answered,
        plural(h.slips, "slip", "slips"),
        h.queries_ended,
        h.queries_started
    ))
    .timeline(h.timeline.clone())
}

/// A big crowd (the thousand, or the 250 of the structural checks), as the
/// three model checks see it.
#[derive(Debug, Clone)]
pub struct CrowdFacts {
    /// Readers in the crowd.
    pub readers: usize,
    /// How the crowd ended.
    pub ending: Ending,
    /// Readers who got every reply.
    pub answered: usize,
    /// Readers whose reply was right.
    pub right: usize,
    /// The first wrong reply: (line, got, expected).
    pub first_wrong: Option<(String, String, String)>,
    /// From the first reader's setting off to the last reply (or the cut).
    pub elapsed: Duration,
    /// How long slips were being read, all threads together (the union).
    pub compute: Duration,
    /// The CPU time of the slips read, all threads together: beside
    /// `compute`, how much of a core the readers of slips got.
    pub slip_cpu: Duration,
    /// Slips read.
    pub slips: usize,
    /// Queries started.
    pub queries: usize,
    /// The most queries whose database wait was running at once.
    pub peak_queries: usize,
    /// Finished queries during whose database wait another reader stood
    /// waiting (sent, slip not yet read), and of those, the ones with no
    /// slip read beside them: the others waited for that query.
    pub judged_waits: usize,
    /// See `judged_waits`.
    pub lonely_waits: usize,
    /// Queries made with the old synchronous client.
    pub blocking: usize,
    /// Of those, made outside any tokio runtime.
    pub blocking_outside_runtime: usize,
    /// Distinct threads that read slips or ran queries.
    pub threads: usize,
    /// Whether some were workers of a multi-thread tokio runtime (or its
    /// blocking pool), by their name.
    pub tokio_workers: bool,
    /// The crowd on the real clock.
    pub timeline: Timeline,
}

impl CrowdFacts {
    fn limit(&self) -> Duration {
        pace_limit(self.compute)
    }

    /// The wrong model behind a one-at-a-time run, from what the catalogue
    /// saw, if the evidence names one.
    fn one_at_a_time(&self) -> Option<&'static str> {
        if self.threads > 1 {
            None
        } else if self.blocking_outside_runtime > 0 {
            Some(
                "A blocking std::net server: no async runtime ran the queries, so each reader \
                 is served from start to finish (the catalogue's wait included) before the \
                 next is accepted. Expected a tokio::net::TcpListener on a current-thread \
                 runtime, a task per reader, and catalogue.find(query).await.",
            )
        } else if self.blocking > 0 {
            Some(
                "The database wait was done with std::thread::sleep (the old synchronous \
                 client, find_blocking): it holds the runtime's only thread for the whole \
                 query, so no other reader moves meanwhile. Expected \
                 catalogue.find(query).await, which hands the thread back while it waits.",
            )
        } else if self.peak_queries <= 1 && self.queries > 1 {
            Some(
                "Every query waited alone, though each was awaited: the accept loop awaits one \
                 reader's whole visit before it accepts the next. Expected tokio::spawn of each \
                 accepted connection, so that the loop is back at the door at once.",
            )
        } else {
            None
        }
    }
}

/// `a_thousand_readers`: all answered right, within [`PACE`] times the
/// pace of one thread that never waits.
pub fn a_thousand_readers(f: &CrowdFacts) -> Verdict {
    let pace = format!(
        "{} of slips read one after another ({}, the limit of one core), plus one request's \
         wait ({})",
        ms(f.compute),
        plural(f.slips, "slip", "slips"),
        ms(DATABASE_WAIT)
    );
    if f.ending == Ending::OverLimit && f.elapsed <= f.limit() {
        return Verdict::inconclusive(format!(
            "the machine is too busy to serve the crowd within the check's time: after {}, {} of \
             {} readers were answered, at the pace of one thread that never waits, but the \
             slips got {} of CPU in {} of reading ({:.0}% of a core). Run the check again on a \
             quieter machine, or give it more time (--timeout 90).",
            secs(f.elapsed),
            f.answered,
            f.readers,
            ms(f.slip_cpu),
            ms(f.compute),
            100.0 * f.slip_cpu.as_secs_f64() / f.compute.as_secs_f64().max(1e-3)
        ));
    }
    if matches!(f.ending, Ending::Cut | Ending::OverLimit) {
        let projected = f
            .elapsed
            .mul_f64(f.readers as f64 / f.answered.max(1) as f64);
        let how = if f.peak_queries <= 1 {
            " one at a time (never more than one query waiting at once)"
        } else {
            ""
        };
        return Verdict::fail(format!(
            "cut off after {}: {} of {} readers answered{how}, far behind one thread that never \
             waits. The {} read so far took {} one after another (the limit of one core); with \
             one request's wait ({}) the check allows {PACE} times that plus {} ({}). At this \
             pace the crowd would take about {}. {}",
            secs(f.elapsed),
            f.answered,
            f.readers,
            plural(f.slips, "slip", "slips"),
            ms(f.compute),
            ms(DATABASE_WAIT),
            ms(PACE_SLACK),
            secs(f.limit()),
            secs(projected),
            f.one_at_a_time().unwrap_or(
                "Readers waited for each other: something makes one reader's visit wait for \
                 another's (a lock held across an await, a limit on readers served at once)."
            )
        ))
        .timeline(f.timeline.clone());
    }
    if f.right < f.readers {
        let first = f
            .first_wrong
            .as_ref()
            .map(|(line, got, expected)| {
                format!(" The first: to {line:?} it got {got}, where {expected:?} was right.")
            })
            .unwrap_or_default();
        return Verdict::fail(format!(
            "{} of {} readers got a wrong reply or none.{first} Expected every reader answered, \
             however many come at once.",
            f.readers - f.right,
            f.readers
        ));
    }
    if f.elapsed > f.limit() {
        return Verdict::fail(format!(
            "all {} readers were answered, in {}: more than the {} allowed, {PACE} times \
             {pace}, plus {}. Readers waited for each other: up to {} queries waited at once. \
             Expected every reader's wait to overlap the others' reading.",
            f.readers,
            secs(f.elapsed),
            secs(f.limit()),
            ms(PACE_SLACK),
            f.peak_queries
        ))
        .timeline(f.timeline.clone());
    }
    Verdict::pass(format!(
        "all {} readers answered right in {}: {:.2} times {pace}. The waits overlapped; on one \
         thread the computing cannot",
        f.readers,
        secs(f.elapsed),
        f.elapsed.as_secs_f64() / (f.compute + DATABASE_WAIT).as_secs_f64()
    ))
    .detail(format!(
        "allowed {}; up to {} queries waited at once",
        secs(f.limit()),
        f.peak_queries
    ))
}

/// `one_thread`: every slip read and every query ran on one OS thread.
pub fn one_thread(f: &CrowdFacts) -> Verdict {
    if f.slips == 0 {
        return Verdict::fail(format!(
            "no slip was read while {} readers came: nothing shows which thread serves them. \
             Expected each slip read with catalogue.read_slip.",
            f.readers
        ));
    }
    if f.threads == 1 {
        let mut verdict = Verdict::pass(format!(
            "one thread read all {} and ran all {} of the crowd",
            plural(f.slips, "slip", "slips"),
            plural(f.queries, "query", "queries")
        ));
        if f.ending != Ending::Finished {
            verdict = verdict.detail(format!(
                "the crowd was cut off after {} of {} readers (see waits_overlap); every one \
                 served until then was served by that thread",
                f.answered, f.readers
            ));
        }
        return verdict;
    }
    let model = if f.threads * 2 >= f.slips.max(2) {
        "a thread per reader. Each thread costs memory and the system's time to switch \
         between them, and a thousand readers would take a thousand threads"
    } else if f.tokio_workers {
        "a multi-thread tokio runtime (or its blocking pool, spawn_blocking): their workers \
         are threads too"
    } else {
        "the work left the one thread (other threads, a pool, spawn_blocking)"
    };
    Verdict::fail(format!(
        "{} threads read the slips and ran the queries of {} readers: {model}. The librarian is \
         one thread: a current-thread runtime (Builder::new_current_thread, or \
         #[tokio::main(flavor = \"current_thread\")]) with a task per reader, never a thread.",
        f.threads, f.readers
    ))
    .timeline(f.timeline.clone())
}

/// The waits that others waited for, for [`CrowdFacts`]: of the finished
/// queries during which another reader stood waiting (sent before the
/// query began, its slip read only once the query had ended), those beside
/// which no slip was read at all. Returns (judged, lonely).
pub fn lonely_waits(
    queries: &[(u32, Duration, Duration)],
    slips: &[(u32, Duration, Duration)],
    sent: &[(u32, Duration)],
) -> (usize, usize) {
    let read_at = |book: u32| {
        slips
            .iter()
            .find(|s| s.0 == book)
            .map(|s| s.1)
            .unwrap_or(Duration::MAX)
    };
    let waiting: Vec<(Duration, Duration)> = sent.iter().map(|&(b, at)| (at, read_at(b))).collect();
    let (mut judged, mut lonely) = (0, 0);
    for &(book, start, end) in queries {
        let someone_waits = waiting
            .iter()
            .any(|&(sent, read)| sent <= start && read >= end);
        if !someone_waits {
            continue;
        }
        judged += 1;
        let work_beside = slips
            .iter()
            .any(|&(b, s, e)| b != book && s < end && e > start);
        if !work_beside {
            lonely += 1;
        }
    }
    (judged, lonely)
}

/// The most lonely waits a server that never waits may show: a busy machine
/// may pause the server's thread through a query now and then.
pub fn lonely_allowed(judged: usize) -> usize {
    (judged / 20).max(2)
}

/// `waits_overlap`: no reader waited for another's query.
pub fn waits_overlap(f: &CrowdFacts) -> Verdict {
    if f.lonely_waits > lonely_allowed(f.judged_waits) {
        return Verdict::fail(format!(
            "{} of {} queries were waited out with nothing else done, while other readers stood \
             waiting: each of them waited for another reader's query. Never more than {} \
             waited at once. {}",
            f.lonely_waits,
            f.judged_waits,
            plural(f.peak_queries, "query", "queries"),
            f.one_at_a_time().unwrap_or(
                "Expected the thread to read other slips while a query waits: \
                 catalogue.find(query).await in a task of its own per reader."
            )
        ))
        .timeline(f.timeline.clone());
    }
    if f.judged_waits == 0 {
        return Verdict::fail(format!(
            "no query finished while other readers waited ({} of {} readers answered), so \
             nothing shows that one reader's wait leaves the others moving.",
            f.answered, f.readers
        ));
    }
    Verdict::pass(format!(
        "while one reader's query waited, other slips were read: {} of {} queries had work \
         beside them, and up to {} waited at once",
        f.judged_waits - f.lonely_waits,
        f.judged_waits,
        f.peak_queries
    ))
}

#[cfg(test)]
mod tests;
