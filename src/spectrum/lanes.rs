//! What a path carries: `Radiance`, the arithmetic the integrators need,
//! implemented by `Vec3` (RGB mode: three channels, as always) and by `Bins`
//! (spectral mode: `LANES` wavelength bins side by side, in one fixed-size
//! array that LLVM vectorises). Code written once against `Radiance` runs
//! in both modes, monomorphised, so RGB mode pays nothing for spectra.

use crate::math::Vec3;
use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Sub};

/// Wavelength bins one spectral path carries. More bins are traced in
/// groups of this many (see `spectrum::Binning`).
pub const LANES: usize = 32;

pub trait Radiance:
    Copy
    + Debug
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + AddAssign
    + Sub<Output = Self>
    + Mul<Output = Self>
    + MulAssign
    + Mul<f32, Output = Self>
    + Div<f32, Output = Self>
    + DivAssign<f32>
{
    const ZERO: Self;
    const ONE: Self;
    /// The values one carries (3 in RGB mode, `LANES` bins in spectral).
    const CHANNELS: usize;
    fn splat(v: f32) -> Self;
    fn max_element(self) -> f32;
    /// Mean over the channels: what weighs lights by power.
    fn mean(self) -> f32;
    fn zip_map(self, other: Self, f: impl Fn(f32, f32) -> f32) -> Self;
    fn lane(self, i: usize) -> f32;
    /// This value in lane `i`, zero in every other.
    fn only_lane(self, i: usize) -> Self;
    /// A colour that only RGB mode has: the normals and albedo views
    /// (were one to get to spectral mode, its lanes would take r, g, b).
    fn from_rgb_only(rgb: Vec3) -> Self;
}

/// What RGB texels become: (r, g, b) ↦ r·`0[0]` + g·`0[1]` + b·`0[2]`
/// (`Palette::texel_basis`: the identity in RGB mode, the binned sRGB
/// basis spectra in spectral mode).
#[derive(Clone, Copy, Debug)]
pub struct TexelBasis<S>(pub [S; 3]);

impl<S: Radiance> TexelBasis<S> {
    #[inline]
    pub fn apply(&self, rgb: Vec3) -> S {
        self.0[0] * rgb.x + self.0[1] * rgb.y + self.0[2] * rgb.z
    }
}

impl Radiance for Vec3 {
    const ZERO: Self = Vec3::ZERO;
    const ONE: Self = Vec3::ONE;
    const CHANNELS: usize = 3;
    #[inline]
    fn splat(v: f32) -> Self {
        Vec3::splat(v)
    }
    #[inline]
    fn max_element(self) -> f32 {
        Vec3::max_element(self)
    }
    #[inline]
    fn mean(self) -> f32 {
        (self.x + self.y + self.z) / 3.0
    }
    #[inline]
    fn zip_map(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
        Vec3::new(f(self.x, o.x), f(self.y, o.y), f(self.z, o.z))
    }
    #[inline]
    fn lane(self, i: usize) -> f32 {
        self[i]
    }
    #[inline]
    fn only_lane(self, i: usize) -> Self {
        let mut v = Vec3::ZERO;
        v[i] = self[i];
        v
    }
    fn from_rgb_only(rgb: Vec3) -> Self {
        rgb
    }
}

/// `LANES` spectral bins: bin-averaged radiance, throughput or reflectance.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(64))]
pub struct Bins(pub [f32; LANES]);

