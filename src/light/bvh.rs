//! The light BVH (pbrt-v4's `BVHLightSampler`): a binary tree over the
//! bounded lights, built once per rank in a fixed order. A shadow ray's
//! light is chosen by walking down from the root, taking each child with
//! probability proportional to its importance for the shaded point; the
//! probability of a given light is the product along its path, recomputed
//! the same way for MIS. Lights at infinity (background, directional) are
//! chosen apart, uniformly, with probability n_inf / (n_inf + 1).

use super::bounds::LightBounds;
use crate::math::{Aabb, Vec3};

/// Buckets per axis when choosing a split.
const BUCKETS: usize = 12;

#[derive(Clone, Copy, Debug)]
struct Node {
    bounds: LightBounds,
    /// Leaf: the light's index; interior: the second child (the first
    /// follows the node).
    next: u32,
    leaf: bool,
}

#[derive(Clone, Debug, Default)]
pub struct LightBvh {
    nodes: Vec<Node>,
    /// Lights at infinity, by index.
    infinite: Vec<u32>,
    /// Per light: its path from the root (bit k: second child at depth k)
    /// and its depth; `None` for lights at infinity or without power.
    trails: Vec<Option<(u64, u32)>>,
    /// The probability of choosing among the lights at infinity.
    infinite_share: f64,
}

impl LightBvh {
    /// `bounds[i]`: light i's bounds, `None` for a light at infinity.
    pub fn new(bounds: &[Option<LightBounds>]) -> LightBvh {
        let infinite = (0..bounds.len() as u32).filter(|&i| bounds[i as usize].is_none()).collect();
        let mut items: Vec<(u32, LightBounds)> =
            bounds.iter().enumerate().filter_map(|(i, b)| b.filter(|b| b.phi > 0.0).map(|b| (i as u32, b))).collect();
        let mut bvh = LightBvh { nodes: Vec::new(), infinite, trails: vec![None; bounds.len()], infinite_share: 0.0 };
        if !items.is_empty() {
            bvh.build(&mut items, 0, 0);
        }
        let n = bvh.infinite.len() as f64;
        bvh.infinite_share = n / (n + if bvh.nodes.is_empty() { 0.0 } else { 1.0 });
        bvh
    }

    /// Appends the subtree over `items`; returns its root's bounds.
    fn build(&mut self, items: &mut [(u32, LightBounds)], trail: u64, depth: u32) -> LightBounds {
        let at = self.nodes.len();
        if let [(light, bounds)] = *items {
            self.nodes.push(Node { bounds, next: light, leaf: true });
            self.trails[light as usize] = Some((trail, depth));
            return bounds;
        }
        self.nodes.push(Node { bounds: items[0].1, next: 0, leaf: false });
        // Past depth 32 halve the list, so that a trail fits in 64 bits
        // for any number of lights below 2^31.
        let mid = if depth < 32 { split(items) } else { items.len() / 2 };
        let (left, right) = items.split_at_mut(mid);
        let a = self.build(left, trail, depth + 1);
        self.nodes[at].next = self.nodes.len() as u32;
        let b = self.build(right, trail | (1 << depth), depth + 1);
        let bounds = a.union(&b);
        self.nodes[at].bounds = bounds;
        bounds
    }

    /// A light for the point `p` of normal `n` (zero: a point in space) and
    /// its probability, from a uniform `u` in [0, 1).
    // Always inlined, so that it runs in the lanes' AVX-512 (`packet::li_avx512`).
    #[inline(always)]
    pub fn sample(&self, p: Vec3, n: Vec3, mut u: f64) -> Option<(u32, f64)> {
        let p_inf = self.infinite_share;
        if u < p_inf {
            let k = ((u / p_inf * self.infinite.len() as f64) as usize).min(self.infinite.len() - 1);
            return Some((self.infinite[k], p_inf / self.infinite.len() as f64));
        }
        let mut pmf = 1.0 - p_inf;
        u = ((u - p_inf) / (1.0 - p_inf)).min(1.0 - f64::EPSILON);
        let mut at = 0;
        loop {
            let node = self.nodes.get(at)?;
            if node.leaf {
                // A lone light is taken without weighing it (as `pmf` does):
                // where its importance is zero it cannot contribute anyway.
                return Some((node.next, pmf));
            }
            let (first, second) = (self.importance(at + 1, p, n), self.importance(node.next as usize, p, n));
            if first + second <= 0.0 {
                return None;
            }
            let p_first = first / (first + second);
            if u < p_first {
                u = (u / p_first).min(1.0 - f64::EPSILON);
                pmf *= p_first;
                at += 1;
            } else {
                u = ((u - p_first) / (1.0 - p_first)).min(1.0 - f64::EPSILON);
                pmf *= 1.0 - p_first;
                at = node.next as usize;
            }
        }
    }

