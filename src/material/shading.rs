//! Where a BSDF works at a surface point: its frame, and what decides which
//! pairs of directions may meet there. A normal map (Mitsuba's `normalmap`)
//! bends the frame; like Mitsuba 3 it then flips the bent normal's tangent
//! part where it would face away from the viewer (Schüssler et al. 2017,
//! "Microfacet-based Normal Mapping for Robust Monte Carlo Path Tracing")
//! and damps light arriving at grazing angles with the shadowing term of
//! Estevez et al. 2019 ("A Microfacet-Based Shadowing Function to Solve the
//! Bump Terminator Problem", Ray Tracing Gems), so that bumps do not light
//! up where the true surface turns away.

use super::{Bsdf, BsdfSample};
use crate::math::{Frame, Vec2, Vec3};
use crate::spectrum::Radiance;

#[derive(Clone, Copy, Debug)]
pub struct Shading {
    pub frame: Frame,
    /// The geometric normal.
    pub n: Vec3,
    /// What a normal map changed, if one did.
    bent: Option<Bent>,
}

#[derive(Clone, Copy, Debug)]
struct Bent {
    /// The shading normal before the normal map bent `frame`.
    unbent: Vec3,
    /// The shadowing term's α²: tan²θ of the bent normal / 8, at most 1.
    alpha2: f32,
}

impl Shading {
    /// Around the shading normal `ns` (no normal map).
    #[inline]
    pub fn plain(ns: Vec3, n: Vec3) -> Shading {
        Shading { frame: Frame::from_normal(ns), n, bent: None }
    }

    /// Around a normal map's normal `c` (2·texel − 1) in the frame `tangent`
    /// (s along ∂p/∂u, n the shading normal), seen from `wo`.
    pub fn bent(tangent: &Frame, c: Vec3, n: Vec3, wo: Vec3) -> Shading {
        let view = tangent.to_local(wo);
        let c = if view.z * view.dot(c) <= 0.0 { Vec3::new(-c.x, -c.y, c.z) } else { c };
        let Some(local) = c.try_normalize() else {
            return Shading::plain(tangent.n, n);
        };
        let alpha2 = (0.125 * tan2(local.z)).min(1.0);
        let normal = tangent.to_world(local).normalize_or(tangent.n);
        Shading { frame: Frame::from_normal(normal), n, bent: Some(Bent { unbent: tangent.n, alpha2 }) }
    }

    /// Whether `bsdf` may pair `wo` and `wi` here: on the same side of the
    /// true surface unless it transmits (`Bsdf::geometry_allows`), and,
    /// under a normal map, each on the same side of the bent normal as of
    /// the unbent one (what Mitsuba's `normalmap` keeps).
    #[inline]
    pub fn allows<S: Radiance>(&self, bsdf: &Bsdf<S>, wo: Vec3, wi: Vec3) -> bool {
        bsdf.geometry_allows(self.n, wo, wi) && self.bent.is_none_or(|b| b.agrees(&self.frame, wo, wi))
    }

    /// f·|cos θi| for light arriving along `wi`.
    #[inline]
    pub fn eval<S: Radiance>(&self, bsdf: &Bsdf<S>, wo: Vec3, wi: Vec3) -> S {
        let f = bsdf.eval(&self.frame, wo, wi);
        match &self.bent {
            None => f,
            Some(b) => f * b.shadowing(wi),
        }
    }

    /// Samples `bsdf` (see `Bsdf::sample`), keeping only what `allows`.
    #[inline(always)]
    pub fn sample<S: Radiance>(
        &self,
        bsdf: &Bsdf<S>,
        wo: Vec3,
        u_lobe: f32,
        u: Vec2,
        hero: Option<usize>,
    ) -> Option<BsdfSample<S>> {
        let bs = bsdf.sample(&self.frame, wo, u_lobe, u, hero).filter(|bs| self.allows(bsdf, wo, bs.wi))?;
        match &self.bent {
            None => Some(bs),
            Some(b) => Some(BsdfSample { weight: bs.weight * b.shadowing(bs.wi), ..bs }),
        }
    }

    /// The specular lobes (`Bsdf::specular_lobes`) that `allows`.
    pub fn specular_lobes<'a, S: Radiance>(
        &'a self,
        bsdf: &'a Bsdf<S>,
        wo: Vec3,
    ) -> impl Iterator<Item = (Vec3, S)> + 'a {
        let lobes = bsdf.specular_lobes(&self.frame, wo).into_iter().flatten();
        lobes
            .filter(move |&(wi, _)| self.allows(bsdf, wo, wi))
            .map(|(wi, weight)| (wi, self.bent.map_or(weight, |b| weight * b.shadowing(wi))))
    }
}

impl Bent {
    fn agrees(&self, frame: &Frame, wo: Vec3, wi: Vec3) -> bool {
        let same_side = |d: Vec3| frame.n.dot(d) * self.unbent.dot(d) > 0.0;
        same_side(wo) && same_side(wi)
    }

    /// Estevez et al.'s G = 2 / (1 + √(1 + α² tan²θ)), θ from the unbent
    /// normal.
    fn shadowing(&self, wi: Vec3) -> f32 {
        let cos = self.unbent.dot(wi);
        2.0 / (1.0 + (1.0 + self.alpha2 * tan2(cos)).sqrt())
    }
}

/// tan²θ from cos θ.
fn tan2(cos: f32) -> f32 {
    let cos2 = cos * cos;
    if cos2 > 0.0 {
        ((1.0 - cos2) / cos2).max(0.0)
    } else {
        f32::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_normal_map_changes_nothing() {
        let tangent = Frame::from_normal(Vec3::Z);
        let s = Shading::bent(&tangent, Vec3::Z, Vec3::Z, Vec3::new(0.3, 0.2, 0.9).normalize());
        assert!((s.frame.n - Vec3::Z).length() < 1e-6);
        let grazing = Vec3::new(1.0, 0.0, 0.05).normalize();
        assert_eq!(s.bent.map(|b| b.shadowing(grazing)), Some(1.0));
    }

    #[test]
    fn a_normal_facing_away_from_the_viewer_is_mirrored_towards_it() {
        let tangent = Frame { s: Vec3::X, t: Vec3::Y, n: Vec3::Z };
        let c = Vec3::new(0.6, 0.0, 0.8);
        let wo = Vec3::new(-0.9, 0.0, 0.1).normalize();
        let s = Shading::bent(&tangent, c, Vec3::Z, wo);
        assert!((s.frame.n - Vec3::new(-0.6, 0.0, 0.8)).length() < 1e-6, "{}", s.frame.n);
        assert!(s.frame.n.dot(wo) > 0.0);
    }

    #[test]
    fn grazing_light_on_a_tilted_normal_is_shadowed_as_estevez_et_al() {
        let tangent = Frame { s: Vec3::X, t: Vec3::Y, n: Vec3::Z };
        let c = Vec3::new(0.6, 0.0, 0.8);
        let s = Shading::bent(&tangent, c, Vec3::Z, Vec3::Z);
        let b = s.bent.expect("bent");
        // tan²θ of the normal is 0.36/0.64; α² = that / 8.
        let alpha2: f32 = 0.125 * 0.36 / 0.64;
        let wi = Vec3::new(0.8, 0.0, 0.6);
        let expected = 2.0 / (1.0 + (1.0 + alpha2 * (0.64 / 0.36)).sqrt());
        assert!((b.shadowing(wi) - expected).abs() < 1e-6);
        assert!((b.shadowing(Vec3::Z) - 1.0).abs() < 1e-6);
    }
}
