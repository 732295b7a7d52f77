//! Images that textures and environment maps read: decoded once per rank by
//! well-kept crates (`image` for PNG, JPEG and Radiance HDR, `exr` for
//! OpenEXR) or the own PFM reader, and kept as linear RGB `f32` texels, row
//! 0 at the top. 8- and 16-bit PNG and JPEG are sRGB-encoded colours and are
//! converted to linear unless `raw` (non-colour data such as roughness);
//! EXR, HDR and PFM are linear already. Every texel must be finite and not
//! negative: the first that is not is named by row and column.

use anyhow::{anyhow, bail, Context, Result};
use std::path::Path;

/// Linear RGB texels, rows top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub texels: Vec<[f32; 3]>,
}

impl Image {
    /// Reads `path` by its extension (.png, .jpg/.jpeg, .exr, .hdr, .pfm),
    /// once: the image and a hash of the file's bytes (ranks compare it).
    pub fn load(path: &Path, raw: bool) -> Result<(Image, u64)> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let name = path.display();
        let format = match ext.as_deref() {
            Some("png") => Some(image::ImageFormat::Png),
            Some("jpg" | "jpeg") => Some(image::ImageFormat::Jpeg),
            Some("hdr") => Some(image::ImageFormat::Hdr),
            Some("exr" | "pfm") => None,
            _ => bail!("image {name}: unsupported format; use .png, .jpg, .exr, .hdr or .pfm"),
        };
        let bytes = std::fs::read(path).with_context(|| format!("cannot read image {name}"))?;
        let image = match (format, ext.as_deref()) {
            (Some(format), _) => {
                let decoded = image::load_from_memory_with_format(&bytes, format)
                    .with_context(|| format!("cannot read image {name}"))?;
                let mut image = from_rgb32f(decoded.to_rgb32f());
                // 8- and 16-bit PNG and JPEG hold sRGB-encoded values.
                if !raw && format != image::ImageFormat::Hdr {
                    image.texels.iter_mut().flatten().for_each(|v| *v = srgb_to_linear(*v));
                }
                image
            }
            (None, Some("exr")) => read_exr(&bytes).with_context(|| format!("cannot read image {name}"))?,
            (None, _) => {
                let (width, height, values) =
                    parse_pfm(&bytes).ok_or_else(|| anyhow!("image {name} is not a little-endian PFM file"))?;
                let channels = values.len() / (width as usize * height as usize).max(1);
                let texels = values.chunks_exact(channels.max(1)).map(|c| [c[0], c[channels / 2], c[channels - 1]]);
                Image { width, height, texels: texels.collect() }
            }
        };
        if image.width == 0 || image.height == 0 {
            bail!("image {name} has no texels");
        }
        if let Some(k) = image.texels.iter().position(|t| t.iter().any(|v| !v.is_finite() || *v < 0.0)) {
            let (row, column) = (k / image.width as usize, k % image.width as usize);
            bail!(
                "image {name} has a negative or non-finite texel at row {row}, column {column}: {:?}",
                image.texels[k]
            );
        }
        Ok((image, crate::hash::hash_bytes(&bytes)))
    }

    #[inline]
    pub fn texel(&self, x: usize, y: usize) -> [f32; 3] {
        self.texels[y * self.width as usize + x]
    }

    pub fn bytes(&self) -> usize {
        self.texels.capacity() * std::mem::size_of::<[f32; 3]>()
    }
}

fn from_rgb32f(buffer: image::Rgb32FImage) -> Image {
    let (width, height) = buffer.dimensions();
    Image { width, height, texels: buffer.pixels().map(|p| p.0).collect() }
}

