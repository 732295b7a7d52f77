//! The runtime scene that rendering reads: primitives in a BVH, materials,
//! lights, background and camera. Shared read-only by every thread of a rank.

use crate::accel::Bvh;
use crate::camera::Camera;
use crate::geometry::Shape;
use crate::light::LightSampler;
use crate::material::Material;
use crate::math::{Ray, Vec3};

/// Marks a primitive that emits nothing.
pub const NO_LIGHT: u32 = u32::MAX;

pub struct Scene {
    pub bvh: Bvh,
    /// Per primitive, in BVH order.
    pub(super) prim_material: Vec<u32>,
    pub(super) prim_light: Vec<u32>,
    pub materials: Vec<Material>,
    pub lights: LightSampler,
    pub background: Vec3,
    pub camera: Camera,
}

/// A ray's nearest hit, with what shading needs.
#[derive(Clone, Copy, Debug)]
pub struct Interaction {
    pub p: Vec3,
    /// Geometric normal, outward (the emitting side).
    pub n: Vec3,
    pub t: f32,
    pub prim: u32,
    pub material: u32,
    /// Index of this primitive's area light, or `NO_LIGHT`.
    pub light: u32,
}

impl Scene {
    #[inline]
    pub fn intersect(&self, ray: &Ray) -> Option<Interaction> {
        let hit = self.bvh.intersect(ray)?;
        let shape = &self.bvh.shapes()[hit.prim as usize];
        let sp = shape.surface_point(ray.origin, ray.dir, &hit);
        Some(Interaction {
            p: sp.p,
            n: sp.n,
            t: hit.t,
            prim: hit.prim,
            material: self.prim_material[hit.prim as usize],
            light: self.prim_light[hit.prim as usize],
        })
    }

    #[inline]
    pub fn occluded(&self, ray: &Ray) -> bool {
        self.bvh.occluded(ray)
    }

    pub fn shapes(&self) -> &[Shape] {
        self.bvh.shapes()
    }

    #[inline]
    pub fn material(&self, index: u32) -> &Material {
        &self.materials[index as usize]
    }
}
