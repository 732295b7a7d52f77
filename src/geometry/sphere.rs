//! Spheres under any affine transform (ellipsoids included): intersected in
//! object space, where the sphere is the unit sphere.

use super::SurfacePoint;
use crate::math::{sampling, Aabb, Mat3, Vec2, Vec3};

#[derive(Clone, Debug)]
pub struct Sphere {
    /// Object space (unit sphere at the origin) to world.
    to_world: crate::math::Transform,
    normal_matrix: Mat3,
    /// |det| of the linear part: how much the transform scales volume.
    det: f32,
}

impl Sphere {
    /// A sphere of `center` and `radius` placed by `transform`.
    pub fn new(center: Vec3, radius: f32, transform: &crate::math::Transform) -> Option<Sphere> {
        let local = crate::math::Mat4::from_translation(center) * crate::math::Mat4::from_scale(Vec3::splat(radius));
        let to_world = crate::math::Transform::from_matrix(transform.m * local)?;
        let normal_matrix = to_world.normal_matrix();
        let det = Mat3::from_mat4(to_world.m).determinant().abs();
        Some(Sphere { to_world, normal_matrix, det })
    }

    pub fn bounds(&self) -> Aabb {
        // The exact box of an ellipsoid: for each world axis, the length of the
        // corresponding row of the linear part.
        let m = Mat3::from_mat4(self.to_world.m).transpose();
        let half = Vec3::new(m.x_axis.length(), m.y_axis.length(), m.z_axis.length());
        let c = self.to_world.point(Vec3::ZERO);
        Aabb { min: c - half, max: c + half }
    }

    #[inline]
    pub fn intersect(&self, origin: Vec3, dir: Vec3, t_max: f32) -> Option<(f32, f32, f32)> {
        let o = self.to_world.inverse_point(origin);
        let d = self.to_world.inverse_vector(dir);
        // |o + t d|² = 1, solved in a form that keeps precision far from the sphere.
        let a = d.length_squared();
        let b = o.dot(d);
        let f = o - d * (b / a);
        let disc = a * (1.0 - f.length_squared());
        if disc < 0.0 {
            return None;
        }
        let c = o.length_squared() - 1.0;
        let q = -(b + disc.sqrt().copysign(b));
        let (mut t0, mut t1) = (c / q, q / a);
        if t0 > t1 {
            std::mem::swap(&mut t0, &mut t1);
        }
        let t = if t0 > 0.0 { t0 } else { t1 };
        (t > 0.0 && t < t_max).then_some((t, 0.0, 0.0))
    }

    pub fn surface_point(&self, p_world: Vec3) -> SurfacePoint {
        let local = self.to_world.inverse_point(p_world).normalize();
        self.point_from_local(local)
    }

    fn point_from_local(&self, local: Vec3) -> SurfacePoint {
        SurfacePoint { p: self.to_world.point(local), n: (self.normal_matrix * local).normalize() }
    }

    /// Exact for spheres and ellipsoids of revolution up to Knud Thomsen's
    /// approximation (within 1.1%) for general ellipsoids; used only to weigh lights.
    pub fn area(&self) -> f32 {
        let m = Mat3::from_mat4(self.to_world.m);
        let (a, b, c) = (m.x_axis.length(), m.y_axis.length(), m.z_axis.length());
        let p = 1.6075f32;
        4.0 * std::f32::consts::PI * (((a * b).powf(p) + (a * c).powf(p) + (b * c).powf(p)) / 3.0).powf(1.0 / p)
    }

    /// Uniform on the object-space sphere; the world-space density follows
    /// from how the transform stretches the area element at that point.
    pub fn sample(&self, u: Vec2) -> (SurfacePoint, f32) {
        let local = sampling::uniform_sphere(u);
        let sp = self.point_from_local(local);
        (sp, self.pdf_local(local))
    }

    pub fn pdf_area(&self, sp: &SurfacePoint) -> f32 {
        let local = self.to_world.inverse_point(sp.p).normalize();
        self.pdf_local(local)
    }

    fn pdf_local(&self, local: Vec3) -> f32 {
        let stretch = self.det * (self.normal_matrix * local).length();
        sampling::UNIFORM_SPHERE_PDF / stretch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Transform;

    #[test]
    fn hits_from_outside_and_inside() {
        let s = Sphere::new(Vec3::new(0.0, 0.0, -5.0), 2.0, &Transform::IDENTITY).unwrap();
        let (t, _, _) = s.intersect(Vec3::ZERO, -Vec3::Z, 100.0).unwrap();
        assert!((t - 3.0).abs() < 1e-5);
        let (t, _, _) = s.intersect(Vec3::new(0.0, 0.0, -5.0), Vec3::X, 100.0).unwrap();
        assert!((t - 2.0).abs() < 1e-5);
        assert!(s.intersect(Vec3::ZERO, Vec3::X, 100.0).is_none());
    }

    #[test]
    fn area_density_integrates_to_one_under_non_uniform_scale() {
        let t = Transform::from_srt(Vec3::new(1.0, 2.0, 0.5), Vec3::new(10.0, 20.0, 30.0), Vec3::ONE).unwrap();
        let s = Sphere::new(Vec3::ZERO, 1.0, &t).unwrap();
        // E[1/pdf] over the sampling density is the surface area.
        let n = 200;
        let mut sum = 0.0f64;
        for i in 0..n {
            for j in 0..n {
                let (_, pdf) = s.sample(Vec2::new((i as f32 + 0.5) / n as f32, (j as f32 + 0.5) / n as f32));
                sum += 1.0 / pdf as f64;
            }
        }
        let area = sum / (n * n) as f64;
        assert!((area / s.area() as f64 - 1.0).abs() < 0.012, "{area} vs {}", s.area());
    }
}
