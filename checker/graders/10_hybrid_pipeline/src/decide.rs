//! The decisions, as pure functions: evidence in, a [`Verdict`] out.
//!
//! Nothing here runs learner code, reads a clock or does I/O, so every
//! branch is unit-tested below in milliseconds, with the evidence each
//! wrong model (each mutant in `tests/fixtures/10_hybrid_pipeline/`)
//! produces. Decisions compare numbers and enums, never text.

use std::time::Duration;

use grading::{Verdict, ms};
use protocol::Timeline;

use crate::run::{Place, Stuck};

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn ids(list: &[u64]) -> String {
    let shown: Vec<String> = list.iter().take(6).map(u64::to_string).collect();
    let more = if list.len() > 6 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

// ---------------------------------------------------------------- results

/// What the store holds under one id, compared with what it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The image blurred with the batch's radius.
    Right,
    /// The image as downloaded: never blurred.
    Unblurred,
    /// Another image of the batch, blurred: saved under the wrong id.
    BlurOf(u64),
    /// Pixels that are none of the above.
    Wrong,
}

/// One image of a `right_results` batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    /// Its id.
    pub id: u64,
    /// How many times it was downloaded (finished downloads).
    pub downloads: usize,
    /// How many times `lab::batch::blur_image` was given it.
    pub blurred: usize,
    /// What the store received under its id, one entry per save.
    pub stored: Vec<Stored>,
}

/// One batch of `right_results`.
#[derive(Debug, Clone)]
pub struct ResultsRun {
    /// How reports name the batch.
    pub batch: &'static str,
    /// Its images, in the server's order.
    pub images: Vec<ImageFacts>,
    /// Ids saved that the server does not have.
    pub unknown: Vec<u64>,
    /// Saves that finished on a thread other than the runtime's.
    pub saved_off_runtime: usize,
}

/// `right_results`: in every batch, each image downloaded once, blurred at
/// most once by `blur_image` (row-by-row blurs are traced by pixels only),
/// and saved once, under its own id, with the right pixels, by async code
/// on the runtime.
pub fn right_results(runs: &[ResultsRun]) -> Verdict {
    for run in runs {
        let of = |what: String| Verdict::fail(format!("on {}: {what}", run.batch));
        if let Some(&id) = run.unknown.first() {
            return of(format!(
                "an image was saved under id {id}, which the server does not have. Expected \
                 each image saved under the id it was downloaded with."
            ));
        }
        let missing: Vec<u64> = run
            .images
            .iter()
            .filter(|i| i.stored.is_empty())
            .map(|i| i.id)
            .collect();
        if !missing.is_empty() {
            return of(format!(
                "{} of {} never saved (ids {}). Expected every image downloaded, blurred and \
                 saved, each exactly once, before pipeline returns.",
                missing.len(),
                plural(run.images.len(), "image was", "images were"),
                ids(&missing)
            ));
        }
        for image in &run.images {
            let id = image.id;
            let problem = if image.stored.len() > 1 {
                format!(
                    "image {id} was saved {} times. Expected each image saved exactly once.",
                    image.stored.len()
                )
            } else {
                match image.stored[0] {
                    Stored::Right => String::new(),
                    Stored::Unblurred => format!(
                        "image {id} was saved as it was downloaded, not blurred. Expected \
                         blur(&image, radius) saved under its id."
                    ),
                    Stored::BlurOf(other) => format!(
                        "under id {id} the store holds image {other}, blurred: the right work, \
                         under the wrong id. Keep each image's id beside it through the pipeline \
                         (send (id, image) together) and save it under that id."
                    ),
                    Stored::Wrong => format!(
                        "image {id} was saved with pixels that are not blur(&image, radius) of \
                         the image downloaded under that id. Expected the blur of lab's kernel, \
                         with the radius pipeline was given."
                    ),
                }
            };
            let problem = if !problem.is_empty() {
                problem
            } else if image.downloads > 1 {
                format!(
                    "image {id} was downloaded {} times. Expected each image downloaded once.",
                    image.downloads
                )
            } else if image.blurred > 1 {
                format!(
                    "image {id} was blurred {} times with lab::batch::blur_image. Expected \
                     each image blurred once.",
                    image.blurred
                )
            } else {
                continue;
            };
            return of(problem);
        }
        if run.saved_off_runtime > 0 {
            return of(format!(
                "{} finished on a thread other than the runtime's. Saving is waiting, the \
                 async side's job: hand each blurred image back to async code and await \
                 store.save there.",
                plural(run.saved_off_runtime, "save", "saves")
            ));
        }
    }
    let names: Vec<&str> = runs.iter().map(|r| r.batch).collect();
    Verdict::pass(format!(
        "every image was downloaded once, blurred right and saved once under its own id, on {}",
        names.join(", on ")
    ))
}

