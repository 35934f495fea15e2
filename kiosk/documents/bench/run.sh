#!/bin/sh
# The pipeline figures (kiosk/documents/README.md, "Figures"): the Rust pipeline and the same
# steps in OpenCV on the same 5 MP capture, each pinned to one core, in one run.
#
#   sh kiosk/documents/bench/run.sh            # from the repository root
#   RUNS=40 ROUNDS=3 sh kiosk/documents/bench/run.sh
#
# CARGO_TARGET_DIR is honoured; the input, the pages and the OpenCV venv live under it.
# The venv is made on first use (pip install opencv-python-headless numpy, from PyPI).
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-$TARGET/documents-bench}
VENV=${VENV:-$TARGET/venv-opencv}
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-2}
CORE=${CORE:-0}

cd "$ROOT"
cargo build --release -q -p documents --bin documents-bench
BENCH=$TARGET/release/documents-bench
mkdir -p "$OUT"
[ -f "$OUT/a4-5mp.jpg" ] || "$BENCH" --write-input "$OUT/a4-5mp.jpg" --runs 0
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q opencv-python-headless numpy
fi
PY="$VENV/bin/python $ROOT/kiosk/documents/bench/opencv_pipeline.py"

echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), core $CORE, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    echo "## round $round: Rust (documents-bench)"
    taskset -c "$CORE" "$BENCH" --input "$OUT/a4-5mp.jpg" --runs "$RUNS" --out-dir "$OUT"
    echo "## round $round: OpenCV"
    taskset -c "$CORE" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $PY \
        --input "$OUT/a4-5mp.jpg" --runs "$RUNS" --out-dir "$OUT"
    round=$((round + 1))
done
echo "## peak memory of one whole process each (one warm-up-free run), as the kernel counts it"
/usr/bin/time -f "rust:   max RSS %M KiB, wall %e s" \
    taskset -c "$CORE" "$BENCH" --input "$OUT/a4-5mp.jpg" --runs 1 --warmup 0 >/dev/null
/usr/bin/time -f "opencv: max RSS %M KiB, wall %e s" \
    taskset -c "$CORE" env OMP_NUM_THREADS=1 $PY --input "$OUT/a4-5mp.jpg" --runs 1 --warmup 0 >/dev/null
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
