//! OpenEXR, linear 32-bit float RGB.

use anyhow::Result;
use std::path::Path;

pub fn write(path: &Path, width: u32, height: u32, rgb: &[f32]) -> Result<()> {
    let w = width as usize;
    ::exr::prelude::write_rgb_file(path, w, height as usize, |x, y| {
        let i = (y * w + x) * 3;
        (rgb[i], rgb[i + 1], rgb[i + 2])
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_file_the_exr_reader_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.exr");
        write(&path, 2, 1, &[0.25, 0.5, 2.0, 1.0, 0.0, 8.0]).unwrap();
        let img = ::exr::prelude::read_first_rgba_layer_from_file(
            &path,
            |res, _| vec![[0.0f32; 3]; res.width() * res.height()],
            |px: &mut Vec<[f32; 3]>, pos, (r, g, b, _a): (f32, f32, f32, f32)| px[pos.x()] = [r, g, b],
        )
        .unwrap();
        assert_eq!(img.layer_data.channel_data.pixels, vec![[0.25, 0.5, 2.0], [1.0, 0.0, 8.0]]);
    }
}
