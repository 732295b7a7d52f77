//! Orthonormal frames around a normal, for local shading coordinates.

use super::Vec3;

/// A right-handed orthonormal basis whose `n` axis is the local +z.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub s: Vec3,
    pub t: Vec3,
    pub n: Vec3,
}

impl Frame {
    /// Duff et al. 2017, "Building an orthonormal basis, revisited".
    pub fn from_normal(n: Vec3) -> Frame {
        let sign = 1.0f32.copysign(n.z);
        let a = -1.0 / (sign + n.z);
        let b = n.x * n.y * a;
        let s = Vec3::new(1.0 + sign * n.x * n.x * a, sign * b, -sign * n.x);
        let t = Vec3::new(b, sign + n.y * n.y * a, -n.y);
        Frame { s, t, n }
    }

    #[inline]
    pub fn to_local(&self, v: Vec3) -> Vec3 {
        Vec3::new(v.dot(self.s), v.dot(self.t), v.dot(self.n))
    }

    #[inline]
    pub fn to_world(&self, v: Vec3) -> Vec3 {
        self.s * v.x + self.t * v.y + self.n * v.z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_is_orthonormal_and_round_trips() {
        for n in [Vec3::Z, -Vec3::Z, Vec3::new(0.3, -0.5, 0.8).normalize(), Vec3::X] {
            let f = Frame::from_normal(n);
            assert!((f.s.length() - 1.0).abs() < 1e-5);
            assert!(f.s.dot(f.t).abs() < 1e-5 && f.s.dot(f.n).abs() < 1e-5);
            let v = Vec3::new(0.1, 0.7, -0.2);
            assert!((f.to_world(f.to_local(v)) - v).length() < 1e-5);
        }
    }
}
