//! Chooses a light with probability proportional to its emitted power, so
//! that bright lamps get most of the shadow rays.

use super::Light;
use crate::geometry::Geometry;
use crate::math::Vec3;
use std::f32::consts::PI;

#[derive(Clone, Debug, Default)]
pub struct LightSampler {
    pub lights: Vec<Light>,
    pmf: Vec<f32>,
    cdf: Vec<f32>,
    background: Option<usize>,
}

impl LightSampler {
    /// `scene_radius` sizes the lights at infinity (pbrt's convention).
    pub fn new(lights: Vec<Light>, geometry: &Geometry, scene_radius: f32) -> LightSampler {
        let disk = PI * scene_radius * scene_radius;
        let power: Vec<f32> = lights
            .iter()
            .map(|l| match l {
                Light::Point { intensity, .. } => 4.0 * PI * mean(*intensity),
                Light::Directional { irradiance, .. } => disk * mean(*irradiance),
                Light::Area { object, prim, emission } => PI * geometry.area(*object, *prim) * mean(*emission),
                Light::Background { radiance } => 4.0 * PI * disk * mean(*radiance),
            })
            .map(|p| if p.is_finite() { p.max(0.0) } else { 0.0 })
            .collect();
        let total: f64 = power.iter().map(|&p| p as f64).sum();
        let pmf: Vec<f32> = power.iter().map(|&p| if total > 0.0 { (p as f64 / total) as f32 } else { 0.0 }).collect();
        let mut acc = 0.0f64;
        let cdf = power
            .iter()
            .map(|&p| {
                acc += p as f64;
                (acc / total) as f32
            })
            .collect();
        let background = lights.iter().position(|l| matches!(l, Light::Background { .. }));
        LightSampler { lights, pmf, cdf, background }
    }

    /// A light and the probability of having chosen it.
    #[inline]
    pub fn choose(&self, u: f32) -> Option<(&Light, f32)> {
        let i = self.cdf.partition_point(|&c| c <= u).min(self.lights.len().checked_sub(1)?);
        let pmf = self.pmf[i];
        (pmf > 0.0).then(|| (&self.lights[i], pmf))
    }

    pub fn pmf(&self, index: u32) -> f32 {
        self.pmf[index as usize]
    }

    pub fn background_pmf(&self) -> f32 {
        self.background.map_or(0.0, |i| self.pmf[i])
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
        for i in 0..1000 {
            let (l, _) = s.choose((i as f32 + 0.5) / 1000.0).unwrap();
            let k = s.lights.iter().position(|x| std::ptr::eq(x, l)).unwrap();
            counts[k] += 1;
        }
        assert_eq!(counts, [250, 750, 0]);
    }
}
