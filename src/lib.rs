//! rsrender: a physically based ray tracer that renders one scene file on any
//! number of MPI ranks and threads, with the same image bytes every time.
//!
//! The flow (see docs/architecture.md): every rank loads and checks the
//! scene, the ranks agree that they read the same thing, each builds its own
//! runtime scene, renders its static share of tiles, and rank 0 assembles
//! the film and writes the image.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod accel;
pub mod camera;
pub mod checkpoint;
pub mod cli;
pub mod comm;
pub mod film;
pub mod geometry;
pub mod hash;
pub mod integrator;
pub mod interrupt;
pub mod light;
pub mod material;
pub mod math;
pub mod observer;
pub mod output;
pub mod render;
pub mod report;
pub mod sampler;
pub mod scene;
pub mod settings;
pub mod spectrum;
pub mod texture;

use anyhow::{anyhow, bail, Context, Result};
use checkpoint::Resumed;
use cli::Cli;
use comm::Transport;
use film::tiles::{auto_tile_size, TileChoice, TileGrid, Workers};
use film::Film;
use render::engine::{self, CheckpointPlan, Collected};
use scene::load::LoadedScene;
use settings::Settings;
use std::time::{Duration, Instant};

/// How a run ended on this rank.
pub enum Outcome {
    /// The image is written; rank 0 returns its film (callers such as the
    /// tests read it), the other ranks `None`.
    Complete(Option<Box<Film>>),
    /// Told to stop by a signal; rank 0 wrote a checkpoint.
    Interrupted,
}

pub fn run(cli: &Cli, transport: &dyn Transport) -> Result<Outcome> {
    let start = Instant::now();
    let mut phases = report::Phases::default();
    let machine = render::threads::Machine::current();
    let (threads, thread_source) = render::threads::threads_per_rank(cli.threads, transport.ranks_on_node(), &machine);
    let prepared = phases.time("read", || prepare(cli, transport.rank(), transport.ranks_on_node()));
    let agreed = phases.time("agree", || agree(transport, prepared, threads))?;
    let Agreed { loaded, settings, resumed, most_threads } = agreed;
    if transport.rank() == 0 {
        for warning in &loaded.checked.warnings {
            eprintln!("rsrender: warning: {warning}");
        }
    }
    let scene_hash = loaded.hash;
    let image = loaded.checked.image;
    let (world, observers) =
        phases.time("build", || scene::build::build(loaded, (settings.width, settings.height), threads))?;
    if let Some((x, y, s)) = cli.debug_pixel {
        debug_pixel(&world, &settings, transport.rank(), x, y, s)?;
        return Ok(Outcome::Complete(None));
    }
    let job = Job {
        world: &world,
        observers: &observers,
        settings: &settings,
        image,
        resumed,
        most_threads,
        threads,
        thread_source,
        phases,
    };
    render(cli, transport, job, (start, scene_hash))
}

/// What rendering needs from `run`.
struct Job<'a> {
    world: &'a scene::World,
    observers: &'a [observer::Observer],
    settings: &'a Settings,
    /// The scene has a camera (else its film has no pixels).
    image: bool,
    resumed: Option<checkpoint::Resumed>,
    most_threads: usize,
    threads: usize,
    thread_source: render::threads::ThreadSource,
    phases: report::Phases,
}

