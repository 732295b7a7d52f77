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
use super::{rough_dielectric, BsdfSample, MIN_ROUGH_ALPHA};
use crate::math::{sampling, Vec2, Vec3};
use crate::sampler::SampleStream;
use crate::spectrum::Radiance;
use std::collections::BTreeMap;
use std::f32::consts::FRAC_1_PI;
use std::sync::{Arc, Mutex};

/// Cosines at which the interface's transmittance is tabulated (Mitsuba's
/// `MI_ROUGH_TRANSMITTANCE_RES`).
const RESOLUTION: usize = 64;
/// Samples per table entry (importance sampled: the estimates are smooth).
const TABLE_SAMPLES: u64 = 4096;

#[derive(Clone, Debug)]
pub struct RoughPlastic<S> {
    eta: f32,
    alpha: f32,
    /// The base's reflectance.
    reflectance: S,
    /// The base's reflectance / (1 − internal reflectance) / η² / π.
    scaled: S,
    specular_weight: f32,
    coating: Coating,
    /// Tables over roughness, when a texture varies it.
    grid: Option<Arc<CoatingGrid>>,
}

/// What the rough interface does to the base's light, at one roughness.
#[derive(Clone, Debug)]
struct Coating {
    /// 1 / ((1 − internal reflectance) η² π).
    base_scale: f32,
    /// Transmittance of the interface from outside, at cos θ = i / 63.
    transmittance: [f32; RESOLUTION],
}

/// Coatings at roughness r = k / `GRID_STEPS` (α = r², at least
/// `MIN_ROUGH_ALPHA`), between which a textured roughness interpolates.
#[derive(Debug)]
struct CoatingGrid {
    coatings: Vec<Coating>,
}

/// Roughness steps of a `CoatingGrid` (interpolated linearly in r between
/// them: a furnace differs from the exact tables by at most 0.1% at
/// roughness 0.05 to 0.8, tests/appearance.rs).
const GRID_STEPS: usize = 16;

impl Coating {
    fn new(eta: f32, alpha: f32) -> Coating {
        let mu = |i: usize| (i as f32 / (RESOLUTION - 1) as f32).max(1e-6);
        let transmittance = std::array::from_fn(|i| interface(eta, alpha, mu(i)).1);
        let internal = 2.0 * (0..RESOLUTION).map(|i| interface(1.0 / eta, alpha, mu(i)).0 * mu(i)).sum::<f32>()
            / RESOLUTION as f32;
        Coating { base_scale: FRAC_1_PI / ((1.0 - internal) * eta * eta), transmittance }
    }

    fn lerp(a: &Coating, b: &Coating, w: f32) -> Coating {
        Coating {
            base_scale: a.base_scale * (1.0 - w) + b.base_scale * w,
            transmittance: std::array::from_fn(|i| a.transmittance[i] * (1.0 - w) + b.transmittance[i] * w),
        }
    }
}

impl<S: Radiance> RoughPlastic<S> {
    pub fn new(reflectance: S, eta: f32, alpha: f32) -> RoughPlastic<S> {
        Self::with_coating(reflectance, eta, alpha, Coating::new(eta, alpha), None)
    }

    /// A rough plastic whose roughness a texture varies: tables at every
    /// grid roughness (α at least `MIN_ROUGH_ALPHA`), `alpha` until
    /// `with_alpha` says otherwise.
    pub fn textured(reflectance: S, eta: f32, alpha: f32) -> RoughPlastic<S> {
        let grid = CoatingGrid::of(eta);
        let coating = grid.at(alpha);
        Self::with_coating(reflectance, eta, alpha.max(MIN_ROUGH_ALPHA), coating, Some(grid))
    }

    fn with_coating(reflectance: S, eta: f32, alpha: f32, coating: Coating, grid: Option<Arc<CoatingGrid>>) -> Self {
        let specular_weight = 1.0 / (reflectance.mean() + 1.0);
        let scaled = reflectance * coating.base_scale;
        RoughPlastic { eta, alpha, reflectance, scaled, specular_weight, coating, grid }
    }

    /// The same coating (its tables kept) over a base of another reflectance.
    pub fn with_reflectance(&self, reflectance: S) -> RoughPlastic<S> {
        let specular_weight = 1.0 / (reflectance.mean() + 1.0);
        RoughPlastic { reflectance, scaled: reflectance * self.coating.base_scale, specular_weight, ..self.clone() }
    }

    /// The same plastic at GGX α `alpha`, its interface interpolated from
    /// the grid; without a grid (a uniform roughness), unchanged.
    pub fn with_alpha(&self, alpha: f32) -> RoughPlastic<S> {
        match &self.grid {
            None => self.clone(),
            Some(grid) => {
                let coating = grid.at(alpha);
                Self::with_coating(self.reflectance, self.eta, alpha.max(MIN_ROUGH_ALPHA), coating, self.grid.clone())
            }
        }
    }

    fn t(&self, cos: f32) -> f32 {
        let x = cos.clamp(0.0, 1.0) * (RESOLUTION - 1) as f32;
        let i = (x as usize).min(RESOLUTION - 2);
        let w = x - i as f32;
        self.coating.transmittance[i] * (1.0 - w) + self.coating.transmittance[i + 1] * w
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

impl CoatingGrid {
    /// The grid of relative index `eta`, built once per process (the tables
    /// depend on η alone, so spectral groups and blends share them).
    fn of(eta: f32) -> Arc<CoatingGrid> {
        static GRIDS: Mutex<BTreeMap<u32, Arc<CoatingGrid>>> = Mutex::new(BTreeMap::new());
        let mut grids = GRIDS.lock().unwrap_or_else(|e| e.into_inner());
        grids.entry(eta.to_bits()).or_insert_with(|| Arc::new(CoatingGrid::build(eta))).clone()
    }

    /// One thread per table: each is independent (and deterministic).
    fn build(eta: f32) -> CoatingGrid {
        let coatings = std::thread::scope(|scope| {
            let tables: Vec<_> = (0..=GRID_STEPS)
                .map(|k| {
                    let alpha = (k as f32 / GRID_STEPS as f32).powi(2).max(MIN_ROUGH_ALPHA);
                    scope.spawn(move || Coating::new(eta, alpha))
                })
                .collect();
            tables.into_iter().map(|t| t.join().expect("a coating table's thread panicked")).collect()
        });
        CoatingGrid { coatings }
    }

    /// The coating at α, interpolated linearly in r = √α.
    fn at(&self, alpha: f32) -> Coating {
        let x = alpha.clamp(0.0, 1.0).sqrt() * GRID_STEPS as f32;
        let k = (x as usize).min(GRID_STEPS - 1);
        Coating::lerp(&self.coatings[k], &self.coatings[k + 1], x - k as f32)
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
