#!/usr/bin/env bash
# The log-follow benchmark (docs/benchmarks.md, "log-follow"): a follower of a long build log receives every
# line; the delay from a line being stored to `slipway logs --follow` printing it (p50, p99); the server's RSS
# with many followers. Prints a Markdown block of results.
#
#   bench/log-follow.sh                          writer source, 100,000 lines at 2,000 lines/s, 50 followers
#   RATE=0 bench/log-follow.sh                   the same lines as fast as the writer takes them (a `seq` burst)
#   SOURCE=engine bench/log-follow.sh            a real build printing the lines (needs the engine, Docker and
#                                                the slipway-test/busybox image that ./test.sh builds)
#   LINES=10000 FOLLOWERS=5 bench/log-follow.sh  smaller
set -euo pipefail

REPO="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$REPO"
SOURCE="${SOURCE:-writer}"
LINES="${LINES:-100000}"
RATE="${RATE:-2000}"
FOLLOWERS="${FOLLOWERS:-50}"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build src/Slipway.Cli/Slipway.Cli.csproj -c Release -nologo -v q >/dev/null
dotnet build bench/Slipway.Bench.LogFollow/Slipway.Bench.LogFollow.csproj -c Release -nologo -v q >/dev/null

echo "### log-follow: SOURCE=$SOURCE LINES=$LINES RATE=$RATE FOLLOWERS=$FOLLOWERS ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD))"
echo
exec artifacts/bin/Slipway.Bench.LogFollow/release/Slipway.Bench.LogFollow run --source "$SOURCE" --lines "$LINES" \
  --rate "$RATE" --followers "$FOLLOWERS" --slipway artifacts/bin/Slipway.Cli/release/slipway
