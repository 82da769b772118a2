#!/usr/bin/env bash
# Builds Coffer and runs it. With arguments, they are passed to `coffer` as they are.
# Without arguments, runs the default job on the embedded default: backs up ./src (or
# $COFFER_DEMO_SOURCE) into a local repository in ./.coffer-demo (created on first use, password kept
# in ./.coffer-demo/password), then lists the snapshots and the newest one's files.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish src/Coffer.Cli -c Release -o out -nologo -v q >/dev/null
coffer=./out/coffer

if [ $# -gt 0 ]; then
  exec "$coffer" "$@"
fi

demo=.coffer-demo
mkdir -p "$demo"
[ -f "$demo/password" ] || { head -c 24 /dev/urandom | base64 > "$demo/password"; chmod 600 "$demo/password"; }
export COFFER_REPOSITORY="$demo/repo" COFFER_PASSWORD_FILE="$demo/password"
[ -f "$demo/repo/config" ] || "$coffer" init
"$coffer" backup "${COFFER_DEMO_SOURCE:-src}" --exclude bin --exclude obj
"$coffer" snapshots
"$coffer" ls latest | head -n 20 || true
