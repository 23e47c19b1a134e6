//! # Exercise 11, solved: the librarian
//!
//! One librarian, one thread, a thousand readers. Each reader's request
//! costs the thread about 5 ms of reading (CPU) and then about 95 ms of
//! waiting for the catalogue (no CPU at all). The librarian serves them all
//! at once because she never stands at the catalogue herself: she sends
//! the query off, and turns to the next reader while it runs.
//!
//! In tokio terms:
//!
//! - a **current-thread runtime**: one OS thread runs every task;
//! - a **task per connection** (`tokio::spawn`), so that the accept loop
//!   goes straight back to the door while readers are being served;
//! - every wait is an **`.await`**: reading a line from a socket, the
//!   catalogue's query, writing the reply. At each one the task steps
//!   aside and the thread runs whichever task can move.
//!
//! What one thread cannot do is compute two slips at once: 1,000 slips of
//! 5 ms are 5 s of CPU, one after another. The waits overlap; the computing
//! does not. That is the limit of one core, and the reason the next step
//! (exercise 10's hybrid) sends CPU work to other threads.

use std::io;
use std::net::SocketAddr;

use lab::catalogue::Catalogue;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Opens the library on `127.0.0.1`, on a port the system chooses, tells
/// `on_open` its address, and serves readers on one thread for as long as
/// the process runs.
pub fn run(
    catalogue: Catalogue,
    on_open: impl FnOnce(SocketAddr) + Send + 'static,
) -> io::Result<()> {
    // One thread: the thread that called `run` is the runtime's only
    // worker. `#[tokio::main(flavor = "current_thread")]` builds the same.
    // https://docs.rs/tokio/latest/tokio/runtime/struct.Builder.html#method.new_current_thread
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all() // the socket driver and the timer the catalogue sleeps on
        .build()?;
    runtime.block_on(serve(catalogue, on_open))
}

/// The front door: accepts readers and hands each to a task of its own.
async fn serve(
    catalogue: Catalogue,
    on_open: impl FnOnce(SocketAddr) + Send + 'static,
) -> io::Result<()> {
    // Port 0: the system picks a free port; `local_addr` says which.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    on_open(listener.local_addr()?);
    loop {
        let socket = match listener.accept().await {
            Ok((socket, _peer)) => socket,
            // One failed accept (a reader who hung up at once, or no file
            // descriptor left for a moment) is no reason to close the door.
            Err(_) => continue,
        };
        // A task per reader. `spawn` returns at once: the loop is back at
        // the door in microseconds, while this reader is served beside all
        // the others. Awaiting `visit` here instead would serve readers
        // one at a time, 100 ms each: 100 s for a thousand.
        // https://docs.rs/tokio/latest/tokio/task/fn.spawn.html
        let catalogue = catalogue.clone();
        tokio::spawn(async move {
            // A reader who hangs up mid-line ends only their own visit.
            let _ = visit(socket, catalogue).await;
        });
    }
}

/// One reader's visit: every slip they send, one line each, answered in
/// order, until they hang up.
async fn visit(socket: TcpStream, catalogue: Catalogue) -> io::Result<()> {
    let (reading, mut writing) = socket.into_split();
    // `lines` waits (with `.await`) until a whole line has arrived, however
    // the bytes were cut into packets.
    let mut lines = BufReader::new(reading).lines();
    while let Some(line) = lines.next_line().await? {
        let reply = match catalogue.read_slip(&line) {
            // The database: 95 ms of waiting, awaited. This task is parked
            // on a timer meanwhile, and the thread reads other slips. The
            // old synchronous client (`find_blocking`, a
            // `std::thread::sleep`) would hold the thread instead, and
            // every other reader would wait for this one's query.
            Ok(query) => catalogue.find(query).await.to_string(),
            Err(bad) => bad.to_string(),
        };
        writing.write_all(format!("{reply}\n").as_bytes()).await?;
    }
    Ok(())
}
