//! How a scene's spectra become what paths carry. `RgbPalette` gives
//! `Vec3`s (RGB mode, as always); `GroupPalette` gives one group's `Bins`
//! (spectral mode). The scene is built once per palette from the same
//! description.

use super::binning::Binning;
use super::cie::{cie, VISIBLE};
use super::ior::{Ior, RGB_MODE_NM};
use super::lanes::{Bins, Radiance, TexelBasis};
use super::upsample::srgb_basis;
use super::{Curve, Role, Spectrum, Table};
use glam::Vec3;

/// Wavelengths at which RGB mode evaluates a conductor's n and k, per channel.
pub const RGB_CHANNEL_NM: [f64; 3] = [630.0, 532.0, 465.0];

pub trait Palette: Sync {
    type Radiance: Radiance;
    fn colour(&self, s: &Spectrum, role: Role) -> Self::Radiance;
    /// A property sampled at the palette's wavelengths (n, k).
    fn sampled(&self, f: &dyn Fn(f64) -> f64) -> Self::Radiance;
    /// A glass's index, and whether it varies over the lanes (disperses).
    fn ior(&self, ior: &Ior) -> (Self::Radiance, bool);
    /// How many lanes carry light (the rest are padding).
    fn lanes(&self) -> u32;
    /// What the texel colours (1, 0, 0), (0, 1, 0) and (0, 0, 1) become: a
    /// texel (r, g, b) is their sum weighted by r, g and b (`srgb_basis`;
    /// as light, times D65 of luminance 1, as RGB emissions are).
    fn texel_basis(&self, role: Role) -> TexelBasis<Self::Radiance>;
}

pub struct RgbPalette;

impl Palette for RgbPalette {
    type Radiance = Vec3;
    fn colour(&self, s: &Spectrum, role: Role) -> Vec3 {
        s.rgb(role)
    }
    fn sampled(&self, f: &dyn Fn(f64) -> f64) -> Vec3 {
        Vec3::from(RGB_CHANNEL_NM.map(|nm| f(nm) as f32))
    }
    fn ior(&self, ior: &Ior) -> (Vec3, bool) {
        let n = match ior {
            Ior::Constant(n) => *n as f32,
            other => other.at(RGB_MODE_NM) as f32,
        };
        (Vec3::splat(n), false)
    }
    fn lanes(&self) -> u32 {
        3
    }
    fn texel_basis(&self, _: Role) -> TexelBasis<Vec3> {
        TexelBasis([Vec3::X, Vec3::Y, Vec3::Z])
    }
}

/// Group `group` of `binning`'s bins.
pub struct GroupPalette<'a> {
    pub binning: &'a Binning,
    pub group: usize,
}

impl Palette for GroupPalette<'_> {
    type Radiance = Bins;
    fn colour(&self, s: &Spectrum, role: Role) -> Bins {
        self.binning.averages(self.group, &s.curve(role))
    }
    fn sampled(&self, f: &dyn Fn(f64) -> f64) -> Bins {
        self.binning.at_centres(self.group, f)
    }
    fn ior(&self, ior: &Ior) -> (Bins, bool) {
        (self.binning.at_centres(self.group, |nm| ior.at(nm)), !ior.is_constant() && self.lanes() > 1)
    }
    fn lanes(&self) -> u32 {
        self.binning.group(self.group).len() as u32
    }
    fn texel_basis(&self, role: Role) -> TexelBasis<Bins> {
        TexelBasis(srgb_basis().each_ref().map(|table| {
            let curve = match role {
                Role::Reflectance => Curve::Tabulated(table.clone()),
                Role::Emission => {
                    let c = cie();
                    let nm: Vec<f64> = (VISIBLE.0 as u32..=VISIBLE.1 as u32).map(f64::from).collect();
                    let light = nm.iter().map(|&l| table.at(l) * c.d65_white(l)).collect();
                    Curve::Tabulated(Table::new(nm, light))
                }
            };
            self.binning.averages(self.group, &curve)
        }))
    }
}
