//! The render settings in force: the scene file's values with the command
//! line's overrides applied, checked once here.

use crate::scene::desc::{IntegratorKind, SceneDesc};
use anyhow::{bail, Result};
use std::path::PathBuf;

/// Values the command line may override.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub output: Option<PathBuf>,
    pub spp: Option<u32>,
    pub seed: Option<u64>,
    pub tile_size: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Png,
    Exr,
    Pfm,
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
    pub tile_size: u32,
    pub exposure: f32,
    pub output: PathBuf,
    pub format: OutputFormat,
}

impl Settings {
    /// Assumes `desc` passed validation.
    pub fn resolve(desc: &SceneDesc, o: &Overrides) -> Result<Settings> {
        let output = o.output.clone().unwrap_or_else(|| PathBuf::from(&desc.film.output));
        let format = output_format(&output)?;
        let s = &desc.sampling;
        Ok(Settings {
            width: desc.film.width as u32,
            height: desc.film.height as u32,
            spp: o.spp.unwrap_or(s.spp as u32),
            seed: o.seed.unwrap_or(s.seed as u64),
            max_depth: if s.max_depth < 0 { u32::MAX } else { s.max_depth as u32 },
            rr_depth: s.rr_depth.min(u32::MAX as i64) as u32,
            integrator: desc.render.integrator,
            tile_size: o.tile_size.unwrap_or(desc.render.tile_size.min(u32::MAX as i64) as u32),
            exposure: desc.film.exposure,
            output,
            format,
        })
    }

    pub fn total_samples(&self) -> u64 {
        self.width as u64 * self.height as u64 * self.spp as u64
    }
}

fn output_format(path: &std::path::Path) -> Result<OutputFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
    Ok(match ext.as_deref() {
        Some("png") => OutputFormat::Png,
        Some("exr") => OutputFormat::Exr,
        Some("pfm") => OutputFormat::Pfm,
        _ => bail!("output {}: unknown image format; use a .png, .exr or .pfm file name", path.display()),
    })
}
