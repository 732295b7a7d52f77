//! Lights: point and directional (delta lights), area lights (emissive
//! primitives) and the uniform background, plus the power-proportional choice
//! of one light for next-event estimation.
//!
//! Usage: `let (light, pmf) = lights.choose(u)?; let s = light.sample_li(scene.geometry(), p, u2);`

mod alias;
mod power;

pub use power::LightSampler;

use crate::geometry::{Geometry, SurfacePoint};
use crate::math::{sampling, Vec2, Vec3};

#[derive(Clone, Debug)]
pub enum Light {
    Point {
        position: Vec3,
        intensity: Vec3,
    },
    /// `direction` is the way the light travels (unit).
    Directional {
        direction: Vec3,
        irradiance: Vec3,
    },
    /// An emissive primitive: primitive `prim` of object `object`.
    Area {
        object: u32,
        prim: u32,
        emission: Vec3,
    },
    Background {
        radiance: Vec3,
    },
}

/// Light arriving at a point from a sampled light.
#[derive(Clone, Copy, Debug)]
pub struct LightSample {
    /// Unit direction from the shading point towards the light.
    pub wi: Vec3,
    /// Distance to the light along `wi` (infinite for lights at infinity).
    pub dist: f32,
    pub radiance: Vec3,
    /// Solid-angle density (1 for delta lights).
    pub pdf: f32,
    pub delta: bool,
}

impl Light {
    /// Samples light arriving at `p`; `None` when nothing can arrive.
    pub fn sample_li(&self, geometry: &Geometry, p: Vec3, u: Vec2) -> Option<LightSample> {
        match *self {
            Light::Point { position, intensity } => {
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
            Light::Directional { direction, irradiance } => {
                Some(LightSample { wi: -direction, dist: f32::INFINITY, radiance: irradiance, pdf: 1.0, delta: true })
            }
            Light::Area { object, prim, emission } => {
                let (sp, pdf_area) = geometry.sample_area(object, prim, u);
                let to = sp.p - p;
                let d2 = to.length_squared();
                let dist = d2.sqrt();
                let wi = to / dist;
                let cos_light = sp.n.dot(-wi);
                if cos_light <= 0.0 || pdf_area <= 0.0 || dist == 0.0 {
                    return None;
                }
                let pdf = pdf_area * d2 / cos_light;
                pdf.is_finite().then_some(LightSample { wi, dist, radiance: emission, pdf, delta: false })
            }
            Light::Background { radiance } => Some(LightSample {
                wi: sampling::uniform_sphere(u),
                dist: f32::INFINITY,
                radiance,
                pdf: sampling::UNIFORM_SPHERE_PDF,
                delta: false,
            }),
        }
    }

    /// Solid-angle density with which `sample_li` from `p` picks the point
    /// `sp` of primitive `prim` of `object`, an area light, reached along `wi`.
    pub fn pdf_area_li(geometry: &Geometry, object: u32, prim: u32, p: Vec3, sp: &SurfacePoint, wi: Vec3) -> f32 {
        let cos_light = sp.n.dot(-wi);
        if cos_light <= 0.0 {
            return 0.0;
        }
        geometry.pdf_area(object, prim, sp) * (sp.p - p).length_squared() / cos_light
    }
}
