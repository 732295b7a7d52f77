//! An environment map: the sky as an equirectangular image, with Mitsuba 3's
//! `envmap` conventions so that one file and transform light a scene the
//! same way in both. A world direction d is turned into the map's frame by
//! the inverse of `to_world`; there (x, y, z) has uv = (atan2(x, −z)/2π,
//! acos(y)/π): +y is the zenith, the image's top row. Radiance is bilinear
//! between texels, columns centred at u = (i + ½)/width (wrapping around),
//! rows at v = j/(height − 1) (the first and last rows sit on the poles),
//! times `scale`. Directions are importance sampled from a piecewise-constant
//! distribution over the cells between texels, each weighted by the mean
//! luminance of its four corners times sin θ at its centre: positive
//! wherever the radiance can be, so the estimate stays unbiased.

use crate::math::distribution::Distribution2D;
use crate::math::{luminance, Transform, Vec2, Vec3};
use crate::texture::Image;
use std::f32::consts::PI;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Envmap {
    image: Arc<Image>,
    to_world: Transform,
    scale: f32,
    cells: Distribution2D,
    /// Mean radiance over the sphere (channel mean), for weighing lights.
    mean: f32,
}

impl Envmap {
    /// `None` when the image has fewer than 2 rows.
    pub fn new(image: Arc<Image>, to_world: Transform, scale: f32) -> Option<Envmap> {
        let (w, h) = (image.width as usize, image.height as usize);
        if h < 2 || w < 1 {
            return None;
        }
        let mut weights = Vec::with_capacity(w * (h - 1));
        let (mut sum, mut solid_angle) = (0.0f64, 0.0f64);
        for j in 0..h - 1 {
            let sin_theta = ((j as f32 + 0.5) / (h - 1) as f32 * PI).sin();
            for i in 0..w {
                let corners = [(i, j), ((i + 1) % w, j), (i, j + 1), ((i + 1) % w, j + 1)];
                let rgb = corners.iter().map(|&(x, y)| Vec3::from_array(image.texel(x, y))).sum::<Vec3>() * 0.25;
                weights.push(luminance(rgb).max(0.0) * sin_theta + if rgb.max_element() > 0.0 { 1e-12 } else { 0.0 });
                sum += (rgb.element_sum() / 3.0 * sin_theta) as f64;
                solid_angle += sin_theta as f64;
            }
        }
        let mean = (sum / solid_angle.max(1e-12)) as f32 * scale;
        Some(Envmap { cells: Distribution2D::new(&weights, w), image, to_world, scale, mean })
    }

    pub fn mean(&self) -> f32 {
        self.mean
    }

    fn half_texel(&self) -> f32 {
        0.5 / self.image.width as f32
    }

    /// The map's uv of a world direction, and sin θ there.
    fn uv(&self, dir: Vec3) -> (Vec2, f32) {
        let d = self.to_world.inverse_vector(dir).normalize_or(Vec3::Y);
        let u = d.x.atan2(-d.z) * (0.5 / PI);
        let v = d.y.clamp(-1.0, 1.0).acos() / PI;
        (Vec2::new(u - u.floor(), v), (d.x * d.x + d.z * d.z).sqrt())
    }

    /// Radiance arriving from direction `dir` (pointing away from the scene).
    pub fn eval(&self, dir: Vec3) -> Vec3 {
        let (uv, _) = self.uv(dir);
        self.lookup(uv)
    }

    fn lookup(&self, uv: Vec2) -> Vec3 {
        let (w, h) = (self.image.width as usize, self.image.height as usize);
        let mut u = uv.x - self.half_texel();
        u -= u.floor();
        let (x, y) = (u * w as f32, uv.y * (h - 1) as f32);
        let (i, j) = ((x as usize).min(w - 1), (y as usize).min(h - 2));
        let (fx, fy) = (x - i as f32, y - j as f32);
        let texel = |x: usize, y: usize| Vec3::from_array(self.image.texel(x % w, y));
        let top = texel(i, j) * (1.0 - fx) + texel(i + 1, j) * fx;
        let bottom = texel(i, j + 1) * (1.0 - fx) + texel(i + 1, j + 1) * fx;
        (top * (1.0 - fy) + bottom * fy) * self.scale
    }

