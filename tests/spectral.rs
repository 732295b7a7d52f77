//! Spectral mode against known answers: Kirchhoff's cavity, furnaces with
//! dispersive glass and measured metals, the exact conductor Fresnel term,
//! emission lines landing in their bins, and a prism's dispersion against
//! Snell's law; plus the spectral cube and EXR files.

mod common;
use common::inputs::furnace;
use common::*;
use rsrender::film::Film;
use rsrender::settings::Overrides;
use std::path::Path;

/// Renders in spectral mode; returns the film (per-pixel bins in
/// `layers.spectrum`).
fn render_spectral(dir: &Path, toml: &str) -> Film {
    render_film_in(dir, toml, &Overrides::default(), 2).1
}

/// Mean and standard error over pixels of each bin.
fn bin_stats(film: &Film) -> Vec<(f64, f64)> {
    let bins = film.layers.bins();
    let pixels = film.layers.samples.len() as f64;
    (0..bins)
        .map(|b| {
            let values: Vec<f64> = film.layers.spectrum.iter().skip(b).step_by(bins).map(|&v| v as f64).collect();
            let mean = values.iter().sum::<f64>() / pixels;
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (pixels - 1.0);
            (mean, (var / pixels).sqrt())
        })
        .collect()
}

fn planck(nm: f64, kelvin: f64) -> f64 {
    let (h, c, k) = (6.62607015e-34, 299792458.0, 1.380649e-23);
    let m = nm * 1e-9;
    2.0 * h * c * c / m.powi(5) / (h * c / (m * k * kelvin)).exp_m1() * 1e-9
}

/// Planck's law averaged over [lo, hi] (fine midpoint rule).
fn planck_average(lo: f64, hi: f64, kelvin: f64) -> f64 {
    let n = 4000;
    (0..n).map(|i| planck(lo + (i as f64 + 0.5) * (hi - lo) / n as f64, kelvin)).sum::<f64>() / n as f64
}

fn spectrum_table(min: f64, max: f64, bins: usize) -> String {
    format!("[spectrum]\nmin_wavelength = {min}\nmax_wavelength = {max}\nbins = {bins}\n")
}

#[test]
fn a_closed_cavity_at_one_temperature_shows_plancks_law_in_every_bin() {
    // Kirchhoff: walls of reflectance ρ emitting (1 − ρ)·B(T) fill the cavity
    // with B(T), whatever ρ. 40 bins span two lane groups.
    for (kelvin, rho, bins) in [(3000.0, 0.6, 12), (1500.0, 0.2, 40), (6000.0, 0.9, 1)] {
        let dir = tempfile::tempdir().unwrap();
        let (min, max) = (380.0, 780.0);
        let scene = format!(
            r#"{spectrum}
[film]
width = 12
height = 12
output = "cavity.npy"
[sampling]
spp = 32
max_depth = -1
[camera]
position = [0.1, -0.2, 0.3]
look_at = [0, 0, 1]
fov = 120
[materials.wall]
type = "diffuse"
reflectance = {rho}
emission = {{ blackbody = {kelvin}, scale = {scale} }}
[[shapes]]
type = "sphere"
center = [0, 0, 0]
radius = 1
material = "wall"
flip_normals = true
"#,
            spectrum = spectrum_table(min, max, bins),
            scale = 1.0 - rho
        );
        let film = render_spectral(dir.path(), &scene);
        let width = (max - min) / bins as f64;
        for (b, (mean, stderr)) in bin_stats(&film).into_iter().enumerate() {
            let lo = min + b as f64 * width;
            let expected = planck_average(lo, lo + width, kelvin);
            let tolerance = 4.0 * stderr + 1e-3 * expected;
            assert!(
                (mean - expected).abs() <= tolerance,
                "T {kelvin} ρ {rho} bin {b}: {mean} vs Planck {expected} (stderr {stderr})"
            );
        }
    }
}

#[test]
fn emission_lines_land_whole_in_their_bins_without_noise() {
    // 10 bins of 30 nm over [400, 700): lines at a bin centre, off centre, on
    // an inner edge (belongs to the bin above) and outside the range.
    let dir = tempfile::tempdir().unwrap();
    let scene = format!(
        r#"{}
[film]
width = 4
height = 4
output = "lines.npy"
[sampling]
spp = 3
[camera]
type = "orthographic"
position = [0, 0, 5]
look_at = [0, 0, 0]
height = 1
[materials.plasma]
type = "emitter"
emission = {{ lines = [[415, 3.0], [433.7, 1.5], [490, 6.0], [750, 9.0]] }}
[[shapes]]
type = "rectangle"
material = "plasma"
transform = {{ scale = 4 }}
"#,
        spectrum_table(400.0, 700.0, 10)
    );
    let film = render_spectral(dir.path(), &scene);
    let mut expected = [0.0f32; 10];
    expected[0] = 3.0 / 30.0;
    expected[1] = 1.5 / 30.0;
    expected[3] = 6.0 / 30.0;
    for pixel in film.layers.spectrum.chunks(10) {
        for (b, (&got, &want)) in pixel.iter().zip(&expected).enumerate() {
            assert!((got - want).abs() <= 1e-6 * want.max(1e-6), "bin {b}: {got} vs {want}");
        }
    }
    let edges = npyz::NpyFile::new(&std::fs::read(dir.path().join("lines.wavelengths.npy")).unwrap()[..])
        .unwrap()
        .into_vec::<f64>()
        .unwrap();
    assert_eq!(edges.len(), 11);
    assert_eq!((edges[0], edges[10]), (400.0, 700.0));
    let bytes = std::fs::read(dir.path().join("lines.npy")).unwrap();
    assert_eq!(npyz::NpyFile::new(&bytes[..]).unwrap().shape(), [4, 4, 10]);
}

