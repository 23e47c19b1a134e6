//! # Exercise 11: the librarian
//!
//! A real server, real sockets, a thousand real readers. Each reader sends
//! one line, `WHERE <book number>`, and waits for one line back. Serving it
//! takes about 5 ms of CPU (reading the slip) and then about 95 ms of
//! waiting for the catalogue. Read `README.md` beside this folder for the
//! story, the protocol and what the checker verifies.
//!
//! Your task: write `run`. It must serve every reader from **one thread**,
//! on a current-thread tokio runtime, so well that a thousand readers who
//! arrive together are all answered in about the time the CPU work takes
//! one after another.

use std::io;
use std::net::SocketAddr;

use lab::catalogue::Catalogue;

/// Opens the library on `127.0.0.1`, on a port the system chooses (port
/// 0), tells `on_open` its address, and serves readers for as long as the
/// process runs.
///
/// For each line a reader sends, in order, answer one line:
///
/// ```text
/// catalogue.read_slip(&line)    Ok(query): about 5 ms of CPU, on this thread
///                               Err(bad):  reply bad.to_string()
/// catalogue.find(query).await   about 95 ms of waiting, then a Reply:
///                               reply reply.to_string()
/// ```
///
/// followed by `\n`. A reader may send several lines on one connection, and
/// hangs up when done.
pub fn run(
    catalogue: Catalogue,
    on_open: impl FnOnce(SocketAddr) + Send + 'static,
) -> io::Result<()> {
    // Replace this with your server. Build a current-thread runtime, bind a
    // tokio::net::TcpListener to 127.0.0.1:0, call on_open with its
    // local_addr, then accept readers.
    let _ = (catalogue, on_open);
    todo!()
}
