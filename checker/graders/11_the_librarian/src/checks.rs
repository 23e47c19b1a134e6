//! The checks: each opens the learner's library, sends crowds of readers,
//! gathers the evidence, and hands it to the pure decision of the same
//! name in [`crate::decide`].

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use grading::{Ctx, Verdict};
use lab::catalogue::{DATABASE_WAIT, QueryRecord};
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::crowd::{self, CrowdRun, Ending};
use crate::decide::{self, AnswerRun, CrowdFacts, HangFacts, ReaderFacts};
use crate::library::{self, Library};
use crate::world::{self, Crowd, World, book_of};

/// Readers drawn one lane each in a timeline.
const DRAWN_READERS: usize = 5;

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The crowd on the real clock, from its start: the first few readers
/// (sent to answered), slips being read, the database's waits.
fn timeline(crowd: &Crowd, run: &CrowdRun) -> Timeline {
    let end = run.end;
    let span = |a: Duration, b: Duration| Span {
        start_ms: ms_f(a.saturating_sub(run.start)),
        end_ms: ms_f(b.min(end).saturating_sub(run.start)),
    };
    let mut lanes: Vec<Lane> = run
        .visits
        .iter()
        .zip(&crowd.readers)
        .take(DRAWN_READERS)
        .enumerate()
        .map(|(i, (v, _))| Lane {
            label: format!("reader {}", i + 1),
            spans: v
                .sent
                .map(|sent| span(sent, v.answered.unwrap_or(end)))
                .into_iter()
                .collect(),
        })
        .collect();
    lanes.push(
        Lane {
            label: "slips read".into(),
            spans: run.slips.iter().map(|s| span(s.start, s.end)).collect(),
        }
        .merged(),
    );
    lanes.push(
        Lane {
            label: "database waits".into(),
            spans: run
                .queries
                .iter()
                .map(|q| span(q.real_start, database_end(q)))
                .collect(),
        }
        .merged(),
    );
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// When the database answered a query: its wait after it started. The
/// query's task may be polled later than that, when the thread has other
/// work queued first; that later part is the reader waiting for the
/// thread, not for the database.
fn database_end(q: &QueryRecord) -> Duration {
    q.real_start + DATABASE_WAIT
}

/// Opens the library of `world` and runs `body` with it and a client
/// runtime; a library that does not open gives its verdict.
fn with_library(
    world: &World,
    body: impl FnOnce(&mut Library, &tokio::runtime::Runtime) -> Verdict,
) -> Verdict {
    let rounds = world::calibrate();
    let mut library = match library::open(world.shelves.clone(), rounds) {
        Ok(library) => library,
        Err(verdict) => return verdict,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime for the readers");
    let verdict = body(&mut library, &runtime);
    verdict.detail(format!(
        "the library listened at {}; it closes with this check's process",
        library.addr
    ))
}

/// Sends `crowd`; if nothing moved, the verdict that ends the check.
fn send(
    ctx: &Ctx,
    library: &mut Library,
    runtime: &tokio::runtime::Runtime,
    crowd: &Crowd,
    paced: bool,
) -> Result<CrowdRun, Verdict> {
    let limit = crowd::run_limit(ctx.deadline);
    let run = runtime.block_on(crowd::visit_all(library, crowd, paced, limit));
    let stopped = library.ended();
    if let Ending::Hung(quiet) = run.ending {
        return Err(decide::hung(&HangFacts {
            shape: crowd.shape,
            quiet,
            readers: crowd.readers.len(),
            sent: run.visits.iter().filter(|v| v.sent.is_some()).count(),
            answered: run.visits.iter().filter(|v| v.answered.is_some()).count(),
            slips: run.slips.len(),
            queries_started: run.queries.len(),
            queries_ended: run.queries.iter().filter(|q| q.real_end.is_some()).count(),
            stopped,
            timeline: timeline(crowd, &run),
        }));
    }
    Ok(run)
}

pub fn right_answers(ctx: &Ctx) -> Verdict {
    let world = World::new(ctx.seed);
    with_library(&world, |library, runtime| {
        let mut runs = Vec::new();
        for crowd in &world.small {
            let run = match send(ctx, library, runtime, crowd, false) {
                Ok(run) => run,
                Err(verdict) => return verdict,
            };
            let count = |books: Vec<u32>| {
                let mut n: HashMap<u32, usize> = HashMap::new();
                for b in books {
                    *n.entry(b).or_default() += 1;
                }
                n
            };
            let read = count(run.slips.iter().map(|s| s.book).collect());
            let asked = count(run.queries.iter().map(|q| q.book).collect());
            runs.push(AnswerRun {
                shape: crowd.shape,
                readers: crowd
                    .readers
                    .iter()
                    .zip(&run.visits)
                    .map(|(r, v)| ReaderFacts {
                        lines: r.lines.clone(),
                        expected: r.expected.clone(),
                        got: v.got.clone(),
                        problem: v.problem.clone(),
                    })
                    .collect(),
                books: crowd
                    .books()
                    .into_iter()
                    .map(|b| {
                        (
                            b,
                            read.get(&b).copied().unwrap_or(0),
                            asked.get(&b).copied().unwrap_or(0),
                        )
                    })
                    .collect(),
            });
        }
        decide::right_answers(&runs)
    })
}

/// Sends a big crowd (`pick` chooses which) and sums up what it showed
/// for a model check.
fn big_crowd(ctx: &Ctx, pick: fn(&World) -> &Crowd, decide: fn(&CrowdFacts) -> Verdict) -> Verdict {
    let world = World::new(ctx.seed);
    with_library(&world, |library, runtime| {
        let crowd = pick(&world);
        let run = match send(ctx, library, runtime, crowd, true) {
            Ok(run) => run,
            Err(verdict) => return verdict,
        };
        decide(&facts(crowd, &run))
    })
}

/// The evidence of one run of the thousand.
fn facts(crowd: &Crowd, run: &CrowdRun) -> CrowdFacts {
    let answered = run.visits.iter().filter(|v| v.answered.is_some()).count();
    let mut right = 0;
    let mut first_wrong = None;
    for (r, v) in crowd.readers.iter().zip(&run.visits) {
        if v.got == r.expected {
            right += 1;
        } else if first_wrong.is_none() {
            let got = match (v.got.first(), &v.problem) {
                (Some(line), _) => format!("{line:?}"),
                (None, Some(problem)) => format!("no reply ({problem})"),
                (None, None) => "no reply".into(),
            };
            first_wrong = Some((r.lines[0].clone(), got, r.expected[0].clone()));
        }
    }
    let last_answer = run.visits.iter().filter_map(|v| v.answered).max();
    let end = match (run.ending, last_answer) {
        (Ending::Finished, Some(last)) => last,
        _ => run.end,
    };
    let spans: Vec<(Duration, Duration)> = run.slips.iter().map(|s| (s.start, s.end)).collect();
    let query_spans: Vec<(usize, Duration, Duration)> = run
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| (i, q.real_start, database_end(q).min(run.end)))
        .collect();
    let finished: Vec<(u32, Duration, Duration)> = run
        .queries
        .iter()
        .filter(|q| q.real_end.is_some())
        .map(|q| (q.book, q.real_start, database_end(q)))
        .collect();
    let slips: Vec<(u32, Duration, Duration)> =
        run.slips.iter().map(|s| (s.book, s.start, s.end)).collect();
    let sent: Vec<(u32, Duration)> = crowd
        .readers
        .iter()
        .zip(&run.visits)
        .filter_map(|(r, v)| Some((book_of(&r.lines[0])?, v.sent?)))
        .collect();
    let (judged_waits, lonely_waits) = decide::lonely_waits(&finished, &slips, &sent);
    let mut threads: HashSet<std::thread::ThreadId> = run.slips.iter().map(|s| s.thread).collect();
    threads.extend(run.queries.iter().map(|q| q.thread));
    threads.extend(run.queries.iter().filter_map(|q| q.end_thread));
    CrowdFacts {
        readers: crowd.readers.len(),
        ending: run.ending,
        answered,
        right,
        first_wrong,
        elapsed: end.saturating_sub(run.start),
        compute: decide::union(&spans),
        slip_cpu: run.slips.iter().map(|s| s.cpu).sum(),
        slips: run.slips.len(),
        queries: run.queries.len(),
        peak_queries: grading::overlap::most_at_once(&query_spans),
        judged_waits,
        lonely_waits,
        blocking: run.queries.iter().filter(|q| q.blocking).count(),
        blocking_outside_runtime: run
            .queries
            .iter()
            .filter(|q| q.blocking && !q.in_runtime)
            .count(),
        threads: threads.len(),
        tokio_workers: run.slips.iter().any(|s| {
            // tokio's default names for its workers, new and old.
            s.thread_name.as_deref().is_some_and(|n| {
                n.starts_with("tokio-rt-worker") || n.starts_with("tokio-runtime-worker")
            })
        }),
        timeline: timeline(crowd, run),
    }
}

pub fn one_thread(ctx: &Ctx) -> Verdict {
    big_crowd(ctx, |w| &w.crowd, decide::one_thread)
}

pub fn waits_overlap(ctx: &Ctx) -> Verdict {
    big_crowd(ctx, |w| &w.crowd, decide::waits_overlap)
}

pub fn a_thousand_readers(ctx: &Ctx) -> Verdict {
    big_crowd(ctx, |w| &w.thousand, decide::a_thousand_readers)
}
