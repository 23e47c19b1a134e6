//! The records a check's child process sends to the supervisor.
//!
//! The supervisor passes the path of a fresh record file through the
//! environment and a fresh secret [`Key`] through the child's stdin. The
//! harness reads the key before any learner code runs (after that, stdin is
//! at its end) and appends one sealed record per line: a tag, a space, and
//! the event as JSON. The tag is a keyed hash (SipHash-2-4) of the JSON, so a
//! record can be read by anyone but written only by whoever holds the key.
//! The supervisor drops every line whose tag does not match.
//!
//! So learner code, which runs in the same process, can neither print a
//! "passed" record (stdout is never parsed) nor append one to the file: it
//! sees the tags of genuine records but never the key, and a tag fits only
//! the exact record it was made for.

use serde::{Deserialize, Serialize};

use crate::verdict::Verdict;

/// Environment variable holding the record file's path.
pub const ENV_RECORD: &str = "CHECKER_RECORD_FILE";
/// Environment variable holding the run's seed.
pub const ENV_SEED: &str = "CHECKER_SEED";
/// Environment variable holding the folder for images and other artifacts.
pub const ENV_ARTIFACTS: &str = "CHECKER_ARTIFACTS";
/// Environment variable holding the check's deadline in milliseconds.
pub const ENV_DEADLINE_MS: &str = "CHECKER_DEADLINE_MS";
/// Environment variable that, set to `off`, keeps the child out of its
/// sandbox (for measuring what the sandbox costs).
pub const ENV_SANDBOX: &str = "CHECKER_SANDBOX";

/// The secret that seals records: 128 bits, fresh for every child.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key(u64, u64);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from the operating system's randomness (through std's
    /// `RandomState`, which seeds itself from it).
    pub fn random() -> Self {
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        Key(
            state.hash_one(0x6b65_7930_u64),
            state.hash_one(0x6b65_7931_u64),
        )
    }

    /// The key as the line the supervisor writes to the child's stdin.
    pub fn to_line(self) -> String {
        format!("{:016x}{:016x}\n", self.0, self.1)
    }

    /// Reads a key written by [`Key::to_line`].
    pub fn from_line(line: &str) -> Option<Self> {
        let line = line.trim();
        if line.len() != 32 {
            return None;
        }
        let a = u64::from_str_radix(&line[..16], 16).ok()?;
        let b = u64::from_str_radix(&line[16..], 16).ok()?;
        Some(Key(a, b))
    }

    fn tag(self, text: &str) -> String {
        use std::hash::Hasher;
        // SipHash-2-4 is a keyed hash made for exactly this: short messages,
        // a 128-bit secret. std still ships it, marked deprecated only
        // because HashMap moved on to another default.
        #[allow(deprecated)]
        let mut hasher = std::hash::SipHasher::new_with_keys(self.0, self.1);
        hasher.write(text.as_bytes());
        format!("{:016x}", hasher.finish())
    }

    /// The line for `record`: tag, space, JSON.
    pub fn seal(self, record: &Record) -> String {
        let json = serde_json::to_string(record).unwrap_or_default();
        format!("{} {json}\n", self.tag(&json))
    }

    /// The record of a line, if its tag is genuine.
    pub fn open(self, line: &str) -> Option<Record> {
        let line = line.trim_end_matches(['\n', '\r']);
        let (tag, json) = line.split_once(' ')?;
        if tag != self.tag(json) {
            return None;
        }
        serde_json::from_str(json).ok()
    }
}

/// What a record reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// The checks this harness knows, in order (answer to `--list`).
    Checks {
        /// Name and description of each check.
        checks: Vec<CheckInfo>,
    },
    /// A panic somewhere in the process (the check may still finish).
    Panic {
        /// The panic's message.
        message: String,
        /// Where it was raised, as `file:line`.
        location: Option<String>,
        /// The checker's own words for a panic the async runtime raised
        /// itself (a blocking call inside it), shown beside its message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explanation: Option<String>,
    },
    /// The check finished and decided.
    Verdict(Verdict),
    /// The child's own watchdog saw the deadline pass.
    DeadlineReached,
}

/// A check, as listed by a harness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// Short identifier, such as `overlapping_waits`.
    pub name: String,
    /// One sentence: what the check establishes.
    pub about: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sealed record opens with its key and with no other; changing a
    /// byte or reusing a tag on another record breaks it.
    #[test]
    fn records_open_only_with_their_key_and_content() {
        let key = Key::random();
        let line = key.seal(&Record::DeadlineReached);
        assert!(matches!(key.open(&line), Some(Record::DeadlineReached)));
        assert!(Key::random().open(&line).is_none());
        let (tag, _) = line.split_once(' ').unwrap();
        let forged = format!(r#"{tag} {{"type":"verdict","outcome":"passed","message":"x"}}"#);
        assert!(key.open(&forged).is_none());
        assert_eq!(Key::from_line(&key.to_line()), Some(key));
    }
}