// ---------------------------------------------------------------- downloads

/// The downloads of one run, for `downloads_overlap`.
#[derive(Debug, Clone)]
pub struct DownloadRun {
    /// Images in the batch.
    pub images: usize,
    /// Downloads seen.
    pub downloads: usize,
    /// The most downloads in flight at one instant.
    pub peak: usize,
    /// Real time from the first download's start to the last one's end.
    pub span: Duration,
    /// What downloads in a row would wait: the sum of the latencies.
    pub sum_of_latencies: Duration,
    /// The run on the real clock.
    pub timeline: Timeline,
}

/// `downloads_overlap`: two or more downloads were in flight at once.
/// Async waiting is structural (a download in flight is a timer, not a
/// thread), so one run decides.
pub fn downloads_overlap(run: &DownloadRun) -> Verdict {
    let figures = format!(
        "the {} downloads took {} from the first start to the last end; their latencies add up \
         to {}",
        run.downloads,
        ms(run.span),
        ms(run.sum_of_latencies)
    );
    let verdict = if run.downloads == 0 {
        Verdict::fail(format!(
            "no download was seen on the batch of {} images. Expected each image fetched with \
             server.download(id).await.",
            run.images
        ))
    } else if run.peak >= 2 {
        Verdict::pass(format!(
            "up to {} downloads were in flight at once: their waits overlapped",
            run.peak
        ))
        .detail(figures)
    } else {
        Verdict::fail(format!(
            "downloads in a row: never two downloads in flight at once. Each download started \
             only after the one before had ended, so {figures}. A download is waiting, not \
             computing: start them all, one task per image (tokio::spawn, a JoinSet) or \
             joined futures, and the waits overlap on one thread."
        ))
    };
    verdict.timeline(run.timeline.clone())
}

// ---------------------------------------------------------------- the pool

/// One blur (kernel call) of a `blur_on_pool` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlurFacts {
    /// Where it ran.
    pub place: Place,
    /// Its thread, numbered from 0 in order of first appearance.
    pub thread: usize,
    /// The size of the rayon pool it ran in, on a pool thread.
    pub pool_threads: Option<usize>,
    /// Its CPU time.
    pub cpu: Duration,
}

/// One run of `blur_on_pool`.
#[derive(Debug, Clone)]
pub struct PoolRun {
    /// Images in the batch.
    pub images: usize,
    /// Every blur call.
    pub blurs: Vec<BlurFacts>,
    /// The run on the real clock.
    pub timeline: Timeline,
}

impl PoolRun {
    fn at(&self, place: Place) -> impl Iterator<Item = &BlurFacts> {
        self.blurs.iter().filter(move |b| b.place == place)
    }

    fn threads_at(&self, place: Place) -> usize {
        let mut threads: Vec<usize> = self.at(place).map(|b| b.thread).collect();
        threads.sort_unstable();
        threads.dedup();
        threads.len()
    }

    fn cpu_at(&self, place: Place) -> Duration {
        self.at(place).map(|b| b.cpu).sum()
    }

    /// True when every blur ran on a rayon pool, on two or more threads:
    /// the run that lets `blur_on_pool` stop looking.
    pub fn shared_on_pool(&self) -> bool {
        !self.blurs.is_empty()
            && self.at(Place::Pool).count() == self.blurs.len()
            && self.threads_at(Place::Pool) >= 2
    }
}

