//! A triangle mesh as rendering reads it: positions, corner indices and, for
//! smooth meshes, unit vertex normals. The position buffer ends in one
//! padding vertex that no triangle uses, because the ray tracing kernels load
//! four floats per vertex; the accelerator shares these buffers, never copies.

use super::mesh::Mesh;
use crate::math::{Vec2, Vec3};

#[derive(Clone, Debug)]
pub struct TriMesh {
    /// Vertex positions followed by one padding vertex.
    positions: Vec<Vec3>,
    triangles: Vec<[u32; 3]>,
    /// One unit normal per vertex when smooth, else empty.
    normals: Vec<Vec3>,
    /// Texture coordinates per vertex, or empty.
    uvs: Vec<Vec2>,
}

impl TriMesh {
    /// A loaded mesh, with vertex normals when `smooth` (the file's, else
    /// area-weighted ones).
    pub fn new(mesh: Mesh, smooth: bool) -> TriMesh {
        let normals = if smooth { mesh.vertex_normals() } else { Vec::new() };
        // Readers grow their vectors by doubling; a big mesh keeps only what it uses.
        let mut positions = mesh.positions;
        positions.reserve_exact(1);
        positions.push(Vec3::ZERO);
        positions.shrink_to_fit();
        let mut triangles = mesh.triangles;
        triangles.shrink_to_fit();
        let mut uvs = mesh.uvs;
        uvs.shrink_to_fit();
        TriMesh { positions, triangles, normals, uvs }
    }

    /// Flat triangles from corner triples, three vertices each.
    pub fn from_corners(corners: &[[Vec3; 3]]) -> TriMesh {
        let mut positions: Vec<Vec3> = corners.iter().flatten().copied().collect();
        positions.push(Vec3::ZERO);
        let triangles = (0..corners.len() as u32).map(|i| [3 * i, 3 * i + 1, 3 * i + 2]).collect();
        TriMesh { positions, triangles, normals: Vec::new(), uvs: Vec::new() }
    }

    /// The same triangles with texture coordinates, three per triangle in
    /// corner order (for meshes made by `from_corners`).
    pub fn with_corner_uvs(mut self, uvs: Vec<Vec2>) -> TriMesh {
        debug_assert_eq!(uvs.len(), 3 * self.triangles.len());
        self.uvs = uvs;
        self
    }

    pub fn vertex_count(&self) -> usize {
        self.positions.len() - 1
    }

    pub fn triangle_count(&self) -> usize {
        self.triangles.len()
    }

    /// The positions including the trailing padding vertex, for the accelerator.
    pub fn padded_positions(&self) -> &[Vec3] {
        &self.positions
    }

    pub fn triangles(&self) -> &[[u32; 3]] {
        &self.triangles
    }

    #[inline]
    pub fn corners(&self, prim: u32) -> [Vec3; 3] {
        self.triangles[prim as usize].map(|i| self.positions[i as usize])
    }

    /// The vertex normals interpolated at barycentrics (u, v), not normalised;
    /// `None` for a flat mesh.
    #[inline]
    pub fn interpolated_normal(&self, prim: u32, u: f32, v: f32) -> Option<Vec3> {
        if self.normals.is_empty() {
            return None;
        }
        let [a, b, c] = self.triangles[prim as usize].map(|i| self.normals[i as usize]);
        Some(a * (1.0 - u - v) + b * u + c * v)
    }

    /// The texture coordinates at barycentrics (u, v); `None` without them.
    #[inline]
    pub fn uv(&self, prim: u32, u: f32, v: f32) -> Option<Vec2> {
        if self.uvs.is_empty() {
            return None;
        }
        let [a, b, c] = self.triangles[prim as usize].map(|i| self.uvs[i as usize]);
        Some(a * (1.0 - u - v) + b * u + c * v)
    }

    /// ∂p/∂u of triangle `prim` in the mesh's space, from its corners and
    /// texture coordinates; `None` without them or where the UVs collapse.
    pub fn dpdu(&self, prim: u32) -> Option<Vec3> {
        if self.uvs.is_empty() {
            return None;
        }
        let [i, j, k] = self.triangles[prim as usize];
        let [a, b, c] = [i, j, k].map(|v| self.positions[v as usize]);
        let [ta, tb, tc] = [i, j, k].map(|v| self.uvs[v as usize]);
        let (duv_ac, duv_bc) = (ta - tc, tb - tc);
        let det = duv_ac.x * duv_bc.y - duv_ac.y * duv_bc.x;
        (det.abs() > 1e-12).then(|| ((a - c) * duv_bc.y - (b - c) * duv_ac.y) / det)
    }

    /// Barycentrics (u, v) of a point `p` in (the plane of) triangle `prim`.
    pub fn barycentrics(&self, prim: u32, p: Vec3) -> Vec2 {
        let [a, b, c] = self.corners(prim);
        let (e1, e2, d) = (b - a, c - a, p - a);
        let (d11, d12, d22) = (e1.dot(e1), e1.dot(e2), e2.dot(e2));
        let (d1p, d2p) = (e1.dot(d), e2.dot(d));
        let det = d11 * d22 - d12 * d12;
        if det <= 0.0 {
            return Vec2::ZERO;
        }
        Vec2::new((d22 * d1p - d12 * d2p) / det, (d11 * d2p - d12 * d1p) / det)
    }

    /// Bytes of memory the mesh holds.
    pub fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.positions.capacity() * size_of::<Vec3>()
            + self.triangles.capacity() * size_of::<[u32; 3]>()
            + self.normals.capacity() * size_of::<Vec3>()
            + self.uvs.capacity() * size_of::<Vec2>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_keep_their_order_and_padding_is_not_a_vertex() {
        let m = TriMesh::from_corners(&[[Vec3::ZERO, Vec3::X, Vec3::Y]]);
        assert_eq!(m.vertex_count(), 3);
        assert_eq!(m.padded_positions().len(), 4);
        assert_eq!(m.corners(0), [Vec3::ZERO, Vec3::X, Vec3::Y]);
        assert!(m.interpolated_normal(0, 0.2, 0.3).is_none());
    }
}
