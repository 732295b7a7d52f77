//! The sRGB picture of a spectral sample: linear sRGB (CIE 1931 2°) of
//! bin-averaged spectral radiance, Σ L_b · (the sRGB of ∫_bin x̄ȳz̄), with
//! each bin's weights precomputed, so that a sample's three channels are
//! three dot products in single precision (every sample is converted, for
//! its pixel's error estimate).

use super::binning::Binning;
use super::cie::cie;
use glam::Vec3;

/// Floats summed side by side in `dot` (a vector's worth): a sum bin after
/// bin would be a chain of dependent additions.
const ACCUMULATORS: usize = 16;

pub struct SrgbWeights {
    /// Per channel, per bin.
    channels: [Vec<f32>; 3],
}

impl SrgbWeights {
    pub fn new(binning: &Binning) -> SrgbWeights {
        let c = cie();
        let per_bin: Vec<Vec3> = binning.xyz_weights().into_iter().map(|w| c.emission_rgb(w).as_vec3()).collect();
        SrgbWeights { channels: std::array::from_fn(|ch| per_bin.iter().map(|w| w[ch]).collect()) }
    }

    /// Linear sRGB of `bins` (as many as the binning has). A non-finite
    /// bin makes the result non-finite: every product is taken, and
    /// 0 · ∞ is NaN.
    pub fn rgb(&self, bins: &[f32]) -> Vec3 {
        Vec3::from_array(self.channels.each_ref().map(|w| dot(w, bins)))
    }
}

/// Σ a·b, `ACCUMULATORS` partial sums side by side, then added as a tree.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let mut acc = [0.0f32; ACCUMULATORS];
    let (a_rows, b_rows) = (a.chunks_exact(ACCUMULATORS), b.chunks_exact(ACCUMULATORS));
    let (a_rest, b_rest) = (a_rows.remainder(), b_rows.remainder());
    for (ra, rb) in a_rows.zip(b_rows) {
        for i in 0..ACCUMULATORS {
            acc[i] += ra[i] * rb[i];
        }
    }
    for (i, (x, y)) in a_rest.iter().zip(b_rest).enumerate() {
        acc[i] += x * y;
    }
    let mut width = ACCUMULATORS;
    while width > 1 {
        width /= 2;
        for i in 0..width {
            acc[i] += acc[i + width];
        }
    }
    acc[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::DVec3;

    #[test]
    fn matches_the_double_precision_sum_over_the_bins() {
        for bins in [1, 5, 16, 32, 47, 70] {
            let binning = Binning::new(360.0, 830.0, bins);
            let weights = SrgbWeights::new(&binning);
            let spectrum: Vec<f32> = (0..bins).map(|b| 0.5 + (b as f32 * 0.37).sin()).collect();
            let xyz: DVec3 = binning.xyz_weights().iter().zip(&spectrum).map(|(w, &l)| *w * l as f64).sum();
            let exact = cie().emission_rgb(xyz);
            let rgb = weights.rgb(&spectrum);
            for c in 0..3 {
                assert!(
                    (rgb[c] as f64 - exact[c]).abs() <= 1e-5 * exact.abs().max_element(),
                    "{bins} bins: {rgb} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn a_non_finite_bin_is_never_hidden() {
        let binning = Binning::new(100.0, 1000.0, 20);
        let weights = SrgbWeights::new(&binning);
        // Bin 0 (100-145 nm) has no CIE weight at all.
        let mut spectrum = vec![1.0f32; 20];
        spectrum[0] = f32::INFINITY;
        assert!(!weights.rgb(&spectrum).is_finite());
        spectrum[0] = f32::NAN;
        assert!(!weights.rgb(&spectrum).is_finite());
    }
}
