//! Unidirectional path tracing with next-event estimation over every light,
//! combined with BSDF sampling by multiple importance sampling (power
//! heuristic), and unbiased Russian roulette. `Strategy::Lights` and
//! `Strategy::Bsdf` keep one of the two estimators alone (each unbiased on
//! its own), so that tests can check that all three agree.

use super::Primary;
use crate::geometry::SurfacePoint;
use crate::material::Material;
use crate::math::sampling::power_heuristic;
use crate::math::{offset_origin, shadow_ray, Ray, Vec2, Vec3};
use crate::sampler::SampleStream;
use crate::scene::desc::Strategy;
use crate::scene::runtime::{MAX_CUTOUTS, NO_LIGHT};
use crate::scene::{Interaction, Scene};
use crate::spectrum::Radiance;

/// Past this many segments Russian roulette keeps a path with probability at
/// most `LONG_PATH_CONTINUE`, so that even lossless closed scenes with
/// unlimited depth end. Before it, a path whose throughput has not dropped is
/// never cut (cutting adds variance; any probability stays unbiased).
pub const LONG_PATH: u32 = 64;
pub const LONG_PATH_CONTINUE: f32 = 0.95;

/// The weight of a sample drawn with density `pdf` when the other strategy
/// would have drawn it with density `other`: the power heuristic under MIS,
/// all or nothing when one strategy runs alone (`sampled_by_lights` says
/// which strategy drew this one).
#[inline]
fn weight(strategy: Strategy, sampled_by_lights: bool, pdf: f32, other: f32) -> f32 {
    match strategy {
        Strategy::Mis => power_heuristic(pdf, other),
        Strategy::Lights => f32::from(u8::from(sampled_by_lights)),
        Strategy::Bsdf => f32::from(u8::from(!sampled_by_lights)),
    }
}

/// Radiance along a camera ray (`primary`, its hit traced ahead).
#[inline]
pub fn li<S: Radiance>(
    scene: &Scene<S>,
    primary: &Primary,
    s: &mut SampleStream,
    depths: (u32, u32),
    strategy: Strategy,
) -> S {
    finish(scene, Path::new(primary.ray), primary.hit, s, depths, strategy)
}

/// A path between two of its vertices: the segment it goes on along, what
/// it carries and has gathered, and what MIS and roulette remember.
#[derive(Clone, Copy, Debug)]
pub struct Path<S> {
    /// The segment to trace next.
    pub ray: Ray,
    /// Radiance gathered so far.
    pub l: S,
    pub beta: S,
    /// The lane a dispersive refraction chose; the path carries it alone.
    pub hero: Option<usize>,
    /// Whether the last vertex sampled a specular direction (the camera
    /// counts as one: what it sees directly gets full weight).
    pub prev_delta: bool,
    pub prev_pdf: f32,
    pub prev_p: Vec3,
    /// The previous vertex's geometric normal (none at the camera).
    pub prev_n: Vec3,
    /// Product of η² over refractions: beta·eta_scale is the throughput
    /// without the radiance scaling at interfaces, which roulette should see.
    pub eta_scale: f32,
    /// The number of the vertex `ray` leads to (the camera's hit is 1).
    pub depth: u32,
    pub cutouts: u32,
}

impl<S: Radiance> Path<S> {
    pub fn new(camera_ray: Ray) -> Path<S> {
        Path {
            ray: camera_ray,
            l: S::ZERO,
            beta: S::ONE,
            hero: None,
            prev_delta: true,
            prev_pdf: 0.0,
            prev_p: camera_ray.origin,
            prev_n: Vec3::ZERO,
            eta_scale: 1.0,
            depth: 1,
            cutouts: 0,
        }
    }
}

