//! Debug views: the first hit's geometric normal (mapped to [0, 1]) and its
//! material's albedo. Misses are black.

use crate::math::{Ray, Vec3};
use crate::scene::Scene;

pub fn normal(scene: &Scene, ray: &Ray) -> Vec3 {
    scene.intersect(ray).map_or(Vec3::ZERO, |si| si.n * 0.5 + Vec3::splat(0.5))
}

pub fn albedo(scene: &Scene, ray: &Ray) -> Vec3 {
    scene.intersect(ray).map_or(Vec3::ZERO, |si| scene.material(si.material).bsdf.albedo())
}
