//! The checks' impure half: run the learner's functions on hidden
//! workloads under the instruments, gather the evidence, and hand it to
//! `decide`. Nothing here decides.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use grading::observe::run_probed;
use grading::{Ctx, Verdict};
use lab::cpu::Progress;
use lab::workload::{Kind, Log, StepKind, StepRecord, Workload};
use protocol::timeline::{Clock, Lane, Span, Timeline};

use crate::decide::{self, About, Classified, Figure, Measured, Try};
use crate::dispatch::{self, Batch, Ran, Thread};
use crate::world::{self, Spec};

fn about(spec: &Spec) -> About {
    About {
        kind: spec.kind,
        label: spec.label.to_string(),
        shape: spec.shape(),
    }
}

/// The verdict of a run the watchdog stopped: what `what` was doing.
fn stalled(what: &str, log: &Log, steps: usize, progress: &Progress) -> Verdict {
    let running = log.in_flight();
    let started = log.started();
    let why = if progress.started > world::watch(steps).max_calls {
        format!(
            "{} computations started for {steps} steps: a loop over the steps that never ends",
            progress.started
        )
    } else if started == 0 {
        "without starting a single step: most likely a deadlock (a lock, a channel or a join \
         waiting for something that never comes) or an endless loop"
            .to_string()
    } else {
        format!(
            "after {started} of the {steps} steps had started ({running} still running): most \
             likely a deadlock (a lock, a channel or a join waiting for something that never \
             comes), or the runtime's thread blocked while a step needs it"
        )
    };
    Verdict::timed_out(format!(
        "{what} made no progress for {} ms, {why}. The check was stopped.",
        world::QUIET.as_millis()
    ))
}

/// Runs `body` (which runs `workload` somehow) under the CPU probe and
/// its watchdog, the log cleared first. Returns its output and the real
/// time it took.
fn watched<T>(
    what: &'static str,
    log: &Log,
    steps: usize,
    body: impl FnOnce() -> T,
) -> (T, Duration) {
    log.clear();
    let seen = log.clone();
    let run = run_probed(
        None,
        world::watch(steps),
        move |progress| stalled(what, &seen, steps, &progress),
        body,
    );
    (run.output, run.wall)
}

pub fn measures_both_clocks(ctx: &Ctx) -> Verdict {
    let log = Log::new();
    let mut all = Vec::new();
    for spec in world::to_classify(ctx.seed) {
        let workload = spec.build(&log);
        let ((m, outer), _) = watched("measure", &log, spec.plan.len(), || {
            let start = Instant::now();
            let m = subject::measure(&workload);
            (m, start.elapsed())
        });
        let records = log.records();
        let mine: Vec<&StepRecord> = records
            .iter()
            .filter(|r| r.workload == workload.id())
            .collect();
        let first = mine.iter().map(|r| r.start).min().unwrap_or_default();
        let last = mine.iter().filter_map(|r| r.end).max().unwrap_or_default();
        let (logged_cpu, logged_waits) = logged(&records, workload.id());
        all.push(Measured {
            about: about(&spec),
            wall: m.wall,
            cpu: m.cpu,
            waiting: m.waiting,
            logged_cpu,
            logged_waits,
            logged_span: last.saturating_sub(first),
            outer,
            runs: (0..spec.plan.len())
                .map(|step| mine.iter().filter(|r| r.step == step).count())
                .collect(),
        });
    }
    decide::measures(&all)
}

pub fn classifies_by_the_clocks(ctx: &Ctx) -> Verdict {
    let figures: Vec<Figure> = world::figures()
        .into_iter()
        .map(|(given, expected)| Figure {
            given,
            expected,
            got: subject::kind_of(&given),
        })
        .collect();
    let log = Log::new();
    let mut workloads = Vec::new();
    for spec in world::to_classify(ctx.seed) {
        let workload = spec.build(&log);
        let mut tries = Vec::new();
        for _ in 0..world::CLASSIFY_TRIES {
            let (got, _) = watched("classify", &log, spec.plan.len(), || {
                subject::classify(&workload)
            });
            let records = log.records();
            let (cpu, waits) = logged(&records, workload.id());
            let share = cpu.as_secs_f64() / (cpu + waits).as_secs_f64().max(1e-9);
            let steps_ran = records
                .iter()
                .filter(|r| r.workload == workload.id())
                .count();
            tries.push(Try {
                got,
                share,
                steps_ran,
                judged: decide::judged(spec.kind, share, steps_ran),
            });
            if got == spec.kind {
                break;
            }
        }
        workloads.push(Classified {
            about: about(&spec),
            named_as: world::named_as(spec.label),
            tries,
        });
    }
    decide::classifies(&figures, &workloads)
}