/// Renders the image and measures the observers, and writes them (or a
/// checkpoint when interrupted).
fn render(cli: &Cli, transport: &dyn Transport, job: Job, (start, scene_hash): (Instant, u64)) -> Result<Outcome> {
    let Job { world, observers, settings, image, resumed, most_threads, threads, thread_source, phases } = job;
    let workers = Workers { ranks: transport.size(), threads: most_threads };
    let (tile_size, tile_choice) = match (settings.tile_size, &resumed) {
        (Some(size), _) => (size, TileChoice::Given),
        (None, Some(r)) => (r.tile_size, TileChoice::Checkpoint),
        (None, None) => {
            (auto_tile_size(settings.width, settings.height, workers, settings.adaptive.is_some()), TileChoice::Auto)
        }
    };
    let grid = TileGrid::new(settings.width, settings.height, tile_size);
    let resumed = resumed.unwrap_or_default();
    let tasks = observer::tally::tasks(observers);
    let task_count = tasks.len();
    let resumed_samples = resumed_samples(&resumed, &tasks);
    let checkpoint_path = settings.checkpoint.clone();
    let checkpoint_key = checkpoint::Key::new(scene_hash, settings);
    let observer_samples: u64 = observers.iter().map(|o| o.samples as u64 * o.detectors.len() as u64).sum();
    let planned_samples = settings.adaptive.is_none().then(|| {
        (settings.width as u64 * settings.height as u64 * settings.spp as u64 + observer_samples)
            .saturating_sub(resumed_samples)
    });
    let pieces = match (image, task_count > 0) {
        (true, true) => "tiles and tasks",
        (true, false) => "tiles",
        _ => "tasks",
    };
    let total_pieces = grid.count() as usize + task_count;
    let mut progress: Option<report::Progress> = None;
    let mut on_progress = |collected: &Collected, samples: u64, elapsed: Duration| {
        if !cli.quiet {
            let interval = Duration::from_secs_f64(cli.progress_interval);
            let done = collected.pieces_done();
            progress
                .get_or_insert_with(|| report::Progress::new(pieces, (done, total_pieces), planned_samples, interval))
                .update(done, samples, elapsed);
        }
    };
    let mut on_pass = |film: &Film, pass: u32| -> Result<()> {
        if let Some(adaptive) = settings.adaptive {
            if !cli.quiet {
                let active = report::active_share(film, settings, &adaptive);
                eprintln!("rsrender: pass {pass} done: {:.1}% of pixels still active", active * 100.0);
            }
            if cli.write_passes && !film.is_complete() {
                output::write_film(settings, film)?;
            }
        }
        Ok(())
    };
    let options = engine::Options {
        threads,
        grid,
        observers,
        tasks: &tasks,
        report: report::RankReport {
            rank: transport.rank() as u32,
            host: report::host_name(),
            threads: threads as u32,
            cpu_seconds: 0.0,
            phases,
            peak_rss_bytes: 0,
            scene: world.memory(),
        },
        resumed,
        checkpoint: CheckpointPlan {
            path: checkpoint_path.clone(),
            key: checkpoint_key.clone(),
            interval: (cli.checkpoint_interval > 0.0).then(|| Duration::from_secs_f64(cli.checkpoint_interval)),
        },
        stall_timeout: Duration::from_secs_f64(cli.stall_timeout),
        on_pass: &mut on_pass,
        on_progress: &mut on_progress,
    };
    let rendered = engine::render(world, settings, transport, options)?;
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    let Some(collected) = rendered.collected else {
        return Ok(if interrupt::requested().is_some() { Outcome::Interrupted } else { Outcome::Complete(None) });
    };
    if !collected.is_complete() {
        checkpoint::write(&checkpoint_path, &checkpoint_key, (&collected.film, &grid), &collected.book)?;
        eprintln!(
            "rsrender: stopped by {}: {} of {total_pieces} {pieces} done, checkpoint written to {}; \
             finish with the same command and --resume (any number of ranks)",
            interrupt::requested().unwrap_or("a signal"),
            collected.pieces_done(),
            checkpoint_path.display()
        );
        return Ok(Outcome::Interrupted);
    }
    let mut reports = rendered.reports;
    let Collected { film, book } = collected;
    reports[0].phases.time("write", || -> Result<()> {
        if image {
            output::write_film(settings, &film)?;
        }
        if let Some(path) = &settings.observers_output {
            output::observers::write(path, observers, &book.measure(observers), settings.binning.as_ref())?;
        }
        Ok(())
    })?;
    if checkpoint_path.exists() {
        std::fs::remove_file(&checkpoint_path)
            .map_err(|e| anyhow!("cannot remove the finished checkpoint {}: {e}", checkpoint_path.display()))?;
    }
    let stats = report::Stats {
        reports,
        tiles: rendered.tiles,
        tasks: rendered.tasks,
        wall_seconds: start.elapsed().as_secs_f64(),
        samples: film.total_samples() + book.samples() - resumed_samples,
        grid: (grid.cols, grid.rows, grid.size),
    };
    if let Some(path) = &cli.stats {
        let json = serde_json::to_string_pretty(&stats.to_json())?;
        output::write_atomically(path, |tmp| Ok(std::fs::write(tmp, json.as_bytes())?))
            .with_context(|| format!("cannot write --stats {}", path.display()))?;
    }
    if !cli.quiet {
        if image {
            let summary = report::Summary {
                settings,
                samples: film.total_samples(),
                threads,
                stats: &stats,
                threads_from: thread_source.describe(),
                grid,
                tile_choice,
            };
            say(&summary.to_string());
        }
        if let Some(path) = &settings.observers_output {
            say(&format!(
                "rsrender: wrote {}: {} observers ({} detectors, {} samples in {task_count} tasks) on {} ranks × {threads} threads",
                path.display(),
                observers.len(),
                observers.iter().map(|o| o.detectors.len()).sum::<usize>(),
                book.samples(),
                transport.size(),
            ));
        }
        say(&stats.short_report());
    }
    Ok(Outcome::Complete(image.then(|| Box::new(film))))
}

/// Samples in the tiles and tasks a checkpoint brought.
fn resumed_samples(resumed: &checkpoint::Resumed, tasks: &[observer::tally::Task]) -> u64 {
    let tiles: u64 = resumed.tiles.iter().flat_map(|r| &r.layers.samples).map(|&n| n as u64).sum();
    let in_tasks: u64 = resumed.tasks.iter().filter_map(|t| tasks.get(t.task as usize)).map(|t| t.count as u64).sum();
    tiles + in_tasks
}

