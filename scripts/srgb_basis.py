#!/usr/bin/env python3
"""Writes data/cie/srgb_basis.csv: three reflectance spectra R, G, B (5 nm
knots, 360-830 nm, linear between) with R + G + B = 1 and 0 <= each <= 1,
whose linear sRGB under D65 (CIE 1931 2 deg, rsrender's own tables and
sRGB matrix) is exactly (1, 0, 0), (0, 1, 0) and (0, 0, 1), and which are
as smooth as that allows (least sum of squared differences between knots).
A texel (r, g, b) in [0, 1] then becomes r R + g G + b B: its sRGB exactly,
never above 1 (Mallett and Yuksel 2019, "Spectral Primary Decomposition
for Rendering with sRGB Reflectance", solve the same problem).

Usage: scripts/srgb_basis.py   (needs numpy and scipy; run from the repository)
"""
import numpy as np
from scipy.optimize import minimize
cmf = np.loadtxt("data/cie/cie1931_2deg.csv", delimiter=",", comments="#")
d65 = np.loadtxt("data/cie/d65.csv", delimiter=",", comments="#")
lam = cmf[:, 0]
D = np.interp(lam, d65[:, 0], d65[:, 1])
xyz_w = (D[:, None] * cmf[:, 1:]).sum(0)
white = xyz_w / xyz_w[1]
prim = np.array([[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]])
P = np.array([[x / y, 1.0, (1 - x - y) / y] for x, y in prim]).T
S = np.linalg.solve(P, white)
M = P * S
to_srgb = np.linalg.inv(M)
knots = np.arange(360, 831, 5.0)
K = len(knots)
# interpolation matrix: 1-nm samples from knots (piecewise linear)
W = np.zeros((len(lam), K))
for k in range(K):
    e = np.zeros(K); e[k] = 1
    W[:, k] = np.interp(lam, knots, e)
A = to_srgb @ ((cmf[:, 1:] * D[:, None]).T @ W) / xyz_w[1]  # 3 x K: sRGB of a knot spectrum
def obj(x):
    r, g = x[:K], x[K:]
    b = 1 - r - g
    return sum(np.sum(np.diff(v) ** 2) for v in (r, g, b))
def grad(x):
    r, g = x[:K], x[K:]; b = 1 - r - g
    def dd(v):
        d = np.diff(v); out = np.zeros_like(v); out[:-1] -= 2 * d; out[1:] += 2 * d; return out
    gb = dd(b)
    return np.concatenate([dd(r) - gb, dd(g) - gb])
cons = [{"type": "eq", "fun": lambda x: A @ x[:K] - [1, 0, 0], "jac": lambda x: np.hstack([A, np.zeros_like(A)])},
        {"type": "eq", "fun": lambda x: A @ x[K:] - [0, 1, 0], "jac": lambda x: np.hstack([np.zeros_like(A), A])},
        {"type": "ineq", "fun": lambda x: 1 - x[:K] - x[K:], "jac": lambda x: np.hstack([-np.eye(K), -np.eye(K)])}]
x0 = np.full(2 * K, 1 / 3)
res = minimize(obj, x0, jac=grad, constraints=cons, bounds=[(0, 1)] * (2 * K), method="SLSQP", options={"maxiter": 2000, "ftol": 1e-14})
print(res.success, res.message, res.fun)
r, g = res.x[:K], res.x[K:]
b = np.clip(1 - r - g, 0, 1)
r, g = np.clip(r, 0, 1), np.clip(g, 0, 1)
for name, v in [("R", r), ("G", g), ("B", b)]:
    print(name, (A @ v).round(6), v.min().round(4), v.max().round(4))
np.savetxt("data/cie/srgb_basis.csv", np.column_stack([knots, r, g, b]), fmt=["%.0f", "%.6f", "%.6f", "%.6f"],
           delimiter=",", header="wavelength_nm,R,G,B (scripts/srgb_basis.py: sRGB primaries as reflectances)")
