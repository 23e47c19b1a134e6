//! `checker watch`: grade, edit, save, see the verdict, repeat.
//!
//! Grades every selected exercise once, then settles on the first one that
//! does not pass and grades it again whenever one of its files is saved.
//! When it passes, watch moves on to the next unsolved exercise. Keys: `r`
//! (or Enter) grades now, `h` shows the next hint, `q` (or Esc, Ctrl-C)
//! quits. Where file events do not arrive (some network and container
//! filesystems) the `r` key still works, and the screen says so.
//!
//! Saves are debounced: a burst of events (an editor writing a temporary file
//! and renaming it) starts one run, and saves made during a run start at
//! most one more.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::catalogue::Exercise;
use crate::cli::Config;
use crate::commands::{hint, list};
use crate::outcome::Outcome;
use crate::pipeline;
use crate::report::style::{BOLD, DIM};
use crate::subject;

/// Quiet time after the last file event before a run starts.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What the learner asked for while we waited.
enum Wake {
    Regrade,
    Hint,
    Quit,
}

/// Runs watch mode until the learner quits or every exercise passes.
pub fn run(config: &Config) -> anyhow::Result<bool> {
    let mut input = Input::start();
    let Some(mut current) = first_unsolved(config) else {
        return all_done();
    };
    let mut wake = Wake::Regrade;
    let mut watched: Option<Watched> = None;
    loop {
        match wake {
            // Quitting is how a watch session ends; it is not a failure.
            Wake::Quit => return Ok(true),
            Wake::Hint => {
                anstream::println!();
                hint::run(config, Some(&current), false)?;
            }
            Wake::Regrade => {
                clear_screen();
                let mut passed = grade(config, &current)?;
                if passed {
                    let Some(next) = first_unsolved(config) else {
                        return all_done();
                    };
                    anstream::println!(
                        "\n{BOLD}✓ {} passes. On to {}.{BOLD:#}\n",
                        current.label(),
                        next.label()
                    );
                    current = next;
                    passed = grade(config, &current)?;
                    if passed {
                        // Already solved before: let the loop move on again.
                        continue;
                    }
                }
            }
        }
        // One watcher per exercise, kept across runs: saves made during a
        // run are already queued when the wait starts, and however many
        // there were, they start one run.
        if watched.as_ref().is_none_or(|w| w.exercise != current.id) {
            watched = Some(Watched::start(config, &current));
        }
        let w = watched.as_ref().expect("just set");
        footer(config, &w.dir, w.error.as_ref());
        wake = input.wait(&w.events)?;
    }
}

fn grade(config: &Config, exercise: &Exercise) -> anyhow::Result<bool> {
    pipeline::run(&config.with_exercises(vec![exercise.clone()]))
}

fn first_unsolved(config: &Config) -> Option<Exercise> {
    list::known(config)
        .into_iter()
        .filter(|(e, _)| config.exercises.iter().any(|s| s.id == e.id))
        .find(|(_, known)| !matches!(known, list::Known::Current(Outcome::Passed, ..)))
        .map(|(e, _)| e)
}

fn all_done() -> anyhow::Result<bool> {
    anstream::println!("\n{BOLD}Every exercise passes. Well done!{BOLD:#}");
    Ok(true)
}

fn clear_screen() {
    if std::io::stdout().is_terminal() {
        print!("\x1b[2J\x1b[H");
        let _ = std::io::stdout().flush();
    }
}

fn footer(config: &Config, dir: &Path, watch_error: Option<&notify::Error>) {
    let shown = dir.strip_prefix(&config.root).unwrap_or(dir).display();
    anstream::println!();
    match watch_error {
        None => anstream::println!(
            "{BOLD}Watching {shown}:{BOLD:#} save a file to grade it again.\n\
             {DIM}(No run after a save? File events may not reach this folder: press r.){DIM:#}"
        ),
        Some(err) => anstream::println!(
            "{BOLD}Cannot watch {shown} for saves ({err}).{BOLD:#} Press r to grade after each change."
        ),
    }
    anstream::println!("{DIM}Press h for a hint, r (or Enter) to grade now, q to quit.{DIM:#}");
    let _ = std::io::stdout().flush();
}

/// A watched exercise folder.
struct Watched {
    exercise: String,
    dir: PathBuf,
    events: Receiver<PathBuf>,
    /// Keeps the OS watch alive.
    _watcher: Option<notify::RecommendedWatcher>,
    error: Option<notify::Error>,
}

impl Watched {
    /// Watches the folder of `exercise` for changes to its sources.
    fn start(config: &Config, exercise: &Exercise) -> Self {
        let dir = subject::resolve(config, std::slice::from_ref(exercise))
            .remove(0)
            .dir;
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if event.kind.is_access() {
                return;
            }
            for path in event.paths {
                let source = path.extension().is_some_and(|e| e == "rs" || e == "toml");
                let built = path.components().any(|c| c.as_os_str() == "target");
                if source && !built {
                    let _ = tx.send(path);
                }
            }
        });
        let (watcher, error) = match watcher {
            Ok(mut watcher) => match watcher.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => (Some(watcher), None),
                Err(err) => (None, Some(err)),
            },
            Err(err) => (None, Some(err)),
        };
        Watched {
            exercise: exercise.id.clone(),
            dir,
            events,
            _watcher: watcher,
            error,
        }
    }
}

/// Keys from a terminal in raw mode, or lines from a pipe.
struct Input {
    lines: Option<Receiver<String>>,
}

impl Input {
    fn start() -> Self {
        if std::io::stdin().is_terminal() {
            return Input { lines: None };
        }
        // Not a terminal (a test, a pipe): read commands line by line.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Input { lines: Some(rx) }
    }

    /// Waits for a debounced save, a key or an interrupt.
    fn wait(&mut self, events: &Receiver<PathBuf>) -> anyhow::Result<Wake> {
        let _raw = match self.lines {
            None => Some(RawMode::enable()?),
            Some(_) => None,
        };
        let mut last_change: Option<Instant> = None;
        loop {
            if crate::interrupt::requested() {
                return Ok(Wake::Quit);
            }
            if events.try_iter().count() > 0 {
                last_change = Some(Instant::now());
            }
            if last_change.is_some_and(|t| t.elapsed() >= DEBOUNCE) {
                return Ok(Wake::Regrade);
            }
            if let Some(wake) = self.poll_input()? {
                return Ok(wake);
            }
        }
    }

    fn poll_input(&mut self) -> anyhow::Result<Option<Wake>> {
        use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
        if let Some(lines) = &self.lines {
            return Ok(match lines.recv_timeout(Duration::from_millis(50)) {
                Ok(line) => match line.trim() {
                    "q" => Some(Wake::Quit),
                    "h" => Some(Wake::Hint),
                    _ => Some(Wake::Regrade),
                },
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                // Input closed: keep watching files only.
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(50));
                    None
                }
            });
        }
        if !event::poll(Duration::from_millis(50))? {
            return Ok(None);
        }
        let Event::Key(key) = event::read()? else {
            return Ok(None);
        };
        if key.kind != KeyEventKind::Press {
            return Ok(None);
        }
        Ok(match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(Wake::Quit),
            KeyCode::Char('q') | KeyCode::Esc => Some(Wake::Quit),
            KeyCode::Char('h') => Some(Wake::Hint),
            KeyCode::Char('r') | KeyCode::Enter => Some(Wake::Regrade),
            _ => None,
        })
    }
}

/// Raw mode for single key presses, always switched off again, even when
/// the wait ends with an error.
struct RawMode;

impl RawMode {
    fn enable() -> anyhow::Result<Self> {
        crossterm::terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}
