//! Ray tracing speed and memory on a 1 M-triangle mesh: rsrender's
//! accelerator (a two-level BVH: the mesh's own BVH under an instance, as
//! every `mesh` shape is) against Embree called directly on one flat scene,
//! the way Embree's own tutorials use it, on the very same rays.
//!
//! Coherent rays are camera rays (1024², row by row); incoherent rays are
//! diffuse bounces (cosine-distributed about the normal) from where the
//! camera rays hit. Closest-hit queries, one ray at a time, on 1 and 2
//! threads; the best of three runs (and of three builds). Prints build time, Mrays/s, and bytes per
//! triangle (vertices, indices and BVH, and the BVH's peak while building).
//!
//! Usage: `cargo bench --bench accel` (`BENCH_CELLS=N` for a 2·N² triangle terrain).

use rsrender::accel::Accel;
use rsrender::camera::{Camera, Projection};
use rsrender::geometry::mesh::generate;
use rsrender::geometry::{Geometry, Instance, Object, TriMesh};
use rsrender::math::{offset_origin, sampling, Frame, Ray, Transform, Vec2, Vec3};
use rsrender::sampler::SampleStream;
use std::sync::Arc;
use std::time::Instant;

const SIDE: u32 = 1024;

fn main() {
    let cells: u32 = std::env::var("BENCH_CELLS").ok().and_then(|c| c.parse().ok()).unwrap_or(708);
    let mesh = TriMesh::new(generate::terrain(cells, 0.3), false);
    let triangles = mesh.triangle_count();
    let geometry = Arc::new(Geometry {
        objects: vec![Object::Instance(Instance::new(0, Transform::IDENTITY, false))],
        meshes: vec![mesh],
    });
    println!("== BVH benchmark: terrain of {triangles} triangles, {} rays per kind", SIDE * SIDE);

    let camera = Camera::new(
        Vec3::new(0.0, 0.9, 1.4),
        Vec3::new(0.0, 0.0, 0.1),
        Vec3::Y,
        Projection::Perspective { tan_half_fov: (25f32).to_radians().tan() },
        SIDE,
        SIDE,
    );
    let coherent: Vec<Ray> = (0..SIDE * SIDE)
        .map(|i| camera.generate_ray((i % SIDE) as f32 + 0.5, (i / SIDE) as f32 + 0.5, Vec2::ZERO))
        .collect();
    let accel = Accel::build(geometry.clone(), 2).expect("build");
    let incoherent: Vec<Ray> = coherent
        .iter()
        .enumerate()
        .filter_map(|(i, ray)| {
            let hit = accel.intersect(ray)?;
            let (sp, _) = geometry.surface(&hit, ray);
            let n = if sp.n.dot(ray.dir) < 0.0 { sp.n } else { -sp.n };
            let dir = Frame::from_normal(n)
                .to_world(sampling::cosine_hemisphere(SampleStream::new(7, i as u64, 0).next_2d()));
            Some(Ray::new(offset_origin(sp.p, n, dir), dir))
        })
        .collect();
    drop(accel);
    println!("({} camera rays hit; the diffuse bounces start there)", incoherent.len());

    let vertex_and_index_bytes = geometry.bytes();
    let mut agree = (0usize, 0usize);
    for threads in [1, 2] {
        let (ours, ours_build) = best_build(|| Accel::build(geometry.clone(), threads).expect("build"));
        let (theirs, theirs_build) = best_build(|| direct::FlatScene::new(&geometry.meshes[0], threads));
        println!("-- {threads} thread{}", if threads == 1 { "" } else { "s" });
        println!("build:           rsrender {ours_build:.3} s, Embree direct {theirs_build:.3} s");
        for (kind, rays) in [("coherent", &coherent), ("incoherent", &incoherent)] {
            let a = speed(rays, threads, |r| ours.intersect(r).map_or(u32::MAX, |h| h.prim));
            let b = speed(rays, threads, |r| theirs.intersect(r));
            println!("{kind:<11} Mrays/s: rsrender {:.2}, Embree direct {:.2}, ratio {:.2}", a.0, b.0, a.0 / b.0);
            agree = (agree.0 + a.1.iter().zip(&b.1).filter(|(x, y)| x == y).count(), agree.1 + rays.len());
        }
        if threads == 1 {
            let per = |bvh: usize| (vertex_and_index_bytes + bvh) as f64 / triangles as f64;
            println!(
                "bytes/triangle:  rsrender {:.1} (BVH {:.1}, {:.1} at its peak while building), Embree direct {:.1} \
                 (BVH {:.1}), vertices and indices shared",
                per(ours.bytes()),
                ours.bytes() as f64 / triangles as f64,
                ours.peak_bytes() as f64 / triangles as f64,
                per(theirs.bytes()),
                theirs.bytes() as f64 / triangles as f64
            );
        }
    }
    println!("same nearest triangle for {:.4}% of rays", 100.0 * agree.0 as f64 / agree.1 as f64);
}

