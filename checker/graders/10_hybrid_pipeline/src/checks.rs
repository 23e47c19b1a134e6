//! The checks: each runs the learner's `pipeline` on generated batches
//! under the instruments, gathers the evidence, and hands it to the pure
//! decision of the same name in [`crate::decide`].

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::Duration;

use grading::overlap::most_at_once;
use grading::{Ctx, Verdict};
use lab::batch::{Step, blur_image, fingerprint, step_of};
use lab::gallery::download_label;

use crate::decide::{
    self, BlurFacts, DownloadRun, HangFacts, ImageFacts, PipelineFacts, PoolRun, ResultsRun,
    StallRun, Stored,
};
use crate::picture;
use crate::run::{Hang, PipelineRun, Place, place, run};
use crate::world::{self, Batch, RUNS};

/// Called by the watchdog thread when a run stops making progress.
fn on_hang(h: &Hang) -> Verdict {
    decide::hang(&HangFacts {
        stuck: h.stuck,
        stuck_for: h.stuck_for,
        images: h.images,
        downloaded: h.downloaded,
        blurred: h.blurred,
        saved: h.saved,
        timeline: h.timeline.clone(),
    })
}

/// Fingerprints of each image of `batch` as downloaded and as it should
/// be stored, by id. Computed with no probe installed, after the run, so
/// the reference blurs use every core: they are not evidence, only the
/// answers the run is compared with.
fn prints(batch: &Batch) -> HashMap<u64, (u64, u64)> {
    std::thread::scope(|scope| {
        let blurring: Vec<_> = batch
            .images
            .iter()
            .map(|p| {
                scope.spawn(move || {
                    let blurred = blur_image(&p.image, batch.radius);
                    (p.id, (fingerprint(&p.image), fingerprint(&blurred)))
                })
            })
            .collect();
        blurring
            .into_iter()
            .map(|handle| handle.join().expect("a reference blur panicked"))
            .collect()
    })
}

pub fn right_results(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    for batch in world::all(ctx.seed, world::calibrate()) {
        let run = run(&batch, on_hang);
        let prints = prints(&batch);
        let stored_as = |image: &lab::image::Image| {
            let got = fingerprint(image);
            prints
                .iter()
                .find_map(|(&id, &(_, blurred))| (blurred == got).then_some(id))
                .map_or_else(
                    || {
                        if prints.values().any(|&(original, _)| original == got) {
                            Stored::Unblurred
                        } else {
                            Stored::Wrong
                        }
                    },
                    Stored::BlurOf,
                )
        };
        let images = batch
            .images
            .iter()
            .map(|p| {
                let original = prints[&p.id].0;
                let label = download_label(p.id);
                ImageFacts {
                    id: p.id,
                    downloads: run
                        .downloads
                        .iter()
                        .filter(|d| d.label == label && d.real_end.is_some())
                        .count(),
                    blurred: run
                        .blurs
                        .iter()
                        .filter(|c| step_of(c) == Some((Step::Blur, original)))
                        .count(),
                    stored: run
                        .saved
                        .iter()
                        .filter(|s| s.id == p.id)
                        .map(|s| match stored_as(&s.image) {
                            Stored::BlurOf(id) if id == p.id => Stored::Right,
                            other => other,
                        })
                        .collect(),
                }
            })
            .collect();
        runs.push(ResultsRun {
            batch: batch.name,
            images,
            unknown: run
                .saved
                .iter()
                .filter(|s| batch.find(s.id).is_none())
                .map(|s| s.id)
                .collect(),
            saved_off_runtime: run
                .saved
                .iter()
                .filter(|s| s.thread != run.runtime_thread)
                .count(),
        });
    }
    decide::right_results(&runs)
}

/// The downloads of `run` as `(index, start, end)` spans; one that never
/// ended is drawn to the end of the run.
fn download_spans(run: &PipelineRun) -> Vec<(usize, Duration, Duration)> {
    run.downloads
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.real_start, d.real_end.unwrap_or(run.real_elapsed)))
        .collect()
}

