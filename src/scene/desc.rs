//! Serde types that mirror the scene file, format version 1, key for key
//! (see docs/scene-format.md). Unknown keys are refused. Numbers stay as
//! written (integers as i64) so that range checks can say what was wrong.

use serde::Deserialize;
use std::collections::BTreeMap;

pub type V3 = [f32; 3];

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SceneDesc {
    pub format: Option<i64>,
    pub film: FilmDesc,
    #[serde(default)]
    pub sampling: SamplingDesc,
    #[serde(default)]
    pub render: RenderDesc,
    pub camera: CameraDesc,
    #[serde(default)]
    pub background: BackgroundDesc,
    #[serde(default)]
    pub materials: BTreeMap<String, MaterialDesc>,
    #[serde(default)]
    pub shapes: Vec<ShapeDesc>,
    #[serde(default)]
    pub lights: Vec<LightDesc>,
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
}

impl Default for SamplingDesc {
    fn default() -> Self {
        SamplingDesc {
            spp: 16,
            seed: 0,
            max_depth: 8,
            rr_depth: 5,
            adaptive: false,
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

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct RenderDesc {
    pub integrator: IntegratorKind,
    pub tile_size: i64,
}

impl Default for RenderDesc {
    fn default() -> Self {
        RenderDesc {
            integrator: IntegratorKind::Path,
            tile_size: 32,
        }
    }
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

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct BackgroundDesc {
    #[serde(default)]
    pub color: V3,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MaterialDesc {
    Diffuse {
        #[serde(default = "grey")]
        reflectance: V3,
        emission: Option<V3>,
    },
    Conductor {
        #[serde(default = "grey")]
        reflectance: V3,
        #[serde(default)]
        roughness: f32,
        emission: Option<V3>,
    },
    Dielectric {
        #[serde(default = "default_ior")]
        ior: f32,
        #[serde(default = "white")]
        tint: V3,
        emission: Option<V3>,
    },
    Emitter {
        emission: V3,
    },
}

fn grey() -> V3 {
    [0.5; 3]
}
fn white() -> V3 {
    [1.0; 3]
}
fn default_ior() -> f32 {
    1.5
}

#[derive(Deserialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ShapeDesc {
    Sphere {
        center: V3,
        radius: f32,
        material: String,
        transform: Option<TransformDesc>,
    },
    Rectangle {
        material: String,
        transform: Option<TransformDesc>,
    },
    Cube {
        material: String,
        transform: Option<TransformDesc>,
    },
    Triangle {
        vertices: [V3; 3],
        material: String,
        transform: Option<TransformDesc>,
    },
    Mesh {
        file: String,
        #[serde(default)]
        smooth: bool,
        material: String,
        transform: Option<TransformDesc>,
    },
}

impl ShapeDesc {
    pub fn material(&self) -> &str {
        match self {
            ShapeDesc::Sphere { material, .. }
            | ShapeDesc::Rectangle { material, .. }
            | ShapeDesc::Cube { material, .. }
            | ShapeDesc::Triangle { material, .. }
            | ShapeDesc::Mesh { material, .. } => material,
        }
    }

    pub fn transform(&self) -> Option<&TransformDesc> {
        match self {
            ShapeDesc::Sphere { transform, .. }
            | ShapeDesc::Rectangle { transform, .. }
            | ShapeDesc::Cube { transform, .. }
            | ShapeDesc::Triangle { transform, .. }
            | ShapeDesc::Mesh { transform, .. } => transform.as_ref(),
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
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LightDesc {
    Point { position: V3, intensity: V3 },
    Directional { direction: V3, irradiance: V3 },
}
