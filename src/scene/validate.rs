//! Checks every value of a parsed scene against the format's ranges and
//! cross-references, before anything is built or rendered, and returns what
//! it proved in the types the later stages take (`Checked`: counts as `u32`,
//! transforms as `Transform`, material names as indices), so that nothing
//! downstream re-checks or casts.

use super::desc::*;
use super::load::SceneError;
use crate::math::Transform;
use crate::spectrum::{Binning, Spectrum, METALS};

type Check = Result<(), SceneError>;

/// What validation proved about a scene, typed.
#[derive(Clone, Debug)]
pub struct Checked {
    pub width: u32,
    pub height: u32,
    pub sampling: Sampling,
    /// `render.tile_size`, when given.
    pub tile_size: Option<u32>,
    /// Per `[[shapes]]` entry, in order.
    pub shapes: Vec<CheckedShape>,
    /// Spectral mode's bins; `None` renders in RGB.
    pub binning: Option<Binning>,
    /// What the user should hear about but that does not stop the render.
    pub warnings: Vec<String>,
    /// False when the scene has no camera (observers alone).
    pub image: bool,
}

/// `[sampling]`, typed.
#[derive(Clone, Copy, Debug)]
pub struct Sampling {
    pub spp: u32,
    pub seed: u64,
    /// Longest path in segments; `u32::MAX` when unlimited.
    pub max_depth: u32,
    pub rr_depth: u32,
    pub min_spp: u32,
    pub pass_spp: u32,
}

#[derive(Clone, Debug)]
pub struct CheckedShape {
    /// Index of its material in `SceneDesc::materials` (name order).
    pub material: u32,
    pub transform: Transform,
}

/// Bytes of rank 0 memory one film pixel needs: accumulation, output copies.
pub const FILM_BYTES_PER_PIXEL: u64 = 48;

pub fn validate(d: &SceneDesc, available_memory: &dyn Fn() -> Option<u64>) -> Result<Checked, SceneError> {
    if let Some(v) = d.format {
        if v != 1 {
            return Err(SceneError::new(
                "format",
                format!("format version {v} is not supported; this rsrender reads version 1"),
            ));
        }
    }
    let (width, height) = match (&d.camera, &d.film) {
        (Some(_), Some(f)) => film(f, available_memory)?,
        (Some(_), None) => return Err(SceneError::new("film", "a scene with a [camera] needs a [film]")),
        (None, _) if d.observers.is_empty() => {
            return Err(SceneError::new("camera", "a scene needs a [camera], [[observers]], or both"))
        }
        // No picture: a film without pixels.
        (None, _) => (0, 0),
    };
    let sampling = sampling(&d.sampling)?;
    let tile_size = d.render.tile_size.map(|t| count("render.tile_size", t, 1)).transpose()?;
    if let Some(c) = &d.camera {
        camera(c)?;
    }
    let binning = d.spectrum.as_ref().map(spectral).transpose()?;
    for (name, m) in &d.materials {
        material(&format!("materials.{name}"), m)?;
        if let MaterialDesc::Blend(b) = m {
            blend(&format!("materials.{name}"), name, b, d)?;
        }
    }
    let shapes =
        d.shapes.iter().enumerate().map(|(i, s)| shape(&format!("shapes[{i}]"), s, d)).collect::<Result<_, _>>()?;
    for (i, l) in d.lights.iter().enumerate() {
        light(&format!("lights[{i}]"), l)?;
    }
    if binning.is_some() && matches!(d.render.integrator, IntegratorKind::Normals | IntegratorKind::Albedo) {
        return Err(SceneError::new(
            "render.integrator",
            "the normals and albedo views are RGB pictures: render them without [spectrum] (or ask for --aov)",
        ));
    }
    let warnings = binning.as_ref().map(|b| lines_outside(d, b)).unwrap_or_default();
    Ok(Checked { width, height, sampling, tile_size, shapes, binning, warnings, image: d.camera.is_some() })
}

