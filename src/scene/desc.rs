//! Serde types that mirror the scene file, format version 1, key for key
//! (see docs/scene-format.md). Unknown keys are refused. Numbers stay as
//! written (integers as i64) so that range checks can say what was wrong.

pub use super::spectrum_desc::{IorDesc, NormalMapDesc, ScalarDesc, SpectrumDesc};
use crate::math::{Mat4, Transform, Vec3};
use serde::Deserialize;
use std::collections::BTreeMap;

pub type V3 = [f32; 3];

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SceneDesc {
    pub format: Option<i64>,
    /// Present: spectral mode.
    pub spectrum: Option<SpectralDesc>,
    /// Required with a camera; a scene of observers alone needs neither.
    pub film: Option<FilmDesc>,
    #[serde(default)]
    pub sampling: SamplingDesc,
    #[serde(default)]
    pub render: RenderDesc,
    pub camera: Option<CameraDesc>,
    #[serde(default)]
    pub background: BackgroundDesc,
    #[serde(default)]
    pub materials: BTreeMap<String, MaterialDesc>,
    /// Meshes declared once by name, placed by `instance` shapes.
    #[serde(default)]
    pub meshes: BTreeMap<String, NamedMeshDesc>,
    #[serde(default)]
    pub shapes: Vec<ShapeDesc>,
    #[serde(default)]
    pub lights: Vec<LightDesc>,
    /// Detectors that measure light (radiance or power) with uncertainties.
    #[serde(default)]
    pub observers: Vec<ObserverDesc>,
}

/// `[spectrum]`: the output bins of spectral mode.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SpectralDesc {
    pub min_wavelength: f64,
    pub max_wavelength: f64,
    pub bins: i64,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FilmDesc {
    pub width: i64,
    pub height: i64,
    #[serde(default = "default_output")]
    pub output: String,
    #[serde(default)]
    pub exposure: f32,
}

fn default_output() -> String {
    "render.png".into()
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct SamplingDesc {
    pub spp: i64,
    pub seed: i64,
    pub max_depth: i64,
    pub rr_depth: i64,
    pub adaptive: bool,
    /// Adaptive: samples every pixel gets before it may stop (capped at spp).
    pub min_spp: i64,
    /// Adaptive: samples added to every unconverged pixel per pass.
    pub pass_spp: i64,
    /// Adaptive: relative standard error at which a pixel stops.
    pub noise_threshold: f32,
}

impl Default for SamplingDesc {
    fn default() -> Self {
        SamplingDesc {
            spp: 16,
            seed: 0,
            max_depth: 8,
            rr_depth: 5,
            adaptive: false,
            min_spp: 16,
            pass_spp: 16,
            noise_threshold: 0.01,
        }
    }
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IntegratorKind {
    #[default]
    Path,
    Whitted,
    Normals,
    Albedo,
}

/// Which estimators of direct light the path integrator combines.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Light sampling and BSDF sampling, weighted by MIS.
    #[default]
    Mis,
    /// Light sampling alone (emitters hit by BSDF rays count only after a
    /// specular bounce).
    Lights,
    /// BSDF sampling alone (no shadow rays).
    Bsdf,
}

/// How next-event estimation chooses a light.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LightSamplerDesc {
    /// By power, distance and orientation (a light BVH).
    #[default]
    Bvh,
    /// By power alone.
    Power,
}

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RenderDesc {
    pub integrator: IntegratorKind,
    /// Default: chosen for the job (`film::tiles::auto_tile_size`).
    pub tile_size: Option<i64>,
    pub strategy: Strategy,
    pub light_sampler: LightSamplerDesc,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum CameraKind {
    #[default]
    Perspective,
    Orthographic,
    ThinLens,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CameraDesc {
    #[serde(default, rename = "type")]
    pub kind: CameraKind,
    pub position: V3,
    pub look_at: V3,
    #[serde(default = "default_up")]
    pub up: V3,
    #[serde(default = "default_fov")]
    pub fov: f32,
    #[serde(default = "default_ortho_height")]
    pub height: f32,
    #[serde(default)]
    pub aperture_radius: f32,
    pub focus_distance: Option<f32>,
}

fn default_up() -> V3 {
    [0.0, 1.0, 0.0]
}
fn default_fov() -> f32 {
    40.0
}
fn default_ortho_height() -> f32 {
    2.0
}

/// The sky: a uniform `color`, or (`type = "envmap"`) an equirectangular
/// image `file` times `scale`, turned by `transform` (Mitsuba's `envmap`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct BackgroundDesc {
    #[serde(rename = "type", default)]
    pub kind: BackgroundKind,
    #[serde(default = "black")]
    pub color: SpectrumDesc,
    pub file: Option<String>,
    #[serde(default = "unit")]
    pub scale: f32,
    pub transform: Option<TransformDesc>,
    /// The envmap's image, read by `load`.
    #[serde(skip)]
    pub image: Option<std::sync::Arc<crate::texture::Image>>,
}

#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BackgroundKind {
    #[default]
    Color,
    Envmap,
}

