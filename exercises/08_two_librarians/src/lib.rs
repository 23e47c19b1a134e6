//! # Exercise 08: two librarians
//!
//! Counting the words of a shelf of books is pure computation, like the
//! blur of exercise 06. This time there is no rayon to split the work for
//! you: you cut the shelf into parts yourself and hand each part to a
//! thread of your own. Read `README.md` beside this folder for the story
//! and what the checker verifies.
//!
//! Your task: fill in `count_words` so that `librarians` threads read the
//! shelf side by side, each its own part. `count_words_alone` below does
//! the job with one librarian: start from it.

use lab::library::{Book, read};

/// Counts the words of every book on `shelf`, one book after another, on
/// the calling thread. It is correct, and it leaves every other core idle.
pub fn count_words_alone(shelf: &[Book]) -> u64 {
    shelf.iter().map(read).sum()
}

/// Counts the words of every book on `shelf` with `librarians` threads
/// reading at the same time, each its own part of the shelf. Read each
/// book with `lab::library::read`, exactly once: that is where the checker
/// watches which thread did what. Zero librarians count as one.
pub fn count_words(shelf: &[Book], librarians: usize) -> u64 {
    // Replace this line with your code.
    let _ = (shelf, librarians);
    todo!()
}
