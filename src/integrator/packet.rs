//! Path tracing camera samples (a batch of pixels' samples) `WIDTH` at a
//! time, side by side, under MIS, in RGB and spectral mode (what a path
//! carries: `RadianceLanes`). Their segments and shadow rays are traced
//! together in Embree packets, and the vertices on plain diffuse surfaces
//! (the common case) are shaded together in structure-of-arrays lanes,
//! which vectorise. A lane
//! whose path ends takes the next sample at once, so that packets stay
//! full; a lane that meets any other vertex finishes its path alone
//! (`path::finish`) and is free again.
//!
//! Each sample draws its own random numbers in its own order, and each lane
//! does the scalar code's operations in its order, so a sample's radiance is
//! bit for bit what `path::li` gives it (the tests check this): images do
//! not depend on which samples share a packet.

use super::lanes::{add, and, div, each, each2, mul, not, select, splat, sub, test, Floats, Mask, Vecs};
pub use super::lanes::{Isa, WIDTH};
use super::path::{self, Path, LONG_PATH, LONG_PATH_CONTINUE};
pub use super::radiance_lanes::RadianceLanes;
use crate::accel::RayLanes;
use crate::geometry::Triangle;
use crate::light::Light;
use crate::material::{Bsdf, Material};
use crate::math::trig::sin_cos_octant;
use crate::math::{Frame, Ray, SetLanes, Vec2};
use crate::sampler::SampleStream;
use crate::scene::desc::Strategy;
use crate::scene::runtime::NO_LIGHT;
use crate::scene::{Interaction, Scene};
use crate::spectrum::Radiance;
use std::f32::consts::{FRAC_1_PI, FRAC_PI_4};

/// Camera samples (some pixels' samples of a pass): their camera rays, the
/// rays' hits (traced ahead, together) and their random streams.
pub struct CameraSamples<'a> {
    pub rays: &'a [Ray],
    pub hits: &'a [Option<Interaction>],
    pub streams: &'a [SampleStream],
}

/// What every path of a pass shares.
#[derive(Clone, Copy)]
struct Setup<'a, S: RadianceLanes> {
    scene: &'a Scene<S>,
    /// Maximum depth and the depth where roulette starts.
    depths: (u32, u32),
    /// Whether the background is black (a path that leaves gets nothing).
    dark: bool,
}

/// The lanes shade under MIS (`Strategy::Mis`), the renderer's estimator;
/// the single-strategy ones, kept for tests, trace one path at a time.
const STRATEGY: Strategy = Strategy::Mis;

/// The radiance of each camera sample into `out` (as long as `samples`):
/// `path::li` under MIS on each, `WIDTH` traced side by side, in the
/// widest instruction set this CPU has.
pub fn li<S: RadianceLanes>(scene: &Scene<S>, samples: &CameraSamples, depths: (u32, u32), out: &mut [S]) {
    li_in(Isa::widest(), scene, samples, depths, out)
}

