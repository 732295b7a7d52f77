//! The acceleration structure over every primitive of the scene: a binned-SAH
//! bounding volume hierarchy, built deterministically (the same tree for the
//! same scene, whatever the thread count) and traversed front to back.
//!
//! Usage: `let (bvh, _order) = Bvh::build(shapes); bvh.intersect(&ray); bvh.occluded(&ray);`

mod build;
mod traverse;

pub use build::Bvh;
