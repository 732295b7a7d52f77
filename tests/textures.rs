//! Textures against exact answers: a diffuse plane under a uniform sky
//! reflects ρ(uv)·L with no noise (BSDF sampling alone: every path sees the
//! sky and carries ρ), so
//! each pixel shows its texel, decoded from sRGB, at the place Mitsuba's
//! conventions put it: texel (0, 0) at uv (0, 0), a rectangle's uv
//! ((x + 1)/2, (y + 1)/2), an OBJ's `vt` read as (u, 1 − v). A texture on a
//! mesh without texture coordinates is refused, naming the shape. A blend
//! with a textured weight mixes its parts exactly.

mod common;
use common::inputs::{furnace, looking_down};
use common::*;
use std::path::Path;

/// A 2 × 2 PNG: top row red, green; bottom row blue, 50% grey (sRGB 128).
fn write_texture(dir: &Path) {
    let mut img = image::RgbImage::new(2, 2);
    img.put_pixel(0, 0, image::Rgb([255, 0, 0]));
    img.put_pixel(1, 0, image::Rgb([0, 255, 0]));
    img.put_pixel(0, 1, image::Rgb([0, 0, 255]));
    img.put_pixel(1, 1, image::Rgb([128, 128, 128]));
    img.save(dir.join("tex.png")).unwrap();
}

/// The plane z = 0 seen from above (image up = +y) in a white furnace,
/// textured with `tex.png` (nearest), as `shape`; BSDF sampling alone.
fn scene(shape: &str) -> String {
    let body = format!(
        "[render]\nstrategy = \"bsdf\"\n[materials.t]\ntype = \"diffuse\"\n\
         reflectance = {{ texture = \"tex.png\", filter = \"nearest\" }}\n[[shapes]]\n{shape}\nmaterial = \"t\"\n"
    );
    furnace(2.0, &body)
}

/// The four quadrants' centre pixels: (top left, top right, bottom left,
/// bottom right) of the 24 × 24 image.
fn quadrants(rgb: &[f32]) -> [[f32; 3]; 4] {
    let px = |x: usize, y: usize| {
        let i = 3 * (y * 24 + x);
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    [px(6, 6), px(18, 6), px(6, 18), px(18, 18)]
}

fn assert_texels(rgb: &[f32], what: &str) {
    let grey = 0.215_860_5;
    // uv (0, 0) is the rectangle's (-1, -1), the image's bottom left: the
    // texture's top row (red, green) lies along y = -1, the bottom of the picture.
    let expected = [[0.0, 0.0, 1.0], [grey, grey, grey], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
    for (got, want) in quadrants(rgb).iter().zip(expected) {
        for c in 0..3 {
            assert!((got[c] - want[c]).abs() < 1e-4, "{what}: {:?} vs {expected:?}", quadrants(rgb));
        }
    }
}

#[test]
fn a_textured_rectangle_shows_each_texel_where_mitsuba_puts_it() {
    let dir = tempfile::tempdir().unwrap();
    write_texture(dir.path());
    let (_, rgb) = render_in(dir.path(), &scene("type = \"rectangle\""), &Default::default(), 1);
    assert_texels(&rgb, "rectangle");
}

#[test]
fn an_obj_with_texture_coordinates_reads_v_flipped_as_mitsuba_does() {
    let dir = tempfile::tempdir().unwrap();
    write_texture(dir.path());
    // The same square with vt as a modeller writes them (v = 0 at the bottom).
    let obj = "v -1 -1 0\nv 1 -1 0\nv 1 1 0\nv -1 1 0\nvt 0 1\nvt 1 1\nvt 1 0\nvt 0 0\nf 1/1 2/2 3/3 4/4\n";
    std::fs::write(dir.path().join("quad.obj"), obj).unwrap();
    let (_, rgb) = render_in(dir.path(), &scene("type = \"mesh\"\nfile = \"quad.obj\""), &Default::default(), 1);
    assert_texels(&rgb, "OBJ");
}

#[test]
fn a_texture_on_a_mesh_without_texture_coordinates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_texture(dir.path());
    std::fs::write(dir.path().join("quad.obj"), "v -1 -1 0\nv 1 -1 0\nv 1 1 0\nf 1 2 3\n").unwrap();
    let path = dir.path().join("scene.toml");
    std::fs::write(&path, scene("type = \"mesh\"\nfile = \"quad.obj\"")).unwrap();
    let err = format!("{:#}", rsrender::scene::load::load(&path).unwrap_err());
    assert!(err.contains("shapes[0].material") && err.contains("no texture coordinates"), "{err}");
    assert!(err.contains("quad.obj"), "{err}");
}

#[test]
fn a_blend_mixes_its_parts_by_a_textured_weight() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[render]\nstrategy = \"bsdf\"\n[materials.red]\ntype = \"diffuse\"\nreflectance = [0.8, 0, 0]\n\
                [materials.blue]\ntype = \"diffuse\"\nreflectance = [0, 0, 0.4]\n[materials.mix]\ntype = \"blend\"\n\
                materials = [\"red\", \"blue\"]\nweight = { checkerboard = { even = 0.25, odd = 1 } }\n\
                [[shapes]]\ntype = \"rectangle\"\nmaterial = \"mix\"\n";
    let (_, rgb) = render_in(dir.path(), &furnace(2.0, body), &Default::default(), 1);
    // Top left is uv (0.25, 0.75): odd, all blue; bottom left uv (0.25, 0.25): even.
    let [top_left, top_right, bottom_left, _] = quadrants(&rgb);
    let (odd, even) = ([0.0, 0.0, 0.4], [0.75 * 0.8, 0.0, 0.25 * 0.4]);
    for (got, want) in [(top_left, odd), (top_right, even), (bottom_left, even)] {
        assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-5), "{got:?} vs {want:?}");
    }
}

