#!/usr/bin/env bash
# Prints rendering speed on fixed scenes: samples/s per core (one rank, one
# thread), per rank and in total under mpirun, and, when Mitsuba 3 is
# importable by $MITSUBA_PYTHON (default python3), Mitsuba's speed on the same
# Cornell box for comparison (pip install mitsuba numpy); rays per sample and
# the render's rays/s against Embree alone, and Mitsuba's own tracer, on the
# same rays; Embree's packet queries counted inside both renderers (rays per
# sample and per packet, cycles in Embree); in spectral mode also the noise of both pictures at equal
# samples and time. Then adaptive sampling against uniform sampling at equal samples
# (relative MSE against a high-spp reference; REFERENCE_SPP, default 2048,
# takes a minute or two), and the rank imbalance of an adaptive render on 4 ranks.
#   scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
cargo build --release --quiet
bin=target/release/rsrender
bench=scenes/bench/cornell-mitsuba.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=$(nproc)
# One-core runs use the last core: the first also serves the machine's
# interrupts (on this project's 2-core VM it gave rsrender up to 5% less).
core=$((cores - 1))

# The figure after "render", in seconds, from rsrender's summary line.
render_seconds() { sed -n 's/.*(render \([0-9.]*\) s).*/\1/p'; }
rate() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.3f", s / t / 1e6 }'; }
# The timed render's seconds in a line of mitsuba_cornell.py's.
mitsuba_seconds() { sed -n 's/.*samples\/s (\([0-9.]*\) s.*/\1/p'; }
samples=$((128 * 128 * 256))

echo "== Mitsuba cornell_box(): 128x128, 256 spp, path max_depth 8, box filter"
t1=$("$bin" "$bench" --threads 1 -o "$out/one.png" | render_seconds)
echo "rsrender, 1 rank x 1 thread:  $(rate $samples "$t1") M samples/s per core (render ${t1} s)"
declare -A t_n
for n in 1 2; do
    t_n[$n]=$(mpirun -n $n "$bin" "$bench" --threads 1 -o "$out/n$n.png" | render_seconds)
    echo "rsrender, mpirun -n $n --threads 1: $(rate $samples "${t_n[$n]}") M samples/s total," \
        "$(rate $((samples / n)) "${t_n[$n]}") per rank (render ${t_n[$n]} s)"
done
echo "speed-up -n 2 over -n 1: $(awk -v a="${t_n[1]}" -v b="${t_n[2]}" 'BEGIN { printf "%.2f", a / b }')x"
t2=$("$bin" "$bench" --threads 2 -o "$out/t2.png" | render_seconds)
echo "rsrender, 1 rank x 2 threads: $(rate $samples "$t2") M samples/s total (render ${t2} s)"
cmp -s "$out/n1.png" "$out/n2.png" && echo "images of -n 1 and -n 2: identical" || echo "images of -n 1 and -n 2: DIFFER"

echo "== spectral mode: the same box, 32 bins over 360-830 nm (scenes/bench/cornell-mitsuba-spectral.toml)"
ts=$(taskset -c "$core" "$bin" scenes/bench/cornell-mitsuba-spectral.toml --threads 1 -o "$out/spectral.exr" | render_seconds)
t1c=$(taskset -c "$core" "$bin" "$bench" --threads 1 -o "$out/one-core.png" | render_seconds)
echo "rsrender one core: RGB $(rate $samples "$t1c"), spectral $(rate $samples "$ts") M samples/s:" \
    "spectral at $(awk -v a="$t1c" -v b="$ts" 'BEGIN { printf "%.2f", a / b }')x the RGB throughput"

