#!/usr/bin/env bash
# Compares `coffer backup` with `restic backup` side by side, in one run, on the benchmark corpus
# (../shared/bench/make-corpus.sh). Every timed command runs under GNU time; runs alternate between
# the two tools so machine drift hits both alike. Prints medians and the median of per-pair ratios
# (Coffer / restic) for wall time, CPU time and peak memory.
#
# Usage: bench/scripts/compare-backup.sh [CORPUS_DIR]     (default: $BENCH/corpus)
# Environment: BENCH=/tmp/bench  RUNS=3  COFFER=<path to coffer binary> (default: publish from src/)
#              COMPRESSION=auto  PHASES="initial unchanged mutated"
# Needs: restic, python3, /usr/bin/time. Warm page cache, as in ../shared/bench/run-peers.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH=${BENCH:-/tmp/bench}
CORPUS=${1:-$BENCH/corpus}
RUNS=${RUNS:-3}
COMPRESSION=${COMPRESSION:-auto}
PHASES=${PHASES:-initial unchanged mutated}
MUTATE=${MUTATE:-$ROOT/../shared/bench/mutate-corpus.sh}
OUT=$BENCH/compare-backup
mkdir -p "$OUT"
# shellcheck source=common.sh
source "$HERE/common.sh"
COFFER=$(coffer_binary "$ROOT" "$BENCH")
export RESTIC_PASSWORD=bench COFFER_PASSWORD=bench RESTIC_CACHE_DIR=$BENCH/restic-cache
SRC=$BENCH/src-compare
rm -rf "$SRC" && cp -a "$CORPUS" "$SRC"
RESULTS=$OUT/runs.tsv
: > "$RESULTS"

backup() { # tool repo
  if [[ $1 == restic ]]; then restic -r "$2" backup --compression "$COMPRESSION" --host bench "$SRC" -q
  else "$COFFER" -r "$2" backup --compression "$COMPRESSION" --host bench "$SRC" -q; fi
}
fresh() { # tool repo
  rm -rf "$2" "$RESTIC_CACHE_DIR"
  if [[ $1 == restic ]]; then restic -r "$2" init -q >/dev/null; else "$COFFER" -r "$2" init -q >/dev/null; fi
}

if [[ " $PHASES " == *" initial "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      fresh "$tool" "$BENCH/repo-$tool"
      timed initial "$tool" bash -c "$(declare -f backup); COFFER=$COFFER SRC=$SRC COMPRESSION=$COMPRESSION backup $tool $BENCH/repo-$tool"
    done
  done
fi
if [[ " $PHASES " == *" unchanged "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    for tool in $(order "$i"); do
      timed unchanged "$tool" bash -c "$(declare -f backup); COFFER=$COFFER SRC=$SRC COMPRESSION=$COMPRESSION backup $tool $BENCH/repo-$tool"
    done
  done
fi
if [[ " $PHASES " == *" mutated "* ]]; then
  for i in $(seq 1 "$RUNS"); do
    bash "$MUTATE" "$SRC" "$i" >/dev/null
    for tool in $(order "$i"); do
      timed mutated "$tool" bash -c "$(declare -f backup); COFFER=$COFFER SRC=$SRC COMPRESSION=$COMPRESSION backup $tool $BENCH/repo-$tool"
    done
  done
fi

summary