/// The diagnosis of blurs handed to `spawn_blocking`, whose pool tokio
/// sizes for waiting, not for computing.
pub const SPAWN_BLOCKING: &str = "That is spawn_blocking: parallel, but not the pool this \
    exercise asks for. tokio's blocking pool is sized for waiting, up to 512 threads by \
    default: whenever all its threads are busy it starts another, so a big batch of images \
    arriving together gets a thread per image, far more threads than cores, all fighting for \
    them. Expected each blur on rayon's pool, one worker per core: rayon::spawn, and a oneshot \
    channel back to the async task.";

/// `blur_on_pool`: every blur ran on a rayon pool, never on the runtime's
/// thread, nor on tokio's blocking pool, nor on threads of the code's own;
/// on two or more of the pool's threads in at least one run. Blurs
/// elsewhere fail from the first run that shows them: that is the code's
/// structure, not the machine's mood.
pub fn blur_on_pool(runs: &[PoolRun]) -> Verdict {
    let Some(first) = runs.first() else {
        return Verdict::inconclusive("the pipeline was never run");
    };
    for run in runs {
        let total = run.blurs.len();
        let fail = |what: String| Verdict::fail(what).timeline(run.timeline.clone());
        if total == 0 {
            return fail(format!(
                "no blur by lab's kernel was seen on the batch of {} images. Expected each \
                 image blurred with blur(&image, radius) (lab::batch::blur_image): the checker \
                 watches that kernel to see where the work ran.",
                run.images
            ));
        }
        let on_runtime = run.at(Place::Runtime).count();
        if on_runtime > 0 {
            return fail(format!(
                "{on_runtime} of {total} blur calls ran on the runtime's thread ({} of CPU). \
                 While a blur runs there, no download and no save moves: the thread cannot \
                 wait and compute at once. Expected every blur handed to rayon's pool \
                 (rayon::spawn, and a oneshot channel back to the async task).",
                ms(run.cpu_at(Place::Runtime))
            ));
        }
        let blocking = run.at(Place::BlockingPool).count();
        if blocking > 0 {
            return fail(format!(
                "{blocking} of {total} blur calls ran on {} of tokio's blocking pool. \
                 {SPAWN_BLOCKING}",
                plural(run.threads_at(Place::BlockingPool), "thread", "threads")
            ));
        }
        let other = run.at(Place::Other).count();
        if other > 0 {
            let threads = run.threads_at(Place::Other);
            let per_image = if threads >= 2 && threads >= run.images {
                " a thread per image, not a pool: with a bigger batch, far more threads than \
                 cores."
            } else {
                ""
            };
            return fail(format!(
                "{other} of {total} blur calls ran on {} the code started itself, not on \
                 rayon's pool:{per_image} Expected each blur on rayon's pool, one worker per \
                 core: rayon::spawn, and a oneshot channel back to the async task.",
                plural(threads, "thread", "threads")
            ));
        }
        if run.shared_on_pool() {
            return Verdict::pass(format!(
                "all {total} blur calls ran on rayon's pool, on {} of its threads, none on the \
                 runtime's thread",
                run.threads_at(Place::Pool)
            ))
            .timeline(run.timeline.clone());
        }
    }
    let pool = first.blurs.iter().find_map(|b| b.pool_threads);
    let why = if pool == Some(1) {
        "a pool of one thread: the blurs took turns. ".to_string()
    } else {
        String::new()
    };
    Verdict::fail(format!(
        "in {} every blur ran on one thread of rayon's pool: {why}Images that arrive together \
         should be blurred together, on two or more workers. Expected the global pool (or \
         one with several threads), each blur its own task (rayon::spawn).",
        plural(runs.len(), "run", "runs")
    ))
    .timeline(first.timeline.clone())
}

// ---------------------------------------------------------------- the runtime

/// The heartbeat's view of one run, for `runtime_free`.
#[derive(Debug, Clone)]
pub struct StallRun {
    /// The longest hold: the longest poll, or the most busy time between
    /// two heartbeat ticks.
    pub longest: Duration,
    /// How long the runtime's worker was busy running tasks in all.
    pub total: Duration,
    /// The heartbeat's worst lateness (a busy machine counts): shown only.
    pub heartbeat_worst: Duration,
    /// The CPU time of the blurs divided by the images: one image's blur.
    pub blur_per_image: Duration,
    /// Blur calls on the runtime's thread.
    pub blurs_on_runtime: usize,
    /// Blur calls in all.
    pub blurs: usize,
    /// Real time the run took.
    pub real_elapsed: Duration,
    /// The run on the real clock, with the holds.
    pub timeline: Timeline,
}

