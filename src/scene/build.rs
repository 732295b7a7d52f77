//! Turns a checked scene description into the runtime `Scene`, in a fixed
//! order (materials, shapes, lights, acceleration structure, camera), so the
//! result is the same on every rank.

use super::desc::*;
use super::load::LoadedScene;
use super::runtime::{Scene, NO_LIGHT};
use crate::accel::Accel;
use crate::camera::{Camera, Projection};
use crate::geometry::shapes::{oriented, Corners};
use crate::geometry::{cube_triangles, rectangle_triangles, Geometry, Instance, Object, Sphere, TriMesh};
use crate::light::{Emitters, Light, LightChoice, LightSampler};
use crate::material::{Bsdf, Material};
use crate::math::Vec3;
use anyhow::{bail, Result};
use std::sync::Arc;

/// Builds the scene, its acceleration structure with `threads` threads. The
/// loaded meshes move into the scene (no copy).
pub fn build(loaded: LoadedScene, (width, height): (u32, u32), threads: usize) -> Result<Scene> {
    let LoadedScene { desc: d, checked, meshes: loaded_meshes, shape_mesh, .. } = loaded;
    let materials: Vec<Material> = d.materials.values().map(material).collect();

    // `load` read each mesh once, in the order shapes first place them.
    let meshes = loaded_meshes.into_iter().map(|m| TriMesh::new(m.mesh, m.smooth)).collect();
    let mut geometry = Geometry { objects: Vec::with_capacity(d.shapes.len()), meshes };
    let mut object_material = Vec::with_capacity(d.shapes.len());
    for (i, (s, typed)) in d.shapes.iter().zip(&checked.shapes).enumerate() {
        let (m, t) = (typed.material, typed.transform);
        let object = match s {
            ShapeDesc::Sphere(sp) => Sphere::new(Vec3::from(sp.center), sp.radius, &t).map(Object::Sphere),
            ShapeDesc::Rectangle(_) => flat(rectangle_triangles(&t)),
            ShapeDesc::Cube(_) => flat(cube_triangles(&t)),
            ShapeDesc::Triangle(tri) => {
                let [a, b, c] = tri.vertices.map(|v| t.point(Vec3::from(v)));
                flat(oriented(&t, a, b, c).into_iter().collect())
            }
            ShapeDesc::Mesh(_) | ShapeDesc::Instance(_) => {
                let Some(k) = shape_mesh.get(i).copied().flatten().filter(|&k| k < geometry.meshes.len()) else {
                    bail!("shapes[{i}]: the mesh was not loaded");
                };
                Some(Object::Instance(Instance::new(k as u32, t)))
            }
        };
        let Some(object) = object else {
            bail!("shapes[{i}]: the transform collapses this shape to nothing");
        };
        geometry.objects.push(object);
        object_material.push(m);
    }

    let mut lights = Vec::new();
    let mut object_light = vec![NO_LIGHT; object_material.len()];
    let mut emitters = Emitters::default();
    for (object, &m) in object_material.iter().enumerate() {
        let emission = materials[m as usize].emission;
        if materials[m as usize].is_emissive() {
            object_light[object] = lights.len() as u32;
            let object = object as u32;
            lights.push(Light::Area { object, emission, emitter: emitters.of(&geometry, object) });
        }
    }
    for l in &d.lights {
        lights.push(match l {
            LightDesc::Point(p) => {
                Light::Point { position: Vec3::from(p.position), intensity: Vec3::from(p.intensity) }
            }
            LightDesc::Directional(d) => Light::Directional {
                direction: Vec3::from(d.direction).normalize(),
                irradiance: Vec3::from(d.irradiance),
            },
        });
    }
    let background = Vec3::from(d.background.color);
    if background.max_element() > 0.0 {
        lights.push(Light::Background { radiance: background });
    }
    let accel = Accel::build(Arc::new(geometry), threads)?;
    let bounds = accel.bounds();
    let radius = if bounds.is_empty() { 1.0 } else { (bounds.extent().length() * 0.5).max(1e-3) };
    let choice = match d.render.light_sampler {
        LightSamplerDesc::Bvh => LightChoice::Bvh,
        LightSamplerDesc::Power => LightChoice::Power,
    };
    let lights = LightSampler::new(lights, accel.geometry(), radius, choice);

    let camera = camera(&d.camera, width, height);
    Ok(Scene { accel, object_material, object_light, materials, lights, background, camera })
}

/// An object of flat triangles, or `None` when the transform left none.
fn flat(corners: Vec<Corners>) -> Option<Object> {
    (!corners.is_empty()).then(|| Object::Triangles(TriMesh::from_corners(&corners)))
}

fn material(m: &MaterialDesc) -> Material {
    let bsdf = match m {
        MaterialDesc::Diffuse(d) => Bsdf::Diffuse { reflectance: Vec3::from(d.reflectance) },
        MaterialDesc::Conductor(c) => {
            Bsdf::Conductor { reflectance: Vec3::from(c.reflectance), alpha: c.roughness * c.roughness }
        }
        MaterialDesc::Dielectric(g) => Bsdf::Dielectric { ior: g.ior, tint: Vec3::from(g.tint) },
        MaterialDesc::Emitter(_) => Bsdf::Black,
    };
    Material { bsdf, emission: m.emission().map(Vec3::from).unwrap_or(Vec3::ZERO) }
}

fn camera(c: &CameraDesc, width: u32, height: u32) -> Camera {
    let (position, look_at) = (Vec3::from(c.position), Vec3::from(c.look_at));
    let tan_half_fov = (c.fov.to_radians() * 0.5).tan();
    let projection = match c.kind {
        CameraKind::Perspective => Projection::Perspective { tan_half_fov },
        CameraKind::Orthographic => Projection::Orthographic { half_height: c.height * 0.5 },
        CameraKind::ThinLens => Projection::ThinLens {
            tan_half_fov,
            aperture_radius: c.aperture_radius,
            focus_distance: c.focus_distance.unwrap_or_else(|| (look_at - position).length()),
        },
    };
    Camera::new(position, look_at, Vec3::from(c.up), projection, width, height)
}
