#!/usr/bin/env bash
# Several Slipway instances on one PostgreSQL (issue 12). Three figures, in one run, on a PostgreSQL this script
# starts itself (initdb in its work directory, a free port; stopped on exit):
#   1. the scheduler benchmark (DEPLOYMENTS no-op deployments over APPS applications, concurrent_builds CONCURRENT)
#      drained by 1 and by 3 instances, RUNS times each: median drain time, and the ratio 3/1 (goal <= 1.1); the
#      instances are warmed first by draining WARMUP deployments per application, then rehearsals of REHEARSAL_PER_APP
#      per application until each instance has run REHEARSED and at least REHEARSALS batches ran, so the figure is the
#      steady-state scheduler's, not processes compiling their code on a small machine, and 1 and 3 instances drain
#      a database of the same size (ONLY_DRAIN=1: this section only);
#   2. failover: SIGKILL of the instance running a deployment -> the first queued deployment started on another
#      instance, with the default lease (30 s, heartbeat 5 s) (goal <= lease + 2 s);
#   3. live-log delay across instances: a real build on instance A printing a line every 20 ms, followed over SSE
#      on instance B and on A itself: entry stored-timestamp -> received, p50/p99 (goal p99 < 250 ms on B).
#
#   bench/ha.sh                          # 500 over 50 applications, 3 runs each, all three figures
#   RUNS=1 DEPLOYMENTS=100 bench/ha.sh   # quicker
#   NO_DOCS=1 bench/ha.sh                # print the section, leave docs/benchmarks.md alone
#   INSTANCE_ENV="DOTNET_TieredCompilation=0" bench/ha.sh   # extra environment for the instances only (not the builds)
#   PG_OPTS="-c shared_preload_libraries=pg_stat_statements" KEEP_WORK=1 bench/ha.sh   # extra PostgreSQL settings
#   STATEMENTS=1 ONLY_DRAIN=1 bench/ha.sh   # also print each measured drain's busiest statements (pg_stat_statements)
set -euo pipefail

NAME=ha
DEPLOYMENTS=${DEPLOYMENTS:-500}
APPS=${APPS:-50}
CONCURRENT=${CONCURRENT:-2}
WARMUP=${WARMUP:-2}
REHEARSAL_PER_APP=${REHEARSAL_PER_APP:-3}
REHEARSED=${REHEARSED:-150}
REHEARSALS=${REHEARSALS:-10}
ONLY_DRAIN=${ONLY_DRAIN:-}
RUNS=${RUNS:-3}
INSTANCE_ENV=${INSTANCE_ENV:-}
PG_OPTS=${PG_OPTS:-}
STATEMENTS=${STATEMENTS:-}
[[ -z "$STATEMENTS" ]] || PG_OPTS="-c shared_preload_libraries=pg_stat_statements $PG_OPTS"
LOG_LINES=${LOG_LINES:-300}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MASTER_KEY="bench-master-key-$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

