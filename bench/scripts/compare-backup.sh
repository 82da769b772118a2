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
if [[ -z "${COFFER:-}" ]]; then
  dotnet publish "$ROOT/src/Coffer.Cli" -c Release -o "$BENCH/coffer-bin" -nologo -v q >/dev/null
  COFFER=$BENCH/coffer-bin/coffer
fi
export RESTIC_PASSWORD=bench COFFER_PASSWORD=bench RESTIC_CACHE_DIR=$BENCH/restic-cache
SRC=$BENCH/src-compare
rm -rf "$SRC" && cp -a "$CORPUS" "$SRC"
RESULTS=$OUT/runs.tsv
: > "$RESULTS"

timed() { # phase tool command...
  local phase=$1 tool=$2; shift 2
  sync; sleep 1
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$tool-$phase.log" 2>&1 || { echo "$tool $phase failed:"; tail -5 "$OUT/$tool-$phase.log"; exit 1; }
  read -r wall user sys rss < "$OUT/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$phase" "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$RESULTS"
  printf '%-10s %-7s wall %6ss cpu %7ss rss %8s KiB\n' "$phase" "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}
backup() { # tool repo
  if [[ $1 == restic ]]; then restic -r "$2" backup --compression "$COMPRESSION" --host bench "$SRC" -q
  else "$COFFER" -r "$2" backup --compression "$COMPRESSION" --host bench "$SRC" -q; fi
}
fresh() { # tool repo
  rm -rf "$2" "$RESTIC_CACHE_DIR"
  if [[ $1 == restic ]]; then restic -r "$2" init -q >/dev/null; else "$COFFER" -r "$2" init -q >/dev/null; fi
}
order() { if (( $1 % 2 )); then echo "restic coffer"; else echo "coffer restic"; fi; }

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

python3 - "$RESULTS" <<'PY'
import sys, statistics as st
rows = [l.split('\t') for l in open(sys.argv[1]).read().splitlines() if l]
phases = []
for r in rows:
    if r[0] not in phases: phases.append(r[0])
print()
print("| phase | restic wall s | coffer wall s | ratio wall | ratio cpu | restic peak MiB | coffer peak MiB | ratio peak |")
print("|---|---|---|---|---|---|---|---|")
for p in phases:
    a = [r for r in rows if r[0] == p and r[1] == 'restic']
    b = [r for r in rows if r[0] == p and r[1] == 'coffer']
    n = min(len(a), len(b))
    rw = [float(b[i][2]) / float(a[i][2]) for i in range(n)]
    rc = [float(b[i][3]) / float(a[i][3]) for i in range(n)]
    rm = [float(b[i][4]) / float(a[i][4]) for i in range(n)]
    med = lambda xs, k: st.median(float(x[k]) for x in xs)
    print(f"| {p} | {med(a,2):.2f} | {med(b,2):.2f} | {st.median(rw):.2f} | {st.median(rc):.2f} | {med(a,4)/1024:.0f} | {med(b,4)/1024:.0f} | {st.median(rm):.2f} |")
PY
