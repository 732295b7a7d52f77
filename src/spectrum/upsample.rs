//! RGB to smooth spectra, after Jakob and Hanika, "A Low-Dimensional
//! Function Space for Efficient Spectral Upsampling" (2019): a reflectance
//! is a sigmoid of a quadratic in wavelength, ρ(λ) = S(c₀t² + c₁t + c₂)
//! with S(x) = ½ + x / (2√(1 + x²)) and t = (λ − 360)/(830 − 360), whose
//! three coefficients are fitted at load time (Gauss–Newton, continued from
//! grey) so that ρ under D65 gives the RGB back.

use super::cie::{cie, parse_bundled, VISIBLE};
use super::Table;
use glam::{DMat3, DVec3};
use std::sync::OnceLock;

/// The fitted spectrum of an RGB reflectance in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sigmoid {
    c: [f64; 3],
}

impl Sigmoid {
    pub fn at(&self, nm: f64) -> f64 {
        let t = (nm - VISIBLE.0) / (VISIBLE.1 - VISIBLE.0);
        let x = (self.c[0] * t + self.c[1]) * t + self.c[2];
        if x.is_infinite() {
            return if x > 0.0 { 1.0 } else { 0.0 };
        }
        0.5 + x / (2.0 * (1.0 + x * x).sqrt())
    }

    /// The sigmoid whose reflectance RGB under D65 is closest to `rgb`
    /// (each channel clamped to [0, 1]).
    pub fn fit(rgb: [f32; 3]) -> Sigmoid {
        let target = DVec3::from(rgb.map(|v| v.clamp(0.0, 1.0) as f64));
        let mut s = Sigmoid { c: [0.0; 3] };
        // Continuation from grey (c = 0 gives 0.5) towards the target, so
        // that Newton's method starts near a solution at every step.
        const STEPS: usize = 16;
        for step in 1..=STEPS {
            let goal = DVec3::splat(0.5) + (target - DVec3::splat(0.5)) * (step as f64 / STEPS as f64);
            for _ in 0..20 {
                let r = s.rgb() - goal;
                if r.abs().max_element() < 1e-7 {
                    break;
                }
                let j = s.jacobian();
                if j.determinant().abs() < 1e-14 {
                    break;
                }
                let delta = j.inverse() * r;
                s.c = [s.c[0] - delta.x, s.c[1] - delta.y, s.c[2] - delta.z];
            }
        }
        s
    }

    /// This reflectance's linear sRGB under D65.
    pub fn rgb(&self) -> DVec3 {
        let c = cie();
        c.reflectance_rgb(c.integrate(|nm| self.at(nm) * c.d65(nm)))
    }

    fn jacobian(&self) -> DMat3 {
        let h = 1e-5;
        let base = self.rgb();
        let column = |k: usize| {
            let mut s = *self;
            s.c[k] += h;
            (s.rgb() - base) / h
        };
        DMat3::from_cols(column(0), column(1), column(2))
    }
}

/// The sRGB primaries as reflectance spectra in [0, 1] that sum to 1
/// (`data/cie/srgb_basis.csv`, from `scripts/srgb_basis.py`): a texel
/// (r, g, b) in [0, 1] is r·R + g·G + b·B, whose sRGB under D65 is (r, g, b)
/// and which never exceeds 1. Linear, so textures need no fit per texel.
pub fn srgb_basis() -> &'static [Table; 3] {
    static BASIS: OnceLock<[Table; 3]> = OnceLock::new();
    BASIS.get_or_init(|| {
        let mut rows = parse_bundled(include_str!("../../data/cie/srgb_basis.csv"), 4);
        // Beyond the visible range each keeps its end value (so they still
        // sum to 1, and white stays white in the infrared).
        let (first, last) = (rows[0].clone(), rows[rows.len() - 1].clone());
        rows.insert(0, [vec![0.0], first[1..].to_vec()].concat());
        rows.push([vec![1e6], last[1..].to_vec()].concat());
        let nm: Vec<f64> = rows.iter().map(|r| r[0]).collect();
        std::array::from_fn(|k| Table::new(nm.clone(), rows.iter().map(|r| r[k + 1]).collect()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_spectra_give_their_rgb_back_within_one_percent() {
        for rgb in [
            [0.5f32; 3],
            [0.63, 0.065, 0.05],
            [0.14, 0.45, 0.091],
            [0.725, 0.71, 0.68],
            [0.1, 0.2, 0.8],
            [0.9, 0.8, 0.1],
        ] {
            let s = Sigmoid::fit(rgb);
            let back = s.rgb();
            let worst = (back - DVec3::from(rgb.map(f64::from))).abs().max_element();
            assert!(worst < 0.01, "{rgb:?} -> {back}");
            assert!((0.0..=1.0).contains(&s.at(500.0)));
        }
    }

    #[test]
    fn the_basis_gives_the_srgb_primaries_back_and_sums_to_one() {
        let c = cie();
        for (k, table) in srgb_basis().iter().enumerate() {
            let rgb = c.reflectance_rgb(c.integrate(|nm| table.at(nm) * c.d65(nm)));
            let expected = DVec3::from(std::array::from_fn(|i| f64::from(u8::from(i == k))));
            assert!((rgb - expected).abs().max_element() < 2e-5, "primary {k}: {rgb}");
        }
        for nm in (360..=830).map(f64::from) {
            let sum: f64 = srgb_basis().iter().map(|t| t.at(nm)).sum();
            assert!((sum - 1.0).abs() < 3e-6, "{nm} nm: {sum}");
        }
    }
}