fn unit() -> f32 {
    1.0
}

/// One variant per `type`; each variant's keys are its own struct, so that an
/// error inside one can be explained key by key (see `load`).
#[derive(Deserialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MaterialDesc {
    Diffuse(DiffuseDesc),
    Conductor(ConductorDesc),
    Dielectric(DielectricDesc),
    /// A window pane without offset (Mitsuba's `thindielectric`): the
    /// keys of a dielectric.
    ThinDielectric(DielectricDesc),
    Plastic(PlasticDesc),
    /// Two named materials mixed (Mitsuba's `blendbsdf`).
    Blend(BlendDesc),
    Emitter(EmitterDesc),
    /// Invisible to light: rays pass through. Its shapes can be named and
    /// targeted (the opening of an aperture).
    Null(NullDesc),
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct NullDesc {}

impl MaterialDesc {
    /// The radiance it emits, when it has an `emission` (an emitter always does).
    pub fn emission(&self) -> Option<&SpectrumDesc> {
        match self {
            MaterialDesc::Diffuse(d) => d.emission.as_ref(),
            MaterialDesc::Conductor(c) => c.emission.as_ref(),
            MaterialDesc::Dielectric(g) => g.emission.as_ref(),
            MaterialDesc::ThinDielectric(g) => g.emission.as_ref(),
            MaterialDesc::Plastic(p) => p.emission.as_ref(),
            MaterialDesc::Emitter(e) => Some(&e.emission),
            MaterialDesc::Blend(_) | MaterialDesc::Null(_) => None,
        }
    }

    /// Its `opacity` (a cut-out: 1 is solid, 0 lets every ray through).
    pub fn opacity(&self) -> Option<&ScalarDesc> {
        match self {
            MaterialDesc::Diffuse(d) => d.opacity.as_ref(),
            MaterialDesc::Conductor(c) => c.opacity.as_ref(),
            MaterialDesc::Dielectric(g) | MaterialDesc::ThinDielectric(g) => g.opacity.as_ref(),
            MaterialDesc::Plastic(p) => p.opacity.as_ref(),
            MaterialDesc::Blend(b) => b.opacity.as_ref(),
            MaterialDesc::Emitter(_) | MaterialDesc::Null(_) => None,
        }
    }

    /// Its `normal_map`, where it has one.
    pub fn normal_map(&self) -> Option<&NormalMapDesc> {
        match self {
            MaterialDesc::Diffuse(d) => d.normal_map.as_ref(),
            MaterialDesc::Conductor(c) => c.normal_map.as_ref(),
            MaterialDesc::Dielectric(g) | MaterialDesc::ThinDielectric(g) => g.normal_map.as_ref(),
            MaterialDesc::Plastic(p) => p.normal_map.as_ref(),
            MaterialDesc::Blend(b) => b.normal_map.as_ref(),
            MaterialDesc::Emitter(_) | MaterialDesc::Null(_) => None,
        }
    }

