//! Every value the film keeps per pixel, as one list: mean radiance, sample
//! count, relative error, in spectral mode the mean of every bin and, on
//! request, the first-hit albedo and normal guides. A tile's result, the film and a checkpoint hold the same
//! `Layers`, so a new layer is added in one place.

use super::PixelAccum;
use bincode::{Decode, Encode};
use std::ops::Range;

#[derive(Clone, Debug, Default, PartialEq, Encode, Decode)]
pub struct Layers {
    /// Mean radiance, RGB interleaved.
    pub rgb: Vec<f32>,
    pub samples: Vec<u32>,
    pub relative_error: Vec<f32>,
    /// RGB interleaved; empty unless guides were asked for.
    pub albedo: Vec<f32>,
    pub normal: Vec<f32>,
    /// Mean spectral radiance per bin, bins interleaved; empty in RGB mode.
    pub spectrum: Vec<f32>,
}

impl Layers {
    /// `pixels` zeroed pixels with `bins` spectral bins each.
    pub fn zeroed(pixels: usize, guides: bool, bins: usize) -> Layers {
        let g = if guides { pixels * 3 } else { 0 };
        Layers {
            rgb: vec![0.0; pixels * 3],
            samples: vec![0; pixels],
            relative_error: vec![0.0; pixels],
            albedo: vec![0.0; g],
            normal: vec![0.0; g],
            spectrum: vec![0.0; pixels * bins],
        }
    }

    /// The layers of accumulated pixels.
    pub fn of(pixels: &[PixelAccum], guides: bool) -> Layers {
        let flat = |f: fn(&PixelAccum) -> [f32; 3]| pixels.iter().flat_map(f).collect::<Vec<f32>>();
        Layers {
            rgb: flat(PixelAccum::mean),
            samples: pixels.iter().map(PixelAccum::samples).collect(),
            relative_error: pixels.iter().map(PixelAccum::relative_error).collect(),
            albedo: if guides { flat(PixelAccum::albedo) } else { Vec::new() },
            normal: if guides { flat(PixelAccum::normal) } else { Vec::new() },
            spectrum: pixels.iter().flat_map(PixelAccum::spectrum).collect(),
        }
    }

    /// Spectral bins per pixel (0 in RGB mode).
    pub fn bins(&self) -> usize {
        self.spectrum.len().checked_div(self.samples.len()).unwrap_or(0)
    }

    pub fn has_guides(&self) -> bool {
        !self.albedo.is_empty()
    }

    /// Every layer holds `pixels` pixels (the guides none, without guides;
    /// the spectrum `bins` per pixel).
    pub fn holds(&self, pixels: usize, guides: bool, bins: usize) -> bool {
        let g = if guides { pixels * 3 } else { 0 };
        self.spectrum.len() == pixels * bins
            && self.rgb.len() == pixels * 3
            && self.samples.len() == pixels
            && self.relative_error.len() == pixels
            && self.albedo.len() == g
            && self.normal.len() == g
    }

    /// Copies `from`'s pixels `src` over this one's pixels starting at `at`.
    pub fn copy(&mut self, at: usize, from: &Layers, src: Range<usize>) {
        let n = src.len();
        let (dst, dst3, src3) = (at..at + n, at * 3..(at + n) * 3, src.start * 3..src.end * 3);
        self.rgb[dst3.clone()].copy_from_slice(&from.rgb[src3.clone()]);
        self.samples[dst.clone()].copy_from_slice(&from.samples[src.clone()]);
        let b = self.bins();
        self.spectrum[at * b..(at + n) * b].copy_from_slice(&from.spectrum[src.start * b..src.end * b]);
        self.relative_error[dst].copy_from_slice(&from.relative_error[src]);
        if self.has_guides() {
            self.albedo[dst3.clone()].copy_from_slice(&from.albedo[src3.clone()]);
            self.normal[dst3].copy_from_slice(&from.normal[src3]);
        }
    }

    /// Appends `from`'s pixels `src`.
    pub fn extend(&mut self, from: &Layers, src: Range<usize>) {
        let src3 = src.start * 3..src.end * 3;
        self.rgb.extend_from_slice(&from.rgb[src3.clone()]);
        self.samples.extend_from_slice(&from.samples[src.clone()]);
        let b = from.bins();
        self.spectrum.extend_from_slice(&from.spectrum[src.start * b..src.end * b]);
        self.relative_error.extend_from_slice(&from.relative_error[src]);
        if from.has_guides() {
            self.albedo.extend_from_slice(&from.albedo[src3.clone()]);
            self.normal.extend_from_slice(&from.normal[src3]);
        }
    }
}
