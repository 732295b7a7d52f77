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
    /// Centre and radius when the transform keeps it a sphere (rotation,
    /// uniform scale, translation): then it is sampled by solid angle.
    round: Option<(Vec3, f32)>,
}

impl Sphere {
    /// A sphere of `center` and `radius` placed by `transform`; `flip`
    /// turns its front side inward (a cavity). An inward sphere is sampled
    /// by area: its cone, seen from outside, shows only its back.
    pub fn new(center: Vec3, radius: f32, transform: &crate::math::Transform, flip: bool) -> Option<Sphere> {
        let local = crate::math::Mat4::from_translation(center) * crate::math::Mat4::from_scale(Vec3::splat(radius));
        let to_world = crate::math::Transform::from_matrix(transform.m * local)?;
        let normal_matrix = if flip { -to_world.normal_matrix() } else { to_world.normal_matrix() };
        let det = Mat3::from_mat4(to_world.m).determinant().abs();
        let round = to_world.uniform_scale().filter(|_| !flip).map(|r| (to_world.point(Vec3::ZERO), r));
        Some(Sphere { to_world, normal_matrix, det, round })
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

    /// Mitsuba's texture coordinates of a point on the sphere: from the
    /// object-space direction, u = atan2(y, x)/2π in [0, 1), v = acos(z)/π.
    pub fn uv(&self, p_world: Vec3) -> Vec2 {
        let local = self.to_world.inverse_point(p_world).normalize_or(Vec3::Z);
        let u = local.y.atan2(local.x) * std::f32::consts::FRAC_1_PI * 0.5;
        Vec2::new(if u < 0.0 { u + 1.0 } else { u }, local.z.clamp(-1.0, 1.0).acos() * std::f32::consts::FRAC_1_PI)
    }

    /// ∂p/∂u of Mitsuba's parameterisation at a point (world space; zero
    /// at the poles).
    pub fn dpdu(&self, p_world: Vec3) -> Vec3 {
        let local = self.to_world.inverse_point(p_world).normalize_or(Vec3::Z);
        self.to_world.vector(Vec3::new(-local.y, local.x, 0.0) * std::f32::consts::TAU)
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

    /// A point of the part of the sphere visible from `p`, sampled uniformly
    /// over the cone of directions it subtends, with that solid-angle
    /// density (pbrt-v4's `Sphere::Sample(ctx, u)`); `None` when `p` is
    /// inside or the sphere is stretched (then sample by area).
    pub fn sample_cone(&self, p: Vec3, u: Vec2) -> Option<(SurfacePoint, f32)> {
        let (center, radius) = self.round?;
        let (sin2_max, one_minus_cos_max) = subtended(center, radius, p)?;
        let sin_max = sin2_max.sqrt();
        let cos_max = (1.0 - sin2_max).max(0.0).sqrt();
        let (cos_theta, sin2_theta) = if sin2_max < SMALL_CONE_SIN2 {
            // Tiny cones: the Taylor form keeps precision.
            let sin2 = sin2_max * u.x;
            ((1.0 - sin2).sqrt(), sin2)
        } else {
            let cos = (cos_max - 1.0) * u.x + 1.0;
            (cos, (1.0 - cos * cos).max(0.0))
        };
        // The angle at the centre between -wc and the sampled point.
        let cos_alpha = sin2_theta / sin_max + cos_theta * (1.0 - sin2_theta / sin2_max).max(0.0).sqrt();
        let sin_alpha = (1.0 - cos_alpha * cos_alpha).max(0.0).sqrt();
        let phi = u.y * 2.0 * std::f32::consts::PI;
        let frame = crate::math::Frame::from_normal((center - p).normalize());
        let (sin_phi, cos_phi) = phi.sin_cos();
        let n = frame.to_world(-Vec3::new(sin_alpha * cos_phi, sin_alpha * sin_phi, cos_alpha));
        let sp = SurfacePoint { p: center + n * radius, n };
        Some((sp, 1.0 / (2.0 * std::f32::consts::PI * one_minus_cos_max)))
    }

    /// The density `sample_cone` gives any visible point from `p`.
    pub fn cone_pdf(&self, p: Vec3) -> Option<f32> {
        let (center, radius) = self.round?;
        let (_, one_minus_cos_max) = subtended(center, radius, p)?;
        Some(1.0 / (2.0 * std::f32::consts::PI * one_minus_cos_max))
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

/// Below sin² 1.5°, 1 - cos θ is computed from sin² θ / 2.
const SMALL_CONE_SIN2: f32 = 0.000_685_23;

/// sin² and 1 - cos of the half-angle of the cone a sphere subtends from
/// `p`; `None` when `p` is inside (or on) it.
fn subtended(center: Vec3, radius: f32, p: Vec3) -> Option<(f32, f32)> {
    let d2 = (center - p).length_squared();
    let sin2_max = radius * radius / d2;
    if sin2_max.is_nan() || sin2_max >= 1.0 {
        return None;
    }
    let one_minus_cos = if sin2_max < SMALL_CONE_SIN2 { sin2_max / 2.0 } else { 1.0 - (1.0 - sin2_max).sqrt() };
    Some((sin2_max, one_minus_cos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Transform;

    #[test]
    fn hits_from_outside_and_inside() {
        let s = Sphere::new(Vec3::new(0.0, 0.0, -5.0), 2.0, &Transform::IDENTITY, false).unwrap();
        let (t, _, _) = s.intersect(Vec3::ZERO, -Vec3::Z, 100.0).unwrap();
        assert!((t - 3.0).abs() < 1e-5);
        let (t, _, _) = s.intersect(Vec3::new(0.0, 0.0, -5.0), Vec3::X, 100.0).unwrap();
        assert!((t - 2.0).abs() < 1e-5);
        assert!(s.intersect(Vec3::ZERO, Vec3::X, 100.0).is_none());
    }

    #[test]
    fn cone_samples_are_visible_points_and_their_density_integrates_to_one() {
        let s = Sphere::new(Vec3::new(1.0, 2.0, 3.0), 0.5, &Transform::IDENTITY, false).unwrap();
        let p = Vec3::new(1.0, 2.0, 5.0);
        let n = 64;
        let mut solid_angle = 0.0f64;
        for i in 0..n {
            for j in 0..n {
                let u = Vec2::new((i as f32 + 0.5) / n as f32, (j as f32 + 0.5) / n as f32);
                let (sp, pdf) = s.sample_cone(p, u).unwrap();
                assert!(((sp.p - Vec3::new(1.0, 2.0, 3.0)).length() - 0.5).abs() < 1e-5);
                assert!(sp.n.dot(p - sp.p) >= -1e-4, "the sampled point faces p");
                // Unobstructed from p: the ray meets the sphere first at sp.
                let d = (sp.p - p).normalize();
                let (t, _, _) = s.intersect(p, d, 100.0).unwrap();
                assert!((p + d * t - sp.p).length() < 1e-3);
                solid_angle += 1.0 / pdf as f64 / (n * n) as f64;
            }
        }
        // The cone of half-angle asin(0.5 / 2): 2π(1 - cos θ).
        let expected = 2.0 * std::f64::consts::PI * (1.0 - (1.0f64 - 0.0625).sqrt());
        assert!((solid_angle / expected - 1.0).abs() < 1e-4, "{solid_angle} vs {expected}");
        assert!(s.sample_cone(Vec3::new(1.0, 2.0, 3.2), Vec2::splat(0.5)).is_none(), "inside");
        let stretched = Transform::from_srt(Vec3::new(1.0, 2.0, 1.0), Vec3::ZERO, Vec3::ZERO).unwrap();
        assert!(Sphere::new(Vec3::ZERO, 1.0, &stretched, false).unwrap().cone_pdf(p).is_none());
    }

    #[test]
    fn area_density_integrates_to_one_under_non_uniform_scale() {
        let t = Transform::from_srt(Vec3::new(1.0, 2.0, 0.5), Vec3::new(10.0, 20.0, 30.0), Vec3::ONE).unwrap();
        let s = Sphere::new(Vec3::ZERO, 1.0, &t, false).unwrap();
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
