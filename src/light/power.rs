//! Chooses a light with probability proportional to its emitted power, so
//! that bright lamps get most of the shadow rays; the choice is an alias
//! table whose probabilities are exactly those that MIS weighs with.

use super::alias::AliasTable;
use super::Light;
use crate::geometry::Geometry;
use crate::math::Vec3;
use std::f32::consts::PI;

#[derive(Clone, Debug, Default)]
pub struct LightSampler {
    pub lights: Vec<Light>,
    table: AliasTable,
    background: Option<usize>,
}

impl LightSampler {
    /// `scene_radius` sizes the lights at infinity (pbrt's convention).
    pub fn new(lights: Vec<Light>, geometry: &Geometry, scene_radius: f32) -> LightSampler {
        let disk = PI * scene_radius * scene_radius;
        let power: Vec<f64> = lights
            .iter()
            .map(|l| match l {
                Light::Point { intensity, .. } => 4.0 * PI * mean(*intensity),
                Light::Directional { irradiance, .. } => disk * mean(*irradiance),
                Light::Area { object, prim, emission } => PI * geometry.area(*object, *prim) * mean(*emission),
                Light::Background { radiance } => 4.0 * PI * disk * mean(*radiance),
            } as f64)
            .collect();
        let background = lights.iter().position(|l| matches!(l, Light::Background { .. }));
        LightSampler { lights, table: AliasTable::new(&power), background }
    }

    /// A light and the probability of having chosen it, from a 64-bit uniform.
    #[inline]
    pub fn choose(&self, u: u64) -> Option<(&Light, f32)> {
        self.table.sample(u).map(|(i, pmf)| (&self.lights[i], pmf))
    }

    pub fn pmf(&self, index: u32) -> f32 {
        self.table.pmf(index as usize)
    }

    pub fn background_pmf(&self) -> f32 {
        self.background.map_or(0.0, |i| self.table.pmf(i))
    }
}

fn mean(c: Vec3) -> f32 {
    (c.x + c.y + c.z) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_follows_power() {
        let lights = vec![
            Light::Point { position: Vec3::ZERO, intensity: Vec3::splat(1.0) },
            Light::Point { position: Vec3::ZERO, intensity: Vec3::splat(3.0) },
            Light::Point { position: Vec3::ZERO, intensity: Vec3::ZERO },
        ];
        let s = LightSampler::new(lights, &Geometry::default(), 1.0);
        assert!((s.pmf(0) - 0.25).abs() < 1e-6 && (s.pmf(1) - 0.75).abs() < 1e-6);
        let mut counts = [0; 3];
        for i in 0..1000u64 {
            let (l, _) = s.choose(crate::hash::mix64(i)).unwrap();
            let k = s.lights.iter().position(|x| std::ptr::eq(x, l)).unwrap();
            counts[k] += 1;
        }
        assert_eq!(counts[2], 0);
        assert!((counts[0] - 250i32).abs() < 50, "{counts:?}");
    }
}
