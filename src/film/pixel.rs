//! One pixel's running statistics, kept by the rank that renders it: sums of
//! radiance and of its square (for the standard error), the sample count,
//! the first-hit guides (albedo, normal) when asked for, and in spectral
//! mode the sum of each bin (the error, and adaptive sampling, follow the
//! sRGB of the spectrum).

use crate::math::Vec3;
use crate::settings::Adaptive;

/// The absolute floor of the relative error's denominator: a pixel whose
/// mean is near black is judged by its absolute error against this, so it
/// converges instead of chasing a relative error of 0/0.
pub const ERROR_FLOOR: f64 = 0.01;

/// Weight, in samples, of the prior relative variance of 1 in a pixel's
/// error estimate (`PixelAccum::relative_error`).
pub const PRIOR_SAMPLES: f64 = 8.0;

#[derive(Clone, Debug, Default)]
pub struct PixelAccum {
    sum: [f64; 3],
    sum_sq: [f64; 3],
    n: u32,
    albedo: [f64; 3],
    normal: [f64; 3],
    /// Per spectral bin (empty in RGB mode).
    bins: Vec<f64>,
}

impl PixelAccum {
    /// A pixel that also sums `bins` spectral bins.
    pub fn with_bins(bins: usize) -> PixelAccum {
        PixelAccum { bins: vec![0.0; bins], ..PixelAccum::default() }
    }

    /// One spectral sample: its bins and their sRGB. A sample with any
    /// non-finite bin counts as black, as in `add`.
    pub fn add_spectral(&mut self, rgb: Vec3, bins: &[f32]) {
        // Every bin tested, not stopping at the first bad one: that loop
        // vectorises.
        if rgb.is_finite() && bins.iter().fold(true, |ok, v| ok & v.is_finite()) {
            for (sum, &v) in self.bins.iter_mut().zip(bins) {
                *sum += v as f64;
            }
            self.add(rgb);
        } else {
            self.add(Vec3::ZERO);
        }
    }

    /// Mean of each spectral bin.
    pub fn spectrum(&self) -> impl Iterator<Item = f32> + '_ {
        self.bins.iter().map(|&s| self.per_sample(s))
    }

    /// One radiance sample. A sample that went numerically wrong counts as
    /// black rather than poisoning the pixel; `--debug-pixel` replays it.
    #[inline]
    pub fn add(&mut self, l: Vec3) {
        let l = if l.is_finite() { l } else { Vec3::ZERO };
        for (c, v) in l.to_array().into_iter().enumerate() {
            self.sum[c] += v as f64;
            self.sum_sq[c] += v as f64 * v as f64;
        }
        self.n += 1;
    }

    pub fn add_guides(&mut self, albedo: Vec3, normal: Vec3) {
        for c in 0..3 {
            self.albedo[c] += albedo[c] as f64;
            self.normal[c] += normal[c] as f64;
        }
    }

    pub fn samples(&self) -> u32 {
        self.n
    }

    pub fn mean(&self) -> [f32; 3] {
        self.sum.map(|s| self.per_sample(s))
    }

    pub fn albedo(&self) -> [f32; 3] {
        self.albedo.map(|s| self.per_sample(s))
    }

    pub fn normal(&self) -> [f32; 3] {
        self.normal.map(|s| self.per_sample(s))
    }

    fn per_sample(&self, sum: f64) -> f32 {
        if self.n == 0 {
            0.0
        } else {
            (sum / self.n as f64) as f32
        }
    }

    /// Standard error of the mean over |mean| (floored), worst channel, as
    /// the stopping rule sees it: the sample variance is blended with a prior
    /// of `PRIOR_SAMPLES` pseudo-samples whose standard deviation equals the
    /// mean (relative 1, typical of Monte Carlo radiance). A pixel that has
    /// seen no variation yet, as an edge pixel whose few samples all missed
    /// a small bright lamp, cannot look converged after a handful of
    /// samples; the prior fades as real samples accumulate. Infinite while
    /// fewer than two samples exist.
    pub fn relative_error(&self) -> f32 {
        if self.n < 2 {
            return f32::INFINITY;
        }
        let n = self.n as f64;
        (0..3)
            .map(|c| {
                let mean = self.sum[c] / n;
                let variance = ((self.sum_sq[c] - self.sum[c] * mean) / (n - 1.0)).max(0.0);
                let relative_variance = variance / (mean * mean + ERROR_FLOOR * ERROR_FLOOR);
                let blended = ((n - 1.0) * relative_variance + PRIOR_SAMPLES) / (n - 1.0 + PRIOR_SAMPLES);
                (blended / n).sqrt()
            })
            .fold(0.0, f64::max) as f32
    }

    pub fn converged(&self, a: &Adaptive) -> bool {
        is_converged(self.n, self.relative_error(), a)
    }
}

/// The stopping rule, from a pixel's count and relative error alone.
pub fn is_converged(samples: u32, relative_error: f32, a: &Adaptive) -> bool {
    samples >= a.min_spp && relative_error <= a.noise_threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error estimate of a pixel that has seen no variation in `n` samples: the prior's alone.
    fn prior_only(n: f64) -> f32 {
        (PRIOR_SAMPLES / (n - 1.0 + PRIOR_SAMPLES) / n).sqrt() as f32
    }

    #[test]
    fn constant_samples_carry_only_the_prior_and_noisy_ones_more() {
        let mut flat = PixelAccum::default();
        let mut noisy = PixelAccum::default();
        for i in 0..16 {
            flat.add(Vec3::splat(0.7));
            noisy.add(Vec3::splat(if i % 2 == 0 { 0.0 } else { 2.0 }));
        }
        assert_eq!(flat.mean(), [0.7; 3]);
        assert!((flat.relative_error() - prior_only(16.0)).abs() < 1e-6, "{}", flat.relative_error());
        // Mean 1, sample variance 16/15, blended with 8 pseudo-samples of
        // relative variance 1: (15·16/15 + 8) / 23 / 16 → 0.2554.
        assert!((noisy.relative_error() - 0.2554).abs() < 1e-3, "{}", noisy.relative_error());
        let a = Adaptive { min_spp: 16, pass_spp: 8, noise_threshold: 0.2 };
        assert!(flat.converged(&a) && !noisy.converged(&a));
        let strict = Adaptive { min_spp: 32, ..a };
        assert!(!flat.converged(&strict), "min_spp not reached");
        // A pixel whose first samples show no variation cannot stop at
        // once: with 8 samples the prior alone is above a 0.2 threshold.
        let mut lucky = PixelAccum::default();
        for _ in 0..8 {
            lucky.add(Vec3::splat(0.3));
        }
        assert!(!lucky.converged(&Adaptive { min_spp: 8, ..a }), "{}", lucky.relative_error());
    }

    #[test]
    fn black_pixels_converge_thanks_to_the_floor() {
        let mut p = PixelAccum::default();
        for _ in 0..16 {
            p.add(Vec3::ZERO);
        }
        p.add(Vec3::splat(f32::NAN));
        assert_eq!(p.samples(), 17);
        assert!((p.relative_error() - prior_only(17.0)).abs() < 1e-6, "{}", p.relative_error());
    }
}
