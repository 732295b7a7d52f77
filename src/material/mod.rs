//! Materials: a BSDF (diffuse, conductor, smooth or rough dielectric, thin
//! dielectric, smooth or rough plastic, or black) plus optional emission
//! from the front side. BSDFs work in a local frame whose +z is the
//! shading normal; `weight` is f·|cos θ|/pdf, what a path's throughput takes.
//! Colours are `Radiance` (RGB or spectral bins): one code for both modes.
//!
//! ```
//! # use rsrender::{material::Material, math::{Frame, Vec2, Vec3}};
//! # fn usage(material: &Material, frame: &Frame, wo: Vec3, u_lobe: f32, u_dir: Vec2, beta: &mut Vec3) -> Option<()> {
//! let s = material.bsdf.sample(frame, wo, u_lobe, u_dir, None)?;
//! *beta *= s.weight;
//! # Some(()) }
//! ```

mod blend;
mod conductor;
mod dielectric;
mod fresnel;
mod ggx;
mod plastic;
mod rough_dielectric;
mod rough_plastic;
mod shading;

pub use blend::Blend;
pub use fresnel::Fresnel;
pub use plastic::Plastic;
pub use rough_plastic::RoughPlastic;
pub use shading::Shading;

use crate::math::{sampling, Frame, Vec2, Vec3};
use crate::spectrum::Radiance;
use crate::texture::{Colours, Texture};
use std::borrow::Cow;
use std::f32::consts::FRAC_1_PI;

#[derive(Clone, Debug)]
pub enum Bsdf<S = Vec3> {
    Diffuse {
        reflectance: S,
    },
    Conductor {
        fresnel: Fresnel<S>,
        alpha: f32,
    },
    Dielectric {
        /// Per lane; the same in every lane unless `dispersive`.
        ior: S,
        tint: S,
        /// The index varies over the lanes: refraction picks one lane (the
        /// path's hero) and carries it alone, weighted by `lanes`.
        dispersive: bool,
        /// Lanes that carry light.
        lanes: u32,
    },
    /// Rough glass (GGX, α = `alpha`), not dispersive.
    RoughDielectric {
        ior: f32,
        tint: S,
        alpha: f32,
    },
    /// A window pane: reflects or passes straight through.
    ThinDielectric {
        ior: f32,
        tint: S,
    },
    /// A diffuse base under a smooth dielectric coating.
    Plastic(Plastic<S>),
    /// A diffuse base under a rough (GGX) dielectric coating.
    RoughPlastic(Box<RoughPlastic<S>>),
    /// Two BSDFs mixed by a weight (Mitsuba's `blendbsdf`).
    Blend(Box<Blend<S>>),
    /// Absorbs everything: the `emitter` material.
    Black,
}

#[derive(Clone, Debug)]
pub struct Material<S = Vec3> {
    pub bsdf: Bsdf<S>,
    /// Radiance leaving the front side (where the geometric normal points).
    pub emission: S,
    /// The linear sRGB albedo that the `albedo` view and guide layer show.
    pub albedo: Vec3,
    /// What varies over the surface; `None` when nothing does.
    pub varying: Option<Box<Varying<S>>>,
    /// A cut-out (Mitsuba's `mask`): the share of light the surface stops;
    /// `None` is solid.
    pub opacity: Option<Opacity>,
    /// Emission that varies over the surface: where given, it stands for
    /// `emission` (which then holds its mean, to weigh lights).
    pub emission_texture: Option<Box<Colours<S>>>,
    /// A tangent-space normal map (Mitsuba's `normalmap`): bends the frame
    /// the BSDF works in (see `Shading`).
    pub normal_map: Option<Texture>,
}

#[derive(Clone, Debug)]
pub enum Opacity {
    Constant(f32),
    /// Its luminance, clamped to [0, 1].
    Texture(Texture),
}

impl Opacity {
    pub fn at(&self, uv: Vec2) -> f32 {
        match self {
            Opacity::Constant(a) => *a,
            Opacity::Texture(t) => t.eval_scalar(uv).clamp(0.0, 1.0),
        }
    }
}

