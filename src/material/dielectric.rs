//! Smooth dielectrics (glass): Fresnel-weighted choice between perfect
//! reflection and refraction. Radiance crossing the interface is scaled by
//! 1/η², so that a lossless sphere in a uniform furnace stays invisible.
//! A dispersive glass refracts each wavelength its own way: the path picks
//! one lane (its hero) and carries it alone from there, weighted by the
//! number of lanes (unbiased per lane; Wilkie et al. 2014 do the same).

use super::BsdfSample;
use crate::math::Vec3;
use crate::spectrum::Radiance;

/// What a smooth interface does to light arriving from `wo` (local frame).
pub struct Interface<S> {
    pub reflected: Vec3,
    /// Fresnel reflectance (1 under total internal reflection).
    pub r: f32,
    /// Refracted direction and the weight it carries per unit of 1 − r.
    pub refracted: Option<(Vec3, S)>,
    /// Relative index of refraction across the interface, seen from wo's side.
    pub eta: f32,
}

pub fn interface<S: Radiance>(ior: f32, tint: S, wo: Vec3) -> Interface<S> {
    let entering = wo.z > 0.0;
    // Relative index of refraction across the interface, seen from wo's side.
    let eta = if entering { ior } else { 1.0 / ior };
    let cos_o = wo.z.abs();
    let sin2_t = (1.0 - cos_o * cos_o).max(0.0) / (eta * eta);
    let reflected = Vec3::new(-wo.x, -wo.y, wo.z);
    if sin2_t >= 1.0 {
        return Interface { reflected, r: 1.0, refracted: None, eta };
    }
    let cos_t = (1.0 - sin2_t).sqrt();
    let side = if entering { -1.0 } else { 1.0 };
    let wi = Vec3::new(-wo.x / eta, -wo.y / eta, side * cos_t);
    Interface { reflected, r: fresnel_dielectric(cos_o, cos_t, eta), refracted: Some((wi, tint / (eta * eta))), eta }
}

pub fn sample<S: Radiance>(ior: f32, tint: S, wo: Vec3, u_lobe: f32) -> Option<BsdfSample<S>> {
    let i = interface(ior, tint, wo);
    match i.refracted {
        Some((wi, weight)) if u_lobe >= i.r => {
            Some(BsdfSample { wi, weight, pdf: 1.0 - i.r, delta: true, eta_squared: i.eta * i.eta, hero: None })
        }
        _ => Some(BsdfSample { wi: i.reflected, weight: S::ONE, pdf: i.r, delta: true, eta_squared: 1.0, hero: None }),
    }
}

/// A glass whose index differs per lane: the lane is the path's `hero`,
/// or chosen here from `u_lobe` (which is then reused for the lobe).
pub fn sample_dispersed<S: Radiance>(
    ior: S,
    tint: S,
    lanes: u32,
    wo: Vec3,
    u_lobe: f32,
    hero: Option<usize>,
) -> Option<BsdfSample<S>> {
    let (lane, u, weight) = match hero {
        Some(lane) => (lane, u_lobe, 1.0),
        None => {
            let scaled = u_lobe * lanes as f32;
            let lane = (scaled as usize).min(lanes as usize - 1);
            (lane, (scaled - lane as f32).min(1.0 - f32::EPSILON), lanes as f32)
        }
    };
    let s = sample(ior.lane(lane), tint, wo, u)?;
    Some(BsdfSample { weight: s.weight.only_lane(lane) * weight, hero: Some(lane), ..s })
}

/// Fresnel reflectance of light arriving at `cos_i` (> 0) from outside a
/// dielectric of relative index `eta` (1 under total internal reflection).
pub fn fresnel(cos_i: f32, eta: f32) -> f32 {
    let sin2_t = (1.0 - cos_i * cos_i).max(0.0) / (eta * eta);
    if sin2_t >= 1.0 {
        return 1.0;
    }
    fresnel_dielectric(cos_i, (1.0 - sin2_t).sqrt(), eta)
}

/// A thin pane (Mitsuba's `thindielectric`): light is reflected with the
/// pane's total reflectance R + T²R/(1 − R²) (every internal bounce summed)
/// or goes straight through, without offset.
pub fn sample_thin<S: Radiance>(ior: f32, tint: S, wo: Vec3, u_lobe: f32) -> Option<BsdfSample<S>> {
    let r = thin_reflectance(wo.z.abs(), ior);
    if u_lobe < r {
        let wi = Vec3::new(-wo.x, -wo.y, wo.z);
        Some(BsdfSample { wi, weight: S::ONE, pdf: r, delta: true, eta_squared: 1.0, hero: None })
    } else {
        Some(BsdfSample { wi: -wo, weight: tint, pdf: 1.0 - r, delta: true, eta_squared: 1.0, hero: None })
    }
}

/// A thin pane's reflectance at `cos`: R + T²R/(1 − R²), T = 1 − R.
pub fn thin_reflectance(cos: f32, ior: f32) -> f32 {
    let r = fresnel(cos, ior);
    if r < 1.0 {
        r + (1.0 - r) * (1.0 - r) * r / (1.0 - r * r)
    } else {
        r
    }
}

/// Unpolarised Fresnel reflectance for cosines on either side of the interface.
fn fresnel_dielectric(cos_i: f32, cos_t: f32, eta: f32) -> f32 {
    let r_parl = (eta * cos_i - cos_t) / (eta * cos_i + cos_t);
    let r_perp = (cos_i - eta * cos_t) / (cos_i + eta * cos_t);
    0.5 * (r_parl * r_parl + r_perp * r_perp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_incidence_reflects_four_percent_of_glass() {
        let r = fresnel_dielectric(1.0, 1.0, 1.5);
        assert!((r - 0.04).abs() < 1e-4, "{r}");
    }

    #[test]
    fn refraction_obeys_snell() {
        let wo = Vec3::new(0.6, 0.0, 0.8);
        let s = sample(1.5, Vec3::ONE, wo, 0.99).unwrap();
        let sin_t = (s.wi.x * s.wi.x + s.wi.y * s.wi.y).sqrt();
        assert!((0.6 / sin_t - 1.5).abs() < 1e-4);
        assert!(s.wi.z < 0.0);
    }
}
