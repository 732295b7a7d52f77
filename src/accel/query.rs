//! Ray queries: the nearest hit and any hit (shadow rays).

use super::Accel;
use crate::geometry::Hit;
use crate::math::{Aabb, Ray, Vec3};
use embree::sys::*;

const INVALID: u32 = u32::MAX;

impl Accel {
    /// The nearest hit in (0, ray.t_max), if any.
    #[inline]
    pub fn intersect(&self, ray: &Ray) -> Option<Hit> {
        self.note_nearest(std::slice::from_ref(ray));
        self.nearest1(ray)
    }

    /// `intersect` without recording.
    #[inline]
    fn nearest1(&self, ray: &Ray) -> Option<Hit> {
        let mut rh = RTCRayHit {
            ray: rtc_ray(ray),
            hit: RTCHit {
                Ng_x: 0.0,
                Ng_y: 0.0,
                Ng_z: 0.0,
                u: 0.0,
                v: 0.0,
                primID: INVALID,
                geomID: INVALID,
                instID: [INVALID],
            },
        };
        let mut context = context();
        // SAFETY: the scene is committed; the ray and context are valid for the call.
        unsafe { rtcIntersect1(self.top, &mut context, &mut rh) };
        if rh.hit.geomID == INVALID {
            return None;
        }
        let object = if rh.hit.instID[0] != INVALID { rh.hit.instID[0] } else { rh.hit.geomID };
        Some(Hit { t: rh.ray.tfar, object, prim: rh.hit.primID, u: rh.hit.u, v: rh.hit.v })
    }

    /// The nearest hits of many rays, traced through Embree's 16-wide
    /// packet kernels (emulated on narrower ISAs): the same hits, bit for
    /// bit, as `intersect` on each, whatever rays share a packet.
    /// `coherent` tells Embree the rays travel together (one pixel's camera
    /// rays). `benches/rays.rs` measures packets against single rays.
    pub fn intersect_packets(&self, rays: &[Ray], hits: &mut [Option<Hit>], coherent: bool) {
        self.note_nearest(rays);
        for (rays, hits) in rays.chunks(PACKET).zip(hits.chunks_mut(PACKET)) {
            hits.copy_from_slice(&self.nearest_lanes(&RayLanes::from_rays(rays), coherent)[..rays.len()]);
        }
    }

    /// Whether each ray is blocked (as `occluded`), through 16-wide packets.
    pub fn occluded_packets(&self, rays: &[Ray], blocked: &mut [bool]) {
        self.note_shadow(rays);
        for (rays, blocked) in rays.chunks(PACKET).zip(blocked.chunks_mut(PACKET)) {
            blocked.copy_from_slice(&self.blocked_lanes(&RayLanes::from_rays(rays))[..rays.len()]);
        }
    }

    /// The nearest hit of each active lane, as `intersect_packets` (none
    /// at the others).
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn intersect_lanes(&self, rays: &RayLanes) -> [Option<Hit>; PACKET] {
        #[cfg(feature = "ray-log")]
        self.note_nearest(&rays.active_rays());
        self.nearest_lanes(rays, false)
    }

    /// Whether each active lane's ray is blocked, as `occluded_packets`
    /// (false at the others).
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn occluded_lanes(&self, rays: &RayLanes) -> [bool; PACKET] {
        #[cfg(feature = "ray-log")]
        self.note_shadow(&rays.active_rays());
        self.blocked_lanes(rays)
    }

