//! The keyed deterministic random stream: every number a sample uses is a hash
//! of (seed, pixel, sample index, dimension), as pbrt-v4's `StartPixelSample`.
//! Nothing depends on which thread or rank computes the sample, so images are
//! bit-identical for any partition of the work.
//!
//! ```
//! use rsrender::sampler::SampleStream;
//! let (seed, pixel_index, sample_index) = (0, 12, 3);
//! let mut s = SampleStream::new(seed, pixel_index, sample_index);
//! let u = s.next_1d();
//! assert!((0.0..1.0).contains(&u));
//! ```

use crate::hash::mix64;
use crate::math::Vec2;

#[derive(Clone, Debug)]
pub struct SampleStream {
    /// What the next dimension hashes: the key plus the dimension times
    /// `DIMENSION_STEP` (kept as a running sum, one addition per number).
    next: u64,
}

/// The odd constant (2^64 over the golden ratio) that spreads dimensions
/// apart before they are hashed with the key.
const DIMENSION_STEP: u64 = 0x9E37_79B9_7F4A_7C15;

/// The part of a stream's key that a pixel's samples share (hashed once
/// per pixel rather than once per sample).
#[derive(Clone, Copy, Debug)]
pub struct PixelKey(u64);

impl PixelKey {
    pub fn new(seed: u64, pixel_index: u64) -> PixelKey {
        PixelKey(mix64(mix64(seed ^ 0x9E37_79B9_7F4A_7C15).wrapping_add(pixel_index)))
    }

    /// The stream of the pixel's sample `sample_index`.
    #[inline]
    pub fn stream(self, sample_index: u64) -> SampleStream {
        let key = self.0.wrapping_add(mix64(sample_index.wrapping_add(0xD1B5_4A32_D192_ED03)));
        SampleStream { next: mix64(key) }
    }
}

impl SampleStream {
    pub fn new(seed: u64, pixel_index: u64, sample_index: u64) -> SampleStream {
        PixelKey::new(seed, pixel_index).stream(sample_index)
    }

    /// Passes over `n` dimensions unused: the numbers after them are those
    /// that drawing them would leave.
    #[inline]
    pub fn skip(&mut self, n: u64) {
        self.next = self.next.wrapping_add(n.wrapping_mul(DIMENSION_STEP));
    }

    /// A uniform number in [0, 1).
    #[inline]
    pub fn next_1d(&mut self) -> f32 {
        // 24 high bits give every float in [0, 1) that is a multiple of 2^-24.
        (self.next_u64() >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// 64 uniform bits (one dimension), for choices among more entries than
    /// a float resolves (a light among millions).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let bits = mix64(self.next);
        self.next = self.next.wrapping_add(DIMENSION_STEP);
        bits
    }

    #[inline]
    pub fn next_2d(&mut self) -> Vec2 {
        let x = self.next_1d();
        Vec2::new(x, self.next_1d())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pixel_keys_streams_and_skipped_dimensions_change_no_number() {
        let key = PixelKey::new(5, 77);
        let (mut drawn, mut skipped) = (SampleStream::new(5, 77, 9), key.stream(9));
        assert_eq!(drawn.next_1d(), skipped.next_1d());
        let _ = drawn.next_2d();
        skipped.skip(2);
        assert_eq!(drawn.next_u64(), skipped.next_u64());
        assert_ne!(key.stream(9).next_u64(), key.stream(10).next_u64());
    }

    #[test]
    fn same_key_same_numbers_different_key_different_numbers() {
        let a: Vec<f32> = (0..8)
            .map({
                let mut s = SampleStream::new(1, 2, 3);
                move |_| s.next_1d()
            })
            .collect();
        let b: Vec<f32> = (0..8)
            .map({
                let mut s = SampleStream::new(1, 2, 3);
                move |_| s.next_1d()
            })
            .collect();
        let c: Vec<f32> = (0..8)
            .map({
                let mut s = SampleStream::new(1, 2, 4);
                move |_| s.next_1d()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn numbers_are_uniform_in_the_unit_interval() {
        let mut hist = [0u32; 16];
        let mut s = SampleStream::new(7, 0, 0);
        for i in 0..160_000u64 {
            if i % 64 == 0 {
                s = SampleStream::new(7, i, i / 64);
            }
            let u = s.next_1d();
            assert!((0.0..1.0).contains(&u));
            hist[(u * 16.0) as usize] += 1;
        }
        for h in hist {
            assert!((h as f64 - 10_000.0).abs() < 500.0, "{hist:?}");
        }
    }
}
