//! The real binary under `mpirun` (Open MPI or MPICH, whichever built it):
//! identical images for any rank count, and no hung or silent jobs. Every
//! run has a timeout; a job that ends by itself exits with something other
//! than the timeout's 124 (or, failing, ends every rank: see `common::job`
//! for the launcher's own teardown hang).

mod common;
use common::inputs::*;
use common::job::{mpi_job, run_job};
use common::*;
use rsrender::settings::Overrides;
use std::path::Path;

fn cornell() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenes/cornell.toml"))
}

#[test]
fn images_are_bit_identical_for_any_ranks_threads_and_tile_size() {
    let toml = std::fs::read_to_string(cornell()).unwrap();
    let overrides = Overrides { spp: Some(3), ..Overrides::default() };
    let (_, reference) = render(&toml, &overrides, 2);
    let dir = tempfile::tempdir().unwrap();
    for (ranks, threads, tile) in [(1, 2, 32), (2, 1, 7), (3, 2, 16), (4, 1, 64)] {
        let out = format!("n{ranks}.pfm");
        let args = [
            cornell().to_str().unwrap(),
            "-o",
            &out,
            "--spp",
            "3",
            "--threads",
            &threads.to_string(),
            "--tile-size",
            &tile.to_string(),
            "-q",
        ];
        let (o, _) = run_mpi(ranks, &args, dir.path());
        assert!(o.status.success(), "-n {ranks}: {}", stderr(&o));
        let (w, h, rgb) = read_pfm(&dir.path().join(&out));
        assert_eq!((w, h), (256, 256));
        assert!(
            rgb.iter().zip(&reference).all(|(a, b)| a.to_bits() == b.to_bits()),
            "-n {ranks} --threads {threads} --tile-size {tile} differs"
        );
    }
    // The tone-mapped PNG is the same file too.
    for ranks in [1, 3] {
        let (o, _) = run_mpi(
            ranks,
            &[cornell().to_str().unwrap(), "-o", &format!("n{ranks}.png"), "--spp", "3", "-q"],
            dir.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(dir.path().join("n1.png")).unwrap(), std::fs::read(dir.path().join("n3.png")).unwrap());
}

#[test]
fn spectral_cubes_are_bit_identical_for_any_ranks_threads_and_tile_size_adaptive_or_not() {
    let scene = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenes/spectral.toml"));
    let dir = tempfile::tempdir().unwrap();
    let mut cubes = Vec::new();
    for (ranks, threads, tile, adaptive) in [(1, 2, 32, false), (3, 1, 7, false), (1, 1, 16, true), (2, 2, 9, true)] {
        let out = format!("n{ranks}-{adaptive}.npy");
        let spp = if adaptive { "24" } else { "4" };
        let mut args = vec![scene.to_str().unwrap(), "-o", &out, "--spp", spp, "-q"];
        let (threads, tile) = (threads.to_string(), tile.to_string());
        args.extend(["--threads", &threads, "--tile-size", &tile]);
        if adaptive {
            args.extend(["--adaptive", "--noise-threshold", "0.3"]);
        }
        let (o, _) = run_mpi(ranks, &args, dir.path());
        assert!(o.status.success(), "-n {ranks}: {}", stderr(&o));
        let bytes = std::fs::read(dir.path().join(&out)).unwrap();
        let cube = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(cube.shape(), [160, 160, 40]);
        cubes.push(cube.into_vec::<f32>().unwrap());
    }
    assert!(cubes[0] == cubes[1], "uniform: 1 rank and 3 ranks differ");
    assert!(cubes[2] == cubes[3], "adaptive: 1 rank and 2 ranks differ");
}

#[test]
fn observer_results_are_bit_identical_for_any_ranks_and_threads() {
    // No camera: observers alone. A half-lit pixel (real variance, several
    // tasks) and a CCD over a sky with a black ground, in spectral mode.
    let toml = r#"
[spectrum]
min_wavelength = 400
max_wavelength = 700
bins = 5
[sampling]
max_depth = 3
[background]
color = { blackbody = 5800, scale = 1e-7 }
[[observers]]
name = "side"
type = "pixel"
quantity = "power"
size = [0.01, 0.01]
transform = { rotate = [0, 90, 0] }
samples = 10000
[[observers]]
name = "array"
type = "ccd"
pixels = [6, 5]
size = [0.3, 0.25]
transform = { rotate = [-60, 0, 0] }
samples = 300
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("obs.toml"), format!("{toml}{GROUND}")).unwrap();
    let mut outputs = Vec::new();
    for (ranks, threads) in [(1, 2), (2, 1), (3, 2), (4, 1)] {
        let out = format!("n{ranks}.json");
        let threads = threads.to_string();
        let args = ["obs.toml", "--observers-output", &out, "--threads", &threads, "-q"];
        let (o, _) = run_mpi(ranks, &args, dir.path());
        assert!(o.status.success(), "-n {ranks}: {}", stderr(&o));
        let json = std::fs::read(dir.path().join(&out)).unwrap();
        let cube = std::fs::read(dir.path().join("array.npy")).unwrap();
        outputs.push((ranks, json, cube));
    }
    let text = String::from_utf8(outputs[0].1.clone()).unwrap();
    assert!(text.contains("\"unit\": \"W/nm\"") && text.contains("\"file\": \"array.npy\""), "{text}");
    for (ranks, json, cube) in &outputs[1..] {
        assert!(json == &outputs[0].1 && cube == &outputs[0].2, "-n {ranks} differs from -n 1");
    }
}

