//! The scene's objects, one per `[[shapes]]` entry: analytic spheres, flat
//! world-space triangles (rectangles, cubes, single triangles), and instances
//! that place a shared mesh with a transform. Rendering addresses a surface by
//! (object, primitive); this module turns such an address into points,
//! normals and area samples.

use super::{Hit, Sphere, SurfacePoint, TriMesh, Triangle};
use crate::math::{Mat3, Ray, Transform, Vec2, Vec3};

#[derive(Clone, Debug)]
pub enum Object {
    Sphere(Sphere),
    /// World-space triangles, corners ordered so the right-hand normal is outward.
    Triangles(TriMesh),
    Instance(Instance),
}

/// A mesh of `Geometry::meshes` placed in the world. Many instances share
/// one mesh and its acceleration structure.
#[derive(Clone, Debug)]
pub struct Instance {
    pub mesh: u32,
    pub to_world: Transform,
    normal_matrix: Mat3,
    mirrored: bool,
}

impl Instance {
    /// `flip`: the mesh's front side turned inward (normals negated).
    pub fn new(mesh: u32, to_world: Transform, flip: bool) -> Instance {
        let normal_matrix = if flip { -to_world.normal_matrix() } else { to_world.normal_matrix() };
        Instance { mesh, normal_matrix, mirrored: to_world.swaps_handedness() != flip, to_world }
    }

    /// Maps object-space normals to world space (outward, as placed).
    pub fn normal_matrix(&self) -> Mat3 {
        self.normal_matrix
    }
}

/// Every object of a scene and the meshes its instances share.
#[derive(Clone, Debug, Default)]
pub struct Geometry {
    pub objects: Vec<Object>,
    pub meshes: Vec<TriMesh>,
}

impl Geometry {
    /// Number of primitives (triangles, or one for a sphere) of `object`.
    pub fn prim_count(&self, object: u32) -> u32 {
        match &self.objects[object as usize] {
            Object::Sphere(_) => 1,
            Object::Triangles(m) => m.triangle_count() as u32,
            Object::Instance(i) => self.meshes[i.mesh as usize].triangle_count() as u32,
        }
    }

    /// The point a ray hit, its outward geometric normal, and its shading
    /// normal (interpolated vertex normals on smooth meshes, turned to the
    /// side of the geometric one; else the geometric one).
    #[inline(always)]
    pub fn surface(&self, hit: &Hit, ray: &Ray) -> (SurfacePoint, Vec3) {
        let (u, v) = (hit.u, hit.v);
        match &self.objects[hit.object as usize] {
            Object::Sphere(s) => {
                let sp = s.surface_point(ray.at(hit.t));
                (sp, sp.n)
            }
            Object::Triangles(m) => {
                let [a, b, c] = m.corners(hit.prim);
                let n = (b - a).cross(c - a).normalize_or(-ray.dir);
                (SurfacePoint { p: a * (1.0 - u - v) + b * u + c * v, n }, n)
            }
            Object::Instance(i) => {
                let mesh = &self.meshes[i.mesh as usize];
                let [a, b, c] = mesh.corners(hit.prim);
                let p = i.to_world.point(a * (1.0 - u - v) + b * u + c * v);
                let n = (i.normal_matrix * (b - a).cross(c - a)).normalize_or(-ray.dir);
                let ns = match mesh.interpolated_normal(hit.prim, u, v) {
                    Some(local) => {
                        let ns = (i.normal_matrix * local).normalize_or(n);
                        if ns.dot(n) < 0.0 {
                            -ns
                        } else {
                            ns
                        }
                    }
                    None => n,
                };
                (SurfacePoint { p, n }, ns)
            }
        }
    }

    /// Texture coordinates of the point `p` that `hit` found (its
    /// barycentrics `bary`); `None` on a mesh without them.
    #[inline]
    pub fn uv(&self, object: u32, prim: u32, bary: Vec2, p: Vec3) -> Option<Vec2> {
        match &self.objects[object as usize] {
            Object::Sphere(s) => Some(s.uv(p)),
            Object::Triangles(m) => m.uv(prim, bary.x, bary.y),
            Object::Instance(i) => self.meshes[i.mesh as usize].uv(prim, bary.x, bary.y),
        }
    }

