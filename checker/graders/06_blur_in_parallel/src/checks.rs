//! The checks' impure half: run the learner's `blur` under the
//! instruments, gather the evidence, and hand it to `decide`. Nothing here
//! decides; everything here touches the world (learner code, clocks,
//! threads, files).

use std::collections::HashMap;
use std::time::Duration;

use grading::catch::catching;
use grading::observe::{CpuRun, run_probed};
use grading::{Ctx, Verdict, ms};
use lab::blur::blur_row;
use lab::cpu::KernelCall;
use lab::image::Image;

use crate::decide::{self, Blurred, Call, Ordinary, ShapeRun, Simultaneity, Span, Work};
use crate::picture;
use crate::world::{self, DEFAULT, FAIRNESS_RUNS, OVERLAP_RUNS, RENDEZVOUS, SHAPES, Shape};

/// The expected result: the same kernel over every row. The reference is
/// no evidence (it runs before the learner's run, with no probe
/// installed), so it is computed on every core, in bands of rows.
fn blur_reference(image: &Image, radius: usize) -> Image {
    let mut out = Image::new(image.width(), image.height());
    let width = image.width().max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let band = image.height().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        for (b, rows) in out.pixels_mut().chunks_mut(width * band).enumerate() {
            scope.spawn(move || {
                for (i, row) in rows.chunks_mut(width).enumerate() {
                    blur_row(image, radius, b * band + i, row);
                }
            });
        }
    });
    out
}

/// Runs the learner's `blur` on `image` (of `shape`) under a probe and the
/// progress watchdog, which ends the check with a verdict naming the shape
/// if the run stops making progress.
fn blur_probed(shape: Shape, rendezvous: Option<Duration>, image: &Image) -> CpuRun<Image> {
    let watch = shape.watch();
    run_probed(
        rendezvous,
        watch,
        move |progress| decide::stalled(&shape, watch.max_calls, &progress),
        || subject::blur(image, shape.radius),
    )
}

/// The calls as the decisions see them.
fn calls(run: &CpuRun<Image>) -> Vec<Call> {
    run.calls.iter().map(call).collect()
}

fn call(c: &KernelCall) -> Call {
    Call {
        y: c.item,
        input: c.input,
        radius: c.radius,
    }
}

/// Saves `pictures` under the check's artifacts folder; returns those written.
fn save(ctx: &Ctx, pictures: &[(&str, &Image)]) -> Vec<std::path::PathBuf> {
    pictures
        .iter()
        .filter_map(|(name, picture)| {
            let path = ctx.artifacts.join(name);
            picture.save_png(&path).ok().map(|()| path)
        })
        .collect()
}

pub fn same_pixels(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    let mut pictures: Option<(Image, Image)> = None;
    for &shape in SHAPES {
        let image = shape.image(ctx.seed);
        let expected = blur_reference(&image, shape.radius);
        let blurred = match catching(|| blur_probed(shape, None, &image)) {
            Err((message, location)) => Blurred::Panicked { message, location },
            Ok(run) => {
                let size = (run.output.width(), run.output.height());
                let diff = if size == (shape.width, shape.height) {
                    decide::compare(&run.output, &expected)
                } else {
                    None
                };
                // The pictures shown: the default's, unless an earlier
                // shape came out wrong.
                let wrong = diff.is_some() || size != (shape.width, shape.height);
                if pictures.is_none() && (wrong || shape == DEFAULT) {
                    pictures = Some((image.clone(), run.output.clone()));
                }
                Blurred::Returned {
                    size,
                    diff,
                    calls: calls(&run),
                }
            }
        };
        runs.push(ShapeRun { shape, blurred });
    }
    let artifacts = match &pictures {
        Some((input, output)) => save(ctx, &[("input.png", input), ("output.png", output)]),
        None => Vec::new(),
    };
    decide::same_pixels(&runs).artifacts(artifacts)
}

