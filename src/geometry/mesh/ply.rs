//! PLY: ASCII, binary little-endian and big-endian. Vertices take x, y, z
//! (float or double) and, when present, nx, ny, nz; triangles come from
//! `face` elements (list property `vertex_indices` or `vertex_index`,
//! fan-triangulated) and from `tristrips` elements (list `vertex_indices`,
//! strips restarted at -1, as scan repositories write them). Other
//! properties and elements are skipped; a file that yields no triangles is
//! refused with the elements and properties it does have.

use super::{Mesh, PlyEncoding as Format};
use crate::math::{Vec2, Vec3};
use anyhow::{anyhow, bail, Result};

/// The vertex properties that hold texture coordinates, as (u, v) pairs.
const UV_NAMES: [(&str, &str); 3] = [("u", "v"), ("s", "t"), ("texture_u", "texture_v")];

#[derive(Clone, Copy)]
enum Scalar {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    F32,
    F64,
}

impl Scalar {
    fn parse(name: &str) -> Option<Scalar> {
        Some(match name {
            "char" | "int8" => Scalar::I8,
            "uchar" | "uint8" => Scalar::U8,
            "short" | "int16" => Scalar::I16,
            "ushort" | "uint16" => Scalar::U16,
            "int" | "int32" => Scalar::I32,
            "uint" | "uint32" => Scalar::U32,
            "float" | "float32" => Scalar::F32,
            "double" | "float64" => Scalar::F64,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Scalar::I8 | Scalar::U8 => 1,
            Scalar::I16 | Scalar::U16 => 2,
            Scalar::I32 | Scalar::U32 | Scalar::F32 => 4,
            Scalar::F64 => 8,
        }
    }
}

struct Property {
    name: String,
    /// `Some(count type)` for list properties.
    list: Option<Scalar>,
    scalar: Scalar,
}

struct Element {
    name: String,
    count: usize,
    properties: Vec<Property>,
}

pub fn parse(bytes: &[u8]) -> Result<Mesh> {
    let (format, elements, body) = header(bytes)?;
    let words = match format {
        Format::Ascii => Some(
            std::str::from_utf8(body)
                .map_err(|e| {
                    anyhow!("the ASCII body is not text: byte {} after the header is not UTF-8", e.valid_up_to())
                })?
                .split_ascii_whitespace(),
        ),
        _ => None,
    };
    let mut reader = Reader { format, body, pos: 0, words };
    let mut mesh = Mesh::default();
    let mut normals = Vec::new();
    let mut uvs = Vec::new();
    for e in &elements {
        for item in 0..e.count {
            let mut xyz = [0.0f64; 3];
            let mut nxyz = [0.0f64; 3];
            let mut uv = [0.0f64; 2];
            for p in &e.properties {
                match p.list {
                    Some(count_type) => {
                        let n = reader.value(count_type).map_err(|m| anyhow!("{} {item}: {m}", e.name))?;
                        let values: Vec<f64> = (0..n as usize)
                            .map(|_| reader.value(p.scalar))
                            .collect::<Result<_, _>>()
                            .map_err(|m| anyhow!("{} {item}: {m}", e.name))?;
                        let indices = || values.iter().map(|&v| if v < 0.0 { u32::MAX } else { v as u32 });
                        match triangle_source(&e.name, &p.name) {
                            Some(Triangles::Fan) => {
                                if values.len() < 3 {
                                    bail!("face {item} has {} vertices, needs at least 3", values.len());
                                }
                                let idx: Vec<u32> = indices().collect();
                                for i in 1..idx.len() - 1 {
                                    mesh.triangles.push([idx[0], idx[i], idx[i + 1]]);
                                }
                            }
                            Some(Triangles::Strips) => strips(&values, &mut mesh.triangles),
                            None => {}
                        }
                    }
                    None => {
                        let v = reader.value(p.scalar).map_err(|m| anyhow!("{} {item}: {m}", e.name))?;
                        if e.name == "vertex" {
                            match p.name.as_str() {
                                "x" => xyz[0] = v,
                                "y" => xyz[1] = v,
                                "z" => xyz[2] = v,
                                "nx" => nxyz[0] = v,
                                "ny" => nxyz[1] = v,
                                "nz" => nxyz[2] = v,
                                name => {
                                    for (u_name, v_name) in UV_NAMES {
                                        if name == u_name {
                                            uv[0] = v;
                                        } else if name == v_name {
                                            uv[1] = v;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if e.name == "vertex" {
                mesh.positions.push(Vec3::new(xyz[0] as f32, xyz[1] as f32, xyz[2] as f32));
                normals.push(Vec3::new(nxyz[0] as f32, nxyz[1] as f32, nxyz[2] as f32));
                uvs.push(Vec2::new(uv[0] as f32, uv[1] as f32));
            }
        }
    }
    let vertex = elements.iter().find(|e| e.name == "vertex");
    if vertex.is_some_and(|v| v.properties.iter().any(|p| p.name == "nx")) {
        mesh.normals = normals;
    }
    let has = |name: &str| vertex.is_some_and(|v| v.properties.iter().any(|p| p.name == name));
    if UV_NAMES.iter().any(|(u, v)| has(u) && has(v)) {
        mesh.uvs = uvs;
    }
    if mesh.triangles.is_empty() {
        bail!("no triangles: rsrender reads them from `face` (list vertex_indices or vertex_index) and `tristrips` (list vertex_indices); this file has {}", describe(&elements));
    }
    Ok(mesh)
}

/// How a list property makes triangles, if it does.
enum Triangles {
    Fan,
    Strips,
}

fn triangle_source(element: &str, property: &str) -> Option<Triangles> {
    match (element, property) {
        ("face", "vertex_indices" | "vertex_index") => Some(Triangles::Fan),
        ("tristrips", "vertex_indices" | "vertex_index") => Some(Triangles::Strips),
        _ => None,
    }
}

/// The triangles of triangle strips: a negative index restarts the strip;
/// every other triangle is flipped so that all keep the strip's winding;
/// triangles with a repeated corner (strips' joints) are dropped.
fn strips(values: &[f64], out: &mut Vec<[u32; 3]>) {
    for strip in values.split(|&v| v < 0.0) {
        for (k, w) in strip.windows(3).enumerate() {
            let [a, b, c] = [w[0] as u32, w[1] as u32, w[2] as u32];
            if a == b || b == c || a == c {
                continue;
            }
            out.push(if k % 2 == 0 { [a, b, c] } else { [b, a, c] });
        }
    }
}

/// `vertex (x, y, z), edge (vertex1, vertex2)`: what a header declares.
fn describe(elements: &[Element]) -> String {
    if elements.is_empty() {
        return "no elements".into();
    }
    let list: Vec<String> = elements
        .iter()
        .map(|e| {
            let props: Vec<&str> = e.properties.iter().map(|p| p.name.as_str()).collect();
            format!("`{}` ({}) × {}", e.name, props.join(", "), e.count)
        })
        .collect();
    list.join(", ")
}

fn header(bytes: &[u8]) -> Result<(Format, Vec<Element>, &[u8])> {
    let end = bytes
        .windows(11)
        .position(|w| w == b"end_header\n")
        .ok_or_else(|| anyhow!("no `end_header` line: not a PLY file, or a truncated one"))?;
    let text = std::str::from_utf8(&bytes[..end]).map_err(|_| anyhow!("the header is not text"))?;
    let mut lines = text.lines().enumerate();
    if lines.next().map(|(_, l)| l.trim()) != Some("ply") {
        bail!("line 1: a PLY file starts with `ply`");
    }
    let mut format = None;
    let mut elements: Vec<Element> = Vec::new();
    for (k, line) in lines {
        let w: Vec<&str> = line.split_whitespace().collect();
        let bad = || anyhow!("line {}: cannot read `{line}`", k + 1);
        match w.first().copied() {
            Some("format") => format = Some(w.get(1).and_then(|name| Format::from_header_name(name)).ok_or_else(bad)?),
            Some("element") => {
                let count = w.get(2).and_then(|c| c.parse().ok()).ok_or_else(bad)?;
                elements.push(Element { name: w.get(1).ok_or_else(bad)?.to_string(), count, properties: Vec::new() });
            }
            Some("property") => {
                let e = elements.last_mut().ok_or_else(bad)?;
                let p = if w.get(1) == Some(&"list") {
                    let count = w.get(2).and_then(|t| Scalar::parse(t)).ok_or_else(bad)?;
                    let item = w.get(3).and_then(|t| Scalar::parse(t)).ok_or_else(bad)?;
                    Property { name: w.get(4).ok_or_else(bad)?.to_string(), list: Some(count), scalar: item }
                } else {
                    let s = w.get(1).and_then(|t| Scalar::parse(t)).ok_or_else(bad)?;
                    Property { name: w.get(2).ok_or_else(bad)?.to_string(), list: None, scalar: s }
                };
                e.properties.push(p);
            }
            _ => {}
        }
    }
    let format = format.ok_or_else(|| anyhow!("the header has no `format` line"))?;
    Ok((format, elements, &bytes[end + 11..]))
}

/// Values from the body, as text words or binary numbers.
struct Reader<'a> {
    format: Format,
    body: &'a [u8],
    pos: usize,
    /// The body's words, for ASCII files.
    words: Option<std::str::SplitAsciiWhitespace<'a>>,
}

impl Reader<'_> {
    fn value(&mut self, s: Scalar) -> Result<f64, String> {
        if let Some(words) = self.words.as_mut() {
            let w = words.next().ok_or("the file ends early (truncated?)")?;
            return w.parse::<f64>().map_err(|_| format!("`{w}` is not a number"));
        }
        let n = s.size();
        let b = self.body.get(self.pos..self.pos + n).ok_or("the file ends early (truncated?)")?;
        self.pos += n;
        let mut a = [0u8; 8];
        a[..n].copy_from_slice(b);
        if self.format == Format::Big {
            a[..n].reverse();
        }
        Ok(match s {
            Scalar::I8 => a[0] as i8 as f64,
            Scalar::U8 => a[0] as f64,
            Scalar::I16 => i16::from_le_bytes([a[0], a[1]]) as f64,
            Scalar::U16 => u16::from_le_bytes([a[0], a[1]]) as f64,
            Scalar::I32 => i32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            Scalar::U32 => u32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            Scalar::F32 => f32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            Scalar::F64 => f64::from_le_bytes(a),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A binary little-endian PLY of a 3 × 2-vertex grid with one `tristrips` list.
    fn strip_file(indices: &[i32]) -> Vec<u8> {
        let mut bytes = b"ply\nformat binary_little_endian 1.0\nelement vertex 6\nproperty float x\nproperty float y\n\
             property float z\nelement tristrips 1\nproperty list int int vertex_indices\nend_header\n"
            .to_vec();
        // Two rows of three vertices in the z = 0 plane: 0 1 2 at y = 0, 3 4 5 at y = 1.
        for (x, y) in [(0.0f32, 0.0f32), (1.0, 0.0), (2.0, 0.0), (0.0, 1.0), (1.0, 1.0), (2.0, 1.0)] {
            for v in [x, y, 0.0] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        bytes.extend_from_slice(&(indices.len() as i32).to_le_bytes());
        for i in indices {
            bytes.extend_from_slice(&i.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn triangle_strips_keep_one_winding_and_restart_at_minus_one() {
        // One strip over the whole grid (zig-zag 0 3 1 4 2 5), then the same
        // grid as two strips split by -1.
        let one = parse(&strip_file(&[0, 3, 1, 4, 2, 5])).unwrap();
        assert_eq!(one.triangles, vec![[0, 3, 1], [1, 3, 4], [1, 4, 2], [2, 4, 5]]);
        let two = parse(&strip_file(&[0, 3, 1, 4, -1, 1, 4, 2, 5])).unwrap();
        assert_eq!(two.triangles, vec![[0, 3, 1], [1, 3, 4], [1, 4, 2], [2, 4, 5]]);
        // Repeated corners (strip joints) make no triangles.
        assert_eq!(parse(&strip_file(&[0, 3, 1, 1, 4])).unwrap().triangles, vec![[0, 3, 1]]);
        for mesh in [one, two] {
            for &[a, b, c] in &mesh.triangles {
                let p = |i: u32| mesh.positions[i as usize];
                let n = (p(b) - p(a)).cross(p(c) - p(a));
                assert!(n.z < 0.0, "every triangle faces the same way: {a} {b} {c}");
            }
        }
    }
}