py=${MITSUBA_PYTHON:-python3}
mitsuba=false
"$py" -c "import mitsuba, numpy" 2>/dev/null && mitsuba=true
if $mitsuba; then
    "$bin" "$bench" --threads 1 -o "$out/ours.exr" -q
    # One core each (taskset -c "$core"); the llvm variants need libLLVM 19
    # (apt-get install libllvm19) and render once first to exclude the JIT.
    export DRJIT_LIBLLVM_PATH=${DRJIT_LIBLLVM_PATH:-/usr/lib/x86_64-linux-gnu/libLLVM-19.so}
    declare -A ours=([rgb]=$(rate $samples "$t1c") [spectral]=$(rate $samples "$ts")) seconds
    for variant in scalar_rgb scalar_spectral llvm_ad_rgb llvm_ad_spectral; do
        if ! line=$(timeout 600 taskset -c "$core" "$py" scripts/mitsuba_cornell.py 256 "$out/mitsuba-$variant.exr" "$variant" 2>/dev/null); then
            echo "mitsuba $variant: did not run (for llvm variants: libLLVM 19 at \$DRJIT_LIBLLVM_PATH?)"
            continue
        fi
        m=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) M samples.*/\1/p')
        seconds[$variant]=$(echo "$line" | mitsuba_seconds)
        mode=${variant##*_}
        echo "$line; rsrender $mode / Mitsuba $variant, one core: $(awk -v a="${ours[$mode]}" -v b="$m" 'BEGIN { printf "%.2f", a / b }')x"
    done
    # Two threads against rsrender's two ranks and two threads (above).
    if line=$(timeout 600 "$py" scripts/mitsuba_cornell.py 256 "$out/mitsuba-2.exr" llvm_ad_rgb 2 2>/dev/null); then
        m=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) M samples.*/\1/p')
        ratio() { awk -v a="$(rate $samples "$1")" -v b="$m" 'BEGIN { printf "%.2f", a / b }'; }
        echo "$line, 2 threads; rsrender / Mitsuba: mpirun -n 2 $(ratio "${t_n[2]}")x, 2 threads $(ratio "$t2")x"
    fi
    "$py" scripts/compare_images.py "$out/ours.exr" "$out/mitsuba-scalar_rgb.exr"
    if [ -n "${seconds[llvm_ad_spectral]:-}" ]; then
        # A Mitsuba spectral sample carries 4 wavelengths, ours every bin:
        # the sRGB pictures' noise at 256 spp, against one reference of
        # another seed, and per unit of time (1 / (relative MSE x seconds)).
        "$bin" scenes/bench/cornell-mitsuba-spectral.toml --spp "${SPECTRAL_REFERENCE_SPP:-4096}" --seed 1 \
            -o "$out/spectral-reference.exr" -q
        mse() { "$py" scripts/compare_images.py "$1" "$out/spectral-reference.exr" | sed -n 's/relative MSE //p'; }
        e_ours=$(mse "$out/spectral.exr")
        e_mitsuba=$(mse "$out/mitsuba-llvm_ad_spectral.exr")
        echo "spectral sRGB noise at 256 spp: relative MSE rsrender $e_ours, Mitsuba llvm_ad_spectral $e_mitsuba;" \
            "per unit of time rsrender is $(awk -v a="$e_ours" -v ta="$ts" -v b="$e_mitsuba" -v tb="${seconds[llvm_ad_spectral]}" \
                'BEGIN { printf "%.2f", (b * tb) / (a * ta) }')x as efficient"
        # The spectral cube (the bins of the same .exr files), each
        # renderer's against its own reference (a 32-bin specfilm for
        # Mitsuba): the per-bin error at 256 spp.
        line=$(taskset -c "$core" "$py" scripts/mitsuba_cornell.py 256 "$out/mitsuba-cube.npy" llvm_ad_spectral 2>/dev/null)
        tmc=$(echo "$line" | mitsuba_seconds)
        MITSUBA_SEED=1 "$py" scripts/mitsuba_cornell.py "${SPECTRAL_REFERENCE_SPP:-4096}" "$out/mitsuba-cube-reference.npy" \
            llvm_ad_spectral "$cores" >/dev/null 2>&1
        cube_error() { "$py" scripts/compare_cubes.py "$1" "$2" | sed -n 's/.*mean \([^,]*\),.*/\1/p'; }
        c_ours=$(cube_error "$out/spectral.exr" "$out/spectral-reference.exr")
        c_mitsuba=$(cube_error "$out/mitsuba-cube.npy" "$out/mitsuba-cube-reference.npy")
        echo "spectral cube at 256 spp: rsrender $(rate $samples "$ts") M samples/s, per-bin relative squared error $c_ours;" \
            "Mitsuba llvm_ad_spectral with a 32-bin specfilm $(rate $samples "$tmc") M samples/s, $c_mitsuba;" \
            "per unit of time rsrender is $(awk -v a="$c_ours" -v ta="$ts" -v b="$c_mitsuba" -v tb="$tmc" \
                'BEGIN { printf "%.0f", (b * tb) / (a * ta) }')x as efficient"
    fi
