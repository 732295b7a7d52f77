//! Environment maps against known answers: a constant map lights a diffuse
//! sphere as the uniform background of the same radiance does (same mean,
//! no more than 1.2× its variance), and on a sky with a small bright sun
//! the map's importance sampling is measurably better than BSDF sampling
//! alone. Mitsuba agreement is `scripts/compare_mitsuba.py envmap`.

mod common;
use common::*;
use rsrender::settings::Overrides;
use std::path::Path;

/// A grey sphere seen by a small camera under `background`.
fn scene(background: &str, spp: u32, strategy: &str) -> String {
    format!(
        r#"
[film]
width = 16
height = 16
output = "out.pfm"
[sampling]
spp = {spp}
max_depth = 3
[render]
strategy = "{strategy}"
[camera]
position = [0, 0, 4]
look_at = [0, 0, 0]
fov = 35
[background]
{background}
[materials.grey]
type = "diffuse"
reflectance = 0.6
[[shapes]]
type = "sphere"
center = [0, 0, 0]
radius = 1
material = "grey"
"#
    )
}

/// Per-pixel mean and variance over renders with seeds 1..=n.
fn moments(dir: &Path, toml: &str, n: u64) -> (Vec<f64>, Vec<f64>) {
    let renders: Vec<Vec<f32>> = (1..=n)
        .map(|seed| render_in(dir, toml, &Overrides { seed: Some(seed), ..Overrides::default() }, 2).1)
        .collect();
    let len = renders[0].len();
    let mean: Vec<f64> = (0..len).map(|i| renders.iter().map(|r| r[i] as f64).sum::<f64>() / n as f64).collect();
    let var = (0..len)
        .map(|i| renders.iter().map(|r| (r[i] as f64 - mean[i]).powi(2)).sum::<f64>() / (n - 1) as f64)
        .collect();
    (mean, var)
}

#[test]
fn a_constant_envmap_lights_like_the_uniform_background() {
    let dir = tempfile::tempdir().unwrap();
    write_pfm(&dir.path().join("grey.pfm"), (32, 16), |_, _| [0.7, 0.7, 0.7]);
    let map = moments(dir.path(), &scene("type = \"envmap\"\nfile = \"grey.pfm\"", 16, "mis"), 12);
    let uniform = moments(dir.path(), &scene("color = [0.7, 0.7, 0.7]", 16, "mis"), 12);
    let total = |v: &[f64]| v.iter().sum::<f64>();
    let (m_map, m_uniform) = (total(&map.0), total(&uniform.0));
    assert!((m_map / m_uniform - 1.0).abs() < 0.005, "means {m_map} vs {m_uniform}");
    let ratio = total(&map.1) / total(&uniform.1);
    assert!(ratio < 1.2, "variance of the map {ratio}× the uniform background's");
}

#[test]
fn importance_sampling_a_sun_beats_bsdf_sampling() {
    let dir = tempfile::tempdir().unwrap();
    // A dim sky with a sun of 2×2 texels 20° above the horizon.
    write_pfm(&dir.path().join("sun.pfm"), (64, 32), |c, r| {
        if (12..14).contains(&r) && (40..42).contains(&c) {
            [2000.0, 1800.0, 1500.0]
        } else {
            [0.2, 0.3, 0.5]
        }
    });
    let sky = "type = \"envmap\"\nfile = \"sun.pfm\"";
    let (reference, _) = moments(dir.path(), &scene(sky, 1024, "mis"), 2);
    let error = |strategy: &str| {
        let (mean, _) = moments(dir.path(), &scene(sky, 16, strategy), 2);
        mean.iter().zip(&reference).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
    };
    let (mis, bsdf) = (error("mis"), error("bsdf"));
    println!(
        "squared error at 16 spp: MIS with the map's sampling {mis:.4e}, BSDF sampling alone {bsdf:.4e} ({:.1}×)",
        bsdf / mis
    );
    assert!(bsdf > 4.0 * mis, "MIS {mis} vs BSDF {bsdf}");
}
