//! Refractive index of glasses as a function of wavelength: a constant, a
//! Sellmeier or Cauchy formula (coefficients in µm², λ in µm), a table, or
//! a named glass from a small catalogue:
//!
//! - `bk7`: SCHOTT N-BK7, Sellmeier, from the SCHOTT optical glass data sheet.
//! - `fused_silica`: I. H. Malitson, "Interspecimen comparison of the
//!   refractive index of fused silica", J. Opt. Soc. Am. 55, 1205 (1965).
//! - `sapphire`: ordinary ray, I. H. Malitson and M. J. Dodge, "Refractive
//!   index and birefringence of synthetic sapphire", J. Opt. Soc. Am. 62,
//!   1405 (1972).

use super::table::Table;

/// The wavelength at which RGB mode, which does not disperse, takes a
/// glass's index: the helium d line, where catalogues quote n_d.
pub const RGB_MODE_NM: f64 = 587.56;

#[derive(Clone, Debug, PartialEq)]
pub enum Ior {
    Constant(f64),
    /// B1, B2, B3, C1, C2, C3 (C in µm²).
    Sellmeier([f64; 6]),
    /// A, B (B in µm²): n = A + B/λ².
    Cauchy([f64; 2]),
    Tabulated(Table),
}

/// Glass names the catalogue knows, in the order error messages list them.
pub const GLASSES: [&str; 3] = ["bk7", "fused_silica", "sapphire"];

impl Ior {
    pub fn named(name: &str) -> Option<Ior> {
        let sellmeier = match name {
            "bk7" => [1.03961212, 0.231792344, 1.01046945, 0.00600069867, 0.0200179144, 103.560653],
            "fused_silica" => {
                [0.6961663, 0.4079426, 0.8974794, 0.0684043f64.powi(2), 0.1162414f64.powi(2), 9.896161f64.powi(2)]
            }
            "sapphire" => {
                [1.4313493, 0.65054713, 5.3414021, 0.0726631f64.powi(2), 0.1193242f64.powi(2), 18.028251f64.powi(2)]
            }
            _ => return None,
        };
        Some(Ior::Sellmeier(sellmeier))
    }

    pub fn at(&self, nm: f64) -> f64 {
        let um2 = (nm * 1e-3).powi(2);
        match self {
            Ior::Constant(n) => *n,
            Ior::Sellmeier([b1, b2, b3, c1, c2, c3]) => {
                (1.0 + b1 * um2 / (um2 - c1) + b2 * um2 / (um2 - c2) + b3 * um2 / (um2 - c3)).max(0.0).sqrt()
            }
            Ior::Cauchy([a, b]) => a + b / um2,
            Ior::Tabulated(t) => t.at_clamped(nm),
        }
    }

    /// True when the index is the same at every wavelength.
    pub fn is_constant(&self) -> bool {
        matches!(self, Ior::Constant(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_glasses_have_their_published_indices() {
        // n_d (587.56 nm) from the data sheets: N-BK7 1.5168, fused silica
        // 1.4585, sapphire (ordinary) 1.7682.
        for (name, n_d) in [("bk7", 1.5168), ("fused_silica", 1.4585), ("sapphire", 1.7682)] {
            let n = Ior::named(name).unwrap().at(RGB_MODE_NM);
            assert!((n - n_d).abs() < 2e-4, "{name}: {n}");
        }
        let bk7 = Ior::named("bk7").unwrap();
        assert!(bk7.at(450.0) > bk7.at(650.0), "normal dispersion");
    }
}