fn spectral(s: &SpectralDesc) -> Result<Binning, SceneError> {
    for (key, v) in [("min_wavelength", s.min_wavelength), ("max_wavelength", s.max_wavelength)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(SceneError::new(format!("spectrum.{key}"), format!("must be a wavelength > 0 nm, got {v}")));
        }
    }
    if s.min_wavelength >= s.max_wavelength {
        return Err(SceneError::new(
            "spectrum.max_wavelength",
            format!("must be greater than min_wavelength ({} nm), got {} nm", s.min_wavelength, s.max_wavelength),
        ));
    }
    let bins = count("spectrum.bins", s.bins, 1)?;
    Ok(Binning::new(s.min_wavelength, s.max_wavelength, bins as usize))
}

/// One warning per emission line outside the bins, naming it.
fn lines_outside(d: &SceneDesc, b: &Binning) -> Vec<String> {
    let mut spectra: Vec<(String, &SpectrumDesc)> = vec![("background.color".into(), &d.background.color)];
    for (name, m) in &d.materials {
        spectra.extend(m.emission().map(|e| (format!("materials.{name}.emission"), e)));
    }
    for (i, l) in d.lights.iter().enumerate() {
        spectra.push(match l {
            LightDesc::Point(p) => (format!("lights[{i}].intensity"), &p.intensity),
            LightDesc::Spot(p) => (format!("lights[{i}].intensity"), &p.intensity),
            LightDesc::Directional(p) => (format!("lights[{i}].irradiance"), &p.irradiance),
        });
    }
    let mut out = Vec::new();
    for (path, s) in spectra {
        if let Spectrum::Lines(lines) = s.spectrum() {
            for (k, [nm, _]) in lines.iter().enumerate().filter(|(_, l)| b.bin_of(l[0]).is_none()) {
                out.push(format!(
                    "{path}: line {k} at {nm} nm lies outside the spectrum's [{}, {}) nm and is dropped",
                    b.min, b.max
                ));
            }
        }
    }
    out
}

fn film(f: &FilmDesc, available_memory: &dyn Fn() -> Option<u64>) -> Result<(u32, u32), SceneError> {
    let width = count("film.width", f.width, 1)?;
    let height = count("film.height", f.height, 1)?;
    finite("film.exposure", f.exposure)?;
    let pixels = (f.width as u128) * (f.height as u128);
    if pixels > u32::MAX as u128 {
        return Err(SceneError::new(
            "film.width",
            format!("a {}×{} film has more than 2^32 pixels", f.width, f.height),
        ));
    }
    let needed = pixels as u64 * FILM_BYTES_PER_PIXEL;
    if let Some(avail) = available_memory() {
        if needed > avail {
            return Err(SceneError::new(
                "film.width",
                format!(
                    "a {}×{} film needs about {:.1} GiB on rank 0, but this machine has only {:.1} GiB available",
                    f.width,
                    f.height,
                    needed as f64 / (1u64 << 30) as f64,
                    avail as f64 / (1u64 << 30) as f64
                ),
            ));
        }
    }
    Ok((width, height))
}

fn sampling(s: &SamplingDesc) -> Result<Sampling, SceneError> {
    let spp = count("sampling.spp", s.spp, 1)?;
    at_least("sampling.seed", s.seed, 0)?;
    let max_depth = if s.max_depth == -1 {
        u32::MAX
    } else if s.max_depth < 1 {
        return Err(SceneError::new(
            "sampling.max_depth",
            format!("must be ≥ 1 or -1 (unlimited), got {}", s.max_depth),
        ));
    } else {
        count("sampling.max_depth", s.max_depth, 1)?
    };
    let rr_depth = count("sampling.rr_depth", s.rr_depth, 1)?;
    let min_spp = count("sampling.min_spp", s.min_spp, 1)?;
    let pass_spp = count("sampling.pass_spp", s.pass_spp, 1)?;
    positive("sampling.noise_threshold", s.noise_threshold)?;
    Ok(Sampling { spp, seed: s.seed as u64, max_depth, rr_depth, min_spp, pass_spp })
}

