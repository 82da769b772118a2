#!/usr/bin/env bash
# Runs every test of the project. Installs what the tests need first (the restic binary used as the
# interoperability oracle, zstd, unzip, tar ...) when it is missing and this user may install packages.
# Prints per-project results and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v restic >/dev/null 2>&1 || need+=(restic)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v tar >/dev/null 2>&1 || need+=(tar)
command -v setfacl >/dev/null 2>&1 || need+=(acl)
[ -e /usr/lib/x86_64-linux-gnu/libzstd.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libzstd.so.1 ] || need+=(libzstd1)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing test dependencies: ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
      || echo "warning: could not install ${need[*]}; tests that need them will fail"
  else
    echo "warning: missing ${need[*]} (run as root or install them with apt-get); tests that need them will fail"
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Coffer.slnx -c Release -nologo -v q -m:2 || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
status=0
one=$(mktemp)
for proj in tests/Coffer.*.Tests/*.csproj; do
  dotnet test "$proj" -c Release --no-build -nologo > "$one" 2>&1
  rc=$?
  cat "$one" >> "$log"
  grep -E "^(Passed!|Failed!)|\[FAIL\]|error" "$one" || true
  if [ "$rc" != 0 ]; then
    status=1
    grep -E "^\s+(Failed |Error Message:)" -A4 "$one" | head -40 || true
  fi
done
rm -f "$one"

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$status" = 0 ]
