#!/usr/bin/env bash
# Runs the whole test suite: unit tests, physics known-answer tests, the
# command line, adaptive sampling, multi-rank runs, checkpoints and job
# scripts under mpirun — once built against Open MPI, once against MPICH (in
# target/mpich) — and a check that multi-layer EXR files open in OpenEXR's
# own Python bindings. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
cargo build --release --quiet

# Job scripts and helper scripts: valid bash, shellcheck clean.
for script in slurm/* scripts/*.sh .ci/run; do bash -n "$script"; done
shellcheck -x slurm/* scripts/*.sh .ci/run

# A standard tool reads our EXR layers (OpenEXR's bindings, in a private venv).
venv=target/pyenv
if ! "$venv/bin/python" -c "import OpenEXR, numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check OpenEXR numpy
fi
"$venv/bin/python" tests/exr_layers.py target/release/rsrender scenes/cornell.toml

cargo test --release
MPICC=mpicc.mpich RSRENDER_MPIRUN=mpirun.mpich cargo test --release --target-dir target/mpich
