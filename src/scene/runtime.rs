//! The runtime scene that rendering reads: objects in a two-level BVH,
//! materials, lights, background and camera. Shared read-only by every
//! thread of a rank.

use crate::accel::Accel;
use crate::camera::Camera;
use crate::geometry::Geometry;
use crate::light::LightSampler;
use crate::material::Material;
use crate::math::{Ray, Vec3};
use bincode::{Decode, Encode};

/// Marks an object that emits nothing.
pub const NO_LIGHT: u32 = u32::MAX;

pub struct Scene {
    pub accel: Accel,
    /// Per object.
    pub(super) object_material: Vec<u32>,
    /// Per object: the light of its primitive 0 (its primitive k is light
    /// `first_light + k`), or `NO_LIGHT`.
    /// Per object: its area light's index, or `NO_LIGHT`.
    pub(super) object_light: Vec<u32>,
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
    pub object: u32,
    pub prim: u32,
    pub material: u32,
    /// Index of the area light this object is, or `NO_LIGHT`.
    pub light: u32,
}

impl Scene {
    #[inline]
    pub fn intersect(&self, ray: &Ray) -> Option<Interaction> {
        let hit = self.accel.intersect(ray)?;
        let (sp, ns) = self.geometry().surface(&hit, ray);

        Some(Interaction {
            p: sp.p,
            n: sp.n,
            ns,
            t: hit.t,
            object: hit.object,
            prim: hit.prim,
            material: self.object_material[hit.object as usize],
            light: self.object_light[hit.object as usize],
        })
    }

    #[inline]
    pub fn occluded(&self, ray: &Ray) -> bool {
        self.accel.occluded(ray)
    }

    #[inline]
    pub fn geometry(&self) -> &Geometry {
        self.accel.geometry()
    }

    /// What this scene holds in memory.
    pub fn memory(&self) -> SceneMemory {
        let g = self.geometry();
        let (triangles, instanced_triangles) = g.triangle_counts();
        SceneMemory {
            triangles,
            instanced_triangles,
            geometry_bytes: g.bytes() as u64,
            accel_bytes: self.accel.bytes() as u64,
        }
    }

    #[inline]
    pub fn material(&self, index: u32) -> &Material {
        &self.materials[index as usize]
    }
}

/// What one rank's copy of the scene holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Encode, Decode)]
pub struct SceneMemory {
    /// Triangles stored once (each mesh once, however often it is placed).
    pub triangles: u64,
    /// Triangles in the world, counting every instance.
    pub instanced_triangles: u64,
    /// Vertices, indices, normals and objects.
    pub geometry_bytes: u64,
    /// The BVHs, as Embree counts them, after the build.
    pub accel_bytes: u64,
}

impl SceneMemory {
    /// Geometry and BVH bytes per stored triangle.
    pub fn bytes_per_triangle(&self) -> f64 {
        (self.geometry_bytes + self.accel_bytes) as f64 / self.triangles.max(1) as f64
    }
}
