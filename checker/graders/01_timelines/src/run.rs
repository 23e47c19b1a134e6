//! Running a scenario for real, on tokio's paused clock.
//!
//! Waiting is a sleep on the paused clock, exact and instant. Computing
//! cannot be real CPU work there (it would cost no simulated time at all),
//! so it is represented by what it does to the others: it *holds* a worker
//! for its duration. On one thread, the worker is a FIFO lock that a task
//! holds while it sleeps out its computing, so computing takes turns in the
//! order listed while waits overlap. On N cores, each core is a worker that
//! takes the next task from a queue and runs it to its end. The simulated
//! clock then reads the total, to the millisecond.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

use lab::scenario::{Mode, Scenario};
use protocol::timeline::{Clock, Lane, Span, Timeline};
use tokio::time::{Instant, sleep};

/// One task's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRun {
    /// When it started computing.
    pub start: Duration,
    /// When it stopped computing and started waiting.
    pub computed: Duration,
    /// When it finished waiting.
    pub end: Duration,
    /// The worker that ran it: 0 on one thread, the core otherwise.
    pub worker: usize,
}

/// A scenario's run.
#[derive(Debug, Clone)]
pub struct Ran {
    /// From the first start to the last end, on the simulated clock.
    pub total: Duration,
    /// Each task, in the scenario's order.
    pub tasks: Vec<TaskRun>,
}

/// A letter for task `i`: A, B, C, ...
pub fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Ran {
    /// The run drawn on the simulated clock: first a lane per worker with
    /// what it was busy with (on one thread its computing, on each core
    /// the whole of its tasks), then a lane per task from the start of its
    /// computing to the end of its wait. The report draws a few lanes
    /// only, so the workers, which tell the story, come first.
    pub fn timeline(&self, mode: Mode) -> Timeline {
        let span = |a: Duration, b: Duration| Span {
            start_ms: ms_f(a),
            end_ms: ms_f(b),
        };
        let mut lanes = Vec::new();
        match mode {
            Mode::InARow | Mode::Concurrent => lanes.push(
                Lane {
                    label: "the thread computes".to_string(),
                    spans: self
                        .tasks
                        .iter()
                        .map(|t| span(t.start, t.computed))
                        .collect(),
                }
                .merged(),
            ),
            Mode::Parallel { cores } => {
                for core in 0..cores.min(self.tasks.len()) {
                    lanes.push(
                        Lane {
                            label: format!("core {} busy", core + 1),
                            spans: self
                                .tasks
                                .iter()
                                .filter(|t| t.worker == core)
                                .map(|t| span(t.start, t.end))
                                .collect(),
                        }
                        .merged(),
                    );
                }
            }
        }
        for (i, t) in self.tasks.iter().enumerate() {
            lanes.push(Lane {
                label: format!("task {}", letter(i)),
                spans: vec![span(t.start, t.end)],
            });
        }
        for lane in &mut lanes {
            lane.spans.retain(|s| s.end_ms > s.start_ms);
        }
        Timeline {
            clock: Clock::Virtual,
            lanes,
        }
    }
}

