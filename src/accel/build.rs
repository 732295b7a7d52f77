//! BVH construction: binned surface-area heuristic, reordering the primitives
//! so that every leaf refers to a contiguous range.

use crate::geometry::Shape;
use crate::math::{Aabb, Vec3, Vec3A};

/// A box in SIMD registers, for the slab test in traversal.
#[derive(Clone, Copy, Debug)]
pub(super) struct SimdBox {
    pub min: Vec3A,
    pub max: Vec3A,
}

impl From<Aabb> for SimdBox {
    fn from(b: Aabb) -> SimdBox {
        SimdBox { min: b.min.into(), max: b.max.into() }
    }
}

/// The reciprocal of a ray direction with zero components replaced by a tiny
/// value of the same sign: `inv` stays finite, so the slab test never
/// computes ∞ − ∞ for rays parallel to an axis.
#[inline(always)]
pub(super) fn safe_inverse(dir: Vec3A) -> Vec3A {
    let tiny = Vec3A::splat(1e-20);
    Vec3A::select(dir.abs().cmplt(tiny), tiny.copysign(dir), dir).recip()
}

impl SimdBox {
    /// Slab test against a ray given as `inv_dir` (from `safe_inverse`) and
    /// `origin * inv_dir`.
    #[inline(always)]
    pub fn hit(&self, inv_dir: Vec3A, origin_scaled: Vec3A, t_max: f32) -> bool {
        let t0 = self.min * inv_dir - origin_scaled;
        let t1 = self.max * inv_dir - origin_scaled;
        let near = t0.min(t1).max_element().max(0.0);
        let far = t0.max(t1).min_element().min(t_max);
        near <= far
    }
}

const BINS: usize = 16;
const MAX_LEAF: usize = 4;
/// Cost of one node visit relative to one primitive test.
const TRAVERSAL_COST: f32 = 1.0;

/// A node is a leaf when `count > 0` (primitives `offset..offset + count`),
/// otherwise an interior node whose left child follows it and whose right
/// child is at `offset`; `axis` orders the children for traversal.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(super) struct Node {
    pub bounds: SimdBox,
    pub offset: u32,
    pub count: u16,
    pub axis: u16,
}

pub struct Bvh {
    pub(super) nodes: Vec<Node>,
    /// Primitives in leaf order.
    pub(super) shapes: Vec<Shape>,
}

struct Item {
    bounds: Aabb,
    centroid: Vec3,
    index: u32,
}

impl Bvh {
    /// Builds the tree and returns it with the order it put the shapes in:
    /// `order[k]` is the input index of the shape now at position `k`.
    pub fn build(shapes: Vec<Shape>) -> (Bvh, Vec<u32>) {
        let mut items: Vec<Item> = shapes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let bounds = s.bounds();
                Item { bounds, centroid: bounds.centroid(), index: i as u32 }
            })
            .collect();
        let mut nodes = Vec::with_capacity(2 * items.len().max(1));
        if items.is_empty() {
            nodes.push(Node { bounds: Aabb::EMPTY.into(), offset: 0, count: 0, axis: 0 });
        } else {
            build_node(&mut items, 0, &mut nodes);
        }
        let mut slots: Vec<Option<Shape>> = shapes.into_iter().map(Some).collect();
        let shapes = items.iter().map(|it| slots[it.index as usize].take().expect("each shape once")).collect();
        let order = items.iter().map(|it| it.index).collect();
        (Bvh { nodes, shapes }, order)
    }

    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    pub fn bounds(&self) -> Aabb {
        let b = self.nodes[0].bounds;
        Aabb { min: b.min.into(), max: b.max.into() }
    }
}

