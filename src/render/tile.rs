//! `render_tile`: the only place pixels are computed. A tile runs its passes
//! on its own: the first gives every pixel `min_spp` samples (all `spp` when
//! sampling is not adaptive); each later pass adds `pass_spp` to the pixels
//! not yet converged, up to `spp`. Each pixel takes its samples in order,
//! each from its own keyed random stream, and the decision to sample it
//! again looks at its own samples only — so pixel values and sample counts
//! do not depend on who renders them or alongside what (a pass traces its
//! pixels in batches, so that paths of several pixels share the vector
//! lanes). In spectral mode a
//! sample traces each group of bins with the same random numbers (the
//! same path, while no dispersive glass splits it).

use super::control::Control;
use crate::camera::Camera;
use crate::film::tiles::Tile;
use crate::film::{Layers, PixelAccum, TileResult};
use crate::integrator::packet::{self, CameraSamples};
use crate::integrator::{self, Primary};
use crate::math::{Ray, Vec2, Vec3};
use crate::sampler::{PixelKey, SampleStream};
use crate::scene::desc::{IntegratorKind, Strategy};
use crate::scene::{Interaction, World};
use crate::settings::Settings;
use crate::spectrum::{Bins, Radiance};
use std::ops::Range;

/// Renders every pass of `tile`, handing each pass's result to `emit`; once
/// `control` says stop, returns at the next batch of pixels without
/// emitting the pass.
pub fn render_tile(
    world: &World,
    settings: &Settings,
    tile: &Tile,
    control: &Control,
    mut emit: impl FnMut(TileResult),
) {
    let guides = settings.wants_guides();
    let mut pixels = vec![PixelAccum::with_bins(world.bins()); tile.pixel_count()];
    let mut scratch = Scratch::new(world);
    let (first, step) = match settings.adaptive {
        Some(a) => (a.min_spp, a.pass_spp),
        None => (settings.spp, settings.spp),
    };
    let mut target = first.min(settings.spp);
    let mut pass = 1;
    let mut batch = Batch::default();
    loop {
        let started = std::time::Instant::now();
        let mut active = 0;
        let mut k = 0;
        while k < pixels.len() {
            if control.stopped() {
                return;
            }
            // The next pixels of the pass that take samples, up to
            // `BATCH_SAMPLES` of them, traced together.
            batch.clear();
            while k < pixels.len() && batch.rays.len() < BATCH_SAMPLES {
                let p = &pixels[k];
                if pass == 1 || !settings.adaptive.is_some_and(|a| p.converged(&a)) {
                    batch.add_pixel(world, settings, k, pixel_at(tile, k), p.samples()..target);
                }
                k += 1;
            }
            control.count_samples(batch.rays.len() as u64);
            batch.trace_primary(world);
            if guides {
                for (pixel, range) in &batch.pixels {
                    for &hit in &batch.hits[range.clone()] {
                        let (albedo, normal) = first_hit_guides(world, hit);
                        pixels[*pixel].add_guides(albedo, normal);
                    }
                }
            }
            trace_batch(world, settings, &batch, &mut pixels, &mut scratch);
            for &(pixel, _) in &batch.pixels {
                if !settings.adaptive.is_some_and(|a| pixels[pixel].converged(&a)) {
                    active += 1;
                }
            }
        }
        let done = target >= settings.spp || active == 0;
        let mut result = tile_result(tile.id, pass, done, &pixels, guides);
        result.seconds = started.elapsed().as_secs_f64();
        emit(result);
        if done {
            return;
        }
        target = target.saturating_add(step).min(settings.spp);
        pass += 1;
    }
}

/// The image coordinates of the tile's pixel `k` (row by row).
fn pixel_at(tile: &Tile, k: usize) -> (u32, u32) {
    let width = (tile.x1 - tile.x0) as usize;
    (tile.x0 + (k % width) as u32, tile.y0 + (k / width) as u32)
}

