#!/usr/bin/env bash
# Authenticated GET /api/v1/deployments/{uuid} against a bare Kestrel endpoint answering a constant body of
# the same size: same machine, same run, same load tool (wrk), targets alternated over several rounds.
# Results go into the "api-read" section of docs/benchmarks.md; the method is described there.
#
#   bench/api-read.sh                      # 5 rounds x 10 s per target, 16 connections, sensitive at 1
#   ROUNDS=3 DURATION=5s bench/api-read.sh # a quicker look
#   NO_DOCS=1 bench/api-read.sh            # print the section, leave docs/benchmarks.md alone
#   BUSY=1 bench/api-read.sh               # while another deployment runs: a log row committed every 50 ms
#   COMPARE_REF=6de2aa2 bench/api-read.sh  # also serve the read from that commit's build, alternated in the same rounds
#   WRK_TIMEOUT=2s bench/api-read.sh        # wrk's per-request timeout (default 10 s: a loaded 2-core machine queues past wrk's 2 s)
#
# Exits non-zero when a server dies, a response is not 2xx, wrk reports socket errors or timeouts, or a
# response is not what the benchmark claims to measure. Missing the speed goal is reported, not an error.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-16}
SENSITIVE_CONNECTIONS=${SENSITIVE_CONNECTIONS:-1}
LOG_LINES=${LOG_LINES:-5000}
BUSY=${BUSY:-}
COMPARE_REF=${COMPARE_REF:-}
SECTION_NAME=api-read${BUSY:+-busy}${COMPARE_REF:+-compare}

NAME=api-read
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SLIPWAY_PID=""
BARE_PID=""
BASE_PID=""

wait_ready() { # url pid name
  for _ in $(seq 1 150); do
    kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (log: $WORK/$3.log): $(tail -5 "$WORK/$3.log")"
    curl -fs -o /dev/null "$1" && return
    sleep 0.2
  done
  die "$3 did not answer $1 within 30 s"
}

alive() {
  kill -0 "$SLIPWAY_PID" 2>/dev/null || die "slipway serve died (log: $WORK/slipway.log)"
  kill -0 "$BARE_PID" 2>/dev/null || die "the bare server died (log: $WORK/bare.log)"
  [[ -z "$BASE_PID" ]] || kill -0 "$BASE_PID" 2>/dev/null || die "the $COMPARE_REF server died (log: $WORK/base.log)"
}

# wrk's latency figures come with units; milliseconds everywhere here.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
  if (f < 0) exit 1; printf "%.3f", n * f }'; }

# run LABEL URL TOKEN CONNECTIONS DURATION -> appends "label rps p50 p99" to $WORK/results
run() {
  local label=$1 url=$2 token=$3 conns=$4 duration=$5 out
  out="$WORK/wrk-$label-$(date +%s%N).txt"
  wrk -t1 -c"$conns" -d"$duration" --timeout "${WRK_TIMEOUT:-10s}" --latency -H "Authorization: Bearer $token" "$url" >"$out" 2>&1 \
    || die "wrk failed for $label: $(cat "$out")"
  alive
  grep -q 'Non-2xx' "$out" && die "$label: non-2xx responses: $(grep 'Non-2xx' "$out")"
  grep -q 'Socket errors' "$out" && die "$label: $(grep 'Socket errors' "$out")"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  [[ -n "$rps" && -n "$p50" && -n "$p99" ]] || die "could not read wrk's output for $label: $(cat "$out")"
  echo "$label $rps $p50 $p99" >>"$WORK/results"
  log "$(printf '%-10s %10s req/s  p50 %8s ms  p99 %8s ms' "$label" "$rps" "$p50" "$p99")"
}

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"

log "building Release"
for project in src/Slipway.Cli bench/Slipway.Bench.Seed bench/Slipway.Bench.Bare; do
  dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || die "build of $project failed: $(tail -20 "$WORK/build.log")"
done
BIN="$ROOT/artifacts/bin"
if [[ -n "$COMPARE_REF" ]]; then
  # The other commit is built in a worktree of its own and serves a copy of the same seeded data.
  build_compare_ref "$COMPARE_REF"
fi

log "seeding $WORK/data with $LOG_LINES log rows"
"$BIN/Slipway.Bench.Seed/release/Slipway.Bench.Seed" --data-dir "$WORK/data" --log-lines "$LOG_LINES" >"$WORK/seed.json" 2>"$WORK/seed.log" \
  || die "seed failed: $(cat "$WORK/seed.log")"
UUID=$(jq -r .deploymentUuid "$WORK/seed.json")
READ_TOKEN=$(jq -r .readToken "$WORK/seed.json")
SENSITIVE_TOKEN=$(jq -r .sensitiveToken "$WORK/seed.json")
SEED_NOTE=$(cat "$WORK/seed.log")
[[ -z "$COMPARE_REF" ]] || cp -a "$WORK/data" "$WORK/data-base"

