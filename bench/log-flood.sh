#!/usr/bin/env bash
# A build that prints RATE lines a second (default 1,000) for DURATION seconds (default 600) while a read:sensitive
# client polls GET /api/v1/deployments/{uuid} — the whole log in `logs` — every POLL seconds (default 2), as
# Coolify's CLI does with `--follow`. The server's RSS at the end must stay within GOAL (1.2) times its RSS one
# minute in: a log that grows tenfold must not grow what a read of it holds in memory. Results go into the
# "log-flood" section of docs/benchmarks.md.
#
#   bench/log-flood.sh                       # the full 10 minutes
#   DURATION=120 bench/log-flood.sh          # a quicker look (RSS compared at 1 min and at the end)
#   NO_DOCS=1 bench/log-flood.sh             # print the section, leave docs/benchmarks.md alone
#
# Exits non-zero when the deployment fails, lines are missing or a poll is not 200; missing the goal is reported.
set -euo pipefail

NAME=log-flood
DURATION=${DURATION:-600}
RATE=${RATE:-1000}
POLL=${POLL:-2}
BASELINE_AT=${BASELINE_AT:-60}
GOAL=1.2
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

((DURATION > BASELINE_AT)) || die "DURATION ($DURATION s) must be longer than BASELINE_AT ($BASELINE_AT s)"
require_tools jq curl sqlite3 awk
build_release src/Slipway.Cli
# The server runs from a copy: a build elsewhere in the tree while this runs must not replace its files.
cp -r "$BIN/Slipway.Cli/release" "$WORK/bin"
SLIPWAY="$WORK/bin/slipway"

start_slipway
placement
# The flood must be stored as printed (see record_legacy_builder).
record_legacy_builder "$WORK/data/slipway.db" "$SERVER_UUID"
# What a CI client following a deployment's log holds: read and read:sensitive (logs are in the answer).
SENSITIVE_TOKEN=$("$SLIPWAY" tokens create --name bench-follow --abilities read,read:sensitive --data-dir "$WORK/data" | tail -1)
[[ -n "$SENSITIVE_TOKEN" ]] || die "could not create a read:sensitive token"
# The script's own status checks read without logs, so they add nothing to what is measured.
READ_TOKEN=$("$SLIPWAY" tokens create --name bench-status --abilities read --data-dir "$WORK/data" | tail -1)
[[ -n "$READ_TOKEN" ]] || die "could not create a read token"