/// The floor of the longest hold that counts as blocking. Correct code
/// keeps the thread busy for microseconds at a time; a busy machine that
/// preempts it inside a poll adds a few ms.
pub const HOLD_FLOOR: Duration = Duration::from_millis(20);
/// The floor of the total hold that counts as blocking. Correct code keeps
/// the runtime busy a few ms over a whole batch; up to 33 ms were measured
/// with a load average of 10 on two cores (the thread preempted inside a
/// poll counts as busy).
pub const TOTAL_FLOOR: Duration = Duration::from_millis(60);

/// The longest hold that counts as blocking in `run`: half a blur, and
/// never under [`HOLD_FLOOR`]. Blurring on the runtime holds it a whole
/// blur at a time.
pub fn hold_limit(run: &StallRun) -> Duration {
    HOLD_FLOOR.max(run.blur_per_image / 2)
}

/// The total hold that counts as blocking in `run`: one and a half blurs'
/// CPU time, and never under [`TOTAL_FLOOR`]. Blurring on the runtime
/// holds it for all twelve blurs; waiting there for rayon, for each
/// image's blur spread over at most the pool's 4 workers: three blurs'
/// worth over 12 images, on the fastest machine. The blur is calibrated to
/// about 60 ms everywhere, so the limit is about 90 ms.
pub fn total_limit(run: &StallRun) -> Duration {
    TOTAL_FLOOR.max(run.blur_per_image * 3 / 2)
}

/// True when a run shows the runtime free: no long hold, no large total.
pub fn is_free(run: &StallRun) -> bool {
    run.longest < hold_limit(run) && run.total < total_limit(run)
}

/// `runtime_free`: the heartbeat stayed on time in at least one run. A
/// busy machine delays a healthy heartbeat by a few ms, now and then; a
/// blocked runtime delays it by a whole blur, in every run.
pub fn runtime_free(runs: &[StallRun]) -> Verdict {
    let evidence = |run: &StallRun| {
        format!(
            "the runtime's thread busy {} in all (limit {}), the longest hold {} (limit {}, \
             half of one image's blur of {} CPU); heartbeat at worst {} late, over {} of real \
             time",
            ms(run.total),
            ms(total_limit(run)),
            ms(run.longest),
            ms(hold_limit(run)),
            ms(run.blur_per_image),
            ms(run.heartbeat_worst),
            ms(run.real_elapsed)
        )
    };
    if let Some(free) = runs.iter().find(|r| is_free(r)) {
        return Verdict::pass(
            "the runtime's thread stayed free: the heartbeat beside the pipeline kept time",
        )
        .detail(evidence(free));
    }
    let Some(least) = runs.iter().min_by_key(|r| r.total) else {
        return Verdict::inconclusive("the pipeline was never run");
    };
    let held = format!(
        "in {} the runtime's thread was held, {} in all (the longest hold {})",
        plural(runs.len(), "run", "runs"),
        ms(least.total),
        ms(least.longest)
    );
    let why = if least.blurs_on_runtime > 0 {
        format!(
            "{} of {} blur calls ran on it, and no download or save moved meanwhile. Expected \
             every blur handed to rayon's pool, the async task awaiting its result.",
            least.blurs_on_runtime, least.blurs
        )
    } else if least.blurs > 0 {
        "yet every blur ran on other threads: the runtime's thread sat waiting for them. A \
         parallel iterator (par_iter, par_chunks_mut), rayon::join or rayon::scope called from \
         async code blocks its thread until the pool is done, and no other task moves \
         meanwhile. Hand the blur over with rayon::spawn and await a oneshot channel instead: \
         awaiting frees the thread."
            .to_string()
    } else {
        "by something other than a blur (a blocking sleep, lock or channel). Expected only \
         awaits on the runtime's thread."
            .to_string()
    };
    Verdict::fail(format!("{held}: {why}"))
        .detail(evidence(least))
        .timeline(least.timeline.clone())
}

