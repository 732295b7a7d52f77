//! Command-line flags (clap derive). Flags override the scene file.

use crate::settings::{Aov, Overrides};
use clap::Parser;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(name = "rsrender", version, about = "Physically based, reproducible ray tracing on any number of MPI ranks")]
#[command(
    after_help = "Run on many ranks with `mpirun -n N rsrender SCENE`. The image is the same for any number of ranks, threads or tile size."
)]
pub struct Cli {
    /// Scene file (TOML, format version 1)
    pub scene: PathBuf,

    /// Output image (.png, .exr, .pfm or .npy); overrides film.output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Observers' results (JSON); default: the image output's name with
    /// .observers.json; required for a scene without a camera
    #[arg(long, value_name = "FILE.json")]
    pub observers_output: Option<PathBuf>,

    /// Rendering threads per rank [default: SLURM_CPUS_PER_TASK, OMP_NUM_THREADS,
    /// the affinity mask, or the node's cores divided by the ranks on the node]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub threads: Option<u32>,

    /// Samples per pixel; overrides sampling.spp
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub spp: Option<u32>,

    /// Random seed; overrides sampling.seed
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Tile edge in pixels; overrides render.tile_size
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub tile_size: Option<u32>,

    /// Adaptive sampling: more samples where the image is still noisy
    /// (turns sampling.adaptive on)
    #[arg(long)]
    pub adaptive: bool,

    /// Adaptive: relative standard error at which a pixel stops; overrides
    /// sampling.noise_threshold
    #[arg(long, value_name = "X", value_parser = parse_threshold)]
    pub noise_threshold: Option<f32>,

    /// Rewrite the output after every completed adaptive pass
    #[arg(long)]
    pub write_passes: bool,

    /// Extra per-pixel layers: EXR layers, or one more file per layer next
    /// to a PFM or PNG output (out.samples.pfm, ...)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub aov: Vec<Aov>,

    /// Continue the interrupted render whose checkpoint is OUTPUT.ckpt, on
    /// any number of ranks
    #[arg(long)]
    pub resume: bool,

    /// Seconds between checkpoints (OUTPUT.ckpt); 0 writes one only when
    /// the job is told to stop
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0, value_parser = parse_seconds)]
    pub checkpoint_interval: f64,

    /// Seconds rank 0 waits for a rank that owes work before it writes a
    /// checkpoint and stops the job
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0, value_parser = parse_seconds)]
    pub stall_timeout: f64,

    /// Seconds between progress lines when stderr is not a terminal
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    pub progress_interval: f64,

    /// Write every rank's phase times and every tile's render time as JSON
    #[arg(long, value_name = "FILE.json")]
    pub stats: Option<PathBuf>,

    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,

    /// Render one sample of one pixel and print its path's radiance: x,y,sample
    #[arg(long, value_name = "X,Y,S", value_parser = parse_debug_pixel)]
    pub debug_pixel: Option<(u32, u32, u32)>,
}

impl Cli {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            output: self.output.clone(),
            observers_output: self.observers_output.clone(),
            spp: self.spp,
            seed: self.seed,
            tile_size: self.tile_size,
            adaptive: self.adaptive,
            noise_threshold: self.noise_threshold,
            aovs: self.aov.clone(),
        }
    }
}

fn parse_debug_pixel(s: &str) -> Result<(u32, u32, u32), String> {
    let parts: Vec<&str> = s.split(',').collect();
    let nums: Result<Vec<u32>, _> = parts.iter().map(|p| p.trim().parse::<u32>()).collect();
    match nums.as_deref() {
        Ok([x, y, s]) => Ok((*x, *y, *s)),
        _ => Err(format!("expected X,Y,SAMPLE (three whole numbers), got `{s}`")),
    }
}

fn parse_threshold(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("expected a number > 0, got `{s}`")),
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("expected a number of seconds ≥ 0, got `{s}`")),
    }
}
