//! Walker's alias method, driven by one 64-bit random number: the high 32
//! bits pick a bin, the low 32 bits decide between the bin's own entry and
//! its alias. The probability of every entry is computed from the table
//! exactly as the sampler realises it (integer counts, no rounding of a CDF),
//! and every entry of positive weight gets a positive probability, however
//! small: so MIS weighs each choice with the probability it really had.

/// 2³²: the resolution of a bin's threshold.
const ONE: u64 = 1 << 32;

#[derive(Clone, Debug, Default)]
pub struct AliasTable {
    /// Per bin: take the bin's own entry when the low 32 bits are below this.
    threshold: Vec<u64>,
    alias: Vec<u32>,
    /// The realised probability of each entry.
    pmf: Vec<f32>,
}

impl AliasTable {
    /// A table over `weights` (non-negative, finite; others count as 0).
    /// Empty, or all zero: `sample` gives `None`.
    pub fn new(weights: &[f64]) -> AliasTable {
        let n = weights.len();
        assert!(n < u32::MAX as usize, "an alias table holds fewer than 2^32 entries");
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let total: f64 = weights.iter().map(|&w| clean(w)).sum();
        if n == 0 || total <= 0.0 {
            return AliasTable { threshold: vec![0; n], alias: (0..n as u32).collect(), pmf: vec![0.0; n] };
        }
        // Vose's construction in f64: scaled weights q (mean 1), small ones
        // topped up by large ones.
        let mut q: Vec<f64> = weights.iter().map(|&w| clean(w) * n as f64 / total).collect();
        let mut threshold = vec![ONE; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| q[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            threshold[s] = (q[s] * ONE as f64).round() as u64;
            alias[s] = l as u32;
            q[l] -= 1.0 - q[s];
            if q[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Leftovers are 1 up to rounding: they keep their bin whole.
        for i in small.into_iter().chain(large) {
            threshold[i] = ONE;
            alias[i] = i as u32;
        }
        for i in 0..n {
            // An entry of positive weight is never rounded out of reach.
            if clean(weights[i]) > 0.0 {
                threshold[i] = threshold[i].max(1);
            }
            if threshold[i] < ONE && clean(weights[alias[i] as usize]) == 0.0 {
                threshold[i] = ONE;
            }
        }
        let pmf = realised(&threshold, &alias);
        AliasTable { threshold, alias, pmf }
    }

    /// The entry that the 64-bit uniform `u` picks, and its probability.
    #[inline]
    pub fn sample(&self, u: u64) -> Option<(usize, f32)> {
        let n = self.threshold.len() as u64;
        let bin = (((u >> 32) * n) >> 32) as usize;
        let entry = if (u & (ONE - 1)) < *self.threshold.get(bin)? { bin } else { self.alias[bin] as usize };
        let p = self.pmf[entry];
        (p > 0.0).then_some((entry, p))
    }

    /// The probability that `sample` picks `entry`.
    #[inline]
    pub fn pmf(&self, entry: usize) -> f32 {
        self.pmf[entry]
    }
}

/// The exact probability of each entry: bin k is picked by the high words h
/// with ⌊h·n / 2³²⌋ = k, then keeps its entry for `threshold[k]` of the 2³²
/// low words.
fn realised(threshold: &[u64], alias: &[u32]) -> Vec<f32> {
    let n = threshold.len() as u128;
    let first_high = |k: u128| (k * ONE as u128).div_ceil(n);
    let mut count = vec![0u128; threshold.len()];
    for (k, (&t, &a)) in threshold.iter().zip(alias).enumerate() {
        let highs = first_high(k as u128 + 1) - first_high(k as u128);
        count[k] += highs * t as u128;
        count[a as usize] += highs * (ONE - t) as u128;
    }
    let all = (ONE as f64) * (ONE as f64);
    count.into_iter().map(|c| (c as f64 / all) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::mix64;

    #[test]
    fn realised_probabilities_follow_the_weights_and_sum_to_one() {
        let t = AliasTable::new(&[1.0, 3.0, 0.0, 4.0]);
        for (i, p) in [0.125, 0.375, 0.0, 0.5].into_iter().enumerate() {
            assert!((t.pmf(i) - p).abs() < 1e-7, "entry {i}: {}", t.pmf(i));
        }
        // Frequencies over a million draws agree with the pmf.
        let mut counts = [0u32; 4];
        for i in 0..1_000_000u64 {
            counts[t.sample(mix64(i)).unwrap().0] += 1;
        }
        assert_eq!(counts[2], 0, "a zero-weight entry is never chosen");
        for i in [0, 1, 3] {
            let expected = t.pmf(i) as f64 * 1e6;
            assert!((counts[i] as f64 - expected).abs() < 5.0 * expected.sqrt(), "{counts:?}");
        }
    }

    #[test]
    fn a_million_entries_over_twelve_decades_are_all_reachable() {
        // Weights from 1 down to 1e-12: a 24-bit CDF would never pick most.
        let n = 1_000_000;
        let weights: Vec<f64> =
            (0..n).map(|i| 10f64.powf(-12.0 * (mix64(i as u64) >> 11) as f64 / (1u64 << 53) as f64)).collect();
        let t = AliasTable::new(&weights);
        let total: f64 = weights.iter().sum();
        let sum: f64 = (0..n).map(|i| t.pmf(i) as f64).sum();
        assert!((sum - 1.0).abs() < 1e-6, "{sum}");
        for (i, &w) in weights.iter().enumerate() {
            let exact = w / total;
            let p = t.pmf(i) as f64;
            assert!(p > 0.0, "entry {i} (weight {w}) unreachable");
            // Bins hold 2^32/n ± 1 high words and thresholds are rounded to
            // 2^-32: the realised pmf is within n/2^32 of the weights' ratio.
            let tolerance = exact * 3e-4 + 2.0 / (n as f64 * ONE as f64);
            assert!((p - exact).abs() <= tolerance, "entry {i}: {p} vs {exact}");
        }
        // The smallest entry is picked by the u that lands in its own bin
        // with low word 0.
        let smallest = (0..n).min_by(|&a, &b| weights[a].total_cmp(&weights[b])).unwrap();
        let high = ((smallest as u128 * ONE as u128).div_ceil(n as u128)) as u64;
        assert_eq!(t.sample(high << 32).map(|(i, _)| i), Some(smallest));
    }
}