    /// True when a texture colours it, roughens it, bends its normals, cuts
    /// it out, varies its emission or weighs its blend (not counting the
    /// blend's parts).
    pub fn is_textured(&self) -> bool {
        matches!(self, MaterialDesc::Blend(b) if b.weight.texture().is_some())
            || self.colour().is_some_and(|c| matches!(c, SpectrumDesc::Texture(_)))
            || self.emission().is_some_and(|e| matches!(e, SpectrumDesc::Texture(_)))
            || self.normal_map().is_some()
            || self.opacity().is_some_and(|o| o.texture().is_some())
            || self.roughness().is_some_and(|r| r.texture().is_some())
    }

    /// Its `roughness`, where it has one.
    pub fn roughness(&self) -> Option<&ScalarDesc> {
        match self {
            MaterialDesc::Conductor(c) => Some(&c.roughness),
            MaterialDesc::Dielectric(g) | MaterialDesc::ThinDielectric(g) => Some(&g.roughness),
            MaterialDesc::Plastic(p) => Some(&p.roughness),
            _ => None,
        }
    }

    /// The colour a texture may give: a reflectance or a tint.
    pub fn colour(&self) -> Option<&SpectrumDesc> {
        match self {
            MaterialDesc::Diffuse(d) => Some(&d.reflectance),
            MaterialDesc::Conductor(c) => c.reflectance.as_ref(),
            MaterialDesc::Dielectric(g) | MaterialDesc::ThinDielectric(g) => Some(&g.tint),
            MaterialDesc::Plastic(p) => Some(&p.reflectance),
            MaterialDesc::Blend(_) | MaterialDesc::Emitter(_) | MaterialDesc::Null(_) => None,
        }
    }

    /// True when it emits any light (what makes a shape a light).
    pub fn emits(&self) -> bool {
        self.emission().is_some_and(SpectrumDesc::is_positive)
    }
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DiffuseDesc {
    #[serde(default = "grey")]
    pub reflectance: SpectrumDesc,
    pub emission: Option<SpectrumDesc>,
    pub opacity: Option<ScalarDesc>,
    pub normal_map: Option<NormalMapDesc>,
}

/// A conductor's Fresnel term from `reflectance` at normal incidence
/// (Schlick), from `eta` and `k`, or from a measured `metal`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ConductorDesc {
    pub reflectance: Option<SpectrumDesc>,
    pub eta: Option<SpectrumDesc>,
    pub k: Option<SpectrumDesc>,
    pub metal: Option<String>,
    /// GGX α = roughness²; a number or a texture.
    #[serde(default = "zero")]
    pub roughness: ScalarDesc,
    pub emission: Option<SpectrumDesc>,
    pub opacity: Option<ScalarDesc>,
    pub normal_map: Option<NormalMapDesc>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DielectricDesc {
    #[serde(default = "default_ior")]
    pub ior: IorDesc,
    /// GGX α = roughness² (0: smooth glass), a number or a texture. Not
    /// for thin_dielectric.
    #[serde(default = "zero")]
    pub roughness: ScalarDesc,
    #[serde(default = "white")]
    pub tint: SpectrumDesc,
    pub emission: Option<SpectrumDesc>,
    pub opacity: Option<ScalarDesc>,
    pub normal_map: Option<NormalMapDesc>,
}

/// A diffuse base under a dielectric coating (Mitsuba's `plastic`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PlasticDesc {
    #[serde(default = "grey")]
    pub reflectance: SpectrumDesc,
    #[serde(default = "default_ior")]
    pub ior: IorDesc,
    /// GGX α = roughness² (0: smooth plastic), a number or a texture.
    #[serde(default = "zero")]
    pub roughness: ScalarDesc,
    pub emission: Option<SpectrumDesc>,
    pub opacity: Option<ScalarDesc>,
    pub normal_map: Option<NormalMapDesc>,
}

/// `materials = ["a", "b"]` mixed by `weight` (0 gives "a").
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct BlendDesc {
    pub materials: [String; 2],
    #[serde(default = "half")]
    pub weight: ScalarDesc,
    pub opacity: Option<ScalarDesc>,
    pub normal_map: Option<NormalMapDesc>,
}

fn zero() -> ScalarDesc {
    ScalarDesc::number(0.0)
}

