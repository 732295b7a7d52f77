//! Adaptive sampling: the stopping rule is per pixel, so images and sample
//! counts are the same for any ranks, threads and tile size; pixels that see
//! nothing noisy stop as soon as the error estimate's prior allows, pixels
//! that never converge reach `spp`.

mod common;
use common::*;
use std::path::Path;

/// Left half: an emitter of constant radiance (no noise at all). Right
/// half: a diffuse floor lit by a small lamp facing it (noisy). The lamp has
/// most of the power, so next-event estimation nearly always picks it and no
/// floor pixel is black by chance.
const HALF_AND_HALF: &str = r#"
[film]
width = 32
height = 16
output = "out.pfm"
[sampling]
spp = 40
adaptive = true
min_spp = 8
pass_spp = 8
noise_threshold = 0.0805
[camera]
type = "orthographic"
position = [0, 1, 0]
look_at = [0, 0, 0]
up = [0, 0, -1]
height = 2
[materials.glow]
type = "emitter"
emission = [0.05, 0.05, 0.05]
[materials.lamp]
type = "emitter"
emission = [20, 20, 20]
[materials.floor]
type = "diffuse"
reflectance = [0.5, 0.5, 0.5]
[[shapes]]
type = "rectangle"
material = "glow"
transform = { scale = [1, 1, 1], rotate = [-90, 0, 0], translate = [-1, 0.5, 0] }
[[shapes]]
type = "rectangle"
material = "floor"
transform = { scale = 10, rotate = [-90, 0, 0] }
[[shapes]]
type = "rectangle"
material = "lamp"
transform = { scale = 0.3, rotate = [90, 0, 0], translate = [3, 3, 0] }
"#;

fn samples_layer(dir: &Path, name: &str) -> Vec<f32> {
    let (_, _, v) = read_pfm(&dir.join(name));
    v
}

#[test]
fn a_noiseless_region_stops_when_the_prior_allows_and_a_noisy_one_reaches_spp() {
    let f = scene_file(HALF_AND_HALF);
    let (out, _) = run_alone(&[f.path.to_str().unwrap(), "--aov", "samples,stderr", "-q"], f.dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let samples = samples_layer(f.dir.path(), "out.samples.pfm");
    let (w, h) = (32, 16);
    assert_eq!(samples.len(), w * h);
    for y in 0..h {
        for x in 0..w {
            let n = samples[y * w + x];
            // The emitter covers x < 16 exactly (world x in [-2, 0]). It has
            // no noise, but the estimate's prior (8 pseudo-samples of
            // relative variance 1) keeps it above 0.0805 until 32 samples:
            // sqrt(8 / 31 / 24) = 0.104, sqrt(8 / 39 / 32) = 0.080.
            let expected = if x < 16 { 32.0 } else { 40.0 };
            assert_eq!(n, expected, "pixel ({x}, {y})");
        }
    }
    let (_, _, err) = read_pfm(&f.dir.path().join("out.stderr.pfm"));
    let prior_only = (8.0f32 / 39.0 / 32.0).sqrt();
    assert!(err[..16].iter().all(|&e| (e - prior_only).abs() < 1e-5), "the emitter has no noise but the prior's");
    let prior_at_spp = (8.0f32 / 47.0 / 40.0).sqrt();
    assert!(err[16..32].iter().all(|&e| e > prior_at_spp + 1e-4), "the floor has noise beyond the prior");
}

#[test]
fn the_sample_layer_sums_to_the_samples_reported() {
    let f = scene_file(&HALF_AND_HALF.replace("0.000001", "0.05"));
    let (out, _) = run_alone(&[f.path.to_str().unwrap(), "--aov", "samples"], f.dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reported: u64 = stdout
        .split(", ")
        .find_map(|part| part.strip_suffix(" samples").and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| panic!("no sample count in: {stdout}"));
    let sum: f64 = samples_layer(f.dir.path(), "out.samples.pfm").iter().map(|&n| n as f64).sum();
    assert_eq!(sum as u64, reported);
    assert!(reported > 32 * 16 * 8 && reported < 32 * 16 * 40, "some but not all pixels stopped early: {reported}");
    let progress = stderr(&out);
    // Passes that finish between two polls of rank 0 are reported together.
    assert!(progress.lines().any(|l| l.starts_with("rsrender: pass ") && l.contains(" done: ")), "{progress}");
}

#[test]
fn adaptive_images_and_sample_counts_are_bit_identical_across_ranks() {
    let cornell = concat!(env!("CARGO_MANIFEST_DIR"), "/scenes/cornell.toml");
    let dir = tempfile::tempdir().unwrap();
    let common = ["--spp", "48", "--adaptive", "--noise-threshold", "0.1", "--aov", "samples", "-q"];
    let mut outputs = Vec::new();
    for (ranks, threads, tile) in [(1, 2, 32), (2, 1, 13), (3, 2, 8)] {
        let out = format!("n{ranks}.pfm");
        let (threads, tile) = (threads.to_string(), tile.to_string());
        let mut args = vec![cornell, "-o", &out, "--threads", &threads, "--tile-size", &tile];
        args.extend_from_slice(&common);
        let (o, _) = run_mpi(ranks, &args, dir.path());
        assert!(o.status.success(), "-n {ranks}: {}", stderr(&o));
        outputs.push((
            std::fs::read(dir.path().join(&out)).unwrap(),
            std::fs::read(dir.path().join(format!("n{ranks}.samples.pfm"))).unwrap(),
        ));
    }
    let samples = samples_layer(dir.path(), "n1.samples.pfm");
    assert!(samples.iter().any(|&n| n < 48.0) && samples.contains(&48.0), "adaptivity must show");
    for (k, o) in outputs.iter().enumerate().skip(1) {
        assert!(o.0 == outputs[0].0, "image of run {k} differs");
        assert!(o.1 == outputs[0].1, "sample counts of run {k} differ");
    }
}

#[test]
fn write_passes_leaves_the_same_final_image_and_no_temporary_files() {
    let f = scene_file(&HALF_AND_HALF.replace("0.000001", "0.05"));
    let scene = f.path.to_str().unwrap();
    let (a, _) = run_alone(&[scene, "-o", "a.pfm", "-q"], f.dir.path());
    let (b, _) = run_alone(&[scene, "-o", "b.pfm", "--write-passes", "-q"], f.dir.path());
    assert!(a.status.success() && b.status.success());
    assert_eq!(std::fs::read(f.dir.path().join("a.pfm")).unwrap(), std::fs::read(f.dir.path().join("b.pfm")).unwrap());
    let names: Vec<String> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}
