//! The render settings in force: the scene file's values with the command
//! line's overrides applied, checked once here.

use crate::scene::desc::{IntegratorKind, Strategy};
use crate::scene::load::LoadedScene;
use crate::spectrum::Binning;
use anyhow::{bail, Result};
use std::path::PathBuf;

/// Values the command line may override.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub output: Option<PathBuf>,
    pub observers_output: Option<PathBuf>,
    pub spp: Option<u32>,
    pub seed: Option<u64>,
    pub tile_size: Option<u32>,
    /// `--adaptive`: turn adaptive sampling on.
    pub adaptive: bool,
    pub noise_threshold: Option<f32>,
    pub aovs: Vec<Aov>,
}

/// Extra per-pixel layers an output can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Aov {
    /// Samples taken by the pixel.
    Samples,
    /// Relative standard error of the pixel's mean (worst channel).
    Stderr,
    /// Reflectance of the first surface hit (a denoiser's guide).
    Albedo,
    /// Geometric normal at the first hit, in [-1, 1].
    Normal,
}

impl Aov {
    /// The layer's name in files (`samples`, `stderr`, `albedo`, `normal`).
    pub fn name(self) -> &'static str {
        match self {
            Aov::Samples => "samples",
            Aov::Stderr => "stderr",
            Aov::Albedo => "albedo",
            Aov::Normal => "normal",
        }
    }
}

/// Multi-pass adaptive sampling: a pixel stops once it has `min_spp` samples
/// and the relative standard error of its mean is at most `noise_threshold`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adaptive {
    pub min_spp: u32,
    pub pass_spp: u32,
    pub noise_threshold: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Png,
    Exr,
    Pfm,
    /// NumPy array: height × width × channels (3, or the spectral bins).
    Npy,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub width: u32,
    pub height: u32,
    pub spp: u32,
    pub seed: u64,
    /// Longest path in segments; `u32::MAX` when unlimited.
    pub max_depth: u32,
    pub rr_depth: u32,
    pub integrator: IntegratorKind,
    pub strategy: Strategy,
    /// The tile edge the user gave; `None`: chosen for the job
    /// (`film::tiles::auto_tile_size`) once the ranks agree.
    pub tile_size: Option<u32>,
    pub exposure: f32,
    pub output: PathBuf,
    pub format: OutputFormat,
    /// `None`: every pixel takes `spp` samples in one pass.
    pub adaptive: Option<Adaptive>,
    pub aovs: Vec<Aov>,
    /// Spectral mode's bins; `None` in RGB mode.
    pub binning: Option<Binning>,
    /// Where the observers' results go; `None` without observers.
    pub observers_output: Option<PathBuf>,
    /// Where an interrupted job saves its work: beside the image, or beside
    /// the observers' results when the scene has no camera.
    pub checkpoint: PathBuf,
}

impl Settings {
    /// Albedo or normal layers need a first-hit query per sample.
    pub fn wants_guides(&self) -> bool {
        self.aovs.iter().any(|a| matches!(a, Aov::Albedo | Aov::Normal))
    }

    /// Spectral bins per pixel (0 in RGB mode).
    pub fn bins(&self) -> usize {
        self.binning.as_ref().map_or(0, |b| b.bins)
    }

    /// The scene's checked values with the command line's overrides.
    pub fn resolve(loaded: &LoadedScene, o: &Overrides) -> Result<Settings> {
        let (desc, checked) = (&loaded.desc, &loaded.checked);
        let film = desc.film.as_ref();
        let output = o.output.clone().unwrap_or_else(|| PathBuf::from(film.map_or("render.png", |f| &f.output)));
        let format = output_format(&output)?;
        let s = &checked.sampling;
        let spp = o.spp.unwrap_or(s.spp);
        let adaptive = desc.sampling.adaptive || o.adaptive;
        let observers_output = observers_output(desc, checked.image, &output, o)?;
        let checkpoint = match (&observers_output, checked.image) {
            (Some(observed), false) => with_ckpt(observed),
            _ => with_ckpt(&output),
        };
        Ok(Settings {
            width: checked.width,
            height: checked.height,
            spp,
            seed: o.seed.unwrap_or(s.seed),
            max_depth: s.max_depth,
            rr_depth: s.rr_depth,
            integrator: desc.render.integrator,
            strategy: desc.render.strategy,
            tile_size: o.tile_size.or(checked.tile_size),
            exposure: film.map_or(0.0, |f| f.exposure),
            output,
            format,
            adaptive: adaptive.then(|| Adaptive {
                min_spp: s.min_spp.min(spp),
                pass_spp: s.pass_spp,
                noise_threshold: o.noise_threshold.unwrap_or(desc.sampling.noise_threshold),
            }),
            aovs: o.aovs.clone(),
            binning: checked.binning.clone(),
            observers_output,
            checkpoint,
        })
    }
}

/// `--observers-output`, else beside the image (`out.png` →
/// `out.observers.json`); a scene without a camera must name it.
fn observers_output(
    desc: &crate::scene::desc::SceneDesc,
    image: bool,
    output: &std::path::Path,
    o: &Overrides,
) -> Result<Option<PathBuf>> {
    if desc.observers.is_empty() {
        return Ok(None);
    }
    match (&o.observers_output, image) {
        (Some(path), _) => Ok(Some(path.clone())),
        (None, true) => {
            let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(Some(output.with_file_name(format!("{stem}.observers.json"))))
        }
        (None, false) => {
            bail!("a scene without a [camera] writes only its observers: give --observers-output FILE.json")
        }
    }
}

/// `render.png` → `render.png.ckpt`.
fn with_ckpt(output: &std::path::Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".ckpt");
    output.with_file_name(name)
}

fn output_format(path: &std::path::Path) -> Result<OutputFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
    Ok(match ext.as_deref() {
        Some("png") => OutputFormat::Png,
        Some("exr") => OutputFormat::Exr,
        Some("pfm") => OutputFormat::Pfm,
        Some("npy") => OutputFormat::Npy,
        _ => bail!("output {}: unknown image format; use a .png, .exr, .pfm or .npy file name", path.display()),
    })
}
