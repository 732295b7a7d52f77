#!/usr/bin/env bash
# Runs the whole test suite: unit tests, physics known-answer tests, the
# command line, adaptive sampling, multi-rank runs, checkpoints and job
# scripts under mpirun, built against Open MPI; then every test that starts
# ranks again against MPICH (in target/mpich): the rest does not touch MPI.
# Also checks that multi-layer EXR files open in OpenEXR's own Python
# bindings. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
# The `ci` profile (Cargo.toml): release code without LTO or debug info,
# which would double the build time and change nothing the tests check.
cargo build --profile ci --quiet

# Job scripts and helper scripts: valid bash, shellcheck clean.
for script in slurm/* scripts/*.sh .ci/run; do bash -n "$script"; done
shellcheck -x slurm/* scripts/*.sh .ci/run

# A standard tool reads our EXR layers (OpenEXR's bindings, in a private venv).
venv=target/pyenv
if ! "$venv/bin/python" -c "import OpenEXR, numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check OpenEXR numpy
fi
"$venv/bin/python" tests/exr_layers.py target/ci/rsrender scenes/cornell.toml

cargo test --profile ci

# MPICH: the test files about ranks, and the multi-rank tests of the others.
mpich=(env MPICC=mpicc.mpich RSRENDER_MPIRUN=mpirun.mpich cargo test --profile ci --target-dir target/mpich)
"${mpich[@]}" --test mpi --test checkpoint --test jobs
"${mpich[@]}" --test adaptive --test meshes --test cli -- across_ranks any_rank_count foreign_launcher
