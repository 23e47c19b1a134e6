//! The shelf of exercise 08: books that take real CPU time to read.
//!
//! A [`Book`] holds no text in memory. Its letters are made, one after
//! another, from the book's own seed each time it is [`read`], and counted
//! into words as they come: pure computation, like reading with a finger on
//! every letter. So reading a book costs the same CPU time wherever and
//! whenever it is done, and a shelf of books is a CPU-bound job that can be
//! split among threads: any book can be read by any thread, in any order.
//!
//! ```
//! use lab::library::{read, shelf};
//! let books = shelf(7, 3, 1_000);
//! let total: u64 = books.iter().map(read).sum();
//! assert_eq!(total, books.iter().map(read).sum::<u64>()); // same books, same count
//! assert_eq!(books[2].number(), 2);
//! ```

use crate::cpu::{self, Job};

/// Letters in a book of the usual thickness: a fifth of a millisecond or so
/// of CPU time to read, on a laptop core of today.
pub const BOOK_LETTERS: usize = 80_000;

/// One book of a shelf. Books are made only by [`shelf`], and cannot be
/// copied: a thread that reads a book borrows it from the shelf.
#[derive(Debug, PartialEq, Eq)]
pub struct Book {
    /// Its place on the shelf, from 0.
    number: usize,
    /// How many books its shelf holds, and the shelf's mark: together they
    /// tell books of one shelf from those of another.
    shelf: (usize, usize),
    /// Where its letters come from.
    seed: u64,
    /// How many letters it holds.
    letters: usize,
}

impl Book {
    /// Its place on the shelf: 0 for the first book, `len - 1` for the last.
    pub fn number(&self) -> usize {
        self.number
    }

    /// How many letters (and spaces) it holds.
    pub fn letters(&self) -> usize {
        self.letters
    }

    /// How many books its shelf holds.
    pub fn shelf_len(&self) -> usize {
        self.shelf.0
    }

    /// Its shelf's mark, made from the shelf's seed: books of two shelves
    /// carry different marks. The checker's probe logs it with each read,
    /// to tell the books of the shelf it gave from any others.
    pub fn shelf_mark(&self) -> usize {
        self.shelf.1
    }
}

/// SplitMix64: spreads a seed over all 64 bits, so that neighbouring seeds
/// give unrelated books.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A shelf of `books` books of `letters` letters each, made from `seed`.
/// The same seed always gives the same books, and so the same word counts.
pub fn shelf(seed: u64, books: usize, letters: usize) -> Vec<Book> {
    // The shelf's mark, from its seed: a grader tells its own shelf from
    // any other by the mark and the length every book carries.
    let mark = (mix(seed ^ 0x0053_4845_4C46) >> 40) as usize;
    (0..books)
        .map(|number| Book {
            number,
            shelf: (books, mark),
            seed: mix(seed ^ mix(number as u64)),
            letters,
        })
        .collect()
}

/// Reads `book` and returns how many words it holds.
///
/// This is pure CPU work: no waiting, no I/O. Call it once per book, on the
/// book itself: the checker watches each call (which book, which thread,
/// how much CPU time) and counts the books by their numbers.
pub fn read(book: &Book) -> u64 {
    let job = Job {
        item: book.number,
        input: book.shelf,
        radius: book.letters,
    };
    cpu::measure(job, || words(book.seed, book.letters))
}

/// The words among `letters` characters made from `seed`: one character in
/// six is a space, and a word is a run of letters between spaces.
fn words(seed: u64, letters: usize) -> u64 {
    // xorshift64: each character needs the one before, so no compiler can
    // skip ahead or split the loop; the cost is the same for every book.
    let mut state = seed | 1;
    let mut words = 0;
    let mut in_word = false;
    for _ in 0..letters {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let letter = state % 6 != 0;
        words += u64::from(letter && !in_word);
        in_word = letter;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same seed gives the same books; another seed another shelf,
    /// with another mark.
    #[test]
    fn shelves_are_made_from_their_seed() {
        let a = shelf(1, 4, 500);
        assert_eq!(a, shelf(1, 4, 500));
        let b = shelf(2, 4, 500);
        assert_ne!(a[0].shelf_mark(), b[0].shelf_mark());
        assert!(a.iter().enumerate().all(|(i, book)| book.number() == i));
        assert!(
            a.iter()
                .all(|book| book.shelf_len() == 4 && book.letters() == 500)
        );
    }

    /// About one character in six is a space, so a book of `n` letters
    /// holds about `n * 5 / 36` words (a word ends at each space that
    /// follows a letter). The words are counted with `words`, not `read`:
    /// tests run side by side in one process, and `read` would log into a
    /// probe another test has installed.
    #[test]
    fn a_book_holds_a_plausible_number_of_words() {
        let books = shelf(3, 2, 36_000);
        let count = |book: &Book| words(book.seed, book.letters);
        let first = count(&books[0]);
        assert!((4_000..6_000).contains(&first), "{first}");
        assert_ne!(first, count(&books[1]));
        assert_eq!(count(&shelf(3, 1, 0)[0]), 0);
    }
}
