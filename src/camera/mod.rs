//! Cameras: perspective, orthographic and thin lens. The field of view (or the
//! orthographic height) spans the image's shorter side; screen right is
//! `normalize(cross(look_at - position, up))`, and the first image row is the top.
//!
//! ```
//! # use rsrender::{camera::Camera, math::Vec2};
//! # fn usage(camera: &Camera, x: f32, y: f32, jitter: Vec2, lens_u: Vec2) {
//! let ray = camera.generate_ray(x + jitter.x, y + jitter.y, lens_u);
//! # }
//! ```

use crate::math::{sampling, Ray, Vec2, Vec3};

#[derive(Clone, Debug)]
pub enum Projection {
    Perspective { tan_half_fov: f32 },
    Orthographic { half_height: f32 },
    ThinLens { tan_half_fov: f32, aperture_radius: f32, focus_distance: f32 },
}

#[derive(Clone, Debug)]
pub struct Camera {
    origin: Vec3,
    forward: Vec3,
    right: Vec3,
    up: Vec3,
    projection: Projection,
    width: f32,
    height: f32,
    inv_short_side: f32,
}

impl Camera {
    /// `up` must not be parallel to the view direction (checked when loading).
    pub fn new(position: Vec3, look_at: Vec3, up: Vec3, projection: Projection, width: u32, height: u32) -> Camera {
        let forward = (look_at - position).normalize();
        let right = forward.cross(up).normalize();
        let up = right.cross(forward);
        Camera {
            origin: position,
            forward,
            right,
            up,
            projection,
            width: width as f32,
            height: height as f32,
            inv_short_side: 1.0 / width.min(height) as f32,
        }
    }

    /// Whether `generate_ray` reads its lens sample (a thin lens does).
    #[inline]
    pub fn has_lens(&self) -> bool {
        matches!(self.projection, Projection::ThinLens { .. })
    }

    /// A ray through film position (x, y) in pixels, (0, 0) at the top
    /// left, with lens sample `u_lens` (read by a thin lens only).
    pub fn generate_ray(&self, x: f32, y: f32, u_lens: Vec2) -> Ray {
        self.ray_through(x, y, u_lens)
    }

    /// `generate_ray` of each (film position, lens sample), appended to
    /// `out`: a renderer's many rays in one loop, not a call each.
    pub fn generate_rays(&self, samples: &[[Vec2; 2]], out: &mut Vec<Ray>) {
        out.extend(samples.iter().map(|[film, lens]| self.ray_through(film.x, film.y, *lens)));
    }

    #[inline(always)]
    fn ray_through(&self, x: f32, y: f32, u_lens: Vec2) -> Ray {
        // Screen coordinates in [-1, 1] across the shorter side.
        let sx = (2.0 * x - self.width) * self.inv_short_side;
        let sy = (self.height - 2.0 * y) * self.inv_short_side;
        match self.projection {
            Projection::Perspective { tan_half_fov } => {
                let d = self.forward + (self.right * sx + self.up * sy) * tan_half_fov;
                Ray::new(self.origin, d.normalize())
            }
            Projection::Orthographic { half_height } => {
                let o = self.origin + (self.right * sx + self.up * sy) * half_height;
                Ray::new(o, self.forward)
            }
            Projection::ThinLens { tan_half_fov, aperture_radius, focus_distance } => {
                let d = self.forward + (self.right * sx + self.up * sy) * tan_half_fov;
                let focus = self.origin + d * focus_distance;
                let lens = sampling::concentric_disk(u_lens) * aperture_radius;
                let o = self.origin + self.right * lens.x + self.up * lens.y;
                Ray::new(o, (focus - o).normalize())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camera(projection: Projection) -> Camera {
        Camera::new(Vec3::new(0.0, 0.0, 3.9), Vec3::ZERO, Vec3::Y, projection, 200, 100)
    }

    #[test]
    fn left_of_the_image_is_minus_x_and_top_is_plus_y() {
        let c = camera(Projection::Perspective { tan_half_fov: 0.5 });
        assert!(c.generate_ray(0.0, 50.0, Vec2::ZERO).dir.x < 0.0);
        assert!(c.generate_ray(100.0, 0.0, Vec2::ZERO).dir.y > 0.0);
        let centre = c.generate_ray(100.0, 50.0, Vec2::ZERO).dir;
        assert!((centre - -Vec3::Z).length() < 1e-6);
    }

    #[test]
    fn fov_spans_the_shorter_side() {
        let c = camera(Projection::Perspective { tan_half_fov: 1.0 });
        // Top edge of the 100-pixel-high image is 45° up.
        let d = c.generate_ray(100.0, 0.0, Vec2::ZERO).dir;
        assert!((d.y - -d.z).abs() < 1e-6);
    }

    #[test]
    fn many_rays_at_once_are_each_ray_bit_for_bit() {
        let projections = [
            Projection::Perspective { tan_half_fov: 0.7 },
            Projection::Orthographic { half_height: 2.0 },
            Projection::ThinLens { tan_half_fov: 0.5, aperture_radius: 0.2, focus_distance: 3.0 },
        ];
        let samples: Vec<[Vec2; 2]> =
            (0..40).map(|i| [Vec2::new(i as f32 * 4.9, i as f32 * 2.3), Vec2::new(i as f32 / 40.0, 0.3)]).collect();
        for c in projections.map(camera) {
            let mut rays = Vec::new();
            c.generate_rays(&samples, &mut rays);
            assert_eq!(rays.len(), samples.len());
            for (ray, [film, lens]) in rays.iter().zip(&samples) {
                let one = c.generate_ray(film.x, film.y, *lens);
                let bits = |r: &Ray| [r.origin, r.dir].map(|v| v.to_array().map(f32::to_bits));
                assert_eq!(bits(ray), bits(&one));
            }
        }
    }

    #[test]
    fn thin_lens_focuses_on_the_focus_plane() {
        let c = camera(Projection::ThinLens { tan_half_fov: 0.5, aperture_radius: 0.2, focus_distance: 3.9 });
        for u in [Vec2::new(0.1, 0.9), Vec2::new(0.7, 0.2)] {
            let r = c.generate_ray(130.0, 40.0, u);
            let pinhole = c.generate_ray(130.0, 40.0, Vec2::splat(0.5));
            let t = (0.0 - r.origin.z) / r.dir.z;
            let tp = (0.0 - pinhole.origin.z) / pinhole.dir.z;
            assert!((r.at(t) - pinhole.at(tp)).length() < 1e-4);
        }
    }
}
