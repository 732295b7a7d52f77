//! Primitives seen from a point, as next-event estimation samples them:
//! spheres over the cone of directions they subtend (pbrt-v4 and Mitsuba 3
//! do the same), other primitives by area, converted to solid angle; and the
//! density either way, for MIS.

use super::{Geometry, Object, SurfacePoint};
use crate::math::{Vec2, Vec3};

impl Geometry {
    /// A point of primitive `prim` of `object` that may light `p`, and its
    /// solid-angle density seen from `p`; `None` when nothing can arrive.
    pub fn sample_toward(&self, object: u32, prim: u32, p: Vec3, u: Vec2) -> Option<(SurfacePoint, f32)> {
        if let Object::Sphere(s) = &self.objects[object as usize] {
            if let Some(sampled) = s.sample_cone(p, u) {
                return Some(sampled);
            }
        }
        let (sp, pdf_area) = self.sample_area(object, prim, u);
        let to = sp.p - p;
        let d2 = to.length_squared();
        let cos_light = sp.n.dot(-to) / d2.sqrt();
        if cos_light <= 0.0 || pdf_area <= 0.0 || d2 == 0.0 {
            return None;
        }
        let pdf = pdf_area * d2 / cos_light;
        pdf.is_finite().then_some((sp, pdf))
    }

    /// The solid-angle density with which `sample_toward` from `p` gives the
    /// point `sp` of primitive `prim`, reached along `wi`.
    pub fn pdf_toward(&self, object: u32, prim: u32, p: Vec3, sp: &SurfacePoint, wi: Vec3) -> f32 {
        let cos_light = sp.n.dot(-wi);
        if cos_light <= 0.0 {
            return 0.0;
        }
        if let Object::Sphere(s) = &self.objects[object as usize] {
            if let Some(pdf) = s.cone_pdf(p) {
                return pdf;
            }
        }
        self.pdf_area(object, prim, sp) * (sp.p - p).length_squared() / cos_light
    }
}