/// The last of three builds, and the shortest build time.
fn best_build<T>(build: impl Fn() -> T) -> (T, f64) {
    let mut best = f64::INFINITY;
    let mut built = None;
    for _ in 0..3 {
        drop(built.take());
        let start = Instant::now();
        built = Some(build());
        best = best.min(start.elapsed().as_secs_f64());
    }
    (built.expect("built three times"), best)
}

/// Mrays/s of `trace` over `rays` on `threads` threads (best of three), and
/// what it returned for each ray.
fn speed(rays: &[Ray], threads: usize, trace: impl Fn(&Ray) -> u32 + Sync) -> (f64, Vec<u32>) {
    let mut best = f64::INFINITY;
    let mut out = vec![0u32; rays.len()];
    for _ in 0..3 {
        let chunk = rays.len().div_ceil(threads);
        let start = Instant::now();
        std::thread::scope(|s| {
            for (rays, out) in rays.chunks(chunk).zip(out.chunks_mut(chunk)) {
                let trace = &trace;
                s.spawn(move || rays.iter().zip(out).for_each(|(r, o)| *o = trace(r)));
            }
        });
        best = best.min(start.elapsed().as_secs_f64());
    }
    (rays.len() as f64 / best / 1e6, out)
}

/// Embree as its tutorials use it: one scene holding the mesh, default
/// flags and build quality, `rtcIntersect1`.
mod direct {
    use embree::sys::*;
    use rsrender::geometry::TriMesh;
    use rsrender::math::Ray;
    use std::ffi::{c_void, CString};
    use std::sync::atomic::{AtomicIsize, Ordering};

    static BYTES: AtomicIsize = AtomicIsize::new(0);

    unsafe extern "C" fn count(_: *mut c_void, bytes: isize, _: bool) -> bool {
        BYTES.fetch_add(bytes, Ordering::Relaxed);
        true
    }

    pub struct FlatScene {
        device: RTCDevice,
        scene: RTCScene,
        bytes: usize,
    }

    // SAFETY: a committed scene may be queried from many threads.
    unsafe impl Sync for FlatScene {}

    impl FlatScene {
        pub fn new(mesh: &TriMesh, threads: usize) -> FlatScene {
            let config = CString::new(format!("threads={threads}")).unwrap();
            // SAFETY: plain Embree API use; `mesh` outlives the scene in this benchmark.
            unsafe {
                let device = rtcNewDevice(config.as_ptr());
                assert!(!device.is_null());
                let before = BYTES.load(Ordering::Relaxed);
                rtcSetDeviceMemoryMonitorFunction(device, Some(count), std::ptr::null_mut());
                let scene = rtcNewScene(device);
                let g = rtcNewGeometry(device, RTCGeometryType::TRIANGLE);
                let v = mesh.padded_positions().as_ptr() as *const c_void;
                rtcSetSharedGeometryBuffer(
                    g,
                    RTCBufferType::VERTEX,
                    0,
                    RTCFormat::FLOAT3,
                    v,
                    0,
                    12,
                    mesh.vertex_count(),
                );
                let i = mesh.triangles().as_ptr() as *const c_void;
                rtcSetSharedGeometryBuffer(
                    g,
                    RTCBufferType::INDEX,
                    0,
                    RTCFormat::UINT3,
                    i,
                    0,
                    12,
                    mesh.triangle_count(),
                );
                rtcCommitGeometry(g);
                rtcAttachGeometry(scene, g);
                rtcReleaseGeometry(g);
                rtcCommitScene(scene);
                assert_eq!(rtcGetDeviceError(device), RTCError::NONE);
                let bytes = (BYTES.load(Ordering::Relaxed) - before).max(0) as usize;
                FlatScene { device, scene, bytes }
            }
        }

        pub fn bytes(&self) -> usize {
            self.bytes
        }

        /// The nearest triangle's index, or `u32::MAX`.
        pub fn intersect(&self, r: &Ray) -> u32 {
            let ray = RTCRay {
                org_x: r.origin.x,
                org_y: r.origin.y,
                org_z: r.origin.z,
                tnear: 0.0,
                dir_x: r.dir.x,
                dir_y: r.dir.y,
                dir_z: r.dir.z,
                time: 0.0,
                tfar: r.t_max,
                mask: u32::MAX,
                id: 0,
                flags: 0,
            };
            let none = u32::MAX;
            let hit =
                RTCHit { Ng_x: 0.0, Ng_y: 0.0, Ng_z: 0.0, u: 0.0, v: 0.0, primID: none, geomID: none, instID: [none] };
            let mut rh = RTCRayHit { ray, hit };
            let mut context =
                RTCIntersectContext { flags: RTCIntersectContextFlags::INCOHERENT, filter: None, instID: [none] };
            // SAFETY: committed scene, valid ray and context.
            unsafe { rtcIntersect1(self.scene, &mut context, &mut rh) };
            rh.hit.primID
        }
    }

    impl Drop for FlatScene {
        fn drop(&mut self) {
            // SAFETY: released once, scene before device.
            unsafe {
                rtcReleaseScene(self.scene);
                rtcReleaseDevice(self.device);
            }
        }
    }
}
