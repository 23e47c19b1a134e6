//! The checks' impure half: run the learner's `run_on_pool` under the
//! instruments, gather the evidence, and hand it to `decide`. Nothing here
//! decides.

use std::collections::HashMap;
use std::time::Duration;

use grading::catch::catching;
use grading::observe::{CpuRun, run_probed};
use grading::{Ctx, Verdict};
use lab::cpu::ThreadKind;
use lab::jobs::{Job, run};
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::decide::{
    self, Answer, Cap, JobSpan, Ran, Reach, ScenarioRun, Schedule, Slots, Threads,
};
use crate::picture::{self, Boxed, LANE, QUEUE, Row};
use crate::world::{self, RUNS, Scenario};

/// A scenario's jobs and their answers.
struct Known {
    scenario: Scenario,
    jobs: Vec<Job>,
    answers: Vec<u64>,
}

/// The answer of every job, in order. They are no evidence, only what the
/// learner's answers are compared with, and no probe is installed yet, so
/// they are worked out on every core, a band of jobs to each.
fn answers(jobs: &[Job]) -> Vec<u64> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let band = jobs.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let bands: Vec<_> = jobs
            .chunks(band)
            .map(|band| scope.spawn(move || band.iter().map(run).collect::<Vec<u64>>()))
            .collect();
        bands
            .into_iter()
            .flat_map(|b| b.join().expect("a reference job panicked"))
            .collect()
    })
}

impl Known {
    fn new(scenario: Scenario, seed: u64) -> Self {
        let jobs = scenario.jobs(seed);
        let answers = answers(&jobs);
        Known {
            scenario,
            jobs,
            answers,
        }
    }

    /// Runs the learner's `run_on_pool` under a probe and the watchdog.
    fn run(&self) -> CpuRun<Vec<u64>> {
        let watch = self.scenario.watch();
        let name = self.scenario.name.clone();
        let jobs = self.jobs.len();
        run_probed(
            None,
            watch,
            move |progress| decide::stalled(&name, jobs, watch.max_calls, &progress),
            || subject::run_on_pool(&self.jobs, self.scenario.workers),
        )
    }

    /// Whether a call ran one of this scenario's jobs (its id and length).
    fn ours(&self, item: usize, input: (usize, usize)) -> bool {
        self.jobs
            .get(item)
            .is_some_and(|j| input == (j.units() as usize, 0))
    }
}

fn threads(run: &CpuRun<Vec<u64>>) -> Threads {
    let kinds: Vec<ThreadKind> = run.kinds().into_values().collect();
    Threads::of(&kinds)
}

fn spans(run: &CpuRun<Vec<u64>>) -> Vec<JobSpan> {
    let mut spans: Vec<JobSpan> = run
        .calls
        .iter()
        .map(|c| JobSpan {
            job: c.item,
            start: c.real_start,
            end: c.real_end,
        })
        .collect();
    spans.sort_by_key(|s| (s.start, s.job));
    spans
}

pub fn every_job_once(ctx: &Ctx) -> Verdict {
    let mut runs = Vec::new();
    for scenario in world::all() {
        let known = Known::new(scenario, ctx.seed);
        let ran = match catching(|| known.run()) {
            Err((message, location)) => Ran::Panicked { message, location },
            Ok(done) => {
                let at: HashMap<u64, usize> = known
                    .answers
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (*a, i))
                    .collect();
                let answers = done
                    .output
                    .iter()
                    .enumerate()
                    .map(|(i, got)| match at.get(got) {
                        Some(&n) if n == i => Answer::Right,
                        Some(&n) => Answer::Job(n),
                        None => Answer::Wrong,
                    })
                    .collect();
                let calls = done
                    .calls
                    .iter()
                    .map(|c| (c.item, known.ours(c.item, c.input)))
                    .collect();
                Ran::Returned { answers, calls }
            }
        };
        runs.push(ScenarioRun {
            name: known.scenario.name.clone(),
            why: known.scenario.why.to_string(),
            jobs: known.jobs.len(),
            ran,
        });
    }
    decide::every_job_once(&runs)
}

