#!/usr/bin/env bash
# Renders the demo scene (scenes/cornell.toml) on local MPI ranks, installing
# Open MPI and building rsrender first when needed.
#   scripts/demo.sh            # 2 ranks → cornell.png
#   RANKS=4 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
cargo build --release --quiet
mpirun -n "${RANKS:-2}" target/release/rsrender scenes/cornell.toml -o cornell.png
echo "demo: the image is $(pwd)/cornell.png"
