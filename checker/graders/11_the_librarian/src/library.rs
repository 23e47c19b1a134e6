//! The learner's server, started once per check on a thread of its own,
//! with the catalogue and the CPU probe watching.
//!
//! `run` is the learner's whole server: it builds its runtime (or
//! threads), binds `127.0.0.1:0` and reports the address through
//! `on_open`. It never returns while it serves, so the check never joins
//! it: when the check has decided, the harness ends the process, and with
//! it every thread, socket and runtime the server made (the supervisor then
//! kills the process group, and anything that left it).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use grading::Verdict;
use lab::catalogue::{Catalogue, DATABASE_WAIT};
use lab::cpu::{Installed, Probe};

/// How long `run` may take to call `on_open`: binding a socket takes
/// microseconds.
pub const OPENING_LIMIT: Duration = Duration::from_secs(5);

/// An open library: the learner's server, listening.
pub struct Library {
    /// Its address, as `on_open` reported it.
    pub addr: SocketAddr,
    /// The catalogue it serves from, and the log of its queries.
    pub catalogue: Catalogue,
    /// The probe that logs every slip read, from every thread.
    pub probe: Arc<Probe>,
    /// How much later the catalogue's clock started than the probe's: a
    /// slip's time minus this is its time on the catalogue's clock.
    pub probe_offset: Duration,
    server: Option<JoinHandle<std::io::Result<()>>>,
    _installed: Installed,
}

impl Library {
    /// A slip's time (from the probe's origin) on the catalogue's clock.
    pub fn on_catalogue_clock(&self, probe_time: Duration) -> Duration {
        probe_time.saturating_sub(self.probe_offset)
    }

    /// What became of `run`, if it has ended: `None` while it serves. If
    /// it ended by a panic, goes on panicking here: the harness then
    /// reports that panic (or the `todo!()`), not a verdict about readers
    /// who found the door shut.
    pub fn ended(&mut self) -> Option<String> {
        if !self.server.as_ref()?.is_finished() {
            return None;
        }
        match self.server.take()?.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(Ok(())) => Some("run returned Ok(())".into()),
            Ok(Err(e)) => Some(format!("run returned an error: {e}")),
        }
    }
}

/// The verdict on a `run` that never called `on_open`; a panic in it goes
/// on here, so that the harness reports the panic (or the `todo!()`).
fn ended_before_opening(server: JoinHandle<std::io::Result<()>>) -> Verdict {
    if !server.is_finished() {
        return Verdict::fail(
            "run dropped on_open without calling it: nobody can find the library. Expected \
             on_open(listener.local_addr()?) as soon as the listener is bound.",
        );
    }
    match server.join() {
        Err(panic) => std::panic::resume_unwind(panic),
        Ok(Ok(())) => Verdict::fail(
            "run returned Ok(()) without calling on_open: the library never opened. Expected \
             run to bind 127.0.0.1:0, call on_open with the listener's local_addr, and serve \
             until the process ends.",
        ),
        Ok(Err(e)) => Verdict::fail(format!(
            "run returned an error before it called on_open: {e}. Expected run to bind \
             127.0.0.1:0, call on_open with the listener's local_addr, and serve."
        )),
    }
}

/// Starts the learner's server with a catalogue of `shelves` whose slips
/// cost `rounds`, and waits for it to open. A `run` that returns or
/// panics before opening, or does not open in time, gives a verdict.
pub fn open(
    shelves: impl IntoIterator<Item = (u32, String)>,
    rounds: u32,
) -> Result<Library, Verdict> {
    // The probe first, then the catalogue: their origins are microseconds
    // apart, and the difference is measured.
    let before_probe = Instant::now();
    let probe = Probe::new();
    let catalogue = Catalogue::new(shelves, rounds, DATABASE_WAIT);
    let probe_offset = catalogue.origin().saturating_duration_since(before_probe);
    let installed = probe.install();
    let (tx, rx) = mpsc::channel();
    let given = catalogue.clone();
    let server = std::thread::Builder::new()
        .name("library".into())
        .spawn(move || {
            subject::run(given, move |addr| {
                let _ = tx.send(addr);
            })
        })
        .map_err(|e| Verdict::inconclusive(format!("could not start the server's thread: {e}")))?;
    let addr = match rx.recv_timeout(OPENING_LIMIT) {
        Ok(addr) => addr,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // `on_open` was dropped without being called: `run` is ending
            // (a panic unwinds through it, `todo!()` included), or threw
            // it away and serves on unseen.
            let since = Instant::now();
            while !server.is_finished() && since.elapsed() < OPENING_LIMIT {
                std::thread::sleep(Duration::from_millis(5));
            }
            return Err(ended_before_opening(server));
        }
        Err(mpsc::RecvTimeoutError::Timeout) if server.is_finished() => {
            return Err(ended_before_opening(server));
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return Err(Verdict::timed_out(format!(
                "run has not called on_open after {} s: the library never opened its door. \
                 Expected on_open(listener.local_addr()?) as soon as the listener is bound, \
                 before serving. Stopped early.",
                OPENING_LIMIT.as_secs()
            )));
        }
    };
    Ok(Library {
        addr,
        catalogue,
        probe,
        probe_offset,
        server: Some(server),
        _installed: installed,
    })
}
