//! Light sampling against known answers: a floor lit by a square emitter
//! tiled by a million triangles whose areas (and so powers) span six
//! decades, whole or as four mirrored instances of one quarter, and a floor
//! lit by a sphere. Next-event estimation alone, BSDF sampling alone and
//! their MIS combination must each give the analytic irradiance: the light
//! choice realises exactly the probabilities that the estimators divide by.
//! And the light BVH must beat choice by power where lights face away or
//! are far (a corridor of 100 lamps).

mod common;
use common::*;
use rsrender::geometry::mesh::generate::{self, PlyEncoding};
use rsrender::geometry::mesh::Mesh;
use rsrender::math::Vec3;
use rsrender::settings::Overrides;

/// Edges of `n` cells over [-1, 1] whose widths grow geometrically by
/// `ratio` from first to last.
fn geometric_edges(n: usize, ratio: f64) -> Vec<f32> {
    let r = ratio.powf(1.0 / (n - 1) as f64);
    let widths: Vec<f64> = (0..n).map(|i| r.powi(i as i32)).collect();
    let total: f64 = widths.iter().sum();
    let mut x = -1.0;
    let mut edges = vec![-1.0f32];
    for w in widths {
        x += 2.0 * w / total;
        edges.push(x as f32);
    }
    *edges.last_mut().unwrap() = 1.0;
    edges
}

/// The square [-1, 1]² at z = 0 tiled by 1000 × 500 cells, widths spanning
/// 1000× in x and y (areas 10⁶×), two triangles each, facing -z.
fn tiled_square() -> Mesh {
    tiled(geometric_edges(1000, 1e3), geometric_edges(500, 1e3))
}

fn tiled(xs: Vec<f32>, ys: Vec<f32>) -> Mesh {
    let mut mesh = Mesh::default();
    for &y in &ys {
        for &x in &xs {
            mesh.positions.push(Vec3::new(x, y, 0.0));
        }
    }
    let row = xs.len() as u32;
    for j in 0..ys.len() as u32 - 1 {
        for i in 0..row - 1 {
            let (a, b, c, d) = (j * row + i, j * row + i + 1, (j + 1) * row + i, (j + 1) * row + i + 1);
            // (c - a) × (b - a) points down: the lamp faces the floor.
            mesh.triangles.push([a, c, b]);
            mesh.triangles.push([b, c, d]);
        }
    }
    mesh
}

/// Irradiance under a corner of an a × b rectangle at height h, of radiance
/// 1, parallel to the receiver: π times the differential view factor.
fn corner_irradiance(a: f64, b: f64, h: f64) -> f64 {
    let (x, y) = (a / h, b / h);
    let f = (x / (1.0 + x * x).sqrt() * (y / (1.0 + x * x).sqrt()).atan()
        + y / (1.0 + y * y).sqrt() * (x / (1.0 + y * y).sqrt()).atan())
        / (2.0 * std::f64::consts::PI);
    std::f64::consts::PI * f
}

/// A floor of reflectance 0.5 seen in a 0.02-wide patch at the origin,
/// direct light only, with `lamp` added.
fn floor_scene(strategy: &str, sampler: &str, lamp: &str) -> String {
    format!(
        r#"
[film]
width = 16
height = 16
output = "out.pfm"
[sampling]
spp = 256
max_depth = 2
[render]
strategy = "{strategy}"
light_sampler = "{sampler}"
[camera]
type = "orthographic"
position = [0, 0, 0.5]
look_at = [0, 0, 0]
height = 0.02
[materials.floor]
type = "diffuse"
reflectance = [0.5, 0.5, 0.5]
[materials.lamp]
type = "emitter"
emission = [1, 1, 1]
[[shapes]]
type = "rectangle"
material = "floor"
transform = {{ scale = 10 }}
{lamp}
"#
    )
}

/// Every strategy and light sampler renders `lamp` over the floor to
/// `expected` within 1%, BSDF sampling alone within 2% (about 3 standard
/// errors at 65k samples when the lamp fills a quarter of the cosine-weighted
/// hemisphere).
fn every_strategy_gives(dir: &std::path::Path, lamp: &str, expected: f64) {
    for sampler in ["bvh", "power"] {
        for (strategy, tolerance) in [("mis", 0.01), ("lights", 0.01), ("bsdf", 0.02)] {
            let (_, rgb) = render_in(dir, &floor_scene(strategy, sampler, lamp), &Overrides::default(), 2);
            let mean = channel_means(&rgb)[1];
            assert_close(mean, expected, tolerance, &format!("{sampler}, strategy {strategy}"));
        }
    }
}

