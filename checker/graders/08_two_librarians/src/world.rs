//! The world the learner's `count_words` is run in: the shelves it is
//! graded on, with how many librarians each, and the figures every check
//! runs with.

use std::fmt;
use std::time::Duration;

use lab::cpu::Watch;
use lab::library::{BOOK_LETTERS, Book, shelf};

/// A shelf to grade `count_words` on, and the librarians it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shelf {
    /// Books on the shelf.
    pub books: usize,
    /// Letters in each book: how much CPU time one read costs.
    pub letters: usize,
    /// The `librarians` argument.
    pub librarians: usize,
    /// Why this shelf is graded: which shortcut it catches.
    pub why: &'static str,
}

impl fmt::Display for Shelf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "shelf of {} with {}",
            plural(self.books, "book", "books"),
            plural(self.librarians, "librarian", "librarians")
        )
    }
}

/// "1 book", "600 books".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Shelf {
    /// The books of this shelf. Each shelf gets its own seed, drawn from
    /// the run's, so its books (and their mark) are never another's.
    pub fn books(&self, seed: u64) -> Vec<Book> {
        let salt = (self.books * 7919 + self.librarians * 104_729 + self.letters) as u64;
        shelf(seed ^ salt, self.books, self.letters)
    }

    /// The librarians that can have work: as many as asked, at least one,
    /// at most one per book.
    pub fn expected_threads(&self) -> usize {
        self.librarians.max(1).min(self.books)
    }

    /// The most reads a live run may start before the watchdog calls it an
    /// endless loop: eight per book, far more than any correct solution
    /// makes (one), and reached within a second by a loop that never stops.
    pub fn watch(&self) -> Watch {
        Watch {
            quiet: QUIET,
            max_calls: 8 * self.books + 64,
        }
    }
}

/// Books on the shelf of the model checks: about 120 ms of reading on one
/// core of this machine, and enough books (over 64) that every librarian
/// has plenty even when the machine is busy.
pub const BOOKS: usize = 600;

/// Letters in the books of the `right_count` shelves: thin books, so that
/// eleven shelves are counted in a few milliseconds.
pub const THIN: usize = 2_000;

const fn shelf_of(books: usize, letters: usize, librarians: usize, why: &'static str) -> Shelf {
    Shelf {
        books,
        letters,
        librarians,
        why,
    }
}

/// The shelf of the model checks, with `librarians`.
pub const fn default_with(librarians: usize) -> Shelf {
    shelf_of(BOOKS, BOOK_LETTERS, librarians, "the default")
}

/// Every shelf `right_count` grades. Each catches a shortcut that gives
/// the right count on the default alone: books left over when the shelf
/// does not divide into equal bands, a band size of zero on a short shelf
/// or with more librarians than books, a division by zero librarians, a
/// number of librarians or books written into the code.
pub const COUNTS: &[Shelf] = &[
    shelf_of(BOOKS, THIN, 2, "the default"),
    shelf_of(601, THIN, 2, "an odd number of books"),
    shelf_of(1000, THIN, 3, "1000 books, one left over for 3 librarians"),
    shelf_of(997, THIN, 5, "a prime number of books"),
    shelf_of(10, THIN, 4, "10 books for 4 librarians"),
    shelf_of(3, THIN, 5, "more librarians than books"),
    shelf_of(1, THIN, 2, "a single book"),
    shelf_of(0, THIN, 3, "an empty shelf"),
    shelf_of(9, THIN, 1, "one librarian"),
    shelf_of(6, THIN, 0, "zero librarians, which count as one"),
    shelf_of(64, THIN, 64, "a librarian for every book"),
];

/// The runs of `threads_follow_librarians`: the default shelf with 1, 2, 3
/// and 5 librarians, and a longer shelf of thinner books with 3, so that a
/// number of threads that follows the books instead of the librarians (or
/// a number written into the code) shows.
pub const FOLLOW: &[Shelf] = &[
    default_with(1),
    default_with(2),
    default_with(3),
    default_with(5),
    shelf_of(1500, BOOK_LETTERS / 2, 3, "a longer shelf of thinner books"),
];

/// The runs of `fair_shares`: the default shelf with 2, 3 and 5 librarians.
pub const FAIR: &[Shelf] = &[default_with(2), default_with(3), default_with(5)];

/// The run of `side_by_side`: the two librarians of the title.
pub const SIDE_BY_SIDE: Shelf = default_with(2);

/// How long the learner's `count_words` may go without starting or
/// finishing a read before the watchdog ends the check. A correct
/// solution's longest quiet stretch is a few milliseconds, tens on a
/// crowded machine (the reports show it as "longest pause between reads"):
/// two seconds is far above that, and short enough that a hanging
/// submission is graded in a few seconds.
pub const QUIET: Duration = Duration::from_secs(2);

/// How long the first read waits at the rendezvous for a second thread. A
/// librarian already started begins its first book within a millisecond
/// or two, a starved one within tens; one second is ample, and the wait is
/// the probe's own, so the watchdog does not count it as quiet.
pub const RENDEZVOUS: Duration = Duration::from_secs(1);

/// Ordinary (unheld) runs that `side_by_side` looks at for two reads at
/// the same instant before it gives up: one is almost always enough.
pub const OVERLAP_RUNS: usize = 3;

/// Runs of one shelf that must all show the wrong number of threads
/// before `threads_follow_librarians` fails: a thread started late on a
/// busy machine shows in one run, code that starts the wrong number in all.
pub const RUNS: usize = 3;

/// Runs of one shelf that must all show a lopsided split before
/// `fair_shares` fails. Threads that pull books from a shared counter are
/// lopsided whenever the OS starves one of them for a while, which on a
/// busy machine is common: with 3 runs, a correct counter-based solution
/// failed once in 50 gradings under two busy loops on 2 cores. A split
/// that is wrong in the code is lopsided in every run, so the extra runs
/// cost only wrong answers time (about 70 ms a run).
pub const FAIR_RUNS: usize = 8;

/// The number of cores this process may use (1 under `taskset -c 0`).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
