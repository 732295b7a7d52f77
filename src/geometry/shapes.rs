//! The scene format's flat shapes, tessellated into world-space triangles
//! given by their corners.

use super::Triangle;
use crate::math::{Transform, Vec3};

/// A triangle's three corners, in the order whose right-hand normal is outward.
pub type Corners = [Vec3; 3];

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
    [[0, 1, 2], [0, 2, 3]].into_iter().filter_map(|[a, b, c]| oriented(t, w[a], w[b], w[c])).collect()
}

/// World-space corners whose normal agrees with the inverse-transpose
/// normal even when the transform mirrors space; `None` when the triangle
/// has no area.
pub fn oriented(t: &Transform, a: Vec3, b: Vec3, c: Vec3) -> Option<Corners> {
    let corners = if t.swaps_handedness() { [a, c, b] } else { [a, b, c] };
    Triangle::new(corners[0], corners[1], corners[2]).map(|_| corners)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cube_normals_point_outward() {
        for [a, b, c] in cube_triangles(&Transform::IDENTITY) {
            let tri = Triangle::new(a, b, c).unwrap();
            let centroid = tri.p0 + (tri.e1 + tri.e2) / 3.0;
            assert!(tri.normal.dot(centroid) > 0.0);
        }
    }

    #[test]
    fn mirroring_keeps_the_normal_of_the_inverse_transpose() {
        let t = Transform::from_srt(Vec3::new(1.0, 1.0, -1.0), Vec3::ZERO, Vec3::ZERO).unwrap();
        for [a, b, c] in rectangle_triangles(&t) {
            let tri = Triangle::new(a, b, c).unwrap();
            let expected = (t.normal_matrix() * Vec3::Z).normalize();
            assert!((tri.normal - expected).length() < 1e-6);
        }
    }
}