impl Bins {
    #[inline]
    fn each(self, f: impl Fn(f32) -> f32) -> Bins {
        let mut r = self;
        for a in &mut r.0 {
            *a = f(*a);
        }
        r
    }
    #[inline]
    fn pair(self, o: Bins, f: impl Fn(f32, f32) -> f32) -> Bins {
        let mut r = self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a = f(*a, b);
        }
        r
    }

    /// `f` folded over the lanes as a tree: lane-wise over rows of `ROW`
    /// (which vectorises), then the row halved until one value is left. A
    /// left fold is a chain of `LANES` dependent operations: for
    /// `max_element` it was 14% of spectral rendering's time (measured).
    #[inline]
    fn reduce(self, f: impl Fn(f32, f32) -> f32) -> f32 {
        const ROW: usize = 8;
        const { assert!(LANES % ROW == 0 && ROW.is_power_of_two()) };
        let mut row: [f32; ROW] = std::array::from_fn(|i| self.0[i]);
        for chunk in self.0[ROW..].chunks_exact(ROW) {
            for (r, &c) in row.iter_mut().zip(chunk) {
                *r = f(*r, c);
            }
        }
        let mut width = ROW;
        while width > 1 {
            width /= 2;
            for i in 0..width {
                row[i] = f(row[i], row[i + width]);
            }
        }
        row[0]
    }
}

impl Radiance for Bins {
    const ZERO: Self = Bins([0.0; LANES]);
    const ONE: Self = Bins([1.0; LANES]);
    const CHANNELS: usize = LANES;
    #[inline]
    fn splat(v: f32) -> Self {
        Bins([v; LANES])
    }
    #[inline]
    fn max_element(self) -> f32 {
        // A compare and select, which vectorises, where `f32::max` (which
        // must skip NaN) stays scalar: a NaN lane may win or lose, and a
        // sample carrying NaN is dropped when its pixel adds it.
        self.reduce(|a, b| if a > b { a } else { b })
    }
    #[inline]
    fn mean(self) -> f32 {
        self.reduce(|a, b| a + b) / LANES as f32
    }
    #[inline]
    fn zip_map(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
        self.pair(o, f)
    }
    #[inline]
    fn lane(self, i: usize) -> f32 {
        self.0[i]
    }
    #[inline]
    fn only_lane(self, i: usize) -> Self {
        let mut v = Bins::ZERO;
        v.0[i] = self.0[i];
        v
    }
    fn from_rgb_only(rgb: Vec3) -> Self {
        let mut v = Bins::ZERO;
        v.0[..3].copy_from_slice(&rgb.to_array());
        v
    }
}

impl Default for Bins {
    fn default() -> Self {
        Bins::ZERO
    }
}

impl Add for Bins {
    type Output = Bins;
    #[inline]
    fn add(self, o: Bins) -> Bins {
        self.pair(o, |a, b| a + b)
    }
}
impl AddAssign for Bins {
    #[inline]
    fn add_assign(&mut self, o: Bins) {
        *self = *self + o;
    }
}
impl Sub for Bins {
    type Output = Bins;
    #[inline]
    fn sub(self, o: Bins) -> Bins {
        self.pair(o, |a, b| a - b)
    }
}
impl Mul for Bins {
    type Output = Bins;
    #[inline]
    fn mul(self, o: Bins) -> Bins {
        self.pair(o, |a, b| a * b)
    }
}
impl MulAssign for Bins {
    #[inline]
    fn mul_assign(&mut self, o: Bins) {
        *self = *self * o;
    }
}
impl Mul<f32> for Bins {
    type Output = Bins;
    #[inline]
    fn mul(self, s: f32) -> Bins {
        self.each(|a| a * s)
    }
}
impl Div<f32> for Bins {
    type Output = Bins;
    #[inline]
    fn div(self, s: f32) -> Bins {
        self.each(|a| a / s)
    }
}
impl DivAssign<f32> for Bins {
    #[inline]
    fn div_assign(&mut self, s: f32) {
        *self = *self / s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_element_finds_the_largest_lane_wherever_it_is() {
        for at in 0..LANES {
            let mut v = Bins(std::array::from_fn(|i| -(i as f32)));
            v.0[at] = 7.0;
            assert_eq!(v.max_element(), 7.0, "largest in lane {at}");
        }
    }

    #[test]
    fn mean_is_the_sum_over_the_lanes() {
        let v = Bins(std::array::from_fn(|i| i as f32));
        assert_eq!(v.mean(), (LANES * (LANES - 1) / 2) as f32 / LANES as f32);
    }
}