/// The smallest α a rough dielectric takes (a roughness texture's 0 there
/// is very smooth glass, not the delta one).
pub const MIN_ROUGH_ALPHA: f32 = 1e-4;

/// The parts of a material that textures vary.
#[derive(Clone, Debug)]
pub enum Varying<S = Vec3> {
    /// The BSDF's colour (reflectance or tint) and roughness (α = r²).
    Surface { colour: Option<Colours<S>>, roughness: Option<Texture> },
    /// A blend whose parts or weight vary.
    Blend { a: Box<Material<S>>, b: Box<Material<S>>, weight: Option<Texture> },
}

impl<S: Radiance> Varying<S> {
    /// The BSDF at texture coordinates `uv`, from the uniform one `base`.
    #[inline(never)]
    fn bsdf(&self, base: &Bsdf<S>, uv: Vec2) -> Bsdf<S> {
        match self {
            Varying::Surface { colour, roughness } => {
                let coloured = colour.as_ref().map(|t| base.with_colour(t.eval(uv)));
                let bsdf = coloured.as_ref().unwrap_or(base);
                match roughness {
                    Some(t) => bsdf.with_alpha(t.eval_scalar(uv).clamp(0.0, 1.0).powi(2)),
                    None => coloured.unwrap_or_else(|| base.clone()),
                }
            }
            Varying::Blend { a, b, weight } => {
                let weight = Self::blend_weight(base, weight.as_ref(), uv);
                Bsdf::Blend(Box::new(Blend {
                    a: a.bsdf_at(|| uv).into_owned(),
                    b: b.bsdf_at(|| uv).into_owned(),
                    weight,
                }))
            }
        }
    }

