//! # Exercise 08, solved: two librarians
//!
//! Reading a book is pure computation, and no book depends on another, so
//! the shelf can be cut into parts and each part read by its own thread,
//! at the same time as the others. rayon did that cutting for you in
//! exercise 06; here it is done by hand with `std::thread::scope`:
//!
//! 1. cut the shelf into one band of books per librarian;
//! 2. start one thread per band, all of them before waiting for any;
//! 3. wait for every thread and add up what each one counted.
//!
//! On two cores two librarians take about half the time of one; three or
//! five librarians on two cores share the two cores in turns, and still
//! each does a fair part of the reading.

use lab::library::{Book, read};

/// Counts the words of every book on `shelf`, one book after another, on
/// the calling thread.
pub fn count_words_alone(shelf: &[Book]) -> u64 {
    shelf.iter().map(read).sum()
}

/// Counts the words of every book on `shelf` with `librarians` threads,
/// each reading one band of the shelf.
pub fn count_words(shelf: &[Book], librarians: usize) -> u64 {
    // Zero librarians would leave the shelf unread: one is the fewest that
    // can do the job.
    let librarians = librarians.max(1);
    // Equal bands, rounded up so that no book is left over: 601 books for
    // 2 librarians make bands of 301 and 300. `max(1)` keeps the band size
    // above zero on an empty shelf (`chunks(0)` panics); an empty shelf
    // then has no bands at all, and no thread is started.
    let band = shelf.len().div_ceil(librarians).max(1);
    // A scope lets the threads borrow `shelf`: every thread started in it
    // is joined before `scope` returns, so none can outlive the books it
    // reads. `std::thread::spawn` would need owned ('static) data instead.
    // https://doc.rust-lang.org/std/thread/fn.scope.html
    std::thread::scope(|s| {
        // Start every librarian first, collecting the handles. Joining each
        // thread right after spawning it would make the next one wait for
        // the last: one librarian at a time, on several threads in turn.
        let librarians: Vec<_> = shelf
            .chunks(band)
            .map(|part| s.spawn(move || part.iter().map(read).sum::<u64>()))
            .collect();
        // Only now wait for them, in any order: each returns its band's
        // count. A librarian that panicked hands its panic on to us.
        librarians
            .into_iter()
            .map(|librarian| {
                librarian
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum()
    })
}
