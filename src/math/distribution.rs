//! Piecewise-constant distributions: over [0, 1) from n non-negative
//! weights (each cell [i/n, (i + 1)/n) drawn with probability ∝ its weight,
//! uniformly inside), and over [0, 1)² as a marginal over rows times each
//! row's conditional, as pbrt-v4's `PiecewiseConstant2D`. Densities are
//! with respect to length or area in the unit interval or square.

use super::Vec2;

#[derive(Clone, Debug)]
pub struct Distribution1D {
    weights: Vec<f32>,
    /// cdf[i] = Σ_{k<i} weights / total; cdf[n] = 1.
    cdf: Vec<f64>,
    total: f64,
}

impl Distribution1D {
    /// Weights must be finite and ≥ 0; all zero gives the uniform distribution.
    pub fn new(weights: &[f32]) -> Distribution1D {
        let sum: f64 = weights.iter().map(|&w| w as f64).sum();
        let weights: Vec<f32> = if sum > 0.0 { weights.to_vec() } else { vec![1.0; weights.len()] };
        let total: f64 = weights.iter().map(|&w| w as f64).sum();
        let mut cdf = Vec::with_capacity(weights.len() + 1);
        let mut running = 0.0;
        cdf.push(0.0);
        for &w in &weights {
            running += w as f64;
            cdf.push(running / total);
        }
        Distribution1D { weights, cdf, total }
    }

    fn len(&self) -> usize {
        self.weights.len()
    }

    /// A point x in [0, 1), its cell, and the density there.
    pub fn sample(&self, u: f32) -> (f32, usize, f32) {
        let u = u as f64;
        // The last cell whose cdf start is ≤ u, among those with weight.
        let i = self.cdf.partition_point(|&c| c <= u).saturating_sub(1).min(self.len() - 1);
        let width = self.cdf[i + 1] - self.cdf[i];
        let offset = if width > 0.0 { ((u - self.cdf[i]) / width).clamp(0.0, 1.0) } else { 0.5 };
        let n = self.len() as f64;
        let x = ((i as f64 + offset) / n).min(1.0 - f64::EPSILON) as f32;
        (x, i, self.density(i))
    }

    /// The density in cell `i`.
    pub fn density(&self, i: usize) -> f32 {
        (self.weights[i] as f64 * self.len() as f64 / self.total) as f32
    }

    /// The cell holding x in [0, 1].
    pub fn cell(&self, x: f32) -> usize {
        ((x * self.len() as f32) as usize).min(self.len() - 1)
    }
}

#[derive(Clone, Debug)]
pub struct Distribution2D {
    rows: Vec<Distribution1D>,
    marginal: Distribution1D,
}

impl Distribution2D {
    /// `weights` row by row, `width` per row (row 0 at v = 0).
    pub fn new(weights: &[f32], width: usize) -> Distribution2D {
        let rows: Vec<Distribution1D> = weights.chunks_exact(width).map(Distribution1D::new).collect();
        let row_sums: Vec<f32> =
            weights.chunks_exact(width).map(|r| r.iter().map(|&w| w as f64).sum::<f64>() as f32).collect();
        Distribution2D { marginal: Distribution1D::new(&row_sums), rows }
    }

    /// A point (u, v) in [0, 1)² and its density.
    pub fn sample(&self, u: Vec2) -> (Vec2, f32) {
        let (v, row, pdf_v) = self.marginal.sample(u.y);
        let (x, _, pdf_u) = self.rows[row].sample(u.x);
        (Vec2::new(x, v), pdf_v * pdf_u)
    }

    /// The density at (u, v).
    pub fn pdf(&self, uv: Vec2) -> f32 {
        let row = self.marginal.cell(uv.y);
        let r = &self.rows[row];
        self.marginal.density(row) * r.density(r.cell(uv.x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_land_in_cells_by_weight_and_densities_integrate_to_one() {
        let d = Distribution1D::new(&[1.0, 0.0, 3.0]);
        assert_eq!(d.sample(0.1).1, 0);
        assert_eq!(d.sample(0.3).1, 2);
        assert_eq!(d.sample(0.999).1, 2);
        let (x, _, pdf) = d.sample(0.625);
        assert!((x - (2.0 + 0.5) / 3.0).abs() < 1e-6 && (pdf - 2.25).abs() < 1e-6);
        let integral: f32 = (0..3).map(|i| d.density(i) / 3.0).sum();
        assert!((integral - 1.0).abs() < 1e-6);
        let zero = Distribution1D::new(&[0.0, 0.0]);
        assert_eq!(zero.density(1), 1.0);
    }

    #[test]
    fn the_2d_density_matches_what_sampling_draws() {
        let w = [1.0, 2.0, 0.0, 4.0, 0.5, 0.5];
        let d = Distribution2D::new(&w, 3);
        let mut counts = [0u32; 6];
        let n = 200;
        for i in 0..n {
            for j in 0..n {
                let u = Vec2::new((i as f32 + 0.5) / n as f32, (j as f32 + 0.5) / n as f32);
                let (p, pdf) = d.sample(u);
                assert!((pdf - d.pdf(p)).abs() < 1e-4, "{p} {pdf} {}", d.pdf(p));
                counts[(p.y * 2.0) as usize * 3 + (p.x * 3.0) as usize] += 1;
            }
        }
        let total: f32 = w.iter().sum();
        for (c, w) in counts.iter().zip(w) {
            assert!((*c as f32 / (n * n) as f32 - w / total).abs() < 0.01, "{counts:?}");
        }
    }
}
