//! The decisions: evidence in, a [`Verdict`] out.
//!
//! Everything here is pure: no clocks, no threads, no learner code.
//! `checks.rs` runs the learner's `run_on_pool` under the instruments and
//! fills the evidence structs; the functions below read them. Every branch
//! has a unit test at the bottom of this file.
//!
//! The pool is seen as `N` slots. A job *starts* when `lab::jobs::run` is
//! entered and *ends* when it returns; "computing at the same instant"
//! means inside `run` at the same instant, as the probe's in-flight gauge
//! counts it. On a machine with fewer cores than `N`, jobs in flight take
//! turns on the cores, and are still in flight: the gauge measures the
//! pool's structure, which the machine cannot distort.

use std::collections::BTreeMap;
use std::time::Duration;

use grading::Verdict;
use lab::cpu::{Progress, ThreadKind};

/// The most idle slot time, as a fraction of the jobs' own time, that a
/// run may leave while jobs wait. A pool that hands out the next job when
/// a slot frees measures a few percent at most (the gaps between one job
/// and the next, stretched on a crowded machine); waves of `N` on the
/// graded jobs leave 40% to 90% (less on a crowded machine, where the
/// jobs' own time stretches more than the idle stretches).
pub const MAX_IDLE: f64 = 0.15;

// ---------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------

/// "1 job" or "3 jobs".
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

/// Numbers as a short list: `0 to 3, 7, 9, 10`.
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

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

// ---------------------------------------------------------------------
// every_job_once
// ---------------------------------------------------------------------

/// How one returned answer compares with the expected ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The answer of the job at its place.
    Right,
    /// The answer of job `n`, another place's.
    Job(usize),
    /// No job's answer.
    Wrong,
}

/// What `run_on_pool` did with one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// It panicked, with this message, at this place if known.
    Panicked {
        /// The panic's message.
        message: String,
        /// `file:line`.
        location: Option<String>,
    },
    /// It returned these answers, having run these jobs.
    Returned {
        /// Each answer, compared with the expected ones.
        answers: Vec<Answer>,
        /// The id of each `lab::jobs::run` call, and whether its job was
        /// one of the scenario's (its id and length).
        calls: Vec<(usize, bool)>,
    },
}

/// One scenario and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRun {
    /// Its name ("10 jobs on 3 workers").
    pub name: String,
    /// Why it is graded.
    pub why: String,
    /// Its number of jobs.
    pub jobs: usize,
    /// What `run_on_pool` did.
    pub ran: Ran,
}

/// What is wrong with `calls` as the record of running `jobs` jobs once
/// each, or `None`.
pub fn tally(jobs: usize, calls: &[(usize, bool)]) -> Option<String> {
    let mut count = vec![0usize; jobs];
    let mut foreign = 0;
    for &(id, known) in calls {
        match count.get_mut(id) {
            Some(n) if known => *n += 1,
            _ => foreign += 1,
        }
    }
    let mut problems = Vec::new();
    let mut repeated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut never = Vec::new();
    for (id, &n) in count.iter().enumerate() {
        match n {
            0 => never.push(id),
            1 => {}
            n => repeated.entry(n).or_default().push(id),
        }
    }
    for (n, ids) in repeated.iter().rev() {
        let (job, each) = if ids.len() > 1 {
            ("jobs", " each")
        } else {
            ("job", "")
        };
        problems.push(format!("{job} {} ran {}{each}", numbers(ids), times(*n)));
    }
    if !never.is_empty() {
        let job = if never.len() > 1 { "jobs" } else { "job" };
        problems.push(format!("{job} {} never ran", numbers(&never)));
    }
    if foreign > 0 {
        problems.push(format!(
            "lab::jobs::run was given a job that is not one of those passed in {}",
            times(foreign)
        ));
    }
    if problems.is_empty() {
        None
    } else {
        Some(problems.join("; "))
    }
}

