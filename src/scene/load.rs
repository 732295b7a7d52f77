//! Reads a scene file, parses it into `SceneDesc` and checks every value,
//! turning each mistake into an error that names the file, the key path and
//! the line: `scene.toml:12: shapes[3].radius: must be > 0, got -1`.

use super::desc::{BackgroundDesc, BackgroundKind, MaterialDesc, SceneDesc, ShapeDesc, SpectrumDesc};
use super::locate;
use super::observers::CheckedObserver;
use super::spectrum_desc::read_csv;
use super::spectrum_desc::{TextureDesc, TextureKind};
use super::validate::{self, Checked};
use crate::geometry::mesh::{self, Mesh};
use crate::math::Vec2;
use crate::spectrum::{Spectrum, Table};
use crate::texture::{Image, Texture};
use anyhow::{anyhow, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A scene file as read by this rank: its description and a hash of every byte
/// that went into it, which ranks compare to be sure they read the same thing.
#[derive(Debug)]
pub struct LoadedScene {
    pub path: PathBuf,
    pub desc: SceneDesc,
    /// What validation proved, typed (counts, transforms, material indices).
    pub checked: Checked,
    /// Every mesh a shape places, read once, in the order shapes first place
    /// them (`[meshes.NAME]` tables that no instance places are not read).
    pub meshes: Vec<LoadedMesh>,
    /// Per shape: the index in `meshes` of the mesh a `mesh` or `instance`
    /// shape places.
    pub shape_mesh: Vec<Option<usize>>,
    /// Of the scene file and every mesh file it names.
    pub hash: u64,
    /// `[[observers]]`, checked and ready to sample (targets unresolved).
    pub observers: Vec<CheckedObserver>,
    /// Bytes of the textures' images (each read once).
    pub texture_bytes: u64,
}

#[derive(Debug)]
pub struct LoadedMesh {
    pub mesh: Mesh,
    pub smooth: bool,
}

/// A mistake in the scene, located by key path.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneError {
    pub path: String,
    pub message: String,
}

impl SceneError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> SceneError {
        SceneError { path: path.into(), message: message.into() }
    }
}

pub fn load(path: &Path) -> Result<LoadedScene> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read scene file {}", path.display()))?;
    let hash = crate::hash::hash_bytes(&bytes);
    let source = String::from_utf8(bytes).map_err(|e| {
        anyhow!("{}: not UTF-8 text (invalid byte at offset {})", path.display(), e.utf8_error().valid_up_to())
    })?;
    let mut desc = parse(path, &source)?;
    let mut hash = hash;
    let mut images: HashMap<(PathBuf, bool), ReadImage> = HashMap::new();
    for (key, spectrum) in desc.spectra_mut() {
        let fail = |m: String| located(path, &source, &SceneError::new(key.clone(), m));
        match spectrum {
            SpectrumDesc::File(file) => {
                let (table, file_hash) = read_spectrum(path, file).map_err(fail)?;
                hash = crate::hash::mix64(hash ^ file_hash);
                *spectrum = SpectrumDesc::Given(Spectrum::Tabulated(table));
            }
            SpectrumDesc::Texture(t) => {
                texture_allowed(&key).map_err(fail)?;
                hash =
                    crate::hash::mix64(hash ^ read_texture(path, t, &mut images).map_err(|e| fail(format!("{e:#}")))?);
            }
            SpectrumDesc::Given(_) => {}
        }
    }
    let mut texture_bytes: u64 = images.values().map(|(i, _, _)| i.bytes() as u64).sum();
    let mut envmap_warning = None;
    if desc.background.kind == BackgroundKind::Envmap {
        let (image, file_hash, warning) =
            read_envmap(path, &desc.background).map_err(|e| located(path, &source, &e))?;
        hash = crate::hash::mix64(hash ^ file_hash);
        texture_bytes += image.bytes() as u64;
        envmap_warning = warning;
        desc.background.image = Some(Arc::new(image));
    }
    let mut checked =
        validate::validate(&desc, &super::room::available_memory).map_err(|e| located(path, &source, &e))?;
    checked.warnings.extend(envmap_warning);
    let observers = super::observers::check(&desc, path).map_err(|e| located(path, &source, &e))?;
    for rays_hash in observers.iter().filter_map(|o| o.rays_hash) {
        hash = crate::hash::mix64(hash ^ rays_hash);
    }
    let mut meshes = Vec::new();
    let mut read = |key: String, file: &str, smooth: bool| -> Result<usize> {
        // Mesh paths are relative to the scene file.
        let file = path.parent().unwrap_or(Path::new(".")).join(file);
        let (mesh, mesh_hash) =
            mesh::load(&file).map_err(|e| located(path, &source, &SceneError::new(key, format!("{e:#}"))))?;
        hash = crate::hash::mix64(hash ^ mesh_hash);
        meshes.push(LoadedMesh { mesh, smooth });
        Ok(meshes.len() - 1)
    };
    // Declared meshes are read when first placed, and only then.
    let mut named = std::collections::BTreeMap::new();
    let mut shape_mesh = Vec::with_capacity(desc.shapes.len());
    for (i, shape) in desc.shapes.iter().enumerate() {
        shape_mesh.push(match shape {
            ShapeDesc::Mesh(m) => Some(read(format!("shapes[{i}].file"), &m.file, m.smooth)?),
            ShapeDesc::Instance(inst) => match (named.get(&inst.mesh), desc.meshes.get(&inst.mesh)) {
                (Some(&k), _) => Some(k),
                (None, Some(m)) => {
                    let k = read(format!("meshes.{}.file", inst.mesh), &m.file, m.smooth)?;
                    named.insert(&inst.mesh, k);
                    Some(k)
                }
                // `validate` has refused undeclared names.
                (None, None) => None,
            },
            _ => None,
        });
    }
    for (i, (shape, mesh)) in desc.shapes.iter().zip(&shape_mesh).enumerate() {
        let textured = is_textured(&desc, shape.material());
        if mesh.is_some_and(|k| textured && meshes[k].mesh.uvs.is_empty()) {
            let file = match shape {
                ShapeDesc::Mesh(m) => m.file.as_str(),
                ShapeDesc::Instance(inst) => desc.meshes.get(&inst.mesh).map_or("", |m| m.file.as_str()),
                _ => "",
            };
            let message = format!(
                "material `{}` has a texture but mesh file {file} has no texture coordinates (OBJ `vt`, PLY `u v`)",
                shape.material()
            );
            return Err(located(path, &source, &SceneError::new(format!("shapes[{i}].material"), message)));
        }
    }
    let loaded =
        LoadedScene { path: path.to_path_buf(), desc, checked, meshes, shape_mesh, hash, observers, texture_bytes };
    Ok(loaded)
}

