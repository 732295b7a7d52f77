//! Known-answer scenes: physics, not screenshots, is the oracle.

mod common;
use common::inputs::furnace;
use common::*;
use std::f64::consts::PI;

#[test]
fn diffuse_sphere_in_a_furnace_renders_its_reflectance() {
    let body = r#"
[materials.m]
type = "diffuse"
reflectance = [0.2, 0.5, 0.8]
[[shapes]]
type = "sphere"
center = [0, 0, 0]
radius = 1
material = "m"
"#;
    // The frame lies inside the sphere's silhouette: every pixel sees it.
    let rgb = render_default(&furnace(1.2, body));
    let m = channel_means(&rgb);
    for (c, rho) in [0.2, 0.5, 0.8].into_iter().enumerate() {
        assert_close(m[c], rho, 0.01, &format!("channel {c}"));
    }
}

#[test]
fn diffuse_cube_in_a_furnace_renders_its_reflectance() {
    let body = r#"
[materials.m]
type = "diffuse"
reflectance = [0.6, 0.6, 0.6]
[[shapes]]
type = "cube"
material = "m"
transform = { rotate = [20, 30, 0] }
"#;
    let rgb = render_default(&furnace(0.8, body));
    assert_close(channel_means(&rgb)[1], 0.6, 0.01, "cube");
}

#[test]
fn lossless_glass_and_mirror_spheres_are_invisible_in_a_furnace() {
    for material in [
        r#"type = "dielectric""#,
        r#"type = "dielectric"
ior = 2.4"#,
        r#"type = "conductor"
reflectance = [1, 1, 1]"#,
    ] {
        let body = format!(
            "[materials.m]\n{material}\n[[shapes]]\ntype = \"sphere\"\ncenter = [0, 0, 0]\nradius = 1\nmaterial = \"m\"\n"
        );
        // The frame shows the whole sphere, silhouette included.
        let rgb = render_default(&furnace(2.4, &body));
        for (i, v) in rgb.iter().enumerate() {
            assert!((v - 1.0).abs() <= 0.01, "{material}: pixel {} channel {} = {v}", i / 3, i % 3);
        }
    }
}

/// A diffuse floor (y = 0, reflectance ρ) seen straight down by a tiny
/// orthographic camera centred on the origin, with `lights` added.
fn floor_scene(integrator: &str, rho: f32, lights: &str) -> String {
    format!(
        r#"
[film]
width = 8
height = 8
output = "out.pfm"
[sampling]
spp = 16
[render]
integrator = "{integrator}"
[camera]
type = "orthographic"
position = [0, 0.5, 0]
look_at = [0, 0, 0]
up = [0, 0, -1]
height = 0.001
[materials.floor]
type = "diffuse"
reflectance = [{rho}, {rho}, {rho}]
[[shapes]]
type = "rectangle"
material = "floor"
transform = {{ scale = 100, rotate = [-90, 0, 0] }}
{lights}
"#
    )
}

#[test]
fn point_light_above_a_diffuse_plane_gives_rho_over_pi_i_over_d_squared() {
    for integrator in ["path", "whitted"] {
        // Straight above at d = 2.
        let lights = "[[lights]]\ntype = \"point\"\nposition = [0, 2, 0]\nintensity = [10, 20, 40]\n";
        let m = channel_means(&render_default(&floor_scene(integrator, 0.5, lights)));
        for (c, i) in [10.0, 20.0, 40.0].into_iter().enumerate() {
            assert_close(m[c], 0.5 / PI * i / 4.0, 0.01, &format!("{integrator}, channel {c}"));
        }
        // Off to the side: d² = 5, cos θ = 2/√5.
        let lights = "[[lights]]\ntype = \"point\"\nposition = [1, 2, 0]\nintensity = [10, 10, 10]\n";
        let m = channel_means(&render_default(&floor_scene(integrator, 0.5, lights)));
        assert_close(m[0], 0.5 / PI * 10.0 * (2.0 / 5f64.sqrt()) / 5.0, 0.01, integrator);
    }
}

