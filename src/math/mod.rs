//! Vector math: glam's `Vec3` re-exported, plus rays, boxes, affine transforms,
//! orthonormal frames and the warps that turn uniform numbers into directions.
//!
//! ```
//! use rsrender::math::{Frame, Ray, Transform, Vec3};
//! let t = Transform::from_srt(Vec3::splat(2.0), Vec3::ZERO, Vec3::X).unwrap();
//! let ray = Ray::new(t.point(Vec3::ZERO), Vec3::Z);
//! let local = Frame::from_normal(Vec3::Z).to_local(ray.dir);
//! ```

mod aabb;
mod cone;
pub mod distribution;
mod frame;
mod ray;
pub mod sampling;
mod set_lanes;
mod transform;
pub mod trig;

pub use aabb::Aabb;
pub use cone::Cone;
pub use frame::Frame;
pub use glam::{Mat3, Mat4, Vec2, Vec3};
pub use ray::Ray;
pub use set_lanes::SetLanes;
pub use transform::Transform;

/// Largest component of a vector: used for throughput tests and Russian roulette.
#[inline]
pub fn max_component(v: Vec3) -> f32 {
    v.x.max(v.y).max(v.z)
}

/// Rec. 709 luminance of a linear RGB colour.
#[inline]
pub fn luminance(c: Vec3) -> f32 {
    0.2126 * c.x + 0.7152 * c.y + 0.0722 * c.z
}

/// How far a ray's ends keep off the surfaces they touch at `p`: relative
/// to the coordinates' magnitude (float spacing grows with it), not to the
/// ray's length.
#[inline]
fn surface_margin(p: Vec3) -> f32 {
    1e-4 * (1.0 + p.abs().max_element())
}

/// Moves a ray origin off a surface along its geometric normal, on the side
/// the new ray leaves towards, so that it does not hit the surface it starts on.
#[inline]
pub fn offset_origin(p: Vec3, n: Vec3, dir: Vec3) -> Vec3 {
    let scale = surface_margin(p);
    if n.dot(dir) >= 0.0 {
        p + n * scale
    } else {
        p - n * scale
    }
}

/// The shadow ray from `origin` (already off its surface) towards a light,
/// `dist` away along `wi` from the shaded point (infinite for directional
/// light). It stops short of the light's point by `surface_margin` there, so
/// the light's own surface does not block it yet an occluder just in front
/// of the light does, at any distance.
#[inline]
pub fn shadow_ray(origin: Vec3, shaded: Vec3, wi: Vec3, dist: f32) -> Ray {
    if !dist.is_finite() {
        return Ray::segment(origin, wi, f32::INFINITY);
    }
    let target = shaded + wi * dist;
    let to = target - origin;
    let length = to.length();
    Ray::segment(origin, to / length, (length - surface_margin(target)).max(0.0))
}