    /// `intersect_lanes` without recording: a packet query, or single-ray
    /// queries when too few lanes are active for a packet to pay.
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    fn nearest_lanes(&self, rays: &RayLanes, coherent: bool) -> [Option<Hit>; PACKET] {
        if rays.count() < FEWEST_IN_PACKET {
            return self.nearest_singly(rays);
        }
        let mut context = context();
        if coherent {
            context.flags = RTCIntersectContextFlags::COHERENT;
        }
        let mut rh = RTCRayHit16 { ray: rays.embree(), hit: no_hits() };
        // SAFETY: the scene is committed; `valid` and `rh` are aligned
        // 16-lane arrays, inactive lanes marked invalid.
        unsafe { rtcIntersect16(valid(&rays.active).0.as_ptr(), self.top, &mut context, &mut rh) };
        std::array::from_fn(|i| {
            let (geom, inst) = (rh.hit.geomID[i], rh.hit.instID[0][i]);
            (rays.active[i] && geom != INVALID).then(|| Hit {
                t: rh.ray.tfar[i],
                object: if inst != INVALID { inst } else { geom },
                prim: rh.hit.primID[i],
                u: rh.hit.u[i],
                v: rh.hit.v[i],
            })
        })
    }

    /// `occluded_lanes` without recording.
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    fn blocked_lanes(&self, rays: &RayLanes) -> [bool; PACKET] {
        if rays.count() < FEWEST_IN_PACKET {
            return self.blocked_singly(rays);
        }
        let mut context = context();
        let mut r = rays.embree();
        // SAFETY: as in `nearest_lanes`.
        unsafe { rtcOccluded16(valid(&rays.active).0.as_ptr(), self.top, &mut context, &mut r) };
        std::array::from_fn(|i| rays.active[i] && r.tfar[i] == f32::NEG_INFINITY)
    }

    /// `nearest_lanes` one ray at a time. Out of line: it is rare (a
    /// batch's last rounds), and inlined it made the lanes' code larger.
    #[cold]
    #[inline(never)]
    fn nearest_singly(&self, rays: &RayLanes) -> [Option<Hit>; PACKET] {
        std::array::from_fn(|i| if rays.active[i] { self.nearest1(&rays.ray(i)) } else { None })
    }

    /// `blocked_lanes` one ray at a time, out of line as `nearest_singly`.
    #[cold]
    #[inline(never)]
    fn blocked_singly(&self, rays: &RayLanes) -> [bool; PACKET] {
        std::array::from_fn(|i| rays.active[i] && self.blocked1(&rays.ray(i)))
    }

    /// True when anything blocks the ray before `ray.t_max`.
    #[inline]
    pub fn occluded(&self, ray: &Ray) -> bool {
        self.note_shadow(std::slice::from_ref(ray));
        self.blocked1(ray)
    }

    /// `occluded` without recording.
    #[inline]
    fn blocked1(&self, ray: &Ray) -> bool {
        let mut r = rtc_ray(ray);
        let mut context = context();
        // SAFETY: as in `intersect`.
        unsafe { rtcOccluded1(self.top, &mut context, &mut r) };
        r.tfar == f32::NEG_INFINITY
    }

    /// The box around everything in the scene.
    pub fn bounds(&self) -> Aabb {
        if self.geometry.objects.is_empty() {
            return Aabb::EMPTY;
        }
        let mut b = RTCBounds {
            lower_x: 0.0,
            lower_y: 0.0,
            lower_z: 0.0,
            align0: 0.0,
            upper_x: 0.0,
            upper_y: 0.0,
            upper_z: 0.0,
            align1: 0.0,
        };
        // SAFETY: the scene is committed.
        unsafe { rtcGetSceneBounds(self.top, &mut b) };
        Aabb { min: Vec3::new(b.lower_x, b.lower_y, b.lower_z), max: Vec3::new(b.upper_x, b.upper_y, b.upper_z) }
    }
}

#[inline]
fn rtc_ray(ray: &Ray) -> RTCRay {
    RTCRay {
        org_x: ray.origin.x,
        org_y: ray.origin.y,
        org_z: ray.origin.z,
        tnear: 0.0,
        dir_x: ray.dir.x,
        dir_y: ray.dir.y,
        dir_z: ray.dir.z,
        time: 0.0,
        tfar: ray.t_max,
        mask: u32::MAX,
        id: 0,
        flags: 0,
    }
}

/// Rays per packet query.
pub const PACKET: usize = 16;

/// Fewer rays than this are traced one by one: a packet of one or two is
/// slower than single-ray queries (measured on Mitsuba's box; four break
/// even).
const FEWEST_IN_PACKET: usize = 3;