((DEPLOYMENTS % APPS == 0)) || die "DEPLOYMENTS must be a multiple of APPS"
require_tools jq curl awk psql
[[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 is not installed ($PG_BIN; apt-get install postgresql-15)"
build_release bench/Slipway.Bench.NoopServe src/Slipway.Cli
NOOP="$BIN/Slipway.Bench.NoopServe/release/Slipway.Bench.NoopServe"

# --- PostgreSQL of its own -------------------------------------------------------------------------------------
start_private_postgres "-c fsync=off -c synchronous_commit=off -c max_connections=300 $PG_OPTS"
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -qtAX -c "$2"; }
new_database() { psql_db postgres "CREATE DATABASE $1" >/dev/null; echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$1"; }

INSTANCE_PIDS=()
INSTANCE_URLS=()
# `slipway serve` takes --data-dir=DIR; NoopServe, a bare host, takes configuration keys.
data_dir_argument() { if [[ "$1" == "$SLIPWAY" ]]; then printf -- '--data-dir='; else printf -- '--Slipway:DataDir='; fi; }
# launch_instance DB_NAME CONNECTION INDEX PROGRAM [args...]: a server on its own data directory (not waited for).
launch_instance() {
  local db=$1 cs=$2 index=$3 program=$4 port
  shift 4
  port=$(free_port)
  mkdir -p "$WORK/$db-i$index"
  env SLIPWAY_DATABASE=postgres SLIPWAY_POSTGRES="$cs" SLIPWAY_MASTER_KEY="$MASTER_KEY" SLIPWAY_INSTANCE_NAME="i$index" \
    SLIPWAY_ALLOW_LOCAL_REPOSITORIES=true $INSTANCE_ENV \
    "$program" "$@" --urls "http://127.0.0.1:$port" "$(data_dir_argument "$program")$WORK/$db-i$index" >>"$WORK/$db-i$index.log" 2>&1 &
  INSTANCE_PIDS[index]=$!
  BENCH_PIDS+=("$!")
  INSTANCE_URLS[index]="http://127.0.0.1:$port"
}
wait_healthy() { # DB_NAME INDEX
  for _ in $(seq 1 900); do
    kill -0 "${INSTANCE_PIDS[$2]}" 2>/dev/null || die "instance i$2 exited: $(grep -m3 -iE 'exception|error|fail' "$WORK/$1-i$2.log")"
    curl -fs -o /dev/null "${INSTANCE_URLS[$2]}/api/health" && return
    sleep 0.1
  done
  die "instance i$2 did not answer within 90 s"
}
start_instance() { launch_instance "$@"; wait_healthy "$1" "$3"; }
stop_instances() {
  local pid
  for pid in "${INSTANCE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  INSTANCE_PIDS=()
}
root_token() { sed -n 's/.*Root API token: \([^ ]*\).*/\1/p' "$WORK"/"$1"-i*.log | head -1; }

# --- 1. scheduler drain, 1 vs 3 instances ----------------------------------------------------------------------
# Queue WARMUP deployments per application with the engine off (one instance), start N engine instances and let them
# drain those (warming their code: tiered compilation, connection pools, caches); then queue the measured batch in one
# statement, copies of the warm-up rows, so every instance sees all of it at once, and time its first start -> last finish.
# wait_drained DB [INTERVAL]: polls every INTERVAL seconds (default 0.2), for at most 30 minutes.
wait_drained() {
  local left deadline=$((SECONDS + 1800))
  while ((SECONDS < deadline)); do
    left=$(psql_db "$1" "SELECT count(*) FROM application_deployment_queues WHERE status IN ('queued','in_progress')")
    [[ "$left" == 0 ]] && return
    sleep "${2:-0.2}"
  done
  die "not drained ($left left)"
}
# CPU seconds (user + system) each running instance has used, and this script's PostgreSQL (postmaster and backends).
instances_cpu() {
  local pid out=()
  for pid in "${INSTANCE_PIDS[@]}"; do out+=("$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")"); done
  echo "${out[*]}"
}
postgres_cpu() {
  local pid total=0
  local postmaster
  postmaster=$(head -1 "$PG_DIR/data/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", t + ($14 + $15) / hz }' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}
# Waits (at most 20 s) until the instances are idle, under 30 ms of CPU in a second each: tiered
# compilation promotes the methods the warm-up made hot in the background, and that work belongs to the warm-up.
# maintenance_runs DB [BEFORE]: "autovacuum+autoanalyze runs on the database's tables/checkpoints", or the change since BEFORE.
maintenance_runs() {
  local now
  now=$(psql_db "$1" "SELECT (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)
      || '/' || (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)")
  if [[ -z "${2:-}" ]]; then echo "$now"; else echo "$((${now%/*} - ${2%/*}))/$((${now#*/} - ${2#*/}))"; fi
}
settle() {
  local before after
  for _ in $(seq 1 20); do
    before=$(instances_cpu | tr ' ' '+' | bc)
    sleep 1
    after=$(instances_cpu | tr ' ' '+' | bc)
    (($(echo "($after - $before) < 0.03 * ${#INSTANCE_PIDS[@]}" | bc))) && return
  done
  log "instances still busy after 20 s of settling"
}
# queue_batch DB [PER_APP]: each application's last row, PER_APP times (default DEPLOYMENTS/APPS), in application order (FIFO as the API would
# queue them), in one statement.
queue_batch() {
  psql_db "$1" "INSERT INTO application_deployment_queues (deployment_uuid, application_id, application_name, commit, commit_message,
      created_at, updated_at, deployment_url, destination_id, force_rebuild, git_type, is_api, is_webhook, log_complete, only_this_server,
      pull_request_id, restart_only, rollback, server_id, server_name, status, team_id)
    SELECT substr(md5(random()::text || g || d.id), 1, 24), d.application_id, d.application_name, d.commit, d.commit_message,
      now(), now(), d.deployment_url, d.destination_id, d.force_rebuild, d.git_type, d.is_api, d.is_webhook, false, d.only_this_server,
      d.pull_request_id, d.restart_only, d.rollback, d.server_id, d.server_name, 'queued', d.team_id
    FROM (SELECT DISTINCT ON (application_id) * FROM application_deployment_queues ORDER BY application_id, id DESC) d,
      generate_series(1, ${2:-$((DEPLOYMENTS / APPS))}) g
    ORDER BY d.application_id, g" >/dev/null
}
drain_once() { # N run
  local n=$1 db="drain_${1}_$2" cs i first first_rehearsal
  cs=$(new_database "$db")
  start_instance "$db" "$cs" 0 "$NOOP" --Slipway:Engine:Enabled=false
  TOKEN=$(root_token "$db")
  SLIPWAY_URL=${INSTANCE_URLS[0]}
  placement
  api PATCH "/servers/$SERVER_UUID" "{\"concurrent_builds\": $CONCURRENT, \"deployment_queue_limit\": $((DEPLOYMENTS + 10))}" >/dev/null
  : >"$WORK/apps"
  for i in $(seq 1 "$APPS"); do
    api POST /applications/dockerimage "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg n "noop-$i" '{
      project_uuid: $p, environment_name: "production", server_uuid: $s, name: $n,
      docker_registry_image_name: "slipway-test/busybox", ports_exposes: "8080" }')" | jq -r .uuid >>"$WORK/apps"
  done
  while read -r app; do
    for _ in $(seq 1 "$WARMUP"); do
      api POST "/deploy?uuid=$app&force=true" >/dev/null
    done
  done <"$WORK/apps"
  stop_instances
  for i in $(seq 0 $((n - 1))); do
    launch_instance "$db" "$cs" "$i" "$NOOP" --Bench:WorkMs=0 --Slipway:Engine:StartupGrace=00:00:00
  done
  for i in $(seq 0 $((n - 1))); do wait_healthy "$db" "$i"; done
  wait_drained "$db"
  # Rehearsals of the measured batch until every instance has run REHEARSED deployments: the few warm-up rows per
  # application run each method too few times for tiered compilation to promote it, and whichever instance wins the
  # measured batch's claims (one, mostly: an instance's own pass claims the slot its run frees) would otherwise compile
  # in the measured drain: perf showed the JIT in 44% of the lone instance's samples there, and a cold winner among 3
  # took twice the CPU of a warm one.
  local rehearsed=0 round
  first_rehearsal=$(psql_db "$db" "SELECT max(id) FROM application_deployment_queues")
  # At least REHEARSALS batches either way: 3 instances need several before each has run REHEARSED (one instance
  # claims most), and a measured drain on a database with more history behind it is not the same measurement.
  for round in $(seq 1 $((REHEARSALS > 12 ? REHEARSALS : 12))); do
    queue_batch "$db" "$REHEARSAL_PER_APP"
    wait_drained "$db"
    rehearsed=$(psql_db "$db" "SELECT count(*) FROM (SELECT instance_generation FROM application_deployment_queues WHERE id > $first_rehearsal
      GROUP BY instance_generation HAVING count(*) >= $REHEARSED) warm")
    ((rehearsed == n && round >= REHEARSALS)) && break
  done
  if ((rehearsed == n)); then
    log "drain with $n instance(s), run $2: $round rehearsal(s) of $((REHEARSAL_PER_APP * APPS)) (each instance ran $REHEARSED, at least $REHEARSALS batches)"
  else
    log "after $round rehearsals only $rehearsed of $n instances ran $REHEARSED deployments"
  fi
  # The rehearsals leave dead rows and dirty pages behind: 1-instance drains after the same history took 3.3 to 5.8 s
  # (PostgreSQL's CPU 1.8 to 3.9 s), as if an autovacuum or a checkpoint they set off landed in some measured drains.
  # Vacuumed and checkpointed first, every drain starts from clean tables; what its own writes set off still counts,
  # and is reported.
  psql_db "$db" "VACUUM (ANALYZE)" >/dev/null
  psql_db "$db" "CHECKPOINT" >/dev/null
  settle
  first=$(psql_db "$db" "SELECT max(id) FROM application_deployment_queues")
  local maintenance_before
  maintenance_before=$(maintenance_runs "$db")
  local cpu_before pg_before
  cpu_before=$(instances_cpu)
  pg_before=$(postgres_cpu)
  [[ -z "$STATEMENTS" ]] || psql_db "$db" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
  queue_batch "$db"
  # Polled once a second: the drain is timed from the rows' own timestamps, so polling more often would only add a
  # psql and a PostgreSQL backend (a fork) every 0.2 s to the 2 cores the drain runs on (15 of each in a 3 s drain).
  wait_drained "$db" 1
  log "drain with $n instance(s), run $2: CPU seconds during the measured drain: instances $(paste -d- <(tr ' ' '\n' <<<"$(instances_cpu)") <(tr ' ' '\n' <<<"$cpu_before") | bc | paste -sd' '), PostgreSQL $(echo "$(postgres_cpu) - $pg_before" | bc), autovacuum/autoanalyze runs and checkpoints $(maintenance_runs "$db" "$maintenance_before")"
  [[ -z "$STATEMENTS" ]] || psql_db "$db" "SELECT calls, round(total_exec_time) AS ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 150)
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 25" >&2
  local stats
  stats=$(psql_db "$db" "SELECT count(*) FILTER (WHERE status <> 'finished'), extract(epoch from max(finished_at) - min(started_at)),
      count(DISTINCT instance_generation), count(*) FROM application_deployment_queues WHERE id > $first")
  stop_instances
  IFS='|' read -r bad drain owners measured <<<"$stats"
  [[ "$measured" == "$DEPLOYMENTS" ]] || die "$measured deployments measured, expected $DEPLOYMENTS"
  [[ "$bad" == 0 ]] || die "$bad deployments did not finish"
  # The limits: at most CONCURRENT at once, one per application.
  local max
  max=$(psql_db "$db" "SELECT max(c) FROM (SELECT sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS c
      FROM (SELECT started_at AS t, 1 AS d FROM application_deployment_queues UNION ALL SELECT finished_at, -1 FROM application_deployment_queues) e) s")
  ((max <= CONCURRENT)) || die "$max deployments ran at once (concurrent_builds $CONCURRENT)"
  log "drain with $n instance(s), run $2: $drain s ($owners instance generations ran deployments; most at once $max)"
  echo "$drain"
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
: >"$WORK/drain1"
: >"$WORK/drain3"
for run in $(seq 1 "$RUNS"); do
  [[ -z "${SKIP_DRAIN:-}" ]] || break # SKIP_DRAIN=1 NO_DOCS=1: only the failover and the live-log figures
  drain_once 1 "$run" >>"$WORK/drain1"
  drain_once 3 "$run" >>"$WORK/drain3"
done
D1=$(median <"$WORK/drain1")
D3=$(median <"$WORK/drain3")
RATIO=$(awk -v a="$D3" -v b="$D1" 'BEGIN { if (b > 0) printf "%.3f", a / b }')
if [[ -n "$ONLY_DRAIN" ]]; then
  log "drain: 1 instance $D1 s ($(paste -sd' ' "$WORK/drain1")), 3 instances $D3 s ($(paste -sd' ' "$WORK/drain3")), ratio $RATIO; load before $LOAD_BEFORE, now $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

# --- 2. failover with the default lease --------------------------------------------------------------------------
# concurrent_builds 1; a deployment whose every command takes 30 s runs, another waits; SIGKILL its instance.
cs=$(new_database failover)
for i in 0 1 2; do launch_instance failover "$cs" "$i" "$NOOP" --Bench:WorkMs=30000 --Slipway:Engine:StartupGrace=00:00:00; done
for i in 0 1 2; do wait_healthy failover "$i"; done
TOKEN=$(root_token failover)
SLIPWAY_URL=${INSTANCE_URLS[0]}
placement
api PATCH "/servers/$SERVER_UUID" '{"concurrent_builds": 1}' >/dev/null
mkapp() { api POST /applications/dockerimage "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg n "$1" '{
  project_uuid: $p, environment_name: "production", server_uuid: $s, name: $n, docker_registry_image_name: "slipway-test/busybox", ports_exposes: "8080" }')" | jq -r .uuid; }
RUNNING=$(api POST "/deploy?uuid=$(mkapp running)" | jq -r '.deployments[0].deployment_uuid')
for _ in $(seq 1 200); do
  OWNER=$(psql_db failover "SELECT i.name FROM application_deployment_queues d JOIN slipway_instances i ON i.generation = d.instance_generation WHERE d.deployment_uuid = '$RUNNING'")
  [[ -n "$OWNER" ]] && break
  sleep 0.1
done
[[ -n "$OWNER" ]] || die "the first deployment was never claimed"
QUEUED=$(api POST "/deploy?uuid=$(mkapp queued)" | jq -r '.deployments[0].deployment_uuid')
sleep 1
[[ "$(psql_db failover "SELECT status FROM application_deployment_queues WHERE deployment_uuid = '$QUEUED'")" == queued ]] || die "the second deployment did not wait"
VICTIM=${INSTANCE_PIDS[${OWNER#i}]}
T_KILL=$(now_ns)
kill -KILL "$VICTIM"
for _ in $(seq 1 1200); do
  state=$(psql_db failover "SELECT d.status || '|' || coalesce(i.name, '') FROM application_deployment_queues d LEFT JOIN slipway_instances i ON i.generation = d.instance_generation WHERE d.deployment_uuid = '$QUEUED'")
  [[ "$state" == in_progress* || "$state" == finished* ]] && break
  sleep 0.05
done
FAILOVER_MS=$(ms_since "$T_KILL")
[[ "$state" == in_progress* || "$state" == finished* ]] || die "the queued deployment never started after the kill"
NEW_OWNER=${state#*|}
RUNNING_STATUS=$(psql_db failover "SELECT status FROM application_deployment_queues WHERE deployment_uuid = '$RUNNING'")
stop_instances

# --- 3. live-log delay across instances ----------------------------------------------------------------------------
cs=$(new_database logs)
launch_instance logs "$cs" 0 "$SLIPWAY" serve
launch_instance logs "$cs" 1 "$SLIPWAY" serve
wait_healthy logs 0
wait_healthy logs 1
TOKEN=$(root_token logs)
SLIPWAY_URL=${INSTANCE_URLS[0]}
placement
# Either instance may claim the run; both follow it from the start, and the one that did not run it is "across".
REPO="$WORK/repo"
git init -q -b main "$REPO"
# The work directory's name in the step: a build cached from an earlier run would print no lines at all.
cat >"$REPO/Dockerfile" <<DOCKERFILE
FROM slipway-test/busybox:latest
RUN echo "run $(basename "$WORK")"; i=0; while [ \$i -lt $LOG_LINES ]; do i=\$((i+1)); echo "bench line \$i"; sleep 0.02; done
CMD ["sh", "-c", "exec httpd -f -p \"\$PORT\" -h /"]
DOCKERFILE
git -C "$REPO" add -A && git -C "$REPO" -c user.name=bench -c user.email=bench@localhost commit -qm bench
APP=$(api POST /applications/public "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg r "file://$REPO" --arg port "$(free_port)" '{
  project_uuid: $p, environment_name: "production", server_uuid: $s, git_repository: $r, git_branch: "main",
  build_pack: "dockerfile", ports_exposes: $port, custom_docker_run_options: "--network host", health_check_enabled: false }')" | jq -r .uuid)
BENCH_CLEANUP+=("remove_application_leftovers $APP")
DEPLOYMENT=$(api POST "/deploy?uuid=$APP" | jq -r '.deployments[0].deployment_uuid')
follow() { # URL OUT: "received_epoch_us entry_json" per entry
  curl -sN -H "Authorization: Bearer $TOKEN" -H 'Accept: text/event-stream' "$1/api/v1/deployments/$DEPLOYMENT/logs" \
    | while IFS= read -r line; do
        # An `if`, not `[[ ]] && printf`: the loop's status is its last body's, and a blank last line made the
        # follower, and through `wait` under `set -e` the whole script, exit 1 without a word.
        if [[ "$line" == data:* ]]; then printf '%s %s\n' "${EPOCHREALTIME/./}" "${line#data: }"; fi
      done >"$2"
}
follow "${INSTANCE_URLS[0]}" "$WORK/follow-i0" &
FOLLOW_0=$!
follow "${INSTANCE_URLS[1]}" "$WORK/follow-i1" &
FOLLOW_1=$!
wait "$FOLLOW_0" "$FOLLOW_1"
LOG_OWNER=$(psql_db logs "SELECT i.name FROM application_deployment_queues d JOIN slipway_instances i ON i.generation = d.instance_generation WHERE d.deployment_uuid = '$DEPLOYMENT'")
if [[ "$LOG_OWNER" == i0 ]]; then OTHER=i1; else OTHER=i0; fi
cp "$WORK/follow-$OTHER" "$WORK/follow-other"
cp "$WORK/follow-$LOG_OWNER" "$WORK/follow-same"
# Delay of the build's own lines: received - the entry's timestamp (when the writer took the line).
delays() {
  # BuildKit's plain progress prefixes each line with its step and time ("#5 0.381 bench line 1").
  grep -E '"output":"(#[0-9]+ [0-9.]+ )?bench line' "$1" | while read -r received json; do
    ts=$(jq -r .timestamp <<<"$json")
    echo "$received $(date -d "$ts" +%s%6N)"
  done | awk '{ printf "%.3f\n", ($1 - $2) / 1000 }'
}
delays "$WORK/follow-other" >"$WORK/delay-other"
delays "$WORK/follow-same" >"$WORK/delay-same"
[[ $(wc -l <"$WORK/delay-other") -ge $((LOG_LINES / 2)) ]] || die "the follower on the other instance saw only $(wc -l <"$WORK/delay-other") build lines"
cmp -s <(grep -o '"order":[0-9]*' "$WORK/follow-other") <(grep -o '"order":[0-9]*' "$WORK/follow-same") || die "the two followers saw different entries"
stop_instances

SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/ha.sh) -->"
  echo "### Latest run"
  echo
  echo "| measure | value | goal |"
  echo "| --- | ---: | --- |"
  echo "| scheduler drain, 1 instance: median of $RUNS (runs) | $D1 s ($(paste -sd' ' "$WORK/drain1")) | |"
  echo "| scheduler drain, 3 instances: median of $RUNS (runs) | $D3 s ($(paste -sd' ' "$WORK/drain3")) | |"
  echo "| **ratio 3 instances / 1** | **$RATIO** | ≤ 1.1 |"
  echo "| **failover**: SIGKILL of $OWNER (running a deployment) → queued deployment started on $NEW_OWNER (lease 30 s, heartbeat 5 s) | **$(awk -v m="$FAILOVER_MS" 'BEGIN { printf "%.2f", m / 1000 }') s**; killed run: $RUNNING_STATUS | ≤ 32 s |"
  echo "| **live-log delay, follower on the other instance** (run on $LOG_OWNER): p50 / p99 / max | $(median <"$WORK/delay-other") / **$(percentile 99 <"$WORK/delay-other")** / $(percentile 100 <"$WORK/delay-other") ms ($(wc -l <"$WORK/delay-other") lines) | p99 < 250 ms |"
  echo "| live-log delay, follower on the running instance (baseline): p50 / p99 / max | $(median <"$WORK/delay-same") / $(percentile 99 <"$WORK/delay-same") / $(percentile 100 <"$WORK/delay-same") ms | |"
  echo
  echo "- $DEPLOYMENTS no-op deployments over $APPS applications, \`concurrent_builds\` $CONCURRENT (bench/Slipway.Bench.NoopServe: the engine without commands); $WARMUP per application drained first by the same instances, then batches of $REHEARSAL_PER_APP per application until every instance had run $REHEARSED and at least $REHEARSALS batches had run (warm-up: tiered compilation done, and the same history in the database for 1 and 3 instances; not measured), then the measured batch queued in one statement; drain = its first \`started_at\` → last \`finished_at\`; limits checked in the database after each run."
  echo "- Machine: $(machine_note)."
  echo "- Command: \`${INSTANCE_ENV:+INSTANCE_ENV=\"$INSTANCE_ENV\" }DEPLOYMENTS=$DEPLOYMENTS APPS=$APPS CONCURRENT=$CONCURRENT RUNS=$RUNS WARMUP=$WARMUP REHEARSAL_PER_APP=$REHEARSAL_PER_APP REHEARSED=$REHEARSED REHEARSALS=$REHEARSALS bench/ha.sh\`"
  echo "<!-- $NAME:end -->"
} >"$SECTION"
write_section "$SECTION"
