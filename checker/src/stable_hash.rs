//! A hash whose value never changes: FNV-1a, 64 bits, over bytes the caller
//! lays out itself.
//!
//! Stored fingerprints and folder names must read the same after a Rust
//! upgrade. std's `DefaultHasher` promises no such thing, and neither do the
//! `Hash` impls of paths and slices, so nothing here goes through `Hash`.
//! FNV is a few lines of arithmetic: no crate is worth its compile time for
//! that, and no secret is involved (records are sealed elsewhere).

/// An FNV-1a hasher.
#[derive(Debug, Clone)]
pub struct StableHasher(u64);

impl StableHasher {
    /// A hasher at FNV's offset basis.
    pub fn new() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }

    /// Feeds `bytes`, preceded by their length, so that ("ab", "c") and
    /// ("a", "bc") hash apart.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.raw(&(bytes.len() as u64).to_le_bytes());
        self.raw(bytes)
    }

    fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned values: if these change, every stored fingerprint would go
    /// stale on upgrade, which is exactly what this module exists to avoid.
    #[test]
    fn values_are_pinned() {
        assert_eq!(StableHasher::new().hex(), "cbf29ce484222325");
        assert_eq!(StableHasher::new().raw(b"a").hex(), "af63dc4c8601ec8c");
        let mut split = StableHasher::new();
        split.field(b"ab").field(b"c");
        let mut other = StableHasher::new();
        other.field(b"a").field(b"bc");
        assert_ne!(split.hex(), other.hex());
    }
}