SLIPWAY_PORT=$(free_port)
"$BIN/Slipway.Cli/release/slipway" serve --urls "http://127.0.0.1:$SLIPWAY_PORT" --data-dir "$WORK/data" >"$WORK/slipway.log" 2>&1 &
SLIPWAY_PID=$!
BENCH_PIDS+=("$SLIPWAY_PID")
wait_ready "http://127.0.0.1:$SLIPWAY_PORT/api/health" "$SLIPWAY_PID" slipway
SLIPWAY_URL="http://127.0.0.1:$SLIPWAY_PORT/api/v1/deployments/$UUID"

# The bare body is the read-token response itself, so both answer the same bytes.
curl -fsS -o "$WORK/read.json" -H "Authorization: Bearer $READ_TOKEN" "$SLIPWAY_URL" || die "read-token GET failed"
curl -fsS -o "$WORK/sensitive.json" -H "Authorization: Bearer $SENSITIVE_TOKEN" "$SLIPWAY_URL" || die "sensitive GET failed"
jq -e 'has("logs") | not' "$WORK/read.json" >/dev/null || die "the read-token response shows logs"
ENTRIES=$(jq -r '.logs | fromjson | length' "$WORK/sensitive.json")
[[ "$ENTRIES" == "$LOG_LINES" ]] || die "the sensitive response has $ENTRIES log entries, expected $LOG_LINES"
READ_BYTES=$(stat -c %s "$WORK/read.json")
SENSITIVE_BYTES=$(stat -c %s "$WORK/sensitive.json")

if [[ -n "$COMPARE_REF" ]]; then
  BASE_PORT=$(free_port)
  "$WORK/base/artifacts/bin/Slipway.Cli/release/slipway" serve --urls "http://127.0.0.1:$BASE_PORT" --data-dir "$WORK/data-base" >"$WORK/base.log" 2>&1 &
  BASE_PID=$!
  BENCH_PIDS+=("$BASE_PID")
  wait_ready "http://127.0.0.1:$BASE_PORT/api/health" "$BASE_PID" base
  BASE_URL="http://127.0.0.1:$BASE_PORT/api/v1/deployments/$UUID"
  curl -fsS -o "$WORK/base.json" -H "Authorization: Bearer $READ_TOKEN" "$BASE_URL" || die "read-token GET of $COMPARE_COMMIT failed"
  cmp -s "$WORK/base.json" "$WORK/read.json" || die "$COMPARE_COMMIT answers other bytes than this build"
fi

BARE_PORT=$(free_port)
"$BIN/Slipway.Bench.Bare/release/Slipway.Bench.Bare" --urls "http://127.0.0.1:$BARE_PORT" --body "$WORK/read.json" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
BENCH_PIDS+=("$BARE_PID")
BARE_URL="http://127.0.0.1:$BARE_PORT/api/v1/deployments/$UUID"
wait_ready "$BARE_URL" "$BARE_PID" bare
BARE_BYTES=$(curl -fsS "$BARE_URL" | wc -c)
[[ "$BARE_BYTES" == "$READ_BYTES" ]] || die "bare body is $BARE_BYTES bytes, the read response $READ_BYTES"
log "slipway pid $SLIPWAY_PID on :$SLIPWAY_PORT, bare pid $BARE_PID on :$BARE_PORT; bodies $READ_BYTES B (read), $SENSITIVE_BYTES B (sensitive)"

if [[ -n "$BUSY" ]]; then
  # What a running deployment does to the database: the engine's log writer commits a batch every 50 ms.
  command -v sqlite3 >/dev/null || die "BUSY=1 needs the sqlite3 command line (apt-get install sqlite3)"
  RUNNING_ID=$(jq -r .runningDeploymentId "$WORK/seed.json")
  mkfifo "$WORK/writes"
  sqlite3 "$WORK/data/slipway.db" <"$WORK/writes" >"$WORK/writer.log" 2>&1 &
  ( trap 'exit 0' TERM
    echo ".timeout 5000"
    for ((i = 1; ; i++)); do
      echo "INSERT INTO deployment_log_entries (deployment_id, \"order\", type, output, hidden, batch, timestamp)" \
        "VALUES ($RUNNING_ID, $i, 'stdout', '#12 $i.000 added 3 packages, audited 812 in 2s', 0, 1, '2026-11-28 12:00:00');"
      sleep 0.05
    done ) >"$WORK/writes" &
  WRITER_PID=$!
  BENCH_PIDS+=("$WRITER_PID")
  log "busy: log rows committed to deployment $RUNNING_ID every 50 ms (writer pid $WRITER_PID)"
fi

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
log "warming up ($WARMUP each)"
run warm-bare "$BARE_URL" "$READ_TOKEN" "$CONNECTIONS" "$WARMUP"
run warm-read "$SLIPWAY_URL" "$READ_TOKEN" "$CONNECTIONS" "$WARMUP"
run warm-sens "$SLIPWAY_URL" "$SENSITIVE_TOKEN" "$SENSITIVE_CONNECTIONS" "$WARMUP"
[[ -z "$COMPARE_REF" ]] || run warm-base "$BASE_URL" "$READ_TOKEN" "$CONNECTIONS" "$WARMUP"

