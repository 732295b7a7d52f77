# shellcheck shell=bash
# Sourced by the other scripts: the environment mpirun needs on a workstation.
# Open MPI refuses to run as root, and more ranks than cores, unless told.
if [[ $(id -u) -eq 0 ]]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_rmaps_base_oversubscribe=1
if ! command -v cargo >/dev/null; then
    # rustup's default location, for shells that have not sourced it.
    # shellcheck disable=SC1091
    [[ -f "$HOME/.cargo/env" ]] && source "$HOME/.cargo/env"
fi
if ! command -v cargo >/dev/null; then
    echo "rsrender: cargo not found; install Rust from https://rustup.rs first" >&2
    exit 1
fi
