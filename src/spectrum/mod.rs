//! Light as a function of wavelength. `Spectrum` is what a scene gives for
//! a colour (RGB, a constant, a blackbody, a table, emission lines);
//! `Curve` is that spectrum ready to evaluate; `Binning` is the spectral
//! mode's output bins; `Palette` turns spectra into what paths carry
//! (`Radiance`: `Vec3` in RGB mode, `Bins` in spectral mode), so that the
//! scene is built once per mode from the same description.
//!
//! ```
//! use rsrender::spectrum::{Binning, Role, Spectrum};
//! let lamp = Spectrum::Blackbody { kelvin: 3000.0, scale: 1.0 };
//! let rgb = lamp.rgb(Role::Emission); // linear sRGB, through CIE 1931
//! let binning = Binning::new(400.0, 700.0, 30);
//! let per_bin = binning.averages(0, &lamp.curve(Role::Emission)); // W/m²/sr/nm
//! ```

mod binning;
pub mod cie;
mod ior;
mod lanes;
mod metal;
mod palette;
mod srgb;
mod table;
mod upsample;

pub use binning::Binning;
pub use ior::{Ior, GLASSES, RGB_MODE_NM};
pub use lanes::{Bins, Radiance, TexelBasis, LANES};
pub use metal::{Metal, METALS};
pub use palette::{GroupPalette, Palette, RgbPalette};
pub use srgb::SrgbWeights;
pub use table::Table;
pub use upsample::{srgb_basis, Sigmoid};

use cie::cie;
use glam::Vec3;

/// What a colour means: how much of the light is kept (reflectance, tint)
/// or how much is emitted (radiance, intensity, irradiance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Reflectance,
    Emission,
}

/// A colour as the scene gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum Spectrum {
    /// Linear sRGB, as in RGB-only scenes.
    Rgb([f32; 3]),
    /// The same value at every wavelength.
    Constant(f64),
    /// Planck's spectral radiance (W/m²/sr/nm) times `scale`.
    Blackbody { kelvin: f64, scale: f64 },
    /// Linear between points, zero outside.
    Tabulated(Table),
    /// Zero-width lines: (wavelength nm, integrated radiance W/m²/sr).
    Lines(Vec<[f64; 2]>),
}

/// A spectrum ready to evaluate at any wavelength.
#[derive(Clone, Debug)]
pub enum Curve {
    Constant(f64),
    Blackbody {
        kelvin: f64,
        scale: f64,
    },
    Tabulated(Table),
    Lines(Vec<[f64; 2]>),
    /// An RGB upsampled: `scale` × the sigmoid, × D65 (as white light)
    /// when it is an emission.
    Rgb {
        sigmoid: Sigmoid,
        scale: f64,
        illuminant: bool,
    },
}

impl Spectrum {
    /// Linear sRGB for RGB mode: an RGB as given, other spectra through the
    /// CIE 1931 2° observer (see `cie` for the scales).
    pub fn rgb(&self, role: Role) -> Vec3 {
        match (self, role) {
            (Spectrum::Rgb(c), _) => Vec3::from(*c),
            (Spectrum::Constant(v), Role::Reflectance) => Vec3::splat(*v as f32),
            _ => {
                let c = cie();
                let curve = self.curve(role);
                let xyz = match &curve {
                    Curve::Lines(lines) => lines.iter().map(|&[nm, l]| c.cmf(nm) * l).sum(),
                    smooth if role == Role::Reflectance => c.integrate(|nm| smooth.at(nm) * c.d65(nm)),
                    smooth => c.integrate(|nm| smooth.at(nm)),
                };
                let rgb = match role {
                    Role::Reflectance => c.reflectance_rgb(xyz),
                    Role::Emission => c.emission_rgb(xyz),
                };
                rgb.as_vec3()
            }
        }
    }

    pub fn curve(&self, role: Role) -> Curve {
        match self {
            Spectrum::Rgb(rgb) => {
                let illuminant = role == Role::Emission;
                // Emissions are fitted at half their peak (as pbrt-v4's
                // RGBIlluminantSpectrum), reflectances as they are.
                let scale = if illuminant { 2.0 * rgb.iter().fold(0.0f32, |m, &v| m.max(v)) as f64 } else { 1.0 };
                let fitted = if scale > 0.0 { rgb.map(|v| (v as f64 / scale) as f32) } else { [0.0; 3] };
                Curve::Rgb { sigmoid: Sigmoid::fit(fitted), scale, illuminant }
            }
            Spectrum::Constant(v) => Curve::Constant(*v),
            Spectrum::Blackbody { kelvin, scale } => Curve::Blackbody { kelvin: *kelvin, scale: *scale },
            Spectrum::Tabulated(t) => Curve::Tabulated(t.clone()),
            Spectrum::Lines(l) => Curve::Lines(l.clone()),
        }
    }

