#!/usr/bin/env bash
# Periodic merge of findings: copies new findings from other instances' or
# machines' solutions/ into one store, de-duplicated by content, never
# overwriting, and rewrites its index.json (see PARALLEL.md).
#
#   scripts/merge_solutions.sh [--every SECS] SRC... --into DST
#
# A SRC of the form HOST:PATH is first mirrored with rsync over ssh into
# DST/../.merge-cache/ (only new files are transferred), then merged.
# With --every, merges again every SECS seconds until Ctrl-C.
#
# Environment: LEANFUZZ_BIN (the main binary; default: built with
# cargo --release), CARGO (e.g. "cargo +nightly").

set -u

usage() {
    cat >&2 <<'USAGE'
usage: scripts/merge_solutions.sh [--every SECS] SRC... --into DST
  SRC    a solutions/ directory (or the old tool's flat layout), or HOST:PATH
  DST    the store to merge into (created if missing)
  --every SECS  merge again every SECS seconds until interrupted
USAGE
    exit 2
}

EVERY=""
SOURCES=()
DST=""
while [ $# -gt 0 ]; do
    case "$1" in
        --every) [ $# -ge 2 ] || usage; EVERY=$2; shift 2 ;;
        --into) [ $# -ge 2 ] || usage; DST=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "merge_solutions.sh: unknown flag '$1'" >&2; usage ;;
        *) SOURCES+=("$1"); shift ;;
    esac
done
[ -n "$DST" ] || { echo "merge_solutions.sh: --into DST is missing" >&2; usage; }
[ ${#SOURCES[@]} -gt 0 ] || { echo "merge_solutions.sh: no source given" >&2; usage; }
if [ -n "$EVERY" ] && ! [[ "$EVERY" =~ ^[0-9]+([.][0-9]+)?$ && "$EVERY" != 0 ]]; then
    echo "merge_solutions.sh: --every needs a positive number of seconds, got '$EVERY'" >&2
    usage
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${LEANFUZZ_BIN:-}" ]; then
    ${CARGO:-cargo} build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin main || exit 1
    LEANFUZZ_BIN=$ROOT/target/release/main
fi

CACHE=$(dirname "$DST")/.merge-cache
once() {
    local local_sources=()
    for src in "${SOURCES[@]}"; do
        if [[ "$src" == *:* && ! -e "$src" ]]; then
            local mirror=$CACHE/$(printf '%s' "$src" | tr -c 'A-Za-z0-9._-' '_')
            mkdir -p "$mirror" || return 1
            # Hidden files are a writer's unfinished temporaries.
            rsync -a --ignore-existing --exclude='.*' "${src%/}/" "$mirror/" ||
                { echo "merge_solutions.sh: cannot mirror $src" >&2; return 1; }
            local_sources+=("$mirror")
        else
            local_sources+=("$src")
        fi
    done
    "$LEANFUZZ_BIN" merge "${local_sources[@]}" --into "$DST"
}

if [ -z "$EVERY" ]; then
    once
    exit $?
fi
trap 'echo "merge_solutions.sh: stopped" >&2; exit 130' INT TERM
while :; do
    once || echo "merge_solutions.sh: this round failed; trying again in $EVERY s" >&2
    sleep "$EVERY" &
    wait $!
done
