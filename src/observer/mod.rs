//! Detectors that measure light: sight lines, fibres, pixels (optionally
//! aimed at a target), and the arrays built of them (CCDs, vector cameras).
//! Each detector turns a few uniform numbers into a ray and the étendue
//! that ray stands for, so that the mean of (étendue weight × radiance) is
//! the power it collects, and power over étendue the étendue-weighted
//! radiance (a uniform field of radiance L reads L in every detector).
//!
//! ```
//! # use rsrender::observer::Detector;
//! # use rsrender::math::{Vec2, Vec3};
//! let fibre = Detector::fibre(Vec3::ZERO, Vec3::Z, 1e-3, 10f32.to_radians());
//! if let Some((ray, weight)) = fibre.sample(Vec2::new(0.3, 0.7), Vec2::new(0.5, 0.5), 0.2) {
//!     // power estimate: weight × radiance along `ray`
//! }
//! ```

pub mod tally;

use crate::math::{sampling, Frame, Ray, Vec2, Vec3};
use std::f32::consts::PI;

/// What one detector measured: per channel (RGB) or bin, the estimate
/// (power in W or W/nm, or radiance in W/m²/sr or W/m²/sr/nm) and its
/// standard error.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    pub value: Vec<f64>,
    pub stderr: Vec<f64>,
}

/// One `[[observers]]` entry, ready to sample: its detectors in output
/// order (one for a single detector; row by row for arrays).
#[derive(Clone, Debug)]
pub struct Observer {
    pub name: String,
    /// The scene file's `type`.
    pub kind: &'static str,
    /// Power (W) rather than radiance (W/m²/sr).
    pub power: bool,
    /// Rays per detector.
    pub samples: u32,
    /// (columns, rows) of an array; `None` for a single detector.
    pub grid: Option<(u32, u32)>,
    pub detectors: Vec<Detector>,
}

/// Of a targeted pixel's rays, the share sent toward its target (Raysect's
/// default `targetted_path_prob`); the rest cover the hemisphere, so that
/// every direction keeps a positive density and the estimate no bias.
pub const TARGETED_SHARE: f32 = 0.9;

/// A sphere bounding what a targeted pixel aims at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub centre: Vec3,
    pub radius: f32,
}

#[derive(Clone, Debug)]
pub enum Detector {
    /// Radiance along one ray.
    SightLine { origin: Vec3, direction: Vec3 },
    /// A disk of `radius` facing `frame.n`, accepting a cone whose half-angle
    /// has sine² `sin2_max`, cosine-weighted within it.
    Fibre { origin: Vec3, frame: Frame, radius: f32, sin2_max: f32 },
    /// A rectangle of half-sizes `half` in its frame's s, t plane around
    /// `centre`, collecting from the +n hemisphere.
    Pixel { centre: Vec3, frame: Frame, half: Vec2, target: Option<Target> },
}

impl Detector {
    pub fn fibre(origin: Vec3, direction: Vec3, radius: f32, half_angle: f32) -> Detector {
        let sin = half_angle.sin();
        Detector::Fibre { origin, frame: Frame::from_normal(direction.normalize()), radius, sin2_max: sin * sin }
    }

    /// Area × projected solid angle, m² sr; `None` for a sight line and a
    /// cone from a point (a fibre of radius 0: a vector camera's pixel).
    pub fn etendue(&self) -> Option<f64> {
        match self {
            Detector::SightLine { .. } => None,
            Detector::Fibre { radius, .. } if *radius == 0.0 => None,
            Detector::Fibre { radius, sin2_max, .. } => {
                Some(std::f64::consts::PI * (*radius as f64).powi(2) * std::f64::consts::PI * *sin2_max as f64)
            }
            Detector::Pixel { half, .. } => Some(4.0 * half.x as f64 * half.y as f64 * std::f64::consts::PI),
        }
    }

