//! Detectors against known answers: a pixel, a fibre and a CCD in a closed
//! emitting sphere (π L A, L π r² π sin²θ), a sight line through a glass
//! slab (L (1 − R)/(1 + R)), a targeted pixel behind a small aperture (the
//! thin-aperture étendue, with far less noise than a plain pixel), a vector
//! camera that reproduces a perspective camera's image, and standard
//! errors that cover the true value as often as they should.

mod common;
use clap::Parser;
use rsrender::cli::Cli;
use rsrender::comm::Serial;
use serde_json::Value;
use std::f64::consts::PI;
use std::path::Path;

/// Renders `toml` (written into `dir`) and returns its observers' JSON entries.
fn observe(dir: &Path, toml: &str, extra: &[&str]) -> Vec<Value> {
    let scene = dir.join("scene.toml");
    std::fs::write(&scene, toml).unwrap();
    let out = dir.join("obs.json");
    let mut args = vec!["rsrender", scene.to_str().unwrap(), "-q", "--threads", "2"];
    args.extend(["--observers-output", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    rsrender::run(&Cli::try_parse_from(&args).unwrap(), &Serial).expect("render");
    let json: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    json["observers"].as_array().unwrap().clone()
}

fn write_npy<T: npyz::AutoSerialize + Copy>(path: &Path, shape: &[u64], values: &[T]) {
    use npyz::WriterBuilder;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut w = npyz::WriteOptions::new().default_dtype().shape(shape).writer(&mut f).begin_nd().unwrap();
    w.extend(values.iter().copied()).unwrap();
    w.finish().unwrap();
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// Radiance [2, 2, 2] all around, from a sphere turned inside out.
const ENCLOSURE: &str = r#"
[sampling]
max_depth = 4
[materials.glow]
type = "emitter"
emission = [2, 2, 2]
[[shapes]]
type = "sphere"
center = [0, 0, 0]
radius = 1
material = "glow"
flip_normals = true
"#;

#[test]
fn detectors_in_a_closed_emitting_sphere_read_its_radiance_and_their_etendue() {
    let l = 2.0;
    let observers = r#"
[[observers]]
name = "foil"
type = "pixel"
quantity = "power"
size = [0.01, 0.02]
transform = { rotate = [20, 40, 0], translate = [0.1, -0.2, 0.3] }
samples = 3000
[[observers]]
name = "foil_radiance"
type = "pixel"
size = [0.01, 0.02]
samples = 300
[[observers]]
name = "fibre"
type = "fibre"
quantity = "power"
origin = [0, 0.1, 0]
direction = [1, 1, 0]
radius = 0.001
acceptance_angle = 12
samples = 3000
[[observers]]
name = "chip"
type = "ccd"
quantity = "power"
pixels = [5, 3]
size = [0.05, 0.03]
samples = 200
"#;
    let dir = tempfile::tempdir().unwrap();
    let o = observe(dir.path(), &format!("{ENCLOSURE}{observers}"), &[]);
    let close = |got: f64, want: f64, what: &str| assert!((got / want - 1.0).abs() < 1e-4, "{what}: {got} vs {want}");
    for c in numbers(&o[0]["value"]) {
        close(c, PI * l * 0.01 * 0.02, "pixel power");
    }
    assert_eq!(o[0]["unit"], "W");
    close(o[0]["etendue"].as_f64().unwrap(), PI * 0.01 * 0.02, "pixel étendue");
    for c in numbers(&o[1]["value"]) {
        close(c, l, "pixel radiance");
    }
    assert_eq!(o[1]["unit"], "W/m^2/sr");
    let sin = 12f64.to_radians().sin();
    for c in numbers(&o[2]["value"]) {
        close(c, l * PI * 1e-6 * PI * sin * sin, "fibre power");
    }
    // The CCD: every pixel π L A_pixel (in its .npy, rows × columns × RGB); the sum π L A.
    assert_eq!(o[3]["file"], "chip.npy");
    let bytes = std::fs::read(dir.path().join("chip.npy")).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), [3, 5, 3]);
    for v in npy.into_vec::<f64>().unwrap() {
        close(v, PI * l * 1e-4, "ccd pixel");
    }
    for c in numbers(&o[3]["value"]) {
        close(c, PI * l * 0.05 * 0.03, "ccd total");
    }
}

#[test]
fn a_sight_line_through_a_glass_slab_sees_the_fresnel_transmission() {
    let toml = r#"
[sampling]
max_depth = -1
[materials.lamp]
type = "emitter"
emission = [1, 1, 1]
[materials.glass]
type = "dielectric"
ior = 1.5
[[shapes]]
type = "rectangle"
material = "lamp"
transform = { scale = 10, rotate = [180, 0, 0], translate = [0, 0, 5] }
[[shapes]]
type = "cube"
material = "glass"
transform = { scale = [10, 10, 0.1] }
[[observers]]
name = "line"
type = "sight_line"
origin = [0, 0, -2]
direction = [0, 0, 1]
samples = 40000
"#;
    let dir = tempfile::tempdir().unwrap();
    let o = observe(dir.path(), toml, &[]);
    let r: f64 = 0.04;
    let expected = (1.0 - r) / (1.0 + r);
    let (value, stderr) = (numbers(&o[0]["value"]), numbers(&o[0]["stderr"]));
    assert!(stderr[0] > 0.0, "a random choice of lobe has variance");
    assert!((value[0] - expected).abs() < 4.0 * stderr[0], "{} vs {expected} ± {}", value[0], stderr[0]);
}

/// A 1 cm² detector at the origin facing +z, a black plate at z = 0.5 with
/// a 2 cm square hole (a `null` rectangle named "hole"), and a lamp of
/// radiance 1 at z = 1 facing the plate.
fn aperture_scene(detector: &str) -> String {
    let mut plate = String::new();
    // Four black slabs around the hole: left, right, top, bottom.
    // Wide enough that no ray from the detector passes beside the plate to the lamp.
    for (sx, sy, tx, ty) in
        [(5.0, 5.0, -5.01, 0.0), (5.0, 5.0, 5.01, 0.0), (0.01, 5.0, 0.0, 5.01), (0.01, 5.0, 0.0, -5.01)]
    {
        plate += &format!(
            "[[shapes]]\ntype = \"rectangle\"\nmaterial = \"black\"\ntransform = {{ scale = [{sx}, {sy}, 1], \
             translate = [{tx}, {ty}, 0.5] }}\n"
        );
    }
    format!(
        r#"
[sampling]
max_depth = 2
[materials.black]
type = "diffuse"
reflectance = 0
[materials.lamp]
type = "emitter"
emission = [1, 1, 1]
[materials.opening]
type = "null"
[[shapes]]
type = "rectangle"
material = "lamp"
transform = {{ scale = 5, rotate = [180, 0, 0], translate = [0, 0, 1] }}
[[shapes]]
type = "rectangle"
name = "hole"
material = "opening"
transform = {{ scale = 0.01, translate = [0, 0, 0.5] }}
{plate}
[[observers]]
name = "bolometer"
type = "{detector}"
quantity = "power"
size = [0.01, 0.01]
samples = 20000
{target}
"#,
        target = if detector == "targeted_pixel" { "target = \"hole\"" } else { "" }
    )
}

#[test]
fn a_targeted_pixel_behind_an_aperture_measures_the_thin_aperture_etendue_with_far_less_noise() {
    let dir = tempfile::tempdir().unwrap();
    let aimed = observe(dir.path(), &aperture_scene("targeted_pixel"), &[]);
    let plain = observe(dir.path(), &aperture_scene("pixel"), &[]);
    // L · A_d · A_a · cos α cos γ / d², head-on.
    let expected = 1e-4 * 4e-4 / 0.25;
    let (value, stderr) = (numbers(&aimed[0]["value"])[0], numbers(&aimed[0]["stderr"])[0]);
    assert!((value / expected - 1.0).abs() < 0.03, "targeted: {value} vs {expected} ± {stderr}");
    let (plain_value, plain_stderr) = (numbers(&plain[0]["value"])[0], numbers(&plain[0]["stderr"])[0]);
    assert!((plain_value - expected).abs() < 4.0 * plain_stderr, "plain: {plain_value} ± {plain_stderr}");
    assert!(plain_stderr > 10.0 * stderr, "stderr: plain {plain_stderr}, targeted {stderr}");
    eprintln!("targeted {value:.4e} ± {stderr:.1e}, plain {plain_value:.4e} ± {plain_stderr:.1e}, thin aperture {expected:.4e}");
}

#[test]
fn standard_errors_cover_the_true_value_about_two_times_in_three() {
    // A pixel facing +x under a uniform sky of radiance 1 with a black ground:
    // half its hemisphere is lit, so power = π L A / 2, and each ray either
    // sees the sky or not (real variance).
    let scene = |seed: u32| {
        format!(
            r#"
[sampling]
seed = {seed}
max_depth = 1
[background]
color = [1, 1, 1]
[materials.ground]
type = "diffuse"
reflectance = 0
[[shapes]]
type = "rectangle"
material = "ground"
transform = {{ scale = 1e4, rotate = [-90, 0, 0], translate = [0, -1e-3, 0] }}
[[observers]]
name = "a"
type = "pixel"
quantity = "power"
size = [1e-3, 1e-3]
transform = {{ rotate = [0, 90, 0] }}
samples = 64
[[observers]]
name = "b"
type = "pixel"
quantity = "power"
size = [1e-3, 1e-3]
transform = {{ rotate = [0, -90, 0], translate = [0.5, 0, 0] }}
samples = 64
"#
        )
    };
    let expected = PI * 1e-6 / 2.0;
    let dir = tempfile::tempdir().unwrap();
    let (mut inside, mut total) = (0, 0);
    for seed in 0..60 {
        for o in observe(dir.path(), &scene(seed), &[]) {
            let (v, e) = (numbers(&o["value"])[1], numbers(&o["stderr"])[1]);
            total += 1;
            inside += usize::from((v - expected).abs() <= e);
        }
    }
    let share = inside as f64 / total as f64;
    eprintln!("{inside} of {total} estimates within one stderr");
    assert!((0.58..=0.78).contains(&share), "{inside} of {total} within one stderr");
}

#[test]
fn a_vector_camera_with_a_perspective_cameras_rays_gives_its_image() {
    use rsrender::camera::{Camera, Projection};
    use rsrender::math::{Vec2, Vec3};
    let (w, h) = (16u32, 12u32);
    let camera = Camera::new(
        Vec3::new(0.0, 1.0, 3.0),
        Vec3::ZERO,
        Vec3::Y,
        Projection::Perspective { tan_half_fov: (20f32).to_radians().tan() },
        w,
        h,
    );
    let mut rays = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let r = camera.generate_ray(x as f32 + 0.5, y as f32 + 0.5, Vec2::ZERO);
            rays.extend([r.origin.x, r.origin.y, r.origin.z, r.dir.x, r.dir.y, r.dir.z].map(f64::from));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    write_npy(&dir.path().join("rays.npy"), &[h as u64, w as u64, 6], &rays);
    let toml = format!(
        r#"
[film]
width = {w}
height = {h}
output = "image.pfm"
[sampling]
spp = 256
[camera]
position = [0, 1, 3]
look_at = [0, 0, 0]
fov = 40
[materials.grey]
type = "diffuse"
[[shapes]]
type = "rectangle"
material = "grey"
transform = {{ scale = 10, rotate = [-90, 0, 0] }}
[[lights]]
type = "point"
position = [0.5, 2, 0.5]
intensity = [4, 4, 4]
[[observers]]
name = "calibrated"
type = "vector_camera"
rays = "rays.npy"
samples = 256
"#
    );
    let image_path = dir.path().join("image.pfm");
    observe(dir.path(), &toml, &["-o", image_path.to_str().unwrap()]);
    let (_, _, image) = common::read_pfm(&dir.path().join("image.pfm"));
    let bytes = std::fs::read(dir.path().join("calibrated.npy")).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), [h as u64, w as u64, 3]);
    let values = npy.into_vec::<f64>().unwrap();
    let mean = |v: &mut dyn Iterator<Item = f64>| v.sum::<f64>() / (w * h * 3) as f64;
    let (a, b) = (mean(&mut values.iter().copied()), mean(&mut image.iter().map(|&v| v as f64)));
    assert!((a / b - 1.0).abs() < 0.01, "vector camera {a} vs image {b}");
    eprintln!("vector camera mean {a:.5}, perspective image mean {b:.5}");
    for (i, (v, p)) in values.iter().zip(&image).enumerate() {
        assert!((v - *p as f64).abs() <= 0.05 * (*p as f64).max(0.05), "pixel value {i}: {v} vs {p}");
    }
}

