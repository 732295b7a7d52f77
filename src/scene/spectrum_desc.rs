//! How a scene writes colours, spectra and refractive indices, parsed into
//! `spectrum` types as they are read, so that a bad value is an error at
//! its key: `[r, g, b]`, a number, `{ blackbody = T, scale = s }`,
//! `{ wavelengths = [...], values = [...] }`, `{ file = "x.csv" }` (read by
//! `load`, relative to the scene), `{ lines = [[nm, W/m²/sr], ...] }`, or a
//! texture: `{ texture = "x.png", raw, scale, offset, wrap, filter }` (read
//! by `load`) or `{ checkerboard = { even, odd, scale } }`; an `ior` is a
//! number, `{ sellmeier = [...] }`, `{ cauchy = [A, B] }`, a table or a
//! catalogue name.

use crate::math::Vec3;
use crate::spectrum::{Ior, Spectrum, Table, GLASSES};
use crate::texture::{Filter, Texture, Wrap};
use serde::de::Error;
use serde::{Deserialize, Deserializer};
use toml::Value;

/// A colour or spectrum as the file gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum SpectrumDesc {
    Given(Spectrum),
    /// A two-column CSV (nm, value), relative to the scene: `load` reads it
    /// and replaces it by `Given`.
    File(String),
    /// A colour that varies over the surface.
    Texture(Box<TextureDesc>),
}

/// A number or a texture (for scalar parameters such as a blend's weight):
/// the form of a spectrum, refused unless it is a plain number or a texture.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalarDesc(pub SpectrumDesc);

impl ScalarDesc {
    pub fn number(v: f64) -> ScalarDesc {
        ScalarDesc(SpectrumDesc::Given(Spectrum::Constant(v)))
    }

    /// The number, or a texture's mean luminance.
    pub fn value(&self) -> f32 {
        match self.0.spectrum() {
            Spectrum::Constant(v) => *v as f32,
            Spectrum::Rgb(rgb) => crate::math::luminance(Vec3::from(*rgb)),
            _ => 0.0,
        }
    }

    pub fn texture(&self) -> Option<&Texture> {
        self.0.texture()
    }
}

impl<'de> Deserialize<'de> for ScalarDesc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        match spectrum(value).map_err(D::Error::custom)? {
            s @ (SpectrumDesc::Given(Spectrum::Constant(_)) | SpectrumDesc::Texture(_)) => Ok(ScalarDesc(s)),
            _ => Err(D::Error::custom("expected a number or a texture")),
        }
    }
}

/// A tangent-space normal map (OpenGL convention, as Mitsuba's
/// `normalmap`): an image texture, always read as stored (`raw`), whose
/// texel c gives the normal 2c − 1 in the frame of the shading normal and
/// the surface's ∂p/∂u.
#[derive(Clone, Debug, PartialEq)]
pub struct NormalMapDesc(pub SpectrumDesc);

impl NormalMapDesc {
    pub fn texture(&self) -> Option<&Texture> {
        self.0.texture()
    }
}

impl<'de> Deserialize<'de> for NormalMapDesc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        match spectrum(value).map_err(D::Error::custom)? {
            SpectrumDesc::Texture(mut t) => match &mut t.kind {
                TextureKind::Bitmap { raw, .. } => {
                    *raw = true;
                    Ok(NormalMapDesc(SpectrumDesc::Texture(t)))
                }
                TextureKind::Checkerboard => Err(D::Error::custom("a normal map is an image: { texture = \"n.png\" }")),
            },
            _ => Err(D::Error::custom("expected an image texture: { texture = \"n.png\" }")),
        }
    }
}

/// A texture as the file gives it, and once `load` has read its image, the
/// texture itself.
#[derive(Clone, Debug, PartialEq)]
pub struct TextureDesc {
    pub kind: TextureKind,
    /// Set by `load` (a checkerboard needs no file and is set at once).
    pub texture: Option<Texture>,
    /// The mean colour: what stands for the texture where one colour must
    /// (the albedo guide's bounds, light power estimates).
    pub mean: Spectrum,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TextureKind {
    Bitmap { file: String, raw: bool, wrap: Wrap, filter: Filter, scale: [f32; 2], offset: [f32; 2] },
    Checkerboard,
}

impl SpectrumDesc {
    pub const fn rgb(rgb: [f32; 3]) -> SpectrumDesc {
        SpectrumDesc::Given(Spectrum::Rgb(rgb))
    }