fn tile_result(tile: u32, pass: u32, done: bool, pixels: &[PixelAccum], guides: bool) -> TileResult {
    TileResult { tile, pass, done, seconds: 0.0, layers: Layers::of(pixels, guides) }
}

/// The key of pixel (x, y)'s random streams.
fn pixel_key(settings: &Settings, (x, y): (u32, u32)) -> PixelKey {
    PixelKey::new(settings.seed, y as u64 * settings.width as u64 + x as u64)
}

/// One sample of pixel (x, y), whose streams `key` keys: its film position
/// and lens sample (the first numbers of its stream; a camera without a
/// lens skips its two, not drawn), and the stream.
fn camera_sample(camera: &Camera, key: PixelKey, (x, y): (u32, u32), sample: u32) -> ([Vec2; 2], SampleStream) {
    let mut stream = key.stream(sample as u64);
    let jitter = stream.next_2d();
    let lens = if camera.has_lens() {
        stream.next_2d()
    } else {
        stream.skip(2);
        Vec2::ZERO
    };
    ([Vec2::new(x as f32 + jitter.x, y as f32 + jitter.y), lens], stream)
}

/// Samples up to which a pass's pixels are traced together (whole pixels:
/// one alone when its pass has more): the lanes run on from one pixel's
/// samples into the next, so only a batch's end leaves them idle.
const BATCH_SAMPLES: usize = 1024;

/// Some pixels' camera samples of a pass, pixel by pixel, each pixel's in
/// sample order.
#[derive(Default)]
struct Batch {
    /// Each pixel (its index in the tile) and its samples' range here.
    pixels: Vec<(usize, Range<usize>)>,
    rays: Vec<Ray>,
    streams: Vec<SampleStream>,
    /// The pixel's samples' film positions and lens samples, being added.
    camera_samples: Vec<[Vec2; 2]>,
    /// The camera rays' hits, once traced.
    hits: Vec<Option<Interaction>>,
}

impl Batch {
    fn clear(&mut self) {
        self.pixels.clear();
        self.rays.clear();
        self.streams.clear();
        self.hits.clear();
    }

    /// Adds pixel `k` of the tile, at `(x, y)`, with its samples `samples`.
    /// The numbers are drawn first and the rays made after, in one loop
    /// (`Camera::generate_rays`): 1.01× on the box against a call to
    /// `Camera::generate_ray` per sample.
    fn add_pixel(&mut self, world: &World, settings: &Settings, k: usize, (x, y): (u32, u32), samples: Range<u32>) {
        let start = self.rays.len();
        let key = pixel_key(settings, (x, y));
        self.camera_samples.clear();
        for s in samples {
            let (sample, stream) = camera_sample(world.camera(), key, (x, y), s);
            self.camera_samples.push(sample);
            self.streams.push(stream);
        }
        world.camera().generate_rays(&self.camera_samples, &mut self.rays);
        self.pixels.push((k, start..self.rays.len()));
    }

    /// Traces the camera rays into `hits`, each pixel's together in
    /// coherent packets.
    fn trace_primary(&mut self, world: &World) {
        for (_, range) in &self.pixels {
            world.intersect_coherent(&self.rays[range.clone()], &mut self.hits);
        }
    }
}

/// Buffers that a tile's batches reuse.
struct Scratch {
    /// Each sample's radiance, traced side by side, in RGB ...
    rgb: Vec<Vec3>,
    /// ... and in spectral mode, per group of bins.
    groups: Vec<Vec<Bins>>,
    /// One sample's bins (spectral mode).
    spectrum: Vec<f32>,
}

impl Scratch {
    fn new(world: &World) -> Scratch {
        Scratch { rgb: Vec::new(), groups: Vec::new(), spectrum: vec![0.0; world.bins()] }
    }
}