/// Runs task `i` on `worker`: holds `thread` (if any) while it computes,
/// then waits; notes when each happened in `runs`.
async fn run_task(
    t: lab::scenario::Task,
    i: usize,
    worker: usize,
    thread: Option<&tokio::sync::Mutex<()>>,
    origin: Instant,
    runs: &RefCell<Vec<Option<TaskRun>>>,
) {
    let held = match thread {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    let start = origin.elapsed();
    sleep(t.compute).await;
    let computed = origin.elapsed();
    drop(held);
    sleep(t.wait).await;
    let end = origin.elapsed();
    runs.borrow_mut()[i] = Some(TaskRun {
        start,
        computed,
        end,
        worker,
    });
}

/// Runs `scenario` on a fresh current-thread runtime with a paused clock.
///
/// # Panics
///
/// If the runtime cannot be built.
pub fn run(scenario: &Scenario) -> Ran {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime");
    runtime.block_on(async {
        let origin = Instant::now();
        let n = scenario.tasks.len();
        let runs = RefCell::new(vec![None; n]);
        let tasks = &scenario.tasks;
        let runs = &runs;
        match scenario.mode {
            Mode::InARow => {
                for (i, &t) in tasks.iter().enumerate() {
                    run_task(t, i, 0, None, origin, runs).await;
                }
            }
            Mode::Concurrent => {
                // tokio's Mutex is fair: waiters get it in the order they
                // asked, and join_all polls the tasks in the order listed.
                let thread = tokio::sync::Mutex::new(());
                let thread = &thread;
                futures::future::join_all(
                    (0..n).map(|i| run_task(tasks[i], i, 0, Some(thread), origin, runs)),
                )
                .await;
            }
            Mode::Parallel { cores } => {
                let queue = RefCell::new((0..n).collect::<VecDeque<usize>>());
                let core = |c: usize| {
                    let queue = &queue;
                    async move {
                        loop {
                            let next = queue.borrow_mut().pop_front();
                            let Some(i) = next else { break };
                            run_task(tasks[i], i, c, None, origin, runs).await;
                        }
                    }
                };
                futures::future::join_all((0..cores.max(1)).map(core)).await;
            }
        }
        Ran {
            total: origin.elapsed(),
            tasks: runs
                .take()
                .into_iter()
                .map(|r| r.expect("every task ran"))
                .collect(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lab::scenario::Task;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn total(mode: Mode, tasks: &[(u64, u64)]) -> u64 {
        let tasks = tasks
            .iter()
            .map(|&(c, w)| Task::new(ms(c), ms(w)))
            .collect();
        run(&Scenario::new(mode, tasks)).total.as_millis() as u64
    }

    /// The opening scenes: 9 s in a row, 3 s overlapping waits, 3 s on
    /// three cores, 9 s of computing on one thread.
    #[test]
    fn the_opening_scenes_take_their_times() {
        let three_c = [(3000, 0); 3];
        let three_w = [(0, 3000); 3];
        assert_eq!(total(Mode::InARow, &three_c), 9000);
        assert_eq!(total(Mode::Concurrent, &three_w), 3000);
        assert_eq!(total(Mode::Parallel { cores: 3 }, &three_c), 3000);
        assert_eq!(total(Mode::Concurrent, &three_c), 9000);
    }

    /// Computing takes turns in order; each wait starts when its own
    /// computing ends.
    #[test]
    fn concurrent_computing_takes_turns_and_waits_overlap() {
        assert_eq!(
            total(Mode::Concurrent, &[(100, 900), (300, 50), (200, 0)]),
            1000
        );
        assert_eq!(total(Mode::Concurrent, &[(5, 95); 3]), 110);
        let ran = run(&Scenario::new(
            Mode::Concurrent,
            vec![Task::new(ms(10), ms(5)), Task::new(ms(20), ms(0))],
        ));
        assert_eq!(ran.tasks[1].start, ms(10));
        assert_eq!(ran.tasks[0].end, ms(15));
    }

    /// More tasks than cores queue for the next free core; more cores than
    /// tasks leave some idle.
    #[test]
    fn cores_take_the_next_task_when_free() {
        assert_eq!(total(Mode::Parallel { cores: 4 }, &[(1000, 0); 10]), 3000);
        assert_eq!(
            total(
                Mode::Parallel { cores: 2 },
                &[(10_000, 0), (5000, 0), (10_000, 0)]
            ),
            15_000
        );
        assert_eq!(
            total(Mode::Parallel { cores: 8 }, &[(100, 50), (20, 300)]),
            320
        );
        assert_eq!(
            total(Mode::Parallel { cores: 1 }, &[(100, 50), (20, 300)]),
            470
        );
    }

    #[test]
    fn nothing_to_do_takes_no_time() {
        assert_eq!(total(Mode::Concurrent, &[]), 0);
        assert_eq!(total(Mode::Parallel { cores: 2 }, &[(0, 0)]), 0);
    }

    /// The drawing has the workers first, then a lane per task; empty
    /// spans are left out.
    #[test]
    fn the_drawing_shows_tasks_then_workers() {
        let scenario = Scenario::new(
            Mode::Parallel { cores: 2 },
            vec![Task::computing(ms(10)); 3],
        );
        let t = run(&scenario).timeline(scenario.mode);
        let labels: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            ["core 1 busy", "core 2 busy", "task A", "task B", "task C"]
        );
        assert_eq!(t.lanes[0].spans.len(), 1);
        assert_eq!(t.lanes[4].spans[0].start_ms, 10.0);
        let empty = Scenario::new(Mode::Concurrent, vec![Task::waiting(ms(0))]);
        assert!(run(&empty).timeline(empty.mode).lanes[1].spans.is_empty());
    }
}
