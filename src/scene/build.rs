//! Turns a checked scene description into the runtime `World`, in a fixed
//! order (shapes, acceleration structure, camera; then per colour kind
//! materials and lights), so the result is the same on every rank. The
//! geometry and BVH are built once; RGB mode shades them with `Vec3`s,
//! spectral mode once per group of bins.

use super::desc::*;
use super::load::{LoadedMesh, LoadedScene};
use super::runtime::{Scene, SpectralScene, World, NO_LIGHT};
use super::validate::Checked;
use crate::accel::Accel;
use crate::camera::{Camera, Projection};
use crate::geometry::shapes::{oriented, Corners, TRIANGLE_UVS};
use crate::geometry::{cube_triangles, rectangle_triangles, Geometry, Instance, Object, Sphere, TriMesh};
use crate::light::{Background, Emitter, Emitters, Envmap, Light, LightChoice, LightSampler, Sky};
use crate::material::{Blend, Bsdf, Fresnel, Material, Opacity, Plastic, RoughPlastic, Varying, MIN_ROUGH_ALPHA};
use crate::math::{Aabb, Transform, Vec3};
use crate::observer::{Detector, Observer, Target};
use crate::spectrum::{GroupPalette, Metal, Palette, Radiance, RgbPalette, Role, Spectrum, SrgbWeights, RGB_MODE_NM};
use crate::texture::{Colours, Texture};
use anyhow::{bail, Result};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What every colour kind shares: the placed geometry and its BVH.
struct Shapes {
    accel: Arc<Accel>,
    object_material: Arc<[u32]>,
    /// Per object whose material emits at some wavelength: its emitter.
    emitters: Vec<Option<Arc<Emitter>>>,
    radius: f32,
    choice: LightChoice,
    camera: Camera,
    /// Bytes of the textures' images.
    texture_bytes: u64,
    /// The environment map, built once for every spectral group.
    envmap: Option<Arc<Envmap>>,
}

/// Builds the scene, its acceleration structure with `threads` threads, and
/// its observers, their targets resolved. The loaded meshes move into the
/// scene (no copy).
pub fn build(loaded: LoadedScene, (width, height): (u32, u32), threads: usize) -> Result<(World, Vec<Observer>)> {
    let LoadedScene { desc: d, checked, meshes, shape_mesh, observers, texture_bytes, .. } = loaded;
    let (mut shapes, targets) = shapes(&d, &checked, (meshes, shape_mesh), (width, height), threads)?;
    shapes.texture_bytes = texture_bytes;
    shapes.envmap = envmap(&d.background);
    let observers = observers
        .into_iter()
        .map(|c| {
            let mut o = c.observer;
            if let Some(target) = c.target.and_then(|shape| targets[shape]) {
                for d in &mut o.detectors {
                    if let Detector::Pixel { target: t, .. } = d {
                        *t = Some(target);
                    }
                }
            }
            o
        })
        .collect();
    let world = match checked.binning {
        None => World::Rgb(shade(&d, &RgbPalette, &shapes)),
        Some(binning) => {
            let groups =
                (0..binning.groups()).map(|group| shade(&d, &GroupPalette { binning: &binning, group }, &shapes));
            World::Spectral(SpectralScene { groups: groups.collect(), srgb: SrgbWeights::new(&binning), binning })
        }
    };
    Ok((world, observers))
}

