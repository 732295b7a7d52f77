//! Whether a node has room to build the scene: every rank on a node builds
//! its own BVHs, which at their peak take about `BUILD_BYTES_PER_TRIANGLE`
//! per stored triangle. Checked after the meshes are read and before any
//! rank starts building, so that a scene too big for the chosen layout stops
//! with advice instead of being killed by the kernel's out-of-memory killer
//! in the middle of the job.

use super::load::LoadedScene;
use anyhow::{bail, Result};

/// Embree's peak while building (its final BVH is about 63 bytes per
/// triangle, plus build records), with room for smooth normals; measured
/// with `cargo bench --bench accel` (96 bytes).
pub const BUILD_BYTES_PER_TRIANGLE: u64 = 110;

/// Fails when `ranks_on_node` builds of `loaded` need more than `available`
/// bytes (unknown: no check).
pub fn check(loaded: &LoadedScene, ranks_on_node: usize, available: Option<u64>) -> Result<()> {
    let triangles: u64 = loaded.meshes.iter().map(|m| m.mesh.triangles.len() as u64).sum();
    check_triangles(triangles, ranks_on_node, available)
}

fn check_triangles(triangles: u64, ranks_on_node: usize, available: Option<u64>) -> Result<()> {
    let per_rank = triangles * BUILD_BYTES_PER_TRIANGLE;
    let needed = per_rank * ranks_on_node.max(1) as u64;
    let Some(available) = available else {
        return Ok(());
    };
    if needed > available {
        let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
        bail!(
            "building the BVH of {triangles} triangles needs about {:.1} GiB on each of the {ranks_on_node} \
             ranks on this node ({:.1} GiB in all), but the node has {:.1} GiB available; run fewer ranks per \
             node, each with more threads (slurm/rsrender-hybrid.sbatch), or use nodes with more memory",
            gib(per_rank),
            gib(needed),
            gib(available)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_on_a_node_share_its_memory() {
        let million = 1_000_000;
        let one_build = million * BUILD_BYTES_PER_TRIANGLE;
        assert!(check_triangles(million, 1, Some(one_build)).is_ok());
        assert!(check_triangles(million, 4, None).is_ok());
        let e = check_triangles(million, 4, Some(3 * one_build)).unwrap_err().to_string();
        assert!(e.contains("4 ranks on this node") && e.contains("fewer ranks per node"), "{e}");
        assert!(check_triangles(million, 3, Some(3 * one_build)).is_ok());
    }
}
