//! What a ray that leaves the scene sees: a uniform colour, or an
//! environment map. Both are lights at infinity: next-event
//! estimation samples them (uniformly over the sphere, or by the map's
//! luminance) and their density combines with BSDF sampling by MIS.

use super::envmap::Envmap;
use crate::math::{sampling, Vec2, Vec3};
use crate::spectrum::{Radiance, TexelBasis};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum Background<S = Vec3> {
    Uniform(S),
    Envmap(Arc<Sky<S>>),
}

/// An environment map, and what its RGB texels become.
#[derive(Debug)]
pub struct Sky<S> {
    /// Shared by every spectral group.
    pub map: Arc<Envmap>,
    pub basis: TexelBasis<S>,
}

impl<S: Radiance> Background<S> {
    /// Radiance arriving from direction `dir` (pointing out of the scene).
    #[inline]
    pub fn eval(&self, dir: Vec3) -> S {
        match self {
            Background::Uniform(radiance) => *radiance,
            Background::Envmap(sky) => sky.basis.apply(sky.map.eval(dir)),
        }
    }

    /// True when no light comes from it.
    pub fn is_black(&self) -> bool {
        match self {
            Background::Uniform(radiance) => radiance.max_element() <= 0.0,
            Background::Envmap(sky) => sky.map.mean() <= 0.0,
        }
    }

    /// Mean radiance over the sphere (channel mean), to weigh lights.
    pub fn mean(&self) -> f32 {
        match self {
            Background::Uniform(radiance) => radiance.mean(),
            Background::Envmap(sky) => sky.map.mean(),
        }
    }

    /// A direction, its radiance and solid-angle density.
    pub fn sample(&self, u: Vec2) -> Option<(Vec3, S, f32)> {
        match self {
            Background::Uniform(radiance) => {
                Some((sampling::uniform_sphere(u), *radiance, sampling::UNIFORM_SPHERE_PDF))
            }
            Background::Envmap(sky) => sky.map.sample(u).map(|(dir, rgb, pdf)| (dir, sky.basis.apply(rgb), pdf)),
        }
    }

    /// The density with which `sample` picks `dir`.
    #[inline]
    pub fn pdf(&self, dir: Vec3) -> f32 {
        match self {
            Background::Uniform(_) => sampling::UNIFORM_SPHERE_PDF,
            Background::Envmap(sky) => sky.map.pdf(dir),
        }
    }
}