/// The placed shapes and their BVH (shapes of the `null` material left
/// out), and per shape the bounding sphere of the named ones (targets).
fn shapes(
    d: &SceneDesc,
    checked: &Checked,
    (loaded_meshes, shape_mesh): (Vec<LoadedMesh>, Vec<Option<usize>>),
    (width, height): (u32, u32),
    threads: usize,
) -> Result<(Shapes, Vec<Option<Target>>)> {
    // `load` read each mesh once, in the order shapes first place them.
    let meshes = loaded_meshes.into_iter().map(|m| TriMesh::new(m.mesh, m.smooth)).collect();
    let mut geometry = Geometry { objects: Vec::with_capacity(d.shapes.len()), meshes };
    let mut object_material = Vec::with_capacity(d.shapes.len());
    let mut targets = Vec::with_capacity(d.shapes.len());
    for (i, (s, typed)) in d.shapes.iter().zip(&checked.shapes).enumerate() {
        let (m, t, flip) = (typed.material, typed.transform, s.flip_normals());
        let object = match s {
            ShapeDesc::Sphere(sp) => Sphere::new(Vec3::from(sp.center), sp.radius, &t, flip).map(Object::Sphere),
            ShapeDesc::Rectangle(_) => flat(rectangle_triangles(&t), flip),
            ShapeDesc::Cube(_) => flat(cube_triangles(&t), flip),
            ShapeDesc::Triangle(tri) => {
                let corners = tri.vertices.map(|v| t.point(Vec3::from(v)));
                flat(oriented(&t, corners, TRIANGLE_UVS).into_iter().collect(), flip)
            }
            ShapeDesc::Mesh(_) | ShapeDesc::Instance(_) => {
                let Some(k) = shape_mesh.get(i).copied().flatten().filter(|&k| k < geometry.meshes.len()) else {
                    bail!("shapes[{i}]: the mesh was not loaded");
                };
                Some(Object::Instance(Instance::new(k as u32, t, flip)))
            }
        };
        let Some(object) = object else {
            bail!("shapes[{i}]: the transform collapses this shape to nothing");
        };
        targets.push(s.name().map(|_| bounding_sphere(&object, &geometry.meshes)));
        if !matches!(d.materials.values().nth(m as usize), Some(MaterialDesc::Null(_))) {
            geometry.objects.push(object);
            object_material.push(m);
        }
    }
    let emits: Vec<bool> = d.materials.values().map(MaterialDesc::emits).collect();
    let mut shared = Emitters::default();
    let emitters = (0..geometry.objects.len())
        .map(|object| emits[object_material[object] as usize].then(|| shared.of(&geometry, object as u32)))
        .collect();
    let accel = Arc::new(Accel::build(Arc::new(geometry), threads)?);
    let bounds = accel.bounds();
    let radius = if bounds.is_empty() { 1.0 } else { (bounds.extent().length() * 0.5).max(1e-3) };
    let choice = match d.render.light_sampler {
        LightSamplerDesc::Bvh => LightChoice::Bvh,
        LightSamplerDesc::Power => LightChoice::Power,
    };
    // A scene of observers alone has no camera; nothing uses this one.
    let camera = d.camera.as_ref().map_or_else(|| unused_camera(width, height), |c| camera(c, width, height));
    let object_material = object_material.into();
    Ok((Shapes { accel, object_material, emitters, radius, choice, camera, texture_bytes: 0, envmap: None }, targets))
}

fn unused_camera(width: u32, height: u32) -> Camera {
    let projection = Projection::Perspective { tan_half_fov: 1.0 };
    Camera::new(Vec3::ZERO, Vec3::NEG_Z, Vec3::Y, projection, width, height)
}

/// A sphere around everything an object covers.
fn bounding_sphere(object: &Object, meshes: &[TriMesh]) -> Target {
    let corners = |m: &TriMesh| (0..m.triangle_count() as u32).flat_map(move |t| m.corners(t)).collect::<Vec<Vec3>>();
    let bounds = match object {
        Object::Sphere(s) => s.bounds(),
        Object::Triangles(m) => Aabb::of_points(corners(m)),
        Object::Instance(i) => {
            Aabb::of_points(corners(&meshes[i.mesh as usize]).into_iter().map(|p| i.to_world.point(p)))
        }
    };
    Target { centre: bounds.center(), radius: 0.5 * bounds.extent().length() }
}

/// The scene with colours from `palette`.
fn shade<P: Palette>(d: &SceneDesc, palette: &P, shapes: &Shapes) -> Scene<P::Radiance> {
    let materials: Vec<Material<P::Radiance>> =
        d.materials.values().map(|m| material(m, &d.materials, palette)).collect();
    let mut lights = Vec::new();
    let mut object_light = vec![NO_LIGHT; shapes.object_material.len()];
    for (object, emitter) in shapes.emitters.iter().enumerate() {
        let material = &materials[shapes.object_material[object] as usize];
        if let Some(emitter) = emitter.as_ref().filter(|_| material.is_emissive()) {
            object_light[object] = lights.len() as u32;
            let (object, emission, texture) = (object as u32, material.emission, material.emission_texture.clone());
            lights.push(Light::Area { object, emission, texture, emitter: emitter.clone() });
        }
    }
    for l in &d.lights {
        lights.push(match l {
            LightDesc::Point(p) => Light::Point {
                position: Vec3::from(p.position),
                intensity: palette.colour(p.intensity.spectrum(), Role::Emission),
            },
            LightDesc::Spot(sp) => {
                let (direction, beam, cutoff) = sp.cone();
                Light::Spot {
                    position: Vec3::from(sp.position),
                    direction,
                    intensity: palette.colour(sp.intensity.spectrum(), Role::Emission),
                    cos_beam: beam.cos(),
                    cutoff,
                    beam,
                }
            }
            LightDesc::Directional(dl) => Light::Directional {
                direction: Vec3::from(dl.direction).normalize(),
                irradiance: palette.colour(dl.irradiance.spectrum(), Role::Emission),
            },
        });
    }
    let background = background(&d.background, shapes.envmap.as_ref(), palette);
    if !background.is_black() {
        lights.push(Light::Background(background.clone()));
    }
    let lights = LightSampler::new(lights, shapes.accel.geometry(), shapes.radius, shapes.choice);
    Scene {
        accel: shapes.accel.clone(),
        object_material: shapes.object_material.clone(),
        object_light,
        lights,
        has_cutouts: materials.iter().any(|m| m.opacity.is_some()),
        materials,
        background,
        camera: shapes.camera.clone(),
        texture_bytes: shapes.texture_bytes,
    }
}

