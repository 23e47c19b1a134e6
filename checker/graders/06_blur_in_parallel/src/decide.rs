//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no files, no threads, no learner
//! code. `checks.rs` runs the learner's `blur` under the instruments and
//! fills the evidence structs; the functions below read them. So every
//! branch of every decision is a unit test at the bottom of this file,
//! with evidence written by hand, running in milliseconds.
//!
//! Messages say only what was observed (which `y` was passed to
//! `blur_row`, how many threads, how many cores), then what was expected.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::Verdict;
use grading::observe::ThreadShare;
use lab::cpu::{Progress, RendezvousResult, ThreadKind};
use lab::image::{Image, Rgb};

use crate::world::Shape;

/// The most of the kernel's CPU time one thread may do and still share
/// fairly. Correct solutions measure at most 60% on a busy 2-core machine.
pub const MAX_SHARE: f64 = 0.80;

/// One `blur_row` call, as the decisions see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The `y` it was given.
    pub y: usize,
    /// The width and height of the image it was given.
    pub input: (usize, usize),
    /// The radius it was given.
    pub radius: usize,
}

// ---------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------

/// `ys` (any order, duplicates allowed) as ranges: `0 to 191, 300, 302 to
/// 310`, at most six of them and then how many more.
pub fn ranges(ys: &[usize]) -> String {
    let mut sorted = ys.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for y in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
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

/// "1 core" or "4 cores".
pub fn cores_phrase(cores: usize) -> String {
    if cores == 1 {
        "1 core".into()
    } else {
        format!("{cores} cores")
    }
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

// ---------------------------------------------------------------------
// Accounting: every row exactly once
// ---------------------------------------------------------------------

/// What is wrong with the calls as a record of one call per row of an
/// input of `width` x `rows`, or `None` when each `y` from 0 to `rows - 1`
/// was passed exactly once, with the input image.
///
/// The facts come from blur_row's own arguments: the `y` and the size of
/// the image it was given. So the message says which `y` values were
/// passed and how often, never that a row "was blurred twice": a band
/// blurred from a cropped copy passes its local row numbers, and the
/// checker cannot tell which input rows those were.
pub fn tally(width: usize, rows: usize, calls: &[Call]) -> Option<String> {
    let mut problems = Vec::new();
    // Calls on some other image: a copy, a crop, a taller scratch image.
    let mut others: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut count = vec![0usize; rows];
    let mut outside = Vec::new();
    for call in calls {
        if call.input != (width, rows) {
            others.entry(call.input).or_default().push(call.y);
        } else if let Some(n) = count.get_mut(call.y) {
            *n += 1;
        } else {
            outside.push(call.y);
        }
    }
    outside.extend(others.values().flatten().copied().filter(|&y| y >= rows));
    if !outside.is_empty() {
        problems.push(format!(
            "it was called with y = {}, outside the {rows}-row image",
            ranges(&outside)
        ));
    }
    if !others.is_empty() {
        let foreign: usize = others.values().map(Vec::len).sum();
        let sizes = others
            .iter()
            .map(|(&(w, h), ys)| format!("{} on a {w}x{h} image", ys.len()))
            .collect::<Vec<_>>()
            .join(", ");
        let inside: Vec<usize> = others
            .values()
            .flatten()
            .copied()
            .filter(|&y| y < rows)
            .collect();
        let local = if inside.is_empty() {
            String::new()
        } else {
            format!(" with y = {}", ranges(&inside))
        };
        problems.push(format!(
            "{foreign} calls were given an image that is not the {width}x{rows} input ({sizes}){local}, so the checker cannot tell which of the input's rows they computed"
        ));
    }
    let mut repeated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut never = Vec::new();
    for (y, &n) in count.iter().enumerate() {
        match n {
            0 => never.push(y),
            1 => {}
            n => repeated.entry(n).or_default().push(y),
        }
    }
    for (n, ys) in repeated.iter().rev() {
        let each = if ys.len() > 1 { " each" } else { "" };
        problems.push(format!("y = {} was passed {}{each}", ranges(ys), times(*n)));
    }
    // Rows never passed are worth saying only when the input was used at
    // all: a run on crops alone has already been described.
    if !never.is_empty() && (others.is_empty() || never.len() < rows) {
        problems.push(format!("y = {} was never passed", ranges(&never)));
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "blur_row was called {} times for the {rows} rows of the {width}x{rows} input: {}. \
         Expected one call per row, each given the input image itself and y, the row's index \
         in it.",
        calls.len(),
        problems.join("; ")
    ))
}

// ---------------------------------------------------------------------
// same_pixels
// ---------------------------------------------------------------------

/// Where the learner's image differs from the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// Pixels that differ.
    pub wrong: usize,
    /// Pixels in all.
    pub total: usize,
    /// The first that differs: x, y, got, expected.
    pub first: (usize, usize, Rgb, Rgb),
    /// Rows holding a pixel that differs.
    pub rows: Vec<usize>,
}

