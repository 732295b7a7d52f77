//! NumPy `.npy` arrays (npyz): the image as height × width × channels
//! float32, C order, top row first — RGB, or in spectral mode the spectral
//! cube in W/m²/sr/nm per bin, with the bins' edges (nm, float64) beside it
//! in `NAME.wavelengths.npy`. `numpy.load` reads both. `write` takes any
//! shape (the ray benchmark writes its rays with it).

use anyhow::Result;
use npyz::WriterBuilder;
use std::path::{Path, PathBuf};

pub fn write<T: npyz::AutoSerialize + Copy>(path: &Path, shape: &[u64], values: &[T]) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut writer = npyz::WriteOptions::new().default_dtype().shape(shape).writer(&mut out).begin_nd()?;
    writer.extend(values.iter().copied())?;
    writer.finish()?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// `cube.npy` → `cube.wavelengths.npy`.
pub fn wavelengths_path(output: &Path) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!("{stem}.wavelengths.npy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_header_numpy_reads_and_the_values_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.npy");
        write(&path, &[1, 2, 3], &[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let header = String::from_utf8_lossy(&bytes[..bytes.len() - 24]);
        assert!(header.contains("'descr': '<f4'") && header.contains("'shape': (1, 2, 3"), "{header}");
        let array = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(array.into_vec::<f32>().unwrap(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }
}
