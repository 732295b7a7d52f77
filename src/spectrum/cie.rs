//! Colorimetry: the CIE 1931 2° colour matching functions (1 nm), the D65
//! illuminant, and linear sRGB built from its primaries and the D65 white
//! that these tables give, so that white maps to (1, 1, 1) exactly. Data:
//! `data/cie/` (see its SOURCES.md).
//!
//! Scales: an emission's XYZ is ∫ L(λ) x̄ȳz̄(λ) dλ / ∫ ȳ, so that a constant
//! spectral radiance of 1 W/m²/sr/nm has Y = 1; a reflectance's XYZ is taken
//! under D65, ∫ ρ D65 x̄ȳz̄ / ∫ D65 ȳ, so that ρ = 1 is white (1, 1, 1).

use super::table::Table;
use glam::{DMat3, DVec3};
use std::sync::OnceLock;

/// The wavelengths the matching functions cover (nm).
pub const VISIBLE: (f64, f64) = (360.0, 830.0);

pub struct Cie {
    x: Table,
    y: Table,
    z: Table,
    d65: Table,
    /// ∫ ȳ dλ.
    y_integral: f64,
    /// ∫ D65 ȳ dλ.
    d65_y_integral: f64,
    xyz_to_srgb: DMat3,
}

/// The tables, parsed once per process.
pub fn cie() -> &'static Cie {
    static CIE: OnceLock<Cie> = OnceLock::new();
    CIE.get_or_init(Cie::load)
}

impl Cie {
    fn load() -> Cie {
        let cmf = parse_bundled(include_str!("../../data/cie/cie1931_2deg.csv"), 4);
        let column = |c: usize| Table::new(cmf.iter().map(|r| r[0]).collect(), cmf.iter().map(|r| r[c]).collect());
        let (x, y, z) = (column(1), column(2), column(3));
        let d = parse_bundled(include_str!("../../data/cie/d65.csv"), 2);
        let d65 = Table::new(d.iter().map(|r| r[0]).collect(), d.iter().map(|r| r[1]).collect());
        let y_integral = y.integral(VISIBLE.0, VISIBLE.1);
        let mut cie = Cie { x, y, z, d65, y_integral, d65_y_integral: 1.0, xyz_to_srgb: DMat3::IDENTITY };
        let white = cie.integrate(|l| cie.d65.at(l));
        cie.d65_y_integral = white.y;
        cie.xyz_to_srgb = srgb_from_white(white / white.y);
        cie
    }

    /// x̄, ȳ, z̄ at `nm` (zero outside 360–830 nm).
    pub fn cmf(&self, nm: f64) -> DVec3 {
        DVec3::new(self.x.at(nm), self.y.at(nm), self.z.at(nm))
    }

    pub fn d65(&self, nm: f64) -> f64 {
        self.d65.at(nm)
    }

    /// ∫ f(λ) x̄ȳz̄(λ) dλ at 1 nm steps (the tables' own resolution).
    pub fn integrate(&self, f: impl Fn(f64) -> f64) -> DVec3 {
        (VISIBLE.0 as u32..=VISIBLE.1 as u32).map(|nm| self.cmf(nm as f64) * f(nm as f64)).sum()
    }

    /// ∫ x̄ȳz̄ over [lo, hi] (nm), exactly for the tabulated functions.
    pub fn integrate_over(&self, lo: f64, hi: f64) -> DVec3 {
        DVec3::new(self.x.integral(lo, hi), self.y.integral(lo, hi), self.z.integral(lo, hi))
    }

    /// Linear sRGB of an emission's ∫ L x̄ȳz̄ dλ.
    pub fn emission_rgb(&self, xyz_integral: DVec3) -> DVec3 {
        self.xyz_to_srgb * (xyz_integral / self.y_integral)
    }

    /// Linear sRGB of a reflectance's ∫ ρ D65 x̄ȳz̄ dλ.
    pub fn reflectance_rgb(&self, xyz_integral: DVec3) -> DVec3 {
        self.xyz_to_srgb * (xyz_integral / self.d65_y_integral)
    }

    /// D65 scaled so that its emission conversion gives Y = 1: the
    /// spectrum of RGB (1, 1, 1) light.
    pub fn d65_white(&self, nm: f64) -> f64 {
        self.d65(nm) * self.y_integral / self.d65_y_integral
    }
}

/// XYZ → linear sRGB from the sRGB (Rec. 709) primaries and `white` (Y = 1).
fn srgb_from_white(white: DVec3) -> DMat3 {
    let xyz = |x: f64, y: f64| DVec3::new(x / y, 1.0, (1.0 - x - y) / y);
    let primaries = DMat3::from_cols(xyz(0.64, 0.33), xyz(0.30, 0.60), xyz(0.15, 0.06));
    let s = primaries.inverse() * white;
    let rgb_to_xyz = DMat3::from_cols(primaries.x_axis * s.x, primaries.y_axis * s.y, primaries.z_axis * s.z);
    rgb_to_xyz.inverse()
}

/// Rows of numbers from a bundled CSV (comments start with `#`).
pub(super) fn parse_bundled(text: &str, columns: usize) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let row: Vec<f64> = l.split(',').map(|v| v.trim().parse().expect("bundled table")).collect();
            assert_eq!(row.len(), columns, "bundled table row {l}");
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_is_white_and_equal_energy_is_reddish() {
        let c = cie();
        let white = c.reflectance_rgb(c.integrate(|l| c.d65(l)));
        assert!((white - DVec3::ONE).abs().max_element() < 1e-9, "{white}");
        let e = c.emission_rgb(c.integrate(|_| 1.0));
        // Illuminant E in sRGB: Y = 1, redder than D65.
        assert!((e.x - 1.2).abs() < 0.02 && (e.z - 0.91).abs() < 0.02, "{e}");
        let d = c.emission_rgb(c.integrate(|l| c.d65_white(l)));
        assert!((d - DVec3::ONE).abs().max_element() < 1e-9, "{d}");
    }
}
