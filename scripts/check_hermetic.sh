#!/usr/bin/env bash
# The test suite is hermetic: it writes nothing into the checkout, and it
# passes whatever a user's runs left there. CI runs it after the suite
# (.ci/run):
#
#   scripts/check_hermetic.sh snapshot FILE   # record the checkout's files
#   scripts/check_hermetic.sh same FILE       # fail if they changed since
#   scripts/check_hermetic.sh litter          # run the README's fuzz command in
#                                             # the checkout (stand-in toolchain)
#   scripts/check_hermetic.sh clean           # remove what `litter` made
#
# `litter` does what a user's first session does — `main doctor --build` and
# the README's fuzz command, from the repository root with its defaults —
# leaving template/.lake, solutions/, corpus/, stats.jsonl and report.html
# beside the template; it refuses (exit 3) to touch a checkout that already holds any
# of them.
set -euo pipefail
cd "$(dirname "$0")/.."
made=(template/.lake solutions corpus logs stats.jsonl report.html)

files() {
    # Every file but the build's and git's, with its content hash.
    find . \( -path ./target -o -path ./.git \) -prune -o \( -type f -o -type l \) -print0 |
        sort -z | xargs -0 sha256sum
}

case "${1:-}" in
snapshot) files >"$2" ;;
same)
    if ! diff -u "$2" <(files) >&2; then
        echo "the test suite changed the checkout (above: - before, + after)" >&2
        exit 1
    fi
    ;;
litter)
    for p in "${made[@]}"; do
        if [ -e "$p" ]; then
            echo "SKIPPED check_hermetic litter: the checkout already holds $p" >&2
            exit 3
        fi
    done
    standin=$PWD/generator/tests/fixtures/standin
    main=${MAIN:-target/debug/main}
    export PATH="$standin:$PATH" COMPARATOR_LANDRUN=/bin/true COMPARATOR_LEAN4EXPORT=/bin/true
    export COMPARATOR_NANODA="$standin/nanoda" STANDIN_LEAN_CRASH_ON="structure "
    "$main" doctor --build --comparator "$standin/comparator" >/dev/null
    "$main" --mode simple --max-tests 30 --depth 6 --comparator "$standin/comparator" >/dev/null
    for p in template/.lake solutions corpus stats.jsonl report.html; do
        [ -e "$p" ] || { echo "the fuzz command left no $p" >&2; exit 1; }
    done
    ;;
clean) rm -rf "${made[@]}" ;;
*)
    echo "usage: $0 snapshot FILE | same FILE | litter | clean" >&2
    exit 2
    ;;
esac
