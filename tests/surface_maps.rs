//! Normal maps and textured emission against exact answers. A diffuse plane
//! whose normal map tilts every normal the same way, lit by a directional
//! light and seen from above, has no noise: each pixel is ρ/π · E ·
//! (n′·l) · G(l), with n′ the map's normal in the frame of the rectangle's
//! ∂p/∂u (+x) and G Estevez et al.'s shadowing term; tilting the light
//! towards +x or −x tells the tangent's direction. A flat map changes
//! nothing. A textured emitter shows its texels, and lights a floor as two
//! emitters of its halves' radiances do.

mod common;
use common::inputs::looking_down;
use common::*;
use std::f32::consts::PI;

/// A diffuse plane of reflectance 0.5, with a 1 × 1 PFM normal map of
/// texel `texel`, lit by a directional light of irradiance 2 arriving from
/// `towards_light`; direct light only.
fn tilted(dir: &std::path::Path, texel: [f32; 3], towards_light: [f32; 3]) -> Vec<f32> {
    write_pfm(&dir.join("n.pfm"), (1, 1), |_, _| texel);
    let [x, y, z] = towards_light;
    let body = format!(
        "[materials.m]\ntype = \"diffuse\"\nreflectance = 0.5\nnormal_map = {{ texture = \"n.pfm\" }}\n\
         [[shapes]]\ntype = \"rectangle\"\nmaterial = \"m\"\ntransform = {{ scale = 5 }}\n\
         [[lights]]\ntype = \"directional\"\ndirection = [{}, {}, {}]\nirradiance = [2, 2, 2]\n",
        -x, -y, -z
    );
    render_in(dir, &looking_down(2.0, "", 2, &body), &Default::default(), 2).1
}

#[test]
fn a_tilted_normal_map_shades_as_its_normal_along_the_tangent_of_u() {
    let dir = tempfile::tempdir().unwrap();
    // Texel (0.8, 0.5, 0.9): the normal (0.6, 0, 0.8) in (∂p/∂u, t, n).
    let texel = [0.8, 0.5, 0.9];
    let alpha2 = 0.125 * (0.6f32 * 0.6) / (0.8 * 0.8);
    let (sin, cos) = (30f32.to_radians().sin(), 30f32.to_radians().cos());
    let shadowing = 2.0 / (1.0 + (1.0 + alpha2 * (sin * sin) / (cos * cos)).sqrt());
    for (light, expected) in [
        ([0.0, 0.0, 1.0], 0.8),
        ([sin, 0.0, cos], (0.6 * sin + 0.8 * cos) * shadowing),
        ([-sin, 0.0, cos], (-0.6 * sin + 0.8 * cos) * shadowing),
    ] {
        let rgb = tilted(dir.path(), texel, light);
        let want = 0.5 / PI * 2.0 * expected;
        assert!(rgb.iter().all(|v| (v - want).abs() < 1e-5 * want.max(1.0)), "light {light:?}: want {want}");
    }
}

#[test]
fn a_flat_normal_map_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let light = [0.3, -0.4, 0.866];
    let flat = tilted(dir.path(), [0.5, 0.5, 1.0], light);
    let want = 0.5 / PI * 2.0 * 0.866 / (0.3f32 * 0.3 + 0.4 * 0.4 + 0.866 * 0.866).sqrt();
    assert!(flat.iter().all(|v| (v - want).abs() < 1e-5), "{} vs {want}", flat[0]);
}

/// A floor seen from above, lit by `emitters` (TOML shapes) beside the view.
fn lit_floor(emitters: &str) -> String {
    let body = format!(
        "[materials.floor]\ntype = \"diffuse\"\nreflectance = 0.5\n[[shapes]]\ntype = \"rectangle\"\n\
         material = \"floor\"\ntransform = {{ scale = 5 }}\n{emitters}"
    );
    looking_down(2.0, "", 2, &body)
}

#[test]
fn a_textured_emitter_shows_its_texels_and_lights_as_its_parts_do() {
    let dir = tempfile::tempdir().unwrap();
    // Two texels: u < ½ emits 1, u ≥ ½ emits 0.2.
    write_pfm(&dir.path().join("e.pfm"), (2, 1), |c, _| [[1.0; 3], [0.2; 3]][c]);
    let screen = "[materials.screen]\ntype = \"emitter\"\nemission = { texture = \"e.pfm\", filter = \"nearest\" }\n\
                  [[shapes]]\ntype = \"rectangle\"\nmaterial = \"screen\"\n";
    let (_, rgb) = render_in(dir.path(), &looking_down(2.0, "", 2, screen), &Default::default(), 2);
    let (left, right) = (rgb[3 * (12 * 24 + 2)], rgb[3 * (12 * 24 + 21)]);
    assert!((left - 1.0).abs() < 1e-6 && (right - 0.2).abs() < 1e-6, "{left} {right}");

    // Facing down at x ∈ [2, 3] (u along +x), beside the floor's view.
    let textured = format!("{screen}transform = {{ scale = 0.5, rotate = [180, 0, 0], translate = [2.5, 0, 1] }}\n");
    let halves = "[materials.bright]\ntype = \"emitter\"\nemission = [1, 1, 1]\n[materials.dim]\ntype = \"emitter\"\n\
                  emission = [0.2, 0.2, 0.2]\n[[shapes]]\ntype = \"rectangle\"\nmaterial = \"bright\"\n\
                  transform = { scale = [0.25, 0.5, 1], rotate = [180, 0, 0], translate = [2.25, 0, 1] }\n\
                  [[shapes]]\ntype = \"rectangle\"\nmaterial = \"dim\"\n\
                  transform = { scale = [0.25, 0.5, 1], rotate = [180, 0, 0], translate = [2.75, 0, 1] }\n";
    let (_, one) = render_in(dir.path(), &lit_floor(&textured), &Default::default(), 2);
    let (_, two) = render_in(dir.path(), &lit_floor(halves), &Default::default(), 2);
    let (a, b) = (channel_means(&one)[1], channel_means(&two)[1]);
    assert_close(a, b, 0.01, "floor lit by a textured emitter vs by its halves");
}

#[test]
fn a_normal_map_on_a_blends_part_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_pfm(&dir.path().join("n.pfm"), (1, 1), |_, _| [0.5, 0.5, 1.0]);
    let body = "[materials.mix]\ntype = \"blend\"\nmaterials = [\"a\", \"b\"]\n[materials.a]\ntype = \"diffuse\"\n\
                normal_map = { texture = \"n.pfm\" }\n[materials.b]\ntype = \"diffuse\"\n[[shapes]]\n\
                type = \"rectangle\"\nmaterial = \"mix\"\n";
    let path = dir.path().join("scene.toml");
    std::fs::write(&path, looking_down(2.0, "", 2, body)).unwrap();
    let err = format!("{:#}", rsrender::scene::load::load(&path).expect_err("refused"));
    assert!(err.contains("materials.mix.materials[0]: `a` has a normal_map"), "{err}");
}
