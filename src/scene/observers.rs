//! Checks `[[observers]]` and turns each into an `observer::Observer`:
//! names unique, keys that belong to its type, sizes and angles in range,
//! power only where an étendue exists, targets that name a shape, and a
//! vector camera's rays file (read by `load`) of the right shape, type and
//! values. Targets are resolved to bounding spheres by `build`.

use super::desc::{ObserverDesc, ObserverKind, Quantity, SceneDesc, ShapeDesc};
use super::load::SceneError;
use crate::math::{Frame, Ray, Transform, Vec2, Vec3};
use crate::observer::{Detector, Observer};
use std::path::Path;

/// An observer and, for a targeted one, the index of the shape it aims at.
#[derive(Clone, Debug)]
pub struct CheckedObserver {
    pub observer: Observer,
    pub target: Option<usize>,
    /// Hash of the rays file's bytes (vector cameras), for the scene hash.
    pub rays_hash: Option<u64>,
}

pub fn check(d: &SceneDesc, scene_path: &Path) -> Result<Vec<CheckedObserver>, SceneError> {
    let mut names = std::collections::HashSet::new();
    for (i, s) in d.shapes.iter().enumerate() {
        if let Some(name) = s.name() {
            if !names.insert(name) {
                return Err(SceneError::new(format!("shapes[{i}].name"), format!("another shape is named `{name}`")));
            }
        }
    }
    let mut observer_names = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, o) in d.observers.iter().enumerate() {
        let path = format!("observers[{i}]");
        if !observer_names.insert(o.name.as_str()) {
            return Err(SceneError::new(format!("{path}.name"), format!("another observer is named `{}`", o.name)));
        }
        out.push(observer(&path, o, &d.shapes, scene_path)?);
    }
    Ok(out)
}

