//! World-space triangles: area, sampling (for area lights) and a plain
//! Möller–Trumbore intersection (the reference the BVH is tested against).

use super::SurfacePoint;
use crate::math::{sampling, Vec2, Vec3};

#[derive(Clone, Debug)]
pub struct Triangle {
    pub p0: Vec3,
    pub e1: Vec3,
    pub e2: Vec3,
    /// Unit geometric normal, by the right-hand rule on (p0, p1, p2).
    pub normal: Vec3,
    area: f32,
}

impl Triangle {
    /// `None` for a degenerate triangle (zero area), which can never be hit.
    pub fn new(p0: Vec3, p1: Vec3, p2: Vec3) -> Option<Triangle> {
        let e1 = p1 - p0;
        let e2 = p2 - p0;
        // Normal and area from one cross product (as `try_normalize` would).
        let cross = e1.cross(e2);
        let length = cross.length();
        let rcp = length.recip();
        (rcp.is_finite() && rcp > 0.0).then(|| Triangle { p0, e1, e2, normal: cross * rcp, area: 0.5 * length })
    }

    pub fn area(&self) -> f32 {
        self.area
    }

    #[inline]
    pub fn point(&self, u: f32, v: f32) -> Vec3 {
        self.p0 + self.e1 * u + self.e2 * v
    }

    #[inline]
    pub fn intersect(&self, origin: Vec3, dir: Vec3, t_max: f32) -> Option<(f32, f32, f32)> {
        let pvec = dir.cross(self.e2);
        let det = self.e1.dot(pvec);
        if det.abs() < 1e-12 {
            return None;
        }
        let inv_det = 1.0 / det;
        let tvec = origin - self.p0;
        let u = tvec.dot(pvec) * inv_det;
        if !(0.0..=1.0).contains(&u) {
            return None;
        }
        let qvec = tvec.cross(self.e1);
        let v = dir.dot(qvec) * inv_det;
        if v < 0.0 || u + v > 1.0 {
            return None;
        }
        let t = self.e2.dot(qvec) * inv_det;
        (t > 0.0 && t < t_max).then_some((t, u, v))
    }

    pub fn sample(&self, u: Vec2) -> SurfacePoint {
        let (b0, b1) = sampling::uniform_triangle(u);
        SurfacePoint { p: self.point(b0, b1), n: self.normal }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_inside_and_misses_outside() {
        let t = Triangle::new(Vec3::ZERO, Vec3::X, Vec3::Y).unwrap();
        assert_eq!(t.normal, Vec3::Z);
        let hit = t.intersect(Vec3::new(0.25, 0.25, 1.0), -Vec3::Z, 10.0).unwrap();
        assert!((hit.0 - 1.0).abs() < 1e-6);
        assert!(t.intersect(Vec3::new(0.75, 0.75, 1.0), -Vec3::Z, 10.0).is_none());
        assert!(t.intersect(Vec3::new(0.25, 0.25, 1.0), -Vec3::Z, 0.5).is_none());
        assert!(Triangle::new(Vec3::ZERO, Vec3::X, Vec3::X * 2.0).is_none());
    }
}
