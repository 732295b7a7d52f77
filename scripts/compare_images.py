#!/usr/bin/env python3
"""Compares two linear RGB images (EXR or PFM) of the same size: per-channel
means, the largest difference of 16x16-pixel block means, and relative MSE
(mean of (x - ref)^2 / (ref^2 + 0.01)).

Usage: compare_images.py TEST REFERENCE   (needs numpy, and mitsuba or OpenEXR for .exr)
"""
import sys

import numpy as np


def read(path):
    if path.endswith(".pfm"):
        with open(path, "rb") as f:
            assert f.readline().strip() == b"PF"
            w, h = map(int, f.readline().split())
            scale = float(f.readline())
            data = np.frombuffer(f.read(), dtype="<f4" if scale < 0 else ">f4")
        return data.reshape(h, w, 3)[::-1]
    import mitsuba as mi
    mi.set_variant("scalar_rgb")
    return np.array(mi.Bitmap(path))[..., :3]


def blocks(img, size=16):
    h, w, _ = img.shape
    return img[: h - h % size, : w - w % size].reshape(h // size, size, w // size, size, 3).mean(axis=(1, 3))


test, ref = read(sys.argv[1]), read(sys.argv[2])
print("means  test", np.round(test.mean(axis=(0, 1)), 4), " reference", np.round(ref.mean(axis=(0, 1)), 4))
rel = (test.mean(axis=(0, 1)) - ref.mean(axis=(0, 1))) / ref.mean(axis=(0, 1))
print("relative difference of means", np.round(rel, 4))
bt, br = blocks(test), blocks(ref)
print("largest 16x16 block difference", np.round(np.abs(bt - br).max(), 4), "of block values up to", np.round(br.max(), 3))
print("relative MSE", np.mean((test - ref) ** 2 / (ref**2 + 0.01)))
