//! The path tracer that traces a pixel's samples side by side
//! (`integrator::packet`, which the renderer uses under MIS) against the
//! one that follows one path at a time (`integrator::radiance`): every
//! sample's radiance must be the same bit for bit. The scenes have every
//! kind of vertex the lanes shade themselves (diffuse surfaces, area lights
//! seen and sampled) and every kind they hand over (glass, metals, misses
//! into a background, cut-outs, point and directional lights, the last
//! vertex), in RGB and in spectral mode, and the lanes run in every
//! instruction set they are compiled for that the CPU has.

mod common;

use common::inputs::looking_down;
use rsrender::integrator::packet::{self, CameraSamples, Isa, RadianceLanes};
use rsrender::integrator::{self, Primary};
use rsrender::math::{Ray, Vec2};
use rsrender::sampler::SampleStream;
use rsrender::scene::desc::{IntegratorKind, Strategy};
use rsrender::scene::{build, load, Scene, World};
use rsrender::settings::{Overrides, Settings};
use rsrender::spectrum::Radiance;
use std::path::Path;

/// Samples per pixel: not a multiple of the lane count, so passes end
/// with part-filled rounds.
const SPP: u32 = 37;

/// Compares both tracers on every `step`-th pixel of `scene` (path
/// tracing, whatever the file asks for), in spectral mode on each group of
/// bins; returns the number of samples and how many brought light.
fn compare(scene: &Path, step: u32, lanes: Isa) -> (usize, usize) {
    let loaded = load::load(scene).expect("scene loads");
    let mut settings = Settings::resolve(&loaded, &Overrides::default()).expect("settings");
    settings.integrator = IntegratorKind::Path;
    assert!(settings.strategy == Strategy::Mis, "the lanes shade under MIS");
    let (world, _) = build::build(loaded, (settings.width, settings.height), 2).expect("scene builds");
    match &world {
        World::Rgb(scene) => compare_scene(scene, &settings, step, lanes),
        World::Spectral(s) => {
            let groups = s.groups.iter().map(|group| compare_scene(group, &settings, step, lanes));
            groups.fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
        }
    }
}

fn compare_scene<S: RadianceLanes>(scene: &Scene<S>, settings: &Settings, step: u32, lanes: Isa) -> (usize, usize) {
    let (mut samples, mut lit) = (0, 0);
    for y in (0..settings.height).step_by(step as usize) {
        for x in (0..settings.width).step_by(step as usize) {
            let (rays, streams): (Vec<Ray>, Vec<SampleStream>) = (0..SPP)
                .map(|s| {
                    let mut stream = SampleStream::new(7, (y * settings.width + x) as u64, s as u64);
                    let jitter = stream.next_2d();
                    (scene.camera.generate_ray(x as f32 + jitter.x, y as f32 + jitter.y, Vec2::ZERO), stream)
                })
                .unzip();
            let mut hits = Vec::new();
            scene.intersect_coherent(&rays, &mut hits);
            let mut side_by_side = vec![S::ZERO; rays.len()];
            let camera = CameraSamples { rays: &rays, hits: &hits, streams: &streams };
            let depths = (settings.max_depth, settings.rr_depth);
            packet::li_in(lanes, scene, &camera, depths, &mut side_by_side);
            for (k, got) in side_by_side.into_iter().enumerate() {
                let primary = Primary { ray: rays[k], hit: hits[k] };
                let alone = integrator::radiance(scene, settings, &primary, &mut streams[k].clone());
                assert_eq!(
                    bits(got),
                    bits(alone),
                    "pixel ({x}, {y}) sample {k}: {got:?} side by side, {alone:?} alone"
                );
                samples += 1;
                lit += usize::from(alone.max_element() > 0.0);
            }
        }
    }
    (samples, lit)
}

fn bits<S: Radiance>(v: S) -> Vec<u32> {
    (0..S::CHANNELS).map(|i| v.lane(i).to_bits()).collect()
}

fn repository_scene(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes").join(name)
}

/// A screen of opacity 0.4 over a diffuse floor, under a directional light
/// and a sky; paths at most 3 segments long.
fn cutout_scene() -> common::SceneFile {
    let body = "[materials.floor]\ntype = \"diffuse\"\nreflectance = 0.5\n[materials.screen]\ntype = \"diffuse\"\n\
                reflectance = 0.3\nopacity = 0.4\n[[shapes]]\ntype = \"rectangle\"\nmaterial = \"floor\"\n\
                transform = { scale = 5 }\n[[shapes]]\ntype = \"rectangle\"\nmaterial = \"screen\"\n\
                transform = { scale = 5, translate = [0, 0, 1] }\n[[lights]]\ntype = \"directional\"\n\
                direction = [0, 0, -1]\nirradiance = [2, 2, 2]\n";
    common::scene_file(&looking_down(2.0, "[background]\ncolor = [0.2, 0.3, 0.4]\n", 3, body))
}

/// One test, so that no other test of this binary reads the instruction
/// set it pins while it does.
#[test]
fn side_by_side_paths_equal_single_paths_bit_for_bit() {
    let cutouts = cutout_scene();
    // Diffuse walls and an area light; point lights, a background, glass
    // and metals; meshes; instances; cut-outs and the last vertex.
    let scenes = [
        (repository_scene("bench/cornell-mitsuba.toml"), 8),
        (repository_scene("spheres.toml"), 16),
        (repository_scene("meshes.toml"), 16),
        (repository_scene("instances.toml"), 16),
        (repository_scene("cornell.toml"), 16),
        // Spectral mode: one group of bins, and two (40 bins) with a
        // dispersive glass, a measured metal and line emitters.
        (repository_scene("bench/cornell-mitsuba-spectral.toml"), 8),
        (repository_scene("spectral.toml"), 16),
        (cutouts.path.clone(), 2),
    ];
    // The CPU's own instruction set, and SSE2, where Embree emulates
    // 16-wide packets and asserts that every lane's ray is valid.
    for isa in [None, Some("sse2")] {
        match isa {
            Some(set) => std::env::set_var(rsrender::accel::isa::VARIABLE, set),
            None => std::env::remove_var(rsrender::accel::isa::VARIABLE),
        }
        // The lanes as the build compiles them, and in AVX-512 where the
        // CPU has it.
        for lanes in Isa::all() {
            for (scene, step) in &scenes {
                let (samples, lit) = compare(scene, *step, lanes);
                assert!(
                    lit > samples / 4,
                    "{scene:?} ({isa:?}, {lanes:?}): only {lit} of {samples} samples brought light"
                );
            }
        }
    }
}
