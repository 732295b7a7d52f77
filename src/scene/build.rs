//! Turns a checked scene description into the runtime `Scene`, in a fixed
//! order (materials, shapes, lights, acceleration structure, camera), so the
//! result is the same on every rank.

use super::desc::*;
use super::load::LoadedScene;
use super::runtime::{Scene, FLAT, NO_LIGHT};
use crate::accel::Bvh;
use crate::camera::{Camera, Projection};
use crate::geometry::{cube_triangles, rectangle_triangles, shapes::oriented, Shape, Sphere};
use crate::light::{Light, LightSampler};
use crate::material::{Bsdf, Material};
use crate::math::{Mat4, Transform, Vec3};
use crate::settings::Settings;
use anyhow::{bail, Result};
use std::collections::BTreeMap;

pub fn build(loaded: &LoadedScene, settings: &Settings) -> Result<Scene> {
    let d = &loaded.desc;
    let names: BTreeMap<&str, u32> = d.materials.keys().enumerate().map(|(i, k)| (k.as_str(), i as u32)).collect();
    let materials: Vec<Material> = d.materials.values().map(material).collect();

    let mut shapes = Vec::new();
    let mut shape_material = Vec::new();
    // Per shape: its vertex normals when smooth (indices into `normals`).
    let mut shape_shading: Vec<u32> = Vec::new();
    let mut normals: Vec<[Vec3; 3]> = Vec::new();
    for (i, s) in d.shapes.iter().enumerate() {
        let Some(&m) = names.get(s.material()) else {
            bail!("shapes[{i}].material: undefined material `{}`", s.material());
        };
        let t = match s.transform() {
            Some(t) => transform_of(t).map_err(|e| anyhow::anyhow!("shapes[{i}].transform: {e}"))?,
            None => Transform::IDENTITY,
        };
        let before = shapes.len();
        match s {
            ShapeDesc::Sphere(sp) => {
                if let Some(sphere) = Sphere::new(Vec3::from(sp.center), sp.radius, &t) {
                    shapes.push(Shape::Sphere(Box::new(sphere)));
                }
            }
            ShapeDesc::Rectangle(_) => shapes.extend(rectangle_triangles(&t).into_iter().map(Shape::Triangle)),
            ShapeDesc::Cube(_) => shapes.extend(cube_triangles(&t).into_iter().map(Shape::Triangle)),
            ShapeDesc::Triangle(tri) => {
                let [a, b, c] = tri.vertices.map(|v| t.point(Vec3::from(v)));
                shapes.extend(oriented(&t, a, b, c).map(Shape::Triangle));
            }
            ShapeDesc::Mesh(m) => {
                let Some(mesh) = loaded.meshes.get(i).and_then(Option::as_ref) else {
                    bail!("shapes[{i}]: the mesh was not loaded");
                };
                let world: Vec<Vec3> = mesh.positions.iter().map(|&p| t.point(p)).collect();
                let vertex_normals = if m.smooth {
                    let nm = t.normal_matrix();
                    mesh.vertex_normals().into_iter().map(|n| (nm * n).normalize_or_zero()).collect()
                } else {
                    Vec::new()
                };
                for &[a, b, c] in &mesh.triangles {
                    let Some(tri) = oriented(&t, world[a as usize], world[b as usize], world[c as usize]) else {
                        continue;
                    };
                    shapes.push(Shape::Triangle(tri));
                    if m.smooth {
                        // `oriented` swaps the last two corners under mirroring.
                        let (b, c) = if t.swaps_handedness() { (c, b) } else { (b, c) };
                        let corner = |k: u32| vertex_normals[k as usize];
                        shape_shading.resize(shapes.len() - 1, FLAT);
                        shape_shading.push(normals.len() as u32);
                        normals.push([corner(a), corner(b), corner(c)]);
                    }
                }
            }
        }
        shape_material.resize(shapes.len(), m);
        shape_shading.resize(shapes.len(), FLAT);
        if shapes.len() == before {
            bail!("shapes[{i}]: the transform collapses this shape to nothing");
        }
    }

    let (bvh, order) = Bvh::build(shapes);
    let prim_material: Vec<u32> = order.iter().map(|&k| shape_material[k as usize]).collect();
    let prim_shading: Vec<u32> = order.iter().map(|&k| shape_shading[k as usize]).collect();

    let mut lights = Vec::new();
    let mut prim_light = vec![NO_LIGHT; prim_material.len()];
    for (prim, &m) in prim_material.iter().enumerate() {
        let mat = &materials[m as usize];
        if mat.is_emissive() {
            prim_light[prim] = lights.len() as u32;
            lights.push(Light::Area { prim: prim as u32, emission: mat.emission });
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
    let bounds = bvh.bounds();
    let radius = if bounds.is_empty() { 1.0 } else { (bounds.extent().length() * 0.5).max(1e-3) };
    let lights = LightSampler::new(lights, bvh.shapes(), radius);

    let camera = camera(&d.camera, settings.width, settings.height);
    Ok(Scene {
        bvh,
        prim_material,
        prim_light,
        prim_shading,
        vertex_normals: normals,
        materials,
        lights,
        background,
        camera,
    })
}

fn material(m: &MaterialDesc) -> Material {
    let (bsdf, emission) = match m {
        MaterialDesc::Diffuse(d) => (Bsdf::Diffuse { reflectance: Vec3::from(d.reflectance) }, d.emission),
        MaterialDesc::Conductor(c) => {
            (Bsdf::Conductor { reflectance: Vec3::from(c.reflectance), alpha: c.roughness * c.roughness }, c.emission)
        }
        MaterialDesc::Dielectric(g) => (Bsdf::Dielectric { ior: g.ior, tint: Vec3::from(g.tint) }, g.emission),
        MaterialDesc::Emitter(e) => (Bsdf::Black, Some(e.emission)),
    };
    Material { bsdf, emission: emission.map(Vec3::from).unwrap_or(Vec3::ZERO) }
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

/// The transform a `transform` table describes, or why it is unusable.
pub fn transform_of(t: &TransformDesc) -> Result<Transform, String> {
    if let Some(m) = t.matrix {
        if t.scale.is_some() || t.rotate.is_some() || t.translate.is_some() {
            return Err("give either `matrix` alone or any of `scale`, `rotate`, `translate`".into());
        }
        if m.iter().flatten().any(|x| !x.is_finite()) {
            return Err("matrix entries must be finite numbers".into());
        }
        if m[3] != [0.0, 0.0, 0.0, 1.0] {
            return Err(format!("the last row of an affine matrix must be [0, 0, 0, 1], got {:?}", m[3]));
        }
        // Row-major in the file; glam is column-major.
        let mat = Mat4::from_cols_array_2d(&m).transpose();
        return Transform::from_matrix(mat).ok_or_else(|| "the matrix is singular".to_string());
    }
    let scale = match t.scale {
        Some(ScaleDesc::Uniform(s)) => Vec3::splat(s),
        Some(ScaleDesc::PerAxis(s)) => Vec3::from(s),
        None => Vec3::ONE,
    };
    let rotate = Vec3::from(t.rotate.unwrap_or([0.0; 3]));
    let translate = Vec3::from(t.translate.unwrap_or([0.0; 3]));
    if !(scale.is_finite() && rotate.is_finite() && translate.is_finite()) {
        return Err("scale, rotate and translate must be finite numbers".into());
    }
    Transform::from_srt(scale, rotate, translate).ok_or_else(|| format!("the transform is singular (scale {scale})"))
}
