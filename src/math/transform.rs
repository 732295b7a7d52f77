//! Affine transforms of points, vectors and normals (normals by the inverse
//! transpose), with the inverse kept alongside.

use super::{Mat3, Mat4, Vec3};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub m: Mat4,
    pub inv: Mat4,
}

impl Transform {
    pub const IDENTITY: Transform = Transform { m: Mat4::IDENTITY, inv: Mat4::IDENTITY };

    /// `None` when the matrix is singular or not finite. Singular is judged
    /// independently of scale: the determinant of the linear part against the
    /// product of its column lengths (1 for a rotation with any uniform or
    /// per-axis scale, 0 when the columns are dependent), so that a scale of
    /// 10⁻⁴ (metres to 0.1 mm) is as good as a scale of 1.
    pub fn from_matrix(m: Mat4) -> Option<Transform> {
        let linear = Mat3::from_mat4(m);
        let lengths = linear.x_axis.length() * linear.y_axis.length() * linear.z_axis.length();
        let det = linear.determinant();
        if !(det.is_finite() && lengths.is_finite()) || lengths == 0.0 || (det / lengths).abs() < 1e-6 {
            return None;
        }
        let inv = m.inverse();
        inv.is_finite().then_some(Transform { m, inv })
    }

    /// Scale, then rotate about x, y, z (degrees), then translate.
    pub fn from_srt(scale: Vec3, rotate_deg: Vec3, translate: Vec3) -> Option<Transform> {
        let r = rotate_deg * (std::f32::consts::PI / 180.0);
        let rot = Mat4::from_rotation_z(r.z) * Mat4::from_rotation_y(r.y) * Mat4::from_rotation_x(r.x);
        Transform::from_matrix(Mat4::from_translation(translate) * rot * Mat4::from_scale(scale))
    }

    #[inline]
    pub fn point(&self, p: Vec3) -> Vec3 {
        self.m.transform_point3(p)
    }

    #[inline]
    pub fn inverse_point(&self, p: Vec3) -> Vec3 {
        self.inv.transform_point3(p)
    }

    #[inline]
    pub fn vector(&self, v: Vec3) -> Vec3 {
        self.m.transform_vector3(v)
    }

    #[inline]
    pub fn inverse_vector(&self, v: Vec3) -> Vec3 {
        self.inv.transform_vector3(v)
    }

    /// The matrix that carries normals: the inverse transpose of the linear part.
    pub fn normal_matrix(&self) -> Mat3 {
        Mat3::from_mat4(self.inv).transpose()
    }

    /// The scale factor when the linear part is a rotation (or mirror) times
    /// a uniform scale, so that spheres stay spheres and angles are kept.
    pub fn uniform_scale(&self) -> Option<f32> {
        let l = Mat3::from_mat4(self.m);
        let lengths = [l.x_axis, l.y_axis, l.z_axis].map(|c| c.length());
        let skew = l.x_axis.dot(l.y_axis).abs() + l.y_axis.dot(l.z_axis).abs() + l.z_axis.dot(l.x_axis).abs();
        let unequal = (lengths[0] - lengths[1]).abs() + (lengths[0] - lengths[2]).abs();
        (skew <= 1e-5 * lengths[0] * lengths[0] && unequal <= 1e-5 * lengths[0]).then_some(lengths[0])
    }

    /// True when the transform mirrors space, which flips triangle winding.
    pub fn swaps_handedness(&self) -> bool {
        Mat3::from_mat4(self.m).determinant() < 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_applies_scale_then_rotation_then_translation() {
        let t = Transform::from_srt(Vec3::splat(2.0), Vec3::new(0.0, 90.0, 0.0), Vec3::new(0.0, 0.0, 5.0)).unwrap();
        // x axis scaled to 2, rotated 90° about y to -z, then moved by +5 z.
        let p = t.point(Vec3::X);
        assert!((p - Vec3::new(0.0, 0.0, 3.0)).length() < 1e-5, "{p}");
        assert!((t.inverse_point(p) - Vec3::X).length() < 1e-5);
    }

    #[test]
    fn normals_use_the_inverse_transpose() {
        let t = Transform::from_srt(Vec3::new(1.0, 4.0, 1.0), Vec3::ZERO, Vec3::ZERO).unwrap();
        // A plane tilted 45° gets flatter when stretched in y; its normal steepens.
        let n = (t.normal_matrix() * Vec3::new(1.0, 1.0, 0.0)).normalize();
        let tangent = t.m.transform_vector3(Vec3::new(1.0, -1.0, 0.0));
        assert!(n.dot(tangent).abs() < 1e-5);
    }

    #[test]
    fn singular_matrix_is_refused() {
        assert!(Transform::from_srt(Vec3::new(1.0, 0.0, 1.0), Vec3::ZERO, Vec3::ZERO).is_none());
        // Two equal columns: singular at any scale.
        let dependent =
            Mat4::from_cols_array_2d(&[[1e-4, 0.0, 0.0, 0.0], [1e-4, 0.0, 0.0, 0.0], [0.0, 0.0, 1e-4, 0.0], [0.0; 4]]);
        assert!(Transform::from_matrix(dependent).is_none());
    }

    #[test]
    fn tiny_and_huge_scales_are_not_singular() {
        // Metres to 0.1 mm (det 1e-12) and back (det 1e12), rotated and mirrored.
        for s in [1e-4, 1e4, -1e-4] {
            let t = Transform::from_srt(Vec3::splat(s), Vec3::new(10.0, 20.0, 30.0), Vec3::ZERO).expect("invertible");
            let p = Vec3::new(0.3, -2.0, 5.0);
            assert!((t.inverse_point(t.point(p)) - p).length() < 1e-4 * p.length(), "scale {s}");
        }
    }
}
