#!/usr/bin/env python3
"""Compares two spectral cubes (height x width x bins: .npy, or the bins of
an rsrender spectral .exr) of the same render: per bin, the squared error summed over pixels over the reference's
sum of squares (scale-free, so each renderer's cube is compared with its own
reference); prints its mean, smallest and largest over the bins.

Usage: compare_cubes.py TEST REFERENCE   (needs numpy, and mitsuba for .exr)
"""
import sys

import numpy as np


def read(path):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float64)
    import mitsuba as mi
    mi.set_variant("scalar_rgb")
    # rsrender's emissive spectral layer, "S0.<nm>nm" with a decimal comma.
    layer = dict(mi.Bitmap(path).split())["S0"]
    nm = [float(f.name.rstrip("nm").replace(",", ".")) for f in layer.struct_()]
    return np.array(layer, dtype=np.float64)[..., np.argsort(nm)]


test, ref = read(sys.argv[1]), read(sys.argv[2])
assert test.shape == ref.shape, f"{test.shape} against {ref.shape}"
per_bin = ((test - ref) ** 2).sum(axis=(0, 1)) / (ref**2).sum(axis=(0, 1))
print(f"relative squared error per bin: mean {per_bin.mean():.3e}, min {per_bin.min():.3e}, max {per_bin.max():.3e}")
