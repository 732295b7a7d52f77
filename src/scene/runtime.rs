//! The runtime scene that rendering reads: objects in a two-level BVH,
//! materials, lights, background and camera, with colours of one kind
//! (`Scene<Vec3>` in RGB mode, `Scene<Bins>` per group of bins in spectral
//! mode, all groups sharing one BVH): a `World`. Shared read-only by every
//! thread of a rank.

use crate::accel::{Accel, RayLanes, PACKET};
use crate::camera::Camera;
use crate::geometry::{Geometry, Hit};
use crate::light::{Background, LightSampler};
use crate::material::{Material, Shading};
use crate::math::{offset_origin, Frame, Ray, Vec2, Vec3};
use crate::spectrum::{Binning, Bins, Radiance, SrgbWeights};
use crate::texture::Texture;
use bincode::{Decode, Encode};
use std::cell::OnceCell;
use std::sync::Arc;

/// A path or shadow ray passes at most this many cut-outs (then it stops).
pub const MAX_CUTOUTS: u32 = 256;

/// Marks an object that emits nothing.
pub const NO_LIGHT: u32 = u32::MAX;

pub struct Scene<S = Vec3> {
    pub accel: Arc<Accel>,
    /// Per object.
    pub(super) object_material: Arc<[u32]>,
    /// Per object: its area light's index, or `NO_LIGHT`.
    pub(super) object_light: Vec<u32>,
    pub materials: Vec<Material<S>>,
    /// Some material has an `opacity`: shadow rays must look through cut-outs.
    pub has_cutouts: bool,
    pub lights: LightSampler<S>,
    pub background: Background<S>,
    pub camera: Camera,
    /// Bytes of the textures' images (shared by every group of bins).
    pub texture_bytes: u64,
}

/// What a rank renders: the RGB scene, or the spectral scene's groups.
pub enum World {
    Rgb(Scene),
    Spectral(SpectralScene),
}

pub struct SpectralScene {
    /// Group g carries bins g·LANES.. (see `Binning::group`).
    pub groups: Vec<Scene<Bins>>,
    pub binning: Binning,
    /// Per bin, the sRGB of its radiance (for the picture).
    pub(super) srgb: SrgbWeights,
}

impl SpectralScene {
    /// Linear sRGB of a spectrum of bins (CIE 1931 2°).
    pub fn rgb(&self, bins: &[f32]) -> Vec3 {
        self.srgb.rgb(bins)
    }
}

impl World {
    pub fn camera(&self) -> &Camera {
        match self {
            World::Rgb(s) => &s.camera,
            World::Spectral(s) => &s.groups[0].camera,
        }
    }

    /// The nearest hit of one ray (`Scene::intersect`).
    pub fn intersect(&self, ray: &Ray) -> Option<Interaction> {
        match self {
            World::Rgb(s) => s.intersect(ray),
            World::Spectral(s) => s.groups[0].intersect(ray),
        }
    }

    /// `Scene::intersect_coherent` (the groups of a spectral scene share
    /// their geometry, and so their hits).
    pub fn intersect_coherent(&self, rays: &[Ray], hits: &mut Vec<Option<Interaction>>) {
        match self {
            World::Rgb(s) => s.intersect_coherent(rays, hits),
            World::Spectral(s) => s.groups[0].intersect_coherent(rays, hits),
        }
    }

    /// Spectral bins per pixel (0 in RGB mode).
    pub fn bins(&self) -> usize {
        self.binning().map_or(0, |b| b.bins)
    }

    pub fn binning(&self) -> Option<&Binning> {
        match self {
            World::Rgb(_) => None,
            World::Spectral(s) => Some(&s.binning),
        }
    }

    pub fn memory(&self) -> SceneMemory {
        match self {
            World::Rgb(s) => s.memory(),
            World::Spectral(s) => s.groups[0].memory(),
        }
    }
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
    /// The hit's barycentrics on a triangle (for texture coordinates).
    pub bary: Vec2,
    pub material: u32,
    /// Index of the area light this object is, or `NO_LIGHT`.
    pub light: u32,
}

impl<S: Radiance> Scene<S> {
    // Always inlined: as a call it costs 3-4% on Mitsuba's box (measured).
    #[inline(always)]
    pub fn intersect(&self, ray: &Ray) -> Option<Interaction> {
        let hit = self.accel.intersect(ray)?;
        Some(self.interaction(&hit, ray))
    }

    /// The nearest hits of `rays` (one pixel's camera rays), traced together
    /// in coherent packets, appended to `hits`; the same as `intersect` on
    /// each, faster.
    pub fn intersect_coherent(&self, rays: &[Ray], hits: &mut Vec<Option<Interaction>>) {
        let mut found = [None; PACKET];
        for rays in rays.chunks(PACKET) {
            let found = &mut found[..rays.len()];
            self.accel.intersect_packets(rays, found, true);
            hits.extend(found.iter().zip(rays).map(|(h, ray)| h.map(|h| self.interaction(&h, ray))));
        }
    }

    /// The nearest hit of each active lane's ray (`intersect`'s), traced in
    /// one packet, into `hits` (the other lanes' are left as they are).
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn intersect_lanes(&self, rays: &RayLanes, hits: &mut [Option<Interaction>; PACKET]) {
        let found = self.accel.intersect_lanes(rays);
        for (i, (hit, found)) in hits.iter_mut().zip(found).enumerate() {
            // Not `Option::map`: LLVM leaves its closure out of line.
            match (rays.active[i], found) {
                (false, _) => {}
                (true, None) => *hit = None,
                (true, Some(h)) => *hit = Some(self.interaction(&h, &rays.ray(i))),
            }
        }
    }

