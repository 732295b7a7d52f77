//! Cones of directions: a unit axis and the cosine of the half-angle around
//! it. They bound the normals of an emitter (pbrt-v4's `DirectionCone`), so
//! that a light sampler can tell which emitters face a point.

use super::Vec3;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cone {
    pub axis: Vec3,
    /// cos of the half-angle: 1 for one direction, -1 for every direction.
    pub cos_theta: f32,
}

impl Cone {
    pub const SPHERE: Cone = Cone { axis: Vec3::Z, cos_theta: -1.0 };

    pub fn of(direction: Vec3) -> Cone {
        Cone { axis: direction.normalize(), cos_theta: 1.0 }
    }

    pub fn is_sphere(&self) -> bool {
        self.cos_theta <= -1.0
    }

    /// The smallest cone holding both (pbrt-v4's `Union`).
    pub fn union(self, other: Cone) -> Cone {
        let (ta, tb) = (safe_acos(self.cos_theta), safe_acos(other.cos_theta));
        let td = angle_between(self.axis, other.axis);
        let pi = std::f32::consts::PI;
        if (td + tb).min(pi) <= ta {
            return self;
        }
        if (td + ta).min(pi) <= tb {
            return other;
        }
        let to = (ta + td + tb) / 2.0;
        if to >= pi {
            return Cone::SPHERE;
        }
        let wr = self.axis.cross(other.axis);
        if wr.length_squared() == 0.0 {
            return Cone::SPHERE;
        }
        // Rotate self's axis towards other's by to - ta about wr.
        let axis = rotate(self.axis, wr.normalize(), to - ta);
        Cone { axis, cos_theta: to.cos() }
    }
}

fn safe_acos(x: f32) -> f32 {
    x.clamp(-1.0, 1.0).acos()
}

/// The angle between unit vectors, accurate near 0 and π.
fn angle_between(a: Vec3, b: Vec3) -> f32 {
    if a.dot(b) < 0.0 {
        std::f32::consts::PI - 2.0 * ((a + b).length() / 2.0).clamp(-1.0, 1.0).asin()
    } else {
        2.0 * ((b - a).length() / 2.0).clamp(-1.0, 1.0).asin()
    }
}

/// Rodrigues' rotation of `v` by `angle` about the unit `axis`.
fn rotate(v: Vec3, axis: Vec3, angle: f32) -> Vec3 {
    let (s, c) = angle.sin_cos();
    (v * c + axis.cross(v) * s + axis * axis.dot(v) * (1.0 - c)).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_holds_both_cones_and_no_more_than_needed() {
        let up = Cone::of(Vec3::Z);
        let side = Cone::of(Vec3::X);
        let both = up.union(side);
        // Half-angle 45°, axis between them.
        assert!((both.cos_theta - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-5, "{both:?}");
        for d in [Vec3::Z, Vec3::X] {
            assert!(both.axis.dot(d) >= both.cos_theta - 1e-5);
        }
        assert_eq!(up.union(up), up);
        assert!(up.union(Cone::of(-Vec3::Z)).is_sphere());
        assert!(Cone::SPHERE.union(up).is_sphere());
    }
}
