//! Geometric primitives in world space: triangles (rectangles and cubes are
//! tessellated into them) and spheres (kept in object space, so any affine
//! transform, even a non-uniform scale, is exact).
//!
//! Usage: `let hit = prim.intersect(&ray)?; let si = scene.interaction(&ray, &hit);`

pub mod mesh;
pub mod shapes;
mod sphere;
mod triangle;

pub use shapes::{cube_triangles, rectangle_triangles};
pub use sphere::Sphere;
pub use triangle::Triangle;

use crate::math::{Aabb, Vec3};

/// Which primitive a ray hit, where along the ray, and the primitive's own
/// surface coordinates (barycentrics for triangles).
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    pub t: f32,
    pub prim: u32,
    pub u: f32,
    pub v: f32,
}

/// A geometric primitive with the material and light it belongs to.
#[derive(Clone, Debug)]
pub enum Shape {
    Triangle(Triangle),
    Sphere(Box<Sphere>),
}

/// What a renderer needs to know about a point on a surface.
#[derive(Clone, Copy, Debug)]
pub struct SurfacePoint {
    pub p: Vec3,
    /// Geometric normal, outward facing (the side that emits).
    pub n: Vec3,
}

impl Shape {
    pub fn bounds(&self) -> Aabb {
        match self {
            Shape::Triangle(t) => t.bounds(),
            Shape::Sphere(s) => s.bounds(),
        }
    }

    /// Distance and surface coordinates of the nearest hit in (0, t_max).
    #[inline]
    pub fn intersect(&self, origin: Vec3, dir: Vec3, t_max: f32) -> Option<(f32, f32, f32)> {
        match self {
            Shape::Triangle(t) => t.intersect(origin, dir, t_max),
            Shape::Sphere(s) => s.intersect(origin, dir, t_max),
        }
    }

    pub fn surface_point(&self, origin: Vec3, dir: Vec3, hit: &Hit) -> SurfacePoint {
        match self {
            Shape::Triangle(t) => SurfacePoint { p: t.point(hit.u, hit.v), n: t.normal },
            Shape::Sphere(s) => s.surface_point(origin + dir * hit.t),
        }
    }

    pub fn area(&self) -> f32 {
        match self {
            Shape::Triangle(t) => t.area(),
            Shape::Sphere(s) => s.area(),
        }
    }

    /// A point sampled on the surface and its density with respect to area.
    pub fn sample_area(&self, u: crate::math::Vec2) -> (SurfacePoint, f32) {
        match self {
            Shape::Triangle(t) => (t.sample(u), 1.0 / t.area()),
            Shape::Sphere(s) => s.sample(u),
        }
    }

    /// The density `sample_area` gives to a point on this surface.
    pub fn pdf_area(&self, sp: &SurfacePoint) -> f32 {
        match self {
            Shape::Triangle(t) => 1.0 / t.area(),
            Shape::Sphere(s) => s.pdf_area(sp),
        }
    }
}
