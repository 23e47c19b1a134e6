//! Exercise 08: a shelf of books, one librarian thread per core.

use lab::library::{BOOK_LETTERS, shelf};

use super::{Speedup, side_by_side, timed};

/// Books on the shelf, and letters in each.
pub(super) struct Shelf {
    pub books: usize,
    pub letters: usize,
}

/// Five times the grader's shelf of 600 books (about 0.12 s of one core):
/// about 0.6 s, and thousands of books, so every librarian of a large
/// machine still reads hundreds.
pub(super) const FULL: Shelf = Shelf {
    books: 3000,
    letters: BOOK_LETTERS,
};

pub(super) fn measure(threads: usize, runs: usize) -> Speedup {
    speedup(&FULL, threads, runs)
}

pub(super) fn speedup(size: &Shelf, threads: usize, runs: usize) -> Speedup {
    let books = shelf(8, size.books, size.letters);
    // The solution starts its own threads, one per librarian: the number
    // of librarians is the number of threads.
    let (one_thread, all_threads) = side_by_side("08", threads, runs, |librarians| {
        timed(|| sol08_two_librarians::count_words(&books, librarians))
    });
    Speedup {
        exercise: "08 two librarians",
        what: format!(
            "count_words {} books x {} letters",
            size.books, size.letters
        ),
        threads,
        one_thread,
        all_threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shelf of five thin books counts the same with one librarian and
    /// with two.
    #[test]
    fn both_sides_agree_on_a_tiny_shelf() {
        let tiny = Shelf {
            books: 5,
            letters: 300,
        };
        assert_eq!(speedup(&tiny, 2, 2).threads, 2);
    }
}