/// The lines rsrender itself printed (mpirun adds its own banner on abort).
fn our_lines(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("rsrender:")).collect()
}

#[test]
fn every_bad_input_fails_the_whole_job_with_one_message() {
    for b in BAD_INPUTS {
        let f = bad_scene(b);
        let end = mpi_job(3, &b.args(&f), f.dir.path());
        let err = stderr(&end.output);
        assert!(end.failed_by_itself(), "{}: {:?} {err}", b.name, end.output.status);
        let lines = our_lines(&err);
        assert_eq!(lines.len(), 1, "{}: exactly one rank reports: {err}", b.name);
        assert!(lines[0].starts_with("rsrender: rank 0: error: "), "{}: {err}", b.name);
        for e in b.expect {
            assert!(lines[0].contains(e), "{}: `{e}` not in: {err}", b.name);
        }
        let files: Vec<_> = std::fs::read_dir(f.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, vec![std::ffi::OsString::from("scene.toml")], "{}: files left behind", b.name);
    }
}

#[test]
fn a_failure_on_one_rank_ends_the_whole_job() {
    let f = scene_file(&GOOD.replace("spp = 4", "spp = 4000"));
    let mut c = mpirun();
    c.args(["-n", "3", BIN, f.path.to_str().unwrap(), "--tile-size", "2"])
        .env("RSRENDER_FAIL_RANK", "1")
        .current_dir(f.dir.path());
    let end = run_job(c);
    let err = stderr(&end.output);
    assert!(end.failed_by_itself(), "{:?} {err}", end.output.status);
    let lines = our_lines(&err);
    assert!(lines.iter().any(|l| l.starts_with("rsrender: rank 1: error:") && l.contains("injected failure")), "{err}");
    assert!(!f.dir.path().join("out.pfm").exists());
}

#[test]
fn a_rank_that_read_another_scene_stops_the_job() {
    // MPMD launch: rank 0 reads one file, ranks 1 and 2 another.
    let a = scene_file(GOOD);
    let b = a.dir.path().join("other.toml");
    std::fs::write(&b, GOOD.replace("spp = 4", "spp = 5")).unwrap();
    let mut c = mpirun();
    c.args(["-n", "1", BIN, a.path.to_str().unwrap(), ":", "-n", "2", BIN, b.to_str().unwrap()])
        .current_dir(a.dir.path());
    let end = run_job(c);
    let err = stderr(&end.output);
    assert!(end.failed_by_itself(), "{err}");
    let lines = our_lines(&err);
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("rsrender: rank 1: error:") && lines[0].contains("differs from what rank 0 read"),
        "{err}"
    );
    assert!(!a.dir.path().join("out.pfm").exists());
}

#[test]
fn stats_json_has_every_rank_phase_and_tile() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        cornell().to_str().unwrap(),
        "-o",
        "s.png",
        "--spp",
        "2",
        "--tile-size",
        "64",
        "--threads",
        "1",
        "--stats",
        "s.json",
    ];
    let (o, _) = run_mpi(2, &args, dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("rsrender: render") && stdout.contains("communication"), "short report: {stdout}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("s.json")).unwrap()).unwrap();
    for key in ["wall_seconds", "samples_per_second", "imbalance", "comm_share"] {
        assert!(json[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {}", json[key]);
    }
    let ranks = json["ranks"].as_array().unwrap();
    assert_eq!(ranks.len(), 2);
    let mut tiles: Vec<u64> = Vec::new();
    for (r, rank) in ranks.iter().enumerate() {
        assert_eq!(rank["rank"], r as u64);
        assert!(rank["host"].as_str().is_some_and(|h| !h.is_empty()));
        assert_eq!(rank["threads"], 1);
        for phase in ["read", "build", "render"] {
            assert!(rank["phases"][phase].as_f64().is_some(), "rank {r} lacks {phase}");
        }
        for t in rank["tiles"].as_array().unwrap() {
            assert!(t["seconds"].as_f64().is_some_and(|s| s > 0.0));
            tiles.push(t["id"].as_u64().unwrap());
        }
    }
    assert!(ranks[1]["phases"]["send"].as_f64().is_some() && ranks[0]["phases"]["write"].as_f64().is_some());
    tiles.sort();
    assert_eq!(tiles, (0..16).collect::<Vec<u64>>(), "every tile once, 256²/64² = 16");
}

#[test]
fn a_pinned_instruction_set_is_checked_and_ranks_that_differ_are_warned_about() {
    let f = scene_file(GOOD);
    let scene = f.path.to_str().unwrap();
    let isa = rsrender::accel::isa::VARIABLE;
    let mut bad = std::process::Command::new("timeout");
    bad.args(["-k", "10", "120", BIN, scene, "-q"]).env(isa, "avx9000");
    let o = bad.output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("{isa}=avx9000: use one of sse2")), "{}", stderr(&o));
    assert!(!f.dir.path().join("out.pfm").exists());
    // Two ranks pinned to different sets (as on two CPU models): a warning, and the image.
    let mut mixed = mpirun();
    let rank = |set: &str| ["-n".to_string(), "1".into(), "env".into(), format!("{isa}={set}"), BIN.into()];
    mixed.args(rank("sse2")).args([scene, "-q"]).arg(":").args(rank("sse4.2")).args([scene, "-q"]);
    let o = mixed.current_dir(f.dir.path()).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("rank 0: sse2, rank 1: sse4.2") && err.contains(&format!("{isa}=sse2")), "{err}");
    assert_eq!(read_pfm(&f.dir.path().join("out.pfm")).0, 16);
}
