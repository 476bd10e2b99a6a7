#!/usr/bin/env bash
# Try leanfuzz without Lean: the real fuzzer, on a copy of the template,
# against the project's stand-in toolchain (generator/tests/fixtures/standin:
# small programs that play lake, lean and comparator and really crash, hang,
# accept and reject). A planted bug makes the stand-in `lean` die by SIGSEGV
# on any program that declares a structure; the run finds it, stores it,
# reproduces it and reduces it.
#
#   scripts/try_without_lean.sh [DIR]      # DIR: where to work (default: a new temp dir)
#
# MAIN overrides how `main` is run (default: cargo +nightly run --release).
# Nothing is written outside DIR, and the repository's template is copied,
# never built in place.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/leanfuzz-try-XXXXXX")}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
standin="$repo/generator/tests/fixtures/standin"
read -r -a main <<<"${MAIN:-cargo +nightly run --quiet --release --manifest-path $repo/Cargo.toml --bin main --}"

# The stand-ins are chosen the way the real tools are: lake and lean by
# PATH, comparator by --comparator, comparator's helpers by its variables.
export PATH="$standin:$PATH"
export COMPARATOR_LANDRUN=/bin/true COMPARATOR_LEAN4EXPORT=/bin/true
export COMPARATOR_NANODA="$standin/nanoda"
# The planted bug.
export STANDIN_LEAN_CRASH_ON="structure "

run() {
    echo
    echo "\$ main $*"
    "${main[@]}" "$@"
}

rm -rf "$dir/template"
mkdir -p "$dir/template"
(cd "$repo/template" && tar --exclude=./.lake -cf - .) | (cd "$dir/template" && tar -xf -)
common=(--template "$dir/template" --work-dir "$dir/work")

echo "== 1. check the (stand-in) toolchain and build the template copy in $dir"
run doctor --build "${common[@]}" --comparator "$standin/comparator"

echo
echo "== 2. fuzz: 60 tests in one process; findings go to $dir/solutions"
run --mode simple --max-tests 60 --depth 6 --seed 1 "${common[@]}" \
    --comparator "$standin/comparator" --stats-interval 2

finding=$(find "$dir/solutions/crash" -name '*.lean' -print 2>/dev/null | sort | head -n 1)
if [ -z "$finding" ]; then
    echo "no crash was stored: see $dir/stats.jsonl" >&2
    exit 1
fi

echo
echo "== 3. reproduce the finding through the same pipeline"
run repro "$finding" "${common[@]}" --comparator "$standin/comparator"

echo
echo "== 4. reduce it while its signature (crash:lean:SIGSEGV) holds"
run reduce "$finding" "${common[@]}" --comparator "$standin/comparator"

echo
echo "== done: findings, their index and the reduced file are in $dir/solutions"
echo "   the campaign's report (rates, corpus, validity, findings): $dir/report.html"
