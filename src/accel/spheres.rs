//! Spheres as Embree user geometry: Embree asks for their bounds and calls
//! back into `Sphere::intersect`, so they stay exact (no tessellation).
//! rsrender only traces single rays, so Embree calls back with N = 1, where
//! its ray layout is that of `RTCRayHit` / `RTCRay`.

use crate::geometry::Sphere;
use embree::sys::*;
use glam::Vec3;
use std::ffi::c_void;

/// A user geometry of one primitive, `sphere`.
///
/// # Safety
/// `device` must be live, and `sphere` must outlive the geometry (its
/// callbacks read it).
pub(super) unsafe fn geometry(device: RTCDevice, sphere: &Sphere) -> RTCGeometry {
    // SAFETY: as the caller promises; the callbacks match Embree's signatures.
    unsafe {
        let g = rtcNewGeometry(device, RTCGeometryType::USER);
        rtcSetGeometryUserPrimitiveCount(g, 1);
        rtcSetGeometryUserData(g, sphere as *const Sphere as *mut c_void);
        rtcSetGeometryBoundsFunction(g, Some(bounds), std::ptr::null_mut());
        rtcSetGeometryIntersectFunction(g, Some(intersect));
        rtcSetGeometryOccludedFunction(g, Some(occluded));
        rtcCommitGeometry(g);
        g
    }
}

unsafe extern "C" fn bounds(args: *const RTCBoundsFunctionArguments) {
    // SAFETY: Embree passes the user data set above and a box to fill.
    let args = unsafe { &*args };
    let b = unsafe { &*(args.geometryUserPtr as *const Sphere) }.bounds();
    let out = unsafe { &mut *args.bounds_o };
    (out.lower_x, out.lower_y, out.lower_z) = (b.min.x, b.min.y, b.min.z);
    (out.upper_x, out.upper_y, out.upper_z) = (b.max.x, b.max.y, b.max.z);
}

/// The sphere of a callback for one valid ray, else `None`.
///
/// # Safety
/// `valid` and `user` must be what Embree passed to the callback.
unsafe fn single_ray<'a>(n: u32, valid: *const i32, user: *mut c_void) -> Option<&'a Sphere> {
    // SAFETY: Embree passes N validity flags and the user data set above.
    (n == 1 && unsafe { *valid } != 0).then(|| unsafe { &*(user as *const Sphere) })
}

unsafe extern "C" fn intersect(args: *const RTCIntersectFunctionNArguments) {
    // SAFETY: for single-ray queries (N = 1) `rayhit` is an `RTCRayHit`.
    let args = unsafe { &*args };
    let Some(sphere) = (unsafe { single_ray(args.N, args.valid, args.geometryUserPtr) }) else {
        return;
    };
    let rh = unsafe { &mut *(args.rayhit as *mut RTCRayHit) };
    if let Some(t) = hit(sphere, &rh.ray) {
        rh.ray.tfar = t;
        rh.hit.u = 0.0;
        rh.hit.v = 0.0;
        rh.hit.primID = args.primID;
        rh.hit.geomID = args.geomID;
        rh.hit.instID[0] = unsafe { (*args.context).instID[0] };
    }
}

unsafe extern "C" fn occluded(args: *const RTCOccludedFunctionNArguments) {
    // SAFETY: for single-ray queries (N = 1) `ray` is an `RTCRay`.
    let args = unsafe { &*args };
    let Some(sphere) = (unsafe { single_ray(args.N, args.valid, args.geometryUserPtr) }) else {
        return;
    };
    let ray = unsafe { &mut *(args.ray as *mut RTCRay) };
    if hit(sphere, ray).is_some() {
        ray.tfar = f32::NEG_INFINITY;
    }
}

fn hit(sphere: &Sphere, ray: &RTCRay) -> Option<f32> {
    let origin = Vec3::new(ray.org_x, ray.org_y, ray.org_z);
    let dir = Vec3::new(ray.dir_x, ray.dir_y, ray.dir_z);
    let (t, _, _) = sphere.intersect(origin, dir, ray.tfar)?;
    (t >= ray.tnear).then_some(t)
}
