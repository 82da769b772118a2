#!/usr/bin/env bash
# Compares `coffer restore` with `restic restore` side by side, in one run, on the benchmark corpus
# (../shared/bench/make-corpus.sh). Both restore from the same repository, made once by restic, so they
# read the same packs with the same key parameters. Phases: "full" (the whole snapshot into an empty
# directory) and "file" (one small file, selected with --include). Runs alternate between the tools;
# prints medians and the median of per-pair ratios (Coffer / restic) for wall time, CPU time and peak
# memory. The first full restore by Coffer is compared with the corpus (content, via diff -r).
#
# Usage: bench/scripts/compare-restore.sh [CORPUS_DIR]     (default: $BENCH/corpus)
# Environment: BENCH=/tmp/bench  RUNS=3  COFFER=<path to coffer binary> (default: publish from src/)
#              PHASES="full file"  REPO=<restic repository of the corpus> (default: made in $BENCH)
# Needs: restic, python3, bc, /usr/bin/time, free space for 2 × RUNS restores of the corpus. Warm page cache;
# restic keeps its cache directory.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH=${BENCH:-/tmp/bench}
CORPUS=$(cd "${1:-$BENCH/corpus}" && pwd)
RUNS=${RUNS:-3}
PHASES=${PHASES:-full file}
OUT=$BENCH/compare-restore
mkdir -p "$OUT"
# shellcheck source=common.sh
source "$HERE/common.sh"
COFFER=$(coffer_binary "$ROOT" "$BENCH")
export RESTIC_PASSWORD=bench COFFER_PASSWORD=bench RESTIC_CACHE_DIR=$BENCH/restic-cache
REPO=${REPO:-$BENCH/restore-repo}
if [[ ! -f $REPO/config ]]; then
  restic -r "$REPO" init -q >/dev/null
  restic -r "$REPO" backup --host bench "$CORPUS" -q
fi
# Every run restores into a directory of its own, and all of them are removed at the end: on a file system
# mounted with online discard, removing a 3 GB tree right before a run slows that run two- to threefold while
# the discards drain, whichever tool it is.
TARGETS=$BENCH/restore-targets
rm -rf "$TARGETS"
mkdir -p "$TARGETS"
# One small file, deep in the tree: what "get back one file from last night" looks like.
FILE=$(find "$CORPUS" -type f -size -16k -path '*/*/*/*' | sort | sed -n 1p)
RESULTS=$OUT/runs.tsv
: > "$RESULTS"

restore() { # tool [restic flags...]
  local tool=$1; shift
  if [[ $tool == restic ]]; then restic -r "$REPO" restore latest --target "$TARGET" -q "$@"
  else "$COFFER" -r "$REPO" restore latest --target "$TARGET" -q "$@"; fi
}

if [[ " $PHASES " == *" full "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      TARGET=$TARGETS/full-$tool-$i
      timed full "$tool" bash -c "$(declare -f restore); COFFER=$COFFER REPO=$REPO TARGET=$TARGET restore $tool"
      if [[ $tool == coffer && $i == 1 ]]; then
        diff -r --no-dereference "$CORPUS" "$TARGET$CORPUS" > "$OUT/diff.txt" || { echo "restored tree differs from the corpus:"; head "$OUT/diff.txt"; exit 1; }
      fi
    done
  done
fi
if [[ " $PHASES " == *" file "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      TARGET=$TARGETS/file-$tool-$i
      timed file "$tool" bash -c "$(declare -f restore); COFFER=$COFFER REPO=$REPO TARGET=$TARGET restore $tool --include '$FILE'"
      cmp "$FILE" "$TARGET$FILE"
    done
  done
fi
echo "one file: ${FILE#"$CORPUS"/} ($(stat -c %s "$FILE") bytes)"
summary
echo "removing the restored trees"
rm -rf "$TARGETS"