// ---------------------------------------------------------------- pipeline

/// One run of `pipelined`.
#[derive(Debug, Clone)]
pub struct PipelineFacts {
    /// When the first download ended.
    pub first_download_end: Duration,
    /// When the last download ended.
    pub last_download_end: Duration,
    /// When the first blur began, if any did.
    pub first_blur_start: Option<Duration>,
    /// The run on the real clock.
    pub timeline: Timeline,
}

/// True when the first blur began before the last download ended.
pub fn overlapped(run: &PipelineFacts) -> bool {
    run.first_blur_start
        .is_some_and(|start| start < run.last_download_end)
}

/// `pipelined`: in one of the runs, the first blur began before the last
/// download ended. Two phases (every download, then every blur) never do.
pub fn pipelined(runs: &[PipelineFacts]) -> Verdict {
    if let Some(run) = runs.iter().find(|r| overlapped(r)) {
        let start = run.first_blur_start.unwrap_or_default();
        return Verdict::pass(format!(
            "a pipeline: the first blur began at {}, {} before the last download ended (at {})",
            ms(start),
            ms(run.last_download_end.saturating_sub(start)),
            ms(run.last_download_end)
        ))
        .timeline(run.timeline.clone());
    }
    let Some(run) = runs.first() else {
        return Verdict::inconclusive("the pipeline was never run");
    };
    let Some(start) = run.first_blur_start else {
        return Verdict::fail(
            "no blur by lab's kernel was seen, so nothing can follow the downloads. Expected \
             each image blurred with blur(&image, radius).",
        )
        .timeline(run.timeline.clone());
    };
    Verdict::fail(format!(
        "two phases, not a pipeline: in {} the first blur began only at {}, after the last \
         download had ended (at {}). The first image was in at {}, and the pool sat idle for \
         {} while it waited. Expected each image blurred as soon as it arrives: give every \
         image its own way through download, blur, save.",
        plural(runs.len(), "run", "runs"),
        ms(start),
        ms(run.last_download_end),
        ms(run.first_download_end),
        ms(start.saturating_sub(run.first_download_end))
    ))
    .timeline(run.timeline.clone())
}

// ---------------------------------------------------------------- hangs

/// What the watchdog saw, for the verdict.
#[derive(Debug, Clone)]
pub struct HangFacts {
    /// What it saw.
    pub stuck: Stuck,
    /// For how long.
    pub stuck_for: Duration,
    /// Images in the batch.
    pub images: usize,
    /// Downloads finished.
    pub downloaded: usize,
    /// Blur calls finished.
    pub blurred: usize,
    /// Images saved.
    pub saved: usize,
    /// The run so far.
    pub timeline: Timeline,
}

/// The verdict of a run the watchdog stopped.
pub fn hang(h: &HangFacts) -> Verdict {
    let held = format!("{:.1} s", h.stuck_for.as_secs_f64());
    let what = match h.stuck {
        Stuck::InOnePoll => format!(
            "one poll of pipeline has held the runtime's thread for {held} with nothing \
             happening: it never lets go (a blocking recv on a std channel, a std lock, a join on a \
             thread, or an endless loop), so none of its own tasks can move"
        ),
        Stuck::RuntimeHeld => format!(
            "the runtime's thread has run none of its tasks for {held}, with nothing happening, \
             though pipeline itself is not being polled: a task it spawned holds the thread (a blocking call or an \
             endless loop inside tokio::spawn)"
        ),
        Stuck::NotFinished => format!(
            "pipeline had not returned after {held} of real time, though something kept \
             happening: it waits for something that never comes (a channel whose sender is \
             never dropped, a result never sent), or loops without end; correct code is done in \
             well under a second"
        ),
    };
    Verdict::timed_out(format!(
        "{what}. By then {} of {} downloads had ended, {} and {} saved. Stopped early.",
        h.downloaded,
        h.images,
        plural(h.blurred, "blur call had run", "blur calls had run"),
        plural(h.saved, "image", "images"),
    ))
    .timeline(h.timeline.clone())
}

#[cfg(test)]
mod tests;
