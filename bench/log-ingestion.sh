#!/usr/bin/env bash
# A deployment whose image build prints LINES lines (default 200,000) as fast as the builder streams them:
# the time per 10,000 lines as stored (from the log rows' own timestamps) must stay flat, the server's memory
# bounded, and GET /api/v1/deployments/{uuid} fast while it happens. Results go into the "log-ingestion"
# section of docs/benchmarks.md.
#
#   bench/log-ingestion.sh                 # 200,000 lines
#   LINES=50000 bench/log-ingestion.sh     # a quicker look
#   NO_DOCS=1 bench/log-ingestion.sh       # print the section, leave docs/benchmarks.md alone
#
# Exits non-zero when the deployment fails, a line is missing or a GET is not 200; missing a goal is reported.
set -euo pipefail

NAME=log-ingestion
LINES=${LINES:-200000}
BLOCK=${BLOCK:-10000}
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-0.1}
GOAL=1.5
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

((LINES % BLOCK == 0 && LINES >= 2 * BLOCK)) || die "LINES must be a multiple of BLOCK ($BLOCK), at least two blocks"
require_tools jq curl sqlite3 awk
build_release src/Slipway.Cli

start_slipway
placement
# The build lines must be stored as printed (see record_legacy_builder).
record_legacy_builder "$WORK/data/slipway.db" "$SERVER_UUID"
# A read token: GET /deployments/{uuid} without the logs, what a client polling for the status sends.
READ_TOKEN=$("$SLIPWAY" tokens create --name bench-read --abilities read --data-dir "$WORK/data" | tail -1)
[[ -n "$READ_TOKEN" ]] || die "could not create a read token"

PORT=$(free_port)
# ~95 characters a line, like a chatty compiler. busybox's seq and awk, in the local test image.
DOCKERFILE="FROM $TEST_IMAGE
RUN busybox seq 1 $LINES | busybox awk '{ printf \"build line %07d: compiling module %d of $LINES, the quick brown fox jumps\\n\", \$1, \$1 }'
RUN mkdir -p /www && echo ok > /www/index.html
CMD [\"sh\", \"-c\", \"exec httpd -f -p \\\"\$PORT\\\" -h /www\"]"
APP=$(api POST /applications/dockerfile "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg d "$DOCKERFILE" --arg port "$PORT" '{
    project_uuid: $p, environment_name: "production", server_uuid: $s, name: "bench-chatty-build", dockerfile: $d,
    ports_exposes: $port, custom_docker_run_options: "--network host",
    health_check_enabled: true, health_check_start_period: 0, health_check_interval: 1, health_check_retries: 30 }')" | jq -r .uuid)
BENCH_CLEANUP+=("remove_application_leftovers $APP")
log "application $APP; the build prints $LINES lines"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SLIPWAY_PID/status"; }

# Warm the read path first, so its first-call JIT does not count as latency under load.
for _ in $(seq 1 20); do curl -fs -o /dev/null -H "Authorization: Bearer $READ_TOKEN" "$SLIPWAY_URL/api/v1/deployments/none" || true; done
RSS_BEFORE=$(rss_kib)
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

T0=$(now_ns)
DEP=$(api POST "/deploy?uuid=$APP&force=true" | jq -r '.deployments[0].deployment_uuid')
[[ "$DEP" != null ]] || die "deploy failed"
URL="$SLIPWAY_URL/api/v1/deployments/$DEP"

# Samplers: the server's RSS, and one GET at a time with the read token, for as long as the deployment runs.
( trap 'exit 0' TERM
  while :; do echo "$(( ($(now_ns) - T0) / 1000000 )) $(rss_kib)"; sleep "$SAMPLE_INTERVAL"; done ) >"$WORK/rss" &
BENCH_PIDS+=($!); RSS_SAMPLER=$!
( trap 'exit 0' TERM
  while :; do
    curl -s -o "$WORK/get-body" -w "$(( ($(now_ns) - T0) / 1000000 )) %{http_code} %{time_total}\n" \
      -H "Authorization: Bearer $READ_TOKEN" "$URL" || echo "0 000 0"
    sleep "$SAMPLE_INTERVAL"
  done ) >"$WORK/gets" &
BENCH_PIDS+=($!); GET_SAMPLER=$!

while :; do
  alive
  STATUS=$(curl -fsS -H "Authorization: Bearer $READ_TOKEN" "$URL" | jq -r .status)
  [[ "$STATUS" == queued || "$STATUS" == in_progress ]] || break
  sleep 1
done
ELAPSED_MS=$(ms_since "$T0")
kill "$RSS_SAMPLER" "$GET_SAMPLER" 2>/dev/null || true
wait "$RSS_SAMPLER" "$GET_SAMPLER" 2>/dev/null || true
RSS_AFTER=$(rss_kib)
[[ "$STATUS" == finished ]] || die "the deployment ended $STATUS: $(sqlite3 "$WORK/data/slipway.db" "SELECT output FROM deployment_log_entries ORDER BY id DESC LIMIT 30")"

# --- what was stored ------------------------------------------------------------------------------------------
DB="$WORK/data/slipway.db"
DEP_ID=$(sqlite3 -readonly "$DB" "SELECT id FROM application_deployment_queues WHERE deployment_uuid = '$DEP'")
sqlite3 -readonly -separator ' ' "$DB" "SELECT \"order\", timestamp, substr(output, 12, 7) FROM deployment_log_entries
  WHERE deployment_id = $DEP_ID AND output LIKE 'build line %' ORDER BY \"order\"" >"$WORK/lines"
STORED=$(wc -l <"$WORK/lines")
TOTAL_ROWS=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM deployment_log_entries WHERE deployment_id = $DEP_ID")
[[ "$STORED" == "$LINES" ]] || die "stored $STORED build lines, expected $LINES"
# In order, none twice: the n-th stored build line is line n.
awk '$4 + 0 != NR { print "line " NR " is " $4; exit 1 }' "$WORK/lines" || die "build lines stored out of order or duplicated"

# Seconds per block of BLOCK lines: from the timestamp of the block's first line to the next block's first line
# (the last block ends at its last line, so it spans one line fewer).
awk -v block="$BLOCK" '
  function secs(d, t,   h) { split(t, h, ":"); return h[1] * 3600 + h[2] * 60 + h[3] }
  { t[NR] = secs($2, $3) }
  END { n = NR / block; for (k = 1; k <= n; k++) { a = t[(k - 1) * block + 1]; b = (k < n) ? t[k * block + 1] : t[NR]; printf "%d %.3f\n", k, b - a } }' \
  "$WORK/lines" >"$WORK/blocks"
FIRST=$(awk 'NR == 1 { print $2 }' "$WORK/blocks")
LAST=$(awk 'END { print $2 }' "$WORK/blocks")
RATIO=$(awk -v a="$LAST" -v b="$FIRST" 'BEGIN { printf "%.2f", a / b }')
FLAT_OK=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r <= g) ? "met" : "missed" }')
SPAN=$(awk '{ s += $2 } END { printf "%.1f", s }' "$WORK/blocks")
RATE=$(awk -v n="$LINES" -v s="$SPAN" 'BEGIN { printf "%.0f", n / s }')
BLOCK_MEDIAN=$(awk '{ print $2 }' "$WORK/blocks" | median)
BLOCK_MIN=$(awk '{ print $2 }' "$WORK/blocks" | sort -g | head -1)
BLOCK_MAX=$(awk '{ print $2 }' "$WORK/blocks" | sort -g | tail -1)