/// The furnace of the RGB tests with a background of 1 W/m²/sr/nm.
fn spectral_furnace(bins: usize, body: &str) -> String {
    spectrum_table(400.0, 700.0, bins) + &furnace(1.2, body).replacen("color = [1, 1, 1]", "color = 1", 1)
}

#[test]
fn a_dispersive_glass_sphere_vanishes_in_a_furnace_and_a_rough_metal_never_adds_light() {
    for bins in [3, 20] {
        let dir = tempfile::tempdir().unwrap();
        let glass = "[materials.g]\ntype = \"dielectric\"\nior = { sellmeier = [1.03961212, 0.231792344, \
                     1.01046945, 0.00600069867, 0.0200179144, 103.560653] }\n[[shapes]]\ntype = \"sphere\"\n\
                     center = [0, 0, 0]\nradius = 1\nmaterial = \"g\"\n";
        let film = render_spectral(dir.path(), &spectral_furnace(bins, glass));
        for (b, (mean, stderr)) in bin_stats(&film).into_iter().enumerate() {
            assert!((mean - 1.0).abs() <= 0.01 + 4.0 * stderr, "{bins} bins, bin {b}: {mean} ± {stderr}");
        }
        let metal = "[materials.m]\ntype = \"conductor\"\nmetal = \"Au\"\nroughness = 0.6\n[[shapes]]\n\
                     type = \"sphere\"\ncenter = [0, 0, 0]\nradius = 1\nmaterial = \"m\"\n";
        let film = render_spectral(dir.path(), &spectral_furnace(bins, metal));
        let stats = bin_stats(&film);
        for (b, (mean, stderr)) in stats.iter().enumerate() {
            assert!(*mean <= 1.0 + 3.0 * stderr, "{bins} bins, bin {b}: gold returns {mean}");
        }
        // Gold: red returns more than blue.
        assert!(stats[bins - 1].0 > stats[0].0 + 0.1, "{stats:?}");
    }
}

#[test]
fn a_flat_conductor_seen_head_on_reflects_the_exact_fresnel_term() {
    let (n, k) = (0.2f64, 3.0f64);
    let expected = ((n - 1.0).powi(2) + k * k) / ((n + 1.0).powi(2) + k * k);
    let body = format!(
        "[materials.m]\ntype = \"conductor\"\neta = {n}\nk = {k}\n[[shapes]]\ntype = \"rectangle\"\n\
         material = \"m\"\ntransform = {{ scale = 4 }}\n"
    );
    for bins in [1, 7, 33] {
        let dir = tempfile::tempdir().unwrap();
        let film = render_spectral(dir.path(), &spectral_furnace(bins, &body));
        for (b, (mean, _)) in bin_stats(&film).into_iter().enumerate() {
            assert!((mean - expected).abs() < 1e-5, "{bins} bins, bin {b}: {mean} vs {expected}");
        }
    }
    // RGB mode, the same scene without [spectrum]: the same in every channel.
    let rgb_scene = spectral_furnace(1, &body)
        .replacen("[spectrum]\nmin_wavelength = 400\nmax_wavelength = 700\nbins = 1\n", "", 1)
        .replacen("color = 1", "color = [1, 1, 1]", 1);
    let rgb = render_default(&rgb_scene);
    for c in channel_means(&rgb) {
        assert!((c - expected).abs() < 1e-5, "{c} vs {expected}");
    }
}

/// N-BK7's index from its data-sheet Sellmeier coefficients (λ in nm).
fn bk7(nm: f64) -> f64 {
    let l2 = (nm * 1e-3).powi(2);
    let terms = [(1.03961212, 0.00600069867), (0.231792344, 0.0200179144), (1.01046945, 103.560653)];
    (1.0 + terms.iter().map(|(b, c)| b * l2 / (l2 - c)).sum::<f64>()).sqrt()
}

/// Refracts unit `d` through a plane of unit normal `n` (facing `d`'s side)
/// from index `n1` into `n2`.
fn refract(d: [f64; 2], n: [f64; 2], n1: f64, n2: f64) -> [f64; 2] {
    let cos_i = -(d[0] * n[0] + d[1] * n[1]);
    let eta = n1 / n2;
    let cos_t = (1.0 - eta * eta * (1.0 - cos_i * cos_i)).sqrt();
    let k = eta * cos_i - cos_t;
    [eta * d[0] + k * n[0], eta * d[1] + k * n[1]]
}

