//! The real binary, alone (one rank): flags, outputs and every kind of bad
//! input, each refused with file, key path and line, and nothing written.

mod common;
use common::inputs::*;
use common::*;

#[test]
fn renders_the_file_named_in_the_scene_and_prints_a_summary() {
    let f = scene_file(GOOD);
    let (out, _) = run_alone(&[f.path.to_str().unwrap()], f.dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (w, h, rgb) = read_pfm(&f.dir.path().join("out.pfm"));
    assert_eq!((w, h), (16, 8));
    assert!(rgb.iter().any(|&v| v > 0.0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("16×8, 4 spp") && stdout.contains("samples/s"), "{stdout}");
}

#[test]
fn flags_override_the_scene_and_quiet_prints_nothing() {
    let f = scene_file(GOOD);
    let (out, _) = run_alone(
        &[
            f.path.to_str().unwrap(),
            "-o",
            "x.png",
            "--spp",
            "2",
            "--seed",
            "3",
            "--tile-size",
            "5",
            "--threads",
            "1",
            "--quiet",
        ],
        f.dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let png = std::fs::read(f.dir.path().join("x.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(!f.dir.path().join("out.pfm").exists());
}

#[test]
fn exr_output_is_written() {
    let f = scene_file(GOOD);
    let (out, _) = run_alone(&[f.path.to_str().unwrap(), "-o", "x.exr", "-q"], f.dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(f.dir.path().join("x.exr")).unwrap();
    assert_eq!(&bytes[..4], &[0x76, 0x2f, 0x31, 0x01]); // OpenEXR magic
}

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_alone(&["--version"], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let (out, _) = run_alone(&["--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--output", "--threads", "--spp", "--seed", "--tile-size", "--quiet", "--version"] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let (out, _) = run_alone(&["scene.toml", "--spp", "0"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_bad_input_is_refused_with_its_location_and_nothing_is_written() {
    for b in BAD_INPUTS {
        let f = bad_scene(b);
        let (out, _) = run_alone(&b.args(&f), f.dir.path());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", b.name);
        assert!(err.starts_with("rsrender: rank 0: error: "), "{}: {err}", b.name);
        for e in b.expect {
            assert!(err.contains(e), "{}: `{e}` not in: {err}", b.name);
        }
        assert_eq!(err.lines().count(), 1, "{}: one line expected: {err}", b.name);
        let files: Vec<_> = std::fs::read_dir(f.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, vec![std::ffi::OsString::from("scene.toml")], "{}: files left behind", b.name);
    }
}

#[test]
fn a_missing_scene_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_alone(&["nope.toml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot read scene file nope.toml"), "{}", stderr(&out));
}

#[test]
fn a_foreign_launcher_is_detected() {
    // As when an MPICH mpirun starts an Open MPI build: three singletons.
    let f = scene_file(GOOD);
    let mut c = std::process::Command::new("timeout");
    c.args(["-k", "10", "120", BIN, f.path.to_str().unwrap()])
        .env("PMI_SIZE", "3")
        .env("PMI_RANK", "0")
        .current_dir(f.dir.path());
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("another MPI implementation"), "{}", stderr(&out));
    assert!(!f.dir.path().join("out.pfm").exists());
}

#[test]
fn debug_pixel_replays_one_sample_and_checks_its_range() {
    let f = scene_file(GOOD);
    let (out, _) = run_alone(&[f.path.to_str().unwrap(), "--debug-pixel", "8,4,2"], f.dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("pixel (8, 4) sample 2: radiance ["), "{stdout}");
    assert!(!f.dir.path().join("out.pfm").exists(), "a debug run writes no image");
    let (out, _) = run_alone(&[f.path.to_str().unwrap(), "--debug-pixel", "16,0,0"], f.dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the image is 16×8"), "{}", stderr(&out));
}

#[test]
fn every_shipped_scene_renders() {
    let scenes = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenes"));
    let mut files: Vec<_> = std::fs::read_dir(scenes).unwrap().map(|e| e.unwrap().path()).collect();
    files.extend(std::fs::read_dir(scenes.join("bench")).unwrap().map(|e| e.unwrap().path()));
    let files: Vec<_> = files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    assert!(files.len() >= 5, "{files:?}");
    // The mesh scenes/bench/cornell-mesh.toml places, as scripts/bench.sh writes it.
    let bench_mesh = scenes.join("../target/bench/bumpy-81920.ply");
    if !bench_mesh.exists() {
        std::fs::create_dir_all(bench_mesh.parent().unwrap()).unwrap();
        let meshgen = env!("CARGO_BIN_EXE_rsrender-meshgen");
        let args = ["icosphere", "--levels", "6", "--bumps", "0.1", bench_mesh.to_str().unwrap()];
        assert!(std::process::Command::new(meshgen).args(args).status().unwrap().success());
    }
    let dir = tempfile::tempdir().unwrap();
    for scene in files {
        let (o, _) = run_alone(&[scene.to_str().unwrap(), "--spp", "1", "-o", "x.png", "-q"], dir.path());
        assert!(o.status.success(), "{}: {}", scene.display(), stderr(&o));
        assert!(std::fs::read(dir.path().join("x.png")).unwrap().starts_with(b"\x89PNG"));
    }
}
