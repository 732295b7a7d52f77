//! Meshes from files: the three formats render the same physics, images stay
//! bit-identical across ranks with meshes, and broken mesh files are refused
//! before rendering with the file (and line) named, on any rank count.

mod common;
use common::*;
use rsrender::geometry::mesh::generate::{self, PlyEncoding};
use rsrender::settings::Overrides;
use std::path::Path;

/// A white furnace looking at a mesh file `file` of reflectance 0.5.
fn furnace(file: &str, extent: f32) -> String {
    let body = format!(
        "[materials.grey]\ntype = \"diffuse\"\nreflectance = [0.5, 0.5, 0.5]\n[[shapes]]\ntype = \"mesh\"\n\
         file = \"{file}\"\nmaterial = \"grey\"\ntransform = {{ rotate = [10, 20, 0] }}\n"
    );
    common::inputs::furnace(extent, &body)
}

fn write_all_formats(dir: &Path) -> Vec<&'static str> {
    let sphere = generate::icosphere(3, 0.0);
    generate::write_obj(&sphere, &dir.join("sphere.obj")).unwrap();
    generate::write_ply(&sphere, &dir.join("sphere-le.ply"), PlyEncoding::Little).unwrap();
    generate::write_ply(&sphere, &dir.join("sphere-be.ply"), PlyEncoding::Big).unwrap();
    generate::write_ply(&sphere, &dir.join("sphere-ascii.ply"), PlyEncoding::Ascii).unwrap();
    generate::write_stl(&sphere, &dir.join("sphere.stl"), true).unwrap();
    generate::write_stl(&sphere, &dir.join("sphere-ascii.stl"), false).unwrap();
    vec!["sphere.obj", "sphere-le.ply", "sphere-be.ply", "sphere-ascii.ply", "sphere.stl", "sphere-ascii.stl"]
}

#[test]
fn a_closed_tessellated_sphere_renders_its_reflectance_from_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut images = Vec::new();
    for file in write_all_formats(dir.path()) {
        // Inside the silhouette: every pixel sees the (convex) mesh.
        let (_, rgb) = render_in(dir.path(), &furnace(file, 1.0), &Overrides::default(), 2);
        let m = channel_means(&rgb);
        assert_close(m[0], 0.5, 0.01, file);
        images.push((file, rgb));
    }
    // The same triangles, whatever the file format: the same image.
    for (file, rgb) in &images[1..] {
        assert!(rgb == &images[0].1, "{file} renders differently from {}", images[0].0);
    }
}

