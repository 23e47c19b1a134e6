//! Grader of exercise 06, blur in parallel.
//!
//! The learner's `blur` runs on a generated image. Every row goes through
//! `lab::blur::blur_row`, which logs, while a probe is installed, the thread
//! that ran it and the CPU time that thread spent on it. The checks prove
//! the model:
//!
//! - `same_pixels`: the output equals a sequential blur, pixel for pixel;
//! - `work_shared`: at least two threads did the rows, none more than 80% of
//!   the kernel's CPU time (thread CPU time, which stays fair on a busy
//!   machine where wall-clock speedups do not);
//! - `simultaneous`: the first row waits at a rendezvous until a second
//!   thread starts a row. Only code that really runs two rows at the same
//!   instant gets past it; sequential code waits out the timeout.
//!
//! The checker runs this with `RAYON_NUM_THREADS=4`, so the structure holds
//! even on a machine with one core.

use std::time::{Duration, Instant};

use grading::observe::{CpuRun, run_probed};
use grading::{Check, Ctx, Verdict, ms};
use lab::blur::blur_row;
use lab::image::Image;

const CHECKS: &[Check] = &[
    Check {
        name: "same_pixels",
        about: "the blurred image equals a one-thread blur, pixel for pixel",
        run: same_pixels,
    },
    Check {
        name: "work_shared",
        about: "two or more threads share the rows, none doing over 80% of the work",
        run: work_shared,
    },
    Check {
        name: "simultaneous",
        about: "two rows are blurred at the same instant on two threads",
        run: simultaneous,
    },
];

fn main() {
    grading::harness::main(CHECKS)
}

/// Image size and blur radius: about 100 ms of work on one core and enough
/// rows (over 64) that every worker gets some even when the machine is busy.
const WIDTH: usize = 1024;
const HEIGHT: usize = 768;
const RADIUS: usize = 8;
/// The most of the kernel's CPU time one thread may do and still share fairly.
const MAX_SHARE: f64 = 0.80;
/// How long the first row waits for a second thread at the rendezvous.
const RENDEZVOUS: Duration = Duration::from_secs(3);

fn input(ctx: &Ctx) -> Image {
    Image::generate(ctx.seed, WIDTH, HEIGHT)
}

/// The expected result: the same kernel, one row after another.
fn blur_one_thread(image: &Image) -> Image {
    let mut out = Image::new(image.width(), image.height());
    for (y, row) in out.pixels_mut().chunks_mut(image.width()).enumerate() {
        blur_row(image, RADIUS, y, row);
    }
    out
}

fn same_pixels(ctx: &Ctx) -> Verdict {
    let image = input(ctx);
    let expected = blur_one_thread(&image);
    let got = subject::blur(&image, RADIUS);
    let mut artifacts = Vec::new();
    for (name, picture) in [("input.png", &image), ("output.png", &got)] {
        let path = ctx.artifacts.join(name);
        if picture.save_png(&path).is_ok() {
            artifacts.push(path);
        }
    }
    let verdict = if (got.width(), got.height()) != (image.width(), image.height()) {
        Verdict::fail(format!(
            "the blurred image is {}x{} pixels; expected {}x{}, the size of the input",
            got.width(),
            got.height(),
            image.width(),
            image.height()
        ))
    } else {
        let wrong: Vec<usize> = (0..got.pixels().len())
            .filter(|&i| got.pixels()[i] != expected.pixels()[i])
            .collect();
        match wrong.first() {
            None => Verdict::pass(format!(
                "all {} pixels match a one-thread blur",
                got.pixels().len()
            )),
            Some(&first) => {
                let (x, y) = (first % WIDTH, first / WIDTH);
                Verdict::fail(format!(
                    "{} of {} pixels differ from a one-thread blur; the first at ({x}, {y}) is \
                     {:?}, expected {:?}. Is every row computed exactly once, into its own row?",
                    wrong.len(),
                    got.pixels().len(),
                    got.pixels()[first],
                    expected.pixels()[first]
                ))
            }
        }
    };
    verdict.artifacts(artifacts)
}

