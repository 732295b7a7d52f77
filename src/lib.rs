//! rsrender: a physically based ray tracer that renders one scene file on any
//! number of MPI ranks and threads, with the same image bytes every time.
//!
//! The flow (see docs/architecture.md): every rank loads and checks the
//! scene, the ranks agree that they read the same thing, each builds its own
//! runtime scene, renders its static share of tiles, and rank 0 assembles
//! the film and writes the image.

pub mod accel;
pub mod camera;
pub mod cli;
pub mod comm;
pub mod film;
pub mod geometry;
pub mod integrator;
pub mod light;
pub mod material;
pub mod math;
pub mod output;
pub mod render;
pub mod report;
pub mod sampler;
pub mod scene;
pub mod settings;

use anyhow::{anyhow, Result};
use cli::Cli;
use comm::Transport;
use scene::load::LoadedScene;
use settings::Settings;
use std::time::Instant;

pub fn run(cli: &Cli, transport: &dyn Transport) -> Result<()> {
    let start = Instant::now();
    let prepared = prepare(cli, transport.rank());
    let (loaded, settings) = agree(transport, prepared)?;
    let scene = scene::build::build(&loaded.desc, &settings)?;
    if let Some((x, y, s)) = cli.debug_pixel {
        return debug_pixel(&scene, &settings, transport.rank(), x, y, s);
    }
    let machine = render::threads::Machine::current();
    let (threads, _) = render::threads::threads_per_rank(cli.threads, transport.ranks_on_node(), &machine);
    let mut on_pass = |film: &film::Film, pass: u32| -> Result<()> {
        if let Some(adaptive) = settings.adaptive {
            if !cli.quiet {
                let active = report::active_share(film, &settings, &adaptive);
                eprintln!("rsrender: pass {pass} done: {:.1}% of pixels still active", active * 100.0);
            }
            if cli.write_passes && !film.is_complete() {
                output::write_film(&settings, film)?;
            }
        }
        Ok(())
    };
    let rendered = render::engine::render(&scene, &settings, transport, threads, &mut on_pass)?;
    if let Some(film) = rendered.film {
        output::write_film(&settings, &film)?;
        if !cli.quiet {
            let summary = report::Summary {
                settings: &settings,
                samples: film.total_samples(),
                threads,
                wall: start.elapsed(),
                rank_times: &rendered.rank_times,
            };
            println!("{summary}");
        }
    }
    Ok(())
}

/// Loads and checks the scene and settings; rank 0, which writes the image,
/// also checks that the output can be written.
fn prepare(cli: &Cli, rank: usize) -> Result<(LoadedScene, Settings)> {
    let loaded = scene::load::load(&cli.scene)?;
    let settings = Settings::resolve(&loaded.desc, &cli.overrides())?;
    if rank == 0 {
        output::check_writable(&settings.output)?;
    }
    Ok((loaded, settings))
}

/// Every rank learns whether every other rank prepared successfully and read
/// the same scene as rank 0. Exactly one rank reports a failure: the lowest
/// that failed (or, if all loaded, the lowest that read something else);
/// the others wait for its abort, so a job never prints N copies of one error.
fn agree(transport: &dyn Transport, prepared: Result<(LoadedScene, Settings)>) -> Result<(LoadedScene, Settings)> {
    let hash = prepared.as_ref().map_or(0, |(l, _)| l.hash);
    let mut mine = vec![u8::from(prepared.is_ok())];
    mine.extend_from_slice(&hash.to_le_bytes());
    let all = transport.all_gather(&mine);
    let ok = |r: usize| all[r][0] == 1;
    let hash_of = |r: usize| u64::from_le_bytes(all[r][1..9].try_into().expect("9-byte status"));
    let me = transport.rank();
    if let Some(first_failed) = (0..all.len()).find(|&r| !ok(r)) {
        if first_failed == me {
            return prepared;
        }
        wait_for_abort(transport);
    }
    let root_hash = hash_of(0);
    if let Some(first_different) = (0..all.len()).find(|&r| hash_of(r) != root_hash) {
        if first_different == me {
            let path = prepared.as_ref().map(|(l, _)| l.path.display().to_string()).unwrap_or_default();
            return Err(anyhow!(
                "scene file {path} differs from what rank 0 read (hash {:016x}, rank 0: {root_hash:016x}); \
                 every rank must read the same file: put it on a filesystem that all nodes share",
                hash_of(me)
            ));
        }
        wait_for_abort(transport);
    }
    prepared
}

/// Another rank is about to abort the job: block until it does.
fn wait_for_abort(transport: &dyn Transport) -> ! {
    transport.barrier();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn debug_pixel(scene: &scene::Scene, settings: &Settings, rank: usize, x: u32, y: u32, s: u32) -> Result<()> {
    if x >= settings.width || y >= settings.height {
        return Err(anyhow!("--debug-pixel {x},{y},{s}: the image is {}×{}", settings.width, settings.height));
    }
    if rank == 0 {
        let l = render::tile::render_sample(scene, settings, x, y, s);
        println!("pixel ({x}, {y}) sample {s}: radiance [{}, {}, {}]", l.x, l.y, l.z);
    }
    Ok(())
}
