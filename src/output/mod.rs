//! Image files: `.png` (tone-mapped 8-bit sRGB), `.exr` and `.pfm` (linear
//! float RGB), `.npy` (float32 height × width × channels). In spectral mode
//! the EXR adds one channel per bin (the spectral OpenEXR layout) and the
//! NPY holds the spectral cube, its bin edges beside it. Extra layers
//! (`--aov`) go into the EXR as `layer.channel` channels, or next to the
//! other formats as one PFM per layer (`out.samples.pfm`).
//! Every file is written to a temporary name in the same directory, flushed,
//! then renamed: a reader never sees half an image, and a job killed while
//! writing leaves the previous file intact.
//!
//! ```
//! # use rsrender::{film::Film, output, settings::Settings};
//! # fn usage(settings: &Settings, film: &Film) -> anyhow::Result<()> {
//! output::write_film(settings, film)?;
//! # Ok(()) }
//! ```

mod atomic;
mod exr;
mod layers;
pub mod npy;
pub mod observers;
mod pfm;
mod png;

pub use atomic::{check_writable, write_atomically};
pub use npy::wavelengths_path;

use crate::film::Film;
use crate::settings::{OutputFormat, Settings};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Writes the film's image, and its extra layers, where the settings say.
pub fn write_film(settings: &Settings, film: &Film) -> Result<()> {
    let (w, h) = (film.width, film.height);
    let layers = layers::layers(film, &settings.aovs);
    let path = &settings.output;
    let spectral = settings.binning.as_ref().map(|b| (b, film.layers.spectrum.as_slice()));
    let result = match settings.format {
        OutputFormat::Exr => write_atomically(path, |tmp| exr::write(tmp, (w, h), &film.layers.rgb, spectral, &layers)),
        OutputFormat::Npy => write_npy(path, (w, h), film, settings),
        OutputFormat::Pfm => write_atomically(path, |tmp| pfm::write(tmp, w, h, 3, &film.layers.rgb)),
        OutputFormat::Png => write_atomically(path, |tmp| png::write(tmp, w, h, &film.layers.rgb, settings.exposure)),
    };
    result.with_context(|| format!("cannot write {}", path.display()))?;
    if settings.format != OutputFormat::Exr {
        for layer in &layers {
            let layer_path = layer_path(path, layer.name);
            let interleaved = interleave(&layer.channels);
            write_atomically(&layer_path, |tmp| pfm::write(tmp, w, h, layer.channels.len(), &interleaved))
                .with_context(|| format!("cannot write {}", layer_path.display()))?;
        }
    }
    Ok(())
}

/// The image or spectral cube, and in spectral mode the bin edges.
fn write_npy(path: &Path, (w, h): (u32, u32), film: &Film, settings: &Settings) -> Result<()> {
    let (w, h) = (w as u64, h as u64);
    match &settings.binning {
        None => write_atomically(path, |tmp| npy::write(tmp, &[h, w, 3], &film.layers.rgb)),
        Some(b) => {
            let edges = wavelengths_path(path);
            write_atomically(&edges, |tmp| npy::write(tmp, &[b.bins as u64 + 1], b.edges()))
                .with_context(|| format!("cannot write {}", edges.display()))?;
            write_atomically(path, |tmp| npy::write(tmp, &[h, w, b.bins as u64], &film.layers.spectrum))
        }
    }
}

/// `out.png` + `samples` → `out.samples.pfm`.
pub fn layer_path(output: &Path, layer: &str) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!("{stem}.{layer}.pfm"))
}

fn interleave(channels: &[(&str, Vec<f32>)]) -> Vec<f32> {
    let n = channels.first().map_or(0, |c| c.1.len());
    (0..n).flat_map(|i| channels.iter().map(move |c| c.1[i])).collect()
}