fn read_exr(bytes: &[u8]) -> Result<Image> {
    use exr::prelude::ReadChannels as _;
    use exr::prelude::ReadLayers as _;
    let read = exr::prelude::read()
        .no_deep_data()
        .largest_resolution_level()
        .rgba_channels(
            |resolution, _| Image {
                width: resolution.width() as u32,
                height: resolution.height() as u32,
                texels: vec![[0.0; 3]; resolution.width() * resolution.height()],
            },
            |image: &mut Image, position, (r, g, b, _a): (f32, f32, f32, f32)| {
                let w = image.width as usize;
                image.texels[position.y() * w + position.x()] = [r, g, b];
            },
        )
        .first_valid_layer()
        .all_attributes()
        .from_buffered(std::io::Cursor::new(bytes))?;
    Ok(read.layer_data.channel_data.pixels)
}

/// A little-endian PFM (as `output` writes them) as rows top to bottom, RGB
/// or one channel; `None` when it is not one.
pub fn parse_pfm(bytes: &[u8]) -> Option<(u32, u32, Vec<f32>)> {
    let mut parts = bytes.splitn(4, |&b| b == b'\n');
    let (magic, size, scale, data) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let channels = match magic {
        b"PF" => 3,
        b"Pf" => 1,
        _ => return None,
    };
    if !std::str::from_utf8(scale).ok()?.trim().starts_with('-') {
        return None;
    }
    let size = std::str::from_utf8(size).ok()?;
    let mut wh = size.split_whitespace().map(|s| s.parse::<u32>());
    let (w, h) = (wh.next()?.ok()?, wh.next()?.ok()?);
    let row = w as usize * channels;
    if data.len() != row * h as usize * 4 {
        return None;
    }
    let floats: Vec<f32> = data.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let rgb = (0..h as usize).rev().flat_map(|y| floats[y * row..(y + 1) * row].to_vec()).collect();
    Some((w, h, rgb))
}

/// The sRGB transfer function's inverse (IEC 61966-2-1).
pub fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_is_linearised_unless_raw_and_rows_start_at_the_top() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.png");
        let mut img = image::RgbImage::new(2, 2);
        img.put_pixel(0, 0, image::Rgb([255, 128, 0]));
        img.save(&path).unwrap();
        let (linear, hash) = Image::load(&path, false).unwrap();
        assert_eq!(hash, crate::hash::hash_bytes(&std::fs::read(&path).unwrap()));
        assert_eq!((linear.width, linear.height), (2, 2));
        let [r, g, b] = linear.texel(0, 0);
        assert!((r - 1.0).abs() < 1e-6 && (g - 0.2158605).abs() < 1e-5 && b == 0.0, "{r} {g} {b}");
        let (raw, _) = Image::load(&path, true).unwrap();
        assert!((raw.texel(0, 0)[1] - 128.0 / 255.0).abs() < 1e-6);
        assert_eq!(raw.texel(1, 1), [0.0; 3]);
    }

    #[test]
    fn exr_is_read_from_its_bytes_as_linear_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.exr");
        exr::prelude::write_rgb_file(&path, 3, 2, |x, y| (x as f32, y as f32, 0.5)).unwrap();
        let (image, _) = Image::load(&path, false).unwrap();
        assert_eq!((image.width, image.height), (3, 2));
        assert_eq!(image.texel(2, 1), [2.0, 1.0, 0.5]);
    }

    #[test]
    fn bad_texels_and_formats_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pfm");
        let floats = [0.5f32, 0.5, 0.5, 1.0, f32::NAN, 0.0];
        let mut bytes = b"PF\n2 1\n-1.0\n".to_vec();
        bytes.extend(floats.iter().flat_map(|v| v.to_le_bytes()));
        std::fs::write(&path, bytes).unwrap();
        let err = Image::load(&path, false).unwrap_err().to_string();
        assert!(err.contains("row 0, column 1"), "{err}");
        let err = Image::load(&dir.path().join("t.gif"), false).unwrap_err().to_string();
        assert!(err.contains("unsupported format"), "{err}");
        let err = Image::load(&dir.path().join("missing.png"), false).unwrap_err();
        assert!(format!("{err:#}").contains("missing.png"), "{err:#}");
    }
}