fn half() -> ScalarDesc {
    ScalarDesc::number(0.5)
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct EmitterDesc {
    pub emission: SpectrumDesc,
}

impl Default for BackgroundDesc {
    fn default() -> Self {
        BackgroundDesc {
            kind: BackgroundKind::Color,
            color: black(),
            file: None,
            scale: 1.0,
            transform: None,
            image: None,
        }
    }
}

fn grey() -> SpectrumDesc {
    SpectrumDesc::rgb([0.5; 3])
}
fn white() -> SpectrumDesc {
    SpectrumDesc::rgb([1.0; 3])
}
fn black() -> SpectrumDesc {
    SpectrumDesc::rgb([0.0; 3])
}
fn default_ior() -> IorDesc {
    IorDesc(crate::spectrum::Ior::Constant(1.5))
}

#[derive(Deserialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ShapeDesc {
    Sphere(SphereDesc),
    Rectangle(PlainShapeDesc),
    Cube(PlainShapeDesc),
    Triangle(TriangleDesc),
    Mesh(MeshDesc),
    Instance(InstanceDesc),
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SphereDesc {
    /// Names the shape for observers' `target`.
    pub name: Option<String>,
    pub center: V3,
    pub radius: f32,
    pub material: String,
    pub transform: Option<TransformDesc>,
    #[serde(default)]
    pub flip_normals: bool,
}

/// Rectangle and cube: fixed geometry placed by the transform.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PlainShapeDesc {
    /// Names the shape for observers' `target`.
    pub name: Option<String>,
    pub material: String,
    pub transform: Option<TransformDesc>,
    #[serde(default)]
    pub flip_normals: bool,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TriangleDesc {
    /// Names the shape for observers' `target`.
    pub name: Option<String>,
    pub vertices: [V3; 3],
    pub material: String,
    pub transform: Option<TransformDesc>,
    #[serde(default)]
    pub flip_normals: bool,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MeshDesc {
    /// Names the shape for observers' `target`.
    pub name: Option<String>,
    pub file: String,
    #[serde(default)]
    pub smooth: bool,
    pub material: String,
    pub transform: Option<TransformDesc>,
    #[serde(default)]
    pub flip_normals: bool,
}

/// `[meshes.NAME]`: a mesh file read once, shared by every instance of it.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct NamedMeshDesc {
    pub file: String,
    #[serde(default)]
    pub smooth: bool,
}

/// A declared mesh placed in the world, its triangles not copied.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct InstanceDesc {
    /// Names the shape for observers' `target`.
    pub name: Option<String>,
    pub mesh: String,
    pub material: String,
    pub transform: Option<TransformDesc>,
    #[serde(default)]
    pub flip_normals: bool,
}

impl ShapeDesc {
    pub fn material(&self) -> &str {
        match self {
            ShapeDesc::Sphere(s) => &s.material,
            ShapeDesc::Rectangle(s) | ShapeDesc::Cube(s) => &s.material,
            ShapeDesc::Triangle(s) => &s.material,
            ShapeDesc::Mesh(s) => &s.material,
            ShapeDesc::Instance(s) => &s.material,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            ShapeDesc::Sphere(s) => s.name.as_deref(),
            ShapeDesc::Rectangle(s) | ShapeDesc::Cube(s) => s.name.as_deref(),
            ShapeDesc::Triangle(s) => s.name.as_deref(),
            ShapeDesc::Mesh(s) => s.name.as_deref(),
            ShapeDesc::Instance(s) => s.name.as_deref(),
        }
    }

    /// `flip_normals`: the front side (which emits, and which normals
    /// point to) turned inward.
    pub fn flip_normals(&self) -> bool {
        match self {
            ShapeDesc::Sphere(s) => s.flip_normals,
            ShapeDesc::Rectangle(s) | ShapeDesc::Cube(s) => s.flip_normals,
            ShapeDesc::Triangle(s) => s.flip_normals,
            ShapeDesc::Mesh(s) => s.flip_normals,
            ShapeDesc::Instance(s) => s.flip_normals,
        }
    }

