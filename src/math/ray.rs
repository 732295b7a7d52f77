//! A ray with origin, direction and the range of parameters that count as hits.

use super::Vec3;

#[derive(Clone, Copy, Debug)]
pub struct Ray {
    pub origin: Vec3,
    pub dir: Vec3,
    /// Hits count only for t in (0, t_max).
    pub t_max: f32,
}

impl Ray {
    pub fn new(origin: Vec3, dir: Vec3) -> Ray {
        Ray { origin, dir, t_max: f32::INFINITY }
    }

    pub fn segment(origin: Vec3, dir: Vec3, t_max: f32) -> Ray {
        Ray { origin, dir, t_max }
    }

    #[inline]
    pub fn at(&self, t: f32) -> Vec3 {
        self.origin + self.dir * t
    }
}
