#!/usr/bin/env python3
"""Renders Mitsuba 3's built-in cornell_box() as scripts/bench.sh's reference:
128x128, box filter, path max_depth 8, on the cores taskset allows.

Usage: mitsuba_cornell.py SPP OUT.exr|OUT.npy [VARIANT] [THREADS] [MESH.ply]
VARIANT: scalar_rgb (default), scalar_spectral, llvm_ad_rgb, llvm_ad_spectral.
OUT.npy (spectral variants): the spectral cube, height x width x 32 bins over
360-830 nm (a `specfilm` with one box response per bin), as rsrender's
scenes/bench/cornell-mitsuba-spectral.toml bins it.
MITSUBA_SEED: the timed render's seed (default 0).
MESH: a PLY that stands in place of the two blocks (smooth-shaded, white,
radius 0.45 at (0, -0.55, 0) for a unit mesh), as in
scenes/bench/cornell-mesh.toml.
The llvm variants need libLLVM (DRJIT_LIBLLVM_PATH) and render once before
timing, to exclude the JIT compile; both times are printed.
Prints samples/s; needs `pip install mitsuba`.
"""
import os
import sys
import time

import drjit as dr
import mitsuba as mi


def spectral_cube_film(like, bins=32, lo=360.0, hi=830.0):
    """A film of the size and filter of the film `like`, of one channel per
    bin, each a box response over the bin."""
    film = {"type": "specfilm", **{key: like[key] for key in ("width", "height", "rfilter")}}
    width = (hi - lo) / bins
    for b in range(bins):
        start = lo + b * width
        # Just inside the upper edge, so that bins do not overlap.
        film[f"bin{b:02d}"] = {"type": "regular", "wavelength_min": start, "wavelength_max": start + width - 1e-3,
                               "values": "1, 1"}
    return film


def scene_dict(spp=16, mesh=None):
    """Mitsuba's cornell_box() at 128x128 with a box filter, the blocks
    replaced by `mesh` (a PLY) if given; needs a variant set."""
    d = mi.cornell_box()
    film = d["sensor"]["film"]
    film["width"] = film["height"] = 128
    film["rfilter"] = {"type": "box"}
    d["sensor"]["sampler"]["sample_count"] = spp
    if mesh:
        del d["small-box"], d["large-box"]
        d["mesh"] = {"type": "ply", "filename": mesh, "bsdf": {"type": "ref", "id": "white"},
                     "to_world": mi.ScalarTransform4f().translate([0, -0.55, 0]).scale(0.45)}
    return d


def main():
    spp, out = int(sys.argv[1]), sys.argv[2]
    variant = sys.argv[3] if len(sys.argv) > 3 else "scalar_rgb"
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    mesh = sys.argv[5] if len(sys.argv) > 5 else None
    mi.set_variant(variant)
    mi.set_log_level(mi.LogLevel.Warn)
    # Dr.Jit deadlocks here with one pool thread: keep at least 2, and run
    # under taskset to give it the cores to use.
    dr.set_thread_count(max(threads, 2))
    d = scene_dict(spp, mesh)
    cube = out.endswith(".npy")
    if cube:
        d["sensor"]["film"] = spectral_cube_film(d["sensor"]["film"])
    scene = mi.load_dict(d)
    seed = int(os.environ.get("MITSUBA_SEED", "0"))
    first = None
    if variant.startswith("llvm"):
        start = time.perf_counter()
        dr.eval(mi.render(scene, spp=spp, seed=seed + 1))
        first = time.perf_counter() - start
    start = time.perf_counter()
    img = mi.render(scene, spp=spp, seed=seed)
    dr.eval(img)
    seconds = time.perf_counter() - start
    if cube:
        import numpy as np
        np.save(out, np.array(img, dtype=np.float32))
    else:
        mi.Bitmap(img).write(out)
    samples = 128 * 128 * spp
    jit = f", first render with JIT {first:.2f} s" if first is not None else ""
    print(f"mitsuba {variant}{' (mesh)' if mesh else ''}: {samples / seconds / 1e6:.3f} M samples/s ({seconds:.2f} s{jit})")


if __name__ == "__main__":
    main()
