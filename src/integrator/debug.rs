//! What the camera ray meets first: its material's albedo and its shading
//! normal (in [-1, 1]; the geometric normal except on smooth meshes), from
//! its hit. The `albedo` and `normals` views show them, and they
//! are the guide layers denoisers take. Misses are black.

use crate::math::Vec3;
use crate::scene::{Interaction, Scene};
use crate::spectrum::Radiance;

pub fn first_hit_normal(hit: Option<Interaction>) -> Vec3 {
    hit.map_or(Vec3::ZERO, |si| si.ns)
}

pub fn first_hit_albedo<S: Radiance>(scene: &Scene<S>, hit: Option<Interaction>) -> Vec3 {
    hit.map_or(Vec3::ZERO, |si| scene.material(si.material).albedo_at(|| scene.uv(&si)))
}

/// The `normals` view: normals mapped to [0, 1] colours, misses black.
pub fn normal_view(hit: Option<Interaction>) -> Vec3 {
    hit.map_or(Vec3::ZERO, |si| si.ns * 0.5 + Vec3::splat(0.5))
}
