//! A small deterministic random number generator (SplitMix64) for synthetic data: the demo
//! scenario and the benchmark data set must come out identical for the same seed on every
//! machine, so no OS randomness and no dependency whose stream may change between versions.

/// SplitMix64: fast, tiny, good enough for synthetic data (never for secrets).
#[derive(Debug, Clone)]
pub struct DeterministicRng(u64);

impl DeterministicRng {
    pub fn new(seed: u64) -> Self {
        DeterministicRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.next_u64() % bound
        }
    }

    /// A value in the inclusive range.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.below(span))
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice (`None` for an empty one).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let len = u64::try_from(items.len()).ok()?;
        let index = usize::try_from(self.below(len)).ok()?;
        items.get(index)
    }

    /// An index drawn with the given weights (`None` if they sum to zero).
    pub fn weighted(&mut self, weights: &[u64]) -> Option<usize> {
        let total: u64 = weights.iter().sum();
        if total == 0 {
            return None;
        }
        let mut ticket = self.below(total);
        for (index, weight) in weights.iter().enumerate() {
            if ticket < *weight {
                return Some(index);
            }
            ticket -= weight;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5)
            .scan(DeterministicRng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(DeterministicRng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn range_and_weights_stay_in_bounds() {
        let mut rng = DeterministicRng::new(1);
        for _ in 0..1000 {
            let v = rng.range(-3, 3);
            assert!((-3..=3).contains(&v));
            assert_eq!(rng.weighted(&[0, 5, 0]), Some(1));
        }
        assert_eq!(rng.weighted(&[0, 0]), None);
        assert_eq!(rng.pick::<u8>(&[]), None);
    }
}
