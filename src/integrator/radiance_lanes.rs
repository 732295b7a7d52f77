//! Radiance of `WIDTH` paths side by side, and the few operations the lanes
//! do on it, each lane's as its scalar `Radiance` code does it, in the same
//! order (so bit for bit): structure of arrays in RGB (`Vecs`, computed at
//! every lane and kept by a select: three floats per lane are cheap), a
//! value per lane in spectral mode (`Bins`, vectors already: 32 floats per
//! lane, so they are changed in place and only at the lanes a mask names).

use super::lanes::{Floats, Mask, Vecs, WIDTH};
use crate::math::Vec3;
use crate::spectrum::{Bins, Radiance};

pub trait RadianceLanes: Radiance + Default {
    type Lanes: Default;
    fn at(l: &Self::Lanes, i: usize) -> Self;
    fn put(l: &mut Self::Lanes, i: usize, v: Self);
    /// `max_element(a · s)` at the lanes in `m` (anything elsewhere).
    fn maxima_scaled(a: &Self::Lanes, s: Floats, m: Mask) -> Floats;
    /// `(beta · (a · s)) · b` into `out` at the lanes in `m`.
    fn carry(out: &mut Self::Lanes, m: Mask, beta: &Self::Lanes, scaled: (&Self::Lanes, Floats), b: &Self::Lanes);
    /// `l + a · s` into `l` at the lanes in `m`.
    fn add_scaled(l: &mut Self::Lanes, m: Mask, a: &Self::Lanes, s: Floats);
    /// `a · b` into `a` at the lanes in `m`: the products' `max_element`.
    fn times(a: &mut Self::Lanes, m: Mask, b: &Self::Lanes) -> Floats;
    /// `a / s` into `a` at the lanes in `m`.
    fn divide(a: &mut Self::Lanes, m: Mask, s: Floats);
}

impl RadianceLanes for Vec3 {
    type Lanes = Vecs;
    #[inline(always)]
    fn at(l: &Vecs, i: usize) -> Vec3 {
        l.lane(i)
    }
    #[inline(always)]
    fn put(l: &mut Vecs, i: usize, v: Vec3) {
        l.set(i, v);
    }
    #[inline(always)]
    fn maxima_scaled(a: &Vecs, s: Floats, _: Mask) -> Floats {
        a.scale(s).max_element()
    }
    #[inline(always)]
    fn carry(out: &mut Vecs, m: Mask, beta: &Vecs, (a, s): (&Vecs, Floats), b: &Vecs) {
        *out = Vecs::select(m, beta.mul(a.scale(s)).mul(*b), *out);
    }
    #[inline(always)]
    fn add_scaled(l: &mut Vecs, m: Mask, a: &Vecs, s: Floats) {
        *l = Vecs::select(m, l.add(a.scale(s)), *l);
    }
    #[inline(always)]
    fn times(a: &mut Vecs, m: Mask, b: &Vecs) -> Floats {
        *a = Vecs::select(m, a.mul(*b), *a);
        a.max_element()
    }
    #[inline(always)]
    fn divide(a: &mut Vecs, m: Mask, s: Floats) {
        *a = Vecs::select(m, a.div_by(s), *a);
    }
}

/// `WIDTH` paths' spectral bins, a `Bins` per lane.
#[derive(Default)]
pub struct BinLanes(pub [Bins; WIDTH]);

/// The lanes in `m`.
#[inline(always)]
fn lanes_in(m: Mask) -> impl Iterator<Item = usize> {
    (0..WIDTH).filter(move |&i| m[i])
}

impl RadianceLanes for Bins {
    type Lanes = BinLanes;
    #[inline(always)]
    fn at(l: &BinLanes, i: usize) -> Bins {
        l.0[i]
    }
    #[inline(always)]
    fn put(l: &mut BinLanes, i: usize, v: Bins) {
        l.0[i] = v;
    }
    #[inline(always)]
    fn maxima_scaled(a: &BinLanes, s: Floats, m: Mask) -> Floats {
        let mut r = [0.0; WIDTH];
        for i in lanes_in(m) {
            r[i] = (a.0[i] * s[i]).max_element();
        }
        r
    }
    #[inline(always)]
    fn carry(out: &mut BinLanes, m: Mask, beta: &BinLanes, (a, s): (&BinLanes, Floats), b: &BinLanes) {
        for i in lanes_in(m) {
            out.0[i] = beta.0[i] * (a.0[i] * s[i]) * b.0[i];
        }
    }
    #[inline(always)]
    fn add_scaled(l: &mut BinLanes, m: Mask, a: &BinLanes, s: Floats) {
        for i in lanes_in(m) {
            l.0[i] += a.0[i] * s[i];
        }
    }
    #[inline(always)]
    fn times(a: &mut BinLanes, m: Mask, b: &BinLanes) -> Floats {
        let mut r = [0.0; WIDTH];
        for i in lanes_in(m) {
            a.0[i] *= b.0[i];
            r[i] = a.0[i].max_element();
        }
        r
    }
    #[inline(always)]
    fn divide(a: &mut BinLanes, m: Mask, s: Floats) {
        for i in lanes_in(m) {
            a.0[i] /= s[i];
        }
    }
}
