//! The checks' impure half: run the learner's `process_batch` under the
//! instruments, trace every kernel call to its photo, and hand the
//! evidence to `decide`. Nothing here decides.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::Duration;

use grading::catch::catching;
use grading::observe::{CpuRun, run_probed};
use grading::{Ctx, Verdict, ms};
use lab::batch::{Step, blur_image, equalize, fingerprint, step_of};
use lab::cpu::{KernelCall, ThreadKind};
use lab::image::Image;
use protocol::timeline::{Clock, Lane as TimelineLane, Span, Timeline};

use crate::decide::{
    self, BatchRun, Call, Developed, Kernel, Lane, Match, Ordinary, Overlap, Photo, Work,
};
use crate::picture;
use crate::world::{self, Batch, FAIRNESS_RUNS, LARGE_AT, OVERLAP_RUNS};

/// A batch's photos and what the checker knows of them: the fingerprint
/// of each photo and of each photo blurred, by which kernel calls are
/// traced to photos; and each photo's size, by which row calls are.
struct Known {
    batch: Batch,
    photos: Vec<Image>,
    inputs: HashMap<u64, usize>,
    blurred: HashMap<u64, usize>,
    /// The expected results, if asked for.
    expected: Vec<Image>,
}

impl Known {
    fn new(batch: Batch, seed: u64) -> Self {
        let photos = batch.photos(seed);
        // The reference is no evidence, only what the learner's results are
        // compared with, so it is developed on every core, a thread per
        // photo, before the learner's run (and with no probe installed).
        let developed: Vec<(Image, Image)> = std::thread::scope(|scope| {
            let developing: Vec<_> = photos
                .iter()
                .map(|photo| {
                    scope.spawn(move || {
                        let blur = blur_image(photo, batch.radius);
                        let done = equalize(&blur);
                        (blur, done)
                    })
                })
                .collect();
            developing
                .into_iter()
                .map(|handle| handle.join().expect("a reference photo panicked"))
                .collect()
        });
        let mut blurred = HashMap::new();
        let mut expected = Vec::new();
        for (i, (blur, done)) in developed.into_iter().enumerate() {
            blurred.insert(fingerprint(&blur), i);
            expected.push(done);
        }
        let inputs = photos
            .iter()
            .enumerate()
            .map(|(i, p)| (fingerprint(p), i))
            .collect();
        Known {
            batch,
            photos,
            inputs,
            blurred,
            expected,
        }
    }

    /// The photo a call worked on, and which kernel it was.
    fn trace(&self, call: &KernelCall) -> (Kernel, Photo) {
        let found = |map: &HashMap<u64, usize>, print| {
            map.get(&print).map_or(Photo::Foreign, |&n| Photo::Of(n))
        };
        match step_of(call) {
            Some((Step::Blur, print)) => (Kernel::Blur, found(&self.inputs, print)),
            Some((Step::Equalize, print)) => (Kernel::Equalize, found(&self.blurred, print)),
            None => {
                let photo = self
                    .batch
                    .sizes
                    .iter()
                    .position(|&(w, h)| call.input == (w, h) && call.item < h)
                    .map_or(Photo::Foreign, Photo::Of);
                (Kernel::Row, photo)
            }
        }
    }

    /// Runs the learner's `process_batch` on the photos under a probe and
    /// the progress watchdog.
    fn run(&self) -> CpuRun<Vec<Image>> {
        let watch = self.batch.watch();
        let (name, photos) = (self.batch.name.clone(), self.photos.len());
        run_probed(
            None,
            watch,
            move |progress| decide::stalled(&name, photos, watch.max_calls, &progress),
            || subject::process_batch(&self.photos, self.batch.radius),
        )
    }
}

/// The calls of `run` as the decisions see them, threads numbered in the
/// order they started work; and the threads in that order.
fn calls(known: &Known, run: &CpuRun<Vec<Image>>) -> (Vec<Call>, Vec<ThreadId>) {
    let mut sorted: Vec<&KernelCall> = run.calls.iter().collect();
    sorted.sort_by_key(|c| c.real_start);
    let mut threads: Vec<ThreadId> = Vec::new();
    let calls = sorted
        .into_iter()
        .map(|c| {
            let thread = match threads.iter().position(|t| *t == c.thread) {
                Some(n) => n,
                None => {
                    threads.push(c.thread);
                    threads.len() - 1
                }
            };
            let (kernel, photo) = known.trace(c);
            Call {
                kernel,
                photo,
                radius: c.radius,
                thread,
                start: c.real_start,
                end: c.real_end,
            }
        })
        .collect();
    (calls, threads)
}