pub fn at_most_n(ctx: &Ctx) -> Verdict {
    let mut caps = Vec::new();
    let mut shown: Option<Timeline> = None;
    for scenario in [world::two(), world::main_scenario(), world::four()] {
        let known = Known::new(scenario, ctx.seed);
        let n = known.scenario.workers;
        // The worst of a few runs: one instant over the limit is proof.
        let mut worst: Option<CpuRun<Vec<u64>>> = None;
        for _ in 0..RUNS {
            let run = known.run();
            let peak = run.peak_in_flight;
            if worst.as_ref().is_none_or(|w| peak > w.peak_in_flight) {
                worst = Some(run);
            }
            if peak > n {
                break;
            }
        }
        let worst = worst.expect("a run");
        if worst.peak_in_flight > n && shown.is_none() {
            shown = Some(timeline(&worst, n));
        }
        caps.push(Cap {
            name: known.scenario.name.clone(),
            workers: n,
            jobs: known.jobs.len(),
            peak: worst.peak_in_flight,
            threads: threads(&worst),
        });
    }
    let verdict = decide::at_most_n(&caps);
    match shown {
        Some(timeline) => verdict.timeline(timeline),
        None => verdict,
    }
}

pub fn n_reached(ctx: &Ctx) -> Verdict {
    let mut reaches = Vec::new();
    let mut shown: Option<Timeline> = None;
    for scenario in [world::main_scenario(), world::four()] {
        let known = Known::new(scenario, ctx.seed);
        let n = known.scenario.workers;
        // The best of a few ordinary runs: the probe only watches, so N
        // jobs at once is the code's own doing.
        let mut best: Option<CpuRun<Vec<u64>>> = None;
        let mut runs = 0;
        for _ in 0..RUNS {
            let run = known.run();
            runs += 1;
            let peak = run.peak_in_flight;
            if best.as_ref().is_none_or(|b| peak > b.peak_in_flight) {
                best = Some(run);
            }
            if peak >= n {
                break;
            }
        }
        let best = best.expect("a run");
        if shown.is_none() && (best.peak_in_flight < n || known.scenario == world::main_scenario())
        {
            shown = Some(timeline(&best, n));
        }
        reaches.push(Reach {
            name: known.scenario.name.clone(),
            workers: n,
            peak: best.peak_in_flight,
            runs,
            threads: threads(&best),
        });
    }
    let verdict = decide::n_reached(&reaches, world::cores());
    match shown {
        Some(timeline) => verdict.timeline(timeline),
        None => verdict,
    }
}

/// The run read as a schedule on `n` slots, with the ideal time.
fn slots_of(name: &str, run: &CpuRun<Vec<u64>>, n: usize) -> (Slots, Vec<JobSpan>) {
    let spans = spans(run);
    let schedule = decide::schedule(&spans, n);
    let mut lengths: Vec<(usize, Duration)> =
        spans.iter().map(|s| (s.job, s.end - s.start)).collect();
    lengths.sort_by_key(|(job, _)| *job);
    let lengths: Vec<Duration> = lengths.into_iter().map(|(_, d)| d).collect();
    let slots = Slots {
        name: name.to_string(),
        workers: n,
        schedule,
        ideal: decide::slot_schedule_time(&lengths, n),
    };
    (slots, spans)
}

fn ratio(s: &Slots) -> f64 {
    s.schedule.idle.as_secs_f64() / s.schedule.busy.as_secs_f64().max(1e-9)
}

pub fn no_idle_slots(ctx: &Ctx) -> Verdict {
    let mut all = Vec::new();
    let mut drawn: Option<(Vec<JobSpan>, Schedule, usize)> = None;
    for scenario in [world::main_scenario(), world::four()] {
        let known = Known::new(scenario, ctx.seed);
        let n = known.scenario.workers;
        let name = known.scenario.name.clone();
        let (mut best, mut best_spans) = slots_of(&name, &known.run(), n);
        // A crowded machine may hold a worker back between two jobs once;
        // waves leave slots idle every time. The better of two runs counts.
        if ratio(&best) > decide::MAX_IDLE {
            let (again, spans) = slots_of(&name, &known.run(), n);
            if ratio(&again) < ratio(&best) {
                (best, best_spans) = (again, spans);
            }
        }
        // The picture shows the first scenario, or the first that failed.
        let bad = ratio(&best) > decide::MAX_IDLE;
        let drawn_bad = drawn
            .as_ref()
            .is_some_and(|(_, s, _)| ratio_of(s) > decide::MAX_IDLE);
        if drawn.is_none() || (bad && !drawn_bad) {
            drawn = Some((best_spans, best.schedule.clone(), n));
        }
        all.push(best);
    }
    let mut verdict = decide::no_idle_slots(&all);
    if let Some((spans, schedule, n)) = drawn {
        let path = ctx.artifacts.join("slots.png");
        if let Some(path) = picture::draw(&path, &rows(&spans, &schedule)) {
            verdict = verdict
                .detail(format!(
                    "slots.png shows the {n} slots of the pool top to bottom, each job a box with \
                     its number, and below them the queue: a thin line per job from the start of \
                     the run until a slot took it"
                ))
                .artifacts(vec![path]);
        }
        verdict = verdict.timeline(slot_timeline(&spans, &schedule, n));
    }
    verdict
}

