//! OpenEXR, linear 32-bit float: R, G, B, and each extra layer as channels
//! named `layer.channel` (`albedo.R`, `samples.Y`), the layer convention that
//! OpenEXR tools, Nuke and Blender read. In spectral mode every bin is a
//! channel `S0.<centre>nm` (decimal comma) in W/m²/sr/nm, with the header
//! attributes of Fichet, Pacanowski and Wilkie's spectral layout (JCGT 2021),
//! so that their tools and colour-science read the spectrum.

use super::layers::{split, Layer};
use crate::spectrum::Binning;
use ::exr::prelude::*;
use std::path::Path;

pub fn write(
    path: &Path,
    (width, height): (u32, u32),
    rgb: &[f32],
    spectral: Option<(&Binning, &[f32])>,
    layers: &[Layer],
) -> anyhow::Result<()> {
    let mut channels: Vec<AnyChannel<FlatSamples>> =
        split(rgb, ["R", "G", "B"]).into_iter().map(|(n, v)| AnyChannel::new(n, FlatSamples::F32(v))).collect();
    let mut attributes = LayerAttributes::default();
    if let Some((binning, cube)) = spectral {
        for bin in 0..binning.bins {
            let values: Vec<f32> = cube.iter().skip(bin).step_by(binning.bins).copied().collect();
            channels.push(AnyChannel::new(channel_name(binning.centre(bin)).as_str(), FlatSamples::F32(values)));
        }
        for (key, value) in [("spectralLayoutVersion", "1.0"), ("emissiveUnits", "W.m^-2.sr^-1")] {
            attributes.other.insert(Text::from(key), AttributeValue::Text(Text::from(value)));
        }
    }
    for layer in layers {
        for (name, values) in &layer.channels {
            channels.push(AnyChannel::new(format!("{}.{name}", layer.name).as_str(), FlatSamples::F32(values.clone())));
        }
    }
    let layer = ::exr::prelude::Layer::new(
        (width as usize, height as usize),
        attributes,
        Encoding::FAST_LOSSLESS,
        AnyChannels::sort(SmallVec::from_vec(channels)),
    );
    // Sequential: parallel compression stores chunks in completion order, and
    // the same image must give the same bytes.
    Image::from_layer(layer).write().non_parallel().to_file(path)?;
    Ok(())
}

/// `S0.550,5nm`: the bin's centre with a decimal comma ('.' separates
/// layers in EXR channel names).
fn channel_name(nm: f64) -> String {
    let number = format!("{nm:.6}");
    let number = number.trim_end_matches('0').trim_end_matches('.');
    format!("S0.{}nm", number.replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_rgb_and_named_layers_the_exr_reader_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.exr");
        let layers = [Layer { name: "samples", channels: vec![("Y", vec![16.0, 48.0])] }];
        write(&path, (2, 1), &[0.25, 0.5, 2.0, 1.0, 0.0, 8.0], None, &layers).unwrap();
        let image = read_all_flat_layers_from_file(&path).unwrap();
        let channels = &image.layer_data[0].channel_data.list;
        let names: Vec<String> = channels.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names, ["B", "G", "R", "samples.Y"]);
        let values = |i: usize| channels[i].sample_data.values_as_f32().collect::<Vec<f32>>();
        assert_eq!(values(2), [0.25, 1.0]);
        assert_eq!(values(3), [16.0, 48.0]);
    }
}
