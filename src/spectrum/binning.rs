//! Spectral mode's output bins: `bins` equal intervals over [min, max) nm,
//! each half-open [lo, hi). A path carries `LANES` of them at a time; more
//! bins are traced in groups of `LANES` (group g holds bins g·LANES ..).

use super::cie::cie;
use super::lanes::{Bins, LANES};
use super::Curve;
use glam::DVec3;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub struct Binning {
    pub min: f64,
    pub max: f64,
    pub bins: usize,
    edges: Vec<f64>,
}

impl Binning {
    /// `min < max`, both > 0, `bins` ≥ 1 (validation proves it).
    pub fn new(min: f64, max: f64, bins: usize) -> Binning {
        let width = (max - min) / bins as f64;
        let mut edges: Vec<f64> = (0..bins).map(|i| min + i as f64 * width).collect();
        edges.push(max);
        Binning { min, max, bins, edges }
    }

    /// The bins + 1 edges, nm.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    pub fn width(&self) -> f64 {
        (self.max - self.min) / self.bins as f64
    }

    /// The bin holding `nm`, if any (an inner edge belongs to the bin above).
    pub fn bin_of(&self, nm: f64) -> Option<usize> {
        (nm >= self.min && nm < self.max).then(|| self.edges.partition_point(|&e| e <= nm) - 1)
    }

    pub fn groups(&self) -> usize {
        self.bins.div_ceil(LANES)
    }

    /// The bins group `g` carries.
    pub fn group(&self, g: usize) -> Range<usize> {
        g * LANES..((g + 1) * LANES).min(self.bins)
    }

    /// Group `g`'s values (`carried`, one per lane) into their bins of
    /// `spectrum` (the lanes past the last bin carry nothing).
    pub fn place(&self, g: usize, carried: &Bins, spectrum: &mut [f32]) {
        let bins = self.group(g);
        spectrum[bins.clone()].copy_from_slice(&carried.0[..bins.len()]);
    }

    pub fn centre(&self, bin: usize) -> f64 {
        0.5 * (self.edges[bin] + self.edges[bin + 1])
    }

    /// A curve averaged over each bin of group `g` (zero in unused lanes).
    pub fn averages(&self, g: usize, curve: &Curve) -> Bins {
        let mut out = Bins([0.0; LANES]);
        for (lane, bin) in self.group(g).enumerate() {
            out.0[lane] = curve.average(self.edges[bin], self.edges[bin + 1]) as f32;
        }
        out
    }

    /// `f` at the centre of each bin of group `g`; unused lanes repeat the
    /// last bin's value (so that a constant stays constant across lanes).
    pub fn at_centres(&self, g: usize, f: impl Fn(f64) -> f64) -> Bins {
        let range = self.group(g);
        let mut out = Bins([0.0; LANES]);
        for lane in 0..LANES {
            out.0[lane] = f(self.centre((range.start + lane).min(range.end - 1))) as f32;
        }
        out
    }

    /// Per bin, ∫ x̄ȳz̄ over it: bin-averaged radiance times these, summed,
    /// is the ∫ L x̄ȳz̄ dλ of `cie::Cie::emission_rgb`.
    pub fn xyz_weights(&self) -> Vec<DVec3> {
        let c = cie();
        self.edges.windows(2).map(|e| c.integrate_over(e[0], e[1])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_on_inner_edges_belong_to_the_bin_above() {
        let b = Binning::new(400.0, 700.0, 3);
        assert_eq!(b.bin_of(400.0), Some(0));
        assert_eq!(b.bin_of(500.0), Some(1));
        assert_eq!(b.bin_of(699.999), Some(2));
        assert_eq!(b.bin_of(700.0), None);
        assert_eq!(b.bin_of(399.0), None);
        let many = Binning::new(1.0, 1000.0, 70);
        assert_eq!(many.groups(), 3);
        assert_eq!(many.group(2), 64..70);
    }
}
