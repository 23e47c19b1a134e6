//! The generated inputs: the library's shelves, and the crowds of readers
//! who come to ask, each with the lines they send and the replies a right
//! server gives. Everything but the cost of a slip is a pure function of
//! the seed; the cost comes from a calibration, so reading a slip costs
//! about the same CPU time on every machine.

use std::collections::HashMap;
use std::time::Duration;

use lab::catalogue::{Catalogue, Reply};
use lab::thread_cpu_time;

/// The CPU time one slip should cost: the seed's 5 ms of a web request.
pub const SLIP_CPU: Duration = Duration::from_millis(5);
/// The readers of the big crowd.
pub const THOUSAND: usize = 1_000;
/// The readers of the crowd of the structural checks: as many threads, or
/// one at a time, show as plainly with 250 readers as with 1,000, for a
/// quarter of the CPU time.
pub const CROWD: usize = 250;

/// Rounds that cost about [`SLIP_CPU`] on this machine: the fastest of
/// three short measurements of thread CPU time (which a busy machine does
/// not inflate the way it does wall time), scaled up. Runs before the probe
/// is installed, so it logs nothing.
pub fn calibrate() -> u32 {
    const PROBE_ROUNDS: u32 = 200_000;
    let catalogue = Catalogue::new([], PROBE_ROUNDS, Duration::ZERO);
    let fastest = (0..3)
        .map(|_| {
            let before = thread_cpu_time();
            let _ = std::hint::black_box(catalogue.read_slip("WHERE 1"));
            thread_cpu_time().saturating_sub(before)
        })
        .min()
        .unwrap_or_default()
        .max(Duration::from_micros(20));
    let rounds = SLIP_CPU.as_secs_f64() / fastest.as_secs_f64() * f64::from(PROBE_ROUNDS);
    rounds.clamp(1e4, 1e9) as u32
}

/// One reader: the lines they send (each without its `\n`) and the replies
/// a right server sends back, in order.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The lines, sent in one write (or in two pieces, see `in_pieces`).
    pub lines: Vec<String>,
    /// The right replies, one per line.
    pub expected: Vec<String>,
    /// Whether the bytes go out in two writes a few ms apart, cut inside
    /// the first line: a server must wait for the whole line.
    pub in_pieces: bool,
}

/// Readers who arrive together.
#[derive(Debug, Clone)]
pub struct Crowd {
    /// What the crowd looks like, for messages.
    pub shape: &'static str,
    /// Its readers.
    pub readers: Vec<Reader>,
}

impl Crowd {
    /// The well-formed slips of the crowd, by book: each must be read once
    /// and asked of the catalogue once.
    pub fn books(&self) -> Vec<u32> {
        let mut books: Vec<u32> = self
            .readers
            .iter()
            .flat_map(|r| r.lines.iter())
            .filter_map(|line| book_of(line))
            .collect();
        books.sort_unstable();
        books
    }
}

/// The book of a well-formed slip.
pub fn book_of(line: &str) -> Option<u32> {
    line.strip_prefix("WHERE ")?.parse().ok()
}

/// Malformed slips, each refused with the catalogue's own error line.
const MALFORMED: [&str; 6] = [
    "WHERE",
    "WHERE twelve",
    "where 12",
    "HELLO",
    "WHERE 12 13",
    "",
];

/// The library of one check: its shelves, and the crowds that visit it, in
/// order. Book numbers never repeat between readers, so every slip read and
/// every query can be told apart by its book.
#[derive(Debug, Clone)]
pub struct World {
    /// Book number to shelf, for the catalogue.
    pub shelves: HashMap<u32, String>,
    /// The small crowds of `right_answers`.
    pub small: Vec<Crowd>,
    /// [`CROWD`] readers, one slip each.
    pub crowd: Crowd,
    /// A thousand readers, one slip each.
    pub thousand: Crowd,
}

struct Books {
    rng: fastrand::Rng,
    used: std::collections::HashSet<u32>,
    shelves: HashMap<u32, String>,
}

impl Books {
    /// A fresh book: on a shelf, or (one in `missing_one_in`) missing.
    fn next(&mut self, missing_one_in: u32) -> (u32, String) {
        let book = loop {
            let book = self.rng.u32(1..1_000_000);
            if self.used.insert(book) {
                break book;
            }
        };
        let reply = if self.rng.u32(0..missing_one_in) == 0 {
            Reply::Missing { book }
        } else {
            let shelf = format!(
                "{}-{}",
                char::from(b'A' + self.rng.u8(0..26)),
                self.rng.u32(1..100)
            );
            self.shelves.insert(book, shelf.clone());
            Reply::Shelf { book, shelf }
        };
        (book, reply.to_string())
    }

