//! The set lanes of a mask of up to 32 lanes, visited in order by way of
//! the mask's bits. A loop that tests every lane branches on a pattern no
//! predictor learns (which paths are alive changes at random from round to
//! round), and a mispredicted branch costs as much as a vertex's arithmetic;
//! this loop branches once per set lane and once at its end.
//!
//! ```
//! use rsrender::math::SetLanes;
//! let lanes: Vec<usize> = SetLanes::of(&[false, true, true, false, true]).collect();
//! assert_eq!(lanes, [1, 2, 4]);
//! ```

/// An iterator over the lanes of a mask that hold, lowest first.
#[derive(Clone, Copy, Debug)]
pub struct SetLanes(u32);

impl SetLanes {
    /// The lanes of `mask` that hold (at most 32 lanes).
    #[inline(always)]
    pub fn of<const N: usize>(mask: &[bool; N]) -> SetLanes {
        const { assert!(N <= 32, "a mask of at most 32 lanes") };
        let mut bits = 0;
        for (i, &on) in mask.iter().enumerate() {
            bits |= (on as u32) << i;
        }
        SetLanes(bits)
    }
}

impl Iterator for SetLanes {
    type Item = usize;

    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let lane = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(lane)
    }
}

#[cfg(test)]
mod tests {
    use super::SetLanes;

    #[test]
    fn visits_exactly_the_set_lanes_in_order() {
        let mut mask = [false; 32];
        for i in [0, 5, 6, 17, 31] {
            mask[i] = true;
        }
        assert_eq!(SetLanes::of(&mask).collect::<Vec<_>>(), [0, 5, 6, 17, 31]);
        assert_eq!(SetLanes::of(&[false; 16]).count(), 0);
        assert_eq!(SetLanes::of(&[true; 16]).collect::<Vec<_>>(), (0..16).collect::<Vec<_>>());
    }
}
