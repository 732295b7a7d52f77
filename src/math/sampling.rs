//! Warps from the unit square to directions and points, with their densities.

use super::trig::{sin_cos_octant, sin_cos_turns};
use super::{Vec2, Vec3};
use std::f32::consts::{FRAC_1_PI, FRAC_PI_4, PI};

/// Cosine-weighted direction about +z (Malley's method); pdf = cos θ / π.
#[inline]
pub fn cosine_hemisphere(u: Vec2) -> Vec3 {
    let d = concentric_disk(u);
    let z = (1.0 - d.x * d.x - d.y * d.y).max(0.0).sqrt();
    Vec3::new(d.x, d.y, z)
}

#[inline]
pub fn cosine_hemisphere_pdf(cos_theta: f32) -> f32 {
    cos_theta.max(0.0) * FRAC_1_PI
}

/// Uniform point on the unit disk (Shirley–Chiu concentric map).
#[inline]
pub fn concentric_disk(u: Vec2) -> Vec2 {
    let o = u * 2.0 - Vec2::ONE;
    if o.x == 0.0 && o.y == 0.0 {
        return Vec2::ZERO;
    }
    // The angle is π/4·(y/x), or π/2 − π/4·(x/y) whose cosine and sine are
    // the sine and cosine of π/4·(x/y).
    if o.x.abs() > o.y.abs() {
        let (s, c) = sin_cos_octant(FRAC_PI_4 * (o.y / o.x));
        Vec2::new(c, s) * o.x
    } else {
        let (s, c) = sin_cos_octant(FRAC_PI_4 * (o.x / o.y));
        Vec2::new(s, c) * o.y
    }
}

/// Uniform direction on the unit sphere; pdf = 1 / 4π.
#[inline]
pub fn uniform_sphere(u: Vec2) -> Vec3 {
    let z = 1.0 - 2.0 * u.x;
    let r = (1.0 - z * z).max(0.0).sqrt();
    let (sin, cos) = sin_cos_turns(u.y);
    Vec3::new(r * cos, r * sin, z)
}

pub const UNIFORM_SPHERE_PDF: f32 = 1.0 / (4.0 * PI);

/// Uniform barycentrics on a triangle (Heitz 2019, low distortion).
#[inline]
pub fn uniform_triangle(u: Vec2) -> (f32, f32) {
    if u.x < u.y {
        let b0 = u.x / 2.0;
        let b1 = u.y - b0;
        (b0, b1)
    } else {
        let b1 = u.y / 2.0;
        let b0 = u.x - b1;
        (b0, b1)
    }
}

/// The balance-free power heuristic (β = 2) of Veach's MIS.
#[inline]
pub fn power_heuristic(pdf_a: f32, pdf_b: f32) -> f32 {
    let a = pdf_a * pdf_a;
    let b = pdf_b * pdf_b;
    if a.is_infinite() {
        1.0
    } else if a + b == 0.0 {
        0.0
    } else {
        a / (a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warps_stay_on_their_domains() {
        for i in 0..64 {
            for j in 0..64 {
                let u = Vec2::new(i as f32 / 64.0, j as f32 / 64.0);
                assert!(concentric_disk(u).length() <= 1.0 + 1e-6);
                assert!((cosine_hemisphere(u).length() - 1.0).abs() < 1e-4);
                assert!(cosine_hemisphere(u).z >= 0.0);
                assert!((uniform_sphere(u).length() - 1.0).abs() < 1e-4);
                let (b0, b1) = uniform_triangle(u);
                assert!(b0 >= 0.0 && b1 >= 0.0 && b0 + b1 <= 1.0 + 1e-6);
            }
        }
    }

    #[test]
    fn cosine_hemisphere_has_the_right_mean_cosine() {
        // E[cos θ] under pdf cos θ/π is 2/3.
        let n = 256;
        let mut sum = 0.0;
        for i in 0..n {
            for j in 0..n {
                let u = Vec2::new((i as f32 + 0.5) / n as f32, (j as f32 + 0.5) / n as f32);
                sum += cosine_hemisphere(u).z as f64;
            }
        }
        assert!((sum / (n * n) as f64 - 2.0 / 3.0).abs() < 1e-3);
    }
}