/// An envmap's image (relative to the scene), the hash of its bytes, and a
/// warning when it is not twice as wide as high.
fn read_envmap(scene: &Path, b: &BackgroundDesc) -> Result<(Image, u64, Option<String>), SceneError> {
    let error = |key: &str, m: String| SceneError::new(format!("background.{key}"), m);
    let Some(file) = &b.file else {
        return Err(error("file", "an envmap needs a `file` (EXR, HDR or PFM, equirectangular)".into()));
    };
    if !(b.scale.is_finite() && b.scale >= 0.0) {
        return Err(error("scale", format!("must be finite and ≥ 0, got {}", b.scale)));
    }
    if let Some(t) = &b.transform {
        t.to_transform().map_err(|m| error("transform", m))?;
    }
    let full = scene.parent().unwrap_or(Path::new(".")).join(file);
    let (image, file_hash) = Image::load(&full, false).map_err(|e| error("file", format!("{e:#}")))?;
    if image.height < 2 {
        return Err(error("file", format!("{} has {} row: an envmap needs at least 2", full.display(), image.height)));
    }
    let warning = (image.width != 2 * image.height).then(|| {
        format!(
            "background.file: {} is {}×{}, not 2:1; it is stretched over the sphere as an equirectangular map",
            full.display(),
            image.width,
            image.height
        )
    });
    Ok((image, file_hash, warning))
}

/// Whether a texture varies the material `name` (a blend: its weight or
/// either part; validation has refused blends that contain themselves).
fn is_textured(desc: &SceneDesc, name: &str) -> bool {
    match desc.materials.get(name) {
        Some(m @ MaterialDesc::Blend(b)) => {
            m.is_textured() || b.materials.iter().any(|part| part != name && is_textured(desc, part))
        }
        Some(m) => m.is_textured(),
        None => false,
    }
}

/// Textures vary materials' `reflectance`, `tint`, `roughness`, `opacity`,
/// `emission`, `normal_map` and blend `weight`.
fn texture_allowed(key: &str) -> Result<(), String> {
    let allowed = [".reflectance", ".tint", ".weight", ".opacity", ".roughness", ".emission", ".normal_map"];
    if !(key.starts_with("materials.") && allowed.iter().any(|k| key.ends_with(k))) {
        return Err("a texture may vary a material's `reflectance`, `tint`, `roughness`, `opacity`, `emission`, \
                    `normal_map` or blend `weight` only (not lights or the background's colour)"
            .into());
    }
    Ok(())
}

