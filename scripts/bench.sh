#!/usr/bin/env bash
# Prints rendering speed on fixed scenes: samples/s per core (one rank, one
# thread), per rank and in total under mpirun, and, when Mitsuba 3 is
# importable by $MITSUBA_PYTHON (default python3), Mitsuba's speed on the same
# Cornell box for comparison (pip install mitsuba numpy).
#   scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --release --quiet
bin=target/release/rsrender
bench=scenes/bench/cornell-mitsuba.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=$(nproc)

# The figure after "render", in seconds, from rsrender's summary line.
render_seconds() { sed -n 's/.*(render \([0-9.]*\) s).*/\1/p'; }
rate() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.3f", s / t / 1e6 }'; }
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
cmp -s "$out/n1.png" "$out/n2.png" && echo "images of -n 1 and -n 2: identical" || echo "images of -n 1 and -n 2: DIFFER"

py=${MITSUBA_PYTHON:-python3}
if "$py" -c "import mitsuba, numpy" 2>/dev/null; then
    "$bin" "$bench" --threads 1 -o "$out/ours.exr" -q
    line=$(taskset -c 0 "$py" scripts/mitsuba_cornell.py 256 "$out/mitsuba.exr")
    echo "$line"
    m=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) M samples.*/\1/p')
    echo "rsrender / Mitsuba, one core: $(awk -v a="$(rate $samples "$t1")" -v b="$m" 'BEGIN { printf "%.2f", a / b }')x"
    "$py" scripts/compare_images.py "$out/ours.exr" "$out/mitsuba.exr"
else
    echo "(Mitsuba 3 not importable by $py: skipping the comparison; set MITSUBA_PYTHON)"
fi

echo "== scenes/cornell.toml (256x256, 64 spp, mirror and glass), all $cores cores"
"$bin" scenes/cornell.toml -o "$out/cornell.png"
mpirun -n "$cores" "$bin" scenes/cornell.toml --threads 1 -o "$out/cornell-mpi.png"