RSS_MAX=$(awk '$2 > m { m = $2 } END { print m }' "$WORK/rss")
RSS_SAMPLES=$(wc -l <"$WORK/rss")
awk '$2 != 200 { bad = 1; print } END { exit bad }' "$WORK/gets" >"$WORK/bad-gets" || die "GETs that were not 200: $(head -3 "$WORK/bad-gets")"
GET_COUNT=$(wc -l <"$WORK/gets")
get_ms() { awk '{ print $3 * 1000 }' "$WORK/gets" | percentile "$1"; }
GET_P50=$(get_ms 50); GET_P99=$(get_ms 99); GET_MAX=$(get_ms 100)
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/log-ingestion.sh) -->"
  echo "### Latest run"
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| build lines stored (in order, none missing) | $STORED of $LINES ($TOTAL_ROWS log rows in all) |"
  echo "| deployment, \`POST /deploy\` → \`finished\` seen | $(awk -v m="$ELAPSED_MS" 'BEGIN { printf "%.1f", m / 1000 }') s |"
  echo "| s per $BLOCK lines: first / median / last (min–max) | $FIRST / $BLOCK_MEDIAN / $LAST ($BLOCK_MIN–$BLOCK_MAX) |"
  echo "| **last / first** (goal ≤ $GOAL: **$FLAT_OK**) | **$RATIO** |"
  echo "| ingestion rate over the build output | $RATE lines/s |"
  echo "| server RSS: before / highest during / after | $(mib "$RSS_BEFORE") / $(mib "$RSS_MAX") / $(mib "$RSS_AFTER") MiB ($RSS_SAMPLES samples) |"
  echo "| \`GET /deployments/{uuid}\` (\`read\` token) meanwhile: p50 / p99 / max | $GET_P50 / $GET_P99 / $GET_MAX ms ($GET_COUNT requests, all 200) |"
  echo
  echo "- Machine: $(machine_note)."
  echo "- Command: \`LINES=$LINES BLOCK=$BLOCK SAMPLE_INTERVAL=$SAMPLE_INTERVAL bench/log-ingestion.sh\`"
  echo
  echo "<details><summary>Seconds per block of $BLOCK lines, in order; RSS (ms since the deploy, KiB) every 10th sample</summary>"
  echo
  echo '```'
  awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 } END { print "" }' "$WORK/blocks"
  awk 'NR % 10 == 1' "$WORK/rss" | awk '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $1, $2 } END { print "" }'
  echo '```'
  echo "</details>"
  echo "<!-- $NAME:end -->"
} >"$SECTION"
write_section "$SECTION"
