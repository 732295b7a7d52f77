#!/usr/bin/env python3
"""Checks that rsrender's multi-layer EXR opens in a standard tool (the
OpenEXR Python bindings) with the layer names and values promised: R, G, B
plus samples.Y, stderr.Y, albedo.{R,G,B}, normal.{X,Y,Z}.

Usage: exr_layers.py RSRENDER_BINARY SCENE   (needs `pip install OpenEXR numpy`)
Prints '1 passed, 0 failed' on success; exits non-zero with the reason otherwise.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import OpenEXR

binary, scene = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "layers.exr")
    subprocess.run(
        [binary, scene, "-o", out, "--spp", "32", "--adaptive", "--noise-threshold", "0.05",
         "--aov", "samples,stderr,albedo,normal", "-q"],
        check=True, timeout=300,
    )
    with OpenEXR.File(out, separate_channels=True) as f:
        channels = f.channels()
        names = sorted(channels)
        expected = sorted(["R", "G", "B", "samples.Y", "stderr.Y", "albedo.R", "albedo.G", "albedo.B",
                           "normal.X", "normal.Y", "normal.Z"])
        assert names == expected, f"channels {names}, expected {expected}"
        samples = channels["samples.Y"].pixels
        assert samples.shape == (256, 256), samples.shape
        assert samples.min() >= 16 and samples.max() <= 32, (samples.min(), samples.max())
        assert np.all(channels["stderr.Y"].pixels >= 0)
        albedo = channels["albedo.R"].pixels
        assert 0 <= albedo.min() and albedo.max() <= 1, (albedo.min(), albedo.max())
        normal = np.stack([channels[f"normal.{c}"].pixels for c in "XYZ"])
        length = np.sqrt((normal**2).sum(axis=0))
        assert np.all(length <= 1.0001), length.max()
        assert np.median(length) > 0.9, np.median(length)
print("1 passed, 0 failed")