#[test]
fn a_million_emitters_of_unequal_power_give_the_analytic_irradiance_with_every_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let lamp = tiled_square();
    assert_eq!(lamp.triangles.len(), 1_000_000);
    generate::write_ply(&lamp, &dir.path().join("lamp.ply"), PlyEncoding::Little).unwrap();
    // The lamp 1 above the floor; four corners of a 1 × 1 quarter each; diffuse radiance ρ E / π.
    let expected = 0.5 * 4.0 * corner_irradiance(1.0, 1.0, 1.0) / std::f64::consts::PI;
    let whole =
        "[[shapes]]\ntype = \"mesh\"\nfile = \"lamp.ply\"\nmaterial = \"lamp\"\ntransform = { translate = [0, 0, 1] }";
    every_strategy_gives(dir.path(), whole, expected);
    // The same lamp as four instances of one quarter, three of them mirrored:
    // one shared table of 250 000 triangles, four light entries.
    let unit = |edges: Vec<f32>| edges.into_iter().map(|x| (x + 1.0) / 2.0).collect::<Vec<f32>>();
    let quarter = tiled(unit(geometric_edges(500, 1e3)), unit(geometric_edges(250, 1e3)));
    generate::write_ply(&quarter, &dir.path().join("quarter.ply"), PlyEncoding::Little).unwrap();
    let mut four = String::from("[meshes.quarter]\nfile = \"quarter.ply\"\n");
    for (sx, sy) in [(1, 1), (-1, 1), (1, -1), (-1, -1)] {
        four += &format!(
            "[[shapes]]\ntype = \"instance\"\nmesh = \"quarter\"\nmaterial = \"lamp\"\n\
             transform = {{ scale = [{sx}, {sy}, 1], translate = [0, 0, 1] }}\n"
        );
    }
    every_strategy_gives(dir.path(), &four, expected);
}

#[test]
fn a_sphere_lamp_gives_the_analytic_irradiance_with_every_strategy() {
    // A sphere of radius 1 centred 2 above the patch: E = π L (r / d)².
    let dir = tempfile::tempdir().unwrap();
    let lamp = "[[shapes]]\ntype = \"sphere\"\ncenter = [0, 0, 2]\nradius = 1\nmaterial = \"lamp\"";
    let expected = 0.5 * (1.0f64 / 2.0).powi(2);
    every_strategy_gives(dir.path(), lamp, expected);
}

#[test]
fn the_light_bvh_beats_choice_by_power_in_a_corridor_of_lamps() {
    // 100 small lamps facing down along a corridor 100 long, and 100 facing
    // up (lighting nothing here); the camera sees the floor under the first
    // few. By power, 99% of shadow rays go to lamps that are far or face
    // away; the BVH sends them to the near ones.
    let mut lamps = String::new();
    for i in 0..100 {
        for (z, rotate) in [(1.5, 180), (1.6, 0)] {
            lamps += &format!(
                "[[shapes]]\ntype = \"rectangle\"\nmaterial = \"lamp\"\n\
                 transform = {{ scale = 0.2, rotate = [{rotate}, 0, 0], translate = [{i}, 0, {z}] }}\n"
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let render_with = |sampler: &str, seed: u64| {
        let toml = floor_scene("mis", sampler, &lamps).replace("height = 0.02", "height = 3");
        let overrides = Overrides { seed: Some(seed), spp: Some(16), ..Overrides::default() };
        render_in(dir.path(), &toml, &overrides, 2).1
    };
    let noise = |sampler: &str| {
        let (a, b) = (render_with(sampler, 1), render_with(sampler, 2));
        let mse = a.iter().zip(&b).map(|(x, y)| ((x - y) as f64).powi(2)).sum::<f64>() / a.len() as f64;
        (channel_means(&a)[1], mse)
    };
    let (mean_bvh, mse_bvh) = noise("bvh");
    let (mean_power, mse_power) = noise("power");
    assert_close(mean_bvh, mean_power, 0.05, "both choices converge to one image");
    // Measured: the BVH's squared error between two seeds is 1/82 of power's.
    assert!(mse_bvh * 10.0 < mse_power, "BVH {mse_bvh:.3e} vs power {mse_power:.3e}");
}