    /// The probability that `sample` gives `light` for `p` and `n`.
    pub fn pmf(&self, p: Vec3, n: Vec3, light: u32) -> f64 {
        if self.infinite.contains(&light) {
            return self.infinite_share / self.infinite.len() as f64;
        }
        let Some((trail, depth)) = self.trails[light as usize] else { return 0.0 };
        let mut pmf = 1.0 - self.infinite_share;
        let mut at = 0;
        for level in 0..depth {
            let node = &self.nodes[at];
            let (first, second) = (self.importance(at + 1, p, n), self.importance(node.next as usize, p, n));
            if first + second <= 0.0 {
                return 0.0;
            }
            if trail & (1 << level) == 0 {
                pmf *= first / (first + second);
                at += 1;
            } else {
                pmf *= second / (first + second);
                at = node.next as usize;
            }
        }
        pmf
    }

    fn importance(&self, node: usize, p: Vec3, n: Vec3) -> f64 {
        self.nodes[node].bounds.importance(p, n) as f64
    }
}

/// Reorders `items` and returns where to split them: the bucket boundary of
/// least pbrt-v4 cost over the three axes of the centroids' box, or the
/// middle when every centroid is the same point.
fn split(items: &mut [(u32, LightBounds)]) -> usize {
    let centroids = Aabb::of_points(items.iter().map(|(_, b)| b.bounds.center()));
    let bounds = items.iter().skip(1).fold(items[0].1, |acc, (_, b)| acc.union(b));
    let extent = bounds.bounds.extent();
    let mut best: Option<(f32, usize, usize)> = None;
    for axis in 0..3 {
        let (lo, hi) = (centroids.min[axis], centroids.max[axis]);
        if hi <= lo {
            continue;
        }
        let bucket_of =
            |b: &LightBounds| (((b.bounds.center()[axis] - lo) / (hi - lo) * BUCKETS as f32) as usize).min(BUCKETS - 1);
        let mut buckets: [Option<LightBounds>; BUCKETS] = [None; BUCKETS];
        for (_, b) in items.iter() {
            let k = bucket_of(b);
            buckets[k] = Some(buckets[k].map_or(*b, |acc| acc.union(b)));
        }
        let kr = extent.max_element() / extent[axis].max(f32::MIN_POSITIVE);
        for cut in 1..BUCKETS {
            let side = |range: &[Option<LightBounds>]| {
                range.iter().flatten().fold(None, |acc: Option<LightBounds>, b| Some(acc.map_or(*b, |a| a.union(b))))
            };
            let cost = [side(&buckets[..cut]), side(&buckets[cut..])]
                .iter()
                .map(|s| s.map_or(0.0, |b| b.cost(kr)))
                .sum::<f32>();
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, axis, cut));
            }
        }
    }
    let Some((_, axis, cut)) = best else { return items.len() / 2 };
    let (lo, hi) = (centroids.min[axis], centroids.max[axis]);
    let left_of = |b: &LightBounds| {
        (((b.bounds.center()[axis] - lo) / (hi - lo) * BUCKETS as f32) as usize).min(BUCKETS - 1) < cut
    };
    // A stable partition, so the tree depends only on the lights' order.
    let (mut left, right): (Vec<_>, Vec<_>) = items.iter().partition(|(_, b)| left_of(b));
    let mid = left.len();
    if mid == 0 || mid == items.len() {
        return items.len() / 2;
    }
    left.extend(right);
    items.copy_from_slice(&left);
    mid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Cone;

    fn panel(x: f32, facing: Vec3, phi: f32) -> Option<LightBounds> {
        let at = Vec3::new(x, 1.0, 0.0);
        Some(LightBounds {
            bounds: Aabb { min: at - Vec3::splat(0.05), max: at + Vec3::splat(0.05) },
            phi,
            normals: Cone::of(facing),
            cos_theta_e: 0.0,
        })
    }

    #[test]
    fn sampled_frequencies_match_the_pmf_and_lights_facing_away_are_skipped() {
        // A row of panels over a floor point at the origin: half face down
        // (towards it), half face up; one background light.
        let mut bounds: Vec<Option<LightBounds>> = (0..40)
            .map(|i| panel(i as f32 * 0.3 - 6.0, if i % 2 == 0 { -Vec3::Y } else { Vec3::Y }, 1.0 + i as f32))
            .collect();
        bounds.push(None);
        let bvh = LightBvh::new(&bounds);
        let (p, n) = (Vec3::ZERO, Vec3::Y);
        let total: f64 = (0..41).map(|i| bvh.pmf(p, n, i)).sum();
        assert!((total - 1.0).abs() < 1e-9, "pmf sums to {total}");
        for i in (1..40).step_by(2) {
            assert_eq!(bvh.pmf(p, n, i), 0.0, "panel {i} faces away");
        }
        let mut counts = [0u32; 41];
        let draws = 200_000;
        for k in 0..draws {
            let u = (crate::hash::mix64(k) >> 11) as f64 / (1u64 << 53) as f64;
            let (light, pmf) = bvh.sample(p, n, u).unwrap();
            assert!((pmf - bvh.pmf(p, n, light)).abs() < 1e-12, "sample and pmf agree");
            counts[light as usize] += 1;
        }
        for (i, &c) in counts.iter().enumerate() {
            let expected = bvh.pmf(p, n, i as u32) * draws as f64;
            assert!((c as f64 - expected).abs() <= 5.0 * expected.sqrt() + 1.0, "light {i}: {c} vs {expected}");
        }
    }
}
