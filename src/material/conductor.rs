//! Conductors: a perfect mirror at zero roughness, a GGX microfacet lobe above
//! it, sampled by visible normals (Heitz 2018) with Smith height-correlated
//! masking, and Schlick's or the exact conductor Fresnel term.

use super::{BsdfSample, Fresnel};
use crate::math::{Vec2, Vec3};
use crate::spectrum::Radiance;
use std::f32::consts::PI;

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
    let g1 = smith_g1(wo_up, alpha);
    let weight = fresnel.eval(wo_up.dot(h)) * (smith_g2(wo_up, wi_up, alpha) / g1);
    let pdf = pdf(alpha, wo_up, wi_up);
    let wi = Vec3::new(wi_up.x, wi_up.y, wi_up.z * flip);
    Some(BsdfSample { wi, weight, pdf, delta: false, eta_squared: 1.0, hero: None })
}

/// f · |cos θi| for directions on the same side.
pub fn eval<S: Radiance>(fresnel: &Fresnel<S>, alpha: f32, wo: Vec3, wi: Vec3) -> S {
    let (wo, wi) = (up(wo), up(wi));
    let h = (wo + wi).normalize();
    let d = ggx_d(h, alpha);
    fresnel.eval(wo.dot(h)) * (d * smith_g2(wo, wi, alpha) / (4.0 * wo.z))
}

pub fn pdf(alpha: f32, wo: Vec3, wi: Vec3) -> f32 {
    let (wo, wi) = (up(wo), up(wi));
    let h = (wo + wi).normalize();
    smith_g1(wo, alpha) * ggx_d(h, alpha) / (4.0 * wo.z)
}

fn up(v: Vec3) -> Vec3 {
    Vec3::new(v.x, v.y, v.z.abs())
}

fn reflect(wo: Vec3, h: Vec3) -> Vec3 {
    h * (2.0 * wo.dot(h)) - wo
}

fn ggx_d(h: Vec3, alpha: f32) -> f32 {
    if h.z <= 0.0 {
        return 0.0;
    }
    let a2 = alpha * alpha;
    let t = h.z * h.z * (a2 - 1.0) + 1.0;
    a2 / (PI * t * t)
}

fn lambda(w: Vec3, alpha: f32) -> f32 {
    let cos2 = w.z * w.z;
    let tan2 = (1.0 - cos2).max(0.0) / cos2;
    0.5 * ((1.0 + alpha * alpha * tan2).sqrt() - 1.0)
}

fn smith_g1(w: Vec3, alpha: f32) -> f32 {
    1.0 / (1.0 + lambda(w, alpha))
}

fn smith_g2(wo: Vec3, wi: Vec3, alpha: f32) -> f32 {
    1.0 / (1.0 + lambda(wo, alpha) + lambda(wi, alpha))
}

/// Heitz 2018, "Sampling the GGX distribution of visible normals".
fn sample_visible_normal(wo: Vec3, alpha: f32, u: Vec2) -> Vec3 {
    let vh = Vec3::new(alpha * wo.x, alpha * wo.y, wo.z).normalize();
    let len2 = vh.x * vh.x + vh.y * vh.y;
    let t1 = if len2 > 0.0 { Vec3::new(-vh.y, vh.x, 0.0) / len2.sqrt() } else { Vec3::X };
    let t2 = vh.cross(t1);
    let r = u.x.sqrt();
    let phi = 2.0 * PI * u.y;
    let p1 = r * phi.cos();
    let s = 0.5 * (1.0 + vh.z);
    let p2 = (1.0 - s) * (1.0 - p1 * p1).max(0.0).sqrt() + s * r * phi.sin();
    let nh = t1 * p1 + t2 * p2 + vh * (1.0 - p1 * p1 - p2 * p2).max(0.0).sqrt();
    Vec3::new(alpha * nh.x, alpha * nh.y, nh.z.max(1e-6)).normalize()
}
