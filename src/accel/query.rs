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

    /// The nearest hits of many rays at once (Embree's stream query; told
    /// `coherent` rays, such as one pixel's samples, it traces them in
    /// packets).
    pub fn intersect_stream(&self, rays: &[Ray], hits: &mut [Option<Hit>], coherent: bool) {
        let mut rh: Vec<RTCRayHit> = rays.iter().map(|r| RTCRayHit { ray: rtc_ray(r), hit: no_hit() }).collect();
        let mut context = context();
        if coherent {
            context.flags = RTCIntersectContextFlags::COHERENT;
        }
        // SAFETY: the scene is committed; `rh` holds rays.len() ray-hits of that stride.
        unsafe {
            rtcIntersect1M(self.top, &mut context, rh.as_mut_ptr(), rh.len() as u32, std::mem::size_of::<RTCRayHit>())
        };
        for (h, rh) in hits.iter_mut().zip(&rh) {
            *h = (rh.hit.geomID != INVALID).then(|| {
                let object = if rh.hit.instID[0] != INVALID { rh.hit.instID[0] } else { rh.hit.geomID };
                Hit { t: rh.ray.tfar, object, prim: rh.hit.primID, u: rh.hit.u, v: rh.hit.v }
            });
        }
    }

    /// True when anything blocks the ray before `ray.t_max`.
    #[inline]
    pub fn occluded(&self, ray: &Ray) -> bool {
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

fn no_hit() -> RTCHit {
    RTCHit { Ng_x: 0.0, Ng_y: 0.0, Ng_z: 0.0, u: 0.0, v: 0.0, primID: INVALID, geomID: INVALID, instID: [INVALID] }
}

/// What Embree's inline `rtcInitIntersectContext` sets up.
#[inline]
fn context() -> RTCIntersectContext {
    RTCIntersectContext { flags: RTCIntersectContextFlags::INCOHERENT, filter: None, instID: [INVALID] }
}

#[cfg(test)]
mod tests {
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
    fn streams_find_the_hits_single_rays_find() {
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
        for coherent in [true, false] {
            let mut hits = vec![None; rays.len()];
            for (r, h) in rays.chunks(256).zip(hits.chunks_mut(256)) {
                accel.intersect_stream(r, h, coherent);
            }
            let single: Vec<Option<Hit>> = rays.iter().map(|r| accel.intersect(r)).collect();
            let spheres = hits.iter().flatten().filter(|h| h.object >= 4).count();
            assert!(spheres > 20, "{spheres} sphere hits");
            assert!(hits == single, "coherent {coherent}: stream and single-ray hits differ");
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
