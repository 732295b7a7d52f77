//! Sine and cosine together for the warps' angles, without libm's general
//! range reduction: the warps know their angle's range (an octant, or a
//! fraction of a turn), which makes the reduction exact and the remaining
//! polynomials short. The concentric disk's `sincosf` call was 3.6% of a
//! render of Mitsuba's box.

use std::f32::consts::FRAC_PI_2;

/// (sin x, cos x) for |x| ≤ π/4, each within 2⁻²³ (Cephes' `sinf`/`cosf`
/// minimax polynomials for that interval).
#[inline]
pub fn sin_cos_octant(x: f32) -> (f32, f32) {
    let z = x * x;
    let sin = x + x * z * (-1.666_665_5e-1 + z * (8.332_161e-3 + z * -1.951_529_6e-4));
    let cos = 1.0 - 0.5 * z + z * z * (4.166_664_6e-2 + z * (-1.388_731_6e-3 + z * 2.443_315_7e-5));
    (sin, cos)
}

/// (sin 2πt, cos 2πt) for t in [0, 1], each within 1.5·2⁻²³: the angle is
/// split exactly into whole quarter turns and a remainder within an octant.
#[inline]
pub fn sin_cos_turns(t: f32) -> (f32, f32) {
    let quarters = t * 4.0;
    let whole = quarters.round();
    // Exact: `quarters` and `whole` are within 0.5 of each other.
    let (s, c) = sin_cos_octant((quarters - whole) * FRAC_PI_2);
    match whole as i32 & 3 {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Largest error against f64 over `n` evenly spaced arguments.
    fn worst(n: u32, f: impl Fn(f64) -> ((f32, f32), f64)) -> f64 {
        (0..=n)
            .map(|i| {
                let ((s, c), angle) = f(i as f64 / n as f64);
                (s as f64 - angle.sin()).abs().max((c as f64 - angle.cos()).abs())
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn octant_matches_double_precision_within_2_to_the_minus_23() {
        let quarter = std::f64::consts::FRAC_PI_4;
        let err = worst(200_000, |u| {
            let x = ((2.0 * u - 1.0) * quarter) as f32;
            (sin_cos_octant(x), x as f64)
        });
        assert!(err < f32::EPSILON as f64, "{err:e}");
    }

    #[test]
    fn turns_match_double_precision_within_one_and_a_half_times_that() {
        let err = worst(400_000, |u| {
            let t = u as f32;
            (sin_cos_turns(t), std::f64::consts::TAU * t as f64)
        });
        // Rounding the remainder times π/2 (and π/2 itself) adds at most 2⁻²⁴.
        assert!(err < 1.5 * f32::EPSILON as f64, "{err:e}");
    }
}
