#!/usr/bin/env bash
# DEPLOYMENTS queued no-op deployments (default 500) over APPS applications (default 50) drain with every limit
# respected: at most concurrent_builds in progress on the server, at most one per application, each
# application's deployments in the order they were queued. Reports the engine's dispatch overhead per
# deployment. Results go into the "scheduler" section of docs/benchmarks.md.
#
#   bench/scheduler.sh                          # 500 over 50 applications, concurrent_builds 2
#   CONCURRENT=4 WORK_MS=100 bench/scheduler.sh # 4 slots, each deployment's docker run taking 100 ms
#   NO_DOCS=1 bench/scheduler.sh                # print the section, leave docs/benchmarks.md alone
#
# The server is bench/Slipway.Bench.NoopServe: `slipway serve` whose commands are answered at once without
# running (see its NoopTargets), so what is timed is the engine. Exits non-zero when a limit is broken or a
# deployment does not finish.
set -euo pipefail

NAME=scheduler
DEPLOYMENTS=${DEPLOYMENTS:-500}
APPS=${APPS:-50}
CONCURRENT=${CONCURRENT:-2}
WORK_MS=${WORK_MS:-0}
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

((DEPLOYMENTS % APPS == 0)) || die "DEPLOYMENTS must be a multiple of APPS"
command -v jq curl sqlite3 awk >/dev/null || die "needs jq, curl, sqlite3 and awk"
build_release bench/Slipway.Bench.NoopServe
NOOP="$BIN/Slipway.Bench.NoopServe/release/Slipway.Bench.NoopServe"
DB="$WORK/data/slipway.db"

serve() { # extra arguments...
  local port
  port=$(free_port)
  "$NOOP" --urls "http://127.0.0.1:$port" "--Slipway:DataDir=$WORK/data" "$@" >>"$WORK/slipway.log" 2>&1 &
  SLIPWAY_PID=$!
  BENCH_PIDS+=("$SLIPWAY_PID")
  SLIPWAY_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    kill -0 "$SLIPWAY_PID" 2>/dev/null || die "the server exited during start-up: $(tail -5 "$WORK/slipway.log")"
    curl -fs -o /dev/null "$SLIPWAY_URL/api/health" && return
    sleep 0.1
  done
  die "the server did not answer within 30 s"
}

stop_server() {
  kill "$SLIPWAY_PID" && wait "$SLIPWAY_PID" 2>/dev/null || true
}

# --- 1. queue everything with the engine off, so the drain starts from a full queue ------------------------
serve --Slipway:Engine:Enabled=false
TOKEN=$(sed -n 's/.*Root API token: \([^ ]*\).*/\1/p' "$WORK/slipway.log" | head -1)
[[ -n "$TOKEN" ]] || die "no root token in the server's output"
placement
api PATCH "/servers/$SERVER_UUID" "{\"concurrent_builds\": $CONCURRENT, \"deployment_queue_limit\": $((DEPLOYMENTS + 10))}" >/dev/null
log "creating $APPS dockerimage applications"
for i in $(seq 1 "$APPS"); do
  api POST /applications/dockerimage "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg n "noop-$i" '{
    project_uuid: $p, environment_name: "production", server_uuid: $s, name: $n,
    docker_registry_image_name: "slipway-test/busybox", ports_exposes: "8080" }')" | jq -r .uuid >>"$WORK/apps"
done
# Application-major order (all of one application's deployments, then the next's): the one-per-application
# rule is what the scheduler has to skip past at every pass. force=true: a second deploy of the same
# application and commit would otherwise be answered with the queued one (Coolify's duplicate rule).
log "queueing $DEPLOYMENTS deployments"
while read -r app; do
  for _ in $(seq 1 $((DEPLOYMENTS / APPS))); do
    api POST "/deploy?uuid=$app&force=true" | jq -e '.deployments[0].deployment_uuid' >/dev/null || die "deploy of $app failed"
  done
done <"$WORK/apps"
stop_server
QUEUED=$(sqlite3 "$DB" "SELECT count(*) FROM application_deployment_queues WHERE status = 'queued'")
[[ "$QUEUED" == "$DEPLOYMENTS" ]] || die "$QUEUED queued, expected $DEPLOYMENTS"

# --- 2. start the engine and time the drain -----------------------------------------------------------------
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
T0=$(now_ns)
serve --Bench:WorkMs="$WORK_MS" --Slipway:Engine:StartupGrace=00:00:00
T_READY=$(now_ns)
while :; do
  kill -0 "$SLIPWAY_PID" 2>/dev/null || die "the server died: $(tail -20 "$WORK/slipway.log")"
  LEFT=$(sqlite3 -readonly -cmd '.timeout 5000' "$DB" "SELECT count(*) FROM application_deployment_queues WHERE status IN ('queued', 'in_progress')")
  [[ "$LEFT" == 0 ]] && break
  (( $(ms_since "$T0") < 1800000 )) || die "not drained after 30 minutes ($LEFT left)"
  sleep 0.2
done
WALL_MS=$(ms_since "$T0")
RSS_KIB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SLIPWAY_PID/status")
stop_server

# --- 3. what the database recorded ----------------------------------------------------------------------------
# Seconds since midnight with microseconds, from 'YYYY-MM-DD HH:MM:SS.ffffff' (the run stays within one day: checked).
sqlite3 -readonly -separator '|' "$DB" "SELECT id, application_id, server_id, status, created_at, started_at, finished_at
    FROM application_deployment_queues ORDER BY id" | awk -F'|' '
  function secs(t,   d, h) { split(t, d, " "); split(d[2], h, ":"); return h[1] * 3600 + h[2] * 60 + h[3] }
  { split($6, a, " "); split($7, b, " "); if (a[1] != b[1]) day = 1
    printf "%s %s %s %s %.6f %.6f %.6f\n", $1, $2, $3, $4, secs($5), secs($6), secs($7) }
  END { if (day) exit 3 }' >"$WORK/rows" || die "the run crossed midnight UTC; run it again"

