//! The extra per-pixel layers (`--aov`), as named float channels taken from
//! the film.

use crate::film::Film;
use crate::settings::Aov;

/// One layer: its name and its channels (channel name, one value per pixel).
pub struct Layer {
    pub name: &'static str,
    pub channels: Vec<(&'static str, Vec<f32>)>,
}

pub fn layers(film: &Film, aovs: &[Aov]) -> Vec<Layer> {
    aovs.iter()
        .map(|&aov| {
            let channels = match aov {
                Aov::Samples => vec![("Y", film.layers.samples.iter().map(|&n| n as f32).collect())],
                Aov::Stderr => vec![("Y", film.layers.relative_error.clone())],
                Aov::Albedo => split(&film.layers.albedo, ["R", "G", "B"]),
                Aov::Normal => split(&film.layers.normal, ["X", "Y", "Z"]),
            };
            Layer { name: aov.name(), channels }
        })
        .collect()
}

/// Interleaved triples into three channels.
pub fn split(interleaved: &[f32], names: [&'static str; 3]) -> Vec<(&'static str, Vec<f32>)> {
    (0..3).map(|c| (names[c], interleaved.iter().skip(c).step_by(3).copied().collect())).collect()
}