/// A black screen with `opacity` above a floor of reflectance 0.5, lit
/// straight down by a directional light of irradiance 2, seen from above.
fn cutout_scene(opacity: &str) -> String {
    let body = format!(
        "[materials.floor]\ntype = \"diffuse\"\nreflectance = 0.5\n[materials.screen]\ntype = \"diffuse\"\n\
         reflectance = 0\nopacity = {opacity}\n[[shapes]]\ntype = \"rectangle\"\nmaterial = \"floor\"\n\
         transform = {{ scale = 5 }}\n[[shapes]]\ntype = \"rectangle\"\nmaterial = \"screen\"\n\
         transform = {{ scale = 5, translate = [0, 0, 1] }}\n[[lights]]\ntype = \"directional\"\n\
         direction = [0, 0, -1]\nirradiance = [2, 2, 2]\n"
    );
    looking_down(2.0, "", 3, &body)
}

#[test]
fn shadows_and_camera_rays_see_through_cutouts_alike() {
    let dir = tempfile::tempdir().unwrap();
    let lit = 0.5 * 2.0 / std::f32::consts::PI;
    // Opacity 0.4: the floor gets 0.6 of the light and the camera sees it
    // through the screen 0.6 of the time.
    let (_, rgb) = render_in(dir.path(), &cutout_scene("0.4"), &Default::default(), 2);
    let mean = channel_means(&rgb);
    for m in mean {
        assert_close(m, (0.6 * 0.6 * lit) as f64, 0.02, "uniform cut-out");
    }
    // Holes from a texture (even squares clear): exact, no randomness.
    let checks = "{ checkerboard = { even = 0, odd = 1 } }";
    let (_, rgb) = render_in(dir.path(), &cutout_scene(checks), &Default::default(), 2);
    let [top_left, top_right, bottom_left, bottom_right] = quadrants(&rgb);
    // uv = ((x/5 + 1)/2, (y/5 + 1)/2): x < 0 and y < 0 is even (a hole).
    for (got, want) in [(bottom_left, lit), (top_right, lit), (top_left, 0.0), (bottom_right, 0.0)] {
        assert!(got.iter().all(|g| (g - want).abs() < 1e-5), "{got:?} vs {want}");
    }
}