pub fn work_shared(ctx: &Ctx) -> Verdict {
    let shape = DEFAULT;
    let image = shape.image(ctx.seed);
    let busiest = |run: &CpuRun<Image>| run.shares().first().map_or(1.0, |s| s.share);
    let mut run = blur_probed(shape, None, &image);
    // Several threads, but one did most of the work: on a crowded machine
    // the OS may have starved the others for a while. Code that really
    // hands one thread the work does so every time, so a lopsided split
    // counts only if every run shows one; the fairest run decides.
    for _ in 1..FAIRNESS_RUNS {
        if !decide::lopsided(&run.shares()) {
            break;
        }
        let again = blur_probed(shape, None, &image);
        if busiest(&again) < busiest(&run) {
            run = again;
        }
    }
    // Supporting evidence only: wall-clock speed swings on a busy machine,
    // so it is shown, never decided on. One thread would have needed about
    // the CPU time all the threads spent.
    let one_thread: Duration = run.shares().iter().map(|s| s.cpu).sum();
    let speed = format!(
        "wall time {} against {} of CPU time in all, about what one thread would take ({:.1}x); \
         speedups need idle cores, so they are shown, not graded",
        ms(run.wall),
        ms(one_thread),
        one_thread.as_secs_f64() / run.wall.as_secs_f64().max(1e-9)
    );
    let pause = format!(
        "longest pause between rows: {} (a run is stopped after {} without one)",
        ms(run.longest_quiet),
        ms(world::QUIET)
    );
    let evidence = Work {
        width: shape.width,
        rows: shape.height,
        calls: calls(&run),
        threads: run.shares(),
        pool: world::pool(),
        cores: world::cores(),
    };
    let (pictures, legend) = picture::thread_map(ctx, &run);
    let mut verdict = decide::work_shared(&evidence).detail(speed).detail(pause);
    if !legend.is_empty() {
        verdict = verdict.detail(legend);
    }
    verdict.timeline(run.timeline()).artifacts(pictures)
}

/// What an ordinary run showed: threads, and the most inside blur_row at
/// one instant.
fn ordinary(run: &CpuRun<Image>) -> Ordinary {
    let mut numbers = HashMap::new();
    let spans: Vec<Span> = run
        .calls
        .iter()
        .map(|c| {
            let next = numbers.len();
            Span {
                thread: *numbers.entry(c.thread).or_insert(next),
                start: c.real_start,
                end: c.real_end,
            }
        })
        .collect();
    Ordinary {
        calls: run.calls.len(),
        threads: numbers.len(),
        most_at_once: decide::most_at_once(&spans),
    }
}

pub fn simultaneous(ctx: &Ctx) -> Verdict {
    let shape = DEFAULT;
    let image = shape.image(ctx.seed);
    // Ordinary runs first: the probe only watches. Two rows at the same
    // instant here is the evidence; a rendezvous alone would manufacture it.
    let mut seen = Vec::new();
    let mut best: Option<CpuRun<Image>> = None;
    let mut one_thread_pool = true;
    for _ in 0..OVERLAP_RUNS {
        let run = blur_probed(shape, None, &image);
        one_thread_pool &= run.calls.iter().all(|c| c.pool_threads == Some(1));
        let this = ordinary(&run);
        seen.push(this);
        if best
            .as_ref()
            .is_none_or(|b| this.most_at_once > ordinary(b).most_at_once)
        {
            best = Some(run);
        }
        if this.most_at_once >= 2 {
            break;
        }
    }
    // Then one held run, to tell turn-taking from a lock.
    let held = blur_probed(shape, Some(RENDEZVOUS), &image);
    one_thread_pool &= held.calls.iter().all(|c| c.pool_threads == Some(1));
    let evidence = Simultaneity {
        ordinary: seen,
        rendezvous: held.rendezvous,
        held_for: RENDEZVOUS,
        one_thread_pool,
        cores: world::cores(),
    };
    let verdict = decide::simultaneous(&evidence);
    match best {
        Some(run) => verdict.timeline(run.timeline()),
        None => verdict,
    }
}
