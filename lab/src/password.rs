//! The login server of exercise 05: password hashing that burns CPU on
//! purpose, and the requests a login handler answers.
//!
//! A password is never stored as it was typed. The server keeps a *digest*:
//! the password mixed with a per-account [`Salt`] and then stretched through
//! many rounds of a mixing function. Checking a login means doing all those
//! rounds again and comparing digests. The rounds are deliberately slow (a
//! real server spends 100 to 300 ms of CPU on each login), so that someone
//! who stole the digests cannot try billions of guesses.
//!
//! That makes [`hash`] pure CPU work: no waiting, nothing to `.await`. Each
//! call goes through the CPU probe of [`crate::cpu`], which logs the OS
//! thread that ran it, how many rounds it did and the CPU time it took
//! (for this kernel a [`crate::cpu::KernelCall`]'s `item` is the number of
//! rounds and `input.0` the salt). So the checker can tell *where* the
//! hashing ran, and a digest computed any other way is simply not seen.
//!
//! The rounds can be done in pieces: `hash(p, s, a).stretch(b)` equals
//! `hash(p, s, a + b)`. Every piece is logged as a kernel call of its own.
//!
//! ```
//! use lab::password::{Account, Salt, hash};
//!
//! let account = Account::register("ada", "correct horse", Salt(7), 1_000);
//! assert!(account.check("correct horse"));
//! assert!(!account.check("battery staple"));
//! assert_eq!(hash("correct horse", Salt(7), 400).stretch(600), account.digest);
//! ```

use std::fmt;
use std::time::Duration;

use crate::cpu::{self, Job};

/// The random value stored beside each account's digest, mixed into the
/// hash so that two accounts with the same password have different digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Salt(pub u64);

/// The result of hashing a password: what the server stores instead of the
/// password. Compare two digests with `==`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    state: [u64; 4],
    salt: Salt,
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({:016x}{:016x})", self.state[0], self.state[1])
    }
}

/// One round of mixing (the round of SipHash): every word depends on every
/// other, so rounds cannot be skipped, reordered or run side by side.
fn round(s: &mut [u64; 4]) {
    s[0] = s[0].wrapping_add(s[1]);
    s[1] = s[1].rotate_left(13) ^ s[0];
    s[0] = s[0].rotate_left(32);
    s[2] = s[2].wrapping_add(s[3]);
    s[3] = s[3].rotate_left(16) ^ s[2];
    s[0] = s[0].wrapping_add(s[3]);
    s[3] = s[3].rotate_left(21) ^ s[0];
    s[2] = s[2].wrapping_add(s[1]);
    s[1] = s[1].rotate_left(17) ^ s[2];
    s[2] = s[2].rotate_left(32);
}

/// `rounds` rounds on `state`, logged as one kernel call.
fn stretch_state(mut state: [u64; 4], salt: Salt, rounds: u32) -> [u64; 4] {
    let job = Job {
        item: rounds as usize,
        input: (salt.0 as usize, 0),
        radius: 0,
    };
    cpu::measure(job, || {
        for _ in 0..rounds {
            round(&mut state);
        }
        std::hint::black_box(state)
    })
}

/// Hashes `password` with `salt` through `rounds` rounds: pure CPU work,
/// about 1 ns a round (25 million rounds are some 25 ms of one core).
///
/// Call it where CPU work belongs: on a thread that is not the async
/// runtime's (for example inside `tokio::task::spawn_blocking`). Each call
/// is logged by the checker's CPU probe with the thread that ran it.
///
/// Every byte of the password, its length, the salt and the number of
/// rounds change the digest:
///
/// ```
/// use lab::password::{Salt, hash};
///
/// let digest = hash("abcdefgh1", Salt(1), 10);
/// assert_ne!(digest, hash("abcdefgh2", Salt(1), 10));
/// assert_ne!(digest, hash("abcdefgh1\0", Salt(1), 10));
/// assert_ne!(digest, hash("abcdefgh1", Salt(2), 10));
/// assert_ne!(digest, hash("abcdefgh1", Salt(1), 11));
/// ```
pub fn hash(password: &str, salt: Salt, rounds: u32) -> Digest {
    // Absorb the password and the salt: cheap, and not logged.
    let mut state = [
        0x736f_6d65_7073_6575 ^ salt.0,
        0x646f_7261_6e64_6f6d,
        0x6c79_6765_6e65_7261 ^ salt.0.rotate_left(29),
        0x7465_6462_7974_6573,
    ];
    for chunk in password.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        state[3] ^= u64::from_le_bytes(word);
        round(&mut state);
        round(&mut state);
        state[0] ^= u64::from_le_bytes(word);
    }
    state[2] ^= password.len() as u64;
    Digest {
        state: stretch_state(state, salt, rounds),
        salt,
    }
}

impl Digest {
    /// `rounds` more rounds: `hash(p, s, a).stretch(b) == hash(p, s, a + b)`.
    /// Pure CPU work, logged like [`hash`], each call on its own.
    ///
    /// ```
    /// use lab::password::{Salt, hash};
    ///
    /// let whole = hash("hunter2", Salt(11), 3_000);
    /// let pieces = hash("hunter2", Salt(11), 0).stretch(1_000).stretch(2_000);
    /// assert_eq!(whole, pieces);
    /// ```
    pub fn stretch(self, rounds: u32) -> Digest {
        Digest {
            state: stretch_state(self.state, self.salt, rounds),
            salt: self.salt,
        }
    }
}

/// What the server stores about one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user's name.
    pub user: String,
    /// The account's salt.
    pub salt: Salt,
    /// How many rounds its digest was stretched through.
    pub rounds: u32,
    /// The digest of the user's password.
    pub digest: Digest,
}

impl Account {
    /// An account for `user` whose password is `password`: hashes it once
    /// (CPU work, like every [`hash`]).
    pub fn register(user: &str, password: &str, salt: Salt, rounds: u32) -> Account {
        Account {
            user: user.to_string(),
            salt,
            rounds,
            digest: hash(password, salt, rounds),
        }
    }

    /// Whether `password` is this account's password: hashes it with the
    /// account's salt and rounds and compares digests. CPU work.
    pub fn check(&self, password: &str) -> bool {
        hash(password, self.salt, self.rounds) == self.digest
    }
}

/// One login attempt, as the server received it, with the account already
/// looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRequest {
    /// The password that was typed.
    pub password: String,
    /// The stored account of the user who tries to log in.
    pub account: Account,
    /// How long the server waits before it answers, whatever the answer: a
    /// deliberate pause that makes guessing passwords slow.
    pub delay: Duration,
}

/// The server's answer to a [`LoginRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The password was right: a session for this user.
    Welcome(String),
    /// The password was wrong.
    Denied,
}