    /// World-space ∂p/∂u at the point `p` of a primitive; `None` on a mesh
    /// without texture coordinates or where they collapse.
    pub fn dpdu(&self, object: u32, prim: u32, p: Vec3) -> Option<Vec3> {
        match &self.objects[object as usize] {
            Object::Sphere(s) => Some(s.dpdu(p)),
            Object::Triangles(m) => m.dpdu(prim),
            Object::Instance(i) => self.meshes[i.mesh as usize].dpdu(prim).map(|d| i.to_world.vector(d)),
        }
    }

    /// Texture coordinates of a point `p` on a primitive (a sampled point,
    /// which no ray hit gave barycentrics to).
    pub fn uv_at_point(&self, object: u32, prim: u32, p: Vec3) -> Option<Vec2> {
        match &self.objects[object as usize] {
            Object::Sphere(s) => Some(s.uv(p)),
            Object::Triangles(m) => {
                let bary = m.barycentrics(prim, p);
                m.uv(prim, bary.x, bary.y)
            }
            Object::Instance(i) => {
                let mesh = &self.meshes[i.mesh as usize];
                let bary = mesh.barycentrics(prim, i.to_world.inverse_point(p));
                mesh.uv(prim, bary.x, bary.y)
            }
        }
    }

    /// The world-space triangle `prim` of a triangle object, oriented so its
    /// normal is the outward one; `None` for spheres and collapsed triangles.
    pub fn world_triangle(&self, object: u32, prim: u32) -> Option<Triangle> {
        match &self.objects[object as usize] {
            Object::Sphere(_) => None,
            Object::Triangles(m) => {
                let [a, b, c] = m.corners(prim);
                Triangle::new(a, b, c)
            }
            Object::Instance(i) => {
                let [a, b, c] = self.meshes[i.mesh as usize].corners(prim).map(|p| i.to_world.point(p));
                if i.mirrored {
                    Triangle::new(a, c, b)
                } else {
                    Triangle::new(a, b, c)
                }
            }
        }
    }

    /// World-space area of a primitive.
    pub fn area(&self, object: u32, prim: u32) -> f32 {
        match &self.objects[object as usize] {
            Object::Sphere(s) => s.area(),
            _ => self.world_triangle(object, prim).map_or(0.0, |t| t.area()),
        }
    }

    /// Triangles stored (each mesh once) and placed (every instance counted).
    pub fn triangle_counts(&self) -> (u64, u64) {
        let meshes: usize = self.meshes.iter().map(TriMesh::triangle_count).sum();
        let (mut stored, mut placed) = (meshes as u64, 0);
        for (object, o) in self.objects.iter().enumerate() {
            if !matches!(o, Object::Sphere(_)) {
                placed += self.prim_count(object as u32) as u64;
            }
            if let Object::Triangles(m) = o {
                stored += m.triangle_count() as u64;
            }
        }
        (stored, placed)
    }

    /// Bytes the meshes and the objects hold (not the accelerator).
    pub fn bytes(&self) -> usize {
        let objects = self.objects.capacity() * std::mem::size_of::<Object>();
        let own = self.objects.iter().map(|o| if let Object::Triangles(m) = o { m.bytes() } else { 0 }).sum::<usize>();
        objects + own + self.meshes.iter().map(TriMesh::bytes).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_instance(t: Transform) -> Geometry {
        let mesh = TriMesh::from_corners(&[[Vec3::ZERO, Vec3::X, Vec3::Y]]);
        Geometry { objects: vec![Object::Instance(Instance::new(0, t, false))], meshes: vec![mesh] }
    }

    #[test]
    fn instance_normals_stay_outward_under_mirroring() {
        for scale in [Vec3::ONE, Vec3::new(1.0, 1.0, -2.0), Vec3::new(-1.0, 3.0, 1.0)] {
            let t = Transform::from_srt(scale, Vec3::new(10.0, 0.0, 30.0), Vec3::ONE).unwrap();
            let g = one_instance(t);
            let expected = (t.normal_matrix() * Vec3::Z).normalize();
            let tri = g.world_triangle(0, 0).unwrap();
            assert!((tri.normal - expected).length() < 1e-5, "{scale}: {} vs {expected}", tri.normal);
            let hit = Hit { t: 1.0, object: 0, prim: 0, u: 0.25, v: 0.25 };
            let (sp, ns) = g.surface(&hit, &Ray::new(Vec3::ZERO, Vec3::Z));
            assert!((sp.n - expected).length() < 1e-5 && ns == sp.n);
            assert!((sp.p - t.point(Vec3::new(0.25, 0.25, 0.0))).length() < 1e-5);
            assert!((g.area(0, 0) - tri.area()).abs() < 1e-6);
        }
    }
}
