//! Which light a shadow ray goes to. `Power`: probability proportional to
//! emitted power, the same everywhere (an alias table, exact). `Bvh`: the
//! light BVH, which also weighs distance and orientation, so that lamps
//! facing away from the shaded point, or far from it, get few shadow rays
//! or none. Either way the probability used in MIS is the one realised.

use super::alias::AliasTable;
use super::bounds::LightBounds;
use super::bvh::LightBvh;
use super::emitter::{placed, Placed};
use super::Light;
use crate::geometry::Geometry;
use crate::math::{Aabb, Cone, Vec3};
use crate::spectrum::Radiance;
use std::f32::consts::PI;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LightChoice {
    #[default]
    Bvh,
    Power,
}

#[derive(Clone, Debug)]
enum Chooser {
    Power(AliasTable),
    Bvh(LightBvh),
}

#[derive(Clone, Debug)]
pub struct LightSampler<S = Vec3> {
    pub lights: Vec<Light<S>>,
    chooser: Chooser,
    background: Option<usize>,
}

impl<S: Radiance> LightSampler<S> {
    /// `scene_radius` sizes the lights at infinity (pbrt's convention).
    pub fn new(lights: Vec<Light<S>>, geometry: &Geometry, scene_radius: f32, choice: LightChoice) -> LightSampler<S> {
        // Each area light as placed in the world, computed once for both uses.
        let placed: Vec<Option<Placed>> = lights
            .iter()
            .map(|l| match l {
                Light::Area { object, emitter, .. } => Some(placed(geometry, *object, emitter)),
                _ => None,
            })
            .collect();
        let power: Vec<f64> = lights.iter().zip(&placed).map(|(l, p)| power(l, p.as_ref(), scene_radius)).collect();
        let chooser = match choice {
            LightChoice::Power => Chooser::Power(AliasTable::new(&power)),
            LightChoice::Bvh => {
                let bounds: Vec<Option<LightBounds>> = lights
                    .iter()
                    .zip(&placed)
                    .zip(&power)
                    .map(|((l, p), &phi)| light_bounds(l, p.as_ref(), phi as f32))
                    .collect();
                Chooser::Bvh(LightBvh::new(&bounds))
            }
        };
        let background = lights.iter().position(|l| matches!(l, Light::Background(_)));
        LightSampler { lights, chooser, background }
    }

    /// A light for the point `p` with geometric normal `n`, and the
    /// probability of having chosen it, from 64 uniform bits.
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn choose(&self, p: Vec3, n: Vec3, u: u64) -> Option<(&Light<S>, f32)> {
        let (index, pmf) = match &self.chooser {
            Chooser::Power(table) => table.sample(u).map(|(i, pmf)| (i, pmf as f64))?,
            Chooser::Bvh(bvh) => {
                let (i, pmf) = bvh.sample(p, n, (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64))?;
                (i as usize, pmf)
            }
        };
        (pmf > 0.0).then(|| (&self.lights[index], pmf as f32))
    }

    /// The probability that `choose` at `p`, `n` gives light `index`.
    pub fn pmf(&self, p: Vec3, n: Vec3, index: u32) -> f32 {
        match &self.chooser {
            Chooser::Power(table) => table.pmf(index as usize),
            Chooser::Bvh(bvh) => bvh.pmf(p, n, index) as f32,
        }
    }

    pub fn background_pmf(&self, p: Vec3, n: Vec3) -> f32 {
        self.background.map_or(0.0, |i| self.pmf(p, n, i as u32))
    }
}

/// Emitted power in watts-like units (it only weighs lights); `placed` is
/// an area light's emitter as placed in the world.
fn power<S: Radiance>(light: &Light<S>, placed: Option<&Placed>, scene_radius: f32) -> f64 {
    let disk = PI * scene_radius * scene_radius;
    let p = match (light, placed) {
        (Light::Point { intensity, .. }, _) => 4.0 * PI * intensity.mean(),
        // pbrt-v4's estimate: full intensity over the beam, half over the falloff.
        (Light::Spot { intensity, cos_beam, cutoff, .. }, _) => {
            2.0 * PI * intensity.mean() * ((1.0 - cos_beam) + (cos_beam - cutoff.cos()) * 0.5)
        }
        (Light::Directional { irradiance, .. }, _) => disk * irradiance.mean(),
        (Light::Area { emission, .. }, Some(placed)) => PI * placed.area as f32 * emission.mean(),
        (Light::Area { .. }, None) => 0.0,
        (Light::Background(background), _) => 4.0 * PI * disk * background.mean(),
    };
    p as f64
}

/// What the BVH bounds of a light; `None` for lights at infinity.
fn light_bounds<S>(light: &Light<S>, placed: Option<&Placed>, phi: f32) -> Option<LightBounds> {
    match (light, placed) {
        (Light::Point { position, .. }, _) => Some(LightBounds {
            bounds: Aabb { min: *position, max: *position },
            phi,
            normals: Cone::SPHERE,
            cos_theta_e: 0.0,
        }),
        (Light::Spot { position, direction, cos_beam, cutoff, beam, .. }, _) => Some(LightBounds {
            bounds: Aabb { min: *position, max: *position },
            phi,
            normals: Cone { axis: *direction, cos_theta: *cos_beam },
            cos_theta_e: (cutoff - beam).cos(),
        }),
        (Light::Area { .. }, Some(placed)) => {
            Some(LightBounds { bounds: placed.bounds, phi, normals: placed.normals, cos_theta_e: 0.0 })
        }
        (Light::Area { .. }, None) | (Light::Directional { .. }, _) | (Light::Background(_), _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_choice_follows_power() {
        let lights = vec![
            Light::Point { position: Vec3::ZERO, intensity: Vec3::splat(1.0) },
            Light::Point { position: Vec3::ZERO, intensity: Vec3::splat(3.0) },
            Light::Point { position: Vec3::ZERO, intensity: Vec3::ZERO },
        ];
        let s = LightSampler::new(lights, &Geometry::default(), 1.0, LightChoice::Power);
        let (p, n) = (Vec3::ONE, Vec3::ZERO);
        assert!((s.pmf(p, n, 0) - 0.25).abs() < 1e-6 && (s.pmf(p, n, 1) - 0.75).abs() < 1e-6);
        let mut counts = [0; 3];
        for i in 0..1000u64 {
            let (l, _) = s.choose(p, n, crate::hash::mix64(i)).unwrap();
            let k = s.lights.iter().position(|x| std::ptr::eq(x, l)).unwrap();
            counts[k] += 1;
        }
        assert_eq!(counts[2], 0);
        assert!((counts[0] - 250i32).abs() < 50, "{counts:?}");
    }
}