NOT_FINISHED=$(awk '$4 != "finished"' "$WORK/rows" | wc -l)
[[ "$NOT_FINISHED" == 0 ]] || die "$NOT_FINISHED deployments did not finish: $(awk '$4 != "finished"' "$WORK/rows" | head -3)"

# Most in progress at once on the server: +1 at every start, -1 at every finish (a finish first when equal).
MAX_SERVER=$(awk '{ print $6, 1; print $7, -1 }' "$WORK/rows" | sort -k1,1g -k2,2n | awk '{ n += $2; if (n > m) m = n } END { print m }')
# Per application: intervals sorted by start must not overlap, and starts follow the order of queueing.
APP_OVERLAPS=$(sort -k2,2n -k6,6g "$WORK/rows" | awk '$2 == app && $6 < last_finish { bad++ } $2 == app && $1 < last_id { order++ }
  { if ($2 != app) { app = $2; last_finish = 0; last_id = 0 } last_finish = $7; last_id = $1 }
  END { printf "%d %d\n", bad, order }')
read -r OVERLAPS OUT_OF_ORDER <<<"$APP_OVERLAPS"
PER_APP_MAX=$(awk '{ print $2, $6, 1; print $2, $7, -1 }' "$WORK/rows" | sort -k1,1n -k2,2g -k3,3n \
  | awk '$1 != app { app = $1; n = 0 } { n += $3; if (n > m) m = n } END { print m }')
((MAX_SERVER <= CONCURRENT)) || die "$MAX_SERVER deployments ran at once on the server (concurrent_builds $CONCURRENT)"
((OVERLAPS == 0 && PER_APP_MAX <= 1)) || die "$OVERLAPS overlapping deployments of the same application"
((OUT_OF_ORDER == 0)) || die "$OUT_OF_ORDER deployments started before an earlier one of the same application"

# Dispatch gap: a start that was not part of the first pass waits for a slot; the gap is from the latest finish
# before it (what freed the slot) to the start.
awk '{ print $6, "s"; print $7, "f" }' "$WORK/rows" | sort -k1,1g | awk -v c="$CONCURRENT" '
  $2 == "f" { last = $1 } $2 == "s" { if (++starts > c) printf "%.3f\n", ($1 - last) * 1000 }' >"$WORK/gaps"
awk '{ printf "%.3f\n", ($7 - $6) * 1000 }' "$WORK/rows" >"$WORK/runs"
FIRST_START=$(awk 'NR == 1 || $6 < m { m = $6 } END { printf "%.6f", m }' "$WORK/rows")
LAST_FINISH=$(awk '$7 > m { m = $7 } END { printf "%.6f", m }' "$WORK/rows")
DRAIN_S=$(awk -v a="$FIRST_START" -v b="$LAST_FINISH" 'BEGIN { printf "%.2f", b - a }')
# Slot time per deployment beyond its work: the drain kept CONCURRENT slots for DRAIN_S seconds.
OVERHEAD_MS=$(awk -v d="$DRAIN_S" -v c="$CONCURRENT" -v n="$DEPLOYMENTS" -v w="$WORK_MS" 'BEGIN { printf "%.1f", (d * 1000 * c - n * w) / n }')
RATE=$(awk -v d="$DRAIN_S" -v n="$DEPLOYMENTS" 'BEGIN { printf "%.1f", n / d }')
STARTUP_MS=$(( (T_READY - T0) / 1000000 ))

SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/scheduler.sh) -->"
  echo "### Latest run"
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| deployments / applications / \`concurrent_builds\` / work per deployment | $DEPLOYMENTS / $APPS / $CONCURRENT / $WORK_MS ms |"
  echo "| all finished | $((DEPLOYMENTS - NOT_FINISHED)) of $DEPLOYMENTS |"
  echo "| most in progress at once on the server (limit $CONCURRENT) | $MAX_SERVER |"
  echo "| most in progress at once per application (limit 1); overlaps; starts out of queue order | $PER_APP_MAX; $OVERLAPS; $OUT_OF_ORDER |"
  echo "| drain, first start → last finish | $DRAIN_S s ($RATE deployments/s) |"
  echo "| **slot time per deployment beyond its work** (drain × slots ÷ deployments − work) | **$OVERHEAD_MS ms** |"
  echo "| one deployment, \`started_at\` → \`finished_at\`: p50 / p90 / max | $(median <"$WORK/runs") / $(percentile 90 <"$WORK/runs") / $(percentile 100 <"$WORK/runs") ms |"
  echo "| dispatch gap, a finish → the start it made room for: p50 / p90 / max | $(median <"$WORK/gaps") / $(percentile 90 <"$WORK/gaps") / $(percentile 100 <"$WORK/gaps") ms ($(wc -l <"$WORK/gaps") starts) |"
  echo "| server start (process start → health answers), not in the drain | $STARTUP_MS ms |"
  echo "| wall time, process start → nothing left (200 ms polls) | $(awk -v m="$WALL_MS" 'BEGIN { printf "%.1f", m / 1000 }') s |"
  echo "| server RSS at the end | $(awk -v k="$RSS_KIB" 'BEGIN { printf "%.0f", k / 1024 }') MiB |"
  echo
  echo "- Machine: $(machine_note)."
  echo "- Command: \`DEPLOYMENTS=$DEPLOYMENTS APPS=$APPS CONCURRENT=$CONCURRENT WORK_MS=$WORK_MS bench/scheduler.sh\`"
  echo "<!-- $NAME:end -->"
} >"$SECTION"
write_section "$SECTION"
