//! Measured optical constants (n, k) of metals, bundled from `data/metals/`
//! (sources and licences in its SOURCES.md: Rakić et al. 1998 and Johnson
//! & Christy 1974 via Raysect and refractiveindex.info; molybdenum from
//! Kirillova et al. 1971 and austenitic stainless steel from Karlsson and
//! Ribbing 1982, via refractiveindex.info). Between points linear; beyond a
//! table's ends, its end values.

use super::cie::parse_bundled;
use super::table::Table;

/// Metal names, in the order error messages list them.
pub const METALS: [&str; 12] = ["Ag", "Al", "Au", "Be", "Cu", "Fe", "Mo", "Ni", "Pt", "Ti", "W", "stainless_steel"];

#[derive(Clone, Debug, PartialEq)]
pub struct Metal {
    pub n: Table,
    pub k: Table,
}

impl Metal {
    pub fn named(name: &str) -> Option<Metal> {
        let text = match name {
            "Ag" => include_str!("../../data/metals/Ag.csv"),
            "Al" => include_str!("../../data/metals/Al.csv"),
            "Au" => include_str!("../../data/metals/Au.csv"),
            "Be" => include_str!("../../data/metals/Be.csv"),
            "Cu" => include_str!("../../data/metals/Cu.csv"),
            "Fe" => include_str!("../../data/metals/Fe.csv"),
            "Mo" => include_str!("../../data/metals/Mo.csv"),
            "Ni" => include_str!("../../data/metals/Ni.csv"),
            "Pt" => include_str!("../../data/metals/Pt.csv"),
            "Ti" => include_str!("../../data/metals/Ti.csv"),
            "W" => include_str!("../../data/metals/W.csv"),
            "stainless_steel" => include_str!("../../data/metals/stainless_steel.csv"),
            _ => return None,
        };
        let rows = parse_bundled(text, 3);
        let column = |c: usize| rows.iter().map(|r| r[c]).collect::<Vec<f64>>();
        Some(Metal { n: Table::new(column(0), column(1)), k: Table::new(column(0), column(2)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metal_loads_and_gold_reflects_red_more_than_blue() {
        for name in METALS {
            let m = Metal::named(name).unwrap();
            assert!(m.n.at_clamped(550.0) > 0.0 && m.k.at_clamped(550.0) > 0.0, "{name}");
        }
        let au = Metal::named("Au").unwrap();
        let r = |nm: f64| {
            let (n, k) = (au.n.at_clamped(nm), au.k.at_clamped(nm));
            ((n - 1.0).powi(2) + k * k) / ((n + 1.0).powi(2) + k * k)
        };
        assert!(r(650.0) > 0.9 && r(450.0) < 0.45, "{} {}", r(650.0), r(450.0));
    }
}
