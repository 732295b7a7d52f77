//! Axis-aligned bounding boxes and the slab test used by the BVH.

use super::Vec3;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aabb {
    pub min: Vec3,
    pub max: Vec3,
}

impl Aabb {
    pub const EMPTY: Aabb = Aabb {
        min: Vec3::splat(f32::INFINITY),
        max: Vec3::splat(f32::NEG_INFINITY),
    };

    pub fn from_points(points: &[Vec3]) -> Aabb {
        points.iter().fold(Aabb::EMPTY, |b, &p| b.grow(p))
    }

    #[inline]
    pub fn grow(self, p: Vec3) -> Aabb {
        Aabb {
            min: self.min.min(p),
            max: self.max.max(p),
        }
    }

    #[inline]
    pub fn union(self, o: Aabb) -> Aabb {
        Aabb {
            min: self.min.min(o.min),
            max: self.max.max(o.max),
        }
    }

    #[inline]
    pub fn centroid(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }

    #[inline]
    pub fn extent(&self) -> Vec3 {
        (self.max - self.min).max(Vec3::ZERO)
    }

    /// Half the surface area, which is all the SAH needs.
    #[inline]
    pub fn half_area(&self) -> f32 {
        let e = self.extent();
        e.x * e.y + e.y * e.z + e.z * e.x
    }

    pub fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }

    /// Slab test: the entry distance if the ray meets the box within (0, t_max).
    #[inline]
    pub fn hit(&self, origin: Vec3, inv_dir: Vec3, t_max: f32) -> Option<f32> {
        let t0 = (self.min - origin) * inv_dir;
        let t1 = (self.max - origin) * inv_dir;
        let near = t0.min(t1).max_element().max(0.0);
        let far = t0.max(t1).min_element().min(t_max);
        (near <= far).then_some(near)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slab_test_hits_and_misses() {
        let b = Aabb {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        };
        let inv = Vec3::new(1.0, f32::INFINITY, f32::INFINITY);
        assert_eq!(b.hit(Vec3::new(-3.0, 0.0, 0.0), inv, 10.0), Some(2.0));
        assert_eq!(b.hit(Vec3::new(-3.0, 2.0, 0.0), inv, 10.0), None);
        assert_eq!(b.hit(Vec3::new(-3.0, 0.0, 0.0), inv, 1.0), None);
    }
}
