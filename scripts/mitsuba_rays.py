#!/usr/bin/env python3
"""Mitsuba 3's own tracer (llvm_ad_rgb: its Embree, 16-wide packets) on the
rays an rsrender render traced, which `cargo bench --bench rays -- SCENE SPP
--save-rays=DIR` writes to DIR/nearest.npy and DIR/shadow.npy (one row per
ray: origin, direction, t_max). The scene is scripts/mitsuba_cornell.py's,
which scenes/bench/cornell-mitsuba.toml (or, with MESH.ply,
cornell-mesh.toml) reproduces. Prints M rays/s for nearest hits and shadow
tests, the best of three after a first run that includes the JIT, and the
share of rays that hit, to set beside the benchmark's own figures.

Usage: mitsuba_rays.py DIR [MESH.ply]   (pin it: taskset -c 0)
"""
import sys
import time

import drjit as dr
import mitsuba as mi
import numpy as np

from mitsuba_cornell import scene_dict


def rays(path):
    a = np.load(path).astype(np.float32)
    return len(a), mi.Ray3f(mi.Point3f(a[:, 0], a[:, 1], a[:, 2]), mi.Vector3f(a[:, 3], a[:, 4], a[:, 5]),
                            mi.Float(a[:, 6]), 0.0, [])


def best_rate(n, query):
    seconds = []
    for _ in range(4):
        dr.sync_thread()
        start = time.perf_counter()
        result = query()
        dr.eval(result)
        dr.sync_thread()
        seconds.append(time.perf_counter() - start)
    return n / min(seconds[1:]) / 1e6, result


def main():
    directory, mesh = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    mi.set_variant("llvm_ad_rgb")
    mi.set_log_level(mi.LogLevel.Warn)
    dr.set_thread_count(2)  # one pool thread deadlocks (mitsuba_cornell.py)
    scene = mi.load_dict(scene_dict(mesh=mesh))
    n, nearest = rays(f"{directory}/nearest.npy")
    m, shadow = rays(f"{directory}/shadow.npy")
    dr.eval(nearest, shadow)
    hit_rate, hits = best_rate(n, lambda: scene.ray_intersect_preliminary(nearest).is_valid())
    block_rate, blocked = best_rate(m, lambda: scene.ray_test(shadow))
    print(f"Mitsuba llvm_ad_rgb's tracer on the same rays, M rays/s: nearest-hit {hit_rate:.2f}, "
          f"shadow {block_rate:.2f} (nearest-hit rays that hit {100 * dr.count(hits)[0] / n:.1f}%, "
          f"shadow rays blocked {100 * dr.count(blocked)[0] / m:.1f}%)")


if __name__ == "__main__":
    main()