#[test]
fn a_prism_sends_each_wavelength_where_snells_law_says() {
    // A 60° BK7 prism, apex up (+z), extruded along y; a narrow orthographic
    // beam meets its right face at 50° and leaves by the left face. Two thin
    // emissive strips 200 m away sit where Snell's law sends the centres of
    // bins 2 and 17: those bins see light, every other bin sees none.
    let (min, max, bins) = (420.0, 680.0, 20);
    let width = (max - min) / bins as f64;
    let half = 30f64.to_radians();
    let (right, left) = ([half.cos(), half.sin()], [-half.cos(), half.sin()]);
    let d = [-20f64.to_radians().cos(), 20f64.to_radians().sin()];
    // The beam meets the right face at its middle.
    let t = half.tan();
    let hit = [0.5 * t, 0.5];
    // Where and which way a wavelength leaves by the left face (apex (0, 1)).
    let exit = |nm: f64| {
        let inside = refract(d, right, 1.0, bk7(nm));
        let along = (left[0] * (0.0 - hit[0]) + left[1] * (1.0 - hit[1])) / (left[0] * inside[0] + left[1] * inside[1]);
        let point = [hit[0] + along * inside[0], hit[1] + along * inside[1]];
        (point, refract(inside, [-left[0], -left[1]], bk7(nm), 1.0))
    };
    let strip = |bin: usize| {
        let (p, e) = exit(min + (bin as f64 + 0.5) * width);
        let (x, z) = (p[0] + e[0] * 200.0, p[1] + e[1] * 200.0);
        // The rectangle's normal (+z) turned to face the prism (−e).
        let yaw = (-e[0]).atan2(-e[1]).to_degrees();
        format!(
            "[[shapes]]\ntype = \"rectangle\"\nmaterial = \"lamp\"\ntransform = {{ scale = [0.02, 50, 1], \
             rotate = [0, {yaw}, 0], translate = [{x}, 0, {z}] }}\n"
        )
    };
    // Apex (0, 1), base corners (±tan 30°, 0) in (x, z); y from −5 to 5;
    // faces wound so that normals point out.
    let dir = tempfile::tempdir().unwrap();
    let mut obj = String::new();
    for y in [-5.0, 5.0] {
        obj += &format!("v 0 {y} 1\nv {} {y} 0\nv {t} {y} 0\n", -t);
    }
    obj += "f 1 2 3\nf 4 6 5\nf 1 3 6\nf 1 6 4\nf 1 5 2\nf 1 4 5\nf 2 6 3\nf 2 5 6\n";
    std::fs::write(dir.path().join("prism.obj"), obj).unwrap();
    let origin = [hit[0] - 5.0 * d[0], hit[1] - 5.0 * d[1]];
    let scene = format!(
        r#"{spectrum}
[film]
width = 1
height = 1
output = "prism.npy"
[sampling]
spp = 2048
max_depth = 8
[camera]
type = "orthographic"
position = [{ox}, 0, {oz}]
look_at = [{lx}, 0, {lz}]
height = 0.001
[materials.glass]
type = "dielectric"
ior = "bk7"
[materials.lamp]
type = "emitter"
emission = 1
[[shapes]]
type = "mesh"
file = "prism.obj"
material = "glass"
{s1}{s2}"#,
        spectrum = spectrum_table(min, max, bins),
        ox = origin[0],
        oz = origin[1],
        lx = origin[0] + d[0],
        lz = origin[1] + d[1],
        s1 = strip(2),
        s2 = strip(17)
    );
    let film = render_spectral(dir.path(), &scene);
    let lit: Vec<usize> = film.layers.spectrum.iter().enumerate().filter(|(_, &v)| v > 0.0).map(|(b, _)| b).collect();
    assert_eq!(lit, [2, 17], "bins lit: {:?}", film.layers.spectrum);
    // The two directions are more than half a degree apart: a real split.
    let (a, b) = (exit(min + 2.5 * width).1, exit(min + 17.5 * width).1);
    assert!((a[0] * b[0] + a[1] * b[1]).acos().to_degrees() > 0.5);
}

#[test]
fn the_spectral_exr_holds_rgb_and_one_channel_per_bin() {
    let dir = tempfile::tempdir().unwrap();
    let scene = spectral_furnace(4, "").replace("output = \"out.pfm\"", "output = \"f.exr\"");
    render_film_in(dir.path(), &scene, &Overrides::default(), 1);
    let image = exr::prelude::read_all_flat_layers_from_file(dir.path().join("f.exr")).unwrap();
    let names: Vec<String> = image.layer_data[0].channel_data.list.iter().map(|c| c.name.to_string()).collect();
    for name in ["R", "G", "B", "S0.437,5nm", "S0.512,5nm", "S0.587,5nm", "S0.662,5nm"] {
        assert!(names.contains(&name.to_string()), "{name} missing from {names:?}");
    }
    let s0 = image.layer_data[0].channel_data.list.iter().find(|c| c.name.to_string() == "S0.512,5nm").unwrap();
    assert!(s0.sample_data.values_as_f32().all(|v| (v - 1.0).abs() < 1e-6));
}