PORT=$(free_port)
# RATE lines of ~95 characters every second for DURATION seconds, from busybox in the local test image.
DOCKERFILE="FROM $TEST_IMAGE
RUN i=0; while [ \$i -lt $DURATION ]; do busybox seq \$((i * $RATE + 1)) \$(((i + 1) * $RATE)) | busybox awk '{ printf \"flood line %09d: a build that never stops talking, the quick brown fox jumps\\n\", \$1 }'; i=\$((i + 1)); sleep 1; done
RUN mkdir -p /www && echo ok > /www/index.html
CMD [\"sh\", \"-c\", \"exec httpd -f -p \\\"\$PORT\\\" -h /www\"]"
APP=$(api POST /applications/dockerfile "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg d "$DOCKERFILE" --arg port "$PORT" '{
    project_uuid: $p, environment_name: "production", server_uuid: $s, name: "bench-log-flood", dockerfile: $d,
    ports_exposes: $port, custom_docker_run_options: "--network host",
    health_check_enabled: true, health_check_start_period: 0, health_check_interval: 1, health_check_retries: 30 }')" | jq -r .uuid)
BENCH_CLEANUP+=("remove_application_leftovers $APP")
log "application $APP; the build prints $RATE lines/s for $DURATION s; a read:sensitive GET every $POLL s"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SLIPWAY_PID/status"; }

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
RSS_BEFORE=$(rss_kib)
T0=$(now_ns)
DEP=$(api POST "/deploy?uuid=$APP&force=true" | jq -r '.deployments[0].deployment_uuid')
[[ "$DEP" != null ]] || die "deploy failed"
URL="$SLIPWAY_URL/api/v1/deployments/$DEP"

# Samplers: the server's RSS every second; the follower's GET (whole answer read, then thrown away) every POLL s.
( trap 'exit 0' TERM
  while :; do echo "$(( ($(now_ns) - T0) / 1000000 )) $(rss_kib)"; sleep 1; done ) >"$WORK/rss" &
BENCH_PIDS+=($!); RSS_SAMPLER=$!
( trap 'exit 0' TERM
  while :; do
    curl -s -o /dev/null -w "$(( ($(now_ns) - T0) / 1000000 )) %{http_code} %{time_total} %{size_download}\n" \
      -H "Authorization: Bearer $SENSITIVE_TOKEN" "$URL" || echo "0 000 0 0"
    sleep "$POLL"
  done ) >"$WORK/polls" &
BENCH_PIDS+=($!); POLLER=$!

STATUS=queued
while :; do
  alive
  STATUS=$(curl -fsS -H "Authorization: Bearer $READ_TOKEN" "$URL" | jq -r .status 2>/dev/null || echo "?")
  [[ "$STATUS" == queued || "$STATUS" == in_progress || "$STATUS" == "?" ]] || break
  sleep 5
done
ELAPSED_MS=$(ms_since "$T0")
kill "$RSS_SAMPLER" "$POLLER" 2>/dev/null || true
wait "$RSS_SAMPLER" "$POLLER" 2>/dev/null || true
RSS_AFTER=$(rss_kib)
[[ "$STATUS" == finished ]] || die "the deployment ended $STATUS: $(sqlite3 "$WORK/data/slipway.db" "SELECT output FROM deployment_log_entries ORDER BY id DESC LIMIT 20")"

# --- what was stored and measured ------------------------------------------------------------------------------
DB="$WORK/data/slipway.db"
DEP_ID=$(sqlite3 -readonly "$DB" "SELECT id FROM application_deployment_queues WHERE deployment_uuid = '$DEP'")
STORED=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM deployment_log_entries WHERE deployment_id = $DEP_ID AND output LIKE 'flood line %'")
EXPECTED=$((DURATION * RATE))
[[ "$STORED" == "$EXPECTED" ]] || die "stored $STORED flood lines, expected $EXPECTED"
# When the flood started (seconds since the deploy) and how long it lasted, by the stored lines' own timestamps.
FLOOD_SECONDS=$(sqlite3 -readonly "$DB" "SELECT round((julianday(max(timestamp)) - julianday(min(timestamp))) * 86400, 1)
  FROM deployment_log_entries WHERE deployment_id = $DEP_ID AND output LIKE 'flood line %'")
FLOOD_START_S=$(sqlite3 -readonly "$DB" "SELECT round((julianday(min(e.timestamp)) - julianday(d.created_at)) * 86400, 1)
  FROM deployment_log_entries e JOIN application_deployment_queues d ON d.id = e.deployment_id WHERE d.id = $DEP_ID AND e.output LIKE 'flood line %'")

awk '$2 != 200 { bad = 1; print } END { exit bad }' "$WORK/polls" >"$WORK/bad-polls" || die "polls that were not 200: $(head -3 "$WORK/bad-polls")"
POLLS=$(wc -l <"$WORK/polls")
# RSS one minute into the flood and at its end: the median of the samples within 5 s of each moment.
rss_at() { awk -v t="$1" '$1 >= (t - 5) * 1000 && $1 <= (t + 5) * 1000 { print $2 }' "$WORK/rss" | median; }
AT_BASE=$(awk -v s="$FLOOD_START_S" -v b="$BASELINE_AT" 'BEGIN { printf "%d", s + b }')
AT_END=$(awk -v s="$FLOOD_START_S" -v f="$FLOOD_SECONDS" 'BEGIN { printf "%d", s + f }')
RSS_BASE=$(rss_at "$AT_BASE")
RSS_END=$(rss_at "$AT_END")
[[ -n "$RSS_BASE" && -n "$RSS_END" ]] || die "no RSS samples around ${AT_BASE} s and ${AT_END} s"
RSS_MAX=$(awk -v a="$AT_BASE" '$1 >= a * 1000 && $2 > m { m = $2 } END { print m }' "$WORK/rss")
RATIO=$(awk -v e="$RSS_END" -v b="$RSS_BASE" 'BEGIN { printf "%.2f", e / b }')
VERDICT=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r <= g) ? "met" : "missed" }')
# The answers the follower got: size (MB) and time, one minute in and at the end.
poll_near() { awk -v t="$1" 'function abs(x) { return x < 0 ? -x : x } NR == 1 || abs($1 - t * 1000) < best { best = abs($1 - t * 1000); line = $0 } END { print line }' "$WORK/polls"; }
read -r _ _ BASE_TIME BASE_SIZE < <(poll_near "$AT_BASE")
read -r _ _ END_TIME END_SIZE < <(poll_near "$AT_END")
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
POLL_P50=$(awk '{ print $3 * 1000 }' "$WORK/polls" | percentile 50)
POLL_MAX=$(awk '{ print $3 * 1000 }' "$WORK/polls" | percentile 100)

SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/log-flood.sh) -->"
  echo "### Latest run"
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| flood lines stored (all of them) | $STORED of $EXPECTED, printed over $FLOOD_SECONDS s from ${FLOOD_START_S} s after the deploy |"
  echo "| deployment, \`POST /deploy\` → \`finished\` seen | $(awk -v m="$ELAPSED_MS" 'BEGIN { printf "%.0f", m / 1000 }') s |"
  echo "| server RSS ${BASELINE_AT} s into the flood / at its end / highest after ${BASELINE_AT} s | $(mib "$RSS_BASE") / $(mib "$RSS_END") / $(mib "$RSS_MAX") MiB |"
  echo "| **RSS at the end / RSS at ${BASELINE_AT} s** (goal ≤ $GOAL: **$VERDICT**) | **$RATIO** |"
  echo "| the follower's answer ${BASELINE_AT} s in / at the end | $(mb "$BASE_SIZE") MB in ${BASE_TIME} s / $(mb "$END_SIZE") MB in ${END_TIME} s |"
  echo "| read:sensitive polls (every $POLL s after the previous answer): p50 / max | $POLL_P50 / $POLL_MAX ms ($POLLS polls, all 200) |"
  echo "| server RSS before the deploy / after it finished | $(mib "$RSS_BEFORE") / $(mib "$RSS_AFTER") MiB |"
  echo
  echo "- Machine: $(machine_note)."
  echo "- Command: \`DURATION=$DURATION RATE=$RATE POLL=$POLL BASELINE_AT=$BASELINE_AT bench/log-flood.sh\`"
  echo
  echo "<details><summary>RSS (s since the deploy: MiB) every 30 s; polls (s since the deploy: MB answered in s) every 15th</summary>"
  echo
  echo '```'
  awk 'NR % 30 == 1 { printf "%s%d:%.0f", (n++ ? " " : ""), $1 / 1000, $2 / 1024 } END { print "" }' "$WORK/rss"
  awk 'NR % 15 == 1 { printf "%s%d:%.1f/%.2f", (n++ ? " " : ""), $1 / 1000, $4 / 1048576, $3 } END { print "" }' "$WORK/polls"
  echo '```'
  echo "</details>"
  echo "<!-- $NAME:end -->"
} >"$SECTION"
write_section "$SECTION"
