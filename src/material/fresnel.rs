//! The Fresnel reflectance of a conductor: Schlick's approximation from a
//! reflectance at normal incidence (the `reflectance` form), or the exact
//! unpolarised term for a complex index η + ik (the `eta`/`k`/`metal` forms),
//! lane by lane.

use crate::spectrum::Radiance;

#[derive(Clone, Debug)]
pub enum Fresnel<S> {
    Schlick(S),
    Conductor { eta: S, k: S },
}

impl<S: Radiance> Fresnel<S> {
    /// Reflectance for light arriving at `cos_theta` from the normal.
    #[inline]
    pub fn eval(&self, cos_theta: f32) -> S {
        match self {
            Fresnel::Schlick(f0) => {
                let m = (1.0 - cos_theta.clamp(0.0, 1.0)).powi(5);
                *f0 + (S::ONE - *f0) * m
            }
            Fresnel::Conductor { eta, k } => {
                let cos = cos_theta.clamp(0.0, 1.0);
                eta.zip_map(*k, |n, k| conductor(cos, n, k))
            }
        }
    }
}

/// Exact unpolarised reflectance of a conductor of index n + ik seen from
/// vacuum (pbrt-v4's FrComplex, in real arithmetic).
fn conductor(cos_i: f32, n: f32, k: f32) -> f32 {
    let (cos_i, n, k) = (cos_i as f64, n as f64, k as f64);
    let sin2_i = 1.0 - cos_i * cos_i;
    // η² = (n² − k²) + 2nk i; sin²θt = sin²θi / η², cosθt = √(1 − sin²θt).
    let (e2_re, e2_im) = (n * n - k * k, 2.0 * n * k);
    let e2_norm = e2_re * e2_re + e2_im * e2_im;
    let (st_re, st_im) = (sin2_i * e2_re / e2_norm, -sin2_i * e2_im / e2_norm);
    let (ct_re, ct_im) = complex_sqrt(1.0 - st_re, -st_im);
    let (ec_re, ec_im) = (n * cos_i, k * cos_i);
    // r∥ = (η cosθi − cosθt) / (η cosθi + cosθt)
    let parl = ratio((ec_re - ct_re, ec_im - ct_im), (ec_re + ct_re, ec_im + ct_im));
    // r⊥ = (cosθi − η cosθt) / (cosθi + η cosθt)
    let (ect_re, ect_im) = (n * ct_re - k * ct_im, n * ct_im + k * ct_re);
    let perp = ratio((cos_i - ect_re, -ect_im), (cos_i + ect_re, ect_im));
    (0.5 * (parl + perp)) as f32
}

/// |a / b|².
fn ratio(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 * a.0 + a.1 * a.1) / (b.0 * b.0 + b.1 * b.1)
}

fn complex_sqrt(re: f64, im: f64) -> (f64, f64) {
    let r = (re * re + im * im).sqrt();
    let s = ((r + re) * 0.5).max(0.0).sqrt();
    let t = ((r - re) * 0.5).max(0.0).sqrt();
    (s, if im < 0.0 { -t } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::Vec3;

    #[test]
    fn exact_conductor_matches_the_closed_forms() {
        let (n, k) = (0.2f32, 3.0f32);
        let f = Fresnel::Conductor { eta: Vec3::splat(n), k: Vec3::splat(k) };
        let head_on = ((n - 1.0).powi(2) + k * k) / ((n + 1.0).powi(2) + k * k);
        assert!((f.eval(1.0).x - head_on).abs() < 1e-6);
        assert!((f.eval(0.0).x - 1.0).abs() < 1e-6, "grazing reflects everything");
        // A dielectric (k = 0) at 60° from n = 1.5: the dielectric formula.
        let glass = conductor(0.5, 1.5, 0.0);
        let (ci, ct) = (0.5f32, (1.0f32 - 0.75 / 2.25).sqrt());
        let rs = ((ci - 1.5 * ct) / (ci + 1.5 * ct)).powi(2);
        let rp = ((1.5 * ci - ct) / (1.5 * ci + ct)).powi(2);
        assert!((glass - 0.5 * (rs + rp)).abs() < 1e-6, "{glass}");
    }
}
