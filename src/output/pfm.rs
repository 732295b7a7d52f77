//! Portable float map: `PF` (RGB) or `Pf` (one channel), size, a negative
//! scale for little-endian, then float rows from the bottom of the image to
//! the top.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Writes `values` with `channels` (1 or 3) interleaved values per pixel.
pub fn write(path: &Path, width: u32, height: u32, channels: usize, values: &[f32]) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let magic = if channels == 1 { "Pf" } else { "PF" };
    write!(out, "{magic}\n{width} {height}\n-1.0\n")?;
    let row = width as usize * channels;
    for y in (0..height as usize).rev() {
        for v in &values[y * row..(y + 1) * row] {
            out.write_all(&v.to_le_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texture::image::parse_pfm as read;

    #[test]
    fn rows_are_stored_bottom_up_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pfm");
        let rgb = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // 1×2: top pixel then bottom pixel
        write(&path, 1, 2, 3, &rgb).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"PF\n1 2\n-1.0\n"));
        assert_eq!(&bytes[12..16], &4.0f32.to_le_bytes()); // bottom row first
        assert_eq!(read(&bytes).unwrap(), (1, 2, rgb.to_vec()));
        write(&path, 2, 1, 1, &[7.0, 8.0]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"Pf\n2 1\n-1.0\n"));
        assert_eq!(read(&bytes).unwrap(), (2, 1, vec![7.0, 8.0]));
    }
}
