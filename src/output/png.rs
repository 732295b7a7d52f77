//! 8-bit sRGB PNG: exposure, clamp to [0, 1], the sRGB transfer curve.

use anyhow::Result;
use std::path::Path;

pub fn write(path: &Path, width: u32, height: u32, rgb: &[f32], exposure: f32) -> Result<()> {
    let scale = exposure.exp2();
    let bytes: Vec<u8> = rgb.iter().map(|&v| encode_srgb(v * scale)).collect();
    let img = image::RgbImage::from_raw(width, height, bytes).ok_or_else(|| anyhow::anyhow!("pixel count mismatch"))?;
    img.save_with_format(path, image::ImageFormat::Png)?;
    Ok(())
}

/// Linear [0, 1] to 8-bit sRGB, rounding to nearest. NaN maps to 0.
pub fn encode_srgb(linear: f32) -> u8 {
    let v = if linear.is_nan() { 0.0 } else { linear.clamp(0.0, 1.0) };
    let s = if v <= 0.003_130_8 { 12.92 * v } else { 1.055 * v.powf(1.0 / 2.4) - 0.055 };
    (s * 255.0 + 0.5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_curve_endpoints_and_middle() {
        assert_eq!(encode_srgb(0.0), 0);
        assert_eq!(encode_srgb(1.0), 255);
        assert_eq!(encode_srgb(7.0), 255);
        assert_eq!(encode_srgb(-1.0), 0);
        assert_eq!(encode_srgb(0.5), 188);
        assert_eq!(encode_srgb(0.002), 7); // linear segment: 12.92·0.002·255
    }
}