    /// The value at one wavelength, for spectra of a property such as a
    /// conductor's n or k (lines have none); an RGB triple gives its blue
    /// below 490 nm, its green below 580 nm, its red above.
    pub fn value_at(&self, nm: f64) -> f64 {
        match self {
            Spectrum::Rgb([r, g, b]) => f64::from(if nm < 490.0 {
                *b
            } else if nm < 580.0 {
                *g
            } else {
                *r
            }),
            // Without `curve`, which would copy a table per call.
            Spectrum::Constant(v) => *v,
            Spectrum::Blackbody { kelvin, scale } => scale * planck(nm, *kelvin),
            Spectrum::Tabulated(t) => t.at(nm),
            Spectrum::Lines(_) => 0.0,
        }
    }
}

impl Curve {
    /// The spectral density at `nm` (lines have no density).
    pub fn at(&self, nm: f64) -> f64 {
        match self {
            Curve::Constant(v) => *v,
            Curve::Blackbody { kelvin, scale } => scale * planck(nm, *kelvin),
            Curve::Tabulated(t) => t.at(nm),
            Curve::Lines(_) => 0.0,
            Curve::Rgb { sigmoid, scale, illuminant } => {
                let s = scale * sigmoid.at(nm);
                if *illuminant {
                    s * cie().d65_white(nm)
                } else {
                    s
                }
            }
        }
    }

    /// The mean over [lo, hi): the smooth part integrated, each line in
    /// the interval adding its whole radiance.
    pub fn average(&self, lo: f64, hi: f64) -> f64 {
        let width = hi - lo;
        match self {
            Curve::Constant(v) => *v,
            Curve::Tabulated(t) => t.integral(lo, hi) / width,
            Curve::Lines(lines) => lines.iter().filter(|l| l[0] >= lo && l[0] < hi).map(|l| l[1]).sum::<f64>() / width,
            smooth => simpson(|nm| smooth.at(nm), lo, hi) / width,
        }
    }
}

/// Planck's law: spectral radiance of a blackbody in W/m²/sr/nm.
pub fn planck(nm: f64, kelvin: f64) -> f64 {
    const H: f64 = 6.62607015e-34;
    const C: f64 = 299792458.0;
    const K: f64 = 1.380649e-23;
    let m = nm * 1e-9;
    let x = H * C / (m * K * kelvin);
    let per_metre = 2.0 * H * C * C / m.powi(5) / x.exp_m1();
    if per_metre.is_finite() {
        per_metre * 1e-9
    } else {
        0.0
    }
}

/// ∫ f over [a, b], composite Simpson with subintervals of at most 0.5 nm.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = (((b - a) / 0.5).ceil() as usize).clamp(16, 200_000) & !1;
    let h = (b - a) / n as f64;
    let inner: f64 = (1..n).map(|i| f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
    (f(a) + f(b) + inner) * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planck_peaks_where_wien_says_and_integrates_to_stefan_boltzmann() {
        let t = 5800.0;
        let peak = 2.897771955e6 / t;
        assert!(planck(peak, t) > planck(peak * 0.98, t) && planck(peak, t) > planck(peak * 1.02, t));
        // ∫ B dλ = σT⁴/π.
        let total = simpson(|nm| planck(nm, t), 10.0, 1e6);
        let expected = 5.670374419e-8 * t.powi(4) / std::f64::consts::PI;
        assert!((total / expected - 1.0).abs() < 1e-4, "{total} vs {expected}");
    }

    #[test]
    fn grey_and_rgb_spectra_keep_their_rgb() {
        assert_eq!(Spectrum::Constant(0.25).rgb(Role::Reflectance), Vec3::splat(0.25));
        assert_eq!(Spectrum::Rgb([0.1, 0.2, 0.3]).rgb(Role::Emission), Vec3::new(0.1, 0.2, 0.3));
        // An RGB emission upsampled to a spectrum converts back to itself.
        let curve = Spectrum::Rgb([2.0, 1.0, 0.5]).curve(Role::Emission);
        let c = cie();
        let back = c.emission_rgb(c.integrate(|nm| curve.at(nm)));
        assert!((back - glam::DVec3::new(2.0, 1.0, 0.5)).abs().max_element() < 0.02, "{back}");
    }

    #[test]
    fn a_line_lands_whole_in_the_interval_that_holds_it() {
        let lines = Curve::Lines(vec![[500.0, 3.0], [510.0, 1.0]]);
        assert_eq!(lines.average(490.0, 500.0), 0.0);
        assert_eq!(lines.average(500.0, 510.0), 0.3);
        assert_eq!(lines.average(510.0, 520.0), 0.1);
    }
}