/// Up to `PACKET` rays in structure-of-arrays form (Embree's packet
/// layout), each lane on or off.
#[derive(Clone, Copy, Debug)]
pub struct RayLanes {
    /// x, y and z of every lane's origin.
    pub origin: [[f32; PACKET]; 3],
    pub dir: [[f32; PACKET]; 3],
    pub t_max: [f32; PACKET],
    pub active: [bool; PACKET],
}

impl RayLanes {
    /// `rays` (at most `PACKET`) in the first lanes, the rest off.
    pub fn from_rays(rays: &[Ray]) -> RayLanes {
        assert!(rays.len() <= PACKET);
        let (mut origin, mut dir, mut t_max) = ([[0.0; PACKET]; 3], [[0.0; PACKET]; 3], [0.0; PACKET]);
        for (i, r) in rays.iter().enumerate() {
            (origin[0][i], origin[1][i], origin[2][i]) = (r.origin.x, r.origin.y, r.origin.z);
            (dir[0][i], dir[1][i], dir[2][i]) = (r.dir.x, r.dir.y, r.dir.z);
            t_max[i] = r.t_max;
        }
        RayLanes { origin, dir, t_max, active: std::array::from_fn(|i| i < rays.len()) }
    }

    /// Lane `i`'s ray.
    #[inline]
    pub fn ray(&self, i: usize) -> Ray {
        let [ox, oy, oz] = &self.origin;
        let [dx, dy, dz] = &self.dir;
        Ray::segment(Vec3::new(ox[i], oy[i], oz[i]), Vec3::new(dx[i], dy[i], dz[i]), self.t_max[i])
    }

    #[inline]
    fn count(&self) -> usize {
        self.active.iter().filter(|&&a| a).count()
    }

    #[cfg(feature = "ray-log")]
    fn active_rays(&self) -> Vec<Ray> {
        (0..PACKET).filter(|&i| self.active[i]).map(|i| self.ray(i)).collect()
    }

    /// The rays as Embree's packet (tnear 0, every mask bit set). Inactive
    /// lanes are zeroed: whatever they held (NaN from a path that ended),
    /// Embree's narrower kernels assert that every ray of the packet is
    /// valid.
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    fn embree(&self) -> RTCRay16 {
        let on =
            |v: [f32; PACKET]| -> [f32; PACKET] { std::array::from_fn(|i| if self.active[i] { v[i] } else { 0.0 }) };
        let [ox, oy, oz] = &self.origin;
        let [dx, dy, dz] = &self.dir;
        let (org_x, org_y, org_z) = (on(*ox), on(*oy), on(*oz));
        let (dir_x, dir_y, dir_z) = (on(*dx), on(*dy), on(*dz));
        let zero = [0.0; PACKET];
        RTCRay16 {
            org_x,
            org_y,
            org_z,
            tnear: zero,
            dir_x,
            dir_y,
            dir_z,
            time: zero,
            tfar: on(self.t_max),
            mask: [u32::MAX; PACKET],
            id: [0; PACKET],
            flags: [0; PACKET],
        }
    }
}

/// Embree's lane mask for a packet: -1 for the active lanes (it must be
/// aligned as the packet is).
#[repr(C, align(64))]
struct Valid([i32; PACKET]);

#[inline]
fn valid(active: &[bool; PACKET]) -> Valid {
    Valid(active.map(|a| if a { -1 } else { 0 }))
}

fn no_hits() -> RTCHit16 {
    RTCHit16 {
        Ng_x: [0.0; PACKET],
        Ng_y: [0.0; PACKET],
        Ng_z: [0.0; PACKET],
        u: [0.0; PACKET],
        v: [0.0; PACKET],
        primID: [INVALID; PACKET],
        geomID: [INVALID; PACKET],
        instID: [[INVALID; PACKET]],
    }
}

/// What Embree's inline `rtcInitIntersectContext` sets up.
#[inline]
fn context() -> RTCIntersectContext {
    RTCIntersectContext { flags: RTCIntersectContextFlags::INCOHERENT, filter: None, instID: [INVALID] }
}

