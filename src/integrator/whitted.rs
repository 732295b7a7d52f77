//! The classic recursive ray tracer: direct light from point and directional
//! lights at diffuse and rough surfaces, every lobe of mirrors and glass
//! followed recursively, emitters and the background seen directly; a
//! cut-out blends its surface with what lies behind by its opacity.

use crate::math::{offset_origin, shadow_ray, Ray, Vec2};
use crate::scene::{Interaction, Scene};
use crate::spectrum::Radiance;

/// Branches that would add less than this to the pixel are not followed.
const MIN_CONTRIBUTION: f32 = 1e-4;
/// Recursion stops here even when max_depth is unlimited.
const MAX_RECURSION: u32 = 64;

pub fn li<S: Radiance>(scene: &Scene<S>, ray: &Ray, depth: u32, max_depth: u32, throughput: S) -> S {
    shade(scene, ray, scene.intersect(ray), depth, max_depth, throughput)
}

/// `li` for a ray whose nearest hit is known.
pub fn shade<S: Radiance>(
    scene: &Scene<S>,
    ray: &Ray,
    hit: Option<Interaction>,
    depth: u32,
    max_depth: u32,
    throughput: S,
) -> S {
    let Some(si) = hit else {
        return scene.background.eval(ray.dir);
    };
    let wo = -ray.dir;
    let mat = scene.material(si.material);
    let uv = scene.lazy_uv(&si);
    let mut l = if si.n.dot(wo) > 0.0 { mat.emission_at(|| uv.get()) } else { S::ZERO };
    if depth >= max_depth.min(MAX_RECURSION) {
        return l;
    }
    // A cut-out: the surface's share, plus what lies behind for the rest.
    let alpha = mat.opacity_at(|| uv.get());
    if alpha < 1.0 {
        let behind = throughput * (1.0 - alpha);
        if behind.max_element() > MIN_CONTRIBUTION {
            l += li(scene, &scene.continue_through(&si, ray), depth + 1, max_depth, behind) * (1.0 - alpha);
        }
        if alpha <= 0.0 {
            return l;
        }
    }
    let surface = |v: S| v * alpha;
    let shading = scene.shading(&si, mat, wo, || uv.get());
    let bsdf = &*mat.bsdf_at(|| uv.get());
    if bsdf.is_delta() {
        for (wi, weight) in shading.specular_lobes(bsdf, wo) {
            let t = throughput * weight;
            if t.max_element() > MIN_CONTRIBUTION {
                let next = Ray::new(offset_origin(si.p, si.n, wi), wi);
                l += surface(weight * li(scene, &next, depth + 1, max_depth, t));
            }
        }
        return l;
    }
    for light in &scene.lights.lights {
        if !light.is_delta() {
            continue;
        }
        let Some(ls) = light.sample_li(scene.geometry(), si.p, 0, Vec2::ZERO) else {
            continue;
        };
        let f = shading.eval(bsdf, wo, ls.wi);
        if f.max_element() <= 0.0 || !shading.allows(bsdf, wo, ls.wi) {
            continue;
        }
        let origin = offset_origin(si.p, si.n, ls.wi);
        let visible = scene.visibility(&shadow_ray(origin, si.p, ls.wi, ls.dist));
        if visible > 0.0 {
            l += surface(f * ls.radiance * visible);
        }
    }
    l
}
