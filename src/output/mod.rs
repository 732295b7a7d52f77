//! Image files: `.png` (tone-mapped 8-bit sRGB), `.exr` and `.pfm` (linear
//! float RGB). Every file is written to a temporary name in the same
//! directory, flushed, then renamed: a reader never sees half an image, and a
//! job killed while writing leaves the previous file intact.
//!
//! Usage: `output::write(&settings.output, settings.format, w, h, &rgb, exposure)?;`

mod atomic;
mod exr;
mod pfm;
mod png;

pub use atomic::{check_writable, write_atomically};
pub use pfm::read as read_pfm;

use crate::settings::OutputFormat;
use anyhow::{Context, Result};
use std::path::Path;

/// Writes linear RGB pixels (rows top to bottom) in `format`.
pub fn write(path: &Path, format: OutputFormat, width: u32, height: u32, rgb: &[f32], exposure: f32) -> Result<()> {
    write_atomically(path, |tmp| match format {
        OutputFormat::Png => png::write(tmp, width, height, rgb, exposure),
        OutputFormat::Exr => exr::write(tmp, width, height, rgb),
        OutputFormat::Pfm => pfm::write(tmp, width, height, rgb),
    })
    .with_context(|| format!("cannot write {}", path.display()))
}
