#!/usr/bin/env bash
# CPU profile of slipway serving GET /api/v1/deployments/{uuid} under wrk load, by request stage.
#
#   bench/profile/profile-api-read.sh read        # read token, 16 connections
#   bench/profile/profile-api-read.sh sensitive   # read:sensitive token (logs), 1 connection
#
# Needs perf (apt-get install linux-perf), wrk, jq and a Release build (bench/api-read.sh makes one). Seeds a
# temporary data dir, starts slipway with the JIT's perf map on, loads it for WARM seconds, records RECORD
# seconds of perf samples under the same load, prints the stage table (perf-categories.py) and stops what it
# started. Set KEEP_WORK=1 to keep perf.data and the perf script output.
set -euo pipefail
KIND=${1:-read}
WARM=${WARM:-30}
SECONDS_RECORDED=${RECORD:-12}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$ROOT/artifacts/bin"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-profile.XXXXXX")
PID=""
stop() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap stop EXIT

case "$KIND" in
  read) TOKEN_KEY=readToken; CONNECTIONS=${CONNECTIONS:-16} ;;
  sensitive) TOKEN_KEY=sensitiveToken; CONNECTIONS=${CONNECTIONS:-1} ;;
  *) echo "usage: $0 read|sensitive" >&2; exit 2 ;;
esac
for tool in perf wrk jq; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }; done
[[ -x "$BIN/Slipway.Cli/release/slipway" && -x "$BIN/Slipway.Bench.Seed/release/Slipway.Bench.Seed" ]] \
  || { echo "no Release build: run bench/api-read.sh or dotnet build -c Release first" >&2; exit 1; }

"$BIN/Slipway.Bench.Seed/release/Slipway.Bench.Seed" --data-dir "$WORK/data" >"$WORK/seed.json" 2>/dev/null
PORT=$((20000 + RANDOM % 40000))
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  "$BIN/Slipway.Cli/release/slipway" serve --urls "http://127.0.0.1:$PORT" --data-dir "$WORK/data" >"$WORK/slipway.log" 2>&1 &
PID=$!
for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/health" && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT/api/v1/deployments/$(jq -r .deploymentUuid "$WORK/seed.json")"
HEADER="Authorization: Bearer $(jq -r ".$TOKEN_KEY" "$WORK/seed.json")"

wrk -t1 -c"$CONNECTIONS" -d"${WARM}s" -H "$HEADER" "$URL" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$((SECONDS_RECORDED + 4))s" --latency -H "$HEADER" "$URL" >"$WORK/wrk.txt" &
LOAD=$!
sleep 2
perf record -F 999 -g -p "$PID" -o "$WORK/perf.data" -- sleep "$SECONDS_RECORDED" 2>/dev/null
wait "$LOAD"
grep -E 'Requests/sec|Non-2xx|Socket errors' "$WORK/wrk.txt" || true
perf script -i "$WORK/perf.data" >"$WORK/perf.txt" 2>/dev/null
python3 "$ROOT/bench/profile/perf-categories.py" "$WORK/perf.txt"
