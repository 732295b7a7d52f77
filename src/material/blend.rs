//! A blend of two BSDFs, as Mitsuba 3's `blendbsdf`: f = (1 − w)·f_a + w·f_b.
//! Sampling picks b with probability w (else a) and samples it; a smooth
//! direction then takes the whole blend's f and density (so MIS sees the
//! true density), a delta one keeps the chosen lobe's weight (the choice's
//! probability cancels the blend's factor).

use super::{Bsdf, BsdfSample};
use crate::math::{Frame, Vec2, Vec3};
use crate::spectrum::Radiance;

#[derive(Clone, Debug)]
pub struct Blend<S> {
    pub a: Bsdf<S>,
    pub b: Bsdf<S>,
    /// In [0, 1]: 0 is `a` alone.
    pub weight: f32,
}

impl<S: Radiance> Blend<S> {
    // Out of line: a blend's parts are BSDFs again, and the recursion must
    // not stop `Bsdf::sample`, `eval` and `pdf` from inlining into the
    // integrators (measured: 5% on Mitsuba's box when it did).
    #[inline(never)]
    pub fn sample(&self, frame: &Frame, wo: Vec3, u_lobe: f32, u: Vec2, hero: Option<usize>) -> Option<BsdfSample<S>> {
        let w = self.weight;
        let (chosen, p, u_lobe) =
            if u_lobe < w { (&self.b, w, u_lobe / w) } else { (&self.a, 1.0 - w, (u_lobe - w) / (1.0 - w)) };
        let s = chosen.sample(frame, wo, u_lobe.min(1.0 - f32::EPSILON), u, hero)?;
        if s.delta {
            return Some(BsdfSample { pdf: s.pdf * p, ..s });
        }
        let pdf = self.pdf(frame, wo, s.wi);
        (pdf > 0.0).then(|| BsdfSample { weight: self.eval(frame, wo, s.wi) / pdf, pdf, ..s })
    }

    #[inline(never)]
    pub fn eval(&self, frame: &Frame, wo: Vec3, wi: Vec3) -> S {
        self.a.eval(frame, wo, wi) * (1.0 - self.weight) + self.b.eval(frame, wo, wi) * self.weight
    }

    #[inline(never)]
    pub fn pdf(&self, frame: &Frame, wo: Vec3, wi: Vec3) -> f32 {
        self.a.pdf(frame, wo, wi) * (1.0 - self.weight) + self.b.pdf(frame, wo, wi) * self.weight
    }
}
