#!/usr/bin/env bash
# Compares `coffer prune` and `coffer check --read-data` with restic's, side by side, in one run, on the
# benchmark corpus (../shared/bench/make-corpus.sh). A base repository is made once by restic: the corpus
# backed up, then three rounds of ../shared/bench/mutate-corpus.sh each followed by a backup (4 snapshots),
# then `restic forget --keep-last 2` (half the snapshots). Phases:
#   prune  each tool prunes its own fresh copy of the base repository (default options: --max-unused 5%);
#          after Coffer's first prune, `restic check` must pass on the result.
#   check  each tool runs `check --read-data` on the base repository (read only).
# Runs alternate between the tools; prints medians and the median of per-pair ratios (Coffer / restic) for
# wall time, CPU time and peak memory.
#
# Usage: bench/scripts/compare-maintenance.sh [CORPUS_DIR]     (default: $BENCH/corpus)
# Environment: BENCH=/tmp/bench  RUNS=3  COFFER=<path to coffer binary> (default: publish from src/)
#              PHASES="prune check"  MUTATE=<mutate-corpus.sh>
# Needs: restic, python3, bc, /usr/bin/time, about 3x the corpus size of free disk. restic keeps its cache.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH=${BENCH:-/tmp/bench}
CORPUS=$(cd "${1:-$BENCH/corpus}" && pwd)
RUNS=${RUNS:-3}
PHASES=${PHASES:-prune check}
MUTATE=${MUTATE:-$ROOT/../shared/bench/mutate-corpus.sh}
OUT=$BENCH/compare-maintenance
mkdir -p "$OUT"
# shellcheck source=common.sh
source "$HERE/common.sh"
COFFER=$(coffer_binary "$ROOT" "$BENCH")
export RESTIC_PASSWORD=bench COFFER_PASSWORD=bench RESTIC_CACHE_DIR=$BENCH/restic-cache
BASE=$BENCH/maint-base
WORK=$BENCH/maint-work
RESULTS=$OUT/runs.tsv
: > "$RESULTS"

if [[ ! -f $BASE/done ]]; then
  rm -rf "$BASE" "$BENCH/maint-src"
  cp -a "$CORPUS" "$BENCH/maint-src"
  restic -r "$BASE" init -q >/dev/null
  restic -r "$BASE" backup --host bench "$BENCH/maint-src" -q
  for round in 1 2 3; do
    bash "$MUTATE" "$BENCH/maint-src" "$round" >/dev/null
    restic -r "$BASE" backup --host bench "$BENCH/maint-src" -q
  done
  restic -r "$BASE" forget --keep-last 2 -q
  rm -rf "$BENCH/maint-src"
  touch "$BASE/done"
fi
echo "base repository: $(du -sh "$BASE" | cut -f1), $(restic -r "$BASE" snapshots --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') snapshots"

prune() { # tool
  if [[ $1 == restic ]]; then restic -r "$WORK" prune -q
  else "$COFFER" -r "$WORK" prune -q; fi
}
check() { # tool
  if [[ $1 == restic ]]; then restic -r "$BASE" check --read-data -q
  else "$COFFER" -r "$BASE" check --read-data -q; fi
}

if [[ " $PHASES " == *" prune "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      rm -rf "$WORK" && cp -a "$BASE" "$WORK"
      timed prune "$tool" bash -c "$(declare -f prune); COFFER=$COFFER WORK=$WORK prune $tool"
      if [[ $tool == coffer && $i == 1 ]]; then
        restic -r "$WORK" check -q > "$OUT/check-after-prune.txt" 2>&1 || { echo "restic check failed after coffer prune:"; tail "$OUT/check-after-prune.txt"; exit 1; }
        echo "after prune: $(du -sh "$WORK" | cut -f1)"
      fi
    done
  done
  rm -rf "$WORK"
fi
if [[ " $PHASES " == *" check "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      timed check "$tool" bash -c "$(declare -f check); COFFER=$COFFER BASE=$BASE check $tool"
    done
  done
fi
summary