/// How each returned image compares with the expected ones.
fn matches(known: &Known, output: &[Image]) -> Vec<Match> {
    let expected_at: HashMap<u64, usize> = known
        .expected
        .iter()
        .enumerate()
        .map(|(i, e)| (fingerprint(e), i))
        .collect();
    output
        .iter()
        .enumerate()
        .map(|(i, got)| {
            let place = known.expected.get(i);
            if place == Some(got) {
                return Match::Right;
            }
            if let Some(&n) = expected_at.get(&fingerprint(got))
                && known.expected[n] == *got
            {
                return Match::Photo(n);
            }
            match place {
                Some(e) if (e.width(), e.height()) == (got.width(), got.height()) => {
                    Match::Pixels {
                        wrong: e
                            .pixels()
                            .iter()
                            .zip(got.pixels())
                            .filter(|(a, b)| a != b)
                            .count(),
                        total: e.pixels().len(),
                    }
                }
                _ => Match::Size(got.width(), got.height()),
            }
        })
        .collect()
}

pub fn right_images(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    for batch in world::all() {
        let known = Known::new(batch, ctx.seed);
        let developed = match catching(|| known.run()) {
            Err((message, location)) => Developed::Panicked { message, location },
            Ok(run) => Developed::Returned(matches(&known, &run.output)),
        };
        runs.push(BatchRun {
            name: known.batch.name.clone(),
            why: known.batch.why.to_string(),
            photos: known.photos.len(),
            developed,
        });
    }
    decide::right_images(&runs)
}

/// The kinds of the threads of `run`, by their number in `calls`.
fn kinds_of(run: &CpuRun<Vec<Image>>, threads: &[ThreadId]) -> Vec<ThreadKind> {
    let kinds = run.kinds();
    threads
        .iter()
        .map(|t| kinds.get(t).cloned().unwrap_or(ThreadKind::Unnamed(0)))
        .collect()
}