type Prepared = (LoadedScene, Settings, Option<Resumed>);

/// What every rank goes on with once the ranks agree.
struct Agreed {
    loaded: LoadedScene,
    settings: Settings,
    resumed: Option<Resumed>,
    /// The most rendering threads any rank runs (for the tile size).
    most_threads: usize,
}

/// Loads and checks the scene and settings, that the node has room for its
/// ranks to build the scene, and with `--resume` the checkpoint; rank 0,
/// which writes the image, also checks that the output can be written.
/// (The room is measured before `agree`, so before any rank builds.)
fn prepare(cli: &Cli, rank: usize, ranks_on_node: usize) -> Result<Prepared> {
    accel::isa::in_use()?;
    let loaded = scene::load::load(&cli.scene)?;
    scene::room::check(&loaded, ranks_on_node, scene::room::available_memory())?;
    let settings = Settings::resolve(&loaded, &cli.overrides())?;
    if rank == 0 {
        if loaded.checked.image {
            output::check_writable(&settings.output)?;
        }
        if let Some(path) = &settings.observers_output {
            output::check_writable(path)?;
        }
    }
    let resumed = if cli.resume {
        let path = settings.checkpoint.clone();
        let resumed = checkpoint::read(&path, &checkpoint::Key::new(loaded.hash, &settings))?;
        if let Some(given) = settings.tile_size.filter(|&t| t != resumed.tile_size) {
            bail!(
                "checkpoint {} holds {} px tiles but the tile size is set to {given}: \
                 resume without --tile-size / render.tile_size, or with {}",
                path.display(),
                resumed.tile_size,
                resumed.tile_size
            );
        }
        Some(resumed)
    } else {
        None
    };
    Ok((loaded, settings, resumed))
}

/// Every rank learns whether every other rank prepared successfully and read
/// the same scene as rank 0, and how many threads the others run. Exactly one
/// rank reports a failure: the lowest that failed (or, if all loaded, the
/// lowest that read something else); the others wait for its abort, so a job
/// never prints N copies of one error.
fn agree(transport: &dyn Transport, prepared: Result<Prepared>, threads: usize) -> Result<Agreed> {
    let hash = prepared.as_ref().map_or(0, |(l, _, _)| l.hash);
    let mut mine = vec![u8::from(prepared.is_ok())];
    mine.extend_from_slice(&hash.to_le_bytes());
    mine.push(accel::isa::code());
    mine.extend_from_slice(&(threads as u32).to_le_bytes());
    let all = transport.all_gather(&mine);
    let ok = |r: usize| all[r][0] == 1;
    let hash_of = |r: usize| u64::from_le_bytes(all[r][1..9].try_into().expect("14-byte status"));
    let threads_of = |r: usize| u32::from_le_bytes(all[r][10..14].try_into().expect("14-byte status")) as usize;
    let me = transport.rank();
    if let Some(first_failed) = (0..all.len()).find(|&r| !ok(r)) {
        if first_failed == me {
            prepared?;
        }
        wait_for_abort(transport);
    }
    let root_hash = hash_of(0);
    if let Some(first_different) = (0..all.len()).find(|&r| hash_of(r) != root_hash) {
        if first_different == me {
            let path = prepared.as_ref().map(|(l, _, _)| l.path.display().to_string()).unwrap_or_default();
            return Err(anyhow!(
                "scene file {path} differs from what rank 0 read (hash {:016x}, rank 0: {root_hash:016x}); \
                 every rank must read the same file: put it on a filesystem that all nodes share",
                hash_of(me)
            ));
        }
        wait_for_abort(transport);
    }
    if me == 0 {
        if let Some(warning) = accel::isa::mismatch_warning(&all.iter().map(|status| status[9]).collect::<Vec<_>>()) {
            eprintln!("{warning}");
        }
    }
    let (loaded, settings, resumed) = prepared?;
    let most_threads = (0..all.len()).map(threads_of).max().unwrap_or(threads);
    Ok(Agreed { loaded, settings, resumed, most_threads })
}

/// Another rank is about to abort the job: block until it does.
fn wait_for_abort(transport: &dyn Transport) -> ! {
    transport.barrier();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn debug_pixel(world: &scene::World, settings: &Settings, rank: usize, x: u32, y: u32, s: u32) -> Result<()> {
    if x >= settings.width || y >= settings.height {
        return Err(anyhow!("--debug-pixel {x},{y},{s}: the image is {}×{}", settings.width, settings.height));
    }
    if rank == 0 {
        let (l, spectrum) = render::tile::render_sample(world, settings, x, y, s);
        say(&format!("pixel ({x}, {y}) sample {s}: radiance [{}, {}, {}]", l.x, l.y, l.z));
        if !spectrum.is_empty() {
            say(&format!("spectral radiance per bin (W/m²/sr/nm): {spectrum:?}"));
        }
    }
    Ok(())
}

/// Prints a report line; a closed stdout (`| head`) is not an error worth
/// aborting a finished render for.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}
