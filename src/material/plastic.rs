//! Smooth plastic, as Mitsuba 3's `plastic` with `nonlinear = false`: a
//! diffuse base under a smooth dielectric coating. The coating reflects the
//! Fresnel share F(θi) as a mirror; the rest enters, scatters diffusely,
//! and leaves with (1 − F(θi))(1 − F(θo))/η², the base's reflectance
//! divided by 1 − F_dr (light the coating reflects back inside, the
//! diffuse Fresnel reflectance of d'Eon and Irving's fit). Front side only.

use super::dielectric::fresnel;
use super::BsdfSample;
use crate::math::{sampling, Vec2, Vec3};
use crate::spectrum::Radiance;

#[derive(Clone, Debug)]
pub struct Plastic<S> {
    pub reflectance: S,
    pub eta: f32,
    /// The base's reflectance divided by 1 − F_dr(1/η), over η².
    scaled: S,
    /// Share of the mean reflectance that is specular (Mitsuba's
    /// `specular_sampling_weight`).
    specular_weight: f32,
}

impl<S: Radiance> Plastic<S> {
    pub fn new(reflectance: S, eta: f32) -> Plastic<S> {
        let fdr = diffuse_fresnel(1.0 / eta);
        let scaled = reflectance * (1.0 / ((1.0 - fdr) * eta * eta));
        let specular_weight = 1.0 / (reflectance.mean() + 1.0);
        Plastic { reflectance, eta, scaled, specular_weight }
    }

    fn prob_specular(&self, f_i: f32) -> f32 {
        let s = f_i * self.specular_weight;
        let d = (1.0 - f_i) * (1.0 - self.specular_weight);
        s / (s + d)
    }

    pub fn sample(&self, wo: Vec3, u_lobe: f32, u: Vec2) -> Option<BsdfSample<S>> {
        if wo.z <= 0.0 {
            return None;
        }
        let f_i = fresnel(wo.z, self.eta);
        let p = self.prob_specular(f_i);
        if u_lobe < p {
            let wi = Vec3::new(-wo.x, -wo.y, wo.z);
            return Some(BsdfSample {
                wi,
                weight: S::splat(f_i / p),
                pdf: p,
                delta: true,
                eta_squared: 1.0,
                hero: None,
            });
        }
        let wi = sampling::cosine_hemisphere(u);
        let pdf = (1.0 - p) * sampling::cosine_hemisphere_pdf(wi.z);
        let weight = self.scaled * ((1.0 - f_i) * (1.0 - fresnel(wi.z, self.eta)) / (1.0 - p));
        (pdf > 0.0).then_some(BsdfSample { wi, weight, pdf, delta: false, eta_squared: 1.0, hero: None })
    }

    /// f · cos θi of the diffuse part (the mirror part is a delta).
    pub fn eval(&self, wo: Vec3, wi: Vec3) -> S {
        if wo.z <= 0.0 || wi.z <= 0.0 {
            return S::ZERO;
        }
        let f = (1.0 - fresnel(wo.z, self.eta)) * (1.0 - fresnel(wi.z, self.eta));
        self.scaled * (f * sampling::cosine_hemisphere_pdf(wi.z))
    }

    pub fn pdf(&self, wo: Vec3, wi: Vec3) -> f32 {
        if wo.z <= 0.0 || wi.z <= 0.0 {
            return 0.0;
        }
        (1.0 - self.prob_specular(fresnel(wo.z, self.eta))) * sampling::cosine_hemisphere_pdf(wi.z)
    }
}

/// Hemispherical average of the Fresnel reflectance for relative index
/// `eta`: Egan and Hilgeman's fit below 1, d'Eon and Irving's above (the
/// fits Mitsuba uses).
pub fn diffuse_fresnel(eta: f32) -> f32 {
    if eta < 1.0 {
        -1.4399 * eta * eta + 0.7099 * eta + 0.6681 + 0.0636 / eta
    } else {
        let i = 1.0 / eta;
        0.919317 - 3.4793 * i + 6.75335 * i * i - 7.80989 * i.powi(3) + 4.98554 * i.powi(4) - 1.36881 * i.powi(5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diffuse_fresnel_fit_matches_integration() {
        // 2 ∫ F(cos θ) cos θ d(cos θ), midpoint rule.
        for eta in [1.0f32 / 1.5, 1.5] {
            let n = 100_000;
            let integral: f64 = (0..n)
                .map(|i| (i as f64 + 0.5) / n as f64)
                .map(|c| 2.0 * fresnel(c as f32, eta) as f64 * c / n as f64)
                .sum();
            assert!(
                (integral - diffuse_fresnel(eta) as f64).abs() < 0.004,
                "eta {eta}: {integral} vs {}",
                diffuse_fresnel(eta)
            );
        }
    }
}