#[test]
fn directional_light_gives_rho_over_pi_times_irradiance() {
    for integrator in ["path", "whitted"] {
        let lights = "[[lights]]\ntype = \"directional\"\ndirection = [0, -1, 0]\nirradiance = [3, 3, 3]\n";
        let m = channel_means(&render_default(&floor_scene(integrator, 0.7, lights)));
        assert_close(m[0], 0.7 / PI * 3.0, 0.01, integrator);
        let lights = "[[lights]]\ntype = \"directional\"\ndirection = [1, -1, 0]\nirradiance = [3, 3, 3]\n";
        let m = channel_means(&render_default(&floor_scene(integrator, 0.7, lights)));
        assert_close(m[0], 0.7 / PI * 3.0 * std::f64::consts::FRAC_1_SQRT_2, 0.01, integrator);
    }
}

#[test]
fn huge_area_light_above_a_plane_gives_rho_times_its_radiance() {
    // A lamp plane (half-size 1000) one unit above: the floor receives
    // irradiance π·Le, so its radiance is ρ·Le (1 − 5·10⁻⁷ for the finite size).
    let lights = r#"
[materials.lamp]
type = "emitter"
emission = [2, 2, 2]
[[shapes]]
type = "rectangle"
material = "lamp"
transform = { scale = 1000, rotate = [90, 0, 0], translate = [0, 1, 0] }
"#;
    let m = channel_means(&render_default(&floor_scene("path", 0.5, lights)));
    assert_close(m[0], 1.0, 0.01, "floor under a lamp plane");
}

#[test]
fn sphere_light_irradiance_matches_the_closed_form() {
    // A sphere of radius r and radiance Le whose centre is D above the point:
    // E = π·Le·(r/D)², so the floor's radiance is ρ·Le·(r/D)².
    let lights = r#"
[materials.lamp]
type = "emitter"
emission = [4, 4, 4]
[[shapes]]
type = "sphere"
center = [0, 2, 0]
radius = 0.5
material = "lamp"
"#;
    let toml = floor_scene("path", 0.5, lights).replace("spp = 16", "spp = 1024");
    let m = channel_means(&render_default(&toml));
    assert_close(m[0], 0.5 * 4.0 * 0.0625, 0.01, "floor under a sphere light");
}

#[test]
fn emitters_shine_from_the_front_only() {
    let scene = |rotate: i32| {
        format!(
            r#"
[film]
width = 4
height = 4
output = "out.pfm"
[camera]
type = "orthographic"
position = [0, 0, 5]
look_at = [0, 0, 0]
height = 0.5
[materials.lamp]
type = "emitter"
emission = [3, 2, 1]
[[shapes]]
type = "rectangle"
material = "lamp"
transform = {{ rotate = [{rotate}, 0, 0] }}
"#
        )
    };
    let front = render_default(&scene(0));
    assert!(front.chunks(3).all(|p| p == [3.0, 2.0, 1.0]), "{front:?}");
    let back = render_default(&scene(180));
    assert!(back.iter().all(|&v| v == 0.0), "{back:?}");
}

#[test]
fn an_occluder_just_in_front_of_a_light_casts_its_shadow() {
    // A point light 10 above a floor, a blocker 0.005 below the light (0.05%
    // of the distance): shadow rays that stop 0.1% short would miss it.
    let scene = |blocker: &str| {
        format!(
            r#"
[film]
width = 8
height = 8
output = "out.pfm"
[sampling]
spp = 4
[render]
integrator = "whitted"
[camera]
type = "orthographic"
position = [0, 0, 5]
look_at = [0, 0, 0]
height = 1
[materials.white]
type = "diffuse"
[[shapes]]
type = "rectangle"
material = "white"
transform = {{ scale = 4 }}
{blocker}
[[lights]]
type = "point"
position = [0, 0, 10]
intensity = [100, 100, 100]
"#
        )
    };
    let open = channel_means(&render_default(&scene("")))[0];
    assert!(open > 0.1, "the light reaches the floor: {open}");
    let blocker = "[[shapes]]\ntype = \"rectangle\"\nmaterial = \"white\"\ntransform = { scale = 0.5, translate = [0, 0, 9.995] }";
    let shadowed = channel_means(&render_default(&scene(blocker)))[0];
    assert!(shadowed < 1e-6, "the blocker shadows the floor: {shadowed} (open {open})");
}