else
    echo "(Mitsuba 3 not importable by $py: skipping the comparison; set MITSUBA_PYTHON)"
fi

echo "== the same box with a mesh of 81,920 triangles in place of the blocks (scenes/bench/cornell-mesh.toml)"
mkdir -p target/bench
[ -f target/bench/bumpy-81920.ply ] ||
    target/release/rsrender-meshgen icosphere --levels 6 --bumps 0.1 target/bench/bumpy-81920.ply >/dev/null
tm=$(taskset -c "$core" "$bin" scenes/bench/cornell-mesh.toml --threads 1 -o "$out/mesh.exr" | render_seconds)
echo "rsrender one core: $(rate $samples "$tm") M samples/s"
if $mitsuba; then
    for variant in scalar_rgb llvm_ad_rgb; do
        if ! line=$(timeout 600 taskset -c "$core" "$py" scripts/mitsuba_cornell.py 256 "$out/mitsuba-mesh-$variant.exr" \
            "$variant" 1 target/bench/bumpy-81920.ply 2>/dev/null); then
            echo "mitsuba $variant (mesh): did not run"
            continue
        fi
        m=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) M samples.*/\1/p')
        echo "$line; rsrender / Mitsuba $variant, one core: $(awk -v a="$(rate $samples "$tm")" -v b="$m" 'BEGIN { printf "%.2f", a / b }')x"
    done
fi

echo "== rays per sample, and the render's rays/s against Embree alone and Mitsuba's tracer on the same rays (one core)"
for scene in "$bench" scenes/bench/cornell-mesh.toml; do
    taskset -c "$core" cargo bench --quiet --features ray-log --bench rays -- "$scene" 32 --save-rays="$out/rays"
    if $mitsuba; then
        mesh=()
        [[ $scene == *mesh* ]] && mesh=(target/bench/bumpy-81920.ply)
        taskset -c "$core" "$py" scripts/mitsuba_rays.py "$out/rays" "${mesh[@]}" 2>/dev/null ||
            echo "mitsuba's tracer: did not run"
    fi
done

echo "== Embree's packet queries in both renderers on the box (scripts/embree_calls.c, preloaded; 2 threads)"
# Rays per sample, rays per packet and the time stamp counter's cycles spent
# inside Embree per sample. On 2 threads: Mitsuba runs at least 2 pool
# threads, which on one core would count each other's turns as Embree time.
counter="$out/embree_calls.so"
# Fields of the counter's line: nearest calls ($3), rays ($5), cycles ($7);
# shadow calls ($10), rays ($12), cycles ($14).
per_sample() {
    awk -v n="$1" '/^embree_calls:/ { printf "%.2f nearest + %.2f shadow rays per sample, %.1f and %.1f rays per packet, %.0f cycles per sample in Embree\n", $5 / n, $12 / n, $5 / $3, $12 / $10, ($7 + $14) / n }'
}
if "${CC:-cc}" -O2 -shared -fPIC -o "$counter" scripts/embree_calls.c -ldl; then
    echo "rsrender: $(LD_PRELOAD=$counter "$bin" "$bench" --threads 2 -o "$out/counted.exr" -q 2>&1 | per_sample "$samples")"
    if $mitsuba; then
        lib=$("$py" -c "import mitsuba, os; print(os.path.join(os.path.dirname(mitsuba.__file__), 'libembree3.so'))")
        # mitsuba_cornell.py renders twice (the first compiles its kernels).
        echo "Mitsuba llvm_ad_rgb: $(EMBREE_CALLS_LIB=$lib LD_PRELOAD=$counter "$py" scripts/mitsuba_cornell.py 256 \
            "$out/counted-mitsuba.exr" llvm_ad_rgb 2 2>&1 | per_sample $((2 * samples)))"
    fi