#[test]
fn a_rays_file_of_the_wrong_shape_type_or_with_nan_is_refused_naming_what() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = vec![0.0f32; 2 * 3 * 6];
    good.iter_mut().skip(5).step_by(6).for_each(|d| *d = 1.0);
    let mut nan = good.clone();
    nan[(3 + 2) * 6] = f32::NAN;
    write_npy(&dir.path().join("shape.npy"), &[2, 3, 5], &[0.0f32; 30]);
    write_npy(&dir.path().join("ints.npy"), &[2, 3, 6], &[0i32; 36]);
    write_npy(&dir.path().join("nan.npy"), &[2, 3, 6], &nan);
    write_npy(&dir.path().join("good.npy"), &[2, 3, 6], &good);
    for (file, expect) in [
        ("shape.npy", "shape (ny, nx, 6), got [2, 3, 5]"),
        ("ints.npy", "float32 or float64"),
        ("nan.npy", "row 1, column 2"),
    ] {
        let scene = dir.path().join("scene.toml");
        let toml = format!("[[observers]]\nname = \"v\"\ntype = \"vector_camera\"\nrays = \"{file}\"\n");
        std::fs::write(&scene, toml).unwrap();
        let e = format!("{:#}", rsrender::scene::load::load(&scene).unwrap_err());
        assert!(e.contains("observers[0].rays") && e.contains(expect), "{file}: {e}");
    }
    let scene = dir.path().join("scene.toml");
    std::fs::write(&scene, "[[observers]]\nname = \"v\"\ntype = \"vector_camera\"\nrays = \"good.npy\"\n").unwrap();
    assert!(rsrender::scene::load::load(&scene).is_ok());
}