fn observer(
    path: &str,
    o: &ObserverDesc,
    shapes: &[ShapeDesc],
    scene_path: &Path,
) -> Result<CheckedObserver, SceneError> {
    let key = |k: &str| format!("{path}.{k}");
    let samples = u32::try_from(o.samples)
        .ok()
        .filter(|&s| s >= 1)
        .ok_or_else(|| SceneError::new(key("samples"), format!("must be in [1, 2^32), got {}", o.samples)))?;
    let allowed: &[&str] = match o.kind {
        ObserverKind::SightLine => &["origin", "direction"],
        ObserverKind::Fibre => &["origin", "direction", "radius", "acceptance_angle"],
        ObserverKind::Pixel => &["size", "transform"],
        ObserverKind::TargetedPixel => &["size", "transform", "target"],
        ObserverKind::Ccd => &["size", "transform", "pixels", "target"],
        ObserverKind::VectorCamera => &["rays", "acceptance_angle"],
    };
    let given = [
        ("origin", o.origin.is_some()),
        ("direction", o.direction.is_some()),
        ("radius", o.radius.is_some()),
        ("acceptance_angle", o.acceptance_angle.is_some()),
        ("size", o.size.is_some()),
        ("pixels", o.pixels.is_some()),
        ("target", o.target.is_some()),
        ("rays", o.rays.is_some()),
        ("transform", o.transform.is_some()),
    ];
    let kind = kind_name(o.kind);
    if let Some((k, _)) = given.iter().find(|(k, set)| *set && !allowed.contains(k)) {
        return Err(SceneError::new(key(k), format!("a {kind} takes no `{k}` (it takes {})", allowed.join(", "))));
    }
    let power = o.quantity == Quantity::Power;
    if power && matches!(o.kind, ObserverKind::SightLine | ObserverKind::VectorCamera) {
        return Err(SceneError::new(
            key("quantity"),
            format!("a {kind} has no étendue (rays from a point), so it measures radiance, not power"),
        ));
    }
    let target = match &o.target {
        Some(name) => Some(shapes.iter().position(|s| s.name() == Some(name)).ok_or_else(|| {
            let known: Vec<&str> = shapes.iter().filter_map(ShapeDesc::name).collect();
            let hint = if known.is_empty() {
                "no shape has a `name`".into()
            } else {
                format!("named shapes: {}", known.join(", "))
            };
            SceneError::new(key("target"), format!("no shape is named `{name}` ({hint})"))
        })?),
        None if o.kind == ObserverKind::TargetedPixel => {
            return Err(SceneError::new(key("target"), "a targeted_pixel needs a `target` (a shape's name)"))
        }
        None => None,
    };
    let need = |v: Option<[f32; 3]>, k: &str| {
        v.map(Vec3::from).ok_or_else(|| SceneError::new(key(k), format!("a {kind} needs `{k}`")))
    };
    let direction = |k: &str| -> Result<Vec3, SceneError> {
        let v = need(o.direction, k)?;
        if !v.is_finite() || v.length() == 0.0 {
            return Err(SceneError::new(key(k), "must be a finite, non-zero vector"));
        }
        Ok(v.normalize())
    };
    let angle = |required: bool| -> Result<Option<f32>, SceneError> {
        match o.acceptance_angle {
            Some(a) if a.is_finite() && a > 0.0 && a < 90.0 => Ok(Some(a.to_radians())),
            Some(a) => Err(SceneError::new(key("acceptance_angle"), format!("must be in (0, 90) degrees, got {a}"))),
            None if required => {
                Err(SceneError::new(key("acceptance_angle"), format!("a {kind} needs `acceptance_angle`")))
            }
            None => Ok(None),
        }
    };
    let mut rays_hash = None;
    let (grid, detectors) = match o.kind {
        ObserverKind::SightLine => (
            None,
            vec![Detector::SightLine {
                origin: finite(need(o.origin, "origin")?, &key("origin"))?,
                direction: direction("direction")?,
            }],
        ),
        ObserverKind::Fibre => {
            let radius = o.radius.filter(|r| r.is_finite() && *r > 0.0).ok_or_else(|| {
                SceneError::new(key("radius"), format!("a fibre needs a `radius` > 0 m, got {:?}", o.radius))
            })?;
            let origin = finite(need(o.origin, "origin")?, &key("origin"))?;
            (None, vec![Detector::fibre(origin, direction("direction")?, radius, angle(true)?.unwrap_or_default())])
        }
        ObserverKind::Pixel | ObserverKind::TargetedPixel | ObserverKind::Ccd => {
            let size =
                o.size.ok_or_else(|| SceneError::new(key("size"), format!("a {kind} needs `size = [w, h]` (m)")))?;
            if !size.iter().all(|s| s.is_finite() && *s > 0.0) {
                return Err(SceneError::new(key("size"), format!("sizes must be > 0 m, got {size:?}")));
            }
            let placement = placement(o, &key("transform"))?;
            let (nx, ny) = match o.pixels {
                Some([nx, ny]) if nx >= 1 && ny >= 1 && nx * ny <= 1 << 26 => (nx as u32, ny as u32),
                Some(p) => {
                    return Err(SceneError::new(
                        key("pixels"),
                        format!("must be ≥ 1 each and at most 2^26 in all, got {p:?}"),
                    ))
                }
                None if o.kind == ObserverKind::Ccd => {
                    return Err(SceneError::new(key("pixels"), "a ccd needs `pixels = [nx, ny]`"))
                }
                None => (1, 1),
            };
            let frame = Frame { s: placement.1 * Vec3::X, t: placement.1 * Vec3::Y, n: placement.1 * Vec3::Z };
            let half = Vec2::new(size[0] / (2 * nx) as f32, size[1] / (2 * ny) as f32);
            // Row 0 is the +y edge, column 0 the −x edge.
            let detectors = (0..ny)
                .flat_map(|row| (0..nx).map(move |col| (row, col)))
                .map(|(row, col)| {
                    let x = -0.5 * size[0] + (2 * col + 1) as f32 * half.x;
                    let y = 0.5 * size[1] - (2 * row + 1) as f32 * half.y;
                    Detector::Pixel { centre: placement.0.point(Vec3::new(x, y, 0.0)), frame, half, target: None }
                })
                .collect();
            ((o.kind == ObserverKind::Ccd).then_some((nx, ny)), detectors)
        }
        ObserverKind::VectorCamera => {
            let file = o
                .rays
                .as_deref()
                .ok_or_else(|| SceneError::new(key("rays"), "a vector_camera needs `rays` (a .npy file)"))?;
            let full = scene_path.parent().unwrap_or(Path::new(".")).join(file);
            let (nx, ny, rays, hash) = read_rays(&full).map_err(|m| SceneError::new(key("rays"), m))?;
            rays_hash = Some(hash);
            let cone = angle(false)?;
            let detectors = rays
                .into_iter()
                .map(|r| match cone {
                    // A point with a cone: a fibre of no area (radiance only).
                    Some(a) => Detector::fibre(r.origin, r.dir, 0.0, a),
                    None => Detector::SightLine { origin: r.origin, direction: r.dir },
                })
                .collect();
            (Some((nx, ny)), detectors)
        }
    };
    let observer = Observer { name: o.name.clone(), kind, power, samples, grid, detectors };
    Ok(CheckedObserver { observer, target, rays_hash })
}