/// A failure if some row was blurred more than once or never: extra rows
/// on other threads would make a sequential blur look shared.
fn rows_not_once(run: &CpuRun<Image>) -> Option<Verdict> {
    let mut times = vec![0usize; HEIGHT];
    for call in &run.calls {
        if let Some(count) = times.get_mut(call.item) {
            *count += 1;
        }
    }
    let twice = times.iter().filter(|&&n| n > 1).count();
    let never = times.iter().filter(|&&n| n == 0).count();
    (twice > 0 || never > 0).then(|| {
        Verdict::fail(format!(
            "blur_row ran {} times for {HEIGHT} rows: {twice} rows were blurred more than once \
             and {never} never. Expected each row blurred exactly once.",
            run.calls.len()
        ))
    })
}

/// Whether this machine has a single core.
fn one_core() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() == 1)
}

fn no_kernel_calls() -> Verdict {
    Verdict::fail(
        "blur never called lab::blur::blur_row, so the checker could not see who did the \
         work. Compute each row with blur_row(image, radius, y, row).",
    )
}

/// Runs of `work_shared` that must all be lopsided before it fails.
const FAIRNESS_RUNS: usize = 3;

/// The busiest thread's share of the kernel's CPU time.
fn busiest_share(run: &CpuRun<Image>) -> f64 {
    run.shares().first().map_or(1.0, |s| s.share)
}

fn work_shared(ctx: &Ctx) -> Verdict {
    let image = input(ctx);
    let mut run: CpuRun<Image> = run_probed(None, || subject::blur(&image, RADIUS));
    if run.calls.is_empty() {
        return no_kernel_calls();
    }
    // Several threads, but one did most of the work: on a crowded machine
    // the OS may have starved the others for a while. Code that really
    // hands one thread the work does so every time, so a lopsided split
    // counts only if every run shows one; the fairest run decides.
    for _ in 1..FAIRNESS_RUNS {
        if run.shares().len() < 2 || busiest_share(&run) <= MAX_SHARE {
            break;
        }
        let again = run_probed(None, || subject::blur(&image, RADIUS));
        if busiest_share(&again) < busiest_share(&run) {
            run = again;
        }
    }
    // Supporting evidence only: wall-clock speed swings on a busy machine, so
    // it is shown, never decided on.
    let started = Instant::now();
    blur_one_thread(&image);
    let one_thread = started.elapsed();
    let speed = format!(
        "wall time {} against {} for one thread here ({:.1}x); speedups need idle cores, so \
         they are shown, not graded",
        ms(run.wall),
        ms(one_thread),
        one_thread.as_secs_f64() / run.wall.as_secs_f64().max(1e-9)
    );
    if let Some(verdict) = rows_not_once(&run) {
        return verdict;
    }
    if run.calls.iter().all(|c| c.cpu.is_zero()) {
        return Verdict::inconclusive(
            "this platform's per-thread CPU clock reported no time at all, so the threads' \
             shares of the work could not be measured",
        );
    }
    let shares = run.shares();
    let split = shares
        .iter()
        .map(|s| format!("{} {:.0}% ({} rows)", s.label, s.share * 100.0, s.items))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = run.calls.len();
    let busiest = &shares[0];
    let verdict = if shares.len() == 1 && busiest.pool_threads == Some(1) && one_core() {
        // The checker asks rayon for 4 workers; code that sizes its own pool
        // to the cores gets one here, and then nothing can be proven.
        Verdict::inconclusive(format!(
            "all {rows} rows ran in a rayon pool of one thread, and this machine has one core: \
             if the pool was sized to the cores, it would share the rows on a bigger machine. \
             Grade it on a machine with two cores or more."
        ))
    } else if shares.len() == 1 {
        let cause = match (busiest.rayon_index, busiest.pool_threads) {
            (None, _) if busiest.label == "the calling thread" => format!(
                "all {rows} rows were blurred by the calling thread, one after another: a \
                 sequential loop (or a parallel iterator over a single item, which rayon runs \
                 right where it is called)"
            ),
            (None, _) => format!(
                "all {rows} rows were blurred by one thread ({}), one after another",
                busiest.label
            ),
            (Some(_), Some(1)) => format!(
                "all {rows} rows ran in a rayon pool of one thread: one worker is still one row \
                 at a time"
            ),
            (Some(_), pool) => format!(
                "all {rows} rows were blurred by one rayon worker while its pool had {} \
                 threads: the rows reached rayon as one piece of work (one task, or one chunk \
                 holding every row), so there was nothing for the other workers to take",
                pool.unwrap_or(0)
            ),
        };
        Verdict::fail(format!(
            "{cause}. Expected the rows spread over rayon's workers, each doing a fair share."
        ))
    } else if busiest.share > MAX_SHARE {
        Verdict::fail(format!(
            "{} did {:.0}% of the blur's CPU work ({split}). Expected the rows shared fairly: no \
             thread over {:.0}%.",
            busiest.label,
            busiest.share * 100.0,
            MAX_SHARE * 100.0
        ))
    } else {
        let mut pass = Verdict::pass(format!(
            "{} threads shared the {rows} rows: {split}",
            shares.len()
        ));
        if shares.iter().any(|s| s.rayon_index.is_none()) {
            pass = pass.detail(
                "some rows ran on threads that are not rayon workers: parallel all the same, \
                 though this exercise is about rayon",
            );
        }
        pass
    };
    let (picture, legend) = thread_map(ctx, &run);
    verdict
        .detail(speed)
        .detail(legend)
        .timeline(run.timeline())
        .artifacts(picture)
}