/// `li` compiled for `isa` (the same bits in each: Rust fuses no
/// multiply-adds unasked, and the lanes use no approximate instructions).
pub fn li_in<S: RadianceLanes>(isa: Isa, scene: &Scene<S>, samples: &CameraSamples, depths: (u32, u32), out: &mut [S]) {
    match isa {
        Isa::Build => li_lanes(scene, samples, depths, out),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Isa::Avx512` exists only where the CPU has these features.
        Isa::Avx512 => unsafe { li_avx512(scene, samples, depths, out) },
    }
}

/// `li_lanes` with AVX-512, its 16-wide vectors and mask registers: on
/// Mitsuba's box 1.06x the whole render against the build's AVX2.
/// Everything it calls in a pass is inlined into it (`#[inline(always)]`
/// down the call tree), or it would run in the build's instruction set.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512cd,avx512bw,avx512dq,avx512vl")]
fn li_avx512<S: RadianceLanes>(scene: &Scene<S>, samples: &CameraSamples, depths: (u32, u32), out: &mut [S]) {
    li_lanes(scene, samples, depths, out)
}

#[inline(always)]
fn li_lanes<S: RadianceLanes>(scene: &Scene<S>, samples: &CameraSamples, depths: (u32, u32), out: &mut [S]) {
    let n = samples.rays.len();
    assert!(samples.hits.len() == n && samples.streams.len() == n && out.len() == n);
    let Some(first_stream) = samples.streams.first() else { return };
    let setup = Setup { scene, depths, dark: scene.background.is_black() };
    let mut lanes = Lanes {
        paths: Paths::default(),
        hits: [None; WIDTH],
        alive: [false; WIDTH],
        sample: [0; WIDTH],
        streams: std::array::from_fn(|_| first_stream.clone()),
    };
    let mut next = 0;
    // Reused from round to round (in spectral mode they are large).
    let (mut diffuse, mut lights, mut shadows) = (Diffuse::default(), LightSamples::default(), Shadows::default());
    loop {
        // Lanes freed by handing over take new samples at once, until every
        // lane is diffuse or the samples run out: full rounds.
        diffuse.clear();
        loop {
            next = lanes.fill(samples, next);
            if !lanes.hand_over_all_but_diffuse(&setup, out, &mut diffuse) || next == n {
                break;
            }
        }
        if !lanes.alive.contains(&true) {
            break;
        }
        // From here on the live lanes are the diffuse ones.
        diffuse.shade(&setup, &mut lanes, &mut lights, &mut shadows);
        shadows.test(scene, &mut lanes.paths);
        lanes.paths.trace_next(scene, lanes.alive, &mut lanes.hits);
        for i in SetLanes::of(&and(diffuse.lanes, not(lanes.alive))) {
            out[lanes.sample[i]] = S::at(&lanes.paths.l, i);
        }
    }
}

/// `WIDTH` paths in flight: their state, the hits their segments reached,
/// and which sample each carries with its stream.
struct Lanes<S: RadianceLanes> {
    paths: Paths<S>,
    hits: [Option<Interaction>; WIDTH],
    alive: Mask,
    sample: [usize; WIDTH],
    streams: [SampleStream; WIDTH],
}

impl<S: RadianceLanes> Lanes<S> {
    /// Starts the samples from `next` on in the free lanes: the next sample
    /// to start afterwards.
    #[inline(always)]
    fn fill(&mut self, samples: &CameraSamples, mut next: usize) -> usize {
        for i in SetLanes::of(&not(self.alive)) {
            if next == samples.rays.len() {
                break;
            }
            self.paths.put(i, &Path::new(samples.rays[next]));
            self.hits[i] = samples.hits[next];
            self.alive[i] = true;
            self.sample[i] = next;
            self.streams[i] = samples.streams[next].clone();
            next += 1;
        }
        next
    }

    /// Gathers into `diffuse` the live lanes at a plain diffuse vertex not
    /// yet in it; every other live lane finishes its path alone, into
    /// `out`, and is freed. Whether any lane was freed.
    #[inline(always)]
    fn hand_over_all_but_diffuse(&mut self, setup: &Setup<S>, out: &mut [S], diffuse: &mut Diffuse<S>) -> bool {
        let mut handed_over = false;
        for i in SetLanes::of(&and(self.alive, not(diffuse.lanes))) {
            let before_last = self.paths.depth[i] < setup.depths.0;
            match plain_diffuse(setup.scene, self.hits[i].as_ref(), before_last) {
                Some((si, reflectance)) => diffuse.gather(i, si, reflectance),
                None => {
                    // A path that leaves a scene without a background ends
                    // with the light it has: `path::finish` adds nothing.
                    out[self.sample[i]] = if self.hits[i].is_none() && setup.dark {
                        S::at(&self.paths.l, i)
                    } else {
                        let (path, s) = (self.paths.get(i), &mut self.streams[i]);
                        finish_alone(setup.scene, path, self.hits[i], s, setup.depths)
                    };
                    self.alive[i] = false;
                    handed_over = true;
                }
            }
        }
        handed_over
    }
}

/// `path::finish` for a lane handed over. Out of line, so in the build's
/// instruction set: inlined, it doubled the lanes' code (37.7 KB against
/// 21.6), more than the instruction cache holds, and the box rendered 2%
/// slower (docs/architecture.md).
#[inline(never)]
fn finish_alone<S: RadianceLanes>(
    scene: &Scene<S>,
    path: Path<S>,
    hit: Option<Interaction>,
    s: &mut SampleStream,
    depths: (u32, u32),
) -> S {
    path::finish(scene, path, hit, s, depths, STRATEGY)
}

/// The hit and its material's reflectance if the vectorised shading below
/// is exactly what `path::finish` would do there: a diffuse BSDF with
/// nothing varying over the surface, before the last vertex.
#[inline(always)]
fn plain_diffuse<'a, 's, S: Radiance>(
    scene: &'s Scene<S>,
    hit: Option<&'a Interaction>,
    before_last: bool,
) -> Option<(&'a Interaction, &'s S)> {
    let si = hit?;
    let mat: &Material<S> = scene.material(si.material);
    let plain =
        mat.varying.is_none() && mat.opacity.is_none() && mat.normal_map.is_none() && mat.emission_texture.is_none();
    match &mat.bsdf {
        Bsdf::Diffuse { reflectance } if plain && before_last => Some((si, reflectance)),
        _ => None,
    }
}

/// `WIDTH` paths' state (`Path`'s fields), lane by lane. A path in a lane
/// has met only plain diffuse vertices (any other takes it out), so it has
/// no hero lane, no cut-outs and no refraction (`eta_scale` 1), and its last
/// vertex sampled specularly only at the camera (depth 1): those fields of
/// `Path` are not kept.
#[derive(Default)]
struct Paths<S: RadianceLanes> {
    origin: Vecs,
    dir: Vecs,
    t_max: Floats,
    l: S::Lanes,
    beta: S::Lanes,
    prev_pdf: Floats,
    prev_p: Vecs,
    prev_n: Vecs,
    depth: [u32; WIDTH],
}

impl<S: RadianceLanes> Paths<S> {
    #[inline(always)]
    fn get(&self, i: usize) -> Path<S> {
        Path {
            ray: Ray::segment(self.origin.lane(i), self.dir.lane(i), self.t_max[i]),
            l: S::at(&self.l, i),
            beta: S::at(&self.beta, i),
            hero: None,
            prev_delta: self.depth[i] == 1,
            prev_pdf: self.prev_pdf[i],
            prev_p: self.prev_p.lane(i),
            prev_n: self.prev_n.lane(i),
            eta_scale: 1.0,
            depth: self.depth[i],
            cutouts: 0,
        }
    }

    #[inline(always)]
    fn put(&mut self, i: usize, p: &Path<S>) {
        let constant = p.hero.is_none() && p.cutouts == 0 && p.eta_scale == 1.0;
        debug_assert!(constant && p.prev_delta == (p.depth == 1), "a lane's path has met a non-diffuse vertex");
        self.origin.set(i, p.ray.origin);
        self.dir.set(i, p.ray.dir);
        self.t_max[i] = p.ray.t_max;
        S::put(&mut self.l, i, p.l);
        S::put(&mut self.beta, i, p.beta);
        self.prev_pdf[i] = p.prev_pdf;
        self.prev_p.set(i, p.prev_p);
        self.prev_n.set(i, p.prev_n);
        self.depth[i] = p.depth;
    }

    /// The hits of the next segments of the paths still `alive`.
    #[inline(always)]
    fn trace_next(&self, scene: &Scene<S>, alive: Mask, hits: &mut [Option<Interaction>; WIDTH]) {
        scene.intersect_lanes(&ray_lanes(&self.origin, &self.dir, self.t_max, alive), hits);
    }
}

/// Rays from lane vectors, on where `active`.
#[inline(always)]
fn ray_lanes(origin: &Vecs, dir: &Vecs, t_max: Floats, active: Mask) -> RayLanes {
    RayLanes { origin: [origin.x, origin.y, origin.z], dir: [dir.x, dir.y, dir.z], t_max, active }
}

/// Next-event estimation's shadow rays, lane by lane, with the light each
/// brings where it passes: `carried · (w / pdf)`.
#[derive(Default)]
struct Shadows<S: RadianceLanes> {
    origin: Vecs,
    dir: Vecs,
    t_max: Floats,
    carried: S::Lanes,
    w: Floats,
    pdf: Floats,
    waiting: Mask,
}

impl<S: RadianceLanes> Shadows<S> {
    /// Adds each waiting ray's light where it passes.
    #[inline(always)]
    fn test(&self, scene: &Scene<S>, paths: &mut Paths<S>) {
        let seen = scene.visibility_lanes(&ray_lanes(&self.origin, &self.dir, self.t_max, self.waiting));
        let arrives = and(self.waiting, test(seen, seen, |v, _| v > 0.0));
        S::add_scaled(&mut paths.l, arrives, &self.carried, div(mul(self.w, seen), self.pdf));
    }
}

/// The lanes whose vertex is on a plain diffuse surface, gathered.
#[derive(Default)]
struct Diffuse<S: RadianceLanes> {
    lanes: Mask,
    p: Vecs,
    /// The geometric normal.
    n: Vecs,
    /// The shading normal.
    ns: Vecs,
    reflectance: S::Lanes,
    on_light: Mask,
}

impl<S: RadianceLanes> Diffuse<S> {
    /// No lane gathered.
    #[inline(always)]
    fn clear(&mut self) {
        (self.lanes, self.on_light) = ([false; WIDTH], [false; WIDTH]);
    }

    #[inline(always)]
    fn gather(&mut self, i: usize, si: &Interaction, reflectance: &S) {
        self.p.set(i, si.p);
        self.n.set(i, si.n);
        self.ns.set(i, si.ns);
        S::put(&mut self.reflectance, i, *reflectance);
        self.lanes[i] = true;
        self.on_light[i] = si.light != NO_LIGHT;
    }

    /// `path::finish`'s step at each diffuse lane, the arithmetic side by
    /// side: light emitted towards the path, next-event estimation (into
    /// `shadows`), the BSDF sample and roulette.
    #[inline(always)]
    fn shade(&self, setup: &Setup<S>, lanes: &mut Lanes<S>, lights: &mut LightSamples<S>, shadows: &mut Shadows<S>) {
        let u_dir = self.emitted_and_light_samples(setup.scene, lanes, lights);
        let frames = Frames::around(self.ns);
        let wo = lanes.paths.dir.neg();
        let wo_local = frames.to_local(wo);
        let (wi, pdf, sampled) = sample_cosine(&frames, wo_local, u_dir);
        let sampled = and(and(self.lanes, sampled), test(self.n.dot(wo), self.n.dot(wi), |a, b| a * b > 0.0));
        self.next_event(&frames, &lanes.paths.beta, (wo, wo_local), lights, shadows);
        // Drawn at every diffuse lane: one that did not sample a direction
        // ends here, and its stream with it.
        let mut u_rr = splat(0.0);
        for ((u, s), &mine) in u_rr.iter_mut().zip(&mut lanes.streams).zip(&self.lanes) {
            if mine {
                *u = s.next_1d();
            }
        }
        lanes.alive = self.go_on(&mut lanes.paths, (wi, pdf), (sampled, u_rr), setup.depths.1);
    }

    /// Adds the light each diffuse lane's vertex emits towards its path,
    /// draws the numbers `path::finish` draws there (in its order), and
    /// samples a light: the BSDF's two numbers per lane, and the light
    /// samples.
    #[inline(always)]
    fn emitted_and_light_samples(
        &self,
        scene: &Scene<S>,
        lanes: &mut Lanes<S>,
        lights: &mut LightSamples<S>,
    ) -> [Floats; 2] {
        let mut u_dir = [splat(0.0); 2];
        (lights.found, lights.delta) = ([false; WIDTH], [false; WIDTH]);
        let mut triangles = LightTriangles::default();
        let paths = &mut lanes.paths;
        for i in 0..WIDTH {
            if !self.lanes[i] {
                continue;
            }
            let si = lanes.hits[i].as_ref().expect("a diffuse lane has a hit");
            let dir = paths.dir.lane(i);
            if self.on_light[i] && si.n.dot(-dir) > 0.0 {
                let prev = (paths.depth[i] == 1, paths.prev_pdf[i], paths.prev_p.lane(i), paths.prev_n.lane(i));
                let w = path::emitted_weight(scene, si, prev, dir, STRATEGY);
                let emission = scene.material(si.material).emission;
                let l = S::at(&paths.l, i) + S::at(&paths.beta, i) * emission * w;
                S::put(&mut paths.l, i, l);
            }
            let s = &mut lanes.streams[i];
            let (u_choose, u_prim, u_light) = (s.next_u64(), s.next_u64(), s.next_2d());
            let (_u_lobe, u) = (s.next_1d(), s.next_2d());
            let [ux, uy] = &mut u_dir;
            (ux[i], uy[i]) = (u.x, u.y);
            let Some((light, pmf)) = scene.lights.choose(si.p, si.n, u_choose) else {
                continue;
            };
            match light {
                Light::Area { emission, texture: None, emitter, .. } if emitter.world_triangles.is_some() => {
                    let kept = emitter.world_triangles.as_deref().expect("checked");
                    if let Some((prim, prim_pmf)) = emitter.prims.sample(u_prim) {
                        triangles.gather(i, &kept[prim], (pmf, prim_pmf), u_light);
                        S::put(&mut lights.radiance, i, *emission);
                    }
                }
                _ => {
                    if let Some(ls) = light.sample_li(scene.geometry(), si.p, u_prim, u_light) {
                        lights.wi.set(i, ls.wi);
                        S::put(&mut lights.radiance, i, ls.radiance);
                        (lights.dist[i], lights.pdf[i]) = (ls.dist, pmf * ls.pdf);
                        (lights.delta[i], lights.found[i]) = (ls.delta, true);
                    }
                }
            }
        }
        triangles.sample(self.p, lights);
        u_dir
    }

    /// Next-event estimation: the shadow ray of each light sample that the
    /// BSDF does not zero, for paths that carry `beta`.
    #[inline(always)]
    fn next_event(
        &self,
        frames: &Frames,
        beta: &S::Lanes,
        (wo, wo_local): (Vecs, Vecs),
        lights: &LightSamples<S>,
        shadows: &mut Shadows<S>,
    ) {
        let wi_local = frames.to_local(lights.wi);
        // Both `Bsdf::eval` and `Bsdf::pdf` are zero unless wo and wi are
        // on one side; the cosine is the same in both.
        let apart = test(mul(wo_local.z, wi_local.z), splat(0.0), |a, b| a <= b);
        let cos = each(wi_local.z, f32::abs);
        let bsdf_pdf = select(apart, splat(0.0), each(cos, |c| c.max(0.0) * FRAC_1_PI));
        let f_scale = select(apart, splat(0.0), each(cos, |c| FRAC_1_PI * c));
        let w = select(lights.delta, splat(1.0), power_heuristics(lights.pdf, bsdf_pdf));
        let allowed = test(self.n.dot(wo), self.n.dot(lights.wi), |a, b| a * b > 0.0);
        let lit = and(and(self.lanes, lights.found), allowed);
        let f_max = S::maxima_scaled(&self.reflectance, f_scale, lit);
        let lit = and(lit, test(f_max, splat(0.0), |m, z| m > z));
        let origin = offset_origins(self.p, self.n, lights.wi);
        let (dir, t_max) = shadow_rays(origin, self.p, lights.wi, lights.dist);
        S::carry(&mut shadows.carried, lit, beta, (&self.reflectance, f_scale), &lights.radiance);
        (shadows.origin, shadows.dir, shadows.t_max) = (origin, dir, t_max);
        (shadows.w, shadows.pdf, shadows.waiting) = (w, lights.pdf, lit);
    }

    /// Takes the BSDF samples (`wi`, `pdf`) as the next segments where
    /// `sampled` (the other lanes end), and plays roulette with `u_rr` from
    /// depth `rr_depth` on: which lanes go on. A lane that ends keeps its
    /// gathered light; the rest of its state no longer matters, so it is
    /// overwritten without a select.
    #[inline(always)]
    fn go_on(
        &self,
        paths: &mut Paths<S>,
        (wi, pdf): (Vecs, Floats),
        (sampled, u_rr): (Mask, Floats),
        rr_depth: u32,
    ) -> Mask {
        let roulette: Mask = and(self.lanes, paths.depth.map(|d| d >= rr_depth));
        let cap = paths.depth.map(|d| if d < LONG_PATH { 1.0 } else { LONG_PATH_CONTINUE });
        let maxima = S::times(&mut paths.beta, self.lanes, &self.reflectance);
        // `path::finish` multiplies by eta_scale, 1 here: the same bits.
        let q = each2(maxima, cap, f32::min);
        S::divide(&mut paths.beta, roulette, q);
        let origin = offset_origins(self.p, self.n, wi);
        // `u_rr >= q` ends a path, as in `path::finish` (q is never NaN:
        // `min` with the cap drops a NaN maximum). A loop: `array::from_fn`
        // here was not inlined (so not in AVX-512).
        let mut kept = [false; WIDTH];
        for i in 0..WIDTH {
            kept[i] = !roulette[i] || u_rr[i] < q[i];
        }
        // `path::finish` tests the largest component after the division;
        // dividing by a kept lane's q, in (0, 1], keeps every component's
        // order, sign and NaN: the product's largest tells the same.
        let goes_on = and(and(sampled, kept), test(maxima, splat(0.0), |m, z| m > z || m.is_nan()));
        paths.prev_pdf = pdf;
        paths.prev_p = self.p;
        paths.prev_n = self.n;
        paths.origin = origin;
        paths.dir = wi;
        paths.t_max = splat(f32::INFINITY);
        for (depth, &on) in paths.depth.iter_mut().zip(&goes_on) {
            *depth += u32::from(on);
        }
        goes_on
    }
}

/// One light sample per lane (what `Light::sample_li` gave, with the
/// light's choice probability folded into `pdf`).
#[derive(Default)]
struct LightSamples<S: RadianceLanes> {
    wi: Vecs,
    dist: Floats,
    radiance: S::Lanes,
    pdf: Floats,
    delta: Mask,
    found: Mask,
}

/// Triangles of area lights chosen at some lanes (the world-space ones an
/// emitter keeps), to be sampled side by side as `Light::sample_li` would.
#[derive(Default)]
struct LightTriangles {
    p0: Vecs,
    e1: Vecs,
    e2: Vecs,
    normal: Vecs,
    inv_area: Floats,
    /// The light's and the triangle's choice probabilities.
    pmf: [Floats; 2],
    u: [Floats; 2],
    chosen: Mask,
}

impl LightTriangles {
    #[inline(always)]
    fn gather(&mut self, i: usize, t: &Triangle, (light_pmf, prim_pmf): (f32, f32), u: Vec2) {
        self.p0.set(i, t.p0);
        self.e1.set(i, t.e1);
        self.e2.set(i, t.e2);
        self.normal.set(i, t.normal);
        self.inv_area[i] = 1.0 / t.area();
        (self.pmf[0][i], self.pmf[1][i]) = (light_pmf, prim_pmf);
        (self.u[0][i], self.u[1][i]) = (u.x, u.y);
        self.chosen[i] = true;
    }

    /// `Triangle::sample_toward` from `p` and the rest of `sample_li`, at
    /// each chosen lane, into `lights`.
    #[inline(always)]
    fn sample<S: RadianceLanes>(&self, p: Vecs, lights: &mut LightSamples<S>) {
        // `sampling::uniform_triangle`, both branches computed and one kept.
        let [ux, uy] = self.u;
        let (half_x, half_y) = (each(ux, |u| u / 2.0), each(uy, |u| u / 2.0));
        let x_first = test(ux, uy, |x, y| x < y);
        let b0 = select(x_first, half_x, sub(ux, half_y));
        let b1 = select(x_first, sub(uy, half_x), half_y);
        let point = self.p0.add(self.e1.scale(b0)).add(self.e2.scale(b1));
        let to = point.sub(p);
        let d2 = to.dot(to);
        let dist = each(d2, f32::sqrt);
        let cos_light = div(self.normal.dot(to.neg()), dist);
        let pdf = div(mul(self.inv_area, d2), cos_light);
        let faces = and(
            test(cos_light, self.inv_area, |c, a| c > 0.0 && a > 0.0),
            test(d2, pdf, |d2, pdf| d2 != 0.0 && pdf.is_finite()),
        );
        let wi = to.div_by(dist);
        let pdf = mul(self.pmf[0], mul(self.pmf[1], pdf));
        let sampled = and(self.chosen, faces);
        lights.wi = Vecs::select(sampled, wi, lights.wi);
        lights.dist = select(sampled, dist, lights.dist);
        lights.pdf = select(sampled, pdf, lights.pdf);
        for (found, &sampled) in lights.found.iter_mut().zip(&sampled) {
            *found |= sampled;
        }
    }
}

/// `Frame::from_normal` at each lane.
struct Frames {
    s: Vecs,
    t: Vecs,
    n: Vecs,
}

impl Frames {
    #[inline(always)]
    fn around(n: Vecs) -> Frames {
        let (mut s, mut t) = (Vecs::default(), Vecs::default());
        for i in 0..WIDTH {
            let f = Frame::from_normal(n.lane(i));
            s.set(i, f.s);
            t.set(i, f.t);
        }
        Frames { s, t, n }
    }

    #[inline(always)]
    fn to_local(&self, v: Vecs) -> Vecs {
        Vecs { x: v.dot(self.s), y: v.dot(self.t), z: v.dot(self.n) }
    }

    #[inline(always)]
    fn to_world(&self, v: Vecs) -> Vecs {
        self.s.scale(v.x).add(self.t.scale(v.y)).add(self.n.scale(v.z))
    }
}

/// `Bsdf::sample` of a diffuse BSDF at each lane: the direction (world
/// space), its density, and whether there is one.
#[inline(always)]
fn sample_cosine(frames: &Frames, wo_local: Vecs, u: [Floats; 2]) -> (Vecs, Floats, Mask) {
    // `sampling::concentric_disk`, both branches computed and one kept.
    let (ox, oy) = (each(u[0], |u| u * 2.0 - 1.0), each(u[1], |u| u * 2.0 - 1.0));
    let x_wider = test(each(ox, f32::abs), each(oy, f32::abs), |a, b| a > b);
    let (along, across) = (select(x_wider, ox, oy), select(x_wider, oy, ox));
    let (mut sin, mut cos) = (splat(0.0), splat(0.0));
    for i in 0..WIDTH {
        (sin[i], cos[i]) = sin_cos_octant(FRAC_PI_4 * (across[i] / along[i]));
    }
    let centre = and(test(ox, splat(0.0), |a, b| a == b), test(oy, splat(0.0), |a, b| a == b));
    let dx = select(centre, splat(0.0), mul(select(x_wider, cos, sin), along));
    let dy = select(centre, splat(0.0), mul(select(x_wider, sin, cos), along));
    // `sampling::cosine_hemisphere`, on the side of wo.
    let dz = each(sub(sub(splat(1.0), mul(dx, dx)), mul(dy, dy)), |v| v.max(0.0).sqrt());
    let dz = select(test(wo_local.z, splat(0.0), |a, b| a < b), each(dz, |z| -z), dz);
    let pdf = each(dz, |z| z.abs().max(0.0) * FRAC_1_PI);
    let found = and(test(wo_local.z, splat(0.0), |a, b| a != b), test(pdf, splat(0.0), |a, b| a > b));
    (frames.to_world(Vecs { x: dx, y: dy, z: dz }), pdf, found)
}

/// `power_heuristic` at each lane, its cases chosen by selects (a branch
/// per lane would keep the compiler from vectorising it).
#[inline(always)]
fn power_heuristics(pdf_a: Floats, pdf_b: Floats) -> Floats {
    let (a, b) = (mul(pdf_a, pdf_a), mul(pdf_b, pdf_b));
    let sum = add(a, b);
    let ratio = select(test(sum, sum, |s, _| s == 0.0), splat(0.0), div(a, sum));
    select(test(a, a, |a, _| a.is_infinite()), splat(1.0), ratio)
}

/// `shadow_ray` at each lane: its direction and length.
#[inline(always)]
fn shadow_rays(origin: Vecs, shaded: Vecs, wi: Vecs, dist: Floats) -> (Vecs, Floats) {
    let target = shaded.add(wi.scale(dist));
    let to = target.sub(origin);
    let length = each(to.dot(to), f32::sqrt);
    let margin = each(target.abs().max_element(), |m| 1e-4 * (1.0 + m));
    let finite = test(dist, dist, |d, _| d.is_finite());
    let dir = Vecs::select(finite, to.div_by(length), wi);
    let t_max = select(finite, each2(length, margin, |l, m| (l - m).max(0.0)), splat(f32::INFINITY));
    (dir, t_max)
}

/// `offset_origin` at each lane: off the surface along the normal, to the
/// side `dir` leaves towards (both sides computed, one kept: a branch on
/// each lane's side would be mispredicted half the time).
#[inline(always)]
fn offset_origins(p: Vecs, n: Vecs, dir: Vecs) -> Vecs {
    let scale = each(p.abs().max_element(), |m| 1e-4 * (1.0 + m));
    let leaves_front = test(n.dot(dir), splat(0.0), |a, b| a >= b);
    Vecs::select(leaves_front, p.add(n.scale(scale)), p.sub(n.scale(scale)))
}