/// Why one scenario came out wrong, or `None`.
pub fn scenario_problem(run: &ScenarioRun) -> Option<String> {
    let on = format!("with {} ({})", run.name, run.why);
    let (answers, calls) = match &run.ran {
        Ran::Panicked { message, location } => {
            return Some(format!(
                "run_on_pool panicked {on}: {message}{}",
                location
                    .as_deref()
                    .map(|l| format!(" (at {l})"))
                    .unwrap_or_default()
            ));
        }
        Ran::Returned { answers, calls } => (answers, calls),
    };
    if let Some(problem) = tally(run.jobs, calls) {
        return Some(format!(
            "{on}: {problem}. Expected each job passed in run once, with lab::jobs::run."
        ));
    }
    if answers.len() != run.jobs {
        return Some(format!(
            "{on}, run_on_pool returned {} for {}. Expected one answer per job.",
            plural(answers.len(), "answer"),
            plural(run.jobs, "job")
        ));
    }
    let moved: Vec<String> = answers
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match a {
            Answer::Job(n) => Some(format!("answer {i} is job {n}'s")),
            _ => None,
        })
        .collect();
    if !moved.is_empty() {
        return Some(format!(
            "{on}, the answers are right but not in job order: {}{}. Were they collected in the \
             order the jobs finished? Expected answer i to be job i's.",
            moved.iter().take(4).cloned().collect::<Vec<_>>().join(", "),
            if moved.len() > 4 {
                format!(" and {} more", moved.len() - 4)
            } else {
                String::new()
            }
        ));
    }
    let wrong: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| **a == Answer::Wrong)
        .map(|(i, _)| i)
        .collect();
    if wrong.is_empty() {
        return None;
    }
    Some(format!(
        "{on}, answers {} are no job's answer. Expected answer i to be what lab::jobs::run \
         returned for job i.",
        numbers(&wrong)
    ))
}

