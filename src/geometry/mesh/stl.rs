//! STL: binary (80-byte header, triangle count, 50 bytes per triangle) or
//! ASCII (`facet … outer loop vertex x y z ×3 endloop endfacet`). STL stores
//! triangles apart, so vertices are not shared and there are no vertex
//! normals; facet normals are ignored (the winding gives the normal).

use super::{at_line, Mesh};
use crate::math::Vec3;
use anyhow::{bail, Result};

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

fn binary(bytes: &[u8]) -> Result<Mesh> {
    let mut mesh = Mesh::default();
    for record in bytes[84..].chunks_exact(50) {
        let f = |o: usize| f32::from_le_bytes([record[o], record[o + 1], record[o + 2], record[o + 3]]);
        let base = mesh.positions.len() as u32;
        for v in 0..3 {
            let o = 12 + v * 12;
            mesh.positions.push(Vec3::new(f(o), f(o + 4), f(o + 8)));
        }
        mesh.triangles.push([base, base + 1, base + 2]);
    }
    Ok(mesh)
}

fn ascii(bytes: &[u8]) -> Result<Mesh> {
    let text = std::str::from_utf8(bytes).map_err(|e| anyhow::anyhow!("not UTF-8 text at byte {}", e.valid_up_to()))?;
    let mut mesh = Mesh::default();
    let mut corners = 0;
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let mut words = raw.split_whitespace();
        match words.next() {
            Some("vertex") => {
                let mut v = [0.0f32; 3];
                for c in &mut v {
                    let w = words.next().ok_or_else(|| at_line(line, "expected three numbers"))?;
                    *c = w.parse().map_err(|_| at_line(line, format!("`{w}` is not a number")))?;
                }
                mesh.positions.push(Vec3::from(v));
                corners += 1;
            }
            Some("endloop") => {
                if corners != 3 {
                    return Err(at_line(line, format!("a facet needs 3 vertices, got {corners}")));
                }
                let base = mesh.positions.len() as u32 - 3;
                mesh.triangles.push([base, base + 1, base + 2]);
                corners = 0;
            }
            _ => {}
        }
    }
    Ok(mesh)
}
