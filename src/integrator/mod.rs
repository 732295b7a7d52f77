//! Integrators: what radiance a camera ray carries back. `path` is the
//! physically based one; `whitted` is the classic recursive ray tracer;
//! `normals` and `albedo` are debug views.
//!
//! ```
//! # use rsrender::{integrator, math::Ray, sampler::SampleStream, scene::Scene, settings::Settings};
//! # fn usage(scene: &Scene, settings: &Settings, ray: Ray, stream: &mut SampleStream) {
//! let l = integrator::radiance(scene, settings, ray, stream);
//! # }
//! ```

mod debug;

pub use debug::{first_hit_albedo, first_hit_normal};
mod path;
mod whitted;

use crate::math::Ray;
use crate::sampler::SampleStream;
use crate::scene::desc::IntegratorKind;
use crate::scene::Scene;
use crate::settings::Settings;
use crate::spectrum::Radiance;

/// Radiance along `ray`, RGB or one group of spectral bins.
#[inline]
pub fn radiance<S: Radiance>(scene: &Scene<S>, settings: &Settings, ray: Ray, stream: &mut SampleStream) -> S {
    match settings.integrator {
        IntegratorKind::Path => {
            path::li(scene, ray, stream, (settings.max_depth, settings.rr_depth), settings.strategy)
        }
        IntegratorKind::Whitted => whitted::li(scene, &ray, 1, settings.max_depth, S::ONE),
        IntegratorKind::Normals => S::from_rgb_only(debug::normal_view(scene, &ray)),
        IntegratorKind::Albedo => S::from_rgb_only(debug::first_hit_albedo(scene, &ray)),
    }
}