    fn slip(&mut self, missing_one_in: u32) -> (String, String) {
        let (book, reply) = self.next(missing_one_in);
        (format!("WHERE {book}"), reply)
    }
}

/// The error line the catalogue gives for a malformed slip (no CPU work:
/// it is refused before any).
fn refusal(line: &str) -> String {
    let empty = Catalogue::new([], 0, Duration::ZERO);
    match empty.read_slip(line) {
        Err(bad) => bad.to_string(),
        Ok(_) => unreachable!("{line:?} is malformed"),
    }
}

fn reader(slips: Vec<(String, String)>, in_pieces: bool) -> Reader {
    let (lines, expected) = slips.into_iter().unzip();
    Reader {
        lines,
        expected,
        in_pieces,
    }
}

impl World {
    /// The world of `seed`.
    pub fn new(seed: u64) -> World {
        let mut books = Books {
            rng: fastrand::Rng::with_seed(seed),
            used: Default::default(),
            shelves: HashMap::new(),
        };
        let alone = Crowd {
            shape: "one reader alone",
            readers: vec![reader(vec![books.slip(1_000_000)], false)],
        };
        // A mixed crowd: well-formed slips (a few for missing books) and
        // malformed ones at positions the seed chooses.
        let mut mixed: Vec<Reader> = (0..24)
            .map(|_| reader(vec![books.slip(5)], false))
            .collect();
        for bad in MALFORMED {
            let at = books.rng.usize(0..=mixed.len());
            mixed.insert(at, reader(vec![(bad.to_string(), refusal(bad))], false));
        }
        let mixed = Crowd {
            shape: "a crowd of 30 readers, some slips malformed, some books missing",
            readers: mixed,
        };
        let bad = MALFORMED[books.rng.usize(0..MALFORMED.len() - 1)];
        let three = Crowd {
            shape: "one reader with three slips sent at once",
            readers: vec![reader(
                vec![
                    books.slip(1_000_000),
                    (bad.to_string(), refusal(bad)),
                    books.slip(2),
                ],
                false,
            )],
        };
        let pieces = Crowd {
            shape: "one reader whose slip arrives in two pieces",
            readers: vec![reader(vec![books.slip(1_000_000)], true)],
        };
        let crowd = Crowd {
            shape: "a crowd of 250 readers at once",
            readers: (0..CROWD)
                .map(|_| reader(vec![books.slip(10)], false))
                .collect(),
        };
        let thousand = Crowd {
            shape: "a thousand readers at once",
            readers: (0..THOUSAND)
                .map(|_| reader(vec![books.slip(10)], false))
                .collect(),
        };
        World {
            shelves: books.shelves,
            small: vec![alone, mixed, three, pieces],
            crowd,
            thousand,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn books_never_repeat_and_replies_match_the_shelves() {
        let world = World::new(3);
        let mut all: Vec<u32> = world.small.iter().flat_map(Crowd::books).collect();
        all.extend(world.crowd.books());
        all.extend(world.thousand.books());
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
        assert_eq!(world.thousand.readers.len(), THOUSAND);
        let missing = world
            .thousand
            .readers
            .iter()
            .filter(|r| r.expected[0].ends_with("MISSING"))
            .count();
        assert!((40..200).contains(&missing), "{missing}");
        for r in world
            .small
            .iter()
            .chain([&world.thousand])
            .flat_map(|c| &c.readers)
        {
            assert_eq!(r.lines.len(), r.expected.len());
            for (line, reply) in r.lines.iter().zip(&r.expected) {
                match book_of(line) {
                    Some(book) => match world.shelves.get(&book) {
                        Some(shelf) => assert_eq!(*reply, format!("BOOK {book} SHELF {shelf}")),
                        None => assert_eq!(*reply, format!("BOOK {book} MISSING")),
                    },
                    None => assert!(reply.starts_with("ERROR "), "{line:?}"),
                }
            }
        }
    }

    #[test]
    fn the_mixed_crowd_has_every_malformed_slip_and_moves_them() {
        let place = |seed| {
            let world = World::new(seed);
            let mixed = &world.small[1];
            assert_eq!(mixed.readers.len(), 30);
            mixed
                .readers
                .iter()
                .position(|r| book_of(&r.lines[0]).is_none())
        };
        assert_ne!((0..10).map(place).collect::<Vec<_>>(), vec![place(0); 10]);
        assert_eq!(
            World::new(5).thousand.readers[7].lines,
            World::new(5).thousand.readers[7].lines
        );
    }
}