fn camera(c: &CameraDesc) -> Check {
    finite3("camera.position", c.position)?;
    finite3("camera.look_at", c.look_at)?;
    finite3("camera.up", c.up)?;
    let view = sub(c.look_at, c.position);
    if length(view) == 0.0 {
        return Err(SceneError::new("camera.look_at", "must differ from camera.position"));
    }
    if length(cross(view, c.up)) <= 1e-6 * length(view) * length(c.up) {
        return Err(SceneError::new("camera.up", "is parallel to the view direction (or zero)"));
    }
    finite("camera.fov", c.fov)?;
    if !(c.fov > 0.0 && c.fov < 180.0) {
        return Err(SceneError::new("camera.fov", format!("must be in (0, 180) degrees, got {}", c.fov)));
    }
    positive("camera.height", c.height)?;
    finite("camera.aperture_radius", c.aperture_radius)?;
    if c.aperture_radius < 0.0 {
        return Err(SceneError::new("camera.aperture_radius", format!("must be ≥ 0, got {}", c.aperture_radius)));
    }
    if let Some(f) = c.focus_distance {
        positive("camera.focus_distance", f)?;
    }
    Ok(())
}

fn material(path: &str, m: &MaterialDesc) -> Check {
    if let Some(o) = m.opacity() {
        unit_or_texture(&format!("{path}.opacity"), o)?;
        if m.emits() {
            return Err(SceneError::new(format!("{path}.opacity"), "a cut-out cannot emit (give no emission)"));
        }
    }
    match m {
        MaterialDesc::Diffuse(d) => reflectance(&format!("{path}.reflectance"), &d.reflectance)?,
        MaterialDesc::Conductor(c) => {
            conductor(path, c)?;
            unit_or_texture(&format!("{path}.roughness"), &c.roughness)?;
        }
        MaterialDesc::Dielectric(g) => {
            property(&format!("{path}.tint"), &g.tint)?;
            unit_or_texture(&format!("{path}.roughness"), &g.roughness)?;
        }
        MaterialDesc::ThinDielectric(g) => {
            property(&format!("{path}.tint"), &g.tint)?;
            if g.roughness.texture().is_some() || g.roughness.value() != 0.0 {
                return Err(SceneError::new(format!("{path}.roughness"), "a thin_dielectric is smooth"));
            }
        }
        MaterialDesc::Plastic(p) => {
            reflectance(&format!("{path}.reflectance"), &p.reflectance)?;
            unit_or_texture(&format!("{path}.roughness"), &p.roughness)?;
        }
        MaterialDesc::Blend(_) | MaterialDesc::Emitter(_) | MaterialDesc::Null(_) => {}
    }
    Ok(())
}

/// A number in [0, 1], or a texture (whose values are clamped to it).
fn unit_or_texture(key: &str, s: &ScalarDesc) -> Check {
    match s.texture() {
        Some(_) => Ok(()),
        None => unit(key, s.value()),
    }
}

/// A blend's parts exist, are surfaces (not `emitter` or `null`) without
/// normal maps of their own, and do not lead back to the blend; its weight
/// is in [0, 1].
fn blend(path: &str, name: &str, b: &BlendDesc, d: &SceneDesc) -> Check {
    unit_or_texture(&format!("{path}.weight"), &b.weight)?;
    for (i, part) in b.materials.iter().enumerate() {
        let key = format!("{path}.materials[{i}]");
        match d.materials.get(part) {
            None => {
                let known: Vec<&str> = d.materials.keys().map(String::as_str).collect();
                return Err(SceneError::new(
                    key,
                    format!("undefined material `{part}`; defined: {}", known.join(", ")),
                ));
            }
            Some(MaterialDesc::Emitter(_) | MaterialDesc::Null(_)) => {
                return Err(SceneError::new(key, format!("`{part}` is an emitter or null: a blend mixes surfaces")));
            }
            Some(m) if m.normal_map().is_some() => {
                return Err(SceneError::new(
                    key,
                    format!("`{part}` has a normal_map: a blend's parts share one shading frame, give it to the blend"),
                ));
            }
            Some(_) => {}
        }
    }
    // Depth-first over the blends it reaches: meeting `name` again is a cycle.
    let mut stack: Vec<&str> = b.materials.iter().map(String::as_str).collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == name {
            return Err(SceneError::new(format!("{path}.materials"), "a blend cannot contain itself"));
        }
        if let (true, Some(MaterialDesc::Blend(inner))) = (seen.insert(next), d.materials.get(next)) {
            stack.extend(inner.materials.iter().map(String::as_str));
        }
    }
    Ok(())
}