/// One lane per thread for the terminal, each named with the photos it
/// blurred.
fn timeline(calls: &[Call], kinds: &[ThreadKind]) -> Timeline {
    let lanes = kinds
        .iter()
        .enumerate()
        .map(|(t, kind)| {
            let photos: Vec<usize> = calls
                .iter()
                .filter(|c| c.thread == t && c.kernel == Kernel::Blur)
                .filter_map(|c| match c.photo {
                    Photo::Of(n) => Some(n),
                    Photo::Foreign => None,
                })
                .collect();
            let label = if photos.is_empty() {
                kind.to_string()
            } else {
                format!(
                    "{kind}: {}",
                    photos
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            };
            TimelineLane {
                label,
                spans: calls
                    .iter()
                    .filter(|c| c.thread == t)
                    .map(|c| Span {
                        start_ms: c.start.as_secs_f64() * 1000.0,
                        end_ms: c.end.as_secs_f64() * 1000.0,
                    })
                    .collect(),
            }
            .merged()
        })
        .collect();
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// The names of the lanes of a picture, top to bottom.
fn lane_names(kinds: &[ThreadKind]) -> String {
    kinds
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn work_shared(ctx: &Ctx) -> Verdict {
    let limit = decide::thread_limit(world::pool(), world::cores());
    let known = Known::new(world::for_sharing(limit), ctx.seed);
    let busiest = |run: &CpuRun<Vec<Image>>| run.shares().first().map_or(1.0, |s| s.share);
    let mut run = known.run();
    // A lopsided split counts only if every run shows one: on a crowded
    // machine the OS may starve a worker for a while, while code that
    // hands one thread the work does so every time.
    for _ in 1..FAIRNESS_RUNS {
        if !decide::lopsided(&run.shares()) {
            break;
        }
        let again = known.run();
        if busiest(&again) < busiest(&run) {
            run = again;
        }
    }
    let (traced, threads) = calls(&known, &run);
    let kinds = kinds_of(&run, &threads);
    let shares = run.shares();
    let blurred = shares
        .iter()
        .map(|s| {
            let t = kinds.iter().position(|k| *k == s.kind);
            traced
                .iter()
                .filter(|c| Some(c.thread) == t && c.kernel == Kernel::Blur)
                .count()
        })
        .collect();
    let evidence = Work {
        batch: known.batch.name.clone(),
        photos: known.photos.len(),
        radius: known.batch.radius,
        calls: traced.clone(),
        threads: shares,
        blurred,
        pool: world::pool(),
        cores: world::cores(),
    };
    let mut verdict = decide::work_shared(&evidence);

    // The batch with one large photo: every photo once there too, and the
    // report tells how the work was spread.
    let mixed = Known::new(world::mixed(), ctx.seed);
    let mixed_run = mixed.run();
    let (mixed_calls, mixed_threads) = calls(&mixed, &mixed_run);
    let mixed_kinds = kinds_of(&mixed_run, &mixed_threads);
    if verdict.outcome == grading::Outcome::Passed
        && let Some(problem) = decide::tally(
            &mixed.batch.name,
            mixed.photos.len(),
            mixed.batch.radius,
            &mixed_calls,
        )
    {
        verdict = Verdict::fail(problem);
    }
    let lanes: Vec<Lane> = mixed_kinds
        .iter()
        .enumerate()
        .map(|(t, kind)| Lane {
            label: kind.to_string(),
            photos: mixed_calls
                .iter()
                .filter(|c| c.thread == t && c.kernel == Kernel::Blur)
                .filter_map(|c| match c.photo {
                    Photo::Of(n) => Some(n),
                    Photo::Foreign => None,
                })
                .collect(),
            busy: mixed_calls
                .iter()
                .filter(|c| c.thread == t)
                .map(|c| c.end - c.start)
                .sum(),
        })
        .collect();
    let story = decide::stealing_story(LARGE_AT, &lanes);

    // Supporting evidence only: wall-clock speed swings on a busy machine.
    // One thread would have needed about the CPU time all the threads spent.
    let one_thread: Duration = run.shares().iter().map(|s| s.cpu).sum();
    let speed = format!(
        "wall time {} against {} of CPU time in all, about what one thread would take \
         ({:.1}x); speedups need idle cores, so they are shown, not graded",
        ms(run.wall),
        ms(one_thread),
        one_thread.as_secs_f64() / run.wall.as_secs_f64().max(1e-9)
    );
    let mut pictures = Vec::new();
    pictures.extend(picture::draw(
        &ctx.artifacts.join("lanes.png"),
        &picture::lanes_of(&traced, threads.len()),
    ));
    pictures.extend(picture::draw(
        &ctx.artifacts.join("stealing.png"),
        &picture::lanes_of(&mixed_calls, mixed_threads.len()),
    ));
    verdict = verdict.detail(speed).detail(story);
    if !pictures.is_empty() {
        verdict = verdict.detail(format!(
            "lanes.png ({}) and stealing.png (the large photo, drawn as photo {LARGE_AT}) show one \
             lane per thread, top to bottom: {} and {}; each box is a photo, its number inside, \
             light while blurred and dark while equalised",
            known.batch.name,
            lane_names(&kinds),
            lane_names(&mixed_kinds)
        ));
    }
    verdict
        .timeline(timeline(&traced, &kinds))
        .artifacts(pictures)
}

pub fn images_overlap(ctx: &Ctx) -> Verdict {
    let known = Known::new(world::eight(), ctx.seed);
    // Ordinary runs only: the probe watches and holds nobody back, so two
    // photos at the same instant are the code's own doing.
    let mut seen: Vec<Ordinary> = Vec::new();
    let mut best: Option<(Ordinary, Vec<Call>, Vec<ThreadKind>)> = None;
    let mut one_thread_pool = true;
    for _ in 0..OVERLAP_RUNS {
        let run = known.run();
        one_thread_pool &= run.calls.iter().all(|c| c.pool_threads == Some(1));
        let (traced, threads) = calls(&known, &run);
        let this = decide::ordinary(&traced);
        seen.push(this);
        if best.as_ref().is_none_or(|(b, _, _)| {
            (this.photos_at_once, this.threads_at_once) > (b.photos_at_once, b.threads_at_once)
        }) {
            best = Some((this, traced, kinds_of(&run, &threads)));
        }
        if this.photos_at_once >= 2 {
            break;
        }
    }
    let verdict = decide::images_overlap(&Overlap {
        batch: known.batch.name.clone(),
        runs: seen,
        one_thread_pool,
        cores: world::cores(),
    });
    match best {
        Some((_, traced, kinds)) => verdict.timeline(timeline(&traced, &kinds)),
        None => verdict,
    }
}