/// How `got` differs from `expected` (same size), or `None`.
pub fn compare(got: &Image, expected: &Image) -> Option<Diff> {
    let width = expected.width().max(1);
    let mut diff: Option<Diff> = None;
    for (i, (g, e)) in got.pixels().iter().zip(expected.pixels()).enumerate() {
        if g == e {
            continue;
        }
        let (x, y) = (i % width, i / width);
        let d = diff.get_or_insert_with(|| Diff {
            wrong: 0,
            total: expected.pixels().len(),
            first: (x, y, *g, *e),
            rows: Vec::new(),
        });
        d.wrong += 1;
        if d.rows.last() != Some(&y) {
            d.rows.push(y);
        }
    }
    diff
}

/// What `blur` did with one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blurred {
    /// It panicked, with this message, at this place if known.
    Panicked {
        /// The panic's message.
        message: String,
        /// `file:line` where it was raised.
        location: Option<String>,
    },
    /// It returned an image of this size.
    Returned {
        /// Width and height of the returned image.
        size: (usize, usize),
        /// How its pixels differ from a one-thread blur, if they do.
        diff: Option<Diff>,
        /// Every `blur_row` call it made.
        calls: Vec<Call>,
    },
}

/// One shape and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeRun {
    /// The shape.
    pub shape: Shape,
    /// What `blur` did with it.
    pub blurred: Blurred,
}

/// Why one shape came out wrong, or `None` when it came out right.
pub fn shape_problem(run: &ShapeRun) -> Option<String> {
    let shape = &run.shape;
    let on = format!("on the {shape} ({})", shape.why);
    match &run.blurred {
        Blurred::Panicked { message, location } => Some(format!(
            "blur panicked {on}: {message}{}",
            location
                .as_deref()
                .map(|l| format!(" (at {l})"))
                .unwrap_or_default()
        )),
        Blurred::Returned { size, .. } if *size != (shape.width, shape.height) => Some(format!(
            "{on}, blur returned a {}x{} image; expected {}x{}, the size of the input",
            size.0, size.1, shape.width, shape.height
        )),
        Blurred::Returned { diff: None, .. } => None,
        Blurred::Returned {
            diff: Some(diff),
            calls,
            ..
        } => {
            let counted = format!(
                "{on}, {} of {} pixels differ from a one-thread blur",
                diff.wrong, diff.total
            );
            let other_radius: Vec<usize> = {
                let mut r: Vec<usize> = calls
                    .iter()
                    .map(|c| c.radius)
                    .filter(|&r| r != shape.radius)
                    .collect();
                r.sort_unstable();
                r.dedup();
                r
            };
            let input = (shape.width, shape.height);
            let passed: Vec<usize> = calls
                .iter()
                .filter(|c| c.input == input)
                .map(|c| c.y)
                .collect();
            let skipped: Vec<usize> = diff
                .rows
                .iter()
                .copied()
                .filter(|y| !passed.contains(y))
                .collect();
            if !other_radius.is_empty() {
                let list = other_radius
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(format!(
                    "{counted}: blur_row was called with radius {list}, but blur was given radius \
                     {}. Pass blur's own radius on to blur_row; a number written into the code \
                     fits one image only.",
                    shape.radius
                ))
            } else if !skipped.is_empty() {
                let tail = skipped.last() == Some(&(shape.height - 1));
                let hint = if tail && shape.height % 4 != 0 {
                    format!(
                        " Were they the rows left over when {} rows are cut into equal bands?",
                        shape.height
                    )
                } else {
                    String::new()
                };
                Some(format!(
                    "{counted}: blur_row was never called with y = {}, and those rows are wrong.{hint} \
                     Every row needs its call.",
                    ranges(&skipped)
                ))
            } else {
                let (x, y, got, expected) = diff.first;
                Some(format!(
                    "{counted}; the first at ({x}, {y}) is {got:?}, expected {expected:?}. Is \
                     every row computed exactly once, into its own row?"
                ))
            }
        }
    }
}