/// Exactly one way to give a conductor's Fresnel term.
fn conductor(path: &str, c: &ConductorDesc) -> Check {
    match (&c.reflectance, &c.eta, &c.k, &c.metal) {
        (Some(r), None, None, None) => reflectance(&format!("{path}.reflectance"), r),
        (None, Some(eta), Some(k), None) => {
            property(&format!("{path}.eta"), eta)?;
            property(&format!("{path}.k"), k)
        }
        (None, None, None, Some(name)) if METALS.contains(&name.as_str()) => Ok(()),
        (None, None, None, Some(name)) => Err(SceneError::new(
            format!("{path}.metal"),
            format!("unknown metal `{name}`; known metals: {}", METALS.join(", ")),
        )),
        (None, None, None, None) => Ok(()),
        _ => Err(SceneError::new(
            path,
            "give one of: `reflectance` (Schlick), `eta` and `k` together, or `metal` (measured n and k)",
        )),
    }
}

/// A reflectance: at most 1 at every wavelength, and not an emission's form.
fn reflectance(path: &str, s: &SpectrumDesc) -> Check {
    let peak = match s.spectrum() {
        Spectrum::Rgb(c) => {
            if let Some((i, v)) = c.iter().enumerate().find(|(_, v)| **v > 1.0) {
                return Err(SceneError::new(format!("{path}[{i}]"), format!("must be in [0, 1], got {v}")));
            }
            0.0
        }
        Spectrum::Constant(v) => *v,
        Spectrum::Tabulated(t) => t.values().iter().fold(0.0f64, |m, &v| m.max(v)),
        Spectrum::Blackbody { .. } | Spectrum::Lines(_) => {
            return Err(SceneError::new(path, "a reflectance cannot be a blackbody or emission lines"))
        }
    };
    if peak > 1.0 {
        return Err(SceneError::new(path, format!("a reflectance must be at most 1, got {peak}")));
    }
    Ok(())
}

/// A smooth property of wavelength (tint, n, k): not lines or a blackbody.
fn property(path: &str, s: &SpectrumDesc) -> Check {
    match s.spectrum() {
        Spectrum::Blackbody { .. } | Spectrum::Lines(_) => {
            Err(SceneError::new(path, "must be a colour, a number or a table, not a blackbody or lines"))
        }
        _ => Ok(()),
    }
}

fn shape(path: &str, s: &ShapeDesc, d: &SceneDesc) -> Result<CheckedShape, SceneError> {
    let Some(material) = d.materials.keys().position(|k| k == s.material()) else {
        return Err(SceneError::new(format!("{path}.material"), format!("undefined material `{}`", s.material())));
    };
    let transform = match s.transform() {
        Some(t) => t.to_transform().map_err(|m| SceneError::new(format!("{path}.transform"), m))?,
        None => Transform::IDENTITY,
    };
    shape_values(path, s, d)?;
    Ok(CheckedShape { material: material as u32, transform })
}

