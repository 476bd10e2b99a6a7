#!/usr/bin/env bash
# N independent leanfuzz instances: distinct seeds, own corpora, stats and
# work dirs, one shared solutions/ (the findings store is safe for many
# writers). Nothing else is shared; for one shared corpus use the LLMP
# mode (`main --cores 0-3`). See PARALLEL.md.
#
#   ./run_parallel.sh N DEPTH [-- MAIN-ARGS...]
#
# Environment:
#   SEED         base seed (instance i uses SEED+i)   [default: the time]
#   RUN_DIR      where instance-i/ dirs and logs go    [default: parallel/run-<time>]
#   LEANFUZZ_BIN the main binary to run                [default: built with cargo --release]
#   CARGO        the cargo to build with, e.g. "cargo +nightly" [default: cargo]
#
# One Ctrl-C (or SIGTERM to this script) stops every instance cleanly.

set -u

usage() {
    cat >&2 <<'EOF'
usage: ./run_parallel.sh N DEPTH [-- MAIN-ARGS...]
  N      number of independent instances (a positive integer)
  DEPTH  generation depth (a positive integer)
  MAIN-ARGS are passed to every instance, e.g. -- --max-time 3600 --timeout 60
EOF
    exit 2
}

is_positive() { [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 > 0 )); }

[ $# -ge 2 ] || usage
N=$1
DEPTH=$2
shift 2
is_positive "$N" || { echo "run_parallel.sh: N must be a positive integer, got '$N'" >&2; usage; }
is_positive "$DEPTH" || { echo "run_parallel.sh: DEPTH must be a positive integer, got '$DEPTH'" >&2; usage; }
if [ $# -gt 0 ]; then
    [ "$1" = "--" ] || { echo "run_parallel.sh: unexpected argument '$1' (put main's flags after --)" >&2; usage; }
    shift
fi
N=$((10#$N))
DEPTH=$((10#$DEPTH))

ROOT=$(cd "$(dirname "$0")" && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
SEED=${SEED:-$(date +%s)}
is_positive "$SEED" || [ "$SEED" = 0 ] || { echo "run_parallel.sh: SEED must be a non-negative integer, got '$SEED'" >&2; exit 2; }
RUN_DIR=${RUN_DIR:-$ROOT/parallel/run-$STAMP}

if [ -z "${LEANFUZZ_BIN:-}" ]; then
    echo "building main (release)..." >&2
    ${CARGO:-cargo} build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin main || exit 1
    LEANFUZZ_BIN=$ROOT/target/release/main
fi
[ -x "$LEANFUZZ_BIN" ] || { echo "run_parallel.sh: $LEANFUZZ_BIN is not an executable" >&2; exit 2; }

mkdir -p "$RUN_DIR" || exit 1
CORES=$(nproc 2>/dev/null || echo 1)
if [ "$N" -gt "$CORES" ]; then
    echo "run_parallel.sh: warning: $N instances on $CORES cores; each will run slower" >&2
fi

PIDS=()
WORKS=()
stopping=0
stop_all() {
    stopping=1
    for pid in "${PIDS[@]}"; do
        kill -INT "$pid" 2>/dev/null
    done
}
trap stop_all INT TERM

for i in $(seq 1 "$N"); do
    dir=$RUN_DIR/instance-$i
    mkdir -p "$dir"
    work=$(mktemp -d "${TMPDIR:-/tmp}/leanfuzz-parallel-$$-$i.XXXXXX") || exit 1
    WORKS+=("$work")
    seed=$((SEED + i))
    echo "instance $i: seed $seed, corpus $dir/corpus, log $dir/main.log" >&2
    # Each instance in its own session: a terminal's Ctrl-C reaches the
    # script only, which passes exactly one SIGINT to each instance (a
    # second one would make it exit without cleaning up).
    setsid "$LEANFUZZ_BIN" --mode simple --depth "$DEPTH" --seed "$seed" \
        --corpus "$dir/corpus" --stats-file "$dir/stats.jsonl" --work-dir "$work" \
        "$@" >"$dir/main.log" 2>&1 &
    PIDS+=("$!")
done
echo "run_parallel.sh: $N instance(s) running; Ctrl-C stops them all; logs in $RUN_DIR" >&2

status=0
for idx in "${!PIDS[@]}"; do
    # `wait` returns early when a trapped signal arrives: wait again.
    while :; do
        wait "${PIDS[$idx]}"
        code=$?
        kill -0 "${PIDS[$idx]}" 2>/dev/null || break
    done
    i=$((idx + 1))
    echo "instance $i: $(tail -n 1 "$RUN_DIR/instance-$i/main.log")" >&2
    [ "$code" -gt "$status" ] && status=$code
done
for work in "${WORKS[@]}"; do
    rmdir "$work" 2>/dev/null || echo "run_parallel.sh: $work is not empty, left for inspection" >&2
done
[ "$stopping" = 1 ] && exit 130
exit "$status"
