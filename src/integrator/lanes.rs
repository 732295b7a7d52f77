//! Arithmetic on `WIDTH` paths side by side, in structure-of-arrays form:
//! loops over fixed-size arrays, which LLVM turns into vector instructions.
//! Each lane computes what the scalar code computes for its path, the same
//! operations in the same order, so its results are bit for bit the
//! scalar code's (`packet` relies on this, and its tests check it).

use crate::math::Vec3;

/// Paths traced side by side: one 16-wide Embree packet.
pub const WIDTH: usize = crate::accel::PACKET;

/// The instruction sets the lane loops are compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// The build's (x86-64-v3 by default: AVX2).
    Build,
    /// AVX-512 (x86-64-v4's: F, CD, BW, DQ, VL), where the CPU has it.
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    /// The widest one this CPU runs.
    #[inline]
    pub fn widest() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if crate::accel::isa::has_avx512() {
            return Isa::Avx512;
        }
        Isa::Build
    }

    /// Those this CPU runs, narrowest first.
    pub fn all() -> Vec<Isa> {
        let widest = Isa::widest();
        if widest == Isa::Build {
            vec![Isa::Build]
        } else {
            vec![Isa::Build, widest]
        }
    }
}

pub type Floats = [f32; WIDTH];
pub type Mask = [bool; WIDTH];

#[inline(always)]
pub fn splat(v: f32) -> Floats {
    [v; WIDTH]
}

#[inline(always)]
pub fn each(a: Floats, f: impl Fn(f32) -> f32) -> Floats {
    let mut r = [0.0; WIDTH];
    for i in 0..WIDTH {
        r[i] = f(a[i]);
    }
    r
}

#[inline(always)]
pub fn each2(a: Floats, b: Floats, f: impl Fn(f32, f32) -> f32) -> Floats {
    let mut r = [0.0; WIDTH];
    for i in 0..WIDTH {
        r[i] = f(a[i], b[i]);
    }
    r
}

#[inline(always)]
pub fn test(a: Floats, b: Floats, f: impl Fn(f32, f32) -> bool) -> Mask {
    let mut r = [false; WIDTH];
    for i in 0..WIDTH {
        r[i] = f(a[i], b[i]);
    }
    r
}

#[inline(always)]
pub fn and(a: Mask, b: Mask) -> Mask {
    let mut r = [false; WIDTH];
    for i in 0..WIDTH {
        r[i] = a[i] & b[i];
    }
    r
}

#[inline(always)]
pub fn not(a: Mask) -> Mask {
    a.map(|a| !a)
}

/// `a` where `m` holds, else `b`.
#[inline(always)]
pub fn select(m: Mask, a: Floats, b: Floats) -> Floats {
    let mut r = [0.0; WIDTH];
    for i in 0..WIDTH {
        r[i] = if m[i] { a[i] } else { b[i] };
    }
    r
}

#[inline(always)]
pub fn add(a: Floats, b: Floats) -> Floats {
    each2(a, b, |a, b| a + b)
}

#[inline(always)]
pub fn sub(a: Floats, b: Floats) -> Floats {
    each2(a, b, |a, b| a - b)
}

#[inline(always)]
pub fn mul(a: Floats, b: Floats) -> Floats {
    each2(a, b, |a, b| a * b)
}

#[inline(always)]
pub fn div(a: Floats, b: Floats) -> Floats {
    each2(a, b, |a, b| a / b)
}

/// `WIDTH` vectors; each operation is glam's `Vec3` one, lane by lane.
#[derive(Clone, Copy, Debug, Default)]
pub struct Vecs {
    pub x: Floats,
    pub y: Floats,
    pub z: Floats,
}

impl Vecs {
    #[inline(always)]
    pub fn add(self, o: Vecs) -> Vecs {
        Vecs { x: add(self.x, o.x), y: add(self.y, o.y), z: add(self.z, o.z) }
    }

    #[inline(always)]
    pub fn sub(self, o: Vecs) -> Vecs {
        Vecs { x: sub(self.x, o.x), y: sub(self.y, o.y), z: sub(self.z, o.z) }
    }

    #[inline(always)]
    pub fn mul(self, o: Vecs) -> Vecs {
        Vecs { x: mul(self.x, o.x), y: mul(self.y, o.y), z: mul(self.z, o.z) }
    }

    #[inline(always)]
    pub fn scale(self, s: Floats) -> Vecs {
        Vecs { x: mul(self.x, s), y: mul(self.y, s), z: mul(self.z, s) }
    }

    #[inline(always)]
    pub fn div_by(self, s: Floats) -> Vecs {
        Vecs { x: div(self.x, s), y: div(self.y, s), z: div(self.z, s) }
    }

    #[inline(always)]
    pub fn neg(self) -> Vecs {
        Vecs { x: each(self.x, |a| -a), y: each(self.y, |a| -a), z: each(self.z, |a| -a) }
    }

    #[inline(always)]
    pub fn dot(self, o: Vecs) -> Floats {
        add(add(mul(self.x, o.x), mul(self.y, o.y)), mul(self.z, o.z))
    }

    #[inline(always)]
    pub fn select(m: Mask, a: Vecs, b: Vecs) -> Vecs {
        Vecs { x: select(m, a.x, b.x), y: select(m, a.y, b.y), z: select(m, a.z, b.z) }
    }

    /// Each component's magnitude (glam's `Vec3::abs`).
    #[inline(always)]
    pub fn abs(&self) -> Vecs {
        Vecs { x: each(self.x, f32::abs), y: each(self.y, f32::abs), z: each(self.z, f32::abs) }
    }

    /// Each lane's largest component (glam's `Vec3::max_element`).
    #[inline(always)]
    pub fn max_element(&self) -> Floats {
        each2(self.x, each2(self.y, self.z, f32::max), f32::max)
    }

    #[inline(always)]
    pub fn lane(&self, i: usize) -> Vec3 {
        Vec3::new(self.x[i], self.y[i], self.z[i])
    }

    #[inline(always)]
    pub fn set(&mut self, i: usize, v: Vec3) {
        (self.x[i], self.y[i], self.z[i]) = (v.x, v.y, v.z);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::SampleStream;

    #[test]
    fn each_lane_is_glams_vec3_arithmetic_bit_for_bit() {
        let mut s = SampleStream::new(3, 1, 4);
        let mut v = || Vec3::new(s.next_1d() - 0.5, s.next_1d() * 3.0, -s.next_1d()) * 7.0;
        let (a, b): (Vec<Vec3>, Vec<Vec3>) = (0..WIDTH).map(|_| (v(), v())).unzip();
        let (mut la, mut lb) = (Vecs::default(), Vecs::default());
        for i in 0..WIDTH {
            la.set(i, a[i]);
            lb.set(i, b[i]);
        }
        let (dot, sum, scaled) = (la.dot(lb), la.add(lb).mul(lb).sub(la), la.div_by(lb.x).neg());
        for i in 0..WIDTH {
            assert_eq!(dot[i].to_bits(), a[i].dot(b[i]).to_bits(), "lane {i}");
            assert_eq!(sum.lane(i), (a[i] + b[i]) * b[i] - a[i], "lane {i}");
            assert_eq!(scaled.lane(i), -(a[i] / b[i].x), "lane {i}");
        }
    }
}
