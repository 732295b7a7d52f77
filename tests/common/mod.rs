//! Helpers shared by the integration tests: render a scene given as text in
//! this process, run the real binary (alone or under mpirun, always with a
//! timeout), and read images back.
#![allow(dead_code)] // each test file uses a different subset

pub mod inputs;

use rsrender::comm::Serial;
use rsrender::film::tiles::{auto_tile_size, TileGrid, Workers};
use rsrender::render::engine;
use rsrender::scene::{build::build, load::load};
use rsrender::settings::{Overrides, Settings};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rsrender");

/// A scene file written into a fresh temporary directory.
pub struct SceneFile {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn scene_file(toml: &str) -> SceneFile {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("scene.toml");
    std::fs::write(&path, toml).expect("write scene");
    SceneFile { dir, path }
}

/// Renders in this process (one rank) and returns the settings and linear RGB.
pub fn render(toml: &str, overrides: &Overrides, threads: usize) -> (Settings, Vec<f32>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    render_in(dir.path(), toml, overrides, threads)
}

/// As `render`, with the scene written into `dir` (next to its mesh files).
pub fn render_in(dir: &Path, toml: &str, overrides: &Overrides, threads: usize) -> (Settings, Vec<f32>) {
    let path = dir.join("scene.toml");
    std::fs::write(&path, toml).expect("write scene");
    let loaded = load(&path).expect("scene loads");
    let settings = Settings::resolve(&loaded.desc, overrides).expect("settings");
    let key = rsrender::checkpoint::Key::new(loaded.hash, &settings);
    let scene = build(loaded, (settings.width, settings.height), threads).expect("scene builds");
    let workers = Workers { ranks: 1, threads };
    let tile_size = settings
        .tile_size
        .unwrap_or_else(|| auto_tile_size(settings.width, settings.height, workers, settings.adaptive.is_some()));
    let options = engine::Options {
        threads,
        grid: TileGrid::new(settings.width, settings.height, tile_size),
        report: rsrender::report::RankReport::default(),
        resumed: Vec::new(),
        checkpoint: engine::CheckpointPlan { path: dir.join("unused.ckpt"), key, interval: None },
        stall_timeout: std::time::Duration::from_secs(3600),
        on_pass: &mut |_, _| Ok(()),
        on_progress: &mut |_, _, _| {},
    };
    let r = engine::render(&scene, &settings, &Serial, options).expect("render");
    (settings, r.film.expect("rank 0 has the film").layers.rgb)
}

pub fn render_default(toml: &str) -> Vec<f32> {
    render(toml, &Overrides::default(), 2).1
}

/// Mean of each channel over all pixels.
pub fn channel_means(rgb: &[f32]) -> [f64; 3] {
    let n = (rgb.len() / 3) as f64;
    let mut m = [0.0; 3];
    for px in rgb.chunks_exact(3) {
        for c in 0..3 {
            m[c] += px[c] as f64 / n;
        }
    }
    m
}

pub fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= rel * expected.abs(),
        "{what}: got {actual}, expected {expected} within {:.1}%",
        rel * 100.0
    );
}

/// The launcher of the MPI this binary was built with: `mpirun`, or what
/// `RSRENDER_MPIRUN` names (`mpirun.mpich` for the MPICH build).
pub fn launcher() -> String {
    std::env::var("RSRENDER_MPIRUN").unwrap_or_else(|_| "mpirun".into())
}

/// The environment every mpirun needs here: root allowed, more ranks than
/// cores (Open MPI's variables; MPICH needs none and ignores them).
pub fn mpirun() -> Command {
    let mut c = Command::new("timeout");
    c.args(["-k", "10", "120", &launcher()])
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .env("OMPI_MCA_rmaps_base_oversubscribe", "1");
    c
}

/// `mpirun -n N rsrender ARGS...`, timed.
pub fn run_mpi(n: usize, args: &[&str], cwd: &Path) -> (Output, Duration) {
    let mut c = mpirun();
    c.arg("-n").arg(n.to_string()).arg(BIN).args(args).current_dir(cwd);
    timed(c)
}

/// The binary alone (one rank, no mpirun), timed.
pub fn run_alone(args: &[&str], cwd: &Path) -> (Output, Duration) {
    let mut c = Command::new("timeout");
    c.args(["-k", "10", "120", BIN]).args(args).current_dir(cwd);
    timed(c)
}

fn timed(mut c: Command) -> (Output, Duration) {
    let start = Instant::now();
    let out = c.output().expect("run command");
    (out, start.elapsed())
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read_pfm(path: &Path) -> (u32, u32, Vec<f32>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    rsrender::output::read_pfm(&bytes).expect("valid PFM")
}
