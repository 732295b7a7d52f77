#!/usr/bin/env bash
# Installs what rsrender needs to build with MPI: Open MPI (the default) and
# MPICH (the test suite runs against both), libclang (for rsmpi's bindgen),
# Embree 3 (the ray tracing kernels under the BVH),
# python3-venv and shellcheck for the test suite. Debian keeps Open MPI as
# `mpicc`/`mpirun`; MPICH is `mpicc.mpich`/`mpirun.mpich`.
# Idempotent: does nothing when everything is present.
# On a cluster, do not run this: `module load openmpi llvm embree` (or your
# site's equivalents) so that `mpicc`, libclang and libembree3 are found
# (EMBREE_DIR=<prefix> if Embree is not on the linker's path), then
# `cargo build --release`.
set -euo pipefail

packages=(libopenmpi-dev openmpi-bin mpich libmpich-dev libclang-dev libclang-common-14-dev clang libembree-dev pkg-config python3-venv shellcheck)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "setup: missing ${missing[*]}; this is not a Debian system." >&2
    echo "setup: load MPI, LLVM and Embree 3 modules (module load openmpi llvm embree) and retry." >&2
    exit 1
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
