//! STL: binary (80-byte header, triangle count, 50 bytes per triangle) or
//! ASCII (`facet … outer loop vertex x y z ×3 endloop endfacet`). STL stores
//! every triangle's corners apart; corners at exactly the same position are
//! welded into one vertex, which takes a third of the memory and lets
//! `smooth` compute vertex normals. Facet normals are ignored (the winding
//! gives the normal).

use super::{at_line, vec3, Mesh};
use crate::math::Vec3;
use anyhow::{bail, Result};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub fn parse(bytes: &[u8]) -> Result<Mesh> {
    if is_binary(bytes) {
        binary(bytes)
    } else if bytes.trim_ascii_start().starts_with(b"solid") {
        ascii(bytes)
    } else {
        let expected = bytes.get(80..84).map(|b| 84 + 50 * u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
        match expected {
            Some(n) => bail!(
                "binary STL of {} triangles should be {n} bytes, the file has {} (truncated?)",
                n.saturating_sub(84) / 50,
                bytes.len()
            ),
            None => bail!("too short to be an STL file ({} bytes)", bytes.len()),
        }
    }
}

/// A binary file's size is fixed by its triangle count; ASCII files that
/// begin with `solid` rarely match it by chance.
fn is_binary(bytes: &[u8]) -> bool {
    bytes.len() >= 84 && {
        let n = u32::from_le_bytes([bytes[80], bytes[81], bytes[82], bytes[83]]) as u64;
        bytes.len() as u64 == 84 + 50 * n
    }
}

/// Builds a mesh from corners, giving each distinct position one vertex.
#[derive(Default)]
struct Welder {
    mesh: Mesh,
    index: HashMap<[u32; 3], u32, BuildHasherDefault<CornerHasher>>,
}

impl Welder {
    fn with_capacity(triangles: usize) -> Welder {
        let mut w = Welder::default();
        w.mesh.triangles.reserve_exact(triangles);
        // Closed meshes have about half as many vertices as triangles.
        w.index.reserve(triangles / 2);
        w.mesh.positions.reserve(triangles / 2);
        w
    }

    fn vertex(&mut self, p: Vec3) -> u32 {
        let positions = &mut self.mesh.positions;
        *self.index.entry(p.to_array().map(f32::to_bits)).or_insert_with(|| {
            positions.push(p);
            positions.len() as u32 - 1
        })
    }

    fn triangle(&mut self, [a, b, c]: [Vec3; 3]) {
        let t = [self.vertex(a), self.vertex(b), self.vertex(c)];
        self.mesh.triangles.push(t);
    }
}

/// A fast hash for corner positions (their bits), which come from a file
/// and need no protection from crafted collisions beyond a slower load.
#[derive(Default)]
struct CornerHasher(u64);

impl Hasher for CornerHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(b as u32);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        crate::hash::mix64(self.0)
    }
}

fn binary(bytes: &[u8]) -> Result<Mesh> {
    let records = bytes[84..].chunks_exact(50);
    let mut welder = Welder::with_capacity(records.len());
    for record in records {
        let f = |o: usize| f32::from_le_bytes([record[o], record[o + 1], record[o + 2], record[o + 3]]);
        let corner = |v: usize| Vec3::new(f(12 + v * 12), f(16 + v * 12), f(20 + v * 12));
        welder.triangle([corner(0), corner(1), corner(2)]);
    }
    Ok(welder.mesh)
}

fn ascii(bytes: &[u8]) -> Result<Mesh> {
    let text = std::str::from_utf8(bytes).map_err(|e| anyhow::anyhow!("not UTF-8 text at byte {}", e.valid_up_to()))?;
    let mut welder = Welder::default();
    let mut corners = Vec::with_capacity(3);
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let mut words = raw.split_whitespace();
        match words.next() {
            Some("vertex") => corners.push(vec3(&mut words, line)?),
            Some("endloop") => {
                let [a, b, c] = corners[..] else {
                    return Err(at_line(line, format!("a facet needs 3 vertices, got {}", corners.len())));
                };
                welder.triangle([a, b, c]);
                corners.clear();
            }
            _ => {}
        }
    }
    Ok(welder.mesh)
}
