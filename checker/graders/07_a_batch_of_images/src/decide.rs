//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no files, no threads, no learner
//! code. `checks.rs` runs the learner's `process_batch` under the
//! instruments, traces every kernel call to the photo it worked on, and
//! fills the evidence structs; the functions below read them. Every branch
//! has a unit test at the bottom of this file.
//!
//! Messages say only what was observed (which kernel was given which
//! photo, on which thread, when), then what was expected.

use grading::overlap::most_at_once;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use grading::Verdict;
use grading::observe::ThreadShare;
use lab::cpu::{Progress, ThreadKind};

/// The most of the kernels' CPU time one thread may do and still share
/// fairly. Correct solutions measure at most about 60% on the batch of 13
/// photos on a busy 2-core machine; one thread doing everything is 100%.
pub const MAX_SHARE: f64 = 0.80;

/// Which lab kernel a call was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kernel {
    /// `lab::batch::blur_image`.
    Blur,
    /// `lab::batch::equalize`.
    Equalize,
    /// `lab::blur::blur_row`, exercise 06's row kernel.
    Row,
}

/// Which photo of the batch a call worked on, as far as its argument says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Photo {
    /// Photo number `n` of the batch (for `Equalize`: photo `n` blurred).
    Of(usize),
    /// An image that is none of the batch's (for `Equalize`: not one of
    /// the batch's photos blurred with the batch's radius).
    Foreign,
}

/// One kernel call, as the decisions see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// Which kernel.
    pub kernel: Kernel,
    /// Which photo.
    pub photo: Photo,
    /// The radius it was given (blurs only).
    pub radius: usize,
    /// Which thread ran it (any numbering that tells threads apart).
    pub thread: usize,
    /// When it started, on the real clock.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

// ---------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------

/// "1 core" or "4 cores".
pub fn cores_phrase(cores: usize) -> String {
    plural(cores, "core")
}

/// "1 photo" or "3 photos".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// Photo numbers as a short list: `0 to 3, 7, 9, 10`.
pub fn numbers(ns: &[usize]) -> String {
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
    runs.iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a} to {b}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------
// Accounting: every photo blurred once and equalised once
// ---------------------------------------------------------------------

/// What is wrong with `calls` as the record of developing the `photos`
/// photos of `batch` with `radius`, or `None` when each photo was blurred
/// once (with `radius`) and its blurred image equalised once.
pub fn tally(batch: &str, photos: usize, radius: usize, calls: &[Call]) -> Option<String> {
    let mut problems = Vec::new();
    let rows: Vec<&Call> = calls.iter().filter(|c| c.kernel == Kernel::Row).collect();
    if !rows.is_empty() {
        let traced: BTreeSet<usize> = rows
            .iter()
            .filter_map(|c| match c.photo {
                Photo::Of(n) => Some(n),
                Photo::Foreign => None,
            })
            .collect();
        problems.push(format!(
            "lab::blur::blur_row (exercise 06's row kernel) was called {} times, on the rows of \
             {}: this exercise blurs a whole photo in one call of lab::batch::blur_image",
            rows.len(),
            plural(traced.len(), "photo")
        ));
    }
    for (kernel, name) in [(Kernel::Blur, "blur_image"), (Kernel::Equalize, "equalize")] {
        let mut count = vec![0usize; photos];
        let mut foreign = 0;
        for call in calls.iter().filter(|c| c.kernel == kernel) {
            match call.photo {
                Photo::Of(n) if n < photos => count[n] += 1,
                _ => foreign += 1,
            }
        }
        let mut repeated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut never = Vec::new();
        for (n, &c) in count.iter().enumerate() {
            match c {
                0 => never.push(n),
                1 => {}
                c => repeated.entry(c).or_default().push(n),
            }
        }
        for (c, ns) in repeated.iter().rev() {
            let (photo, each) = if ns.len() > 1 {
                ("photos", " each")
            } else {
                ("photo", "")
            };
            problems.push(format!(
                "{name} was given {photo} {} {}{each}",
                numbers(ns),
                times(*c)
            ));
        }
        if foreign > 0 {
            let what = match kernel {
                Kernel::Equalize => {
                    "an image that is not one of the batch's photos blurred with its radius"
                }
                _ => "an image that is not one of the batch's photos",
            };
            problems.push(format!("{name} was given {what} {}", times(foreign)));
        }
        if !never.is_empty() {
            let photo = if never.len() > 1 { "photos" } else { "photo" };
            problems.push(format!(
                "{name} was never given {photo} {}",
                numbers(&never)
            ));
        }
    }
    let radii: BTreeSet<usize> = calls
        .iter()
        .filter(|c| c.kernel != Kernel::Equalize && c.radius != radius)
        .map(|c| c.radius)
        .collect();
    if !radii.is_empty() {
        let list = radii
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        problems.push(format!(
            "the blur was given radius {list}, and process_batch radius {radius}"
        ));
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "on {batch}: {}. Expected each photo blurred once with lab::batch::blur_image and the \
         result equalised once with lab::batch::equalize, as process_one does.",
        problems.join("; ")
    ))
}