/// Colours for the threads in `threads.png`, busiest thread first.
const PALETTE: [([u8; 3], &str); 8] = [
    ([230, 60, 50], "red"),
    ([40, 120, 230], "blue"),
    ([60, 180, 75], "green"),
    ([245, 175, 30], "orange"),
    ([150, 70, 200], "purple"),
    ([20, 190, 200], "cyan"),
    ([240, 90, 190], "pink"),
    ([130, 130, 130], "grey"),
];

/// Writes `threads.png`: the learner's blurred image with each row tinted
/// in the colour of the thread that computed it, so the split of the work
/// can be seen. Returns the file (if written) and the colour legend.
fn thread_map(ctx: &Ctx, run: &CpuRun<Image>) -> (Vec<std::path::PathBuf>, String) {
    let shares = run.shares();
    let labels = run.labels();
    let colour_of = |label: &str| {
        let index = shares.iter().position(|s| s.label == label).unwrap_or(0);
        PALETTE[index.min(PALETTE.len() - 1)]
    };
    let mut picture = run.output.clone();
    let width = picture.width();
    for call in &run.calls {
        let (tint, _) = colour_of(&labels[&call.thread]);
        if call.item >= picture.height() {
            continue;
        }
        let row = &mut picture.pixels_mut()[call.item * width..(call.item + 1) * width];
        for pixel in row {
            for (channel, t) in pixel.iter_mut().zip(tint) {
                *channel = ((u16::from(*channel) + 2 * u16::from(t)) / 3) as u8;
            }
        }
    }
    let legend = shares
        .iter()
        .take(PALETTE.len())
        .map(|s| format!("{} = {}", colour_of(&s.label).1, s.label))
        .collect::<Vec<_>>()
        .join(", ");
    let path = ctx.artifacts.join("threads.png");
    match picture.save_png(&path) {
        Ok(()) => (vec![path], format!("threads.png shows which thread blurred each row: {legend}")),
        Err(_) => (Vec::new(), String::new()),
    }
}

fn simultaneous(ctx: &Ctx) -> Verdict {
    use lab::cpu::RendezvousResult;
    let image = input(ctx);
    let run = run_probed(Some(RENDEZVOUS), || subject::blur(&image, RADIUS));
    let verdict = match run.rendezvous {
        None | Some(RendezvousResult::Pending) => return no_kernel_calls(),
        Some(RendezvousResult::Met { waited }) => Verdict::pass(format!(
            "while the first row waited, another thread started a row {} later; at the peak {} \
             rows were being blurred at once",
            ms(waited),
            run.peak_in_flight
        )),
        Some(RendezvousResult::TimedOut { .. })
            if one_core() && run.calls.iter().all(|c| c.pool_threads == Some(1)) =>
        {
            Verdict::inconclusive(
                "every row ran in a rayon pool of one thread, and this machine has one core, so \
                 two rows could not run at once here. Grade it on a machine with two cores or more.",
            )
        }
        Some(RendezvousResult::TimedOut { waited }) => Verdict::fail(format!(
            "no two rows were ever blurred at the same instant: the first row waited {} for a \
             second thread to start another row, and none did (at most {} in flight). Expected \
             rows on several threads at once.",
            ms(waited),
            run.peak_in_flight
        )),
    };
    verdict.timeline(run.timeline())
}
