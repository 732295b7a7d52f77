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
//! ```
//! # use rsrender::{accel::Accel, geometry::Geometry, math::Ray};
//! # use std::sync::Arc;
//! # fn usage(geometry: Geometry, ray: Ray, threads: usize) -> anyhow::Result<()> {
//! let accel = Accel::build(Arc::new(geometry), threads)?;
//! let hit = accel.intersect(&ray);
//! let blocked = accel.occluded(&ray);
//! # Ok(()) }
//! ```

mod build;
mod device;
pub mod isa;
mod log;
mod query;
mod spheres;

pub use build::Accel;
#[cfg(feature = "ray-log")]
pub use log::RayLog;
pub use query::{RayLanes, PACKET};
