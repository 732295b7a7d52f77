//! Light sampling against a known answer: a floor lit by a square emitter
//! tiled by a million triangles whose areas (and so powers) span six
//! decades. Next-event estimation alone, BSDF sampling alone and their MIS
//! combination must each give the analytic irradiance: the light choice
//! realises exactly the probabilities that the estimators divide by.

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
    let (xs, ys) = (geometric_edges(1000, 1e3), geometric_edges(500, 1e3));
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

#[test]
fn a_million_emitters_of_unequal_power_give_the_analytic_irradiance_with_every_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let lamp = tiled_square();
    assert_eq!(lamp.triangles.len(), 1_000_000);
    generate::write_ply(&lamp, &dir.path().join("lamp.ply"), PlyEncoding::Little).unwrap();
    // Lamp 1 above the floor; the camera sees a 0.02-wide patch under its centre.
    let scene = |strategy: &str| {
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
[[shapes]]
type = "mesh"
file = "lamp.ply"
material = "lamp"
transform = {{ translate = [0, 0, 1] }}
"#
        )
    };
    // Four corners of a 1 × 1 quarter each; diffuse radiance ρ E / π.
    let expected = 0.5 * 4.0 * corner_irradiance(1.0, 1.0, 1.0) / std::f64::consts::PI;
    // Measured: all three within 0.3% at 65k samples.
    for strategy in ["mis", "lights", "bsdf"] {
        let (_, rgb) = render_in(dir.path(), &scene(strategy), &Overrides::default(), 2);
        let mean = channel_means(&rgb)[1];
        assert_close(mean, expected, 0.01, &format!("strategy {strategy}"));
    }
}