// ---------------------------------------------------------------------
// right_images
// ---------------------------------------------------------------------

/// How one returned image compares with the expected ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// It is the expected image for its place.
    Right,
    /// It is the expected image of photo `n`, another place's.
    Photo(usize),
    /// It has another size than its place's photo.
    Size(usize, usize),
    /// Same size, and `wrong` of `total` pixels differ from its place's.
    Pixels {
        /// Pixels that differ.
        wrong: usize,
        /// Pixels in all.
        total: usize,
    },
}

/// What `process_batch` did with one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Developed {
    /// It panicked, with this message, at this place if known.
    Panicked {
        /// The panic's message.
        message: String,
        /// `file:line`.
        location: Option<String>,
    },
    /// It returned these images, each compared with the expected ones.
    Returned(Vec<Match>),
}

/// One batch and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRun {
    /// The batch's name ("the batch of 3 photos").
    pub name: String,
    /// Why it is graded.
    pub why: String,
    /// Its number of photos.
    pub photos: usize,
    /// What `process_batch` did.
    pub developed: Developed,
}

/// Why one batch came out wrong, or `None`.
pub fn batch_problem(run: &BatchRun) -> Option<String> {
    let on = format!("on {} ({})", run.name, run.why);
    let matches = match &run.developed {
        Developed::Panicked { message, location } => {
            return Some(format!(
                "process_batch panicked {on}: {message}{}",
                location
                    .as_deref()
                    .map(|l| format!(" (at {l})"))
                    .unwrap_or_default()
            ));
        }
        Developed::Returned(matches) => matches,
    };
    if matches.len() != run.photos {
        return Some(format!(
            "{on}, process_batch returned {} for {}. Expected one developed image per photo.",
            plural(matches.len(), "image"),
            plural(run.photos, "photo")
        ));
    }
    let moved: Vec<(usize, usize)> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Match::Photo(n) => Some((i, *n)),
            _ => None,
        })
        .collect();
    if !moved.is_empty() {
        let shown = moved
            .iter()
            .take(4)
            .map(|(i, n)| format!("result {i} is photo {n}'s"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if moved.len() > 4 {
            format!(" and {} more", moved.len() - 4)
        } else {
            String::new()
        };
        return Some(format!(
            "{on}, the developed photos are right but not in the order of the input: \
             {shown}{more}. Were they collected in the order they finished? Expected result i to \
             be photo i, developed: an indexed parallel iterator's collect keeps that order by \
             itself."
        ));
    }
    let wrong: Vec<String> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Match::Right | Match::Photo(_) => None,
            Match::Size(w, h) => Some(format!(
                "result {i} is a {w}x{h} image, not the size of photo {i}"
            )),
            Match::Pixels { wrong, total } => Some(format!(
                "result {i} differs from photo {i} developed in {wrong} of {total} pixels"
            )),
        })
        .collect();
    if wrong.is_empty() {
        return None;
    }
    let more = if wrong.len() > 3 {
        format!("; and {} more", wrong.len() - 3)
    } else {
        String::new()
    };
    Some(format!(
        "{on}, {}{more}. Expected each photo blurred with the batch's radius, then equalised, as \
         process_one does.",
        wrong.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
    ))
}

