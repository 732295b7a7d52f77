//! Spheres as Embree user geometry: Embree asks for their bounds and calls
//! back into `Sphere::intersect`, so they stay exact (no tessellation).
//! Embree calls back with N rays in its structure-of-arrays layout: one
//! for single-ray queries, up to a packet's width for packet queries.

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

/// Embree's rays as structures of arrays, N lanes wide (`RTCRayN`, then
/// `RTCHitN` for a ray-hit): the index of a field's first lane, in floats.
/// One lane (N = 1) is the layout of `RTCRay` / `RTCRayHit`.
mod field {
    pub const ORG: usize = 0;
    pub const TNEAR: usize = 3;
    pub const DIR: usize = 4;
    pub const TFAR: usize = 8;
    pub const U: usize = 15;
    pub const V: usize = 16;
    pub const PRIM: usize = 17;
    pub const GEOM: usize = 18;
    pub const INST: usize = 19;
}

/// One lane of an N-wide ray (or ray-hit) in Embree's layout.
struct Lane {
    base: *mut f32,
    n: usize,
    i: usize,
}

impl Lane {
    /// # Safety
    /// `base` must hold N lanes of every field read or written.
    unsafe fn get(&self, f: usize) -> f32 {
        // SAFETY: as the caller of `Lane`'s methods promises.
        unsafe { *self.base.add(f * self.n + self.i) }
    }

    /// # Safety
    /// As `get`.
    unsafe fn set(&self, f: usize, v: f32) {
        // SAFETY: as above.
        unsafe { *self.base.add(f * self.n + self.i) = v }
    }

    /// The sphere's nearest hit along this lane's ray, within its interval.
    ///
    /// # Safety
    /// As `get`.
    unsafe fn hit(&self, sphere: &Sphere) -> Option<f32> {
        // SAFETY: as above.
        let v = |f: usize| unsafe { self.get(f) };
        let origin = Vec3::new(v(field::ORG), v(field::ORG + 1), v(field::ORG + 2));
        let dir = Vec3::new(v(field::DIR), v(field::DIR + 1), v(field::DIR + 2));
        let (t, _, _) = sphere.intersect(origin, dir, v(field::TFAR))?;
        (t >= v(field::TNEAR)).then_some(t)
    }
}

/// The valid lanes of a callback's N rays, with the sphere they test.
///
/// # Safety
/// `valid`, `n` and `user` must be what Embree passed to the callback.
unsafe fn lanes<'a>(
    n: u32,
    valid: *const i32,
    base: *mut f32,
    user: *mut c_void,
) -> (&'a Sphere, impl Iterator<Item = Lane>) {
    let n = n as usize;
    // SAFETY: Embree passes N validity flags and the user data set above.
    let live = (0..n).filter(move |&i| unsafe { *valid.add(i) } != 0).map(move |i| Lane { base, n, i });
    (unsafe { &*(user as *const Sphere) }, live)
}

unsafe extern "C" fn intersect(args: *const RTCIntersectFunctionNArguments) {
    // SAFETY: `rayhit` holds N ray-hits in Embree's layout.
    let args = unsafe { &*args };
    let (sphere, live) = unsafe { lanes(args.N, args.valid, args.rayhit as *mut f32, args.geometryUserPtr) };
    let inst = unsafe { (*args.context).instID[0] };
    for lane in live {
        // SAFETY: as above.
        unsafe {
            if let Some(t) = lane.hit(sphere) {
                lane.set(field::TFAR, t);
                lane.set(field::U, 0.0);
                lane.set(field::V, 0.0);
                lane.set(field::PRIM, f32::from_bits(args.primID));
                lane.set(field::GEOM, f32::from_bits(args.geomID));
                lane.set(field::INST, f32::from_bits(inst));
            }
        }
    }
}

unsafe extern "C" fn occluded(args: *const RTCOccludedFunctionNArguments) {
    // SAFETY: `ray` holds N rays in Embree's layout.
    let args = unsafe { &*args };
    let (sphere, live) = unsafe { lanes(args.N, args.valid, args.ray as *mut f32, args.geometryUserPtr) };
    for lane in live {
        // SAFETY: as above.
        unsafe {
            if lane.hit(sphere).is_some() {
                lane.set(field::TFAR, f32::NEG_INFINITY);
            }
        }
    }
}