    pub fn transform(&self) -> Option<&TransformDesc> {
        match self {
            ShapeDesc::Sphere(s) => s.transform.as_ref(),
            ShapeDesc::Rectangle(s) | ShapeDesc::Cube(s) => s.transform.as_ref(),
            ShapeDesc::Triangle(s) => s.transform.as_ref(),
            ShapeDesc::Mesh(s) => s.transform.as_ref(),
            ShapeDesc::Instance(s) => s.transform.as_ref(),
        }
    }
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TransformDesc {
    pub matrix: Option<[[f32; 4]; 4]>,
    pub scale: Option<ScaleDesc>,
    pub rotate: Option<V3>,
    pub translate: Option<V3>,
}

#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(untagged)]
pub enum ScaleDesc {
    Uniform(f32),
    PerAxis(V3),
}

#[derive(Deserialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LightDesc {
    Point(PointLightDesc),
    Spot(SpotLightDesc),
    Directional(DirectionalLightDesc),
}

/// Mitsuba's `spot`: half-angles in degrees; `beam_width` defaults to ¾ of
/// `cutoff_angle`; aimed by `look_at` or `direction`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SpotLightDesc {
    pub position: V3,
    pub look_at: Option<V3>,
    pub direction: Option<V3>,
    pub intensity: SpectrumDesc,
    #[serde(default = "default_cutoff")]
    pub cutoff_angle: f32,
    pub beam_width: Option<f32>,
}