/// The radiance `path` ends with, from the vertex `hit` where its segment
/// ends on: `li` from any point of a path (`packet` hands over the paths it
/// does not shade itself).
#[inline(always)]
pub fn finish<S: Radiance>(
    scene: &Scene<S>,
    path: Path<S>,
    hit: Option<Interaction>,
    s: &mut SampleStream,
    depths: (u32, u32),
    strategy: Strategy,
) -> S {
    let Path { mut ray, mut l, mut beta, mut hero, mut prev_delta, mut prev_pdf, mut prev_p, mut prev_n, .. } = path;
    let Path { mut eta_scale, mut depth, mut cutouts, .. } = path;
    // The hit of the segment handed over; later segments trace their own.
    let mut traced = Some(hit);
    let (max_depth, rr_depth) = depths;
    loop {
        let hit = match traced.take() {
            Some(hit) => hit,
            None => scene.intersect(&ray),
        };
        let Some(si) = hit else {
            if !scene.background.is_black() {
                let w = if prev_delta {
                    1.0
                } else {
                    let pdf = scene.lights.background_pmf(prev_p, prev_n) * scene.background.pdf(ray.dir);
                    weight(strategy, false, prev_pdf, pdf)
                };
                l += beta * scene.background.eval(ray.dir) * w;
            }
            break;
        };
        let mat = scene.material(si.material);
        let uv = scene.lazy_uv(&si);
        if passes_through(mat, || uv.get(), s) {
            // A cut-out: the same ray goes on, and the vertex before stays
            // the one MIS and light densities refer to.
            cutouts += 1;
            if cutouts > MAX_CUTOUTS {
                break;
            }
            ray = scene.continue_through(&si, &ray);
            continue;
        }
        let wo = -ray.dir;
        if si.light != NO_LIGHT && si.n.dot(wo) > 0.0 {
            l += beta
                * mat.emission_at(|| uv.get())
                * emitted_weight(scene, &si, (prev_delta, prev_pdf, prev_p, prev_n), ray.dir, strategy);
        }
        if depth >= max_depth {
            break;
        }
        let shading = scene.shading(&si, mat, wo, || uv.get());
        let bsdf = &*mat.bsdf_at(|| uv.get());
        let (u_choose, u_prim, u_light) = (s.next_u64(), s.next_u64(), s.next_2d());
        let (u_lobe, u_dir) = (s.next_1d(), s.next_2d());
        // Sampled before the shadow ray is traced, so that its arithmetic
        // overlaps next-event estimation's instead of waiting behind Embree.
        let sampled = shading.sample(bsdf, wo, u_lobe, u_dir, hero);
        if !bsdf.is_delta() && strategy != Strategy::Bsdf {
            if let Some((light, pmf)) = scene.lights.choose(si.p, si.n, u_choose) {
                if let Some(ls) = light.sample_li(scene.geometry(), si.p, u_prim, u_light) {
                    let f = shading.eval(bsdf, wo, ls.wi);
                    if f.max_element() > 0.0 && shading.allows(bsdf, wo, ls.wi) {
                        let origin = offset_origin(si.p, si.n, ls.wi);
                        let visible = scene.visibility(&shadow_ray(origin, si.p, ls.wi, ls.dist));
                        if visible > 0.0 {
                            let pdf = pmf * ls.pdf;
                            let w = if ls.delta {
                                1.0
                            } else {
                                weight(strategy, true, pdf, bsdf.pdf(&shading.frame, wo, ls.wi))
                            };
                            l += beta * f * ls.radiance * (w * visible / pdf);
                        }
                    }
                }
            }
        }
        let Some(bs) = sampled else {
            break;
        };
        beta *= bs.weight;
        hero = bs.hero.or(hero);
        eta_scale *= bs.eta_squared;
        prev_delta = bs.delta;
        prev_pdf = bs.pdf;
        prev_p = si.p;
        prev_n = si.n;
        ray = Ray::new(offset_origin(si.p, si.n, bs.wi), bs.wi);
        let u_rr = s.next_1d();
        if depth >= rr_depth {
            let cap = if depth < LONG_PATH { 1.0 } else { LONG_PATH_CONTINUE };
            let q = (beta.max_element() * eta_scale).min(cap);
            if u_rr >= q {
                break;
            }
            beta /= q;
        }
        if beta.max_element() <= 0.0 {
            break;
        }
        depth += 1;
    }
    l
}

/// Whether a path passes through the cut-out it hit: with probability
/// 1 − opacity (a random number is drawn only where the opacity is below 1).
#[inline]
fn passes_through<S: Radiance>(mat: &Material<S>, uv: impl FnOnce() -> Vec2, s: &mut SampleStream) -> bool {
    mat.opacity.is_some() && draws_pass(mat, uv(), s)
}

#[inline(never)]
fn draws_pass<S: Radiance>(mat: &Material<S>, uv: Vec2, s: &mut SampleStream) -> bool {
    let alpha = mat.opacity_at(|| uv);
    alpha < 1.0 && s.next_1d() >= alpha
}

/// The MIS weight of the light an area light `si` emits along `dir` towards
/// a path whose previous vertex sampled `dir` (`prev`: whether specularly,
/// the density, that vertex's point and normal).
#[inline]
pub fn emitted_weight<S: Radiance>(
    scene: &Scene<S>,
    si: &Interaction,
    (prev_delta, prev_pdf, prev_p, prev_n): (bool, f32, Vec3, Vec3),
    dir: Vec3,
    strategy: Strategy,
) -> f32 {
    if prev_delta {
        1.0
    } else {
        weight(strategy, false, prev_pdf, light_pdf(scene, si, (prev_p, prev_n), dir))
    }
}

/// Density with which next-event estimation from the vertex `from` (point
/// and normal) would have chosen the point `si` on an area light, reached
/// along `dir`.
fn light_pdf<S: Radiance>(scene: &Scene<S>, si: &Interaction, from: (Vec3, Vec3), dir: Vec3) -> f32 {
    let sp = SurfacePoint { p: si.p, n: si.n };
    let light = &scene.lights.lights[si.light as usize];
    scene.lights.pmf(from.0, from.1, si.light) * light.pdf_li(scene.geometry(), si.prim, from.0, &sp, dir)
}
