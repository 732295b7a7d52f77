//! `render_tile`: the only place pixels are computed. Each pixel takes its
//! samples in order, each sample from its own keyed random stream, and sums
//! them in double precision, so a pixel's value does not depend on who
//! renders it or alongside what.

use super::tiles::Tile;
use crate::film::TileResult;
use crate::integrator;
use crate::math::Vec3;
use crate::sampler::SampleStream;
use crate::scene::Scene;
use crate::settings::Settings;

pub fn render_tile(scene: &Scene, settings: &Settings, tile: &Tile) -> TileResult {
    let mut rgb = Vec::with_capacity(tile.pixel_count() * 3);
    for y in tile.y0..tile.y1 {
        for x in tile.x0..tile.x1 {
            let mean = render_pixel(scene, settings, x, y);
            rgb.extend_from_slice(&[mean.x, mean.y, mean.z]);
        }
    }
    TileResult { tile: tile.id, rgb }
}

/// The mean radiance of pixel (x, y) over `settings.spp` samples.
pub fn render_pixel(scene: &Scene, settings: &Settings, x: u32, y: u32) -> Vec3 {
    let mut sum = [0.0f64; 3];
    for s in 0..settings.spp {
        let l = render_sample(scene, settings, x, y, s);
        // A sample that went numerically wrong counts as black rather than
        // poisoning the pixel; `--debug-pixel` replays it.
        if l.is_finite() {
            sum[0] += l.x as f64;
            sum[1] += l.y as f64;
            sum[2] += l.z as f64;
        }
    }
    let n = settings.spp as f64;
    Vec3::new((sum[0] / n) as f32, (sum[1] / n) as f32, (sum[2] / n) as f32)
}

/// One sample of one pixel: replayable on its own (`--debug-pixel x,y,s`).
#[inline]
pub fn render_sample(scene: &Scene, settings: &Settings, x: u32, y: u32, sample: u32) -> Vec3 {
    let pixel_index = y as u64 * settings.width as u64 + x as u64;
    let mut stream = SampleStream::new(settings.seed, pixel_index, sample as u64);
    let jitter = stream.next_2d();
    let lens = stream.next_2d();
    let ray = scene.camera.generate_ray(x as f32 + jitter.x, y as f32 + jitter.y, lens);
    integrator::radiance(scene, settings, ray, &mut stream)
}
