#!/usr/bin/env python3
"""Renders Mitsuba 3's built-in cornell_box() as scripts/bench.sh's reference:
scalar_rgb, one core (taskset -c 0), 128x128, box filter, path max_depth 8.

Usage: mitsuba_cornell.py SPP OUT.exr   (prints samples/s; needs `pip install mitsuba`)
"""
import sys
import time

import drjit as dr
import mitsuba as mi

mi.set_variant("scalar_rgb")
mi.set_log_level(mi.LogLevel.Warn)
dr.set_thread_count(2)  # fewer deadlocks in Dr.Jit; run under `taskset -c 0` for one core
spp, out = int(sys.argv[1]), sys.argv[2]
scene_dict = mi.cornell_box()
film = scene_dict["sensor"]["film"]
film["width"] = film["height"] = 128
film["rfilter"] = {"type": "box"}
scene_dict["sensor"]["sampler"]["sample_count"] = spp
scene = mi.load_dict(scene_dict)
start = time.perf_counter()
img = mi.render(scene, spp=spp)
seconds = time.perf_counter() - start
mi.Bitmap(img).write(out)
samples = 128 * 128 * spp
print(f"mitsuba scalar_rgb: {samples / seconds / 1e6:.3f} M samples/s ({seconds:.2f} s)")