    /// A ray the detector sees along, from a point `u_point` and a direction
    /// `u_dir` (and `u_choice` for targeted pixels), with its étendue
    /// weight (1 where there is no étendue: the mean radiance is then the
    /// mean of the samples); `None` when the sample carries nothing.
    pub fn sample(&self, u_point: Vec2, u_dir: Vec2, u_choice: f32) -> Option<(Ray, f32)> {
        match *self {
            Detector::SightLine { origin, direction } => Some((Ray::new(origin, direction), 1.0)),
            Detector::Fibre { origin, frame, radius, sin2_max } => {
                let d = sampling::concentric_disk(u_point) * radius;
                let p = origin + frame.s * d.x + frame.t * d.y;
                // Cosine-weighted within the cone: sin²θ uniform in [0, sin²θmax].
                let sin2 = u_dir.x * sin2_max;
                let (sin, cos) = (sin2.sqrt(), (1.0 - sin2).max(0.0).sqrt());
                let phi = 2.0 * PI * u_dir.y;
                let local = Vec3::new(sin * phi.cos(), sin * phi.sin(), cos);
                Some((Ray::new(p, frame.to_world(local)), self.etendue().map_or(1.0, |e| e as f32)))
            }
            Detector::Pixel { centre, frame, half, target } => {
                let p = centre
                    + frame.s * ((2.0 * u_point.x - 1.0) * half.x)
                    + frame.t * ((2.0 * u_point.y - 1.0) * half.y);
                let area = 4.0 * half.x * half.y;
                let Some(cone) = target.and_then(|t| Cone::toward(p, t)) else {
                    let dir = frame.to_world(sampling::cosine_hemisphere(u_dir));
                    return Some((Ray::new(p, dir), area * PI));
                };
                let dir = if u_choice < TARGETED_SHARE {
                    cone.sample(u_dir)
                } else {
                    frame.to_world(sampling::cosine_hemisphere(u_dir))
                };
                let cos = dir.dot(frame.n);
                if cos <= 0.0 {
                    return None;
                }
                let pdf = TARGETED_SHARE * cone.pdf(dir) + (1.0 - TARGETED_SHARE) * cos / PI;
                Some((Ray::new(p, dir), area * cos / pdf))
            }
        }
    }
}

/// The directions from a point toward a bounding sphere, sampled uniformly.
struct Cone {
    frame: Frame,
    cos_max: f32,
}

impl Cone {
    fn toward(p: Vec3, t: Target) -> Option<Cone> {
        let to = t.centre - p;
        let d2 = to.length_squared();
        if d2 <= t.radius * t.radius {
            return None;
        }
        let cos_max = (1.0 - t.radius * t.radius / d2).max(0.0).sqrt();
        Some(Cone { frame: Frame::from_normal(to / d2.sqrt()), cos_max })
    }

    fn sample(&self, u: Vec2) -> Vec3 {
        let cos = 1.0 - u.x * (1.0 - self.cos_max);
        let sin = (1.0 - cos * cos).max(0.0).sqrt();
        let phi = 2.0 * PI * u.y;
        self.frame.to_world(Vec3::new(sin * phi.cos(), sin * phi.sin(), cos))
    }

    fn pdf(&self, dir: Vec3) -> f32 {
        if dir.dot(self.frame.n) >= self.cos_max {
            1.0 / (2.0 * PI * (1.0 - self.cos_max))
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mean étendue weight over many samples, each direction counted
    /// only when `inside` (a "radiance 1" field where inside holds).
    fn collected(d: &Detector, inside: impl Fn(&Ray) -> bool) -> f64 {
        let n = 200_000;
        let mut s = crate::sampler::SampleStream::new(1, 2, 0);
        (0..n)
            .filter_map(|_| d.sample(s.next_2d(), s.next_2d(), s.next_1d()))
            .filter(|(r, _)| inside(r))
            .map(|(_, w)| w as f64)
            .sum::<f64>()
            / n as f64
    }

    #[test]
    fn a_cone_from_a_point_has_no_etendue_and_weighs_its_rays_alike() {
        let cone = Detector::fibre(Vec3::ZERO, Vec3::Z, 0.0, 0.2);
        assert_eq!(cone.etendue(), None);
        let (ray, weight) = cone.sample(Vec2::new(0.3, 0.6), Vec2::new(0.7, 0.1), 0.5).unwrap();
        assert_eq!(weight, 1.0);
        assert!(ray.dir.z >= 0.2f32.cos() - 1e-6, "{}", ray.dir);
    }

    #[test]
    fn a_targeted_pixel_collects_what_a_plain_pixel_does() {
        let frame = Frame::from_normal(Vec3::Z);
        let half = Vec2::new(0.01, 0.01);
        let aperture = Target { centre: Vec3::new(0.0, 0.0, 1.0), radius: 0.05 };
        // Radiance 1 inside the cone toward the aperture's centre of half-angle asin(0.05).
        let sees = |r: &Ray| {
            let to = (aperture.centre - r.origin).normalize();
            r.dir.dot(to) >= (1.0f32 - 0.05 * 0.05).sqrt()
        };
        let plain = Detector::Pixel { centre: Vec3::ZERO, frame, half, target: None };
        let aimed = Detector::Pixel { centre: Vec3::ZERO, frame, half, target: Some(aperture) };
        // Thin-aperture étendue: A_d · π sin²θ ≈ 4e-4 · π · 0.0025.
        let expected = 4e-4 * std::f64::consts::PI * 0.0025;
        for d in [plain, aimed] {
            let got = collected(&d, sees);
            assert!((got / expected - 1.0).abs() < 0.05, "{got} vs {expected}");
        }
    }
}
