# Shared by the compare-*.sh scripts: timing under GNU time, alternating order, the summary table.
# Expects OUT (a directory for logs) and RESULTS (a TSV file) to be set by the caller.

# timed PHASE TOOL COMMAND...: runs COMMAND under GNU time and appends "phase tool wall cpu peakKiB".
timed() {
  local phase=$1 tool=$2; shift 2
  sync; sleep 1
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$tool-$phase.log" 2>&1 || { echo "$tool $phase failed:"; tail -5 "$OUT/$tool-$phase.log"; exit 1; }
  read -r wall user sys rss < "$OUT/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$phase" "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$RESULTS"
  printf '%-10s %-7s wall %6ss cpu %7ss rss %8s KiB\n' "$phase" "$tool" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}

# order RUN: which tool goes first in this run (alternates, so machine drift hits both alike).
order() { if (( $1 % 2 )); then echo "restic coffer"; else echo "coffer restic"; fi; }

# summary: medians per tool and the median of per-pair ratios (Coffer / restic), as a Markdown table.
summary() {
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
    rc = [float(b[i][3]) / max(0.01, float(a[i][3])) for i in range(n)]
    rm = [float(b[i][4]) / float(a[i][4]) for i in range(n)]
    med = lambda xs, k: st.median(float(x[k]) for x in xs)
    print(f"| {p} | {med(a,2):.2f} | {med(b,2):.2f} | {st.median(rw):.2f} | {st.median(rc):.2f} | {med(a,4)/1024:.0f} | {med(b,4)/1024:.0f} | {st.median(rm):.2f} |")
PY
}

# coffer_binary ROOT BENCH: publishes Coffer unless COFFER names a binary; prints its path.
coffer_binary() {
  if [[ -n "${COFFER:-}" ]]; then echo "$COFFER"; return; fi
  dotnet publish "$1/src/Coffer.Cli" -c Release -o "$2/coffer-bin" -nologo -v q >/dev/null
  echo "$2/coffer-bin/coffer"
}
