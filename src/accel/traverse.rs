//! BVH traversal: nearest hit and any hit (shadow rays).

use super::build::{safe_inverse, Bvh};
use crate::geometry::Hit;
use crate::math::{Ray, Vec3A};

const STACK: usize = 64;

impl Bvh {
    /// The nearest hit in (0, ray.t_max), if any.
    pub fn intersect(&self, ray: &Ray) -> Option<Hit> {
        let inv = safe_inverse(ray.dir.into());
        let org = Vec3A::from(ray.origin) * inv;
        let neg = [inv.x < 0.0, inv.y < 0.0, inv.z < 0.0];
        let mut t_max = ray.t_max;
        let mut best: Option<Hit> = None;
        let mut stack = [0u32; STACK];
        let mut sp = 0;
        let mut node = 0usize;
        loop {
            let n = &self.nodes[node];
            if n.bounds.hit(inv, org, t_max) {
                if n.count > 0 {
                    let start = n.offset as usize;
                    for (i, shape) in self.shapes[start..start + n.count as usize].iter().enumerate() {
                        if let Some((t, u, v)) = shape.intersect(ray.origin, ray.dir, t_max) {
                            t_max = t;
                            best = Some(Hit { t, prim: (start + i) as u32, u, v });
                        }
                    }
                } else {
                    // Visit the child on the ray's near side first.
                    let (first, second) = if neg[n.axis as usize] {
                        (n.offset as usize, node + 1)
                    } else {
                        (node + 1, n.offset as usize)
                    };
                    stack[sp] = second as u32;
                    sp += 1;
                    node = first;
                    continue;
                }
            }
            if sp == 0 {
                return best;
            }
            sp -= 1;
            node = stack[sp] as usize;
        }
    }

    /// True when anything blocks the ray before `ray.t_max`.
    pub fn occluded(&self, ray: &Ray) -> bool {
        let inv = safe_inverse(ray.dir.into());
        let org = Vec3A::from(ray.origin) * inv;
        let mut stack = [0u32; STACK];
        let mut sp = 0;
        let mut node = 0usize;
        loop {
            let n = &self.nodes[node];
            if n.bounds.hit(inv, org, ray.t_max) {
                if n.count > 0 {
                    let start = n.offset as usize;
                    let shapes = &self.shapes[start..start + n.count as usize];
                    if shapes.iter().any(|s| s.intersect(ray.origin, ray.dir, ray.t_max).is_some()) {
                        return true;
                    }
                } else {
                    stack[sp] = n.offset;
                    sp += 1;
                    node += 1;
                    continue;
                }
            }
            if sp == 0 {
                return false;
            }
            sp -= 1;
            node = stack[sp] as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::accel::Bvh;
    use crate::geometry::{Shape, Sphere, Triangle};
    use crate::math::{Ray, Transform, Vec3};
    use crate::sampler::SampleStream;

    fn random_scene(rng: &mut SampleStream) -> Vec<Shape> {
        let mut shapes = Vec::new();
        let mut p = || Vec3::new(rng.next_1d(), rng.next_1d(), rng.next_1d()) * 10.0 - 5.0;
        for i in 0..500 {
            let a = p();
            if i % 10 == 0 {
                shapes.push(Shape::Sphere(Box::new(Sphere::new(a, 0.3, &Transform::IDENTITY).unwrap())));
            } else if let Some(t) = Triangle::new(a, a + (p() * 0.1), a + (p() * 0.1)) {
                shapes.push(Shape::Triangle(t));
            }
        }
        shapes
    }

    #[test]
    fn bvh_hits_equal_brute_force_hits() {
        let mut rng = SampleStream::new(1, 2, 3);
        let shapes = random_scene(&mut rng);
        let (bvh, _) = Bvh::build(shapes);
        let mut hits = 0;
        for i in 0..4000u64 {
            let mut r = SampleStream::new(9, i, 0);
            let o = Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) * 12.0 - 6.0;
            let d = (Vec3::new(r.next_1d(), r.next_1d(), r.next_1d()) - 0.5).normalize();
            let ray = Ray::new(o, d);
            let brute = bvh
                .shapes()
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.intersect(o, d, f32::INFINITY).map(|h| (h.0, k)))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let fast = bvh.intersect(&ray).map(|h| (h.t, h.prim as usize));
            assert_eq!(brute, fast, "ray {i}");
            assert_eq!(bvh.occluded(&ray), brute.is_some());
            if let Some((t, _)) = brute {
                hits += 1;
                assert!(!bvh.occluded(&Ray::segment(o, d, t * 0.999)));
            }
        }
        assert!(hits > 200, "test rays should hit often, hit {hits}");
    }
}