    /// A direction towards the sky, the radiance from it, and its solid-angle
    /// density; `None` at a pole (no solid angle).
    pub fn sample(&self, u: Vec2) -> Option<(Vec3, Vec3, f32)> {
        let (cell_uv, pdf_uv) = self.cells.sample(u);
        let uv = Vec2::new(cell_uv.x + self.half_texel(), cell_uv.y);
        let (theta, phi) = (uv.y * PI, uv.x * 2.0 * PI);
        let (sin_theta, cos_theta) = theta.sin_cos();
        if sin_theta <= 0.0 || pdf_uv <= 0.0 {
            return None;
        }
        let (sin_phi, cos_phi) = phi.sin_cos();
        let local = Vec3::new(sin_phi * sin_theta, cos_theta, -cos_phi * sin_theta);
        let dir = self.to_world.vector(local).normalize();
        let pdf = pdf_uv / (2.0 * PI * PI * sin_theta);
        let mut lookup_uv = uv;
        lookup_uv.x -= lookup_uv.x.floor();
        Some((dir, self.lookup(lookup_uv), pdf))
    }

    /// The solid-angle density with which `sample` picks `dir`.
    pub fn pdf(&self, dir: Vec3) -> f32 {
        let (uv, sin_theta) = self.uv(dir);
        if sin_theta <= 0.0 {
            return 0.0;
        }
        let mut u = uv.x - self.half_texel();
        u -= u.floor();
        self.cells.pdf(Vec2::new(u, uv.y)) / (2.0 * PI * PI * sin_theta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map with one bright texel (a sun) on a dim sky.
    fn sun_map() -> Envmap {
        let (w, h) = (16, 9);
        let mut texels = vec![[0.1f32; 3]; w * h];
        texels[3 * w + 5] = [500.0, 400.0, 300.0];
        let image = Image { width: w as u32, height: h as u32, texels };
        Envmap::new(Arc::new(image), Transform::IDENTITY, 2.0).unwrap()
    }

    #[test]
    fn a_sampled_direction_has_the_density_pdf_reports_and_the_radiance_eval_gives() {
        let map = sun_map();
        for k in 0..500 {
            let u = Vec2::new((k as f32 * 0.618_034).fract(), (k as f32 + 0.5) / 500.0);
            let Some((dir, radiance, pdf)) = map.sample(u) else { continue };
            assert!((pdf - map.pdf(dir)).abs() <= 1e-3 * pdf, "{pdf} vs {}", map.pdf(dir));
            assert!((radiance - map.eval(dir)).length() <= 1e-3 * radiance.length().max(1.0));
        }
    }

    #[test]
    fn the_density_integrates_to_one_and_the_mean_is_the_average_radiance() {
        let map = sun_map();
        // Midpoint rule over the sphere in (φ, cos θ).
        let n = 400;
        let (mut total, mut radiance) = (0.0f64, 0.0f64);
        for i in 0..n {
            for j in 0..n {
                let phi = (i as f32 + 0.5) / n as f32 * 2.0 * PI;
                let z = 1.0 - 2.0 * (j as f32 + 0.5) / n as f32;
                let r = (1.0 - z * z).sqrt();
                let dir = Vec3::new(r * phi.cos(), z, r * phi.sin());
                let d_omega = (4.0 * PI / (n * n) as f32) as f64;
                total += map.pdf(dir) as f64 * d_omega;
                radiance += (map.eval(dir).element_sum() / 3.0) as f64 * d_omega;
            }
        }
        assert!((total - 1.0).abs() < 0.01, "{total}");
        let mean = radiance / (4.0 * std::f64::consts::PI);
        assert!((map.mean() as f64 / mean - 1.0).abs() < 0.05, "{} vs {mean}", map.mean());
    }

    #[test]
    fn the_zenith_is_the_top_row_and_u_runs_as_mitsubas() {
        let (w, h) = (4, 3);
        let mut texels = vec![[0.0f32; 3]; w * h];
        texels[0] = [1.0; 3]; // top row: every column 1 at the zenith
        texels[1] = [1.0; 3];
        texels[2] = [1.0; 3];
        texels[3] = [1.0; 3];
        texels[w + 1] = [7.0, 0.0, 0.0]; // row 1 (horizon), column 1: u = 1.5/4
        let map = Envmap::new(Arc::new(Image { width: w as u32, height: h as u32, texels }), Transform::IDENTITY, 1.0)
            .unwrap();
        assert_eq!(map.eval(Vec3::Y), Vec3::ONE);
        // u = 0.375: φ = 135°, on the horizon (y = 0): x = sin φ, z = −cos φ.
        let phi = 0.375 * 2.0 * PI;
        let dir = Vec3::new(phi.sin(), 0.0, -phi.cos());
        assert!((map.eval(dir) - Vec3::new(7.0, 0.0, 0.0)).length() < 1e-4, "{}", map.eval(dir));
    }
}
