//! Bounds of one light or a cluster of lights, and how much light they may
//! send to a point: pbrt-v4's `LightBounds` and its importance function
//! (Conty and Kulla 2018). Power over squared distance, reduced by how far
//! the emitters' normals turn away from the point and by the cosine at the
//! receiving surface, each bounded conservatively, so that a cluster that
//! may light a point never gets importance zero.

use crate::math::{Aabb, Cone, Vec3};
use std::f32::consts::{FRAC_PI_2, PI};

#[derive(Clone, Copy, Debug)]
pub struct LightBounds {
    pub bounds: Aabb,
    /// Emitted power (any consistent unit: it only weighs).
    pub phi: f32,
    /// Bounds the emitters' normals (θo).
    pub normals: Cone,
    /// cos θe: how far past its normal an emitter still emits (0: a
    /// one-sided cosine emitter, which stops at 90°).
    pub cos_theta_e: f32,
}

impl LightBounds {
    pub fn union(&self, other: &LightBounds) -> LightBounds {
        if self.phi <= 0.0 {
            return *other;
        }
        if other.phi <= 0.0 {
            return *self;
        }
        LightBounds {
            bounds: self.bounds.union(&other.bounds),
            phi: self.phi + other.phi,
            normals: self.normals.union(other.normals),
            cos_theta_e: self.cos_theta_e.min(other.cos_theta_e),
        }
    }

    /// How much these lights may send to `p` on a surface of normal `n`
    /// (zero `n`: a point in space).
    pub fn importance(&self, p: Vec3, n: Vec3) -> f32 {
        let pc = self.bounds.center();
        let d2 = (p - pc).length_squared().max(self.bounds.extent().length() / 2.0);
        let wi = (p - pc).normalize_or_zero();
        let cos_w = if wi == Vec3::ZERO { 1.0 } else { self.normals.axis.dot(wi) };
        let sin_w = safe_sqrt(1.0 - cos_w * cos_w);
        let cos_b = subtended_cos(&self.bounds, p);
        let sin_b = safe_sqrt(1.0 - cos_b * cos_b);
        let cos_o = self.normals.cos_theta;
        let sin_o = safe_sqrt(1.0 - cos_o * cos_o);
        // θ' = max(0, θw - θo - θb): the smallest angle between a normal and
        // a direction towards p.
        let cos_x = cos_sub_clamped(sin_w, cos_w, sin_o, cos_o);
        let sin_x = sin_sub_clamped(sin_w, cos_w, sin_o, cos_o);
        let cos_p = cos_sub_clamped(sin_x, cos_x, sin_b, cos_b);
        if cos_p <= self.cos_theta_e {
            return 0.0;
        }
        let mut importance = self.phi * cos_p / d2;
        if n != Vec3::ZERO {
            let cos_i = wi.dot(n).abs();
            let sin_i = safe_sqrt(1.0 - cos_i * cos_i);
            importance *= cos_sub_clamped(sin_i, cos_i, sin_b, cos_b);
        }
        importance.max(0.0)
    }

    /// pbrt-v4's cost of a cluster for the BVH build: power times the
    /// solid-angle measure of its emission times its surface area, with
    /// `kr` penalising thin boxes along the split axis.
    pub fn cost(&self, kr: f32) -> f32 {
        let theta_o = self.normals.cos_theta.clamp(-1.0, 1.0).acos();
        let theta_e = self.cos_theta_e.clamp(-1.0, 1.0).acos();
        let theta_w = (theta_o + theta_e).min(PI);
        let sin_o = safe_sqrt(1.0 - self.normals.cos_theta * self.normals.cos_theta);
        let m_omega = 2.0 * PI * (1.0 - self.normals.cos_theta)
            + FRAC_PI_2
                * (2.0 * theta_w * sin_o - (theta_o - 2.0 * theta_w).cos() - 2.0 * theta_o * sin_o
                    + self.normals.cos_theta);
        self.phi * m_omega * kr * self.bounds.surface_area()
    }
}

fn safe_sqrt(x: f32) -> f32 {
    x.max(0.0).sqrt()
}

/// cos(max(0, a - b)) from the sines and cosines of a and b.
fn cos_sub_clamped(sin_a: f32, cos_a: f32, sin_b: f32, cos_b: f32) -> f32 {
    if cos_a > cos_b {
        1.0
    } else {
        cos_a * cos_b + sin_a * sin_b
    }
}

/// sin(max(0, a - b)).
fn sin_sub_clamped(sin_a: f32, cos_a: f32, sin_b: f32, cos_b: f32) -> f32 {
    if cos_a > cos_b {
        0.0
    } else {
        sin_a * cos_b - cos_a * sin_b
    }
}

/// cos of the half-angle of the cone that holds the box's bounding sphere
/// as seen from `p` (-1 when `p` is inside that sphere).
fn subtended_cos(b: &Aabb, p: Vec3) -> f32 {
    let center = b.center();
    let r2 = (b.max - center).length_squared();
    let d2 = (p - center).length_squared();
    if d2 < r2 {
        return -1.0;
    }
    safe_sqrt(1.0 - r2 / d2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(at: Vec3, facing: Vec3) -> LightBounds {
        LightBounds {
            bounds: Aabb { min: at - Vec3::splat(0.1), max: at + Vec3::splat(0.1) },
            phi: 1.0,
            normals: Cone::of(facing),
            cos_theta_e: 0.0,
        }
    }

    #[test]
    fn a_light_facing_away_has_no_importance_and_one_facing_the_point_has_some() {
        let p = Vec3::ZERO;
        let n = Vec3::Y;
        assert!(panel(Vec3::new(0.0, 2.0, 0.0), -Vec3::Y).importance(p, n) > 0.0);
        assert_eq!(panel(Vec3::new(0.0, 2.0, 0.0), Vec3::Y).importance(p, n), 0.0);
        // Farther is less important.
        let near = panel(Vec3::new(0.0, 2.0, 0.0), -Vec3::Y).importance(p, n);
        let far = panel(Vec3::new(0.0, 20.0, 0.0), -Vec3::Y).importance(p, n);
        assert!(far < near / 50.0, "{far} vs {near}");
        // A cluster of both is at least as important as its parts.
        let both = panel(Vec3::new(0.0, 2.0, 0.0), -Vec3::Y).union(&panel(Vec3::new(3.0, 2.0, 0.0), Vec3::Y));
        assert!(both.importance(p, n) > 0.0);
    }
}
