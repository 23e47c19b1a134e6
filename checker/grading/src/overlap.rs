//! How many things were at work at the same instant, from when each one
//! started and ended: the evidence that two threads (or two photos, or two
//! jobs) really ran side by side, not one after the other.

use std::collections::BTreeMap;
use std::time::Duration;

/// The most distinct keys with a span open at one instant, from spans of
/// `(key, start, end)`. Spans that only touch (one ends as the next
/// starts) do not overlap, and one key's own spans never add up.
pub fn most_at_once(spans: &[(usize, Duration, Duration)]) -> usize {
    // Ends sort before starts at the same instant: touching is not overlap.
    let mut events: Vec<(Duration, bool, usize)> = spans
        .iter()
        .flat_map(|&(key, start, end)| [(start, true, key), (end, false, key)])
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut inside: BTreeMap<usize, usize> = BTreeMap::new();
    let mut most = 0;
    for (_, starts, key) in events {
        if starts {
            *inside.entry(key).or_default() += 1;
        } else if let Some(n) = inside.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                inside.remove(&key);
            }
        }
        most = most.max(inside.len());
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(key: usize, start: u64, end: u64) -> (usize, Duration, Duration) {
        (
            key,
            Duration::from_millis(start),
            Duration::from_millis(end),
        )
    }

    #[test]
    fn counts_distinct_keys_open_at_once() {
        assert_eq!(most_at_once(&[]), 0);
        assert_eq!(most_at_once(&[span(0, 0, 1), span(1, 1, 2)]), 1, "touching");
        assert_eq!(most_at_once(&[span(0, 0, 4), span(0, 1, 2)]), 1, "one key");
        assert_eq!(
            most_at_once(&[span(0, 0, 4), span(1, 1, 3), span(2, 2, 5)]),
            3
        );
    }
}