fn default_cutoff() -> f32 {
    20.0
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PointLightDesc {
    pub position: V3,
    pub intensity: SpectrumDesc,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DirectionalLightDesc {
    pub direction: V3,
    pub irradiance: SpectrumDesc,
}

/// `[[observers]]`: one detector (or array of them). The keys a `type`
/// takes are checked in `scene::observers`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ObserverDesc {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ObserverKind,
    #[serde(default)]
    pub quantity: Quantity,
    #[serde(default = "default_observer_samples")]
    pub samples: i64,
    pub origin: Option<V3>,
    pub direction: Option<V3>,
    pub radius: Option<f32>,
    pub acceptance_angle: Option<f32>,
    pub size: Option<[f32; 2]>,
    pub pixels: Option<[i64; 2]>,
    pub target: Option<String>,
    pub rays: Option<String>,
    pub transform: Option<TransformDesc>,
}

fn default_observer_samples() -> i64 {
    1000
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ObserverKind {
    SightLine,
    Fibre,
    Pixel,
    TargetedPixel,
    Ccd,
    VectorCamera,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    #[default]
    Radiance,
    Power,
}

impl SpotLightDesc {
    /// The axis (unit) and the beam and cutoff half-angles in radians;
    /// validation has checked them.
    pub fn cone(&self) -> (Vec3, f32, f32) {
        let position = Vec3::from(self.position);
        let axis = match (self.direction, self.look_at) {
            (Some(d), _) => Vec3::from(d),
            (None, Some(target)) => Vec3::from(target) - position,
            (None, None) => Vec3::NEG_Z,
        };
        let cutoff = self.cutoff_angle.to_radians();
        let beam = self.beam_width.map_or(0.75 * cutoff, f32::to_radians);
        (axis.normalize_or(Vec3::NEG_Z), beam.min(cutoff), cutoff)
    }
}

impl SceneDesc {
    /// Every spectrum of the scene with its key path, for `load` to read
    /// the files they name.
    pub fn spectra_mut(&mut self) -> Vec<(String, &mut SpectrumDesc)> {
        let mut out = vec![("background.color".to_string(), &mut self.background.color)];
        for (name, m) in self.materials.iter_mut() {
            let path = format!("materials.{name}");
            type Keyed<'a> = Vec<(&'static str, &'a mut SpectrumDesc)>;
            type Optional<'a, T> = Option<&'a mut T>;
            let (mut own, emission, opacity, normal_map): (
                Keyed,
                Optional<SpectrumDesc>,
                Optional<ScalarDesc>,
                Optional<NormalMapDesc>,
            ) = match m {
                MaterialDesc::Diffuse(d) => (
                    vec![("reflectance", &mut d.reflectance)],
                    d.emission.as_mut(),
                    d.opacity.as_mut(),
                    d.normal_map.as_mut(),
                ),
                MaterialDesc::Conductor(c) => {
                    let keys = [("reflectance", c.reflectance.as_mut()), ("eta", c.eta.as_mut()), ("k", c.k.as_mut())];
                    let mut own: Keyed = keys.into_iter().filter_map(|(k, s)| s.map(|s| (k, s))).collect();
                    own.push(("roughness", &mut c.roughness.0));
                    (own, c.emission.as_mut(), c.opacity.as_mut(), c.normal_map.as_mut())
                }
                MaterialDesc::Dielectric(g) | MaterialDesc::ThinDielectric(g) => (
                    vec![("tint", &mut g.tint), ("roughness", &mut g.roughness.0)],
                    g.emission.as_mut(),
                    g.opacity.as_mut(),
                    g.normal_map.as_mut(),
                ),
                MaterialDesc::Plastic(p) => {
                    let own = vec![("reflectance", &mut p.reflectance), ("roughness", &mut p.roughness.0)];
                    (own, p.emission.as_mut(), p.opacity.as_mut(), p.normal_map.as_mut())
                }
                MaterialDesc::Emitter(e) => (Vec::new(), Some(&mut e.emission), None, None),
                MaterialDesc::Blend(b) => {
                    (vec![("weight", &mut b.weight.0)], None, b.opacity.as_mut(), b.normal_map.as_mut())
                }
                MaterialDesc::Null(_) => (Vec::new(), None, None, None),
            };
            own.extend(opacity.map(|o| ("opacity", &mut o.0)));
            own.extend(normal_map.map(|n| ("normal_map", &mut n.0)));
            out.extend(own.into_iter().map(|(key, s)| (format!("{path}.{key}"), s)));
            out.extend(emission.map(|e| (format!("{path}.emission"), e)));
        }
        for (i, l) in self.lights.iter_mut().enumerate() {
            match l {
                LightDesc::Point(p) => out.push((format!("lights[{i}].intensity"), &mut p.intensity)),
                LightDesc::Spot(p) => out.push((format!("lights[{i}].intensity"), &mut p.intensity)),
                LightDesc::Directional(d) => out.push((format!("lights[{i}].irradiance"), &mut d.irradiance)),
            }
        }
        out
    }
}

/// Re-reads one tagged table (a shape, material or light, without its
/// `type`) as its variant's struct, to find the exact key an error is at.
/// Returns (key path inside the table, message).
pub fn explain_variant(section: &str, kind: &str, table: toml::Table) -> Option<(String, String)> {
    fn explain<T: serde::de::DeserializeOwned>(table: toml::Table) -> Option<(String, String)> {
        let value = toml::Value::Table(table);
        serde_path_to_error::deserialize::<_, T>(value).err().map(|e| {
            let message = e.inner().to_string().lines().next().unwrap_or_default().to_string();
            (e.path().to_string(), message)
        })
    }
    match (section, kind) {
        ("shapes", "sphere") => explain::<SphereDesc>(table),
        ("shapes", "rectangle" | "cube") => explain::<PlainShapeDesc>(table),
        ("shapes", "triangle") => explain::<TriangleDesc>(table),
        ("shapes", "mesh") => explain::<MeshDesc>(table),
        ("shapes", "instance") => explain::<InstanceDesc>(table),
        ("materials", "diffuse") => explain::<DiffuseDesc>(table),
        ("materials", "conductor") => explain::<ConductorDesc>(table),
        ("materials", "dielectric") => explain::<DielectricDesc>(table),
        ("materials", "thin_dielectric") => explain::<DielectricDesc>(table),
        ("materials", "plastic") => explain::<PlasticDesc>(table),
        ("materials", "emitter") => explain::<EmitterDesc>(table),
        ("materials", "null") => explain::<NullDesc>(table),
        ("lights", "point") => explain::<PointLightDesc>(table),
        ("lights", "directional") => explain::<DirectionalLightDesc>(table),
        ("lights", "spot") => explain::<SpotLightDesc>(table),
        _ => None,
    }
}

impl TransformDesc {
    /// The transform this table describes, or why it is unusable.
    pub fn to_transform(&self) -> Result<Transform, String> {
        let t = self;
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
        Transform::from_srt(scale, rotate, translate)
            .ok_or_else(|| format!("the transform is singular (scale {scale})"))
    }
}