    /// A blend's weight: its texture's at `uv`, else the uniform BSDF's.
    fn blend_weight(base: &Bsdf<S>, weight: Option<&Texture>, uv: Vec2) -> f32 {
        match (weight, base) {
            (Some(t), _) => t.eval_scalar(uv).clamp(0.0, 1.0),
            (None, Bsdf::Blend(b)) => b.weight,
            (None, _) => 0.5,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct BsdfSample<S = Vec3> {
    pub wi: Vec3,
    /// f · |cos θi| / pdf.
    pub weight: S,
    pub pdf: f32,
    /// A specular lobe: no light sampling can find this direction.
    pub delta: bool,
    /// η² of a refraction (the factor `weight` was divided by), else 1:
    /// Russian roulette multiplies it back so that radiance scaling at
    /// interfaces does not kill paths inside glass.
    pub eta_squared: f32,
    /// The lane a dispersive refraction chose (or kept): from here on the
    /// path carries that lane alone.
    pub hero: Option<usize>,
}

impl<S: Radiance> Material<S> {
    pub fn is_emissive(&self) -> bool {
        self.emission.max_element() > 0.0
    }

    /// The share of light stopped at a surface point (1: solid).
    #[inline]
    pub fn opacity_at(&self, uv: impl FnOnce() -> Vec2) -> f32 {
        self.opacity.as_ref().map_or(1.0, |o| o.at(uv()))
    }

    /// The radiance the front side emits at a surface point; `uv` is asked
    /// for only when a texture varies it.
    #[inline]
    pub fn emission_at(&self, uv: impl FnOnce() -> Vec2) -> S {
        match &self.emission_texture {
            None => self.emission,
            Some(t) => t.eval(uv()),
        }
    }

    /// The BSDF at a surface point; `uv` is asked for only when a texture
    /// colours it.
    #[inline]
    pub fn bsdf_at(&self, uv: impl FnOnce() -> Vec2) -> Cow<'_, Bsdf<S>> {
        match self.varying.as_deref() {
            None => Cow::Borrowed(&self.bsdf),
            Some(v) => Cow::Owned(v.bsdf(&self.bsdf, uv())),
        }
    }

    /// The albedo guide's colour at a surface point.
    pub fn albedo_at(&self, uv: impl FnOnce() -> Vec2) -> Vec3 {
        match self.varying {
            None => self.albedo,
            Some(_) => self.albedo_varying(uv()),
        }
    }

    fn albedo_varying(&self, uv: Vec2) -> Vec3 {
        match self.varying.as_deref() {
            None => self.albedo,
            Some(Varying::Surface { colour: Some(t), .. }) => t.texture.eval(uv),
            Some(Varying::Surface { colour: None, .. }) => self.albedo,
            Some(Varying::Blend { a, b, weight }) => {
                let w = Varying::blend_weight(&self.bsdf, weight.as_ref(), uv);
                a.albedo_varying(uv) * (1.0 - w) + b.albedo_varying(uv) * w
            }
        }
    }
}

impl<S: Radiance> Bsdf<S> {
    /// This BSDF with another colour: the reflectance of a diffuse surface,
    /// plastic base or Schlick conductor, or the tint of glass.
    pub fn with_colour(&self, colour: S) -> Bsdf<S> {
        match self {
            Bsdf::Diffuse { .. } => Bsdf::Diffuse { reflectance: colour },
            Bsdf::Conductor { fresnel: Fresnel::Schlick(_), alpha } => {
                Bsdf::Conductor { fresnel: Fresnel::Schlick(colour), alpha: *alpha }
            }
            Bsdf::Dielectric { ior, dispersive, lanes, .. } => {
                Bsdf::Dielectric { ior: *ior, tint: colour, dispersive: *dispersive, lanes: *lanes }
            }
            Bsdf::RoughDielectric { ior, alpha, .. } => {
                Bsdf::RoughDielectric { ior: *ior, tint: colour, alpha: *alpha }
            }
            Bsdf::ThinDielectric { ior, .. } => Bsdf::ThinDielectric { ior: *ior, tint: colour },
            Bsdf::Plastic(p) => Bsdf::Plastic(Plastic::new(colour, p.eta)),
            Bsdf::RoughPlastic(p) => Bsdf::RoughPlastic(Box::new(p.with_reflectance(colour))),
            Bsdf::Conductor { .. } | Bsdf::Blend(_) | Bsdf::Black => self.clone(),
        }
    }

    /// This BSDF with another GGX α (conductors, rough glass, and rough
    /// plastics built `textured`; others as they are).
    pub fn with_alpha(&self, alpha: f32) -> Bsdf<S> {
        match self {
            Bsdf::Conductor { fresnel, .. } => Bsdf::Conductor { fresnel: fresnel.clone(), alpha },
            &Bsdf::RoughDielectric { ior, tint, .. } => {
                Bsdf::RoughDielectric { ior, tint, alpha: alpha.max(MIN_ROUGH_ALPHA) }
            }
            Bsdf::RoughPlastic(p) => Bsdf::RoughPlastic(Box::new(p.with_alpha(alpha))),
            _ => self.clone(),
        }
    }

    /// True when every lobe is a delta distribution (mirror, glass): light
    /// sampling is useless there.
    pub fn is_delta(&self) -> bool {
        match self {
            Bsdf::Conductor { alpha, .. } => *alpha == 0.0,
            Bsdf::Dielectric { .. } | Bsdf::ThinDielectric { .. } => true,
            Bsdf::Diffuse { .. }
            | Bsdf::Plastic(_)
            | Bsdf::RoughPlastic(_)
            | Bsdf::RoughDielectric { .. }
            | Bsdf::Black => false,
            Bsdf::Blend(b) => b.a.is_delta() && b.b.is_delta(),
        }
    }

    /// Whether light may pass to the other side (glass); the others reflect.
    pub fn transmits(&self) -> bool {
        match self {
            Bsdf::Dielectric { .. } | Bsdf::ThinDielectric { .. } | Bsdf::RoughDielectric { .. } => true,
            Bsdf::Blend(b) => b.a.transmits() || b.b.transmits(),
            _ => false,
        }
    }

    /// With shading normals, a reflective BSDF may only pair directions on
    /// the same side of the true surface (else light leaks through it).
    #[inline]
    pub fn geometry_allows(&self, n: Vec3, wo: Vec3, wi: Vec3) -> bool {
        self.transmits() || n.dot(wo) * n.dot(wi) > 0.0
    }

    /// Samples an incident direction for outgoing `wo` (world space, pointing
    /// away from the surface). `frame.n` is the shading normal (the geometric
    /// one on flat surfaces); `geometry_allows` guards sidedness against the
    /// geometric normal. `hero` is the lane an earlier dispersive
    /// refraction chose, if any.
    #[inline(always)]
    pub fn sample(
        &self,
        frame: &Frame,
        wo_world: Vec3,
        u_lobe: f32,
        u: Vec2,
        hero: Option<usize>,
    ) -> Option<BsdfSample<S>> {
        let wo = frame.to_local(wo_world);
        if wo.z == 0.0 {
            return None;
        }
        if let Bsdf::Blend(b) = self {
            return b.sample(frame, wo_world, u_lobe, u, hero);
        }
        let local = match self {
            Bsdf::Diffuse { reflectance } => {
                let mut wi = sampling::cosine_hemisphere(u);
                if wo.z < 0.0 {
                    wi.z = -wi.z;
                }
                let pdf = sampling::cosine_hemisphere_pdf(wi.z.abs());
                let weight = *reflectance;
                (pdf > 0.0).then_some(BsdfSample { wi, weight, pdf, delta: false, eta_squared: 1.0, hero: None })?
            }
            Bsdf::Conductor { fresnel, alpha } => conductor::sample(fresnel, *alpha, wo, u)?,
            &Bsdf::Dielectric { ior, tint, dispersive, lanes } => {
                if dispersive {
                    dielectric::sample_dispersed(ior, tint, lanes, wo, u_lobe, hero)?
                } else {
                    dielectric::sample(ior.lane(0), tint, wo, u_lobe)?
                }
            }
            &Bsdf::ThinDielectric { ior, tint } => dielectric::sample_thin(ior, tint, wo, u_lobe)?,
            &Bsdf::RoughDielectric { ior, tint, alpha } => rough_dielectric::sample(ior, tint, alpha, wo, u_lobe, u)?,
            Bsdf::Plastic(p) => p.sample(wo, u_lobe, u)?,
            Bsdf::RoughPlastic(p) => p.sample(wo, u_lobe, u)?,
            Bsdf::Black | Bsdf::Blend(_) => return None,
        };
        Some(BsdfSample { wi: frame.to_world(local.wi), ..local })
    }

    /// The specular lobes as (direction, weight) pairs, for integrators that
    /// follow every lobe instead of choosing one (whitted).
    /// A dispersive glass follows the index of its middle lane here.
    pub fn specular_lobes(&self, frame: &Frame, wo_world: Vec3) -> [Option<(Vec3, S)>; 2] {
        let wo = frame.to_local(wo_world);
        match self {
            Bsdf::Conductor { fresnel, alpha } if *alpha == 0.0 => {
                let wi = Vec3::new(-wo.x, -wo.y, wo.z);
                [Some((frame.to_world(wi), fresnel.eval(wo.z.abs()))), None]
            }
            Bsdf::Dielectric { ior, tint, lanes, .. } => {
                let i = dielectric::interface(ior.lane(*lanes as usize / 2), *tint, wo);
                let refracted = i.refracted.map(|(wi, w)| (frame.to_world(wi), w * (1.0 - i.r)));
                [Some((frame.to_world(i.reflected), S::splat(i.r))), refracted]
            }
            &Bsdf::ThinDielectric { ior, tint } => {
                let r = dielectric::thin_reflectance(wo.z.abs(), ior);
                let reflected = Vec3::new(-wo.x, -wo.y, wo.z);
                [Some((frame.to_world(reflected), S::splat(r))), Some((-wo_world, tint * (1.0 - r)))]
            }
            // Whitted follows a blend's `a` lobes, scaled by its share.
            Bsdf::Blend(b) => b.a.specular_lobes(frame, wo_world).map(|l| l.map(|(d, w)| (d, w * (1.0 - b.weight)))),
            _ => [None, None],
        }
    }

    /// f · |cos θi| for a pair of world directions (zero for delta lobes).
    pub fn eval(&self, frame: &Frame, wo_world: Vec3, wi_world: Vec3) -> S {
        let (wo, wi) = (frame.to_local(wo_world), frame.to_local(wi_world));
        match self {
            &Bsdf::RoughDielectric { ior, tint, alpha } => return rough_dielectric::eval(ior, tint, alpha, wo, wi),
            Bsdf::Blend(b) => return b.eval(frame, wo_world, wi_world),
            _ => {}
        }
        if wo.z * wi.z <= 0.0 {
            return S::ZERO;
        }
        match self {
            Bsdf::Diffuse { reflectance } => *reflectance * (FRAC_1_PI * wi.z.abs()),
            Bsdf::Conductor { fresnel, alpha } if *alpha > 0.0 => conductor::eval(fresnel, *alpha, wo, wi),
            Bsdf::Plastic(p) => p.eval(wo, wi),
            Bsdf::RoughPlastic(p) => p.eval(wo, wi),
            _ => S::ZERO,
        }
    }

    /// The density `sample` gives to `wi_world` (solid angle).
    #[inline(always)]
    pub fn pdf(&self, frame: &Frame, wo_world: Vec3, wi_world: Vec3) -> f32 {
        let (wo, wi) = (frame.to_local(wo_world), frame.to_local(wi_world));
        match self {
            &Bsdf::RoughDielectric { ior, alpha, .. } => return rough_dielectric::pdf(ior, alpha, wo, wi),
            Bsdf::Blend(b) => return b.pdf(frame, wo_world, wi_world),
            _ => {}
        }
        if wo.z * wi.z <= 0.0 {
            return 0.0;
        }
        match self {
            Bsdf::Diffuse { .. } => sampling::cosine_hemisphere_pdf(wi.z.abs()),
            Bsdf::Conductor { alpha, .. } if *alpha > 0.0 => conductor::pdf(*alpha, wo, wi),
            Bsdf::Plastic(p) => p.pdf(wo, wi),
            Bsdf::RoughPlastic(p) => p.pdf(wo, wi),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::SampleStream;

    /// Estimates the directional albedo ∫ f |cos| dωi two ways: by sampling the
    /// BSDF (mean weight) and by uniform sphere sampling of `eval`.
    fn albedo_two_ways(bsdf: &Bsdf, wo: Vec3) -> (f64, f64) {
        let frame = Frame::from_normal(Vec3::Z);
        let n = 200_000;
        let (mut by_sampling, mut by_eval) = (0.0f64, 0.0f64);
        for i in 0..n {
            let mut s = SampleStream::new(3, i, 0);
            if let Some(bs) = bsdf.sample(&frame, wo, s.next_1d(), s.next_2d(), None) {
                by_sampling += bs.weight.x as f64;
                if !bs.delta {
                    let pdf = bsdf.pdf(&frame, wo, bs.wi);
                    assert!((pdf - bs.pdf).abs() <= 1e-3 * bs.pdf.max(1.0), "{pdf} vs {}", bs.pdf);
                }
            }
            let wi = sampling::uniform_sphere(s.next_2d());
            by_eval += (bsdf.eval(&frame, wo, wi).x / sampling::UNIFORM_SPHERE_PDF) as f64;
        }
        (by_sampling / n as f64, by_eval / n as f64)
    }

    #[test]
    fn diffuse_albedo_is_its_reflectance() {
        let (s, e) =
            albedo_two_ways(&Bsdf::Diffuse { reflectance: Vec3::splat(0.6) }, Vec3::new(0.3, 0.0, 0.954).normalize());
        assert!((s - 0.6).abs() < 1e-6, "{s}");
        assert!((e - 0.6).abs() < 0.01, "{e}");
    }

    #[test]
    fn rough_conductor_albedo_matches_numerical_integration() {
        // Single-scattering GGX albedo (separable Smith G) for this wo,
        // integrated independently (midpoint rule, 800×1600 cells over the
        // hemisphere).
        for (alpha, expected) in [(0.1f32, 0.98560), (0.5, 0.68086), (1.0, 0.33294)] {
            let bsdf = Bsdf::Conductor { fresnel: Fresnel::Schlick(Vec3::ONE), alpha };
            let (s, e) = albedo_two_ways(&bsdf, Vec3::new(0.5, 0.1, 0.8).normalize());
            assert!((s - expected).abs() < 0.005, "alpha {alpha}: sampled {s}, expected {expected}");
            assert!((s - e).abs() < 0.03, "alpha {alpha}: sampled {s} vs evaluated {e}");
        }
    }

    #[test]
    fn a_blends_albedo_is_the_weighted_mix_of_its_parts() {
        let rough = Bsdf::Conductor { fresnel: Fresnel::Schlick(Vec3::ONE), alpha: 0.5 };
        let diffuse = Bsdf::Diffuse { reflectance: Vec3::splat(0.6) };
        let mirror = Bsdf::Conductor { fresnel: Fresnel::Schlick(Vec3::splat(0.9)), alpha: 0.0 };
        let wo = Vec3::new(0.5, 0.1, 0.8).normalize();
        for (a, b, w) in [(&diffuse, &rough, 0.3f32), (&diffuse, &mirror, 0.6)] {
            let blend = Bsdf::Blend(Box::new(Blend { a: a.clone(), b: b.clone(), weight: w }));
            let (s, _) = albedo_two_ways(&blend, wo);
            let expected = (1.0 - w as f64) * albedo_two_ways(a, wo).0 + w as f64 * albedo_two_ways(b, wo).0;
            assert!((s - expected).abs() < 0.01, "weight {w}: sampled {s}, expected {expected}");
        }
    }

    #[test]
    fn a_roughness_texture_sets_alpha_per_point_and_keeps_the_colour_texture() {
        let checks =
            |even: f32, odd: f32| Texture::Checkerboard { even: Vec3::splat(even), odd: Vec3::splat(odd), scale: 1.0 };
        let m = Material {
            bsdf: Bsdf::Conductor { fresnel: Fresnel::Schlick(Vec3::ONE), alpha: 0.25 },
            emission: Vec3::ZERO,
            albedo: Vec3::ONE,
            varying: Some(Box::new(Varying::Surface {
                colour: Some(Colours {
                    texture: checks(0.2, 0.9),
                    basis: crate::spectrum::TexelBasis([Vec3::X, Vec3::Y, Vec3::Z]),
                }),
                roughness: Some(checks(0.3, 1.0)),
            })),
            opacity: None,
            emission_texture: None,
            normal_map: None,
        };
        for (uv, alpha, r0) in [(Vec2::new(0.25, 0.25), 0.09f32, 0.2f32), (Vec2::new(0.75, 0.25), 1.0, 0.9)] {
            match &*m.bsdf_at(|| uv) {
                Bsdf::Conductor { fresnel: Fresnel::Schlick(c), alpha: a } => {
                    assert!((a - alpha).abs() < 1e-6 && (c.x - r0).abs() < 1e-6, "{uv}: {a} {c}");
                }
                other => panic!("{other:?}"),
            }
        }
        let glass = Bsdf::RoughDielectric { ior: 1.5, tint: Vec3::ONE, alpha: 0.5 };
        assert!(matches!(glass.with_alpha(0.0), Bsdf::RoughDielectric { alpha, .. } if alpha == MIN_ROUGH_ALPHA));
    }

    #[test]
    fn glass_conserves_energy_from_both_sides() {
        let glass = Bsdf::Dielectric { ior: Vec3::splat(1.5), tint: Vec3::ONE, dispersive: false, lanes: 3 };
        let frame = Frame::from_normal(Vec3::Z);
        for wo in [Vec3::new(0.3, 0.0, 0.95).normalize(), Vec3::new(0.3, 0.0, -0.95).normalize()] {
            let mut reflected = 0;
            for i in 0..10_000u64 {
                let mut s = SampleStream::new(5, i, 0);
                let bs = glass.sample(&frame, wo, s.next_1d(), s.next_2d(), None).unwrap();
                assert!(bs.delta);
                if bs.wi.z * wo.z > 0.0 {
                    reflected += 1;
                    assert!((bs.weight - Vec3::ONE).length() < 1e-5);
                }
            }
            assert!(reflected > 100 && reflected < 1500, "{reflected}");
        }
    }
}
