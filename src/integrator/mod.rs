//! Integrators: what radiance a camera ray carries back. `path` is the
//! physically based one; `whitted` is the classic recursive ray tracer;
//! `normals` and `albedo` are debug views.
//!
//! ```
//! # use rsrender::{integrator::{self, Primary}, math::Ray, sampler::SampleStream, scene::Scene, settings::Settings};
//! # fn usage(scene: &Scene, settings: &Settings, ray: Ray, stream: &mut SampleStream) {
//! let l = integrator::radiance(scene, settings, &Primary { ray, hit: scene.intersect(&ray) }, stream);
//! # }
//! ```

mod debug;

pub use debug::{first_hit_albedo, first_hit_normal};
mod lanes;
pub mod packet;
mod path;
mod radiance_lanes;
mod whitted;

use crate::math::Ray;
use crate::sampler::SampleStream;
use crate::scene::desc::IntegratorKind;
use crate::scene::{Interaction, Scene};
use crate::settings::Settings;
use crate::spectrum::Radiance;

/// A camera ray with its nearest hit, traced ahead: a pixel's camera rays
/// are traced together (`Scene::intersect_coherent`).
#[derive(Clone, Copy, Debug)]
pub struct Primary {
    pub ray: Ray,
    pub hit: Option<Interaction>,
}

/// Radiance along a camera ray, RGB or one group of spectral bins.
#[inline]
pub fn radiance<S: Radiance>(scene: &Scene<S>, settings: &Settings, primary: &Primary, stream: &mut SampleStream) -> S {
    match settings.integrator {
        IntegratorKind::Path => {
            path::li(scene, primary, stream, (settings.max_depth, settings.rr_depth), settings.strategy)
        }
        IntegratorKind::Whitted => whitted::shade(scene, &primary.ray, primary.hit, 1, settings.max_depth, S::ONE),
        IntegratorKind::Normals => S::from_rgb_only(debug::normal_view(primary.hit)),
        IntegratorKind::Albedo => S::from_rgb_only(debug::first_hit_albedo(scene, primary.hit)),
    }
}