/// `every_job_once`: every scenario's jobs run once each, answers right
/// and in job order.
pub fn every_job_once(runs: &[ScenarioRun]) -> Verdict {
    let problems: Vec<(&ScenarioRun, String)> = runs
        .iter()
        .filter_map(|run| scenario_problem(run).map(|p| (run, p)))
        .collect();
    match problems.split_first() {
        None => Verdict::pass(format!(
            "every job ran once and every answer came back in job order, with {}",
            runs.iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Some(((_, first), rest)) => {
            let mut verdict = Verdict::fail(first.clone());
            if !rest.is_empty() {
                verdict = verdict.detail(format!(
                    "also wrong with {}",
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

/// The verdict when the watchdog ended a run of `name` that stopped making
/// progress.
pub fn stalled(name: &str, jobs: usize, max_calls: usize, progress: &Progress) -> Verdict {
    let seconds = progress.elapsed.as_secs_f64();
    let message = if progress.started > max_calls {
        format!(
            "lab::jobs::run was called {} times with {name}, and run_on_pool had still not \
             returned after {seconds:.1} s: a loop over the jobs that never ends? Expected one \
             call per job ({jobs}).",
            progress.started
        )
    } else if progress.started == 0 {
        format!(
            "run_on_pool ran for {seconds:.1} s with {name} without starting a job, so it was \
             stopped: a deadlock before the first job (workers waiting on each other's locks or \
             on a channel nobody sends on), or a loop that never reaches the jobs?"
        )
    } else {
        format!(
            "{} of the {jobs} jobs had finished with {name}, then no job started or finished \
             for {:.1} s, so run_on_pool was stopped after {seconds:.1} s: a deadlock (workers \
             waiting on each other, or on a channel that is never closed), or a loop that no \
             longer reaches the jobs?",
            progress.finished,
            progress.quiet.as_secs_f64()
        )
    };
    Verdict::timed_out(message)
}

// ---------------------------------------------------------------------
// What ran where
// ---------------------------------------------------------------------

/// What the threads that ran the jobs were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threads {
    /// How many distinct OS threads ran jobs.
    pub count: usize,
    /// The sizes of the rayon pools they belonged to, if any.
    pub rayon_pools: Vec<usize>,
    /// Whether every job ran on the thread that called `run_on_pool`.
    pub caller_only: bool,
}

impl Threads {
    /// The threads of a run, from the kind of each thread that ran a job.
    pub fn of(kinds: &[ThreadKind]) -> Threads {
        let mut rayon_pools: Vec<usize> = kinds
            .iter()
            .filter_map(|k| match k {
                ThreadKind::RayonWorker { pool, .. } => Some(*pool),
                _ => None,
            })
            .collect();
        rayon_pools.sort_unstable();
        rayon_pools.dedup();
        Threads {
            count: kinds.len(),
            rayon_pools,
            caller_only: !kinds.is_empty() && kinds.iter().all(|k| *k == ThreadKind::Caller),
        }
    }

    fn pools(&self) -> String {
        match self.rayon_pools.as_slice() {
            [] => String::new(),
            [one] => format!(", workers of a rayon pool of {one}"),
            many => format!(
                ", workers of rayon pools of {}",
                many.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

// ---------------------------------------------------------------------
// at_most_n
// ---------------------------------------------------------------------

/// What `at_most_n` saw of one scenario: its worst run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    /// The scenario's name.
    pub name: String,
    /// `N`, the pool size asked for.
    pub workers: usize,
    /// `M`, its jobs.
    pub jobs: usize,
    /// The most jobs in flight at one instant, over its runs.
    pub peak: usize,
    /// The threads of the run with that peak.
    pub threads: Threads,
}

/// `at_most_n`: never more than `N` jobs computing at the same instant.
pub fn at_most_n(caps: &[Cap]) -> Verdict {
    if caps.iter().all(|c| c.peak == 0) {
        return never_called();
    }
    let over: Vec<&Cap> = caps.iter().filter(|c| c.peak > c.workers).collect();
    let Some(worst) = over.first() else {
        return Verdict::pass(format!(
            "never more jobs computing at the same instant than the pool asked for: {}",
            caps.iter()
                .map(|c| format!("at most {} with {}", c.peak, c.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let (n, m, peak, threads) = (worst.workers, worst.jobs, worst.peak, &worst.threads);
    let seen = format!(
        "with {}, up to {peak} jobs were computing at the same instant, on {}{}",
        worst.name,
        plural(threads.count, "thread"),
        threads.pools()
    );
    let cause = if threads.count >= m {
        format!(
            "a thread per job, not a pool of {n}: every job got a thread of its own at once, and \
             the {m} threads only take turns on the cores"
        )
    } else if threads.rayon_pools.iter().any(|&p| p > n) {
        format!(
            "a pool larger than asked: run the jobs inside a pool built with {n} threads \
             (rayon's global pool has as many threads as the machine has cores, or as \
             RAYON_NUM_THREADS says)"
        )
    } else {
        format!("more threads ran jobs at once than the {n} asked for")
    };
    let mut verdict = Verdict::fail(format!(
        "{seen}: {cause}. Expected never more than {n} at once, the pool's size."
    ));
    if over.len() > 1 {
        verdict = verdict.detail(format!(
            "also over the limit with {}",
            over[1..]
                .iter()
                .map(|c| format!("{} ({} at once)", c.name, c.peak))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    verdict
}

fn never_called() -> Verdict {
    Verdict::fail(
        "run_on_pool never called lab::jobs::run, so the checker could not see the jobs run. \
         Run each job with lab::jobs::run(&job).",
    )
}

// ---------------------------------------------------------------------
// n_reached
// ---------------------------------------------------------------------

/// What `n_reached` saw of one scenario: its best run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The scenario's name.
    pub name: String,
    /// `N`.
    pub workers: usize,
    /// The most jobs in flight at one instant, in its best run.
    pub peak: usize,
    /// The ordinary runs looked at.
    pub runs: usize,
    /// The threads of the best run.
    pub threads: Threads,
}

/// `n_reached`: `N` jobs computing at the same instant, in an ordinary run.
pub fn n_reached(reaches: &[Reach], cores: usize) -> Verdict {
    if reaches.iter().all(|r| r.peak == 0) {
        return never_called();
    }
    let Some(short) = reaches.iter().find(|r| r.peak < r.workers) else {
        let how = if cores < reaches.iter().map(|r| r.workers).max().unwrap_or(0) {
            format!(
                "; this machine has {}, so the jobs in flight beyond that took turns on them, as \
                 ten applications do on four cores",
                plural(cores, "core")
            )
        } else {
            String::new()
        };
        return Verdict::pass(format!(
            "every slot of the pool was used: {}{how}",
            reaches
                .iter()
                .map(|r| format!(
                    "{} jobs at once with {} (N = {})",
                    r.peak, r.name, r.workers
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let (n, peak, threads) = (short.workers, short.peak, &short.threads);
    let runs = if short.runs == 1 {
        "an ordinary run".to_string()
    } else {
        format!("{} ordinary runs", short.runs)
    };
    let seen = format!(
        "with {}, at most {peak} {} computing at the same instant in {runs}, on {}{}",
        short.name,
        if peak == 1 { "job was" } else { "jobs were" },
        plural(threads.count, "thread"),
        threads.pools()
    );
    if cores == 1 {
        return Verdict::inconclusive(format!(
            "{seen}, and this machine has one core: a pool sized to the cores gets one thread \
             here, and the OS may not interleave the threads it has. Grade it on a machine with \
             two cores or more."
        ));
    }
    let cause = if threads.caller_only {
        "every job ran on the calling thread, one after another: no pool at all".to_string()
    } else if threads.count == 1 {
        "every job ran on one thread: a pool of one, or one task looping over the jobs".to_string()
    } else if threads.rayon_pools.iter().any(|&p| p < n) {
        format!(
            "a pool smaller than asked: build it with {n} threads, the number run_on_pool is given"
        )
    } else {
        format!(
            "{} took part, but never {n} at once",
            plural(threads.count, "thread")
        )
    };
    Verdict::fail(format!(
        "{seen}: {cause}. Expected {n} jobs computing at once while jobs wait, one per worker."
    ))
}

// ---------------------------------------------------------------------
// no_idle_slots: the slot schedule
// ---------------------------------------------------------------------

/// One job's run, as the decisions see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobSpan {
    /// The job's id.
    pub job: usize,
    /// When it started, on the real clock.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// The run seen as `N` slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The slot each span ran in (its index in the spans given), from 0;
    /// a job that started while every slot was taken gets a slot past
    /// `N - 1`.
    pub slots: Vec<usize>,
    /// Slot time left idle while jobs waited: for every job that started
    /// in a slot another job had left, the time the slot stood empty
    /// (the most recently freed slot is the one counted, so only what no
    /// pairing of ends and starts can explain is idle).
    pub idle: Duration,
    /// The longest such stretch.
    pub longest: Duration,
    /// The jobs' own time, summed.
    pub busy: Duration,
    /// From the first start to the last end.
    pub makespan: Duration,
}

/// Reads `spans` as a schedule on `n` slots.
pub fn schedule(spans: &[JobSpan], n: usize) -> Schedule {
    // Ends before starts at the same instant: a slot freed and taken at
    // once stood idle for no time.
    let mut events: Vec<(Duration, bool, usize)> = spans
        .iter()
        .enumerate()
        .flat_map(|(i, s)| [(s.start, true, i), (s.end, false, i)])
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Free slots: the never-used ones at the bottom (no idle counted for
    // them: the first jobs start when the pool does), the freed ones on
    // top with the instant they were freed, the most recent last.
    let mut free: Vec<(usize, Option<Duration>)> = (0..n).rev().map(|s| (s, None)).collect();
    let mut extra = n;
    let mut slots = vec![0; spans.len()];
    let (mut idle, mut longest) = (Duration::ZERO, Duration::ZERO);
    for (at, starts, i) in events {
        if starts {
            let slot = match free.pop() {
                Some((slot, freed)) => {
                    if let Some(freed) = freed {
                        let gap = at.saturating_sub(freed);
                        idle += gap;
                        longest = longest.max(gap);
                    }
                    slot
                }
                None => {
                    extra += 1;
                    extra - 1
                }
            };
            slots[i] = slot;
        } else if slots[i] < n {
            free.push((slots[i], Some(at)));
        }
    }
    let first = spans.iter().map(|s| s.start).min().unwrap_or_default();
    let last = spans.iter().map(|s| s.end).max().unwrap_or_default();
    Schedule {
        slots,
        idle,
        longest,
        busy: spans.iter().map(|s| s.end.saturating_sub(s.start)).sum(),
        makespan: last.saturating_sub(first),
    }
}

/// How long `lengths` (in job order) take on `n` slots when each job
/// starts as soon as a slot frees: the schedule a pool follows.
pub fn slot_schedule_time(lengths: &[Duration], n: usize) -> Duration {
    let mut slots = vec![Duration::ZERO; n.max(1)];
    for &length in lengths {
        let earliest = slots.iter_mut().min().expect("a slot");
        *earliest += length;
    }
    slots.into_iter().max().unwrap_or_default()
}

/// What `no_idle_slots` saw of one scenario: its best run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slots {
    /// The scenario's name.
    pub name: String,
    /// `N`.
    pub workers: usize,
    /// The run read as a schedule on `N` slots.
    pub schedule: Schedule,
    /// The time the same jobs take when each starts as soon as a slot
    /// frees (supporting evidence only).
    pub ideal: Duration,
}

impl Slots {
    fn ratio(&self) -> f64 {
        self.schedule.idle.as_secs_f64() / self.schedule.busy.as_secs_f64().max(1e-9)
    }
}

/// `no_idle_slots`: no slot stood idle while jobs waited, beyond the
/// moment it takes to hand out the next job.
pub fn no_idle_slots(runs: &[Slots]) -> Verdict {
    if runs.iter().all(|r| r.schedule.busy.is_zero()) {
        return never_called();
    }
    let timing = |r: &Slots| {
        format!(
            "with {}, the jobs took {} from first start to last end; started as soon as a slot \
             freed, the same jobs take about {} on {} slots",
            r.name,
            ms(r.schedule.makespan),
            ms(r.ideal),
            r.workers
        )
    };
    if let Some(bad) = runs.iter().find(|r| r.ratio() > MAX_IDLE) {
        return Verdict::fail(format!(
            "with {}, slots stood idle for {} in all while jobs were waiting ({:.0}% of the jobs' \
             own {}; the longest stretch {}): a slot freed by a short job was not given the next \
             job until a slower one had finished. That is jobs run in waves of {}, each wave \
             joined before the next starts. Expected each worker to take the next waiting job \
             the moment it finishes one, as a pool does: hand the pool all the jobs at once.",
            bad.name,
            ms(bad.schedule.idle),
            bad.ratio() * 100.0,
            ms(bad.schedule.busy),
            ms(bad.schedule.longest),
            bad.workers
        ))
        .detail(format!("{} (shown, not graded)", timing(bad)));
    }
    let mut verdict = Verdict::pass(format!(
        "no slot stood idle while jobs were waiting, beyond handing out the next job: {}",
        runs.iter()
            .map(|r| format!(
                "{} idle in {} of jobs with {}",
                ms(r.schedule.idle),
                ms(r.schedule.busy),
                r.name
            ))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for r in runs {
        verdict = verdict.detail(format!(
            "{}; wall-clock times swing on a busy machine, so they are shown, not graded",
            timing(r)
        ));
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::Outcome::{Failed, Inconclusive, Passed, TimedOut};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
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
        assert_eq!(plural(1, "job"), "1 job");
    }

    #[test]
    fn tally_counts_repeats_gaps_and_strangers() {
        assert_eq!(tally(3, &[(2, true), (0, true), (1, true)]), None);
        let problem = tally(
            4,
            &[
                (0, true),
                (0, true),
                (1, true),
                (1, true),
                (2, false),
                (9, true),
            ],
        )
        .expect("a problem");
        assert!(problem.contains("jobs 0, 1 ran twice each"), "{problem}");
        assert!(problem.contains("jobs 2, 3 never ran"), "{problem}");
        assert!(
            problem.contains("not one of those passed in twice"),
            "{problem}"
        );
    }

    fn scenario(jobs: usize, ran: Ran) -> ScenarioRun {
        ScenarioRun {
            name: format!("{jobs} jobs on 3 workers"),
            why: "a test".into(),
            jobs,
            ran,
        }
    }

    fn returned(answers: Vec<Answer>) -> Ran {
        let calls = (0..answers.len()).map(|i| (i, true)).collect();
        Ran::Returned { answers, calls }
    }

    #[test]
    fn every_job_once_passes_right_answers() {
        let v = every_job_once(&[scenario(2, returned(vec![Answer::Right; 2]))]);
        assert_says(&v, Passed, &["every job ran once", "2 jobs on 3 workers"]);
    }

    /// Mutant `completion_order`.
    #[test]
    fn every_job_once_names_answers_out_of_order() {
        let v = every_job_once(&[scenario(2, returned(vec![Answer::Job(1), Answer::Job(0)]))]);
        assert_says(
            &v,
            Failed,
            &[
                "not in job order",
                "answer 0 is job 1's",
                "order the jobs finished",
            ],
        );
    }

    #[test]
    fn every_job_once_names_miscounts_panics_and_wrong_answers() {
        let v = every_job_once(&[scenario(
            3,
            Ran::Returned {
                answers: vec![Answer::Right; 3],
                calls: vec![(0, true), (1, true), (1, true), (2, true)],
            },
        )]);
        assert_says(
            &v,
            Failed,
            &["job 1 ran twice", "Expected each job passed in run once"],
        );
        let v = every_job_once(&[
            scenario(3, returned(vec![Answer::Right; 3])),
            scenario(
                2,
                Ran::Returned {
                    answers: vec![Answer::Right],
                    calls: vec![(0, true), (1, true)],
                },
            ),
        ]);
        assert_says(&v, Failed, &["returned 1 answer for 2 jobs"]);
        let v = every_job_once(&[scenario(2, returned(vec![Answer::Right, Answer::Wrong]))]);
        assert_says(&v, Failed, &["answers 1 are no job's answer"]);
        let v = every_job_once(&[
            scenario(
                2,
                Ran::Panicked {
                    message: "boom".into(),
                    location: Some("fx/src/lib.rs:4".into()),
                },
            ),
            scenario(2, returned(vec![Answer::Wrong; 2])),
        ]);
        assert_says(
            &v,
            Failed,
            &["panicked with 2 jobs on 3 workers (a test): boom (at fx/src/lib.rs:4)"],
        );
        assert!(
            v.details[0].contains("also wrong with 2 jobs on 3 workers"),
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

    /// Faults `deadlock`, `infinite_loop`, and a loop of jobs without end.
    #[test]
    fn stalls_say_what_the_run_did() {
        assert_says(
            &stalled("10 jobs on 3 workers", 10, 144, &progress(0, 2100)),
            TimedOut,
            &["without starting a job", "deadlock"],
        );
        assert_says(
            &stalled("10 jobs on 3 workers", 10, 144, &progress(4, 2000)),
            TimedOut,
            &["4 of the 10 jobs had finished"],
        );
        assert_says(
            &stalled("10 jobs on 3 workers", 10, 144, &progress(145, 0)),
            TimedOut,
            &["called 145 times", "never ends"],
        );
    }

    #[test]
    fn threads_of_kinds() {
        let t = Threads::of(&[
            ThreadKind::RayonWorker { index: 0, pool: 3 },
            ThreadKind::RayonWorker { index: 1, pool: 3 },
        ]);
        assert_eq!(
            (t.count, t.rayon_pools.clone(), t.caller_only),
            (2, vec![3], false)
        );
        assert!(Threads::of(&[ThreadKind::Caller]).caller_only);
        assert!(!Threads::of(&[]).caller_only);
    }

    fn threads(count: usize, pools: Vec<usize>) -> Threads {
        Threads {
            count,
            rayon_pools: pools,
            caller_only: false,
        }
    }

    fn cap(peak: usize, threads: Threads) -> Cap {
        Cap {
            name: "10 jobs on 3 workers".into(),
            workers: 3,
            jobs: 10,
            peak,
            threads,
        }
    }

    #[test]
    fn at_most_n_passes_within_the_pool() {
        let v = at_most_n(&[cap(3, threads(3, vec![3]))]);
        assert_says(&v, Passed, &["at most 3 with 10 jobs on 3 workers"]);
        assert_says(
            &at_most_n(&[cap(0, threads(0, vec![]))]),
            Failed,
            &["never called lab::jobs::run"],
        );
    }

    /// Mutant `thread_per_job`.
    #[test]
    fn at_most_n_rejects_a_thread_per_job() {
        let v = at_most_n(&[cap(10, threads(10, vec![])), cap(7, threads(7, vec![]))]);
        assert_says(
            &v,
            Failed,
            &[
                "up to 10 jobs were computing at the same instant, on 10 threads",
                "a thread per job, not a pool of 3",
            ],
        );
        assert!(
            v.details[0].contains("also over the limit"),
            "{:?}",
            v.details
        );
    }

    /// Mutant `pool_larger_than_n` (and rayon's global pool).
    #[test]
    fn at_most_n_rejects_a_larger_pool() {
        let v = at_most_n(&[cap(4, threads(4, vec![4]))]);
        assert_says(
            &v,
            Failed,
            &[
                "up to 4 jobs",
                "workers of a rayon pool of 4",
                "a pool larger than asked",
                "never more than 3",
            ],
        );
        let v = at_most_n(&[cap(4, threads(5, vec![]))]);
        assert_says(
            &v,
            Failed,
            &["more threads ran jobs at once than the 3 asked for"],
        );
        let v = at_most_n(&[cap(4, threads(5, vec![2, 4]))]);
        assert_says(&v, Failed, &["rayon pools of 2 and 4"]);
    }

    fn reach(peak: usize, threads: Threads) -> Reach {
        Reach {
            name: "10 jobs on 3 workers".into(),
            workers: 3,
            peak,
            runs: 3,
            threads,
        }
    }

    #[test]
    fn n_reached_passes_a_full_pool() {
        let v = n_reached(&[reach(3, threads(3, vec![3]))], 2);
        assert_says(
            &v,
            Passed,
            &[
                "3 jobs at once with 10 jobs on 3 workers (N = 3)",
                "2 cores",
                "took turns",
            ],
        );
        let v = n_reached(&[reach(3, threads(3, vec![3]))], 8);
        assert!(!v.message.contains("took turns"), "{}", v.message);
        assert_says(
            &n_reached(&[reach(0, threads(0, vec![]))], 2),
            Failed,
            &["never called"],
        );
    }

    /// Mutants `pool_of_one`, `sequential`, `pool_smaller_than_n`.
    #[test]
    fn n_reached_rejects_too_few_at_once() {
        let v = n_reached(&[reach(1, threads(1, vec![1]))], 2);
        assert_says(
            &v,
            Failed,
            &[
                "at most 1 job was computing",
                "in 3 ordinary runs",
                "a pool of one",
                "Expected 3 jobs computing at once",
            ],
        );
        let mut caller = threads(1, vec![]);
        caller.caller_only = true;
        assert_says(
            &n_reached(&[reach(1, caller)], 2),
            Failed,
            &["calling thread", "no pool at all"],
        );
        assert_says(
            &n_reached(&[reach(2, threads(2, vec![2]))], 2),
            Failed,
            &["a pool smaller than asked"],
        );
        assert_says(
            &n_reached(&[reach(2, threads(3, vec![]))], 2),
            Failed,
            &["3 threads took part, but never 3 at once"],
        );
    }

    #[test]
    fn n_reached_on_one_core_is_inconclusive() {
        let v = n_reached(&[reach(1, threads(1, vec![1]))], 1);
        assert_says(&v, Inconclusive, &["one core"]);
    }

    fn span(job: usize, start: u64, end: u64) -> JobSpan {
        JobSpan {
            job,
            start: ms(start),
            end: ms(end),
        }
    }

    /// A pool: each freed slot is taken at once.
    #[test]
    fn schedule_of_a_pool_has_no_idle_time() {
        let spans = [
            span(0, 0, 90),
            span(1, 0, 20),
            span(2, 0, 30),
            span(3, 20, 30),
            span(4, 30, 110),
            span(5, 30, 50),
        ];
        let s = schedule(&spans, 3);
        assert_eq!(s.idle, Duration::ZERO);
        assert_eq!(s.busy, ms(90 + 20 + 30 + 10 + 80 + 20));
        assert_eq!(s.makespan, ms(110));
        assert!(s.slots.iter().all(|&slot| slot < 3), "{:?}", s.slots);
    }

    /// Waves of three: two slots wait for the wave's slowest job.
    #[test]
    fn schedule_of_waves_counts_the_idle_slots() {
        let spans = [
            span(0, 0, 90),
            span(1, 0, 20),
            span(2, 0, 30),
            span(3, 90, 100),
            span(4, 90, 170),
            span(5, 90, 110),
        ];
        let s = schedule(&spans, 3);
        // Slots freed at 20 and 30 waited until 90; the slot freed at 90
        // was taken at once.
        assert_eq!(s.idle, ms(70 + 60));
        assert_eq!(s.longest, ms(70));
    }

    /// A run on a tail of one thread's own jobs (rayon's sequential
    /// leaves): slots freed and never taken again are not idle time while
    /// jobs waited for them.
    #[test]
    fn schedule_ignores_slots_never_taken_again() {
        let spans = [
            span(0, 0, 10),
            span(1, 0, 12),
            span(2, 0, 50),
            span(3, 50, 60),
        ];
        assert_eq!(schedule(&spans, 3).idle, Duration::ZERO);
    }

    /// More jobs at once than slots: the extra ones get slots of their own.
    #[test]
    fn schedule_gives_jobs_past_the_cap_extra_slots() {
        let spans = [span(0, 0, 10), span(1, 0, 10), span(2, 1, 10)];
        let s = schedule(&spans, 2);
        assert_eq!(s.slots[2], 2);
        assert_eq!(s.idle, Duration::ZERO);
    }

    #[test]
    fn slot_schedule_time_is_greedy_in_order() {
        assert_eq!(slot_schedule_time(&[ms(9), ms(2), ms(3), ms(1)], 3), ms(9));
        assert_eq!(slot_schedule_time(&[ms(2), ms(2), ms(2)], 1), ms(6));
        assert_eq!(slot_schedule_time(&[], 2), Duration::ZERO);
    }

    fn slots(spans: &[JobSpan]) -> Slots {
        Slots {
            name: "10 jobs on 3 workers".into(),
            workers: 3,
            schedule: schedule(spans, 3),
            ideal: ms(100),
        }
    }

    #[test]
    fn no_idle_slots_passes_a_pool() {
        let v = no_idle_slots(&[slots(&[span(0, 0, 90), span(1, 0, 20), span(2, 20, 30)])]);
        assert_says(
            &v,
            Passed,
            &["no slot stood idle", "0 ms idle in 120 ms of jobs"],
        );
        assert!(v.details[0].contains("shown, not graded"));
        assert_says(&no_idle_slots(&[slots(&[])]), Failed, &["never called"]);
    }

    /// Mutant `waves_of_n`.
    #[test]
    fn no_idle_slots_rejects_waves() {
        let v = no_idle_slots(&[slots(&[
            span(0, 0, 90),
            span(1, 0, 20),
            span(2, 0, 30),
            span(3, 90, 100),
            span(4, 90, 170),
            span(5, 90, 110),
        ])]);
        assert_says(
            &v,
            Failed,
            &[
                "slots stood idle for 130 ms",
                "the longest stretch 70 ms",
                "waves of 3",
                "the moment it finishes one",
            ],
        );
        assert!(
            v.details[0].contains("about 100 ms on 3 slots (shown, not graded)"),
            "{:?}",
            v.details
        );
    }
}