#[test]
fn mesh_images_are_bit_identical_across_ranks_threads_and_tiles() {
    let dir = tempfile::tempdir().unwrap();
    let terrain = generate::terrain(120, 0.2); // big enough for a parallel BVH build
    generate::write_ply(&terrain, &dir.path().join("terrain.ply"), PlyEncoding::Little).unwrap();
    let toml = furnace("terrain.ply", 2.5).replace("position = [0, 0, 10]", "position = [0, 10, 3]");
    std::fs::write(dir.path().join("scene.toml"), &toml).unwrap();
    let mut images = Vec::new();
    // Ranks, tile size and threads (which also build the BVH) all change.
    for (ranks, tile, threads) in [(1, "16", "2"), (3, "5", "1")] {
        let out = format!("n{ranks}.pfm");
        let (o, _) =
            run_mpi(ranks, &["scene.toml", "-o", &out, "--tile-size", tile, "--threads", threads, "-q"], dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
        images.push(std::fs::read(dir.path().join(&out)).unwrap());
    }
    assert!(images[0] == images[1], "-n 1 and -n 3 differ");
}

/// (name, mesh file name, contents, what the error must say)
fn broken_meshes() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    let good = generate::icosphere(1, 0.0);
    let dir = tempfile::tempdir().unwrap();
    generate::write_stl(&good, &dir.path().join("a.stl"), true).unwrap();
    let stl = std::fs::read(dir.path().join("a.stl")).unwrap();
    generate::write_ply(&good, &dir.path().join("a.ply"), PlyEncoding::Big).unwrap();
    let ply = std::fs::read(dir.path().join("a.ply")).unwrap();
    vec![
        ("malformed line", "m.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 oops\nf 1 2 3\n".to_vec(), "line 3"),
        ("index out of range", "m.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n".to_vec(), "out of range"),
        ("NaN coordinates", "m.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 nan\nf 1 2 3\n".to_vec(), "finite"),
        ("infinite coordinates", "m.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 inf\nf 1 2 3\n".to_vec(), "finite"),
        ("empty mesh", "m.obj", b"# no faces\nv 0 0 0\n".to_vec(), "no triangles"),
        ("truncated binary STL", "m.stl", stl[..stl.len() - 10].to_vec(), "truncated"),
        ("truncated binary PLY", "m.ply", ply[..ply.len() - 10].to_vec(), "truncated"),
        ("PLY without faces or strips", "m.ply", b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement range_grid 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n".to_vec(), "`range_grid` (vertex_indices)"),
        ("ASCII PLY that is not text", "m.ply", b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 \xff 0\n".to_vec(), "not UTF-8"),
        ("PLY index out of range", "m.ply", b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n".to_vec(), "refers to vertex 7"),
    ]
}

#[test]
fn broken_mesh_files_are_refused_before_rendering_on_any_rank_count() {
    for (name, file, bytes, expect) in broken_meshes() {
        for ranks in [1, 3] {
            let f = scene_file(&furnace(file, 1.0));
            std::fs::write(f.dir.path().join(file), &bytes).unwrap();
            let (o, _) = if ranks == 1 {
                run_alone(&[f.path.to_str().unwrap()], f.dir.path())
            } else {
                run_mpi(ranks, &[f.path.to_str().unwrap()], f.dir.path())
            };
            let err = stderr(&o);
            assert!(!o.status.success() && o.status.code() != Some(124), "{name}, {ranks} ranks: {err}");
            let line = err
                .lines()
                .find(|l| l.starts_with("rsrender: rank 0: error:"))
                .unwrap_or_else(|| panic!("{name}: {err}"));
            for e in ["shapes[0].file", file, expect] {
                assert!(line.contains(e), "{name}, {ranks} ranks: `{e}` not in: {line}");
            }
            assert!(!f.dir.path().join("out.pfm").exists(), "{name}: nothing written");
        }
    }
}

#[test]
fn a_missing_mesh_file_is_named() {
    let f = scene_file(&furnace("nowhere.obj", 1.0));
    let (o, _) = run_alone(&[f.path.to_str().unwrap()], f.dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("scene.toml:") && err.contains("shapes[0].file") && err.contains("nowhere.obj"), "{err}");
}

/// Largest angle (degrees) between the rendered normal and the true
/// sphere's, over pixels well inside the silhouette (where the normal turns
/// slowly across a pixel, so the pixel's mean is its centre's normal).
fn worst_normal_error(dir: &Path, file: &str, smooth: bool) -> f64 {
    let toml = furnace(file, 1.2)
        .replace("[sampling]", "[render]\nintegrator = \"normals\"\n[sampling]")
        .replace("material = \"grey\"", &format!("material = \"grey\"\nsmooth = {smooth}"));
    let (s, rgb) = render_in(dir, &toml, &Overrides { spp: Some(64), ..Overrides::default() }, 2);
    let (w, h) = (s.width as usize, s.height as usize);
    let mut worst = 0.0f64;
    for y in 0..h {
        for x in 0..w {
            let px = ((x as f64 + 0.5) / w as f64 - 0.5) * 1.2;
            let py = (0.5 - (y as f64 + 0.5) / h as f64) * 1.2;
            if px * px + py * py > 0.7 * 0.7 {
                continue;
            }
            let i = (y * w + x) * 3;
            let n: Vec<f64> = rgb[i..i + 3].iter().map(|&c| c as f64 * 2.0 - 1.0).collect();
            let truth = [px, py, (1.0 - px * px - py * py).sqrt()];
            let len = n.iter().map(|c| c * c).sum::<f64>().sqrt();
            let cos = (n[0] * truth[0] + n[1] * truth[1] + n[2] * truth[2]) / len;
            worst = worst.max(cos.clamp(-1.0, 1.0).acos().to_degrees());
        }
    }
    worst
}

#[test]
fn smooth_meshes_interpolate_file_or_area_weighted_normals() {
    let dir = tempfile::tempdir().unwrap();
    let sphere = generate::icosphere(3, 0.0);
    generate::write_obj(&sphere, &dir.path().join("with-normals.obj")).unwrap();
    generate::write_ply(&sphere, &dir.path().join("without-normals.ply"), PlyEncoding::Little).unwrap();
    generate::write_stl(&sphere, &dir.path().join("welded.stl"), true).unwrap();
    let flat = worst_normal_error(dir.path(), "with-normals.obj", false);
    for file in ["with-normals.obj", "without-normals.ply", "welded.stl"] {
        let smooth = worst_normal_error(dir.path(), file, true);
        assert!(smooth < 1.0, "{file}: smooth normals off by up to {smooth:.2}°");
        assert!(smooth * 2.0 < flat, "{file}: smooth {smooth:.2}° should beat flat {flat:.2}° clearly");
    }
}
