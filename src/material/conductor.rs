//! Conductors: a perfect mirror at zero roughness, a GGX microfacet lobe above
//! it, sampled by visible normals (Heitz 2018) with Smith's separable
//! masking-shadowing, and Schlick's or the exact conductor Fresnel term.

use super::ggx::{ggx_d, reflect, sample_visible_normal, smith_g, smith_g1};
use super::{BsdfSample, Fresnel};
use crate::math::{Vec2, Vec3};
use crate::spectrum::Radiance;

pub fn sample<S: Radiance>(fresnel: &Fresnel<S>, alpha: f32, wo: Vec3, u: Vec2) -> Option<BsdfSample<S>> {
    // Work on the upper hemisphere; mirror back for back-side hits.
    let flip = if wo.z < 0.0 { -1.0 } else { 1.0 };
    let wo_up = Vec3::new(wo.x, wo.y, wo.z * flip);
    if alpha == 0.0 {
        let wi = Vec3::new(-wo.x, -wo.y, wo.z);
        let weight = fresnel.eval(wo_up.z);
        return Some(BsdfSample { wi, weight, pdf: 1.0, delta: true, eta_squared: 1.0, hero: None });
    }
    let h = sample_visible_normal(wo_up, alpha, u);
    let wi_up = reflect(wo_up, h);
    if wi_up.z <= 0.0 {
        return None;
    }
    // f·cos/pdf = F·G1(wo)·G1(wi)/G1(wo).
    let weight = fresnel.eval(wo_up.dot(h)) * smith_g1(wi_up, alpha);
    let pdf = pdf(alpha, wo_up, wi_up);
    let wi = Vec3::new(wi_up.x, wi_up.y, wi_up.z * flip);
    Some(BsdfSample { wi, weight, pdf, delta: false, eta_squared: 1.0, hero: None })
}

/// f · |cos θi| for directions on the same side.
pub fn eval<S: Radiance>(fresnel: &Fresnel<S>, alpha: f32, wo: Vec3, wi: Vec3) -> S {
    let (wo, wi) = (up(wo), up(wi));
    let h = (wo + wi).normalize();
    let d = ggx_d(h, alpha);
    fresnel.eval(wo.dot(h)) * (d * smith_g(wo, wi, alpha) / (4.0 * wo.z))
}

pub fn pdf(alpha: f32, wo: Vec3, wi: Vec3) -> f32 {
    let (wo, wi) = (up(wo), up(wi));
    let h = (wo + wi).normalize();
    smith_g1(wo, alpha) * ggx_d(h, alpha) / (4.0 * wo.z)
}

fn up(v: Vec3) -> Vec3 {
    Vec3::new(v.x, v.y, v.z.abs())
}