/// `right_images`: every batch developed right, in input order.
pub fn right_images(runs: &[BatchRun]) -> Verdict {
    let problems: Vec<(&BatchRun, String)> = runs
        .iter()
        .filter_map(|run| batch_problem(run).map(|p| (run, p)))
        .collect();
    match problems.split_first() {
        None => Verdict::pass(format!(
            "every photo developed right and returned in input order, on {} batches of {} photos",
            runs.len(),
            runs.iter()
                .map(|r| r.photos.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Some(((_, first), rest)) => {
            let mut verdict = Verdict::fail(first.clone());
            if !rest.is_empty() {
                verdict = verdict.detail(format!(
                    "also wrong on {}",
                    rest.iter()
                        .map(|(r, _)| r.name.clone())
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

/// The verdict when the watchdog ended a run on `batch` that stopped
/// making progress (see [`lab::cpu::Watch`]).
pub fn stalled(batch: &str, photos: usize, max_calls: usize, progress: &Progress) -> Verdict {
    let seconds = progress.elapsed.as_secs_f64();
    let message = if progress.started > max_calls {
        format!(
            "the lab kernels were called {} times while developing {batch} ({}), and \
             process_batch had still not returned after {seconds:.1} s: a loop over the photos \
             that never ends? Expected two calls per photo.",
            progress.started,
            plural(photos, "photo")
        )
    } else if progress.started == 0 {
        format!(
            "process_batch ran for {seconds:.1} s on {batch} without calling a lab kernel once, \
             so it was stopped: a deadlock before the first photo (threads waiting on each \
             other's locks or channels), or a loop that never reaches the photos?"
        )
    } else {
        format!(
            "the lab kernels had finished {} calls on {batch} ({}), then no call started or \
             finished for {:.1} s, so process_batch was stopped after {seconds:.1} s: a deadlock \
             (threads waiting on each other's locks or channels), or a loop that no longer \
             reaches the kernels?",
            progress.finished,
            plural(photos, "photo"),
            progress.quiet.as_secs_f64()
        )
    };
    Verdict::timed_out(message)
}

// ---------------------------------------------------------------------
// work_shared
// ---------------------------------------------------------------------

/// What `work_shared` saw of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// The batch's name.
    pub batch: String,
    /// Its photos.
    pub photos: usize,
    /// Its radius.
    pub radius: usize,
    /// Every kernel call.
    pub calls: Vec<Call>,
    /// Each thread's part, busiest first.
    pub threads: Vec<ThreadShare>,
    /// How many photos each of `threads` blurred, in the same order.
    pub blurred: Vec<usize>,
    /// The size of rayon's global pool.
    pub pool: usize,
    /// The cores this process may use.
    pub cores: usize,
}

/// The most OS threads that may share a batch before the run counts as a
/// thread per photo: twice the pool or twice the cores, whichever is more.
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
        "process_batch never called the lab kernels, so the checker could not see who did the \
         work. Develop each photo with lab::batch::blur_image, then lab::batch::equalize (as \
         process_one does).",
    )
}

/// `work_shared`: every photo once, on two or more threads of a pool,
/// none doing over [`MAX_SHARE`] of the CPU work.
pub fn work_shared(work: &Work) -> Verdict {
    if work.calls.is_empty() {
        return never_called();
    }
    if let Some(problem) = tally(&work.batch, work.photos, work.radius, &work.calls) {
        return Verdict::fail(problem);
    }
    let photos = work.photos;
    let count = work.threads.len();
    let limit = thread_limit(work.pool, work.cores);
    if count > limit {
        return Verdict::fail(format!(
            "{count} threads each developed a photo or so ({:.1} photos on average) of {}: a \
             thread per photo, not a pool. {count} threads on this machine's {} only take turns, \
             and a batch of a thousand photos would start a thousand threads. Expected a pool: \
             rayon's {} workers (at most {limit} threads here), each taking photos until none \
             are left, as par_iter does.",
            photos as f64 / count as f64,
            work.batch,
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
    if count == 1 {
        let one_pool = matches!(busiest.kind, ThreadKind::RayonWorker { pool: 1, .. });
        if one_pool && work.cores == 1 {
            return Verdict::inconclusive(format!(
                "all {photos} photos ran in a rayon pool of one thread, and this machine has one \
                 core: if the pool was sized to the cores, it would share the photos on a bigger \
                 machine. Grade it on a machine with two cores or more."
            ));
        }
        let cause = match &busiest.kind {
            ThreadKind::Caller => format!(
                "all {photos} photos were developed by the calling thread, one after another: a \
                 sequential loop (or a parallel iterator over a single item, which rayon runs \
                 right where it is called)"
            ),
            ThreadKind::RayonWorker { pool: 1, .. } => format!(
                "all {photos} photos ran in a rayon pool of one thread: one worker is still one \
                 photo at a time"
            ),
            ThreadKind::RayonWorker { pool, .. } => format!(
                "all {photos} photos were developed by one rayon worker while its pool had \
                 {pool} threads: the batch reached rayon as one piece of work (one task looping \
                 over every photo), so there was nothing for the other workers to take"
            ),
            other => format!(
                "all {photos} photos were developed by one thread ({other}), one after another"
            ),
        };
        return Verdict::fail(format!(
            "{cause}. Expected the photos spread over rayon's workers, one photo per task."
        ));
    }
    let split = work
        .threads
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let photos = work.blurred.get(i).copied().unwrap_or(0);
            format!(
                "{} {:.0}% ({} blurred)",
                t.label(),
                t.share * 100.0,
                plural(photos, "photo")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    if busiest.share > MAX_SHARE {
        return Verdict::fail(format!(
            "{} did {:.0}% of the CPU work of {} ({split}). Expected the photos shared fairly: \
             no thread over {:.0}%.",
            busiest.label(),
            busiest.share * 100.0,
            work.batch,
            MAX_SHARE * 100.0
        ));
    }
    let mut pass = Verdict::pass(format!(
        "{count} threads shared {}, each photo blurred and equalised once: {split}. This \
         machine has {}.",
        work.batch,
        cores_phrase(work.cores)
    ));
    if work
        .threads
        .iter()
        .any(|t| !matches!(t.kind, ThreadKind::RayonWorker { .. }))
    {
        pass = pass.detail(
            "some photos ran on threads that are not rayon workers: parallel all the same, \
             though this exercise is about rayon",
        );
    }
    pass
}

// ---------------------------------------------------------------------
// The large photo: how work stealing balanced it
// ---------------------------------------------------------------------

/// One thread's part of the batch with the large photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The thread's name for reports.
    pub label: String,
    /// The photos it blurred, in the order it started them.
    pub photos: Vec<usize>,
    /// Real time it spent inside the kernels.
    pub busy: Duration,
}

/// A detail line telling how the work of the batch with one large photo
/// was spread: who took the large photo, and who took the small ones
/// meanwhile. Only what was observed; it never decides.
pub fn stealing_story(large: usize, lanes: &[Lane]) -> String {
    let Some(big) = lanes.iter().find(|l| l.photos.contains(&large)) else {
        return format!(
            "in the batch with one large photo, photo {large} (the large one) was never blurred"
        );
    };
    let others: Vec<&Lane> = lanes.iter().filter(|l| l.label != big.label).collect();
    if others.is_empty() {
        return format!(
            "in the batch with one large photo among small ones, {} developed all of them, the \
             large photo {large} included: nobody else took any",
            big.label
        );
    }
    let small_elsewhere: usize = others.iter().map(|l| l.photos.len()).sum();
    let besides = big.photos.iter().filter(|&&p| p != large).count();
    let spread = others
        .iter()
        .map(|l| format!("{} {}", l.label, plural(l.photos.len(), "photo")))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "work stealing on the batch with one large photo: {} took the large photo {large} ({} \
         ms inside the kernels) and {} besides, while the other threads took \
         the other {small_elsewhere} ({spread})",
        big.label,
        big.busy.as_millis(),
        plural(besides, "small one")
    )
}

// ---------------------------------------------------------------------
// images_overlap
// ---------------------------------------------------------------------

/// What one ordinary run showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordinary {
    /// Kernel calls.
    pub calls: usize,
    /// Distinct threads that made them.
    pub threads: usize,
    /// The most photos with a kernel call running at one instant.
    pub photos_at_once: usize,
    /// The most threads inside a kernel at one instant.
    pub threads_at_once: usize,
    /// Whether photos were blurred row by row (exercise 06's kernel).
    pub rows: bool,
}

/// What one ordinary run showed, from its calls.
pub fn ordinary(calls: &[Call]) -> Ordinary {
    let threads: BTreeSet<usize> = calls.iter().map(|c| c.thread).collect();
    let photo_spans: Vec<(usize, Duration, Duration)> = calls
        .iter()
        .filter_map(|c| match c.photo {
            Photo::Of(n) => Some((n, c.start, c.end)),
            Photo::Foreign => None,
        })
        .collect();
    let thread_spans: Vec<(usize, Duration, Duration)> =
        calls.iter().map(|c| (c.thread, c.start, c.end)).collect();
    Ordinary {
        calls: calls.len(),
        threads: threads.len(),
        photos_at_once: most_at_once(&photo_spans),
        threads_at_once: most_at_once(&thread_spans),
        rows: calls.iter().any(|c| c.kernel == Kernel::Row),
    }
}

/// What `images_overlap` saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The batch's name.
    pub batch: String,
    /// The ordinary runs, in order (it stops at the first that overlaps).
    pub runs: Vec<Ordinary>,
    /// Whether every call of every run was on a rayon pool of one thread.
    pub one_thread_pool: bool,
    /// The cores this process may use.
    pub cores: usize,
}

/// `images_overlap`: two photos being developed at the same instant, on
/// two threads, in an ordinary run.
pub fn images_overlap(seen: &Overlap) -> Verdict {
    let cores = cores_phrase(seen.cores);
    let runs = seen.runs.len();
    let in_runs = if runs == 1 {
        "an ordinary run".to_string()
    } else {
        format!("{runs} ordinary runs")
    };
    if seen.runs.iter().all(|r| r.calls == 0) {
        return never_called();
    }
    let best = seen
        .runs
        .iter()
        .max_by_key(|r| (r.photos_at_once, r.threads_at_once, r.threads))
        .copied()
        .expect("a run");
    if best.photos_at_once >= 2 {
        let how = if seen.cores == 1 {
            "this machine has 1 core, so the OS gave them turns on it; with more cores they run \
             at literally the same instant"
                .to_string()
        } else {
            format!(
                "this machine has {cores}, so up to {} of them computed at literally the same \
                 instant",
                best.photos_at_once.min(seen.cores)
            )
        };
        return Verdict::pass(format!(
            "in {in_runs} on {}, up to {} photos were being developed at the same instant, each \
             on its own thread ({how})",
            seen.batch, best.photos_at_once
        ));
    }
    if seen.one_thread_pool && seen.cores == 1 {
        return Verdict::inconclusive(
            "every photo ran in a rayon pool of one thread, and this machine has one core, so \
             two photos could not run at once here. Grade it on a machine with two cores or more.",
        );
    }
    let threads = seen.runs.iter().map(|r| r.threads).max().unwrap_or(0);
    if threads <= 1 {
        return Verdict::fail(format!(
            "no two photos were ever developed at the same instant: in {in_runs} on {}, every \
             kernel call ran on one thread, one after another. Expected several photos at once, \
             one per rayon task.",
            seen.batch
        ));
    }
    let inner = seen
        .runs
        .iter()
        .map(|r| r.threads_at_once)
        .max()
        .unwrap_or(0);
    if inner >= 2 {
        let rows = if seen.runs.iter().any(|r| r.rows) {
            " blurred row by row with lab::blur::blur_row,"
        } else {
            ""
        };
        return Verdict::fail(format!(
            "parallel inside each photo, one photo at a time: in {in_runs} on {}, up to {inner} \
             threads worked on the same photo at once,{rows} but never on two photos. The batch \
             itself went one photo after another, so every photo ended with threads waiting for \
             its slowest part, and the contrast step, which needs the whole photo, ran on one \
             thread while the others idled. Expected one photo per task, several photos at once: \
             the photos are the independent pieces of this work.",
            seen.batch
        ));
    }
    if seen.cores == 1 {
        return Verdict::inconclusive(format!(
            "photos ran on {threads} threads, never two at once in {in_runs}: on this machine's \
             one core that may be the OS giving them turns. Grade it on a machine with two cores \
             or more."
        ));
    }
    Verdict::fail(format!(
        "photos ran on {threads} threads, but never two at the same instant in {in_runs} on {}: \
         each photo waited for the one before to finish. Something serialises the photos: most \
         likely a lock held around process_one, or a thread joined before the next one is \
         spawned. This machine has {cores}.",
        seen.batch
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::Outcome::{Failed, Inconclusive, Passed, TimedOut};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn call(kernel: Kernel, photo: usize, thread: usize, start: u64, end: u64) -> Call {
        Call {
            kernel,
            photo: Photo::Of(photo),
            radius: if kernel == Kernel::Equalize { 0 } else { 8 },
            thread,
            start: ms(start),
            end: ms(end),
        }
    }

    /// Each photo blurred then equalised, on `threads` threads round robin,
    /// one after another on each thread.
    fn developed(photos: usize, threads: usize) -> Vec<Call> {
        (0..photos)
            .flat_map(|p| {
                let t = p % threads;
                let at = (p / threads) as u64 * 10;
                [
                    call(Kernel::Blur, p, t, at, at + 8),
                    call(Kernel::Equalize, p, t, at + 8, at + 10),
                ]
            })
            .collect()
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
    fn words() {
        assert_eq!(numbers(&[3, 0, 1, 2, 7, 9, 10]), "0 to 3, 7, 9, 10");
        assert_eq!(cores_phrase(1), "1 core");
        assert_eq!(times(3), "3 times");
    }

    #[test]
    fn tally_passes_each_photo_once() {
        assert_eq!(tally("b", 5, 8, &developed(5, 2)), None);
    }

    #[test]
    fn tally_counts_repeats_gaps_and_foreign_images() {
        let mut calls = developed(4, 1);
        calls.push(call(Kernel::Blur, 1, 0, 50, 60));
        calls.retain(|c| !(c.kernel == Kernel::Equalize && c.photo == Photo::Of(3)));
        calls.push(Call {
            photo: Photo::Foreign,
            ..call(Kernel::Equalize, 0, 0, 60, 61)
        });
        let problem = tally("the batch", 4, 8, &calls).expect("a problem");
        assert!(
            problem.contains("blur_image was given photo 1 twice"),
            "{problem}"
        );
        assert!(
            problem.contains("equalize was never given photo 3"),
            "{problem}"
        );
        assert!(
            problem.contains(
                "equalize was given an image that is not one of the batch's photos blurred"
            ),
            "{problem}"
        );
        assert!(problem.contains("as process_one does"), "{problem}");
    }

    #[test]
    fn tally_names_row_calls_and_other_radii() {
        let mut calls: Vec<Call> = developed(2, 1)
            .into_iter()
            .filter(|c| c.kernel == Kernel::Equalize)
            .collect();
        calls.extend((0..6).map(|i| call(Kernel::Row, i / 3, 0, 0, 1)));
        let problem = tally("b", 2, 8, &calls).expect("a problem");
        assert!(
            problem.contains(
                "blur_row (exercise 06's row kernel) was called 6 times, on the rows of 2 photos"
            ),
            "{problem}"
        );
        assert!(
            problem.contains("blur_image was never given photos 0, 1"),
            "{problem}"
        );
        let calls: Vec<Call> = developed(1, 1)
            .into_iter()
            .map(|c| Call {
                radius: if c.kernel == Kernel::Blur { 3 } else { 0 },
                ..c
            })
            .collect();
        let problem = tally("b", 1, 8, &calls).expect("a problem");
        assert!(
            problem.contains("the blur was given radius 3, and process_batch radius 8"),
            "{problem}"
        );
    }

    fn batch(photos: usize, developed: Developed) -> BatchRun {
        BatchRun {
            name: format!("the batch of {photos} photos"),
            why: "a test".into(),
            photos,
            developed,
        }
    }

    #[test]
    fn right_images_passes_every_batch() {
        let v = right_images(&[
            batch(1, Developed::Returned(vec![Match::Right])),
            batch(2, Developed::Returned(vec![Match::Right; 2])),
        ]);
        assert_says(&v, Passed, &["on 2 batches of 1, 2 photos"]);
    }

    /// Mutant `completion_order`.
    #[test]
    fn right_images_names_results_out_of_order() {
        let v = right_images(&[batch(
            3,
            Developed::Returned(vec![Match::Photo(1), Match::Photo(2), Match::Photo(0)]),
        )]);
        assert_says(
            &v,
            Failed,
            &[
                "not in the order of the input",
                "result 0 is photo 1's",
                "order they finished",
            ],
        );
    }

    #[test]
    fn right_images_names_wrong_counts_sizes_pixels_and_panics() {
        let v = right_images(&[batch(3, Developed::Returned(vec![Match::Right; 2]))]);
        assert_says(&v, Failed, &["returned 2 images for 3 photos"]);
        let v = right_images(&[batch(
            2,
            Developed::Returned(vec![
                Match::Size(1, 2),
                Match::Pixels { wrong: 5, total: 9 },
            ]),
        )]);
        assert_says(
            &v,
            Failed,
            &[
                "result 0 is a 1x2 image",
                "result 1 differs from photo 1 developed in 5 of 9 pixels",
            ],
        );
        let v = right_images(&[
            batch(
                1,
                Developed::Panicked {
                    message: "boom".into(),
                    location: Some("fx/src/lib.rs:3".into()),
                },
            ),
            batch(2, Developed::Returned(vec![Match::Right])),
        ]);
        assert_says(
            &v,
            Failed,
            &["panicked on the batch of 1 photos (a test): boom (at fx/src/lib.rs:3)"],
        );
        assert!(
            v.details[0].contains("also wrong on the batch of 2 photos"),
            "{:?}",
            v.details
        );
    }

    fn progress(started: usize, quiet: u64) -> Progress {
        Progress {
            started,
            finished: started,
            quiet: ms(quiet),
            at_rendezvous: false,
            elapsed: ms(2100),
        }
    }

    /// Faults `deadlock`, `infinite_loop` and a runaway loop of kernel calls.
    #[test]
    fn stalls_say_what_the_run_did() {
        assert_says(
            &stalled("b", 3, 100, &progress(0, 2100)),
            TimedOut,
            &["without calling a lab kernel once", "deadlock"],
        );
        assert_says(
            &stalled("b", 3, 100, &progress(4, 2000)),
            TimedOut,
            &["finished 4 calls on b (3 photos)"],
        );
        assert_says(
            &stalled("b", 3, 100, &progress(101, 0)),
            TimedOut,
            &["called 101 times", "never ends"],
        );
    }

    fn share(kind: ThreadKind, share: f64) -> ThreadShare {
        ThreadShare {
            kind,
            items: 2,
            cpu: Duration::from_micros((share * 100_000.0) as u64),
            share,
        }
    }

    fn worker(index: usize) -> ThreadKind {
        ThreadKind::RayonWorker { index, pool: 4 }
    }

    fn work(threads: Vec<ThreadShare>) -> Work {
        Work {
            batch: "the batch of 6 photos".into(),
            photos: 6,
            radius: 8,
            calls: developed(6, threads.len().max(1)),
            blurred: vec![3; threads.len()],
            threads,
            pool: 4,
            cores: 2,
        }
    }

    #[test]
    fn work_shared_passes_a_fair_split() {
        let v = work_shared(&work(vec![share(worker(0), 0.55), share(worker(1), 0.45)]));
        assert_says(
            &v,
            Passed,
            &[
                "2 threads shared the batch of 6 photos",
                "rayon worker 0 55% (3 photos blurred)",
                "2 cores",
            ],
        );
        assert!(v.details.is_empty());
        let v = work_shared(&work(vec![
            share(ThreadKind::Unnamed(1), 0.5),
            share(ThreadKind::Unnamed(2), 0.5),
        ]));
        assert_says(&v, Passed, &["thread #1"]);
        assert!(v.details[0].contains("not rayon workers"));
    }

    #[test]
    fn work_shared_needs_calls_and_each_photo_once() {
        let mut w = work(vec![share(worker(0), 1.0)]);
        w.calls.clear();
        assert_says(&work_shared(&w), Failed, &["never called the lab kernels"]);
        let mut w = work(vec![share(worker(0), 0.5), share(worker(1), 0.5)]);
        w.calls.push(call(Kernel::Blur, 2, 0, 0, 1));
        assert_says(
            &work_shared(&w),
            Failed,
            &["blur_image was given photo 2 twice"],
        );
    }

    /// Mutant `thread_per_image`.
    #[test]
    fn work_shared_rejects_a_thread_per_photo() {
        let mut w = work(
            (1..=13)
                .map(|n| share(ThreadKind::Unnamed(n), 1.0 / 13.0))
                .collect(),
        );
        w.photos = 13;
        w.calls = developed(13, 13);
        assert_says(
            &work_shared(&w),
            Failed,
            &[
                "13 threads each developed a photo or so",
                "a thread per photo, not a pool",
                "at most 8 threads",
            ],
        );
    }

    #[test]
    fn work_shared_is_inconclusive_without_a_cpu_clock() {
        let mut w = work(vec![share(worker(0), 0.5), share(worker(1), 0.5)]);
        for t in &mut w.threads {
            t.cpu = Duration::ZERO;
        }
        assert_says(&work_shared(&w), Inconclusive, &["CPU clock"]);
    }

    /// Mutants `sequential_loop`, `one_task`, `one_thread_pool`.
    #[test]
    fn work_shared_names_the_one_thread_that_did_everything() {
        let one = |kind| work_shared(&work(vec![share(kind, 1.0)]));
        assert_says(
            &one(ThreadKind::Caller),
            Failed,
            &["calling thread", "sequential loop", "one photo per task"],
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
        let mut w = work(vec![share(
            ThreadKind::RayonWorker { index: 0, pool: 1 },
            1.0,
        )]);
        w.cores = 1;
        assert_says(&work_shared(&w), Inconclusive, &["one core"]);
    }

    #[test]
    fn work_shared_rejects_a_lopsided_split() {
        let v = work_shared(&work(vec![share(worker(0), 0.9), share(worker(1), 0.1)]));
        assert_says(
            &v,
            Failed,
            &["rayon worker 0 did 90%", "no thread over 80%"],
        );
        assert!(lopsided(&[share(worker(0), 0.9), share(worker(1), 0.1)]));
        assert!(!lopsided(&[share(worker(0), 1.0)]));
        assert_eq!(thread_limit(4, 16), 32);
    }

    #[test]
    fn stealing_story_says_who_took_the_large_photo() {
        let lane = |label: &str, photos: Vec<usize>| Lane {
            label: label.into(),
            photos,
            busy: ms(120),
        };
        let s = stealing_story(
            1,
            &[
                lane("rayon worker 0", vec![1]),
                lane("rayon worker 1", vec![0, 2, 3]),
                lane("rayon worker 2", vec![4, 5]),
            ],
        );
        assert!(s.contains("rayon worker 0 took the large photo 1 (120 ms inside the kernels) and 0 small ones besides"), "{s}");
        assert!(
            s.contains("the other 5 (rayon worker 1 3 photos, rayon worker 2 2 photos)"),
            "{s}"
        );
        let s = stealing_story(1, &[lane("the calling thread", vec![0, 1, 2])]);
        assert!(s.contains("developed all of them"), "{s}");
        let s = stealing_story(1, &[lane("the calling thread", vec![0, 2])]);
        assert!(s.contains("never blurred"), "{s}");
    }

    #[test]
    fn most_at_once_counts_distinct_keys() {
        assert_eq!(most_at_once(&[]), 0);
        assert_eq!(most_at_once(&[(0, ms(0), ms(1)), (1, ms(1), ms(2))]), 1);
        assert_eq!(
            most_at_once(&[(0, ms(0), ms(4)), (0, ms(1), ms(3)), (1, ms(2), ms(5))]),
            2
        );
    }

    #[test]
    fn ordinary_tells_photos_from_threads() {
        // Rows of one photo on two threads at once, then the next photo.
        let calls = vec![
            call(Kernel::Row, 0, 0, 0, 4),
            call(Kernel::Row, 0, 1, 1, 5),
            call(Kernel::Equalize, 0, 0, 5, 6),
            call(Kernel::Row, 1, 1, 6, 9),
        ];
        let o = ordinary(&calls);
        assert_eq!(
            (
                o.calls,
                o.threads,
                o.photos_at_once,
                o.threads_at_once,
                o.rows
            ),
            (4, 2, 1, 2, true)
        );
    }

    fn overlap(runs: Vec<Ordinary>, cores: usize) -> Overlap {
        Overlap {
            batch: "the batch of 8 photos".into(),
            runs,
            one_thread_pool: false,
            cores,
        }
    }

    fn seen(threads: usize, photos_at_once: usize, threads_at_once: usize, rows: bool) -> Ordinary {
        Ordinary {
            calls: 16,
            threads,
            photos_at_once,
            threads_at_once,
            rows,
        }
    }

    #[test]
    fn images_overlap_passes_two_photos_at_once() {
        let v = images_overlap(&overlap(vec![seen(4, 4, 4, false)], 2));
        assert_says(
            &v,
            Passed,
            &[
                "in an ordinary run on the batch of 8 photos, up to 4 photos",
                "2 cores",
                "up to 2 of them",
            ],
        );
        let v = images_overlap(&overlap(
            vec![seen(1, 1, 1, false), seen(4, 3, 3, false)],
            1,
        ));
        assert_says(
            &v,
            Passed,
            &["in 2 ordinary runs", "1 core", "gave them turns"],
        );
    }

    #[test]
    fn images_overlap_needs_calls() {
        let none = Ordinary {
            calls: 0,
            threads: 0,
            photos_at_once: 0,
            threads_at_once: 0,
            rows: false,
        };
        assert_says(
            &images_overlap(&overlap(vec![none], 2)),
            Failed,
            &["never called the lab kernels"],
        );
    }

    /// Mutant `sequential_loop`.
    #[test]
    fn images_overlap_rejects_one_thread() {
        let v = images_overlap(&overlap(vec![seen(1, 1, 1, false); 3], 2));
        assert_says(
            &v,
            Failed,
            &[
                "no two photos",
                "in 3 ordinary runs on the batch of 8 photos, every kernel call ran on one thread",
            ],
        );
        let mut o = overlap(vec![seen(1, 1, 1, false); 3], 1);
        o.one_thread_pool = true;
        assert_says(&images_overlap(&o), Inconclusive, &["pool of one thread"]);
    }

    /// Mutant `parallel_inside_each_image`.
    #[test]
    fn images_overlap_rejects_parallelism_inside_each_photo() {
        let v = images_overlap(&overlap(vec![seen(4, 1, 4, true); 3], 2));
        assert_says(
            &v,
            Failed,
            &[
                "parallel inside each photo, one photo at a time",
                "up to 4 threads worked on the same photo",
                "blurred row by row",
                "one photo per task",
            ],
        );
        let v = images_overlap(&overlap(vec![seen(4, 1, 2, false); 3], 1));
        assert_says(&v, Failed, &["parallel inside each photo"]);
        assert!(!v.message.contains("row by row"), "{}", v.message);
    }

    /// Mutant `photos_behind_a_lock`.
    #[test]
    fn images_overlap_rejects_photos_taking_turns() {
        let v = images_overlap(&overlap(vec![seen(4, 1, 1, false); 3], 2));
        assert_says(
            &v,
            Failed,
            &[
                "photos ran on 4 threads, but never two at the same instant",
                "a lock held around process_one",
            ],
        );
        let v = images_overlap(&overlap(vec![seen(4, 1, 1, false); 3], 1));
        assert_says(&v, Inconclusive, &["one core"]);
    }
}
