#!/usr/bin/env python3
"""Compares two spectral cubes (.npy, height x width x bins) of the same
render: per bin, the squared error summed over pixels over the reference's
sum of squares (scale-free, so each renderer's cube is compared with its own
reference); prints its mean, smallest and largest over the bins.

Usage: compare_cubes.py TEST.npy REFERENCE.npy   (needs numpy)
"""
import sys

import numpy as np

test, ref = (np.load(p).astype(np.float64) for p in sys.argv[1:3])
assert test.shape == ref.shape, f"{test.shape} against {ref.shape}"
per_bin = ((test - ref) ** 2).sum(axis=(0, 1)) / (ref**2).sum(axis=(0, 1))
print(f"relative squared error per bin: mean {per_bin.mean():.3e}, min {per_bin.min():.3e}, max {per_bin.max():.3e}")
