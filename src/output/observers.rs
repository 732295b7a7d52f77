//! The observers' results: one JSON file, `{"observers": [...]}` in scene
//! order, each with its name, type, quantity, unit, samples, value and
//! stderr (per RGB channel or spectral bin) and étendue; an array (CCD,
//! vector camera) adds `file`, its per-pixel values `NAME.npy` and
//! `NAME.stderr.npy` (ny × nx × channels, float64) beside the JSON, and its
//! value is the sum over pixels for power, the mean for radiance.

use super::{npy, write_atomically};
use crate::observer::{Measured, Observer};
use crate::spectrum::Binning;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::path::Path;

pub fn write(path: &Path, observers: &[Observer], measured: &[Vec<Measured>], binning: Option<&Binning>) -> Result<()> {
    let mut entries = Vec::new();
    for (o, m) in observers.iter().zip(measured) {
        let mut entry = json!({
            "name": o.name,
            "type": o.kind,
            "quantity": if o.power { "power" } else { "radiance" },
            "unit": unit(o.power, binning.is_some()),
            "samples": o.samples,
        });
        let etendue = o.detectors.first().and_then(|d| d.etendue());
        let (value, stderr) = match o.grid {
            None => (m[0].value.clone(), m[0].stderr.clone()),
            Some((nx, ny)) => {
                let file = format!("{}.npy", o.name);
                let dir = path.parent().unwrap_or(Path::new("."));
                let shape = [ny as u64, nx as u64, m[0].value.len() as u64];
                for (name, values) in
                    [(file.clone(), flat(m, |p| &p.value)), (format!("{}.stderr.npy", o.name), flat(m, |p| &p.stderr))]
                {
                    let target = dir.join(&name);
                    write_atomically(&target, |tmp| npy::write(tmp, &shape, &values))
                        .with_context(|| format!("cannot write {}", target.display()))?;
                }
                entry["file"] = json!(file);
                combined(m, o.power)
            }
        };
        entry["value"] = json!(value);
        entry["stderr"] = json!(stderr);
        entry["etendue"] = etendue.map_or(Value::Null, |e| json!(e));
        entries.push(entry);
    }
    let mut text = serde_json::to_string_pretty(&json!({ "observers": entries }))?;
    text.push('\n');
    write_atomically(path, |tmp| Ok(std::fs::write(tmp, text.as_bytes())?))
        .with_context(|| format!("cannot write {}", path.display()))
}

fn unit(power: bool, spectral: bool) -> &'static str {
    match (power, spectral) {
        (true, false) => "W",
        (true, true) => "W/nm",
        (false, false) => "W/m^2/sr",
        (false, true) => "W/m^2/sr/nm",
    }
}

fn flat(m: &[Measured], f: impl Fn(&Measured) -> &Vec<f64>) -> Vec<f64> {
    m.iter().flat_map(|p| f(p).iter().copied()).collect()
}

/// An array's total power (sum) or mean radiance, with the standard error
/// of independent pixels.
fn combined(m: &[Measured], power: bool) -> (Vec<f64>, Vec<f64>) {
    let channels = m[0].value.len();
    let scale = if power { 1.0 } else { 1.0 / m.len() as f64 };
    let value = (0..channels).map(|c| m.iter().map(|p| p.value[c]).sum::<f64>() * scale).collect();
    let stderr = (0..channels).map(|c| m.iter().map(|p| p.stderr[c].powi(2)).sum::<f64>().sqrt() * scale).collect();
    (value, stderr)
}