/// `same_pixels`: every shape must come out right.
pub fn same_pixels(runs: &[ShapeRun]) -> Verdict {
    let problems: Vec<(&ShapeRun, String)> = runs
        .iter()
        .filter_map(|run| shape_problem(run).map(|p| (run, p)))
        .collect();
    match problems.split_first() {
        None => Verdict::pass(format!(
            "all pixels match a one-thread blur on {} image shapes: {}",
            runs.len(),
            runs.iter()
                .map(|r| format!("{}x{} r{}", r.shape.width, r.shape.height, r.shape.radius))
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
                        .map(|(r, _)| r.shape.to_string())
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

/// The verdict when the watchdog ended a run of `shape` that stopped
/// making progress (see [`lab::cpu::Watch`]). Timed out: the run never
/// finished, and what it did until then is all that is known.
pub fn stalled(shape: &Shape, max_calls: usize, progress: &Progress) -> Verdict {
    let seconds = progress.elapsed.as_secs_f64();
    let rows = shape.height;
    let message = if progress.started > max_calls {
        format!(
            "blur_row was called {} times while blurring the {shape} ({rows} rows), and blur had \
             still not returned after {seconds:.1} s: a loop over the rows that never ends? \
             Expected one call per row.",
            progress.started
        )
    } else if progress.started == 0 {
        format!(
            "blur ran for {seconds:.1} s on the {shape} without calling blur_row once, so it was \
             stopped: a deadlock before the first row (threads waiting on each other's locks or \
             channels), or a loop that never reaches the rows?"
        )
    } else {
        format!(
            "blur_row had finished {} calls for the {rows} rows of the {shape}, then no row \
             started or finished for {:.1} s, so blur was stopped after {seconds:.1} s: a \
             deadlock (threads waiting on each other's locks or channels), or a loop that no \
             longer reaches blur_row?",
            progress.finished,
            progress.quiet.as_secs_f64()
        )
    };
    Verdict::timed_out(message)
}

// ---------------------------------------------------------------------
// work_shared
// ---------------------------------------------------------------------

/// What `work_shared` saw of one run on the default shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// The input's width.
    pub width: usize,
    /// The input's rows.
    pub rows: usize,
    /// Every `blur_row` call.
    pub calls: Vec<Call>,
    /// Each thread's part, busiest first.
    pub threads: Vec<ThreadShare>,
    /// The size of rayon's global pool.
    pub pool: usize,
    /// The cores this process may use.
    pub cores: usize,
}

/// The most OS threads that may share the rows before the run counts as a
/// thread per item: twice the pool or twice the cores, whichever is more.
/// A pool (rayon's 4 workers, the calling thread beside them) or a thread
/// per core stays well under it; a thread per row or per small band of rows
/// is far over it (768 for a thread per row).
pub fn thread_limit(pool: usize, cores: usize) -> usize {
    (2 * pool).max(2 * cores)
}

/// Whether one thread did more than its fair share, so `work_shared`
/// should look at another run before deciding.
pub fn lopsided(threads: &[ThreadShare]) -> bool {
    threads.len() >= 2 && threads.first().is_some_and(|t| t.share > MAX_SHARE)
}

fn never_called() -> Verdict {
    Verdict::fail(
        "blur never called lab::blur::blur_row, so the checker could not see who did the \
         work. Compute each row with blur_row(image, radius, y, row).",
    )
}

/// `work_shared`: every row once, on two or more threads of a pool, none
/// doing over [`MAX_SHARE`] of the CPU work.
pub fn work_shared(work: &Work) -> Verdict {
    if work.calls.is_empty() {
        return never_called();
    }
    if let Some(problem) = tally(work.width, work.rows, &work.calls) {
        return Verdict::fail(problem);
    }
    let rows = work.rows;
    let count = work.threads.len();
    let limit = thread_limit(work.pool, work.cores);
    if count > limit {
        return Verdict::fail(format!(
            "{count} threads each blurred a row or so ({:.1} rows on average): a thread per \
             item, not a pool. Starting an OS thread costs more than blurring a row, and \
             {count} threads on this machine's {} only take turns. Expected a pool: rayon's {} \
             workers (at most {limit} threads here), each taking many rows, as \
             par_chunks_mut does.",
            rows as f64 / count as f64,
            cores_phrase(work.cores),
            work.pool
        ));
    }
    if work.threads.iter().all(|t| t.cpu.is_zero()) {
        return Verdict::inconclusive(
            "this platform's per-thread CPU clock reported no time at all, so the threads' \
             shares of the work could not be measured",
        );
    }
    let busiest = &work.threads[0];
    let split = work
        .threads
        .iter()
        .map(|t| format!("{} {:.0}% ({} rows)", t.label(), t.share * 100.0, t.items))
        .collect::<Vec<_>>()
        .join(", ");
    if count == 1 {
        let one_pool = matches!(busiest.kind, ThreadKind::RayonWorker { pool: 1, .. });
        if one_pool && work.cores == 1 {
            // The checker asks rayon for 4 workers; code that sizes its own
            // pool to the cores gets one here, and then nothing can be
            // proven.
            return Verdict::inconclusive(format!(
                "all {rows} rows ran in a rayon pool of one thread, and this machine has one \
                 core: if the pool was sized to the cores, it would share the rows on a bigger \
                 machine. Grade it on a machine with two cores or more."
            ));
        }
        let cause = match &busiest.kind {
            ThreadKind::Caller => format!(
                "all {rows} rows were blurred by the calling thread, one after another: a \
                 sequential loop (or a parallel iterator over a single item, which rayon runs \
                 right where it is called)"
            ),
            ThreadKind::RayonWorker { pool: 1, .. } => format!(
                "all {rows} rows ran in a rayon pool of one thread: one worker is still one row \
                 at a time"
            ),
            ThreadKind::RayonWorker { pool, .. } => format!(
                "all {rows} rows were blurred by one rayon worker while its pool had {pool} \
                 threads: the rows reached rayon as one piece of work (one task, or one chunk \
                 holding every row), so there was nothing for the other workers to take"
            ),
            other => {
                format!("all {rows} rows were blurred by one thread ({other}), one after another")
            }
        };
        return Verdict::fail(format!(
            "{cause}. Expected the rows spread over rayon's workers, each doing a fair share."
        ));
    }
    if busiest.share > MAX_SHARE {
        return Verdict::fail(format!(
            "{} did {:.0}% of the blur's CPU work ({split}). Expected the rows shared fairly: no \
             thread over {:.0}%.",
            busiest.label(),
            busiest.share * 100.0,
            MAX_SHARE * 100.0
        ));
    }
    let mut pass = Verdict::pass(format!(
        "{count} threads shared the {rows} rows, each once: {split}. This machine has {}.",
        cores_phrase(work.cores)
    ));
    if work
        .threads
        .iter()
        .any(|t| !matches!(t.kind, ThreadKind::RayonWorker { .. }))
    {
        pass = pass.detail(
            "some rows ran on threads that are not rayon workers: parallel all the same, \
             though this exercise is about rayon",
        );
    }
    pass
}

// ---------------------------------------------------------------------
// simultaneous
// ---------------------------------------------------------------------

/// One `blur_row` call's span on the real clock, on thread number `thread`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// Which thread (any numbering that tells threads apart).
    pub thread: usize,
    /// When the row started.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// The most distinct threads inside `blur_row` at one instant. Spans that
/// only touch (one ends as the next starts) do not overlap.
pub fn most_at_once(spans: &[Span]) -> usize {
    let keyed: Vec<_> = spans.iter().map(|s| (s.thread, s.start, s.end)).collect();
    grading::overlap::most_at_once(&keyed)
}

/// What one ordinary (unheld) run showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordinary {
    /// `blur_row` calls.
    pub calls: usize,
    /// Distinct threads that made them.
    pub threads: usize,
    /// The most threads inside `blur_row` at one instant.
    pub most_at_once: usize,
}

/// What `simultaneous` saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simultaneity {
    /// The ordinary runs, in order (it stops at the first that overlaps).
    pub ordinary: Vec<Ordinary>,
    /// The held run: the first row waits for a second thread.
    pub rendezvous: Option<RendezvousResult>,
    /// The held run's timeout.
    pub held_for: Duration,
    /// Whether every call of every run was on a rayon pool of one thread.
    pub one_thread_pool: bool,
    /// The cores this process may use.
    pub cores: usize,
}

/// `simultaneous`: two rows at the same instant, on two threads, in an
/// ordinary run. The held run (the rendezvous) never decides alone: it
/// only tells turn-taking (another thread comes when the first row is
/// held) from a lock (nobody can come).
pub fn simultaneous(seen: &Simultaneity) -> Verdict {
    let ms = |d: Duration| format!("{} ms", d.as_millis());
    let cores = cores_phrase(seen.cores);
    let runs = seen.ordinary.len();
    let ordinary_runs = if runs == 1 {
        "an ordinary run".to_string()
    } else {
        format!("{runs} ordinary runs")
    };
    if seen.ordinary.iter().all(|r| r.calls == 0) {
        return never_called();
    }
    let held = match seen.rendezvous {
        Some(RendezvousResult::Met { waited }) => format!(
            "when the checker held the first row, another thread started a row {} later",
            ms(waited)
        ),
        Some(RendezvousResult::TimedOut { waited }) => format!(
            "when the checker held the first row for {}, no other thread started one",
            ms(waited)
        ),
        _ => "the held run made no call".to_string(),
    };
    let best = seen
        .ordinary
        .iter()
        .max_by_key(|r| (r.most_at_once, r.threads))
        .copied()
        .expect("a run with calls");
    if best.most_at_once >= 2 {
        let how = if seen.cores == 1 {
            "this machine has 1 core, so the OS gave them turns on it; with more cores they run at \
             literally the same instant"
                .to_string()
        } else {
            format!(
                "this machine has {cores}, so up to {} of them computed at literally the same \
                 instant",
                best.most_at_once.min(seen.cores)
            )
        };
        return Verdict::pass(format!(
            "in {ordinary_runs}, up to {} threads were inside blur_row at the same instant \
             ({how}); {held}",
            best.most_at_once
        ));
    }
    if seen.one_thread_pool && seen.cores == 1 {
        return Verdict::inconclusive(
            "every row ran in a rayon pool of one thread, and this machine has one core, so \
             two rows could not run at once here. Grade it on a machine with two cores or more.",
        );
    }
    let threads = seen.ordinary.iter().map(|r| r.threads).max().unwrap_or(0);
    if threads <= 1 {
        return Verdict::fail(format!(
            "no two rows were ever blurred at the same instant: in {ordinary_runs} every row ran \
             on one thread, one after another, and {held}. Expected rows on several threads at \
             once."
        ));
    }
    let met = matches!(seen.rendezvous, Some(RendezvousResult::Met { .. }));
    if met && seen.cores == 1 {
        return Verdict::inconclusive(format!(
            "rows ran on {threads} threads, never two inside blur_row at once in \
             {ordinary_runs}, but {held}: on this machine's one core that may be the OS giving \
             them turns. Grade it on a machine with two cores or more."
        ));
    }
    let cause = if met {
        format!(
            "only {held}: the threads take turns, each row waiting until the one before has \
             finished (or a timeout has passed)"
        )
    } else {
        format!("{held}: each row waited for the one before to finish")
    };
    Verdict::fail(format!(
        "rows ran on {threads} threads, but never two at the same instant in {ordinary_runs}; \
         {cause}. Something serialises the rows: most likely a lock held around blur_row (a \
         Mutex around the output image?), or a thread joined before the next one is spawned. \
         par_chunks_mut gives each thread rows of its own, so no lock is needed. This machine \
         has {cores}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::DEFAULT;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn rows(width: usize, height: usize, ys: impl IntoIterator<Item = usize>) -> Vec<Call> {
        ys.into_iter()
            .map(|y| Call {
                y,
                input: (width, height),
                radius: 8,
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

    fn worker(index: usize) -> ThreadKind {
        ThreadKind::RayonWorker { index, pool: 4 }
    }

    fn work(threads: Vec<ThreadShare>) -> Work {
        Work {
            width: 16,
            rows: 8,
            calls: rows(16, 8, 0..8),
            threads,
            pool: 4,
            cores: 2,
        }
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

    use grading::Outcome::{Failed, Inconclusive, Passed, TimedOut};

    #[test]
    fn ranges_merge_runs_and_cap_the_list() {
        assert_eq!(ranges(&[3, 0, 1, 2, 7, 9, 10, 9]), "0 to 3, 7, 9 to 10");
        assert_eq!(ranges(&[]), "");
        let many: Vec<usize> = (0..20).map(|i| i * 2).collect();
        assert!(
            ranges(&many).ends_with("and 14 more ranges"),
            "{}",
            ranges(&many)
        );
        assert_eq!(cores_phrase(1), "1 core");
        assert_eq!(cores_phrase(2), "2 cores");
    }

    #[test]
    fn tally_passes_each_row_once_in_any_order() {
        assert_eq!(tally(16, 4, &rows(16, 4, [2, 0, 3, 1])), None);
    }

    /// The old grader's blind spot: rows of a taller image past the input's
    /// last row (mutant `extra_out_of_range_rows`).
    #[test]
    fn tally_names_rows_outside_the_image() {
        let mut calls = rows(16, 8, 0..8);
        calls.extend(rows(16, 12, 8..12));
        let problem = tally(16, 8, &calls).expect("a problem");
        assert!(
            problem.contains("called 12 times for the 8 rows"),
            "{problem}"
        );
        assert!(
            problem.contains("y = 8 to 11, outside the 8-row image"),
            "{problem}"
        );
        assert!(problem.contains("4 on a 16x12 image"), "{problem}");
    }

    /// Cropped copies with local y (mutant `cropped_bands`): the message
    /// says what was passed, never that rows were blurred twice.
    #[test]
    fn tally_describes_crops_by_what_was_passed() {
        let mut calls = rows(16, 5, 0..4);
        calls.extend(rows(16, 6, 1..5));
        let problem = tally(16, 8, &calls).expect("a problem");
        assert!(
            problem.contains("8 calls were given an image that is not the 16x8 input"),
            "{problem}"
        );
        assert!(
            problem.contains("4 on a 16x5 image, 4 on a 16x6 image"),
            "{problem}"
        );
        assert!(problem.contains("with y = 0 to 4"), "{problem}");
        assert!(!problem.contains("twice"), "{problem}");
        assert!(!problem.contains("never passed"), "{problem}");
    }

    #[test]
    fn tally_counts_repeats_and_gaps() {
        let problem =
            tally(16, 8, &rows(16, 8, [0, 1, 1, 2, 2, 2, 5, 5, 5, 6, 7])).expect("a problem");
        assert!(
            problem.contains("y = 2, 5 was passed 3 times each"),
            "{problem}"
        );
        assert!(problem.contains("y = 1 was passed twice"), "{problem}");
        assert!(problem.contains("y = 3 to 4 was never passed"), "{problem}");
        // Crops and the input both: the input's missing rows are named.
        let mut calls = rows(16, 8, 0..6);
        calls.extend(rows(16, 4, 0..2));
        let problem = tally(16, 8, &calls).expect("a problem");
        assert!(problem.contains("y = 6 to 7 was never passed"), "{problem}");
    }

    fn image(width: usize, height: usize, pixels: &[Rgb]) -> Image {
        let mut image = Image::new(width, height);
        image.pixels_mut().copy_from_slice(pixels);
        image
    }

    #[test]
    fn compare_finds_the_first_wrong_pixel_and_its_rows() {
        let expected = image(2, 2, &[[1; 3], [2; 3], [3; 3], [4; 3]]);
        assert_eq!(compare(&expected.clone(), &expected), None);
        let got = image(2, 2, &[[1; 3], [9; 3], [3; 3], [0; 3]]);
        let diff = compare(&got, &expected).expect("a difference");
        assert_eq!(diff.wrong, 2);
        assert_eq!(diff.total, 4);
        assert_eq!(diff.first, (1, 0, [9; 3], [2; 3]));
        assert_eq!(diff.rows, vec![0, 1]);
    }

    fn shape(width: usize, height: usize, radius: usize) -> Shape {
        Shape {
            width,
            height,
            radius,
            why: "a test",
        }
    }

    fn returned(s: Shape, diff: Option<Diff>, calls: Vec<Call>) -> ShapeRun {
        ShapeRun {
            shape: s,
            blurred: Blurred::Returned {
                size: (s.width, s.height),
                diff,
                calls,
            },
        }
    }

    fn diff_in_rows(rows: Vec<usize>) -> Option<Diff> {
        Some(Diff {
            wrong: 3,
            total: 100,
            first: (0, rows[0], [0; 3], [5; 3]),
            rows,
        })
    }

    #[test]
    fn same_pixels_passes_every_shape_right() {
        let runs = [
            returned(DEFAULT, None, Vec::new()),
            returned(shape(1, 1, 1), None, Vec::new()),
        ];
        assert_says(
            &same_pixels(&runs),
            Passed,
            &["2 image shapes", "1024x768 r8, 1x1 r1"],
        );
    }

    /// Mutant `panics_when_short`: the panic names the shape.
    #[test]
    fn same_pixels_names_the_shape_that_panicked() {
        let runs = [
            returned(DEFAULT, None, Vec::new()),
            ShapeRun {
                shape: shape(64, 3, 2),
                blurred: Blurred::Panicked {
                    message: "chunk size must be non-zero".into(),
                    location: Some("fx/src/lib.rs:9".into()),
                },
            },
            ShapeRun {
                shape: shape(1, 1, 1),
                blurred: Blurred::Panicked {
                    message: "boom".into(),
                    location: None,
                },
            },
        ];
        let verdict = same_pixels(&runs);
        assert_says(
            &verdict,
            Failed,
            &[
                "blur panicked on the 64x3 image with radius 2 (a test)",
                "non-zero",
                "(at fx/src/lib.rs:9)",
            ],
        );
        assert!(
            verdict.details[0].contains("also wrong on 1 more: 1x1 image"),
            "{:?}",
            verdict.details
        );
    }

    #[test]
    fn same_pixels_rejects_a_wrong_size() {
        let run = ShapeRun {
            shape: shape(3, 2, 1),
            blurred: Blurred::Returned {
                size: (2, 3),
                diff: None,
                calls: Vec::new(),
            },
        };
        assert_says(
            &same_pixels(&[run]),
            Failed,
            &["returned a 2x3 image; expected 3x2"],
        );
    }

    /// Mutant `hard_coded_radius`.
    #[test]
    fn same_pixels_names_a_radius_that_is_not_blurs() {
        let s = shape(20, 10, 0);
        let run = returned(s, diff_in_rows(vec![0, 1]), rows(20, 10, 0..10));
        assert_says(
            &same_pixels(&[run]),
            Failed,
            &["blur_row was called with radius 8, but blur was given radius 0"],
        );
    }

    /// Mutant `drops_leftover_rows`: the rows never passed are named, with
    /// the bands hint when they are the last rows of an odd height.
    #[test]
    fn same_pixels_names_rows_never_blurred() {
        let s = Shape {
            radius: 8,
            ..shape(16, 9, 8)
        };
        let run = returned(s, diff_in_rows(vec![8]), rows(16, 9, 0..8));
        let verdict = same_pixels(&[run]);
        assert_says(
            &verdict,
            Failed,
            &[
                "blur_row was never called with y = 8",
                "left over when 9 rows",
            ],
        );
        let s = Shape {
            radius: 8,
            ..shape(16, 8, 8)
        };
        let run = returned(s, diff_in_rows(vec![3]), rows(16, 8, [0, 1, 2, 4, 5, 6, 7]));
        let verdict = same_pixels(&[run]);
        assert_says(&verdict, Failed, &["never called with y = 3"]);
        assert!(
            !verdict.message.contains("left over"),
            "{}",
            verdict.message
        );
    }

    #[test]
    fn same_pixels_otherwise_shows_the_first_wrong_pixel() {
        let s = Shape {
            radius: 8,
            ..shape(16, 8, 8)
        };
        let run = returned(s, diff_in_rows(vec![2]), rows(16, 8, 0..8));
        assert_says(
            &same_pixels(&[run]),
            Failed,
            &[
                "3 of 100 pixels differ",
                "the first at (0, 2)",
                "exactly once",
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

    /// Faults `deadlock`, `infinite_loop` (no call), a deadlock after some
    /// rows, and `endless_rows` (calls without end).
    #[test]
    fn stalls_say_what_the_run_did_until_then() {
        let v = stalled(&DEFAULT, 6208, &progress(0, 0, 2100));
        assert_says(&v, TimedOut, &["without calling blur_row once", "deadlock"]);
        let v = stalled(&DEFAULT, 6208, &progress(100, 100, 2000));
        assert_says(
            &v,
            TimedOut,
            &["finished 100 calls for the 768 rows", "for 2.0 s"],
        );
        let v = stalled(&DEFAULT, 6208, &progress(6209, 6209, 0));
        assert_says(&v, TimedOut, &["called 6209 times", "never ends"]);
    }

    #[test]
    fn thread_limit_is_twice_the_pool_or_the_cores() {
        assert_eq!(thread_limit(4, 2), 8);
        assert_eq!(thread_limit(4, 1), 8);
        assert_eq!(thread_limit(4, 16), 32);
    }

    #[test]
    fn lopsided_needs_two_threads_and_one_over_the_limit() {
        assert!(lopsided(&[
            share(worker(0), 7, 0.9),
            share(worker(1), 1, 0.1)
        ]));
        assert!(!lopsided(&[
            share(worker(0), 5, 0.6),
            share(worker(1), 3, 0.4)
        ]));
        assert!(!lopsided(&[share(ThreadKind::Caller, 8, 1.0)]));
    }

    #[test]
    fn work_shared_passes_a_fair_split() {
        let v = work_shared(&work(vec![
            share(worker(0), 4, 0.55),
            share(worker(1), 4, 0.45),
        ]));
        assert_says(
            &v,
            Passed,
            &[
                "2 threads shared the 8 rows, each once",
                "rayon worker 0 55% (4 rows)",
                "2 cores",
            ],
        );
        assert!(v.details.is_empty());
    }

    /// Fixture `std_scoped_bands`: parallel, not rayon, passes with a note.
    #[test]
    fn work_shared_notes_threads_outside_rayon() {
        let v = work_shared(&work(vec![
            share(ThreadKind::Unnamed(1), 4, 0.5),
            share(ThreadKind::Named("band".into()), 4, 0.5),
        ]));
        assert_says(&v, Passed, &["thread #1", "thread band"]);
        assert!(v.details[0].contains("not rayon workers"));
    }

    #[test]
    fn work_shared_needs_calls() {
        let mut w = work(vec![]);
        w.calls.clear();
        assert_says(
            &work_shared(&w),
            Failed,
            &["never called lab::blur::blur_row"],
        );
    }

    /// Mutants `decoy_rows`, `extra_out_of_range_rows`, `cropped_bands`:
    /// the tally comes before any share.
    #[test]
    fn work_shared_rejects_rows_not_passed_once() {
        let mut w = work(vec![
            share(ThreadKind::Caller, 4, 0.5),
            share(ThreadKind::Unnamed(1), 4, 0.5),
        ]);
        w.calls.extend(rows(16, 8, 0..2));
        assert_says(
            &work_shared(&w),
            Failed,
            &[
                "y = 0 to 1 was passed twice each",
                "Expected one call per row",
            ],
        );
    }

    /// Mutant `thread_per_row`.
    #[test]
    fn work_shared_rejects_a_thread_per_item() {
        let mut w = work(
            (1..=9)
                .map(|n| share(ThreadKind::Unnamed(n), 1, 1.0 / 9.0))
                .collect(),
        );
        w.rows = 9;
        w.calls = rows(16, 9, 0..9);
        assert_says(
            &work_shared(&w),
            Failed,
            &[
                "9 threads each blurred a row or so",
                "a thread per item, not a pool",
                "2 cores",
                "at most 8 threads",
            ],
        );
    }

    #[test]
    fn work_shared_is_inconclusive_without_a_cpu_clock() {
        let mut w = work(vec![share(worker(0), 4, 0.5), share(worker(1), 4, 0.5)]);
        for t in &mut w.threads {
            t.cpu = Duration::ZERO;
        }
        assert_says(&work_shared(&w), Inconclusive, &["CPU clock"]);
    }

    /// Mutants `sequential`, `async_rows`, `one_chunk`, `one_task`,
    /// `one_thread_pool`, and one named thread.
    #[test]
    fn work_shared_names_the_one_thread_that_did_everything() {
        let one = |kind| work_shared(&work(vec![share(kind, 8, 1.0)]));
        assert_says(
            &one(ThreadKind::Caller),
            Failed,
            &[
                "calling thread",
                "sequential loop",
                "Expected the rows spread",
            ],
        );
        assert_says(
            &one(ThreadKind::RayonWorker { index: 0, pool: 1 }),
            Failed,
            &["pool of one thread"],
        );
        assert_says(
            &one(worker(2)),
            Failed,
            &["one piece of work", "pool had 4 threads"],
        );
        assert_says(
            &one(ThreadKind::Named("solo".into())),
            Failed,
            &["one thread (thread solo)"],
        );
    }

    /// One-core machines: a pool of one is inconclusive, never failed.
    #[test]
    fn work_shared_one_pool_on_one_core_is_inconclusive() {
        let mut w = work(vec![share(
            ThreadKind::RayonWorker { index: 0, pool: 1 },
            8,
            1.0,
        )]);
        w.cores = 1;
        assert_says(&work_shared(&w), Inconclusive, &["one core"]);
    }

    #[test]
    fn work_shared_rejects_a_lopsided_split() {
        let v = work_shared(&work(vec![
            share(worker(0), 7, 0.9),
            share(worker(1), 1, 0.1),
        ]));
        assert_says(
            &v,
            Failed,
            &["rayon worker 0 did 90%", "no thread over 80%"],
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
        // One thread, rows back to back.
        assert_eq!(most_at_once(&[span(0, 0, 1), span(0, 1, 2)]), 1);
        // Two threads taking turns: touching is not overlapping.
        assert_eq!(
            most_at_once(&[span(0, 0, 1), span(1, 1, 2), span(0, 2, 3)]),
            1
        );
        // Three threads, two of them at once at a time.
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
            ordinary,
            rendezvous: Some(rendezvous),
            held_for: ms(1000),
            one_thread_pool: false,
            cores,
        }
    }

    fn ordinary(threads: usize, most_at_once: usize) -> Ordinary {
        Ordinary {
            calls: 768,
            threads,
            most_at_once,
        }
    }

    const MET: RendezvousResult = RendezvousResult::Met {
        waited: Duration::from_millis(2),
    };
    const ALONE: RendezvousResult = RendezvousResult::TimedOut {
        waited: Duration::from_millis(1000),
    };

    #[test]
    fn simultaneous_passes_overlap_in_an_ordinary_run() {
        let v = simultaneous(&seen(vec![ordinary(4, 4)], MET, 2));
        assert_says(
            &v,
            Passed,
            &[
                "in an ordinary run, up to 4 threads",
                "2 cores",
                "up to 2 of them",
                "2 ms later",
            ],
        );
        // The held run confirms; it does not decide against a real overlap.
        let v = simultaneous(&seen(vec![ordinary(1, 1), ordinary(4, 3)], ALONE, 2));
        assert_says(
            &v,
            Passed,
            &["in 2 ordinary runs, up to 3 threads", "no other thread"],
        );
    }

    #[test]
    fn simultaneous_on_one_core_says_the_threads_took_turns_on_it() {
        let v = simultaneous(&seen(vec![ordinary(4, 4)], MET, 1));
        assert_says(&v, Passed, &["1 core", "gave them turns"]);
    }

    #[test]
    fn simultaneous_needs_calls() {
        let mut s = seen(
            vec![Ordinary {
                calls: 0,
                threads: 0,
                most_at_once: 0,
            }],
            ALONE,
            2,
        );
        s.rendezvous = None;
        assert_says(&simultaneous(&s), Failed, &["never called"]);
    }

    /// Mutant `sequential`.
    #[test]
    fn simultaneous_rejects_one_thread() {
        let v = simultaneous(&seen(vec![ordinary(1, 1); 3], ALONE, 2));
        assert_says(
            &v,
            Failed,
            &[
                "no two rows",
                "in 3 ordinary runs every row ran on one thread",
                "for 1000 ms",
            ],
        );
    }

    #[test]
    fn simultaneous_one_thread_pool_on_one_core_is_inconclusive() {
        let mut s = seen(vec![ordinary(1, 1); 3], ALONE, 1);
        s.one_thread_pool = true;
        assert_says(&simultaneous(&s), Inconclusive, &["pool of one thread"]);
    }

    /// Mutants `rows_behind_a_lock` and `join_before_spawn`.
    #[test]
    fn simultaneous_rejects_threads_behind_a_lock() {
        let v = simultaneous(&seen(vec![ordinary(4, 1); 3], ALONE, 2));
        assert_says(
            &v,
            Failed,
            &[
                "rows ran on 4 threads, but never two at the same instant",
                "no other thread started one",
                "a lock held around blur_row",
                "joined before",
            ],
        );
    }

    /// Mutant `threads_take_turns`: the held run let another thread in,
    /// which ordinary runs never did.
    #[test]
    fn simultaneous_rejects_threads_taking_turns() {
        let v = simultaneous(&seen(vec![ordinary(2, 1); 3], MET, 2));
        assert_says(
            &v,
            Failed,
            &[
                "never two at the same instant",
                "only when the checker held",
                "take turns",
                "a lock",
            ],
        );
        // On one core, turns may be the OS's doing: inconclusive.
        let v = simultaneous(&seen(vec![ordinary(2, 1); 3], MET, 1));
        assert_says(&v, Inconclusive, &["one core"]);
    }
}
