//! Triangle meshes read from files: `.obj` (polygons fan-triangulated,
//! groups and `.mtl` ignored), `.ply` (ASCII, binary little- and big-endian,
//! float or double vertices, list faces) and `.stl` (ASCII and binary). Every
//! mistake names the file and, for text formats, the line; a mesh is checked
//! (finite coordinates, indices in range, at least one triangle) before use.
//!
//! ```
//! # use rsrender::geometry::mesh;
//! # fn usage() -> anyhow::Result<()> {
//! let (mesh, hash) = mesh::load(std::path::Path::new("bunny.ply"))?;
//! # Ok(()) }
//! ```

pub mod generate;
mod obj;
mod ply;
mod stl;

use crate::math::{Vec2, Vec3};
use anyhow::{bail, Context, Result};
use std::path::Path;

/// How a PLY file stores its body: its `format` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlyEncoding {
    Ascii,
    Little,
    Big,
}

impl PlyEncoding {
    /// The name in the `format` line.
    pub fn header_name(self) -> &'static str {
        match self {
            PlyEncoding::Ascii => "ascii",
            PlyEncoding::Little => "binary_little_endian",
            PlyEncoding::Big => "binary_big_endian",
        }
    }

    pub fn from_header_name(name: &str) -> Option<PlyEncoding> {
        [PlyEncoding::Ascii, PlyEncoding::Little, PlyEncoding::Big].into_iter().find(|e| e.header_name() == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mesh {
    pub positions: Vec<Vec3>,
    pub triangles: Vec<[u32; 3]>,
    /// One per position when the file has vertex normals, else empty.
    pub normals: Vec<Vec3>,
    /// One per position when the file has texture coordinates, else empty
    /// (image convention: v = 0 at the top row).
    pub uvs: Vec<Vec2>,
}

/// The mesh in `path`, and a hash of the file's bytes (ranks compare it).
pub fn load(path: &Path) -> Result<(Mesh, u64)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read mesh file {}", path.display()))?;
    let hash = crate::hash::hash_bytes(&bytes);
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let mesh = match ext.as_deref() {
        Some("obj") => obj::parse(&bytes),
        Some("ply") => ply::parse(&bytes),
        Some("stl") => stl::parse(&bytes),
        _ => bail!("mesh file {}: unknown format; use .obj, .ply or .stl", path.display()),
    }
    .with_context(|| format!("mesh file {}", path.display()))?;
    mesh.check().with_context(|| format!("mesh file {}", path.display()))?;
    Ok((mesh, hash))
}

impl Mesh {
    /// Unit normals per vertex: the file's where it has them, else the
    /// area-weighted average of the faces around each vertex.
    pub fn vertex_normals(&self) -> Vec<Vec3> {
        if !self.normals.is_empty() {
            return self.normals.iter().map(|n| n.normalize_or_zero()).collect();
        }
        let mut sum = vec![Vec3::ZERO; self.positions.len()];
        for &[a, b, c] in &self.triangles {
            let p = |i: u32| self.positions[i as usize];
            // The cross product's length is twice the area: area weighting.
            let n = (p(b) - p(a)).cross(p(c) - p(a));
            for i in [a, b, c] {
                sum[i as usize] += n;
            }
        }
        sum.into_iter().map(|n| n.normalize_or_zero()).collect()
    }

    fn check(&self) -> Result<()> {
        if self.triangles.is_empty() {
            bail!("the mesh has no triangles");
        }
        if let Some(i) = self.positions.iter().position(|p| !p.is_finite()) {
            bail!("vertex {i} has a coordinate that is not a finite number");
        }
        let n = self.positions.len();
        if let Some((t, tri)) = self.triangles.iter().enumerate().find(|(_, t)| t.iter().any(|&i| i as usize >= n)) {
            bail!("triangle {t} refers to vertex {} but the mesh has {n} vertices", tri.iter().max().unwrap_or(&0));
        }
        if !self.normals.is_empty() && self.normals.len() != n {
            bail!("{} vertex normals for {n} vertices", self.normals.len());
        }
        if !self.uvs.is_empty() && self.uvs.len() != n {
            bail!("{} texture coordinates for {n} vertices", self.uvs.len());
        }
        if let Some(i) = self.uvs.iter().position(|uv| !uv.is_finite()) {
            bail!("vertex {i} has a texture coordinate that is not a finite number");
        }
        Ok(())
    }
}

/// Three numbers from a text line (`v x y z`, `vertex x y z`), or a
/// line-numbered error.
fn vec3<'a>(words: &mut impl Iterator<Item = &'a str>, line: usize) -> Result<Vec3> {
    let mut v = [0.0f32; 3];
    for c in &mut v {
        let w = words.next().ok_or_else(|| at_line(line, "expected three numbers"))?;
        *c = w.parse().map_err(|_| at_line(line, format!("`{w}` is not a number")))?;
    }
    Ok(Vec3::from(v))
}

/// A line-numbered error for the text formats.
fn at_line(line: usize, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("line {line}: {message}")
}