    /// The spectrum (an unread file, which `load` never leaves, is black; a
    /// texture gives its mean).
    pub fn spectrum(&self) -> &Spectrum {
        const BLACK: Spectrum = Spectrum::Constant(0.0);
        match self {
            SpectrumDesc::Given(s) => s,
            SpectrumDesc::File(_) => &BLACK,
            SpectrumDesc::Texture(t) => &t.mean,
        }
    }

    /// The texture, once loaded.
    pub fn texture(&self) -> Option<&Texture> {
        match self {
            SpectrumDesc::Texture(t) => t.texture.as_ref(),
            _ => None,
        }
    }

    /// True when some wavelength has a positive value.
    pub fn is_positive(&self) -> bool {
        match self.spectrum() {
            Spectrum::Rgb(c) => c.iter().any(|&v| v > 0.0),
            Spectrum::Constant(v) => *v > 0.0,
            Spectrum::Blackbody { scale, .. } => *scale > 0.0,
            Spectrum::Tabulated(t) => t.values().iter().any(|&v| v > 0.0),
            Spectrum::Lines(lines) => lines.iter().any(|l| l[1] > 0.0),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpectrumTable {
    blackbody: Option<f64>,
    scale: Option<f64>,
    wavelengths: Option<Vec<f64>>,
    values: Option<Vec<f64>>,
    file: Option<String>,
    lines: Option<Vec<[f64; 2]>>,
}

impl<'de> Deserialize<'de> for SpectrumDesc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        spectrum(value).map_err(D::Error::custom)
    }
}

fn spectrum(value: Value) -> Result<SpectrumDesc, String> {
    const EXPECTED: &str = "expected [r, g, b], a number, or a table with `blackbody`, `wavelengths` and \
                            `values`, `file`, `lines`, `texture` or `checkerboard`";
    let given = |s| Ok(SpectrumDesc::Given(s));
    match value {
        Value::Integer(_) | Value::Float(_) => given(Spectrum::Constant(non_negative("the value", number(&value)?)?)),
        Value::Array(items) => {
            let rgb: Vec<f64> = items.iter().map(number).collect::<Result<_, _>>()?;
            let [r, g, b] = rgb[..] else {
                return Err(format!("an RGB colour has 3 components, got {}", rgb.len()));
            };
            for (c, v) in ["r", "g", "b"].iter().zip([r, g, b]) {
                non_negative(&format!("component {c}"), v)?;
            }
            given(Spectrum::Rgb([r as f32, g as f32, b as f32]))
        }
        Value::Table(t) if t.contains_key("texture") || t.contains_key("checkerboard") => texture(t),
        Value::Table(t) => {
            let t: SpectrumTable = Value::Table(t).try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
            match t {
                SpectrumTable {
                    blackbody: Some(kelvin),
                    wavelengths: None,
                    values: None,
                    file: None,
                    lines: None,
                    scale,
                } => {
                    if !(kelvin.is_finite() && kelvin > 0.0) {
                        return Err(format!("a blackbody needs a temperature > 0 K, got {kelvin}"));
                    }
                    given(Spectrum::Blackbody { kelvin, scale: non_negative("scale", scale.unwrap_or(1.0))? })
                }
                SpectrumTable {
                    wavelengths: Some(w),
                    values: Some(v),
                    blackbody: None,
                    file: None,
                    lines: None,
                    scale: None,
                } => given(Spectrum::Tabulated(table(w, v)?)),
                SpectrumTable {
                    file: Some(f),
                    blackbody: None,
                    wavelengths: None,
                    values: None,
                    lines: None,
                    scale: None,
                } => Ok(SpectrumDesc::File(f)),
                SpectrumTable {
                    lines: Some(lines),
                    blackbody: None,
                    wavelengths: None,
                    values: None,
                    file: None,
                    scale: None,
                } => {
                    for (i, [nm, radiance]) in lines.iter().enumerate() {
                        positive(&format!("line {i}'s wavelength"), *nm)?;
                        non_negative(&format!("line {i}'s radiance"), *radiance)?;
                    }
                    given(Spectrum::Lines(lines))
                }
                _ => Err(EXPECTED.to_string()),
            }
        }
        _ => Err(EXPECTED.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BitmapTable {
    texture: String,
    #[serde(default)]
    raw: bool,
    #[serde(default = "unit_scale")]
    scale: [f32; 2],
    #[serde(default)]
    offset: [f32; 2],
    #[serde(default)]
    wrap: WrapName,
    #[serde(default)]
    filter: FilterName,
}

fn unit_scale() -> [f32; 2] {
    [1.0, 1.0]
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "snake_case")]
enum WrapName {
    #[default]
    Repeat,
    Clamp,
    Mirror,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "snake_case")]
enum FilterName {
    #[default]
    Bilinear,
    Nearest,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckerboardTable {
    checkerboard: CheckerboardKeys,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckerboardKeys {
    #[serde(default = "dark")]
    even: SpectrumDesc,
    #[serde(default = "darker")]
    odd: SpectrumDesc,
    #[serde(default = "one")]
    scale: f32,
}

/// Mitsuba's `checkerboard` defaults: 0.4 and 0.2.
fn dark() -> SpectrumDesc {
    SpectrumDesc::Given(Spectrum::Constant(0.4))
}
fn darker() -> SpectrumDesc {
    SpectrumDesc::Given(Spectrum::Constant(0.2))
}
fn one() -> f32 {
    1.0
}

fn texture(t: toml::Table) -> Result<SpectrumDesc, String> {
    let message = |e: toml::de::Error| e.message().to_string();
    if t.contains_key("checkerboard") {
        let c: CheckerboardTable = Value::Table(t).try_into().map_err(message)?;
        let c = c.checkerboard;
        let colour = |which: &str, s: &SpectrumDesc| match s.spectrum() {
            Spectrum::Rgb(rgb) => Ok(Vec3::from(*rgb)),
            Spectrum::Constant(v) => Ok(Vec3::splat(*v as f32)),
            _ => Err(format!("checkerboard.{which} must be [r, g, b] or a number")),
        };
        let (even, odd) = (colour("even", &c.even)?, colour("odd", &c.odd)?);
        if !(c.scale.is_finite() && c.scale > 0.0) {
            return Err(format!("checkerboard.scale must be > 0, got {}", c.scale));
        }
        let mean = (even + odd) * 0.5;
        return Ok(SpectrumDesc::Texture(Box::new(TextureDesc {
            kind: TextureKind::Checkerboard,
            texture: Some(Texture::Checkerboard { even, odd, scale: c.scale }),
            mean: Spectrum::Rgb(mean.to_array()),
        })));
    }
    let b: BitmapTable = Value::Table(t).try_into().map_err(message)?;
    if b.scale.iter().chain(&b.offset).any(|v| !v.is_finite()) {
        return Err("a texture's scale and offset must be finite".into());
    }
    let wrap = match b.wrap {
        WrapName::Repeat => Wrap::Repeat,
        WrapName::Clamp => Wrap::Clamp,
        WrapName::Mirror => Wrap::Mirror,
    };
    let filter = match b.filter {
        FilterName::Bilinear => Filter::Bilinear,
        FilterName::Nearest => Filter::Nearest,
    };
    let kind = TextureKind::Bitmap { file: b.texture, raw: b.raw, wrap, filter, scale: b.scale, offset: b.offset };
    Ok(SpectrumDesc::Texture(Box::new(TextureDesc { kind, texture: None, mean: Spectrum::Constant(0.5) })))
}

/// A tabulated function: wavelengths (nm) > 0 and strictly increasing,
/// values ≥ 0 and finite, as many of each, at least two.
pub fn table(wavelengths: Vec<f64>, values: Vec<f64>) -> Result<Table, String> {
    if wavelengths.len() != values.len() {
        return Err(format!("{} wavelengths but {} values", wavelengths.len(), values.len()));
    }
    if wavelengths.len() < 2 {
        return Err("a table needs at least two points".into());
    }
    for (i, (&nm, &v)) in wavelengths.iter().zip(&values).enumerate() {
        positive(&format!("wavelength {i}"), nm)?;
        non_negative(&format!("value {i}"), v)?;
        if i > 0 && nm <= wavelengths[i - 1] {
            return Err(format!("wavelengths must increase: {nm} nm follows {} nm", wavelengths[i - 1]));
        }
    }
    Ok(Table::new(wavelengths, values))
}

/// Reads a two-column CSV (nm, value); `#` starts a comment line; errors
/// name the line.
pub fn read_csv(text: &str) -> Result<Table, String> {
    let (mut wavelengths, mut values) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split([',', ';', '\t', ' ']).filter(|f| !f.is_empty()).collect();
        let parsed: Option<Vec<f64>> = fields.iter().map(|f| f.parse().ok()).collect();
        match parsed.as_deref() {
            Some([nm, v]) => {
                wavelengths.push(*nm);
                values.push(*v);
            }
            _ => return Err(format!("line {}: expected two numbers (nm, value), got `{line}`", i + 1)),
        }
    }
    table(wavelengths, values)
}

/// A refractive index as the file gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct IorDesc(pub Ior);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IorTable {
    sellmeier: Option<[f64; 6]>,
    cauchy: Option<[f64; 2]>,
    wavelengths: Option<Vec<f64>>,
    values: Option<Vec<f64>>,
}

impl<'de> Deserialize<'de> for IorDesc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ior(Value::deserialize(d)?).map(IorDesc).map_err(D::Error::custom)
    }
}

fn ior(value: Value) -> Result<Ior, String> {
    const EXPECTED: &str = "expected a number, a glass name, or a table with `sellmeier`, `cauchy`, or \
                            `wavelengths` and `values`";
    match value {
        Value::Integer(_) | Value::Float(_) => Ok(Ior::Constant(positive("the index", number(&value)?)?)),
        Value::String(name) => {
            Ior::named(&name).ok_or_else(|| format!("unknown glass `{name}`; known glasses: {}", GLASSES.join(", ")))
        }
        Value::Table(t) => {
            let t: IorTable = Value::Table(t).try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
            let ior = match t {
                IorTable { sellmeier: Some(c), cauchy: None, wavelengths: None, values: None } => {
                    for (i, v) in c.iter().enumerate() {
                        non_negative(&format!("sellmeier[{i}]"), *v)?;
                    }
                    Ior::Sellmeier(c)
                }
                IorTable { cauchy: Some([a, b]), sellmeier: None, wavelengths: None, values: None } => {
                    Ior::Cauchy([positive("cauchy[0]", a)?, non_negative("cauchy[1]", b)?])
                }
                IorTable { wavelengths: Some(w), values: Some(v), sellmeier: None, cauchy: None } => {
                    let t = table(w, v)?;
                    if t.values().iter().any(|&n| n <= 0.0) {
                        return Err("indices must be > 0".into());
                    }
                    Ior::Tabulated(t)
                }
                _ => return Err(EXPECTED.into()),
            };
            // Every formula must give a usable index across the visible range.
            for nm in [380.0, 550.0, 780.0] {
                let n = ior.at(nm);
                if !(n.is_finite() && n > 0.0) {
                    return Err(format!("the index at {nm} nm is {n}; check the coefficients"));
                }
            }
            Ok(ior)
        }
        _ => Err(EXPECTED.into()),
    }
}

fn number(v: &Value) -> Result<f64, String> {
    match v {
        Value::Integer(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        other => Err(format!("expected a number, got {}", other.type_str())),
    }
}

fn non_negative(what: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("{what} must be a finite number ≥ 0, got {v}"))
    }
}

fn positive(what: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{what} must be a finite number > 0, got {v}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_spectrum_reads_its_numbers_and_names_a_bad_line() {
        let t = read_csv("# nm, value\n400, 0.5\n500;0.7\n\n600\t0.9\n").unwrap();
        assert_eq!(t.values(), [0.5, 0.7, 0.9]);
        let e = read_csv("400, 0.5\n500, oops\n").unwrap_err();
        assert!(e.starts_with("line 2:") && e.contains("oops"), "{e}");
        let e = read_csv("500, 0.5\n400, 0.7\n").unwrap_err();
        assert!(e.contains("must increase"), "{e}");
    }
}
