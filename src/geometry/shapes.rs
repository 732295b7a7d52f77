//! The scene format's flat shapes, tessellated into world-space triangles
//! given by their corners and the corners' texture coordinates: a
//! rectangle's are Mitsuba's, ((x + 1)/2, (y + 1)/2) in object space; each
//! face of a cube has the same, (0, 0) to (1, 1) counter-clockwise seen
//! from outside; a triangle's corners get (0, 0), (1, 0) and (0, 1).

use super::Triangle;
use crate::math::{Transform, Vec2, Vec3};

/// A triangle's three corners, in the order whose right-hand normal is
/// outward, and their texture coordinates.
pub type Corners = ([Vec3; 3], [Vec2; 3]);

/// A quad's texture coordinates, corner by corner.
const QUAD_UVS: [Vec2; 4] = [Vec2::new(0.0, 0.0), Vec2::new(1.0, 0.0), Vec2::new(1.0, 1.0), Vec2::new(0.0, 1.0)];

/// The square [-1, 1]² in z = 0, normal +z, as two triangles.
pub fn rectangle_triangles(t: &Transform) -> Vec<Corners> {
    let c =
        [Vec3::new(-1.0, -1.0, 0.0), Vec3::new(1.0, -1.0, 0.0), Vec3::new(1.0, 1.0, 0.0), Vec3::new(-1.0, 1.0, 0.0)];
    quad(t, c)
}

/// The box [-1, 1]³ with outward normals, as twelve triangles.
pub fn cube_triangles(t: &Transform) -> Vec<Corners> {
    let v = |x: f32, y: f32, z: f32| Vec3::new(x, y, z);
    // Each face listed counter-clockwise seen from outside.
    let faces = [
        [v(1., -1., -1.), v(1., 1., -1.), v(1., 1., 1.), v(1., -1., 1.)],
        [v(-1., -1., -1.), v(-1., -1., 1.), v(-1., 1., 1.), v(-1., 1., -1.)],
        [v(-1., 1., -1.), v(-1., 1., 1.), v(1., 1., 1.), v(1., 1., -1.)],
        [v(-1., -1., -1.), v(1., -1., -1.), v(1., -1., 1.), v(-1., -1., 1.)],
        [v(-1., -1., 1.), v(1., -1., 1.), v(1., 1., 1.), v(-1., 1., 1.)],
        [v(-1., -1., -1.), v(-1., 1., -1.), v(1., 1., -1.), v(1., -1., -1.)],
    ];
    faces.into_iter().flat_map(|f| quad(t, f)).collect()
}

fn quad(t: &Transform, c: [Vec3; 4]) -> Vec<Corners> {
    let w = c.map(|p| t.point(p));
    let triangle = |[a, b, c]: [usize; 3]| oriented(t, [w[a], w[b], w[c]], [QUAD_UVS[a], QUAD_UVS[b], QUAD_UVS[c]]);
    [[0, 1, 2], [0, 2, 3]].into_iter().filter_map(triangle).collect()
}

/// World-space corners whose normal agrees with the inverse-transpose
/// normal even when the transform mirrors space; `None` when the triangle
/// has no area.
pub fn oriented(t: &Transform, [a, b, c]: [Vec3; 3], [ua, ub, uc]: [Vec2; 3]) -> Option<Corners> {
    let corners = if t.swaps_handedness() { ([a, c, b], [ua, uc, ub]) } else { ([a, b, c], [ua, ub, uc]) };
    Triangle::new(corners.0[0], corners.0[1], corners.0[2]).map(|_| corners)
}

/// A lone triangle's corner texture coordinates.
pub const TRIANGLE_UVS: [Vec2; 3] = [Vec2::new(0.0, 0.0), Vec2::new(1.0, 0.0), Vec2::new(0.0, 1.0)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cube_normals_point_outward() {
        for ([a, b, c], _) in cube_triangles(&Transform::IDENTITY) {
            let tri = Triangle::new(a, b, c).unwrap();
            let centroid = tri.p0 + (tri.e1 + tri.e2) / 3.0;
            assert!(tri.normal.dot(centroid) > 0.0);
        }
    }

    #[test]
    fn mirroring_keeps_the_normal_of_the_inverse_transpose() {
        let t = Transform::from_srt(Vec3::new(1.0, 1.0, -1.0), Vec3::ZERO, Vec3::ZERO).unwrap();
        for ([a, b, c], _) in rectangle_triangles(&t) {
            let tri = Triangle::new(a, b, c).unwrap();
            let expected = (t.normal_matrix() * Vec3::Z).normalize();
            assert!((tri.normal - expected).length() < 1e-6);
        }
    }

    #[test]
    fn rectangle_uvs_are_mitsubas_even_when_mirrored() {
        for scale in [Vec3::ONE, Vec3::new(-1.0, 1.0, 1.0)] {
            let t = Transform::from_srt(scale, Vec3::ZERO, Vec3::ZERO).unwrap();
            for (corners, uvs) in rectangle_triangles(&t) {
                for (p, uv) in corners.iter().zip(uvs) {
                    let local = t.inverse_point(*p);
                    assert!((uv - Vec2::new(local.x + 1.0, local.y + 1.0) * 0.5).length() < 1e-6, "{scale}");
                }
            }
        }
    }
}