pub fn downloads_overlap(ctx: &Ctx) -> Verdict {
    let batch = world::twelve(ctx.seed, world::calibrate());
    let run = run(&batch, on_hang);
    let spans = download_spans(&run);
    let first = spans.iter().map(|s| s.1).min().unwrap_or_default();
    let last = spans.iter().map(|s| s.2).max().unwrap_or_default();
    decide::downloads_overlap(&DownloadRun {
        images: batch.images.len(),
        downloads: spans.len(),
        peak: most_at_once(&spans),
        span: last.saturating_sub(first),
        sum_of_latencies: batch.sum_of_latencies(),
        timeline: run.timeline(),
    })
}

/// The blurs of `run`, each with where it ran and its thread's number.
fn blur_facts(run: &PipelineRun) -> Vec<BlurFacts> {
    let mut threads: Vec<ThreadId> = Vec::new();
    run.blurs
        .iter()
        .map(|c| {
            let thread = threads
                .iter()
                .position(|t| *t == c.thread)
                .unwrap_or_else(|| {
                    threads.push(c.thread);
                    threads.len() - 1
                });
            BlurFacts {
                place: place(c, run.runtime_thread),
                thread,
                pool_threads: c.pool_threads,
                cpu: c.cpu,
            }
        })
        .collect()
}

pub fn blur_on_pool(ctx: &Ctx) -> Verdict {
    let batch = world::twelve(ctx.seed, world::calibrate());
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let run = run(&batch, on_hang);
        let pool_run = PoolRun {
            images: batch.images.len(),
            blurs: blur_facts(&run),
            timeline: run.timeline(),
        };
        // Blurs off the pool are the code's structure: one run shows them.
        let decided =
            pool_run.shared_on_pool() || pool_run.blurs.iter().any(|b| b.place != Place::Pool);
        runs.push(pool_run);
        if decided {
            break;
        }
    }
    decide::blur_on_pool(&runs)
}

pub fn runtime_free(ctx: &Ctx) -> Verdict {
    let batch = world::twelve(ctx.seed, world::calibrate());
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let run = run(&batch, on_hang);
        let cpu: Duration = run.blurs.iter().map(|c| c.cpu).sum();
        let stall = StallRun {
            longest: run.longest_hold(),
            total: run.busy_total,
            heartbeat_worst: run.heartbeat_worst,
            blur_per_image: cpu / batch.images.len().max(1) as u32,
            blurs_on_runtime: run
                .blurs
                .iter()
                .filter(|c| c.thread == run.runtime_thread)
                .count(),
            blurs: run.blurs.len(),
            real_elapsed: run.real_elapsed,
            timeline: run.timeline(),
        };
        // A blur on the runtime's thread is the code's structure, not the
        // machine's mood: one run shows it.
        let decided = decide::is_free(&stall) || stall.blurs_on_runtime > 0;
        runs.push(stall);
        if decided {
            break;
        }
    }
    decide::runtime_free(&runs)
}

pub fn pipelined(ctx: &Ctx) -> Verdict {
    let batch = world::twelve(ctx.seed, world::calibrate());
    let mut runs = Vec::new();
    let mut drawn = None;
    for _ in 0..RUNS {
        let run = run(&batch, on_hang);
        let ends: Vec<Duration> = run.downloads.iter().filter_map(|d| d.real_end).collect();
        let facts = PipelineFacts {
            first_download_end: ends.iter().copied().min().unwrap_or_default(),
            last_download_end: ends.iter().copied().max().unwrap_or_default(),
            first_blur_start: run.blurs.iter().map(|c| c.real_start).min(),
            timeline: run.timeline(),
        };
        let done = decide::overlapped(&facts);
        if drawn.is_none() || done {
            drawn = Some(run);
        }
        runs.push(facts);
        if done {
            break;
        }
    }
    let verdict = decide::pipelined(&runs);
    let Some(run) = drawn else {
        return verdict;
    };
    let path = ctx.artifacts.join("pipeline.png");
    match picture::draw(&path, &picture::lanes_of(&batch, &run)) {
        Some(written) => verdict
            .detail(
                "pipeline.png draws one lane per image, in the order the downloads ended: grey \
                 while it downloads, green while rayon's pool blurs it (red on the runtime's \
                 thread, orange on any other thread), blue while it is saved",
            )
            .artifacts(vec![written]),
        None => verdict,
    }
}