/// An image read for textures: the image, the hash of its file's bytes and
/// its mean texel.
type ReadImage = (Arc<Image>, u64, [f32; 3]);

/// Reads a bitmap texture's image (once per file and `raw`), relative to
/// the scene; returns the hash of the file's bytes.
fn read_texture(scene: &Path, t: &mut TextureDesc, images: &mut HashMap<(PathBuf, bool), ReadImage>) -> Result<u64> {
    let TextureKind::Bitmap { file, raw, wrap, filter, scale, offset } = &t.kind else {
        return Ok(0);
    };
    let full = scene.parent().unwrap_or(Path::new(".")).join(file);
    let (image, file_hash, mean) = match images.get(&(full.clone(), *raw)) {
        Some(read) => read.clone(),
        None => {
            let (image, file_hash) = Image::load(&full, *raw)?;
            let sum = image.texels.iter().fold(glam::DVec3::ZERO, |s, t| s + glam::DVec3::from(t.map(f64::from)));
            let mean = (sum / image.texels.len() as f64).as_vec3().to_array();
            let read = (Arc::new(image), file_hash, mean);
            images.insert((full, *raw), read.clone());
            read
        }
    };
    t.mean = Spectrum::Rgb(mean);
    let (scale, offset) = (Vec2::from(*scale), Vec2::from(*offset));
    t.texture = Some(Texture::Bitmap { image, wrap: *wrap, filter: *filter, scale, offset });
    Ok(file_hash)
}

/// A spectrum's CSV, relative to the scene file, and the hash of its bytes.
fn read_spectrum(scene: &Path, file: &str) -> Result<(Table, u64), String> {
    let full = scene.parent().unwrap_or(Path::new(".")).join(file);
    let bytes = std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", full.display()))?;
    let table = read_csv(&text).map_err(|m| format!("{}: {m}", full.display()))?;
    Ok((table, crate::hash::hash_bytes(text.as_bytes())))
}

/// Parses the TOML text; errors name the key path and line.
pub fn parse(path: &Path, source: &str) -> Result<SceneDesc> {
    let de = toml::Deserializer::new(source);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.message().trim().replace('\n', "; ");
        let field = unknown_field(&message).map(str::to_string);
        let key = if key == "." { String::new() } else { key };
        if field.is_none() {
            if let Some((inner_key, inner_message)) = explain_tagged_table(source, &key) {
                let key = join(&key, &inner_key);
                return format_error(path, locate::line_of(source, &key), &SceneError::new(key, inner_message));
            }
        }
        // An unknown key is best shown on its own line, which toml's span
        // (the enclosing table) does not give; otherwise trust the span.
        let line = match (&field, inner.span()) {
            (Some(f), _) => locate::line_of(source, &join(&key, f)),
            (None, Some(span)) => Some(source[..span.start.min(source.len())].matches('\n').count() + 1),
            (None, None) => locate::line_of(source, &key),
        };
        format_error(path, line, &SceneError::new(key, message))
    })
}

/// Errors inside a shape, material or light arrive without the key that
/// caused them (serde buffers tagged tables); re-read that one table as its
/// variant to find the key.
fn explain_tagged_table(source: &str, key: &str) -> Option<(String, String)> {
    let (section, rest) = key.split_once(['[', '.'])?;
    let doc: toml::Table = toml::from_str(source).ok()?;
    let table = match doc.get(section)? {
        toml::Value::Array(items) => items.get(rest.trim_end_matches(']').parse::<usize>().ok()?)?,
        toml::Value::Table(t) => t.get(rest)?,
        _ => return None,
    };
    let mut table = table.as_table()?.clone();
    let kind = table.remove("type")?;
    super::desc::explain_variant(section, kind.as_str()?, table)
}

fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

fn located(path: &Path, source: &str, e: &SceneError) -> anyhow::Error {
    let line = locate::line_of(source, &e.path);
    format_error(path, line, e)
}

fn format_error(path: &Path, line: Option<usize>, e: &SceneError) -> anyhow::Error {
    let at = line.map(|l| format!(":{l}")).unwrap_or_default();
    let key = if e.path.is_empty() { String::new() } else { format!(" {}:", e.path) };
    anyhow!("{}{at}:{key} {}", path.display(), e.message)
}
