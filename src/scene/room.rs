//! Whether a node has room to build the scene: every rank on a node builds
//! its own BVHs, which at their peak take about `BUILD_BYTES_PER_TRIANGLE`
//! per stored triangle. Checked after the meshes are read and before any
//! rank starts building, so that a scene too big for the chosen layout stops
//! with advice instead of being killed by the kernel's out-of-memory killer
//! in the middle of the job. "Available" is the node's MemAvailable, or the
//! room left in the job's memory control group when that is less.

use super::desc::MaterialDesc;
use super::load::LoadedScene;
use anyhow::{bail, Result};
use std::path::Path;

/// Embree's peak while building (its final BVH is about 63 bytes per
/// triangle, plus build records), with room for smooth normals; measured
/// with `cargo bench --bench accel` (96 bytes).
pub const BUILD_BYTES_PER_TRIANGLE: u64 = 110;

/// An emissive mesh's light table (`light::Emitter`): a 64-bit threshold,
/// an alias and a probability per triangle.
pub const EMITTER_BYTES_PER_TRIANGLE: u64 = 16;

/// Fails when `ranks_on_node` builds of `loaded` need more than `available`
/// bytes (unknown: no check).
pub fn check(loaded: &LoadedScene, ranks_on_node: usize, available: Option<u64>) -> Result<()> {
    let triangles: u64 = loaded.meshes.iter().map(|m| m.mesh.triangles.len() as u64).sum();
    let per_rank = triangles * BUILD_BYTES_PER_TRIANGLE
        + emissive_triangles(loaded) * EMITTER_BYTES_PER_TRIANGLE
        + loaded.texture_bytes;
    check_bytes(triangles, per_rank, ranks_on_node, available)
}

/// Triangles of the meshes that some emissive shape places (each mesh once).
fn emissive_triangles(loaded: &LoadedScene) -> u64 {
    let materials: Vec<&MaterialDesc> = loaded.desc.materials.values().collect();
    let mut emissive = vec![false; loaded.meshes.len()];
    for (shape, mesh) in loaded.checked.shapes.iter().zip(&loaded.shape_mesh) {
        if let (Some(k), true) = (mesh, materials[shape.material as usize].emits()) {
            emissive[*k] = true;
        }
    }
    loaded.meshes.iter().zip(emissive).filter(|(_, e)| *e).map(|(m, _)| m.mesh.triangles.len() as u64).sum()
}

/// Fails when `ranks_on_node` ranks that each need `per_rank` bytes to build
/// a scene of `triangles` do not fit in `available`.
fn check_bytes(triangles: u64, per_rank: u64, ranks_on_node: usize, available: Option<u64>) -> Result<()> {
    let needed = per_rank * ranks_on_node.max(1) as u64;
    let Some(available) = available else {
        return Ok(());
    };
    if needed > available {
        let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
        bail!(
            "building the BVH of {triangles} triangles (with lights and textures) needs about {:.1} GiB on each of the {ranks_on_node} \
             ranks on this node ({:.1} GiB in all), but the node has {:.1} GiB available; run fewer ranks per \
             node, each with more threads (slurm/rsrender-hybrid.sbatch), or use nodes with more memory",
            gib(per_rank),
            gib(needed),
            gib(available)
        );
    }
    Ok(())
}

/// Bytes this process can still get: the node's MemAvailable, or less when
/// the job runs in a memory-limited control group (Slurm's `--mem`, a
/// container), whose remaining room then counts.
pub fn available_memory() -> Option<u64> {
    let node = std::fs::read_to_string("/proc/meminfo").ok().and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib * 1024)
    });
    let own = std::fs::read_to_string("/proc/self/cgroup").ok();
    let group = own.and_then(|c| cgroup_room(Path::new("/sys/fs/cgroup"), &c));
    match (node, group) {
        (Some(n), Some(g)) => Some(n.min(g)),
        (n, g) => n.or(g),
    }
}

/// The least room (limit − usage) among this process's memory control
/// groups and their ancestors, cgroup v2 (`0::/path`) or v1 (`N:memory:/path`),
/// given the contents of /proc/self/cgroup; `None` when nothing limits memory.
fn cgroup_room(root: &Path, proc_cgroup: &str) -> Option<u64> {
    let (dir, limit, usage) = proc_cgroup.lines().find_map(|line| {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        match controllers {
            "" => Some((root.join(path.trim_start_matches('/')), "memory.max", "memory.current")),
            c if c.split(',').any(|c| c == "memory") => Some((
                root.join("memory").join(path.trim_start_matches('/')),
                "memory.limit_in_bytes",
                "memory.usage_in_bytes",
            )),
            _ => None,
        }
    })?;
    let read = |d: &Path, f: &str| std::fs::read_to_string(d.join(f)).ok()?.trim().parse::<u64>().ok();
    dir.ancestors()
        .take_while(|d| d.starts_with(root))
        // An unset limit reads `max` (v2) or a number near 2^63 (v1).
        .filter_map(|d| Some((read(d, limit).filter(|&l| l < 1 << 60)?, read(d, usage)?)))
        .map(|(limit, usage)| limit.saturating_sub(usage))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tightest_control_group_limits_the_room() {
        let root = tempfile::tempdir().unwrap();
        let job = root.path().join("slurm/job_7");
        let step = job.join("step_0");
        std::fs::create_dir_all(&step).unwrap();
        std::fs::write(job.join("memory.max"), "1000\n").unwrap();
        std::fs::write(job.join("memory.current"), "300\n").unwrap();
        std::fs::write(step.join("memory.max"), "max\n").unwrap();
        std::fs::write(step.join("memory.current"), "200\n").unwrap();
        assert_eq!(cgroup_room(root.path(), "0::/slurm/job_7/step_0\n"), Some(700));
        std::fs::write(step.join("memory.max"), "250\n").unwrap();
        assert_eq!(cgroup_room(root.path(), "0::/slurm/job_7/step_0\n"), Some(50));
        // Version 1 keeps memory under its own hierarchy.
        let v1 = root.path().join("memory/job");
        std::fs::create_dir_all(&v1).unwrap();
        std::fs::write(v1.join("memory.limit_in_bytes"), "5000").unwrap();
        std::fs::write(v1.join("memory.usage_in_bytes"), "1000").unwrap();
        assert_eq!(cgroup_room(root.path(), "4:memory:/job\n0::/\n"), Some(4000));
        std::fs::write(v1.join("memory.limit_in_bytes"), "9223372036854771712").unwrap();
        assert_eq!(cgroup_room(root.path(), "4:memory:/job\n"), None);
        assert!(available_memory().is_some_and(|b| b > 0));
    }

    #[test]
    fn ranks_on_a_node_share_its_memory() {
        let million = 1_000_000;
        let one_build = million * BUILD_BYTES_PER_TRIANGLE;
        assert!(check_bytes(million, one_build, 1, Some(one_build)).is_ok());
        assert!(check_bytes(million, one_build, 4, None).is_ok());
        let e = check_bytes(million, one_build, 4, Some(3 * one_build)).unwrap_err().to_string();
        assert!(e.contains("4 ranks on this node") && e.contains("fewer ranks per node"), "{e}");
        assert!(check_bytes(million, one_build, 3, Some(3 * one_build)).is_ok());
    }
}
