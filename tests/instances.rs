//! Instancing: `[meshes.NAME]` placed by `instance` shapes renders what the
//! same triangles loaded once per shape, or baked into world space, render;
//! and a thousand instances of a million-triangle mesh fit in a few hundred
//! megabytes, because the triangles and their BVH are stored once.

mod common;
use common::*;
use rsrender::geometry::mesh::generate::{self, PlyEncoding};
use rsrender::geometry::mesh::Mesh;
use rsrender::math::{Transform, Vec3};
use rsrender::settings::Overrides;
use std::path::Path;

/// Where a rock goes and what it is made of.
struct Place {
    scale: [f32; 3],
    rotate: [f32; 3],
    translate: [f32; 3],
    material: &'static str,
}

/// Three rocks: plain, stretched and turned, mirrored.
const PLACES: [Place; 3] = [
    Place { scale: [0.5, 0.5, 0.5], rotate: [0.0, 0.0, 0.0], translate: [-1.1, 0.0, 0.0], material: "red" },
    Place { scale: [0.4, 0.7, 0.4], rotate: [0.0, 30.0, 0.0], translate: [0.0, 0.1, 0.0], material: "grey" },
    Place { scale: [0.5, 0.4, -0.5], rotate: [10.0, 0.0, 20.0], translate: [1.1, 0.0, 0.0], material: "red" },
];

fn scene(shapes: &str) -> String {
    format!(
        r#"
[film]
width = 48
height = 24
output = "out.pfm"
[sampling]
spp = 8
[camera]
position = [0, 1.5, 4]
look_at = [0, 0, 0]
fov = 45
[background]
color = [0.4, 0.5, 0.7]
[materials.red]
type = "diffuse"
reflectance = [0.7, 0.2, 0.2]
[materials.grey]
type = "conductor"
reflectance = [0.8, 0.8, 0.8]
roughness = 0.3
[materials.floor]
type = "diffuse"
[[shapes]]
type = "rectangle"
material = "floor"
transform = {{ scale = 3, rotate = [-90, 0, 0], translate = [0, -0.6, 0] }}
[[lights]]
type = "directional"
direction = [-0.3, -1, -0.4]
irradiance = [2, 2, 2]
{shapes}"#
    )
}

impl Place {
    fn transform_key(&self) -> String {
        format!("{{ scale = {:?}, rotate = {:?}, translate = {:?} }}", self.scale, self.rotate, self.translate)
    }

    fn transform(&self) -> Transform {
        Transform::from_srt(Vec3::from(self.scale), Vec3::from(self.rotate), Vec3::from(self.translate)).unwrap()
    }
}

fn rock(dir: &Path) -> Mesh {
    let rock = generate::icosphere(3, 0.25);
    generate::write_ply(&rock, &dir.join("rock.ply"), PlyEncoding::Little).unwrap();
    rock
}

#[test]
fn instanced_and_copied_geometry_render_the_same_image() {
    let dir = tempfile::tempdir().unwrap();
    let rock = rock(dir.path());
    let mut instanced = String::from("[meshes.rock]\nfile = \"rock.ply\"\n");
    let mut loaded_per_shape = String::new();
    let mut baked = String::new();
    for (k, place) in PLACES.iter().enumerate() {
        let (material, transform) = (place.material, place.transform_key());
        instanced += &format!(
            "[[shapes]]\ntype = \"instance\"\nmesh = \"rock\"\nmaterial = \"{material}\"\ntransform = {transform}\n"
        );
        loaded_per_shape += &format!(
            "[[shapes]]\ntype = \"mesh\"\nfile = \"rock.ply\"\nmaterial = \"{material}\"\ntransform = {transform}\n"
        );
        // The same triangles, moved into world space by the test itself.
        let t = place.transform();
        let mut world = rock.clone();
        world.positions.iter_mut().for_each(|p| *p = t.point(*p));
        if t.swaps_handedness() {
            world.triangles.iter_mut().for_each(|tri| tri.swap(1, 2));
        }
        generate::write_ply(&world, &dir.path().join(format!("baked{k}.ply")), PlyEncoding::Little).unwrap();
        baked += &format!("[[shapes]]\ntype = \"mesh\"\nfile = \"baked{k}.ply\"\nmaterial = \"{material}\"\n");
    }
    let render = |shapes: &str| render_in(dir.path(), &scene(shapes), &Overrides::default(), 2).1;
    let (a, b, c) = (render(&instanced), render(&loaded_per_shape), render(&baked));
    assert!(a == b, "instances and per-shape meshes differ");
    // Baked triangles are intersected in world space, instances in object
    // space: the same picture, up to rounding.
    let (ma, mc) = (channel_means(&a), channel_means(&c));
    for k in 0..3 {
        assert_close(ma[k], mc[k], 0.01, "baked against instanced, channel mean");
    }
    let close = a.iter().zip(&c).filter(|(x, y)| (*x - *y).abs() <= 0.02 * (1.0 + y.abs())).count();
    assert!(close as f64 >= 0.98 * a.len() as f64, "only {close} of {} values agree", a.len());
    // And the rocks are really there.
    let floor_only = render("");
    let changed = a.iter().zip(&floor_only).filter(|(x, y)| (*x - *y).abs() > 0.05).count();
    assert!(changed > a.len() / 10, "the rocks change only {changed} values");
}

