//! Lights: point and directional (delta lights), area lights (emissive
//! objects, each choosing its primitives from an exact table by area) and
//! the background (uniform or an environment map); and the choice of one light for next-event
//! estimation (`LightSampler`): by power alone, or by a light BVH that also
//! weighs distance and orientation from the shaded point.
//!
//! ```
//! # use rsrender::{math::{Vec2, Vec3}, scene::Scene};
//! # fn usage(scene: &Scene, p: Vec3, n: Vec3, u: u64, u_prim: u64, u2: Vec2) -> Option<()> {
//! let (light, pmf) = scene.lights.choose(p, n, u)?;
//! let sample = light.sample_li(scene.geometry(), p, u_prim, u2)?;
//! # Some(()) }
//! ```

mod alias;
mod background;
mod bounds;
mod bvh;
mod emitter;
mod envmap;
mod sampler;

pub use background::{Background, Sky};
pub use emitter::{Emitter, Emitters};
pub use envmap::Envmap;
pub use sampler::{LightChoice, LightSampler};

use crate::geometry::{Geometry, SurfacePoint};
use crate::math::{Vec2, Vec3};
use crate::spectrum::Radiance;
use crate::texture::Colours;
use std::sync::Arc;

/// A light whose colours are `S` (RGB or spectral bins).
#[derive(Clone, Debug)]
pub enum Light<S = Vec3> {
    Point {
        position: Vec3,
        intensity: S,
    },
    /// A point light limited to a cone around `direction` (unit), as
    /// Mitsuba's `spot`: full intensity within `cos_beam`, falling linearly
    /// in angle to zero at `cutoff` (radians).
    Spot {
        position: Vec3,
        direction: Vec3,
        intensity: S,
        cos_beam: f32,
        cutoff: f32,
        beam: f32,
    },
    /// `direction` is the way the light travels (unit).
    Directional {
        direction: Vec3,
        irradiance: S,
    },
    /// Every primitive of an emissive object.
    Area {
        object: u32,
        /// The mean where a texture varies it.
        emission: S,
        /// Emission varying over the surface.
        texture: Option<Box<Colours<S>>>,
        emitter: Arc<Emitter>,
    },
    /// The sky: a uniform colour or an environment map.
    Background(Background<S>),
}

/// Light arriving at a point from a sampled light.
#[derive(Clone, Copy, Debug)]
pub struct LightSample<S = Vec3> {
    /// Unit direction from the shading point towards the light.
    pub wi: Vec3,
    /// Distance to the light along `wi` (infinite for lights at infinity).
    pub dist: f32,
    pub radiance: S,
    /// Solid-angle density (1 for delta lights), given this light.
    pub pdf: f32,
    pub delta: bool,
}

impl<S: Radiance> Light<S> {
    /// Samples light arriving at `p`: `u_prim` chooses an area light's
    /// primitive, `u` the point on it. `None` when nothing can arrive.
    pub fn sample_li(&self, geometry: &Geometry, p: Vec3, u_prim: u64, u: Vec2) -> Option<LightSample<S>> {
        match self {
            &Light::Point { position, intensity } => {
                let to = position - p;
                let d2 = to.length_squared();
                let dist = d2.sqrt();
                (dist > 0.0).then(|| LightSample {
                    wi: to / dist,
                    dist,
                    radiance: intensity / d2,
                    pdf: 1.0,
                    delta: true,
                })
            }
            &Light::Spot { position, direction, intensity, cos_beam, cutoff, beam } => {
                let to = position - p;
                let d2 = to.length_squared();
                let dist = d2.sqrt();
                let falloff = spot_falloff(-to / dist, direction, cos_beam, cutoff, beam);
                (dist > 0.0 && falloff > 0.0).then(|| LightSample {
                    wi: to / dist,
                    dist,
                    radiance: intensity * (falloff / d2),
                    pdf: 1.0,
                    delta: true,
                })
            }
            &Light::Directional { direction, irradiance } => {
                Some(LightSample { wi: -direction, dist: f32::INFINITY, radiance: irradiance, pdf: 1.0, delta: true })
            }
            Light::Area { object, emission, texture, emitter } => {
                let (prim, pmf) = emitter.prims.sample(u_prim)?;
                let (sp, pdf) = match &emitter.world_triangles {
                    Some(kept) => kept[prim].sample_toward(p, u)?,
                    None => geometry.sample_toward(*object, prim as u32, p, u)?,
                };
                let to = sp.p - p;
                let dist = to.length();
                let radiance = match texture {
                    None => *emission,
                    Some(t) => textured(t, geometry, *object, prim as u32, sp.p),
                };
                Some(LightSample { wi: to / dist, dist, radiance, pdf: pmf * pdf, delta: false })
            }
            Light::Background(background) => {
                let (wi, radiance, pdf) = background.sample(u)?;
                Some(LightSample { wi, dist: f32::INFINITY, radiance, pdf, delta: false })
            }
        }
    }

    /// True for lights that a path can never hit (points, spots, directions).
    pub fn is_delta(&self) -> bool {
        matches!(self, Light::Point { .. } | Light::Spot { .. } | Light::Directional { .. })
    }

    /// Solid-angle density with which `sample_li` from `p` picks the point
    /// `sp` of primitive `prim` of this area light, reached along `wi`
    /// (zero for other lights).
    pub fn pdf_li(&self, geometry: &Geometry, prim: u32, p: Vec3, sp: &SurfacePoint, wi: Vec3) -> f32 {
        match self {
            Light::Area { object, emitter, .. } => {
                let pdf = match &emitter.world_triangles {
                    Some(kept) => kept[prim as usize].pdf_toward(p, sp, wi),
                    None => geometry.pdf_toward(*object, prim, p, sp, wi),
                };
                emitter.prims.pmf(prim as usize) * pdf
            }
            _ => 0.0,
        }
    }
}

/// A textured emitter's radiance at a sampled point.
#[inline(never)]
fn textured<S: Radiance>(t: &Colours<S>, geometry: &Geometry, object: u32, prim: u32, p: Vec3) -> S {
    t.eval(geometry.uv_at_point(object, prim, p).unwrap_or(Vec2::ZERO))
}

/// Mitsuba's `spot` falloff for light leaving along `out` (unit): 1 within
/// the beam, linear in angle down to 0 at the cutoff.
pub fn spot_falloff(out: Vec3, axis: Vec3, cos_beam: f32, cutoff: f32, beam: f32) -> f32 {
    let cos = out.dot(axis);
    if cos >= cos_beam {
        return 1.0;
    }
    let angle = cos.clamp(-1.0, 1.0).acos();
    if angle >= cutoff || cutoff <= beam {
        0.0
    } else {
        (cutoff - angle) / (cutoff - beam)
    }
}
