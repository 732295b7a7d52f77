#!/usr/bin/env bash
# Runs the whole test suite: unit tests, physics known-answer tests, the
# command line, and multi-rank runs under mpirun. Installs Open MPI and
# libclang first when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo test --release
