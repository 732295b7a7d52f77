//! Geometry: spheres (kept in object space, so any affine transform, even a
//! non-uniform scale, is exact), triangles (rectangles and cubes are
//! tessellated into them), meshes and their instances, gathered per scene in
//! `Geometry`.
//!
//! ```
//! # use rsrender::{geometry::{Geometry, Hit}, math::Ray};
//! # fn usage(geometry: &Geometry, hit: &Hit, ray: &Ray) {
//! let (point, shading_normal) = geometry.surface(hit, ray);
//! # }
//! ```

pub mod mesh;
mod object;
pub mod shapes;
mod sphere;
mod toward;
mod triangle;
mod trimesh;

pub use object::{Geometry, Instance, Object};
pub use shapes::{cube_triangles, rectangle_triangles};
pub use sphere::Sphere;
pub use triangle::Triangle;
pub use trimesh::TriMesh;

use crate::math::Vec3;

/// Which surface a ray hit: the object (one per `[[shapes]]` entry), the
/// primitive inside it, where along the ray, and the primitive's barycentric
/// coordinates (zero for spheres).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub t: f32,
    pub object: u32,
    pub prim: u32,
    pub u: f32,
    pub v: f32,
}

/// What a renderer needs to know about a point on a surface.
#[derive(Clone, Copy, Debug)]
pub struct SurfacePoint {
    pub p: Vec3,
    /// Geometric normal, outward facing (the side that emits).
    pub n: Vec3,
}