for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS"
  # Alternate which of the pair goes first so neither always follows the heavy sensitive run.
  if ((round % 2)); then
    run bare "$BARE_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
    run read "$SLIPWAY_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
    [[ -z "$COMPARE_REF" ]] || run base "$BASE_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
  else
    [[ -z "$COMPARE_REF" ]] || run base "$BASE_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
    run read "$SLIPWAY_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
    run bare "$BARE_URL" "$READ_TOKEN" "$CONNECTIONS" "$DURATION"
  fi
  run sensitive "$SLIPWAY_URL" "$SENSITIVE_TOKEN" "$SENSITIVE_CONNECTIONS" "$DURATION"
done

if [[ -n "$BUSY" ]]; then
  grep -qi 'error' "$WORK/writer.log" && die "the background writer failed: $(head -3 "$WORK/writer.log")"
  kill -0 "$WRITER_PID" 2>/dev/null || die "the background writer stopped"
fi

BARE_RPS=$(median_of bare 2); READ_RPS=$(median_of read 2); SENS_RPS=$(median_of sensitive 2)
RATIO=$(awk -v a="$READ_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", a / b }')
ROUND_RATIOS=$(awk '$1 == "bare" { b[++nb] = $2 } $1 == "read" { r[++nr] = $2 }
  END { for (i = 1; i <= nb; i++) printf "%s%.3f", (i > 1 ? ", " : ""), r[i] / b[i] }' "$WORK/results")
SENS_P99=$(median_of sensitive 4)
SENS_P99S=$(awk '$1 == "sensitive" { printf "%s%s", (n++ ? ", " : ""), $4 }' "$WORK/results")
RATIO_OK=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.5) ? "met" : "missed" }')
P99_OK=$(awk -v p="$SENS_P99" 'BEGIN { print (p < 50) ? "met" : "missed" }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo "+dirty")

if [[ -n "$COMPARE_REF" ]]; then
  BASE_RPS=$(median_of base 2)
  BASE_RATIO=$(awk -v a="$BASE_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", a / b }')
  VS_BASE=$(awk -v a="$READ_RPS" -v b="$BASE_RPS" 'BEGIN { printf "%.3f", a / b }')
  VS_BASE_ROUNDS=$(awk '$1 == "base" { b[++nb] = $2 } $1 == "read" { r[++nr] = $2 }
    END { for (i = 1; i <= nb; i++) printf "%s%.3f", (i > 1 ? ", " : ""), r[i] / b[i] }' "$WORK/results")
fi

SECTION="$WORK/section.md"
{
  echo "<!-- $SECTION_NAME:begin (written by bench/api-read.sh) -->"
  if [[ -n "$BUSY" ]]; then echo "### Latest run while another deployment writes its log (BUSY=1)"; else echo "### Latest run"; fi
  echo
  echo "| target | connections | req/s (median) | p50 ms (median) | p99 ms (median) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| bare Kestrel, constant $READ_BYTES B body | $CONNECTIONS | $BARE_RPS | $(median_of bare 3) | $(median_of bare 4) |"
  echo "| slipway, \`read\` token ($READ_BYTES B) | $CONNECTIONS | $READ_RPS | $(median_of read 3) | $(median_of read 4) |"
  [[ -z "$COMPARE_REF" ]] || echo "| slipway at $COMPARE_COMMIT, \`read\` token | $CONNECTIONS | $BASE_RPS | $(median_of base 3) | $(median_of base 4) |"
  echo "| slipway, \`read:sensitive\` token (logs, $SENSITIVE_BYTES B) | $SENSITIVE_CONNECTIONS | $SENS_RPS | $(median_of sensitive 3) | $SENS_P99 |"
  echo
  echo "- **read / bare = $RATIO** (ratio of medians; goal ≥ 0.5: **$RATIO_OK**). Per round: $ROUND_RATIOS."
  [[ -z "$COMPARE_REF" ]] || echo "- **read / read at $COMPARE_COMMIT = $VS_BASE** (this build against $COMPARE_REF in the same rounds; $COMPARE_COMMIT / bare = $BASE_RATIO). Per round: $VS_BASE_ROUNDS."
  echo "- **sensitive p99 = $SENS_P99 ms** (median of the rounds; goal < 50 ms: **$P99_OK**). Per round: $SENS_P99S ms."
  echo "- $ROUNDS rounds × $DURATION per target after a $WARMUP warm-up each; \`wrk -t1 --latency\`; the bare/read${COMPARE_REF:+/base} order alternates per round."
  echo "- Seed: $SEED_NOTE"
  echo "- Machine: \`nproc\` = $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "load average before the run $LOAD_BEFORE; $(dotnet --version) SDK; $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'); commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "- Command: \`${BUSY:+BUSY=1 }${COMPARE_REF:+COMPARE_REF=$COMPARE_REF }ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS SENSITIVE_CONNECTIONS=$SENSITIVE_CONNECTIONS bench/api-read.sh\`"
  echo
  echo "<details><summary>Every measurement (label, req/s, p50 ms, p99 ms)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- $SECTION_NAME:end -->"
} >"$SECTION"

write_section "$SECTION" "$SECTION_NAME"
