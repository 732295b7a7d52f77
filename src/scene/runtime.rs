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
/// Marks a primitive shaded with its geometric normal.
pub const FLAT: u32 = u32::MAX;

pub struct Scene {
    pub bvh: Bvh,
    /// Per primitive, in BVH order.
    pub(super) prim_material: Vec<u32>,
    pub(super) prim_light: Vec<u32>,
    /// Per primitive: index into `vertex_normals`, or `NO_LIGHT`-like
    /// `FLAT` for primitives shaded with their geometric normal.
    pub(super) prim_shading: Vec<u32>,
    /// Unit vertex normals of smooth triangles, in corner order.
    pub(super) vertex_normals: Vec<[Vec3; 3]>,
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
    /// Shading normal: interpolated vertex normals on smooth meshes (turned
    /// to the side of `n`), else `n`.
    pub ns: Vec3,
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
        let ns = match self.prim_shading[hit.prim as usize] {
            FLAT => sp.n,
            k => {
                let [n0, n1, n2] = self.vertex_normals[k as usize];
                let ns = (n0 * (1.0 - hit.u - hit.v) + n1 * hit.u + n2 * hit.v).normalize_or(sp.n);
                if ns.dot(sp.n) < 0.0 {
                    -ns
                } else {
                    ns
                }
            }
        };
        Some(Interaction {
            p: sp.p,
            n: sp.n,
            ns,
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
