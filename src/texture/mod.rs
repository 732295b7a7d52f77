//! Textures: values that vary over a surface's uv coordinates, as
//! Mitsuba 3's `bitmap` and `checkerboard`. A bitmap maps uv · scale +
//! offset onto its image, texel (0, 0) at the top left at uv (0, 0),
//! texel centres at ((i + ½)/width, (j + ½)/height), with `repeat`, `clamp`
//! or `mirror` wrapping and bilinear or nearest filtering. A checkerboard
//! with scale s has 2s × 2s squares per unit of uv, `even` where
//! frac(s·u) and frac(s·v) are on the same side of ½. Scalar parameters
//! (roughness, weight) read a texture's luminance.
//!
//! ```
//! # use rsrender::texture::Texture;
//! # use rsrender::math::{Vec2, Vec3};
//! let checks = Texture::Checkerboard { even: Vec3::ONE, odd: Vec3::ZERO, scale: 4.0 };
//! let colour = checks.eval(Vec2::new(0.3, 0.9));
//! ```

pub mod image;

pub use self::image::Image;
use crate::math::{luminance, Vec2, Vec3};
use crate::spectrum::{Radiance, TexelBasis};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    Repeat,
    Clamp,
    Mirror,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    Bilinear,
    Nearest,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Texture {
    Bitmap { image: Arc<Image>, wrap: Wrap, filter: Filter, scale: Vec2, offset: Vec2 },
    Checkerboard { even: Vec3, odd: Vec3, scale: f32 },
}

/// A texture of colours: its RGB texels as what paths carry (through
/// `basis`: themselves in RGB mode, spectra in spectral mode).
#[derive(Clone, Debug)]
pub struct Colours<S> {
    pub texture: Texture,
    pub basis: TexelBasis<S>,
}

impl<S: Radiance> Colours<S> {
    #[inline]
    pub fn eval(&self, uv: Vec2) -> S {
        self.basis.apply(self.texture.eval(uv))
    }
}

impl Texture {
    /// The linear RGB value at `uv`.
    pub fn eval(&self, uv: Vec2) -> Vec3 {
        match self {
            Texture::Bitmap { image, wrap, filter, scale, offset } => {
                let uv = uv * *scale + *offset;
                let size = Vec2::new(image.width as f32, image.height as f32);
                match filter {
                    Filter::Nearest => {
                        let p = (uv * size).floor();
                        lookup(image, *wrap, p.x as i64, p.y as i64)
                    }
                    Filter::Bilinear => {
                        let p = uv * size - Vec2::splat(0.5);
                        let base = p.floor();
                        let f = p - base;
                        let (x, y) = (base.x as i64, base.y as i64);
                        let top = lookup(image, *wrap, x, y) * (1.0 - f.x) + lookup(image, *wrap, x + 1, y) * f.x;
                        let bottom =
                            lookup(image, *wrap, x, y + 1) * (1.0 - f.x) + lookup(image, *wrap, x + 1, y + 1) * f.x;
                        top * (1.0 - f.y) + bottom * f.y
                    }
                }
            }
            Texture::Checkerboard { even, odd, scale } => {
                let uv = uv * *scale;
                let f = uv - uv.floor();
                if (f.x > 0.5) == (f.y > 0.5) {
                    *even
                } else {
                    *odd
                }
            }
        }
    }

    /// The Rec. 709 luminance at `uv` (what Mitsuba's `eval_1` reads), for
    /// scalar parameters.
    pub fn eval_scalar(&self, uv: Vec2) -> f32 {
        luminance(self.eval(uv))
    }
}

#[inline]
fn lookup(image: &Image, wrap: Wrap, x: i64, y: i64) -> Vec3 {
    let x = wrap_index(x, image.width as i64, wrap);
    let y = wrap_index(y, image.height as i64, wrap);
    Vec3::from_array(image.texel(x, y))
}

#[inline]
fn wrap_index(i: i64, n: i64, wrap: Wrap) -> usize {
    (match wrap {
        Wrap::Repeat => i.rem_euclid(n),
        Wrap::Clamp => i.clamp(0, n - 1),
        Wrap::Mirror => {
            let p = i.rem_euclid(2 * n);
            if p >= n {
                2 * n - 1 - p
            } else {
                p
            }
        }
    }) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_by_one(wrap: Wrap, filter: Filter) -> Texture {
        let image = Image { width: 2, height: 1, texels: vec![[0.0; 3], [1.0; 3]] };
        Texture::Bitmap { image: Arc::new(image), wrap, filter, scale: Vec2::ONE, offset: Vec2::ZERO }
    }

    #[test]
    fn bilinear_reaches_texel_values_at_their_centres_and_wraps() {
        let t = two_by_one(Wrap::Repeat, Filter::Bilinear);
        assert_eq!(t.eval(Vec2::new(0.25, 0.5)).x, 0.0);
        assert_eq!(t.eval(Vec2::new(0.75, 0.5)).x, 1.0);
        assert!((t.eval(Vec2::new(0.5, 0.5)).x - 0.5).abs() < 1e-6);
        // Between the last texel and the first again.
        assert!((t.eval(Vec2::new(1.0, 0.5)).x - 0.5).abs() < 1e-6);
        let clamped = two_by_one(Wrap::Clamp, Filter::Bilinear);
        assert_eq!(clamped.eval(Vec2::new(1.0, 0.5)).x, 1.0);
        let mirrored = two_by_one(Wrap::Mirror, Filter::Nearest);
        assert_eq!(mirrored.eval(Vec2::new(1.25, 0.5)).x, 1.0);
        assert_eq!(mirrored.eval(Vec2::new(1.75, 0.5)).x, 0.0);
        let nearest = two_by_one(Wrap::Repeat, Filter::Nearest);
        assert_eq!(nearest.eval(Vec2::new(0.49, 0.5)).x, 0.0);
        assert_eq!(nearest.eval(Vec2::new(-0.25, 0.5)).x, 1.0);
    }

    #[test]
    fn scale_and_offset_apply_in_that_order() {
        let image = Image { width: 2, height: 1, texels: vec![[0.0; 3], [1.0; 3]] };
        let t = Texture::Bitmap {
            image: Arc::new(image),
            wrap: Wrap::Repeat,
            filter: Filter::Nearest,
            scale: Vec2::new(2.0, 1.0),
            offset: Vec2::new(0.5, 0.0),
        };
        // 0.1 · 2 + 0.5 = 0.7: the second texel.
        assert_eq!(t.eval(Vec2::new(0.1, 0.0)).x, 1.0);
    }

    #[test]
    fn checkerboard_has_two_by_two_squares_per_unit_at_scale_one() {
        let t = Texture::Checkerboard { even: Vec3::ONE, odd: Vec3::ZERO, scale: 1.0 };
        assert_eq!(t.eval(Vec2::new(0.25, 0.25)), Vec3::ONE);
        assert_eq!(t.eval(Vec2::new(0.75, 0.25)), Vec3::ZERO);
        assert_eq!(t.eval(Vec2::new(0.75, 0.75)), Vec3::ONE);
        assert_eq!(t.eval(Vec2::new(1.25, 0.75)), Vec3::ZERO);
    }
}