/// The envmap's importance-sampling tables, when the sky is one (`None`
/// also for an image that `load` did not read, which it always does, or
/// that validation would refuse).
fn envmap(b: &BackgroundDesc) -> Option<Arc<Envmap>> {
    let image = b.image.as_ref().filter(|_| b.kind == BackgroundKind::Envmap)?;
    let to_world = b.transform.as_ref().and_then(|t| t.to_transform().ok()).unwrap_or(Transform::IDENTITY);
    Envmap::new(image.clone(), to_world, b.scale).map(Arc::new)
}

/// The sky: a uniform colour, or the envmap (black without one).
fn background<P: Palette>(b: &BackgroundDesc, envmap: Option<&Arc<Envmap>>, palette: &P) -> Background<P::Radiance> {
    match (b.kind, envmap) {
        (BackgroundKind::Color, _) => Background::Uniform(palette.colour(b.color.spectrum(), Role::Emission)),
        (BackgroundKind::Envmap, Some(map)) => {
            Background::Envmap(Arc::new(Sky { map: map.clone(), basis: palette.texel_basis(Role::Emission) }))
        }
        (BackgroundKind::Envmap, None) => Background::Uniform(P::Radiance::ZERO),
    }
}

/// An object of flat triangles (wound the other way when flipped), or
/// `None` when the transform left none.
fn flat(mut corners: Vec<Corners>, flip: bool) -> Option<Object> {
    if flip {
        corners.iter_mut().for_each(|(c, uv)| {
            c.swap(1, 2);
            uv.swap(1, 2);
        });
    }
    let positions: Vec<[Vec3; 3]> = corners.iter().map(|c| c.0).collect();
    let uvs = corners.iter().flat_map(|c| c.1).collect();
    (!corners.is_empty()).then(|| Object::Triangles(TriMesh::from_corners(&positions).with_corner_uvs(uvs)))
}

/// A material; `all` (every material, by name) for the parts of blends,
/// which validation has checked exist and do not cycle.
fn material<P: Palette>(m: &MaterialDesc, all: &BTreeMap<String, MaterialDesc>, p: &P) -> Material<P::Radiance> {
    let reflectance = |s: &SpectrumDesc| p.colour(s.spectrum(), Role::Reflectance);
    let albedo = |s: &SpectrumDesc| s.spectrum().rgb(Role::Reflectance);
    let (bsdf, albedo) = match m {
        MaterialDesc::Diffuse(d) => {
            (Bsdf::Diffuse { reflectance: reflectance(&d.reflectance) }, albedo(&d.reflectance))
        }
        MaterialDesc::Conductor(c) => {
            let alpha = c.roughness.value().powi(2);
            let (fresnel, rgb) = conductor(c, p);
            (Bsdf::Conductor { fresnel, alpha }, rgb)
        }
        MaterialDesc::Dielectric(g) if g.roughness.texture().is_some() || g.roughness.value() > 0.0 => {
            let (ior, alpha) = (g.ior.0.at(RGB_MODE_NM) as f32, g.roughness.value().powi(2).max(MIN_ROUGH_ALPHA));
            (Bsdf::RoughDielectric { ior, tint: reflectance(&g.tint), alpha }, albedo(&g.tint))
        }
        MaterialDesc::Dielectric(g) => {
            let (ior, dispersive) = p.ior(&g.ior.0);
            let bsdf = Bsdf::Dielectric { ior, tint: reflectance(&g.tint), dispersive, lanes: p.lanes() };
            (bsdf, albedo(&g.tint))
        }
        MaterialDesc::ThinDielectric(g) => {
            let bsdf = Bsdf::ThinDielectric { ior: g.ior.0.at(RGB_MODE_NM) as f32, tint: reflectance(&g.tint) };
            (bsdf, albedo(&g.tint))
        }
        MaterialDesc::Plastic(p) => {
            let (base, eta) = (reflectance(&p.reflectance), p.ior.0.at(RGB_MODE_NM) as f32);
            let alpha = p.roughness.value().powi(2);
            let bsdf = if p.roughness.texture().is_some() {
                Bsdf::RoughPlastic(Box::new(RoughPlastic::textured(base, eta, alpha)))
            } else if alpha > 0.0 {
                Bsdf::RoughPlastic(Box::new(RoughPlastic::new(base, eta, alpha)))
            } else {
                Bsdf::Plastic(Plastic::new(base, eta))
            };
            (bsdf, albedo(&p.reflectance))
        }
        MaterialDesc::Blend(b) => return blend(b, all, p),
        // Null shapes are left out of the BVH: nothing ever hits them.
        MaterialDesc::Emitter(_) | MaterialDesc::Null(_) => (Bsdf::Black, Vec3::ZERO),
    };
    let emission = m.emission().map_or(P::Radiance::ZERO, |e| p.colour(e.spectrum(), Role::Emission));
    // A colour of another kind (a conductor's eta and k) leaves the BSDF's own.
    let colours = |t: &Texture, role| Colours { texture: t.clone(), basis: p.texel_basis(role) };
    let colour = m.colour().and_then(SpectrumDesc::texture).map(|t| colours(t, Role::Reflectance));
    let roughness = m.roughness().and_then(ScalarDesc::texture).cloned();
    let varying = (colour.is_some() || roughness.is_some()).then(|| Box::new(Varying::Surface { colour, roughness }));
    Material {
        bsdf,
        emission,
        albedo,
        varying,
        opacity: opacity(m.opacity()),
        emission_texture: m.emission().and_then(SpectrumDesc::texture).map(|t| Box::new(colours(t, Role::Emission))),
        normal_map: m.normal_map().and_then(NormalMapDesc::texture).cloned(),
    }
}

