//! The acceleration structure over every object of a scene: a two-level BVH
//! built and traversed by Intel Embree (Debian's `libembree-dev`, through the
//! `embree` crate's raw bindings). Each mesh gets its own BVH, shared by all
//! of its instances; the top level holds the instances, the flat triangles of
//! rectangles, cubes and single triangles, and the spheres (exact, through
//! our own intersection code as user geometry). Vertex and index buffers are
//! shared with `Geometry`, never copied.
//!
//! Embree's SAH builder runs in parallel on `threads` threads and is
//! deterministic at the default (medium) build quality: the same scene gives
//! the same tree, and so the same image, for any thread count.
//!
//! Usage: `let accel = Accel::build(Arc::new(geometry), threads)?; accel.intersect(&ray); accel.occluded(&ray);`

mod build;
mod device;
pub mod isa;
mod query;
mod spheres;

pub use build::Accel;
