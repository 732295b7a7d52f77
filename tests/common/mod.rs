//! Helpers shared by the integration tests: render a scene given as text in
//! this process, run the real binary (alone or under mpirun, always with a
//! timeout), and read images back.
#![allow(dead_code)] // each test file uses a different subset

pub mod inputs;
pub mod job;

use clap::Parser;
use rsrender::cli::Cli;
use rsrender::comm::Serial;
use rsrender::film::Film;
use rsrender::scene::load::load;
use rsrender::settings::{Overrides, Settings};
use rsrender::Outcome;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rsrender");

/// The exit status of a run that `timeout` ended.
pub const TIMEOUT_EXIT: i32 = 124;

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
/// Renders through `rsrender::run`, the entry `main` calls, on one rank.
pub fn render_in(dir: &Path, toml: &str, overrides: &Overrides, threads: usize) -> (Settings, Vec<f32>) {
    let (settings, film) = render_film_in(dir, toml, overrides, threads);
    (settings, film.layers.rgb)
}

/// As `render_in`, returning the whole film (spectral bins, sample counts).
pub fn render_film_in(dir: &Path, toml: &str, overrides: &Overrides, threads: usize) -> (Settings, Film) {
    let path = dir.join("scene.toml");
    std::fs::write(&path, toml).expect("write scene");
    let loaded = load(&path).expect("scene loads");
    let settings = Settings::resolve(&loaded, overrides).expect("settings");
    let output = dir.join(settings.output.file_name().expect("an output file name"));
    let mut args: Vec<String> = vec!["rsrender".into(), path.display().to_string(), "-q".into()];
    args.extend(["-o".into(), output.display().to_string(), "--threads".into(), threads.to_string()]);
    let flags = [("--spp", overrides.spp.map(|v| v.to_string())), ("--seed", overrides.seed.map(|v| v.to_string()))];
    let more = [
        ("--tile-size", overrides.tile_size.map(|v| v.to_string())),
        ("--noise-threshold", overrides.noise_threshold.map(|v| v.to_string())),
    ];
    for (flag, value) in flags.into_iter().chain(more) {
        if let Some(v) = value {
            args.extend([flag.to_string(), v]);
        }
    }
    if overrides.adaptive {
        args.push("--adaptive".into());
    }
    assert!(overrides.output.is_none() && overrides.aovs.is_empty(), "render_in takes neither output nor AOVs");
    let cli = Cli::try_parse_from(&args).expect("flags");
    match rsrender::run(&cli, &Serial).expect("render") {
        Outcome::Complete(Some(film)) => (settings, *film),
        _ => panic!("rank 0 of a one-rank job ends with the film"),
    }
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
    rsrender::texture::image::parse_pfm(&bytes).expect("valid PFM")
}

/// A diffuse ground (reflectance 0.3) 0.5 below the origin, 200 wide: with a
/// sky above, every direction from the origin sees something, with variance.
pub const GROUND: &str = r#"
[materials.ground]
type = "diffuse"
reflectance = 0.3
[[shapes]]
type = "rectangle"
material = "ground"
transform = { scale = 100, rotate = [-90, 0, 0], translate = [0, -0.5, 0] }
"#;

/// A PFM image of `width` × `height` texels from `texel(column, row)`, row
/// 0 on top.
pub fn write_pfm(path: &Path, (width, height): (usize, usize), texel: impl Fn(usize, usize) -> [f32; 3]) {
    let mut bytes = format!("PF\n{width} {height}\n-1.0\n").into_bytes();
    for row in (0..height).rev() {
        for column in 0..width {
            bytes.extend(texel(column, row).iter().flat_map(|v| v.to_le_bytes()));
        }
    }
    std::fs::write(path, bytes).unwrap();
}
