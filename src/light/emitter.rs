//! What the light samplers know of an emissive object: an exact table over
//! its primitives (by area), and its bounds, normal cone and area. A mesh's
//! data is computed once in object space and shared by all its instances,
//! so a thousand instances of a million-triangle lamp cost one table and
//! one light entry each, not 10⁹ entries.

use super::alias::AliasTable;
use crate::geometry::{Geometry, Object, Sphere, TriMesh, Triangle};
use crate::math::{Aabb, Cone, Mat3, Vec3};
use std::collections::HashMap;
use std::sync::Arc;

/// An emissive shape in its own space: world space for spheres and flat
/// triangles, object space for a mesh that instances place.
#[derive(Debug)]
pub struct Emitter {
    /// Chooses a primitive, by area.
    pub prims: AliasTable,
    pub bounds: Aabb,
    /// Holds every primitive's outward normal.
    pub normals: Cone,
    pub area: f64,
    /// The triangles of an emitter in world space (not instanced), kept
    /// for next-event estimation when there are at most
    /// `KEPT_TRIANGLES_MAX` and all have area; else `None`, and sampling
    /// asks `Geometry` for each one.
    pub world_triangles: Option<Vec<Triangle>>,
}

/// 52 bytes each: a lamp's triangles, not a scanned mesh's.
const KEPT_TRIANGLES_MAX: usize = 1 << 16;

/// An emitter placed in the world: what the light BVH bounds.
pub struct Placed {
    pub bounds: Aabb,
    pub normals: Cone,
    pub area: f64,
}

impl Emitter {
    fn triangles(corners: impl Iterator<Item = [Vec3; 3]> + Clone, in_world: bool) -> Emitter {
        let kept = in_world
            .then(|| corners.clone().take(KEPT_TRIANGLES_MAX + 1).map(|[a, b, c]| Triangle::new(a, b, c)).collect())
            .and_then(|t: Option<Vec<Triangle>>| t.filter(|t| t.len() <= KEPT_TRIANGLES_MAX));
        let mut areas = Vec::new();
        let mut bounds = Aabb::EMPTY;
        let mut normals: Option<Cone> = None;
        for [a, b, c] in corners {
            let cross = (b - a).cross(c - a);
            let area = 0.5 * cross.length() as f64;
            areas.push(area);
            bounds = bounds.union(&Aabb::of_points([a, b, c]));
            if area > 0.0 {
                let cone = Cone::of(cross);
                normals = Some(normals.map_or(cone, |n| if n.is_sphere() { n } else { n.union(cone) }));
            }
        }
        Emitter {
            prims: AliasTable::new(&areas),
            bounds,
            normals: normals.unwrap_or(Cone::SPHERE),
            area: areas.iter().sum(),
            world_triangles: kept,
        }
    }

    fn sphere(s: &Sphere) -> Emitter {
        Emitter {
            prims: AliasTable::new(&[1.0]),
            bounds: s.bounds(),
            normals: Cone::SPHERE,
            area: s.area() as f64,
            world_triangles: None,
        }
    }
}

/// Builds each object's emitter, sharing one per mesh.
#[derive(Default)]
pub struct Emitters {
    meshes: HashMap<u32, Arc<Emitter>>,
}

impl Emitters {
    pub fn of(&mut self, geometry: &Geometry, object: u32) -> Arc<Emitter> {
        match &geometry.objects[object as usize] {
            Object::Sphere(s) => Arc::new(Emitter::sphere(s)),
            Object::Triangles(m) => Arc::new(Emitter::triangles(corners(m), true)),
            Object::Instance(i) => {
                let mesh = &geometry.meshes[i.mesh as usize];
                let emitter = || Arc::new(Emitter::triangles(corners(mesh), false));
                self.meshes.entry(i.mesh).or_insert_with(emitter).clone()
            }
        }
    }
}

fn corners(m: &TriMesh) -> impl Iterator<Item = [Vec3; 3]> + Clone + '_ {
    (0..m.triangle_count() as u32).map(|t| m.corners(t))
}

/// The emitter of `object` as placed in the world. Under an instance's
/// transform the area is scaled by |det|^⅔ (exact for uniform scales; it
/// only weighs lights), and the normal cone keeps its angle only under
/// rotation and uniform scale (else it becomes the whole sphere).
pub fn placed(geometry: &Geometry, object: u32, e: &Emitter) -> Placed {
    let Object::Instance(i) = &geometry.objects[object as usize] else {
        return Placed { bounds: e.bounds, normals: e.normals, area: e.area };
    };
    let t = &i.to_world;
    let bounds = Aabb::of_points(e.bounds.corners().map(|p| t.point(p)));
    let det = Mat3::from_mat4(t.m).determinant().abs() as f64;
    let normals = if e.normals.is_sphere() || t.uniform_scale().is_none() {
        Cone::SPHERE
    } else {
        Cone { axis: (i.normal_matrix() * e.normals.axis).normalize(), cos_theta: e.normals.cos_theta }
    };
    Placed { bounds, normals, area: e.area * det.powf(2.0 / 3.0) }
}
