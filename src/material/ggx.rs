//! The GGX (Trowbridge–Reitz) microfacet distribution with Smith's
//! separable masking-shadowing G1(wo)·G1(wi) (Walter et al. 2007, as
//! Mitsuba 3; the height-correlated form pbrt-v4 takes is up to a few
//! tenths of a percent brighter on very rough glass), and Heitz's
//! sampling of visible normals:
//! what rough conductors and rough dielectrics share. Directions are in
//! the local frame (+z the macro normal).

use crate::math::trig::sin_cos_turns;
use crate::math::{Vec2, Vec3};
use std::f32::consts::PI;

/// The density of visible normals seen from `w` (upper hemisphere):
/// G1(w) · max(0, w·m) · D(m) / cos θ(w).
pub fn visible_normal_pdf(w: Vec3, m: Vec3, alpha: f32) -> f32 {
    smith_g1(w, alpha) * w.dot(m).max(0.0) * ggx_d(m, alpha) / w.z
}

pub fn reflect(wo: Vec3, h: Vec3) -> Vec3 {
    h * (2.0 * wo.dot(h)) - wo
}

pub fn ggx_d(h: Vec3, alpha: f32) -> f32 {
    if h.z <= 0.0 {
        return 0.0;
    }
    let a2 = alpha * alpha;
    // cos²θ (α² − 1) + 1, written so that it does not round to 0 at the
    // peak when α² is below f32's epsilon (sin²θ = x² + y² for a unit h).
    let t = (h.x * h.x + h.y * h.y) + a2 * h.z * h.z;
    a2 / (PI * t * t)
}

fn lambda(w: Vec3, alpha: f32) -> f32 {
    let cos2 = w.z * w.z;
    let tan2 = (1.0 - cos2).max(0.0) / cos2;
    0.5 * ((1.0 + alpha * alpha * tan2).sqrt() - 1.0)
}

pub fn smith_g1(w: Vec3, alpha: f32) -> f32 {
    1.0 / (1.0 + lambda(w, alpha))
}

/// Masking-shadowing of a pair: separable, G1(wo)·G1(wi).
pub fn smith_g(wo: Vec3, wi: Vec3, alpha: f32) -> f32 {
    smith_g1(wo, alpha) * smith_g1(wi, alpha)
}

/// Heitz 2018, "Sampling the GGX distribution of visible normals".
pub fn sample_visible_normal(wo: Vec3, alpha: f32, u: Vec2) -> Vec3 {
    let vh = Vec3::new(alpha * wo.x, alpha * wo.y, wo.z).normalize();
    let len2 = vh.x * vh.x + vh.y * vh.y;
    let t1 = if len2 > 0.0 { Vec3::new(-vh.y, vh.x, 0.0) / len2.sqrt() } else { Vec3::X };
    let t2 = vh.cross(t1);
    let r = u.x.sqrt();
    let (sin_phi, cos_phi) = sin_cos_turns(u.y);
    let p1 = r * cos_phi;
    let s = 0.5 * (1.0 + vh.z);
    let p2 = (1.0 - s) * (1.0 - p1 * p1).max(0.0).sqrt() + s * r * sin_phi;
    let nh = t1 * p1 + t2 * p2 + vh * (1.0 - p1 * p1 - p2 * p2).max(0.0).sqrt();
    Vec3::new(alpha * nh.x, alpha * nh.y, nh.z.max(1e-6)).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_stays_finite_at_the_smallest_roughness() {
        // α² = 1e-8 is below f32's epsilon: cos²θ (α² − 1) + 1 would be 0.
        let alpha = crate::material::MIN_ROUGH_ALPHA;
        let peak = ggx_d(Vec3::Z, alpha);
        let exact = 1.0 / (PI * alpha * alpha);
        assert!((peak / exact - 1.0).abs() < 1e-5, "{peak} vs {exact}");
    }
}