fn ratio_of(s: &Schedule) -> f64 {
    s.idle.as_secs_f64() / s.busy.as_secs_f64().max(1e-9)
}

/// The picture's lanes: one per slot, then the queue, a thin lane per job.
fn rows(spans: &[JobSpan], schedule: &Schedule) -> Vec<Row> {
    let lanes = schedule.slots.iter().copied().max().map_or(0, |m| m + 1);
    let mut slots: Vec<Row> = (0..lanes).map(|_| (LANE, Vec::new())).collect();
    for (span, &slot) in spans.iter().zip(&schedule.slots) {
        slots[slot].1.push(Boxed {
            start: span.start,
            end: span.end,
            colour: picture::colour(span.job),
            label: Some(span.job),
        });
    }
    let first = spans.iter().map(|s| s.start).min().unwrap_or_default();
    let mut queue: Vec<&JobSpan> = spans.iter().collect();
    queue.sort_by_key(|s| s.job);
    slots.extend(queue.into_iter().map(|s| {
        (
            QUEUE,
            vec![Boxed {
                start: first,
                end: s.start.max(first),
                // The job's colour, paled: waiting, not computing.
                colour: picture::colour(s.job).map(|c| ((u16::from(c) + 2 * 235) / 3) as u8),
                label: None,
            }],
        )
    }));
    slots
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The terminal's drawing: one lane per slot, named with its jobs, and a
/// lane for the moments a slot stood idle while jobs waited.
fn slot_timeline(spans: &[JobSpan], schedule: &Schedule, n: usize) -> Timeline {
    let lanes_count = schedule
        .slots
        .iter()
        .copied()
        .max()
        .map_or(n, |m| (m + 1).max(n));
    let mut lanes: Vec<Lane> = (0..lanes_count)
        .map(|slot| {
            let mine: Vec<&JobSpan> = spans
                .iter()
                .zip(&schedule.slots)
                .filter(|(_, s)| **s == slot)
                .map(|(span, _)| span)
                .collect();
            let jobs = mine
                .iter()
                .map(|s| s.job.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let label = if slot < n {
                format!("slot {}: jobs {jobs}", slot + 1)
            } else {
                format!("over the limit: jobs {jobs}")
            };
            Lane {
                label,
                spans: mine
                    .iter()
                    .map(|s| Span {
                        start_ms: ms_f(s.start),
                        end_ms: ms_f(s.end),
                    })
                    .collect(),
            }
            .merged()
        })
        .collect();
    // Idle while jobs waited: from a slot's previous job's end to the
    // next start in it, where that stretch is longer than a hand-over.
    let mut idle = Vec::new();
    for slot in 0..n {
        let mut mine: Vec<&JobSpan> = spans
            .iter()
            .zip(&schedule.slots)
            .filter(|(_, s)| **s == slot)
            .map(|(span, _)| span)
            .collect();
        mine.sort_by_key(|s| s.start);
        for pair in mine.windows(2) {
            if pair[1].start.saturating_sub(pair[0].end) > Duration::from_millis(1) {
                idle.push(Span {
                    start_ms: ms_f(pair[0].end),
                    end_ms: ms_f(pair[1].start),
                });
            }
        }
    }
    if !idle.is_empty() {
        lanes.push(
            Lane {
                label: "a slot idle, jobs waiting".into(),
                spans: idle,
            }
            .merged(),
        );
    }
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// A timeline of `run` on `n` slots.
fn timeline(run: &CpuRun<Vec<u64>>, n: usize) -> Timeline {
    let spans = spans(run);
    let schedule = decide::schedule(&spans, n);
    slot_timeline(&spans, &schedule, n)
}