#[cfg(test)]
mod tests {
    use super::{RayLanes, PACKET};
    use crate::accel::Accel;
    use crate::geometry::{Geometry, Hit, Instance, Object, Sphere, TriMesh};
    use crate::math::{Ray, Transform, Vec3};
    use crate::sampler::SampleStream;
    use std::sync::Arc;

    /// Loose triangles, spheres, and instances (one mirrored, one stretched)
    /// of a mesh of small random triangles.
    fn random_geometry(rng: &mut SampleStream) -> Geometry {
        let mut p = || Vec3::new(rng.next_1d(), rng.next_1d(), rng.next_1d()) * 10.0 - 5.0;
        let mut corners = |n: usize| -> Vec<[Vec3; 3]> {
            (0..n)
                .map(|_| {
                    let a = p();
                    [a, a + p() * 0.1, a + p() * 0.1]
                })
                .collect()
        };
        let mesh = TriMesh::from_corners(&corners(300));
        let loose = TriMesh::from_corners(&corners(200));
        let mut objects = vec![Object::Triangles(loose)];
        for (k, scale) in [Vec3::ONE, Vec3::new(-1.0, 1.0, 1.0), Vec3::new(0.5, 2.0, 1.0)].into_iter().enumerate() {
            let t = Transform::from_srt(scale, Vec3::new(0.0, 40.0 * k as f32, 10.0), Vec3::X * k as f32).unwrap();
            objects.push(Object::Instance(Instance::new(0, t, false)));
        }
        for _ in 0..20 {
            objects.push(Object::Sphere(Sphere::new(p(), 0.3, &Transform::IDENTITY, false).unwrap()));
        }
        Geometry { objects, meshes: vec![mesh] }
    }

