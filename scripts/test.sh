#!/usr/bin/env bash
# Runs the whole test suite: unit tests, physics known-answer tests, the
# command line, adaptive sampling, multi-rank runs under mpirun, and a check
# that multi-layer EXR files open in OpenEXR's own Python bindings. Installs
# Open MPI, libclang and python3-venv first when needed.
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