#[test]
fn a_thousand_instances_of_a_million_triangle_mesh_fit_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let terrain = generate::terrain(708, 0.3);
    let triangles = terrain.triangles.len() as u64;
    assert!(triangles >= 1_000_000);
    generate::write_ply(&terrain, &dir.path().join("terrain.ply"), PlyEncoding::Little).unwrap();
    drop(terrain);
    let mut shapes = String::from("[meshes.terrain]\nfile = \"terrain.ply\"\nsmooth = true\n");
    for k in 0..1000 {
        let (x, y, z) = ((k % 10) as f32, ((k / 10) % 10) as f32, (k / 100) as f32);
        let at = [x - 4.5, y - 4.5, z - 4.5];
        shapes += &format!(
            "[[shapes]]\ntype = \"instance\"\nmesh = \"terrain\"\nmaterial = \"{}\"\n\
             transform = {{ scale = 0.4, rotate = [{}, 0, 0], translate = {at:?} }}\n",
            if k % 2 == 0 { "red" } else { "floor" },
            (k * 37) % 360
        );
    }
    let toml = scene(&shapes).replace("position = [0, 1.5, 4]", "position = [3, 9, 16]");
    std::fs::write(dir.path().join("scene.toml"), toml).unwrap();
    let (o, _) = run_alone(&["scene.toml", "--spp", "1", "--threads", "2", "--stats", "s.json", "-q"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let (w, h, rgb) = read_pfm(&dir.path().join("out.pfm"));
    assert_eq!((w, h), (48, 24));
    assert!(channel_means(&rgb)[0] > 0.0);
    let stats: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("s.json")).unwrap()).unwrap();
    let rank = &stats["ranks"][0];
    let scene = &rank["scene"];
    assert_eq!(scene["triangles"].as_u64(), Some(triangles + 2), "the terrain once, and the floor's two");
    assert_eq!(scene["instanced_triangles"].as_u64(), Some(1000 * triangles + 2));
    let per_triangle = scene["bytes_per_triangle"].as_f64().unwrap();
    assert!(per_triangle <= 100.0, "{per_triangle} bytes per triangle");
    // Copies would need 1000 × 10⁶ × (at least 36 bytes of vertices and indices).
    let peak = rank["peak_rss_bytes"].as_u64().unwrap();
    assert!(peak > 0 && peak < 1 << 30, "peak resident memory {} MiB", peak >> 20);
}

#[test]
fn an_instanced_emitter_lights_like_the_same_rectangle() {
    let dir = tempfile::tempdir().unwrap();
    // The rectangle shape's square, as a mesh file.
    let square = "v -1 -1 0\nv 1 -1 0\nv 1 1 0\nv -1 1 0\nf 1 2 3\nf 1 3 4\n";
    std::fs::write(dir.path().join("square.obj"), square).unwrap();
    let lamp = |kind: &str| {
        scene(&format!(
            "[materials.lamp]\ntype = \"emitter\"\nemission = [8, 8, 8]\n{kind}\nmaterial = \"lamp\"\n\
             transform = {{ scale = 0.4, rotate = [90, 0, 0], translate = [0, 0.6, 0] }}\n"
        ))
        .replace("color = [0.4, 0.5, 0.7]", "color = [0, 0, 0]")
        .replace("irradiance = [2, 2, 2]", "irradiance = [0, 0, 0]")
    };
    let render = |toml: String| render_in(dir.path(), &toml, &Overrides { spp: Some(64), ..Default::default() }, 2).1;
    let rectangle = render(lamp("[[shapes]]\ntype = \"rectangle\""));
    let instance =
        render(lamp("[meshes.square]\nfile = \"square.obj\"\n[[shapes]]\ntype = \"instance\"\nmesh = \"square\""));
    let (r, i) = (channel_means(&rectangle), channel_means(&instance));
    assert!(r[0] > 0.01, "the lamp should light the floor: {r:?}");
    for k in 0..3 {
        assert_close(i[k], r[k], 0.01, "instanced lamp against rectangle lamp");
    }
}
