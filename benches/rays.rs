//! Rays per sample, and how close the path tracer comes to the tracer's
//! limit: a scene is rendered on one thread (each pixel's samples in turn,
//! as `--debug-pixel` replays them), once timed and once recording every
//! ray it traces (`Accel::record`); the recorded rays are then traced again
//! by Embree alone, one at a time and in 16-wide packets of consecutive
//! rays, in the order the render traced them. Prints rays per sample, the
//! render's rays per second, Embree's rays per second on the same rays, and
//! the share of the render's time Embree's single-ray queries account for.
//!
//! With `--save-rays=DIR` the rays go to `DIR/nearest.npy` and
//! `DIR/shadow.npy` (float32, one row per ray: origin, direction, t_max),
//! for `scripts/mitsuba_rays.py` to trace with Mitsuba's own tracer.
//!
//! Usage: `cargo bench --bench rays -- SCENE.toml [SPP] [--save-rays=DIR]`
//! (RGB scenes; run it pinned to one core, e.g. under `taskset -c 0`).

use anyhow::{bail, Context, Result};
use rsrender::accel::{Accel, RayLog};
use rsrender::geometry::Hit;
use rsrender::math::Ray;
use rsrender::output::npy;
use rsrender::render::tile::render_sample;
use rsrender::scene::{build::build, load::load, World};
use rsrender::settings::{Overrides, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let save = std::env::args().find_map(|a| a.strip_prefix("--save-rays=").map(PathBuf::from));
    let Some(scene_path) = args.first() else {
        bail!("usage: cargo bench --bench rays -- SCENE.toml [SPP] [--save-rays=DIR]");
    };
    let spp: u32 = args.get(1).map(|s| s.parse()).transpose().context("SPP")?.unwrap_or(16);
    let loaded = load(Path::new(scene_path))?;
    let settings = Settings::resolve(&loaded, &Overrides { spp: Some(spp), ..Overrides::default() })?;
    let (mut world, _) = build(loaded, (settings.width, settings.height), 1)?;
    let samples = settings.width as u64 * settings.height as u64 * spp as u64;

    let started = Instant::now();
    render(&world, &settings);
    let seconds = started.elapsed().as_secs_f64();
    accel_of(&mut world, scene_path)?.record();
    render(&world, &settings);
    let accel = accel_of(&mut world, scene_path)?;
    let log = accel.take_log();
    let (nearest, shadow) = (log.nearest.len() as f64, log.shadow.len() as f64);
    let per_sample = (nearest + shadow) / samples as f64;

    println!(
        "{scene_path}: {}x{} x {spp} spp = {samples} samples on one thread, {:.3} M samples/s",
        settings.width,
        settings.height,
        samples as f64 / seconds / 1e6
    );
    println!(
        "rays per sample: {per_sample:.2} (nearest-hit {:.2}, camera rays included; shadow {:.2})",
        nearest / samples as f64,
        shadow / samples as f64
    );
    println!("the render traces {:.2} M rays/s", (nearest + shadow) / seconds / 1e6);

    let single = (rate(&log.nearest, |r| trace_single(accel, r)), rate(&log.shadow, |r| block_single(accel, r)));
    let packets = (rate(&log.nearest, |r| trace_packets(accel, r)), rate(&log.shadow, |r| block_packets(accel, r)));
    println!(
        "Embree alone on the same rays, M rays/s: nearest-hit {:.2} one at a time, {:.2} in packets; \
         shadow {:.2} one at a time, {:.2} in packets",
        single.0, packets.0, single.1, packets.1
    );
    let embree_seconds = nearest / single.0 / 1e6 + shadow / single.1 / 1e6;
    println!(
        "Embree's single-ray queries would take {:.0}% of the render's time; in packets {:.0}%",
        100.0 * embree_seconds / seconds,
        100.0 * (nearest / packets.0 + shadow / packets.1) / 1e6 / seconds
    );
    let single_hits: Vec<Option<Hit>> = log.nearest.iter().map(|r| accel.intersect(r)).collect();
    let differ = packets_differ(accel, &log.nearest, &single_hits);
    println!("packets and single rays found the same hits: {}", if differ == 0 { "all" } else { "NOT all" });
    let hit = single_hits.iter().flatten().count() as f64;
    let blocked = log.shadow.iter().filter(|r| accel.occluded(r)).count() as f64;
    println!(
        "nearest-hit rays that hit {:.1}%, shadow rays blocked {:.1}%",
        100.0 * hit / nearest,
        100.0 * blocked / shadow
    );
    if let Some(dir) = save {
        save_rays(&dir, &log)?;
        println!("rays saved in {}", dir.display());
    }
    Ok(())
}

/// The accelerator of an RGB scene, which nothing else holds.
fn accel_of<'a>(world: &'a mut World, scene_path: &str) -> Result<&'a mut Accel> {
    let World::Rgb(scene) = world else {
        bail!("{scene_path}: the ray benchmark takes RGB scenes");
    };
    Arc::get_mut(&mut scene.accel).context("the accelerator is shared")
}

/// Every sample of every pixel, in turn.
fn render(world: &World, settings: &Settings) {
    for y in 0..settings.height {
        for x in 0..settings.width {
            for s in 0..settings.spp {
                std::hint::black_box(render_sample(world, settings, x, y, s));
            }
        }
    }
}

/// Millions of rays per second of `trace` over `rays`, the best of three.
fn rate(rays: &[Ray], trace: impl Fn(&[Ray])) -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            trace(rays);
            rays.len() as f64 / started.elapsed().as_secs_f64() / 1e6
        })
        .fold(0.0, f64::max)
}

fn trace_single(accel: &Accel, rays: &[Ray]) {
    for r in rays {
        std::hint::black_box(accel.intersect(r));
    }
}

fn block_single(accel: &Accel, rays: &[Ray]) {
    for r in rays {
        std::hint::black_box(accel.occluded(r));
    }
}

fn trace_packets(accel: &Accel, rays: &[Ray]) {
    let mut hits = [None; 16];
    for chunk in rays.chunks(16) {
        accel.intersect_packets(chunk, &mut hits[..chunk.len()], false);
        std::hint::black_box(&hits);
    }
}

fn block_packets(accel: &Accel, rays: &[Ray]) {
    let mut blocked = [false; 16];
    for chunk in rays.chunks(16) {
        accel.occluded_packets(chunk, &mut blocked[..chunk.len()]);
        std::hint::black_box(&blocked);
    }
}

/// How many of `rays` packets find other hits for than `single`, the
/// single-ray hits.
fn packets_differ(accel: &Accel, rays: &[Ray], single: &[Option<Hit>]) -> usize {
    let mut hits: Vec<Option<Hit>> = vec![None; rays.len()];
    for (r, h) in rays.chunks(16).zip(hits.chunks_mut(16)) {
        accel.intersect_packets(r, h, false);
    }
    hits.iter().zip(single).filter(|(h, s)| h != s).count()
}

/// The rays of `log` as `DIR/nearest.npy` and `DIR/shadow.npy`.
fn save_rays(dir: &Path, log: &RayLog) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, rays) in [("nearest", &log.nearest), ("shadow", &log.shadow)] {
        let rows: Vec<f32> = rays
            .iter()
            .flat_map(|r| [r.origin.x, r.origin.y, r.origin.z, r.dir.x, r.dir.y, r.dir.z, r.t_max])
            .collect();
        npy::write(&dir.join(format!("{name}.npy")), &[rays.len() as u64, 7], &rows)?;
    }
    Ok(())
}
