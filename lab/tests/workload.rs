//! The workloads of exercise 09: a computation burns its CPU time on the
//! thread that runs it, a wait burns none, and the log says which thread
//! ran each step and how. In a process of its own, so the CPU probe of
//! `cpu`'s unit tests never sees these computations.

use std::time::{Duration, Instant};

use lab::thread_cpu_time;
use lab::workload::{Log, Plan, Step, StepKind, Workload};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Run blocking: the CPU clock moves by the computation, the wall clock by
/// both; each step logged once, in order, on this thread.
#[test]
fn a_blocking_run_computes_here_and_sleeps_here() {
    let log = Log::new();
    let work = Workload::new("stew", &[Plan::Compute(ms(8)), Plan::Wait(ms(20))], &log);
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    work.run_blocking();
    let (wall, cpu) = (wall.elapsed(), thread_cpu_time() - cpu);
    assert!(cpu >= ms(8) && cpu < ms(30), "{cpu:?}");
    assert!(wall >= ms(28), "{wall:?}");
    let records = log.records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].kind, StepKind::Compute);
    assert!(records[0].cpu >= ms(8));
    assert_eq!(records[1].kind, StepKind::Wait);
    assert!(records[1].blocking && !records[1].in_runtime);
    assert!(
        records
            .iter()
            .all(|r| r.thread == std::thread::current().id())
    );
    assert!(records[1].start >= records[0].end.unwrap());
    assert_eq!(records[0].workload, work.id());
}

/// Awaited waits overlap on one thread and are logged as not blocking.
#[test]
fn awaited_waits_overlap_on_one_thread() {
    let log = Log::new();
    let a = Workload::new("a", &[Plan::Wait(ms(30))], &log);
    let b = Workload::new("b", &[Plan::Wait(ms(30))], &log);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async { tokio::join!(a.run(), b.run()) });
    let records = log.records();
    assert!(records.iter().all(|r| !r.blocking && r.in_runtime));
    assert!(records[1].start < records[0].end.unwrap());
    assert_eq!(log.in_flight(), 0);
}

/// Neither the Debug text nor the steps tell how long anything takes.
#[test]
fn debug_text_shows_steps_not_durations() {
    let log = Log::new();
    let work = Workload::new("x", &[Plan::Compute(ms(1)), Plan::Wait(ms(123))], &log);
    let text = format!("{work:?}");
    assert_eq!(text, r#"Workload { label: "x", steps: [Compute, Wait] }"#);
    assert!(matches!(work.steps()[1], Step::Wait(_)));
    assert_eq!(work.label(), "x");
}