fn build_node(items: &mut [Item], offset: usize, nodes: &mut Vec<Node>) -> usize {
    let bounds = items.iter().fold(Aabb::EMPTY, |b, it| b.union(it.bounds));
    let index = nodes.len();
    nodes.push(Node { bounds: bounds.into(), offset: offset as u32, count: items.len() as u16, axis: 0 });
    if items.len() <= 1 {
        return index;
    }
    let centroids = items.iter().fold(Aabb::EMPTY, |b, it| b.grow(it.centroid));
    let leaf_cost = items.len() as f32;
    let (axis, mid) = match best_split(items, &centroids) {
        Some((_, _, cost)) if items.len() <= MAX_LEAF && cost >= leaf_cost => return index,
        Some((axis, pos, _)) => {
            let mid = partition(items, |it| it.centroid[axis] < pos);
            (axis, mid.clamp(1, items.len() - 1))
        }
        None if items.len() <= MAX_LEAF => return index,
        // Every centroid coincides: no plane separates them, so halve the list.
        None => (0, items.len() / 2),
    };
    let (left, right) = items.split_at_mut(mid);
    build_node(left, offset, nodes);
    let right_index = build_node(right, offset + mid, nodes);
    nodes[index] = Node { bounds: bounds.into(), offset: right_index as u32, count: 0, axis: axis as u16 };
    index
}

/// The best (axis, position, SAH cost) over binned candidate planes.
fn best_split(items: &[Item], centroids: &Aabb) -> Option<(usize, f32, f32)> {
    let parent_area = items.iter().fold(Aabb::EMPTY, |b, it| b.union(it.bounds)).half_area().max(1e-20);
    let mut best: Option<(usize, f32, f32)> = None;
    for axis in 0..3 {
        let (lo, hi) = (centroids.min[axis], centroids.max[axis]);
        if hi - lo <= 1e-12 * (1.0 + lo.abs()) {
            continue;
        }
        let scale = BINS as f32 / (hi - lo);
        let mut bins = [(Aabb::EMPTY, 0u32); BINS];
        for it in items {
            let b = (((it.centroid[axis] - lo) * scale) as usize).min(BINS - 1);
            bins[b].0 = bins[b].0.union(it.bounds);
            bins[b].1 += 1;
        }
        let mut right_area = [0.0f32; BINS];
        let mut right_count = [0u32; BINS];
        let (mut acc, mut n) = (Aabb::EMPTY, 0);
        for i in (1..BINS).rev() {
            acc = acc.union(bins[i].0);
            n += bins[i].1;
            right_area[i] = acc.half_area();
            right_count[i] = n;
        }
        let (mut acc, mut n) = (Aabb::EMPTY, 0);
        for i in 0..BINS - 1 {
            acc = acc.union(bins[i].0);
            n += bins[i].1;
            let (nl, nr) = (n, right_count[i + 1]);
            if nl == 0 || nr == 0 {
                continue;
            }
            let cost = TRAVERSAL_COST + (acc.half_area() * nl as f32 + right_area[i + 1] * nr as f32) / parent_area;
            if best.is_none_or(|(_, _, c)| cost < c) {
                best = Some((axis, lo + (i + 1) as f32 / scale, cost));
            }
        }
    }
    best
}

/// Stable in-place partition: items satisfying `pred` first. Returns their count.
fn partition(items: &mut [Item], pred: impl Fn(&Item) -> bool) -> usize {
    let mut first = 0;
    for i in 0..items.len() {
        if pred(&items[i]) {
            items.swap(first, i);
            first += 1;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slab_test_hits_misses_and_handles_axis_parallel_rays() {
        let b = SimdBox::from(Aabb { min: Vec3::splat(-1.0), max: Vec3::splat(1.0) });
        let test = |o: Vec3, d: Vec3, t_max: f32| {
            let inv = safe_inverse(d.into());
            b.hit(inv, Vec3A::from(o) * inv, t_max)
        };
        assert!(test(Vec3::new(-3.0, 0.0, 0.0), Vec3::X, 10.0));
        assert!(!test(Vec3::new(-3.0, 2.0, 0.0), Vec3::X, 10.0));
        assert!(!test(Vec3::new(-3.0, 0.0, 0.0), Vec3::X, 1.0));
        // Directions with zero components.
        assert!(test(Vec3::new(-3.0, 0.5, -0.5), Vec3::X, 10.0));
        assert!(test(Vec3::new(0.0, 0.0, 5.0), -Vec3::Z, 10.0));
        assert!(!test(Vec3::new(0.0, 1.5, 5.0), -Vec3::Z, 10.0));
    }
}