fn shape_values(path: &str, s: &ShapeDesc, d: &SceneDesc) -> Check {
    match s {
        ShapeDesc::Sphere(sp) => {
            finite3(&format!("{path}.center"), sp.center)?;
            positive(&format!("{path}.radius"), sp.radius)
        }
        ShapeDesc::Triangle(t) => {
            let v = t.vertices;
            for (k, p) in v.iter().enumerate() {
                finite3(&format!("{path}.vertices[{k}]"), *p)?;
            }
            if length(cross(sub(v[1], v[0]), sub(v[2], v[0]))) == 0.0 {
                return Err(SceneError::new(format!("{path}.vertices"), "the triangle has zero area"));
            }
            Ok(())
        }
        ShapeDesc::Instance(inst) if !d.meshes.contains_key(&inst.mesh) => {
            let declared: Vec<&str> = d.meshes.keys().map(String::as_str).collect();
            let hint = if declared.is_empty() {
                "no [meshes.NAME] table declares any mesh".to_string()
            } else {
                format!("declared meshes: {}", declared.join(", "))
            };
            Err(SceneError::new(format!("{path}.mesh"), format!("undefined mesh `{}` ({hint})", inst.mesh)))
        }
        ShapeDesc::Rectangle(_) | ShapeDesc::Cube(_) | ShapeDesc::Mesh(_) | ShapeDesc::Instance(_) => Ok(()),
    }
}

fn light(path: &str, l: &LightDesc) -> Check {
    match l {
        LightDesc::Point(p) => finite3(&format!("{path}.position"), p.position),
        LightDesc::Spot(s) => {
            finite3(&format!("{path}.position"), s.position)?;
            let aim = match (s.direction, s.look_at) {
                (Some(_), Some(_)) => return Err(SceneError::new(path, "give `look_at` or `direction`, not both")),
                (Some(d), None) => ("direction", d),
                (None, Some(t)) => ("look_at", sub(t, s.position)),
                (None, None) => return Err(SceneError::new(path, "a spot light needs `look_at` or `direction`")),
            };
            if !aim.1.iter().all(|v| v.is_finite()) || length(aim.1) == 0.0 {
                return Err(SceneError::new(format!("{path}.{}", aim.0), "must give a finite, non-zero aim"));
            }
            if !(s.cutoff_angle > 0.0 && s.cutoff_angle <= 90.0) {
                let message = format!("must be in (0, 90] degrees, got {}", s.cutoff_angle);
                return Err(SceneError::new(format!("{path}.cutoff_angle"), message));
            }
            match s.beam_width {
                Some(b) if !(b > 0.0 && b <= s.cutoff_angle) => Err(SceneError::new(
                    format!("{path}.beam_width"),
                    format!("must be in (0, cutoff_angle = {}] degrees, got {b}", s.cutoff_angle),
                )),
                _ => Ok(()),
            }
        }
        LightDesc::Directional(d) => {
            finite3(&format!("{path}.direction"), d.direction)?;
            if length(d.direction) == 0.0 {
                return Err(SceneError::new(format!("{path}.direction"), "must not be the zero vector"));
            }
            Ok(())
        }
    }
}

/// A count of at least `min` that fits in 32 bits.
fn count(path: &str, v: i64, min: i64) -> Result<u32, SceneError> {
    at_least(path, v, min)?;
    u32::try_from(v).map_err(|_| SceneError::new(path, format!("must be ≤ {}, got {v}", u32::MAX)))
}

fn at_least(path: &str, v: i64, min: i64) -> Check {
    if v < min {
        return Err(SceneError::new(path, format!("must be ≥ {min}, got {v}")));
    }
    Ok(())
}

fn finite(path: &str, v: f32) -> Check {
    if !v.is_finite() {
        return Err(SceneError::new(path, format!("must be a finite number, got {v}")));
    }
    Ok(())
}

fn positive(path: &str, v: f32) -> Check {
    finite(path, v)?;
    if v <= 0.0 {
        return Err(SceneError::new(path, format!("must be > 0, got {v}")));
    }
    Ok(())
}

fn unit(path: &str, v: f32) -> Check {
    finite(path, v)?;
    if !(0.0..=1.0).contains(&v) {
        return Err(SceneError::new(path, format!("must be in [0, 1], got {v}")));
    }
    Ok(())
}

fn finite3(path: &str, v: V3) -> Check {
    for (i, x) in v.iter().enumerate() {
        finite(&format!("{path}[{i}]"), *x)?;
    }
    Ok(())
}

fn sub(a: V3, b: V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn length(v: V3) -> f32 {
    (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt()
}

fn cross(a: V3, b: V3) -> V3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}