fn kind_name(k: ObserverKind) -> &'static str {
    match k {
        ObserverKind::SightLine => "sight_line",
        ObserverKind::Fibre => "fibre",
        ObserverKind::Pixel => "pixel",
        ObserverKind::TargetedPixel => "targeted_pixel",
        ObserverKind::Ccd => "ccd",
        ObserverKind::VectorCamera => "vector_camera",
    }
}

fn finite(v: Vec3, key: &str) -> Result<Vec3, SceneError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(SceneError::new(key, "must be finite numbers"))
    }
}

/// A detector's transform: rotation and translation only (`size` sizes it).
fn placement(o: &ObserverDesc, key: &str) -> Result<(Transform, glam::Mat3), SceneError> {
    let Some(t) = &o.transform else {
        return Ok((Transform::IDENTITY, glam::Mat3::IDENTITY));
    };
    let transform = t.to_transform().map_err(|m| SceneError::new(key, m))?;
    let linear = glam::Mat3::from_mat4(transform.m);
    let orthonormal =
        (linear.transpose() * linear - glam::Mat3::IDENTITY).to_cols_array().iter().all(|v| v.abs() < 1e-4);
    if !orthonormal || linear.determinant() < 0.0 {
        return Err(SceneError::new(
            key,
            "a detector may be rotated and translated, not scaled or mirrored (`size` sizes it)",
        ));
    }
    Ok((transform, linear))
}

/// A ny × nx × 6 array of rays (origin xyz, direction xyz), float32 or
/// float64; directions normalised; a NaN or a zero direction is named by
/// its row and column. Also returns the hash of the file's bytes.
fn read_rays(path: &Path) -> Result<(u32, u32, Vec<Ray>, u64), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let hash = crate::hash::hash_bytes(&bytes);
    let file = npyz::NpyFile::new(&bytes[..]).map_err(|e| format!("{}: not a .npy file: {e}", path.display()))?;
    let shape = file.shape().to_vec();
    let [ny, nx, 6] = shape[..] else {
        return Err(format!("{}: the rays array must have shape (ny, nx, 6), got {shape:?}", path.display()));
    };
    let dtype = file.dtype();
    let float_bytes = match &dtype {
        npyz::DType::Plain(t) if t.type_char() == npyz::TypeChar::Float => t.size_field(),
        _ => 0,
    };
    let values: Vec<f64> = match float_bytes {
        8 => file.into_vec::<f64>().map_err(|e| e.to_string())?,
        4 => file.into_vec::<f32>().map_err(|e| e.to_string())?.into_iter().map(f64::from).collect(),
        _ => return Err(format!("{}: the rays must be float32 or float64, got {}", path.display(), dtype.descr())),
    };
    let mut rays = Vec::with_capacity((nx * ny) as usize);
    for (i, r) in values.chunks_exact(6).enumerate() {
        let (row, col) = (i as u64 / nx, i as u64 % nx);
        let origin = Vec3::new(r[0] as f32, r[1] as f32, r[2] as f32);
        let direction = Vec3::new(r[3] as f32, r[4] as f32, r[5] as f32);
        if !origin.is_finite() || !direction.is_finite() || direction.length() == 0.0 {
            return Err(format!(
                "{}: the ray at row {row}, column {col} is not finite or has no direction",
                path.display()
            ));
        }
        rays.push(Ray::new(origin, direction.normalize()));
    }
    Ok((nx as u32, ny as u32, rays, hash))
}
