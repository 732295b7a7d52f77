//! Wavefront OBJ: `v`, `vn` and `f` (any polygon, fan-triangulated; indices
//! `v`, `v/vt`, `v//vn`, `v/vt/vn`, negative ones relative to the end). Other
//! statements (groups, materials, texture coordinates, lines) are ignored.

use super::{at_line, vec3, Mesh};
use crate::math::Vec3;
use anyhow::Result;

pub fn parse(bytes: &[u8]) -> Result<Mesh> {
    let text = std::str::from_utf8(bytes).map_err(|e| anyhow::anyhow!("not UTF-8 text at byte {}", e.valid_up_to()))?;
    let mut mesh = Mesh::default();
    let mut normals = Vec::new();
    // Per face corner: the normal index given, to place normals per vertex.
    let mut corner_normals: Vec<(u32, u32)> = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let mut words = raw.split_whitespace();
        match words.next() {
            Some("v") => mesh.positions.push(vec3(&mut words, line)?),
            Some("vn") => normals.push(vec3(&mut words, line)?),
            Some("f") => {
                let corners: Vec<(u32, Option<u32>)> =
                    words.map(|w| corner(w, mesh.positions.len(), normals.len(), line)).collect::<Result<_>>()?;
                if corners.len() < 3 {
                    return Err(at_line(line, format!("a face needs at least 3 vertices, got {}", corners.len())));
                }
                for i in 1..corners.len() - 1 {
                    mesh.triangles.push([corners[0].0, corners[i].0, corners[i + 1].0]);
                }
                corner_normals.extend(corners.iter().filter_map(|&(v, n)| n.map(|n| (v, n))));
            }
            _ => {}
        }
    }
    if !normals.is_empty() && !corner_normals.is_empty() {
        let mut per_vertex = vec![Vec3::ZERO; mesh.positions.len()];
        for (v, n) in corner_normals {
            per_vertex[v as usize] = normals[n as usize];
        }
        mesh.normals = per_vertex;
    }
    Ok(mesh)
}

/// One face corner: vertex index and optional normal index, 0-based.
fn corner(word: &str, vertices: usize, normals: usize, line: usize) -> Result<(u32, Option<u32>)> {
    let mut parts = word.split('/');
    let v = index(parts.next().unwrap_or(""), vertices, "vertex", line)?;
    let n = match parts.nth(1) {
        Some(n) if !n.is_empty() => Some(index(n, normals, "normal", line)?),
        _ => None,
    };
    Ok((v, n))
}

fn index(word: &str, count: usize, what: &str, line: usize) -> Result<u32> {
    let i: i64 = word.parse().map_err(|_| at_line(line, format!("`{word}` is not a {what} index")))?;
    let resolved = if i < 0 { count as i64 + i } else { i - 1 };
    if i == 0 || resolved < 0 || resolved >= count as i64 {
        return Err(at_line(line, format!("{what} index {i} is out of range (there are {count} so far)")));
    }
    Ok(resolved as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_negative_indices_and_normals() {
        let src = "o thing\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvn 0 0 1\nvt 0 0\nf 1//1 2//1 3//1 4//1\nf -4 -3 -2\n";
        let m = parse(src.as_bytes()).unwrap();
        assert_eq!(m.triangles, vec![[0, 1, 2], [0, 2, 3], [0, 1, 2]]);
        assert_eq!(m.normals.len(), 4);
        assert_eq!(m.normals[3], Vec3::Z);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse(b"v 0 0 0\nv 1 0 zero\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("zero"), "{e}");
        let e = parse(b"v 0 0 0\nf 1 2 3\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("out of range"), "{e}");
    }
}