else
    echo "(no C compiler: skipping the count)"
fi

echo "== scenes/cornell.toml (256x256, 64 spp, mirror and glass), all $cores cores"
"$bin" scenes/cornell.toml -o "$out/cornell.png"
mpirun -n "$cores" "$bin" scenes/cornell.toml --threads 1 -o "$out/cornell-mpi.png"

echo "== adaptive sampling, scenes/cornell.toml: relative MSE against a ${REFERENCE_SPP:=2048}-spp reference"
venv=target/pyenv
if ! "$venv/bin/python" -c "import numpy" 2>/dev/null; then
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check numpy
fi
"$bin" scenes/cornell.toml --spp "$REFERENCE_SPP" --seed 1000 -o "$out/reference.pfm" -q
for threshold in 0.1 0.05; do
    "$bin" scenes/cornell.toml --spp 1024 --adaptive --noise-threshold $threshold -o "$out/adaptive.pfm" --aov samples -q
    spp=$("$venv/bin/python" - "$out/adaptive.samples.pfm" <<'PY'
import sys, numpy as np
with open(sys.argv[1], "rb") as f:
    f.readline(); w, h = map(int, f.readline().split()); f.readline()
    print(round(float(np.frombuffer(f.read(), dtype="<f4").mean())))
PY
)
    "$bin" scenes/cornell.toml --spp "$spp" -o "$out/uniform.pfm" -q
    a=$("$venv/bin/python" scripts/compare_images.py "$out/adaptive.pfm" "$out/reference.pfm" | sed -n 's/relative MSE //p')
    u=$("$venv/bin/python" scripts/compare_images.py "$out/uniform.pfm" "$out/reference.pfm" | sed -n 's/relative MSE //p')
    echo "threshold $threshold: $spp samples/pixel on average; relMSE uniform $u, adaptive $a:" \
        "$(awk -v u="$u" -v a="$a" 'BEGIN { printf "%.2f", u / a }')x lower"
done
echo "== adaptive render on 4 ranks: imbalance (slowest rank's render time over the mean)"
mpirun -n 4 "$bin" scenes/cornell.toml --spp 512 --adaptive --noise-threshold 0.1 --threads 1 -o "$out/a4.pfm" 2>/dev/null |
    sed -n 's/.*\(imbalance.*\)/\1/p'

echo "== BVH against Embree on a 1 M-triangle mesh (cargo bench --bench accel)"
cargo bench --quiet --bench accel 2>/dev/null

echo "== memory of a 1 M-triangle scene (terrain, 256x256, 4 spp): peak resident size per rank"
target/release/rsrender-meshgen terrain --cells 708 --height 0.3 "$out/terrain.ply" >/dev/null
cat >"$out/terrain.toml" <<'TOML'
[film]
width = 256
height = 256
output = "terrain.pfm"
[sampling]
spp = 4
[camera]
position = [0, 0.9, 1.4]
look_at = [0, 0, 0.1]
fov = 50
[background]
color = [1, 1, 1]
[materials.grey]
type = "diffuse"
[[shapes]]
type = "mesh"
file = "terrain.ply"
material = "grey"
TOML
# Sum and list of the ranks' peak resident sizes in a --stats file.
peak_rss() {
    python3 -c 'import json, sys
r = [x["peak_rss_bytes"] / 2**20 for x in json.load(open(sys.argv[1]))["ranks"]]
print(f"{sum(r):.1f} MiB in all (" + ", ".join(f"{x:.1f}" for x in r) + " MiB per rank)")' "$1"
}
"$bin" "$out/terrain.toml" --threads 1 --stats "$out/one.json" -q
echo "one rank, one thread: $(peak_rss "$out/one.json")"
mpirun -n 1 "$bin" "$out/terrain.toml" --threads 2 --stats "$out/hybrid.json" -q
echo "mpirun -n 1 --threads 2: $(peak_rss "$out/hybrid.json")"
mpirun -n 2 "$bin" "$out/terrain.toml" --threads 1 --stats "$out/flat.json" -q
echo "mpirun -n 2 --threads 1: $(peak_rss "$out/flat.json")"
