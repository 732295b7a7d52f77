//! Rough plastic, as Mitsuba 3's `roughplastic` (GGX, visible normals,
//! `nonlinear = false`): a GGX-rough dielectric coating over a diffuse base.
//! The coating reflects D·G·F/(4 cos θo cos θi); the base's light enters
//! and leaves through the rough interface, weighted by its transmittance
//! T(θ) on each side, and the light the interface sends back down (its
//! cosine-weighted internal reflectance) is accounted for as a geometric
//! series. Both interface terms are tabulated once per material from the
//! rough-dielectric BSDF itself. Front side only.

use super::dielectric::fresnel;
use super::ggx::{ggx_d, reflect, sample_visible_normal, smith_g, visible_normal_pdf};
use super::{rough_dielectric, BsdfSample};
use crate::math::{sampling, Vec2, Vec3};
use crate::sampler::SampleStream;
use crate::spectrum::Radiance;
use std::f32::consts::FRAC_1_PI;

/// Cosines at which the interface's transmittance is tabulated (Mitsuba's
/// `MI_ROUGH_TRANSMITTANCE_RES`).
const RESOLUTION: usize = 64;
/// Samples per table entry (importance sampled: the estimates are smooth).
const TABLE_SAMPLES: u64 = 4096;

#[derive(Clone, Debug)]
pub struct RoughPlastic<S> {
    eta: f32,
    alpha: f32,
    /// The base's reflectance / (1 − internal reflectance) / η² / π.
    scaled: S,
    /// `scaled` over the base's reflectance.
    base_scale: f32,
    specular_weight: f32,
    /// Transmittance of the interface from outside, at cos θ = i / 63.
    transmittance: [f32; RESOLUTION],
}

impl<S: Radiance> RoughPlastic<S> {
    pub fn new(reflectance: S, eta: f32, alpha: f32) -> RoughPlastic<S> {
        let mu = |i: usize| (i as f32 / (RESOLUTION - 1) as f32).max(1e-6);
        let transmittance = std::array::from_fn(|i| interface(eta, alpha, mu(i)).1);
        let internal = 2.0 * (0..RESOLUTION).map(|i| interface(1.0 / eta, alpha, mu(i)).0 * mu(i)).sum::<f32>()
            / RESOLUTION as f32;
        let base_scale = FRAC_1_PI / ((1.0 - internal) * eta * eta);
        let specular_weight = 1.0 / (reflectance.mean() + 1.0);
        RoughPlastic { eta, alpha, scaled: reflectance * base_scale, base_scale, specular_weight, transmittance }
    }

    /// The same coating (its tables kept) over a base of another reflectance.
    pub fn with_reflectance(&self, reflectance: S) -> RoughPlastic<S> {
        let specular_weight = 1.0 / (reflectance.mean() + 1.0);
        RoughPlastic { scaled: reflectance * self.base_scale, specular_weight, ..self.clone() }
    }

    fn t(&self, cos: f32) -> f32 {
        let x = cos.clamp(0.0, 1.0) * (RESOLUTION - 1) as f32;
        let i = (x as usize).min(RESOLUTION - 2);
        let w = x - i as f32;
        self.transmittance[i] * (1.0 - w) + self.transmittance[i + 1] * w
    }

    fn prob_specular(&self, cos_o: f32) -> f32 {
        let t = self.t(cos_o);
        let s = (1.0 - t) * self.specular_weight;
        let d = t * (1.0 - self.specular_weight);
        s / (s + d)
    }

    /// f · cos θi, both lobes.
    pub fn eval(&self, wo: Vec3, wi: Vec3) -> S {
        if wo.z <= 0.0 || wi.z <= 0.0 {
            return S::ZERO;
        }
        let h = (wo + wi).normalize();
        let specular = ggx_d(h, self.alpha) * smith_g(wo, wi, self.alpha) * fresnel(wo.dot(h), self.eta) / (4.0 * wo.z);
        self.scaled * (wi.z * self.t(wo.z) * self.t(wi.z)) + S::splat(specular)
    }

    pub fn pdf(&self, wo: Vec3, wi: Vec3) -> f32 {
        if wo.z <= 0.0 || wi.z <= 0.0 {
            return 0.0;
        }
        let p = self.prob_specular(wo.z);
        let h = (wo + wi).normalize();
        p * visible_normal_pdf(wo, h, self.alpha) / (4.0 * wo.dot(h)) + (1.0 - p) * wi.z * FRAC_1_PI
    }

    pub fn sample(&self, wo: Vec3, u_lobe: f32, u: Vec2) -> Option<BsdfSample<S>> {
        if wo.z <= 0.0 {
            return None;
        }
        let wi = if u_lobe < self.prob_specular(wo.z) {
            reflect(wo, sample_visible_normal(wo, self.alpha, u))
        } else {
            sampling::cosine_hemisphere(u)
        };
        let pdf = self.pdf(wo, wi);
        (wi.z > 0.0 && pdf > 0.0).then(|| BsdfSample {
            wi,
            weight: self.eval(wo, wi) / pdf,
            pdf,
            delta: false,
            eta_squared: 1.0,
            hero: None,
        })
    }
}

/// The reflectance and transmittance (energy, without radiance scaling) of
/// a rough dielectric interface of relative index `eta` lit at `cos`.
fn interface(eta: f32, alpha: f32, cos: f32) -> (f32, f32) {
    let wo = Vec3::new((1.0 - cos * cos).max(0.0).sqrt(), 0.0, cos);
    let (mut r, mut t) = (0.0f64, 0.0f64);
    for k in 0..TABLE_SAMPLES {
        let mut s = SampleStream::new(0x7ab1e, (cos.to_bits() as u64) << 1 | (eta > 1.0) as u64, k);
        if let Some(bs) = rough_dielectric::sample(eta, Vec3::ONE, alpha, wo, s.next_1d(), s.next_2d()) {
            let energy = (bs.weight.x * bs.eta_squared) as f64;
            if bs.wi.z > 0.0 {
                r += energy;
            } else {
                t += energy;
            }
        }
    }
    ((r / TABLE_SAMPLES as f64) as f32, (t / TABLE_SAMPLES as f64) as f32)
}