    /// How much of the light along each active lane's ray gets through
    /// (`visibility`'s), traced in one packet where no cut-out can let
    /// part of it through.
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn visibility_lanes(&self, rays: &RayLanes) -> [f32; PACKET] {
        if self.has_cutouts {
            return std::array::from_fn(|i| if rays.active[i] { self.visibility(&rays.ray(i)) } else { 0.0 });
        }
        let blocked = self.accel.occluded_lanes(rays);
        std::array::from_fn(|i| if rays.active[i] && !blocked[i] { 1.0 } else { 0.0 })
    }

    #[inline(always)]
    fn interaction(&self, hit: &Hit, ray: &Ray) -> Interaction {
        let (sp, ns) = self.geometry().surface(hit, ray);
        Interaction {
            p: sp.p,
            n: sp.n,
            ns,
            t: hit.t,
            object: hit.object,
            prim: hit.prim,
            bary: Vec2::new(hit.u, hit.v),
            material: self.object_material[hit.object as usize],
            light: self.object_light[hit.object as usize],
        }
    }

    /// Texture coordinates at an interaction, computed when first asked for
    /// and then kept (a hit's opacity, emission, normal map and colour
    /// textures all read the same uv).
    #[inline]
    pub fn lazy_uv<'a>(&'a self, si: &'a Interaction) -> LazyUv<'a, S> {
        LazyUv { scene: self, si, uv: OnceCell::new() }
    }

    /// Texture coordinates at an interaction ((0, 0) on a mesh without
    /// them, which `load` allows only for untextured materials).
    #[inline]
    pub fn uv(&self, si: &Interaction) -> Vec2 {
        self.geometry().uv(si.object, si.prim, si.bary, si.p).unwrap_or(Vec2::ZERO)
    }

    /// Where the material's BSDF works at an interaction seen from `wo`:
    /// around the shading normal, or around the normal its normal map gives.
    #[inline]
    pub fn shading(&self, si: &Interaction, material: &Material<S>, wo: Vec3, uv: impl FnOnce() -> Vec2) -> Shading {
        match &material.normal_map {
            None => Shading::plain(si.ns, si.n),
            Some(map) => self.bent(si, map, wo, uv()),
        }
    }

    /// A normal map's texel c read as 2c − 1 in the frame (s, n × s, n) of
    /// the shading normal n, with s along ∂p/∂u (Mitsuba's `normalmap`).
    #[inline(never)]
    fn bent(&self, si: &Interaction, map: &Texture, wo: Vec3, uv: Vec2) -> Shading {
        let n = si.ns;
        let along_u = self.geometry().dpdu(si.object, si.prim, si.p).map_or(Vec3::ZERO, |d| d - n * n.dot(d));
        let s = along_u.try_normalize().unwrap_or_else(|| Frame::from_normal(n).s);
        let tangent = Frame { s, t: n.cross(s), n };
        Shading::bent(&tangent, map.eval(uv) * 2.0 - Vec3::ONE, si.n, wo)
    }

    #[inline]
    pub fn occluded(&self, ray: &Ray) -> bool {
        self.accel.occluded(ray)
    }

    /// The share of light that passes along a shadow ray: 0 or 1, or
    /// through cut-outs the product of (1 − opacity) over the surfaces it
    /// crosses (what stochastic pass-through gives camera paths on average).
    #[inline]
    pub fn visibility(&self, ray: &Ray) -> f32 {
        if !self.has_cutouts {
            return if self.occluded(ray) { 0.0 } else { 1.0 };
        }
        self.visibility_through_cutouts(ray)
    }

    #[inline(never)]
    fn visibility_through_cutouts(&self, ray: &Ray) -> f32 {
        let (mut through, mut ray) = (1.0, *ray);
        for _ in 0..MAX_CUTOUTS {
            let Some(si) = self.intersect(&ray) else {
                return through;
            };
            through *= 1.0 - self.material(si.material).opacity_at(|| self.uv(&si));
            if through <= 0.0 {
                return 0.0;
            }
            ray = self.continue_through(&si, &ray);
        }
        0.0
    }

    /// The same ray continued past the surface it hit (what passes a cut-out).
    #[inline]
    pub fn continue_through(&self, si: &Interaction, ray: &Ray) -> Ray {
        let origin = offset_origin(si.p, si.n, ray.dir);
        let t_max = ray.t_max - (origin - ray.origin).dot(ray.dir);
        Ray::segment(origin, ray.dir, t_max.max(0.0))
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
            texture_bytes: self.texture_bytes,
        }
    }

    #[inline]
    pub fn material(&self, index: u32) -> &Material<S> {
        &self.materials[index as usize]
    }
}

/// An interaction's texture coordinates, computed at most once.
pub struct LazyUv<'a, S> {
    scene: &'a Scene<S>,
    si: &'a Interaction,
    uv: OnceCell<Vec2>,
}

impl<S: Radiance> LazyUv<'_, S> {
    #[inline]
    pub fn get(&self) -> Vec2 {
        *self.uv.get_or_init(|| self.scene.uv(self.si))
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
    /// The textures' images.
    pub texture_bytes: u64,
}

impl SceneMemory {
    /// Geometry and BVH bytes per stored triangle.
    pub fn bytes_per_triangle(&self) -> f64 {
        (self.geometry_bytes + self.accel_bytes) as f64 / self.triangles.max(1) as f64
    }
}
