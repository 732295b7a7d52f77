//! Primitives seen from a point, as next-event estimation samples them:
//! spheres over the cone of directions they subtend (pbrt-v4 and Mitsuba 3
//! do the same), other primitives by area, converted to solid angle; and the
//! density either way, for MIS.

use super::{Geometry, Object, SurfacePoint, Triangle};
use crate::math::{Vec2, Vec3};

impl Geometry {
    /// A point of primitive `prim` of `object` that may light `p`, and its
    /// solid-angle density seen from `p`; `None` when nothing can arrive.
    pub fn sample_toward(&self, object: u32, prim: u32, p: Vec3, u: Vec2) -> Option<(SurfacePoint, f32)> {
        match &self.objects[object as usize] {
            Object::Sphere(s) => s.sample_cone(p, u).or_else(|| {
                let (sp, pdf_area) = s.sample(u);
                by_area(sp, pdf_area, p)
            }),
            _ => self.world_triangle(object, prim)?.sample_toward(p, u),
        }
    }

    /// The solid-angle density with which `sample_toward` from `p` gives the
    /// point `sp` of primitive `prim`, reached along `wi`.
    pub fn pdf_toward(&self, object: u32, prim: u32, p: Vec3, sp: &SurfacePoint, wi: Vec3) -> f32 {
        match &self.objects[object as usize] {
            Object::Sphere(s) => {
                let cos_light = sp.n.dot(-wi);
                if cos_light <= 0.0 {
                    return 0.0;
                }
                s.cone_pdf(p).unwrap_or_else(|| s.pdf_area(sp) * (sp.p - p).length_squared() / cos_light)
            }
            _ => self.world_triangle(object, prim).map_or(0.0, |t| t.pdf_toward(p, sp, wi)),
        }
    }
}

impl Triangle {
    /// `Geometry::sample_toward` for this triangle: a point by area.
    #[inline]
    pub fn sample_toward(&self, p: Vec3, u: Vec2) -> Option<(SurfacePoint, f32)> {
        by_area(self.sample(u), 1.0 / self.area(), p)
    }

    /// `Geometry::pdf_toward` for this triangle.
    #[inline]
    pub fn pdf_toward(&self, p: Vec3, sp: &SurfacePoint, wi: Vec3) -> f32 {
        let cos_light = sp.n.dot(-wi);
        if cos_light <= 0.0 {
            return 0.0;
        }
        1.0 / self.area() * (sp.p - p).length_squared() / cos_light
    }
}

/// A point sampled with density `pdf_area` (per area) seen from `p`: its
/// solid-angle density, `None` when it faces away or the density is 0.
#[inline]
fn by_area(sp: SurfacePoint, pdf_area: f32, p: Vec3) -> Option<(SurfacePoint, f32)> {
    let to = sp.p - p;
    let d2 = to.length_squared();
    let cos_light = sp.n.dot(-to) / d2.sqrt();
    if cos_light <= 0.0 || pdf_area <= 0.0 || d2 == 0.0 {
        return None;
    }
    let pdf = pdf_area * d2 / cos_light;
    pdf.is_finite().then_some((sp, pdf))
}