/// Adds the radiance of each camera sample of `batch` (its hits traced)
/// to its pixel, in sample order. Path tracing under MIS traces
/// them side by side (`packet`), in spectral mode group of bins by group;
/// the rest one by one.
fn trace_batch(world: &World, settings: &Settings, batch: &Batch, pixels: &mut [PixelAccum], scratch: &mut Scratch) {
    let hits = &batch.hits;
    let samples = CameraSamples { rays: &batch.rays, hits, streams: &batch.streams };
    let (n, depths) = (batch.rays.len(), (settings.max_depth, settings.rr_depth));
    let side_by_side = settings.integrator == IntegratorKind::Path && settings.strategy == Strategy::Mis;
    let Scratch { rgb, groups, spectrum } = scratch;
    match world {
        World::Rgb(scene) if side_by_side => {
            // `li` sets every sample's radiance: no need to clear.
            rgb.resize(n, Vec3::ZERO);
            packet::li(scene, &samples, depths, &mut rgb[..n]);
            for (pixel, range) in &batch.pixels {
                rgb[range.clone()].iter().for_each(|&l| pixels[*pixel].add(l));
            }
        }
        World::Spectral(s) if side_by_side => {
            // Each group of bins traces the same samples (the same numbers).
            groups.resize_with(s.groups.len(), Vec::new);
            for (scene, radiance) in s.groups.iter().zip(groups.iter_mut()) {
                radiance.resize(n, Bins::ZERO);
                packet::li(scene, &samples, depths, &mut radiance[..n]);
            }
            for (pixel, range) in &batch.pixels {
                for k in range.clone() {
                    let bins: &[f32] = match &groups[..] {
                        [only] => &only[k].0[..spectrum.len()],
                        _ => {
                            for (g, radiance) in groups.iter().enumerate() {
                                s.binning.place(g, &radiance[k], spectrum);
                            }
                            spectrum
                        }
                    };
                    pixels[*pixel].add_spectral(s.rgb(bins), bins);
                }
            }
        }
        _ => {
            for (pixel, range) in &batch.pixels {
                for k in range.clone() {
                    let primary = Primary { ray: batch.rays[k], hit: hits[k] };
                    let rgb = trace(world, settings, &primary, batch.streams[k].clone(), spectrum);
                    if spectrum.is_empty() {
                        pixels[*pixel].add(rgb);
                    } else {
                        pixels[*pixel].add_spectral(rgb, spectrum);
                    }
                }
            }
        }
    }
}

/// The radiance a camera ray brings: its RGB, and in spectral mode every
/// bin into `spectrum` (the RGB is then the spectrum's sRGB).
#[inline]
pub fn trace(
    world: &World,
    settings: &Settings,
    primary: &Primary,
    mut stream: SampleStream,
    spectrum: &mut [f32],
) -> Vec3 {
    match world {
        World::Rgb(scene) => integrator::radiance(scene, settings, primary, &mut stream),
        World::Spectral(s) => {
            for (g, scene) in s.groups.iter().enumerate() {
                let l = integrator::radiance(scene, settings, primary, &mut stream.clone());
                s.binning.place(g, &l, spectrum);
            }
            s.rgb(spectrum)
        }
    }
}

fn first_hit_guides(world: &World, hit: Option<Interaction>) -> (Vec3, Vec3) {
    let albedo = match world {
        World::Rgb(s) => integrator::first_hit_albedo(s, hit),
        World::Spectral(s) => integrator::first_hit_albedo(&s.groups[0], hit),
    };
    (albedo, integrator::first_hit_normal(hit))
}

/// One sample of one pixel, replayable on its own (`--debug-pixel x,y,s`):
/// its RGB and, in spectral mode, its bins.
pub fn render_sample(world: &World, settings: &Settings, x: u32, y: u32, s: u32) -> (Vec3, Vec<f32>) {
    let ([film, lens], stream) = camera_sample(world.camera(), pixel_key(settings, (x, y)), (x, y), s);
    let ray = world.camera().generate_ray(film.x, film.y, lens);
    let hit = world.intersect(&ray);
    let mut spectrum = vec![0.0; world.bins()];
    (trace(world, settings, &Primary { ray, hit }, stream, &mut spectrum), spectrum)
}