    /// The nearest hit by testing every primitive.
    fn brute_force(g: &Geometry, ray: &Ray) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        for object in 0..g.objects.len() as u32 {
            for prim in 0..g.prim_count(object) {
                let t_max = best.map_or(ray.t_max, |b| b.t);
                let found = match &g.objects[object as usize] {
                    Object::Sphere(s) => s.intersect(ray.origin, ray.dir, t_max),
                    _ => g.world_triangle(object, prim).and_then(|t| t.intersect(ray.origin, ray.dir, t_max)),
                };
                if let Some((t, u, v)) = found {
                    best = Some(Hit { t, object, prim, u, v });
                }
            }
        }
        best
    }

    #[test]
    fn bvh_hits_equal_brute_force_hits() {
        let geometry = Arc::new(random_geometry(&mut SampleStream::new(1, 2, 3)));
        let accel = Accel::build(geometry.clone(), 2).unwrap();
        let (rays, mut hits, mut differ) = (4000u64, 0, 0);
        for i in 0..rays {
            let mut r = SampleStream::new(9, i, 0);
            let o = Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) * 12.0 - 6.0;
            let d = (Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) - 0.5).normalize();
            let ray = Ray::new(o, d);
            let (fast, brute) = (accel.intersect(&ray), brute_force(&geometry, &ray));
            assert_eq!(accel.occluded(&ray), fast.is_some(), "ray {i}");
            match (fast, brute) {
                (Some(f), Some(b)) => {
                    hits += 1;
                    assert!((f.t - b.t).abs() <= 1e-4 * b.t.max(1.0), "ray {i}: t {} against {}", f.t, b.t);
                    // Two primitives at the same distance (an edge) may tie either way.
                    differ += usize::from((f.object, f.prim) != (b.object, b.prim));
                    assert!(!accel.occluded(&Ray::segment(o, d, b.t * 0.999)), "ray {i}: blocked before its hit");
                }
                (None, None) => {}
                // A ray grazing an edge may be caught by one test and not the other.
                _ => differ += 1,
            }
        }
        assert!(hits > 400, "test rays should hit often, hit {hits}");
        assert!(differ <= 2, "{differ} of {rays} rays found a different primitive");
    }

    #[test]
    fn packets_find_the_hits_single_rays_find() {
        let geometry = Arc::new(random_geometry(&mut SampleStream::new(1, 2, 3)));
        let accel = Accel::build(geometry, 2).unwrap();
        // Bundles of nearly parallel rays (as a pixel's samples), and scattered ones.
        let rays: Vec<Ray> = (0..4096u64)
            .map(|i| {
                let mut r = SampleStream::new(4, i / 64, 0);
                let o = Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) * 12.0 - 6.0;
                let d = (Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) - 0.5).normalize();
                let mut j = SampleStream::new(5, i, 0);
                let jitter = (Vec3::new(j.next_1d(), j.next_1d(), j.next_1d()) - 0.5) * 0.01;
                if i % 2 == 0 {
                    Ray::new(o, (d + jitter).normalize())
                } else {
                    Ray::new(o + jitter * 100.0, -d)
                }
            })
            .collect();
        let single: Vec<Option<Hit>> = rays.iter().map(|r| accel.intersect(r)).collect();
        // Batches that leave a part-filled packet at the end.
        for coherent in [true, false] {
            let mut hits = vec![None; rays.len()];
            for (r, h) in rays.chunks(250).zip(hits.chunks_mut(250)) {
                accel.intersect_packets(r, h, coherent);
            }
            let spheres = hits.iter().flatten().filter(|h| h.object >= 4).count();
            assert!(spheres > 20, "{spheres} sphere hits");
            assert!(hits == single, "coherent {coherent}: packet and single-ray hits differ");
        }
        let mut blocked = vec![false; rays.len()];
        for (r, b) in rays.chunks(250).zip(blocked.chunks_mut(250)) {
            accel.occluded_packets(r, b);
        }
        let expected: Vec<bool> = rays.iter().map(|r| accel.occluded(r)).collect();
        assert!(blocked.iter().filter(|&&b| b).count() > 400);
        assert!(blocked == expected, "packet and single-ray occlusion differ");
        // Packets with lanes switched off anywhere, down to too few for a packet.
        for (k, chunk) in rays.chunks(PACKET).enumerate() {
            let mut lanes = RayLanes::from_rays(chunk);
            let on = |i: usize| (i * 7 + k) % (1 + k % 5) == 0;
            lanes.active = std::array::from_fn(on);
            let (hits, blocked) = (accel.intersect_lanes(&lanes), accel.occluded_lanes(&lanes));
            for (i, ray) in chunk.iter().enumerate() {
                let (hit, block) = if on(i) { (accel.intersect(ray), accel.occluded(ray)) } else { (None, false) };
                assert!(hits[i] == hit && blocked[i] == block, "packet {k}, lane {i}");
            }
        }
    }

    #[test]
    fn the_tree_is_the_same_for_any_thread_count() {
        // Large enough that Embree builds in parallel.
        let terrain = crate::geometry::mesh::generate::terrain(300, 0.5);
        let t = Transform::from_srt(Vec3::splat(4.0), Vec3::new(0.0, 20.0, 0.0), Vec3::ZERO).unwrap();
        let geometry = Arc::new(Geometry {
            objects: vec![Object::Instance(Instance::new(0, t, false))],
            meshes: vec![TriMesh::new(terrain, false)],
        });
        let trace = |threads: usize| -> Vec<Option<Hit>> {
            let accel = Accel::build(geometry.clone(), threads).unwrap();
            (0..20_000u64)
                .map(|i| {
                    let mut r = SampleStream::new(5, i, 0);
                    let o = Vec3::new(r.next_1d() * 8.0 - 4.0, 3.0, r.next_1d() * 8.0 - 4.0);
                    let d = (Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) - Vec3::new(0.5, 1.0, 0.5)).normalize();
                    accel.intersect(&Ray::new(o, d))
                })
                .collect()
        };
        let one = trace(1);
        assert!(one.iter().filter(|h| h.is_some()).count() > 10_000);
        // Hits compare bit for bit: t, triangle and barycentrics.
        assert!(one == trace(2), "one and two build threads give different hits");
    }
}
