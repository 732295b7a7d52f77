//! Wavefront OBJ: `v`, `vt`, `vn` and `f` (any polygon, fan-triangulated;
//! indices `v`, `v/vt`, `v//vn`, `v/vt/vn`, negative ones relative to the
//! end). A vertex used with different texture coordinates or normals
//! becomes one vertex per combination (seams stay sharp). `vt` are read as
//! (u, 1 − v), Mitsuba 3's convention, so that v = 0 is the image's top row
//! and a textured OBJ looks as it does in a modeller. Other statements
//! (groups, materials, lines) are ignored.

use super::{at_line, vec3, Mesh};
use crate::math::{Vec2, Vec3};
use anyhow::Result;
use std::collections::HashMap;

/// A face corner: position index, and texture coordinate and normal indices
/// when given (0-based).
type Corner = (u32, Option<u32>, Option<u32>);

pub fn parse(bytes: &[u8]) -> Result<Mesh> {
    let text = std::str::from_utf8(bytes).map_err(|e| anyhow::anyhow!("not UTF-8 text at byte {}", e.valid_up_to()))?;
    let (mut positions, mut texcoords, mut normals) = (Vec::new(), Vec::new(), Vec::new());
    let mut triangles: Vec<[Corner; 3]> = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let mut words = raw.split_whitespace();
        match words.next() {
            Some("v") => positions.push(vec3(&mut words, line)?),
            Some("vn") => normals.push(vec3(&mut words, line)?),
            Some("vt") => texcoords.push(texcoord(&mut words, line)?),
            Some("f") => {
                let counts = (positions.len(), texcoords.len(), normals.len());
                let corners: Vec<Corner> = words.map(|w| corner(w, counts, line)).collect::<Result<_>>()?;
                if corners.len() < 3 {
                    return Err(at_line(line, format!("a face needs at least 3 vertices, got {}", corners.len())));
                }
                for i in 1..corners.len() - 1 {
                    triangles.push([corners[0], corners[i], corners[i + 1]]);
                }
            }
            _ => {}
        }
    }
    Ok(assemble(positions, (texcoords, normals), triangles))
}

/// Texture coordinates and normals only when every corner has them; a
/// vertex keeps its index unless it is used with several of them, and then
/// becomes one vertex per combination.
fn assemble(positions: Vec<Vec3>, (texcoords, normals): (Vec<Vec2>, Vec<Vec3>), triangles: Vec<[Corner; 3]>) -> Mesh {
    let all = |f: fn(&Corner) -> bool| triangles.iter().flatten().all(f);
    let (with_uv, with_normal) = (all(|c| c.1.is_some()), all(|c| c.2.is_some()));
    let key = |c: &Corner| (c.0, c.1.filter(|_| with_uv), c.2.filter(|_| with_normal));
    // The attributes each vertex is used with, if always the same.
    let mut used: Vec<Option<Corner>> = vec![None; positions.len()];
    let consistent = triangles.iter().flatten().all(|c| *used[c.0 as usize].get_or_insert(key(c)) == key(c));
    let mut mesh = Mesh::default();
    if consistent {
        let attribute = |v: usize, pick: &dyn Fn(&Corner) -> Option<u32>| used[v].as_ref().and_then(pick);
        if with_uv {
            mesh.uvs = (0..positions.len())
                .map(|v| attribute(v, &|c| c.1).map_or(Vec2::ZERO, |t| texcoords[t as usize]))
                .collect();
        }
        if with_normal {
            mesh.normals = (0..positions.len())
                .map(|v| attribute(v, &|c| c.2).map_or(Vec3::ZERO, |n| normals[n as usize]))
                .collect();
        }
        mesh.triangles = triangles.iter().map(|t| t.map(|c| c.0)).collect();
        mesh.positions = positions;
        return mesh;
    }
    let mut index: HashMap<Corner, u32> = HashMap::new();
    for t in &triangles {
        let tri = t.map(|c| {
            let key = key(&c);
            *index.entry(key).or_insert_with(|| {
                mesh.positions.push(positions[key.0 as usize]);
                if let Some(t) = key.1 {
                    mesh.uvs.push(texcoords[t as usize]);
                }
                if let Some(n) = key.2 {
                    mesh.normals.push(normals[n as usize]);
                }
                mesh.positions.len() as u32 - 1
            })
        });
        mesh.triangles.push(tri);
    }
    mesh
}

/// `vt u v`: stored as (u, 1 − v); a missing v is 0.
fn texcoord<'a>(words: &mut impl Iterator<Item = &'a str>, line: usize) -> Result<Vec2> {
    let mut number = |default: Option<f32>| -> Result<f32> {
        match (words.next(), default) {
            (Some(w), _) => w.parse().map_err(|_| at_line(line, format!("`{w}` is not a number"))),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(at_line(line, "expected a texture coordinate")),
        }
    };
    let u = number(None)?;
    let v = number(Some(0.0))?;
    Ok(Vec2::new(u, 1.0 - v))
}

fn corner(word: &str, (vertices, texcoords, normals): (usize, usize, usize), line: usize) -> Result<Corner> {
    let mut parts = word.split('/');
    let v = index(parts.next().unwrap_or(""), vertices, "vertex", line)?;
    let mut optional = |count: usize, what: &str| match parts.next() {
        Some(i) if !i.is_empty() => index(i, count, what, line).map(Some),
        _ => Ok(None),
    };
    let t = optional(texcoords, "texture coordinate")?;
    let n = optional(normals, "normal")?;
    Ok((v, t, n))
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
        let src = "o thing\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvn 0 0 1\nvt 0 0\nf 1//1 2//1 3//1 4//1\nf -4//1 -3//1 -2//1\n";
        let m = parse(src.as_bytes()).unwrap();
        assert_eq!(m.triangles, vec![[0, 1, 2], [0, 2, 3], [0, 1, 2]]);
        assert_eq!(m.normals.len(), 4);
        assert_eq!(m.normals[3], Vec3::Z);
        assert!(m.uvs.is_empty());
        let plain = parse(b"v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3\nf -3 -2 -1\n").unwrap();
        assert_eq!(plain.triangles, vec![[0, 1, 2], [0, 1, 2]]);
    }

    #[test]
    fn texture_seams_split_vertices_and_v_is_flipped() {
        // Two triangles share the edge 1-3 but not its texture coordinates.
        let src =
            "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 1 1\nvt 0.5 0.25\nf 1/1 2/2 3/3\nf 1/4 3/3 4/1\n";
        let m = parse(src.as_bytes()).unwrap();
        assert_eq!(m.positions.len(), 5, "vertex 1 appears with two texture coordinates");
        assert_eq!(m.triangles, vec![[0, 1, 2], [3, 2, 4]]);
        assert_eq!(m.uvs[0], Vec2::new(0.0, 1.0));
        assert_eq!(m.uvs[3], Vec2::new(0.5, 0.75));
        assert_eq!(m.positions[3], Vec3::ZERO);
        let e = parse(b"v 0 0 0\nvt 0 0\nf 1/2 1/1 1/1\n").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("texture coordinate index 2"), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse(b"v 0 0 0\nv 1 0 zero\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("zero"), "{e}");
        let e = parse(b"v 0 0 0\nf 1 2 3\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("out of range"), "{e}");
    }
}