/// The CPU time of a workload's computations and the real time of its
/// waits, from the log.
fn logged(records: &[StepRecord], workload: usize) -> (Duration, Duration) {
    let mine = records.iter().filter(|r| r.workload == workload);
    let mut cpu = Duration::ZERO;
    let mut waits = Duration::ZERO;
    for r in mine {
        match r.kind {
            StepKind::Compute => cpu += r.cpu,
            StepKind::Wait => waits += r.end.unwrap_or(r.start).saturating_sub(r.start),
        }
    }
    (cpu, waits)
}

/// A name per thread that ran steps, unique in the run.
fn label_threads(
    records: &[StepRecord],
    runtime: ThreadId,
) -> (HashMap<ThreadId, usize>, Vec<Thread>) {
    let mut index = HashMap::new();
    let mut threads: Vec<Thread> = Vec::new();
    let mut others = 0;
    for r in records {
        if index.contains_key(&r.thread) {
            continue;
        }
        let is_runtime = r.thread == runtime;
        let mut label = if is_runtime {
            "the runtime's thread".to_string()
        } else if let Some(i) = r.rayon_index {
            format!("rayon worker {i}")
        } else if let Some(name) = &r.thread_name {
            format!("thread {name}")
        } else {
            others += 1;
            format!("thread #{others}")
        };
        if threads.iter().any(|t| t.label == label) {
            label = format!("{label} (#{})", threads.len() + 1);
        }
        index.insert(r.thread, threads.len());
        threads.push(Thread {
            runtime: is_runtime,
            rayon: r.rayon_index.is_some(),
            label,
        });
    }
    (index, threads)
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Two lanes per thread, one for its computations and one for its
/// waits, on the real clock.
fn timeline(batch: &Batch) -> Timeline {
    let mut lanes: Vec<Lane> = Vec::new();
    for (t, thread) in batch.threads.iter().enumerate() {
        for (compute, what) in [(true, "computes"), (false, "waits")] {
            let spans: Vec<Span> = batch
                .ran
                .iter()
                .filter(|r| r.thread == t && r.compute == compute)
                .map(|r| Span {
                    start_ms: ms_f(r.start),
                    end_ms: ms_f(r.end.unwrap_or(r.start)),
                })
                .collect();
            if !spans.is_empty() {
                lanes.push(
                    Lane {
                        label: format!("{} {what}", thread.label),
                        spans,
                    }
                    .merged(),
                );
            }
        }
    }
    Timeline {
        clock: Clock::Real,
        lanes,
    }
}

/// Runs the learner's `run_batch` once on the hidden batch, awaited on a
/// tokio runtime with one thread (this one) on the real clock.
fn run_batch(seed: u64) -> Batch {
    let specs = world::batch(seed);
    let log = Log::new();
    let workloads: Vec<Workload> = specs.iter().map(|s| s.build(&log)).collect();
    let position: HashMap<usize, usize> = workloads
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id(), i))
        .collect();
    let given: Vec<(Workload, Kind)> = workloads
        .iter()
        .cloned()
        .zip(specs.iter().map(|s| s.kind))
        .collect();
    let steps: usize = specs.iter().map(|s| s.plan.len()).sum();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let ((), _) = watched("run_batch", &log, steps, || {
        runtime.block_on(subject::run_batch(given))
    });
    // Tasks the learner spawned and left behind stop here.
    drop(runtime);
    let records = log.records();
    let (index, threads) = label_threads(&records, std::thread::current().id());
    let ran = records
        .iter()
        .filter_map(|r| {
            Some(Ran {
                workload: *position.get(&r.workload)?,
                step: r.step,
                compute: r.kind == StepKind::Compute,
                blocking: r.blocking,
                thread: index[&r.thread],
                start: r.start,
                end: r.end,
                cpu: r.cpu,
            })
        })
        .collect();
    Batch {
        workloads: specs.iter().map(about).collect(),
        steps: specs.iter().map(|s| s.plan.len()).collect(),
        threads,
        ran,
    }
}

pub fn every_step_once(ctx: &Ctx) -> Verdict {
    let batch = run_batch(ctx.seed);
    dispatch::every_step_once(&batch).timeline(timeline(&batch))
}

pub fn waiting_on_async(ctx: &Ctx) -> Verdict {
    let batch = run_batch(ctx.seed);
    dispatch::waiting_async(&batch).timeline(timeline(&batch))
}

pub fn computing_on_the_pool(ctx: &Ctx) -> Verdict {
    // A crowded machine may starve a worker for a while: code that really
    // leaves the computing to one thread does so every time, so a lopsided
    // run counts only if every run shows one.
    let mut batch = run_batch(ctx.seed);
    for _ in 1..world::POOL_RUNS {
        if !dispatch::lopsided(&batch) {
            break;
        }
        batch = run_batch(ctx.seed);
    }
    dispatch::computing_pool(&batch, rayon::current_num_threads(), world::cores())
        .timeline(timeline(&batch))
}

pub fn mixed_on_both(ctx: &Ctx) -> Verdict {
    let batch = run_batch(ctx.seed);
    dispatch::mixed_both(&batch).timeline(timeline(&batch))
}
