//! Textures and environment maps in spectral mode, against exact answers.
//! A texel (r, g, b) becomes r·R + g·G + b·B of three basis spectra that
//! sum to 1 and give back the sRGB primaries, so a grey texel is the same
//! flat spectrum a grey colour is, a coloured one gives its sRGB back, and
//! a constant envmap is the uniform background of its colour. A diffuse
//! plane under a uniform sky, sampled by its BSDF alone, shows this
//! without noise.

mod common;
use common::inputs::looking_down;
use common::*;
use rsrender::film::Film;
use rsrender::settings::Overrides;
use std::path::Path;

/// A diffuse plane of `reflectance` under `sky`, seen from above, in
/// spectral mode with `bins` bins over 360–830 nm; BSDF sampling alone.
fn plane(dir: &Path, reflectance: &str, sky: &str, bins: usize) -> Film {
    let body = format!(
        "[spectrum]\nmin_wavelength = 360\nmax_wavelength = 830\nbins = {bins}\n[render]\nstrategy = \"bsdf\"\n\
         [materials.m]\ntype = \"diffuse\"\nreflectance = {reflectance}\n[[shapes]]\ntype = \"rectangle\"\n\
         material = \"m\"\ntransform = {{ scale = 5 }}\n"
    );
    render_film_in(dir, &looking_down(2.0, sky, 2, &body), &Overrides::default(), 2).1
}

/// Every pixel's bins, averaged.
fn mean_bins(film: &Film) -> Vec<f64> {
    let bins = film.layers.bins();
    let pixels = film.layers.samples.len() as f64;
    (0..bins)
        .map(|b| film.layers.spectrum.iter().skip(b).step_by(bins).map(|&v| v as f64).sum::<f64>() / pixels)
        .collect()
}

const WHITE_SKY: &str = "[background]\ncolor = [1, 1, 1]";

#[test]
fn a_grey_texel_is_the_flat_spectrum_of_a_grey_colour() {
    let dir = tempfile::tempdir().unwrap();
    write_pfm(&dir.path().join("grey.pfm"), (1, 1), |_, _| [0.6; 3]);
    let textured = mean_bins(&plane(dir.path(), "{ texture = \"grey.pfm\" }", WHITE_SKY, 12));
    let uniform = mean_bins(&plane(dir.path(), "[0.6, 0.6, 0.6]", WHITE_SKY, 12));
    for (b, (t, u)) in textured.iter().zip(&uniform).enumerate() {
        assert!(u > &0.0 && ((t - u) / u).abs() < 1e-4, "bin {b}: textured {t}, uniform {u}");
    }
}

#[test]
fn a_coloured_texel_gives_its_srgb_back_and_never_exceeds_one() {
    let dir = tempfile::tempdir().unwrap();
    let texel = [0.2f32, 0.5, 0.8];
    write_pfm(&dir.path().join("c.pfm"), (1, 1), |_, _| texel);
    // Under a background of 1 at every wavelength the bins are the
    // reflectance itself; under D65 white ([1, 1, 1]) the image's sRGB is
    // the texel's.
    let flat = plane(dir.path(), "{ texture = \"c.pfm\" }", "[background]\ncolor = 1", 30);
    assert!(mean_bins(&flat).iter().all(|&v| (0.0..=1.0).contains(&v)), "{:?}", mean_bins(&flat));
    let film = plane(dir.path(), "{ texture = \"c.pfm\" }", WHITE_SKY, 30);
    for (c, (got, want)) in channel_means(&film.layers.rgb).into_iter().zip(texel).enumerate() {
        assert!((got - want as f64).abs() < 0.01 * want as f64, "channel {c}: {got} vs {want}");
    }
}

#[test]
fn a_constant_envmap_is_the_uniform_background_of_its_colour() {
    let dir = tempfile::tempdir().unwrap();
    write_pfm(&dir.path().join("sky.pfm"), (8, 4), |_, _| [0.7; 3]);
    let envmap = mean_bins(&plane(dir.path(), "0.5", "[background]\ntype = \"envmap\"\nfile = \"sky.pfm\"", 12));
    let uniform = mean_bins(&plane(dir.path(), "0.5", "[background]\ncolor = [0.7, 0.7, 0.7]", 12));
    for (b, (e, u)) in envmap.iter().zip(&uniform).enumerate() {
        assert!(u > &0.0 && ((e - u) / u).abs() < 2e-3, "bin {b}: envmap {e}, uniform {u}");
    }
}