/// A cut-out's opacity, as validated.
fn opacity(o: Option<&ScalarDesc>) -> Option<Opacity> {
    let o = o?;
    Some(o.texture().map_or(Opacity::Constant(o.value()), |t| Opacity::Texture(t.clone())))
}

/// A blend of two named materials (black parts if a name is missing).
fn blend<P: Palette>(b: &BlendDesc, all: &BTreeMap<String, MaterialDesc>, p: &P) -> Material<P::Radiance> {
    let black = || Material {
        bsdf: Bsdf::Black,
        emission: P::Radiance::ZERO,
        albedo: Vec3::ZERO,
        varying: None,
        opacity: None,
        emission_texture: None,
        normal_map: None,
    };
    let [a, c] = b.materials.each_ref().map(|name| all.get(name).map_or_else(black, |m| material(m, all, p)));
    let weight = b.weight.value().clamp(0.0, 1.0);
    let albedo = a.albedo * (1.0 - weight) + c.albedo * weight;
    let bsdf = Bsdf::Blend(Box::new(Blend { a: a.bsdf.clone(), b: c.bsdf.clone(), weight }));
    let texture = b.weight.texture().cloned();
    let varying = (texture.is_some() || a.varying.is_some() || c.varying.is_some())
        .then(|| Box::new(Varying::Blend { a: Box::new(a), b: Box::new(c), weight: texture }));
    Material {
        bsdf,
        emission: P::Radiance::ZERO,
        albedo,
        varying,
        opacity: opacity(b.opacity.as_ref()),
        emission_texture: None,
        normal_map: b.normal_map.as_ref().and_then(NormalMapDesc::texture).cloned(),
    }
}

/// A conductor's Fresnel term, and its RGB albedo at normal incidence.
fn conductor<P: Palette>(c: &ConductorDesc, p: &P) -> (Fresnel<P::Radiance>, Vec3) {
    let exact = |n: &dyn Fn(f64) -> f64, k: &dyn Fn(f64) -> f64| {
        let rgb = Fresnel::Conductor { eta: RgbPalette.sampled(n), k: RgbPalette.sampled(k) }.eval(1.0);
        (Fresnel::Conductor { eta: p.sampled(n), k: p.sampled(k) }, rgb)
    };
    match (&c.metal, &c.eta, &c.k, &c.reflectance) {
        (Some(name), ..) => {
            // Validation has refused unknown names.
            let m = Metal::named(name).unwrap_or_else(|| Metal::named("Al").expect("bundled"));
            exact(&|nm| m.n.at_clamped(nm), &|nm| m.k.at_clamped(nm))
        }
        (None, Some(eta), Some(k), _) => exact(&|nm| eta.spectrum().value_at(nm), &|nm| k.spectrum().value_at(nm)),
        (.., Some(r)) => {
            (Fresnel::Schlick(p.colour(r.spectrum(), Role::Reflectance)), r.spectrum().rgb(Role::Reflectance))
        }
        _ => {
            let grey = Spectrum::Rgb([0.5; 3]);
            (Fresnel::Schlick(p.colour(&grey, Role::Reflectance)), grey.rgb(Role::Reflectance))
        }
    }
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
