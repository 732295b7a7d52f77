//! A tabulated function of wavelength: linear between points, zero outside
//! (`at`), or held at the end values (`at_clamped`, for measured optical
//! constants whose tables end before the range asked for).

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    xs: Vec<f64>,
    ys: Vec<f64>,
}

impl Table {
    /// `xs` strictly increasing, as long as `ys` (callers check user data).
    pub fn new(xs: Vec<f64>, ys: Vec<f64>) -> Table {
        debug_assert!(xs.len() == ys.len() && xs.windows(2).all(|w| w[0] < w[1]));
        Table { xs, ys }
    }

    pub fn values(&self) -> &[f64] {
        &self.ys
    }

    pub fn at(&self, x: f64) -> f64 {
        match (self.xs.first(), self.xs.last()) {
            (Some(&lo), Some(&hi)) if x >= lo && x <= hi => self.interpolate(x),
            _ => 0.0,
        }
    }

    pub fn at_clamped(&self, x: f64) -> f64 {
        match (self.xs.first(), self.xs.last()) {
            (Some(&lo), _) if x <= lo => self.ys[0],
            (_, Some(&hi)) if x >= hi => self.ys[self.ys.len() - 1],
            (Some(_), Some(_)) => self.interpolate(x),
            _ => 0.0,
        }
    }

    fn interpolate(&self, x: f64) -> f64 {
        let i = self.xs.partition_point(|&v| v <= x).clamp(1, self.xs.len().max(2) - 1);
        if self.xs.len() == 1 {
            return self.ys[0];
        }
        let (x0, x1, y0, y1) = (self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]);
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    }

    /// ∫ `at` over [lo, hi], exactly (trapezoids between the points).
    pub fn integral(&self, lo: f64, hi: f64) -> f64 {
        let mut sum = 0.0;
        for (xs, ys) in self.xs.windows(2).zip(self.ys.windows(2)) {
            let (a, b) = (xs[0].max(lo), xs[1].min(hi));
            if a < b {
                sum += 0.5 * (interpolate_in(xs, ys, a) + interpolate_in(xs, ys, b)) * (b - a);
            }
        }
        sum
    }
}

fn interpolate_in(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    ys[0] + (ys[1] - ys[0]) * (x - xs[0]) / (xs[1] - xs[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_between_points_zero_outside_and_exact_integrals() {
        let t = Table::new(vec![400.0, 500.0, 600.0], vec![0.0, 1.0, 0.5]);
        assert_eq!(t.at(450.0), 0.5);
        assert_eq!(t.at(399.0), 0.0);
        assert_eq!(t.at_clamped(700.0), 0.5);
        assert!((t.integral(300.0, 700.0) - (50.0 + 75.0)).abs() < 1e-12);
        assert!((t.integral(450.0, 550.0) - (0.5 * (0.5 + 1.0) * 50.0 + 0.5 * (1.0 + 0.75) * 50.0)).abs() < 1e-12);
    }
}
