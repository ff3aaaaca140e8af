#!/usr/bin/env bash
# Slipway with a database at scale (issue 13 §4): 100,000 deployments over 1,000 applications and 5,000,000 log rows,
# on SQLite and on PostgreSQL. Per database: the storage per deployment at 10,000 and at 100,000 deployments (logs
# in proportion); the read latency of GET /deployments/{uuid} (random deployments), GET /deployments/applications/
# {uuid}?take=20 (random applications) and GET /deployments with a `read` token while 2 running deployments each
# append 20 lines/s; then the append latency of those deployments while a log-retention pass prunes. Results go into
# the "at-scale" section of docs/benchmarks.md.
#
#   bench/at-scale.sh                                          # both databases, full size, 30 s per measurement
#   DEPLOYMENTS=20000 LOG_ROWS=1000000 DURATION=10s bench/at-scale.sh   # a quick look
#   DATABASES=sqlite bench/at-scale.sh                         # one database (sqlite, postgres)
#   NO_DOCS=1 bench/at-scale.sh                                # print the section, leave docs/benchmarks.md alone
#
# Knobs: APPLICATIONS (1000), DEPLOYMENTS (100000), LOG_ROWS (5000000), SMALL (DEPLOYMENTS/10: the first size
# measured), CONNECTIONS (32), DURATION (30s, each read and the prune measurement), WARMUP (5s), RATE (20 lines/s per
# running deployment), RETENTION (the server's deployment_log_retention set before the pass; default half the
# deployments per application, so half the logs are prunable), PG_BIN.
# Exits non-zero when the server dies, a response is not 2xx or wrk reports errors; a missed goal is reported.
set -euo pipefail

DATABASES=${DATABASES:-sqlite,postgres}
APPLICATIONS=${APPLICATIONS:-1000}
DEPLOYMENTS=${DEPLOYMENTS:-100000}
LOG_ROWS=${LOG_ROWS:-5000000}
SMALL=${SMALL:-$((DEPLOYMENTS / 10))}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
RATE=${RATE:-20}
RETENTION=${RETENTION:-$((DEPLOYMENTS / APPLICATIONS / 2))}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PER_DEPLOYMENT=$((LOG_ROWS / DEPLOYMENTS))
((RETENTION >= 1)) || { echo "RETENTION must be at least 1 (DEPLOYMENTS / APPLICATIONS is under 2)" >&2; exit 2; }

NAME=at-scale
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"

log "building Release"
dotnet build "$ROOT/bench/Slipway.Bench.AtScale" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || die "build failed: $(tail -20 "$WORK/build.log")"
TOOL="$ROOT/artifacts/bin/Slipway.Bench.AtScale/release/Slipway.Bench.AtScale"
# What was built (later commits in the worktree during a long run do not change the binaries measured).
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo "+dirty")
MASTER_KEY="bench-master-key-$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)"

# wrk requests a random line of $AT_SCALE_IDS between $AT_SCALE_PREFIX and $AT_SCALE_SUFFIX.
cat >"$WORK/random.lua" <<'LUA'
local ids = {}
for line in io.lines(os.getenv("AT_SCALE_IDS")) do ids[#ids + 1] = line end
local prefix, suffix = os.getenv("AT_SCALE_PREFIX"), os.getenv("AT_SCALE_SUFFIX") or ""
math.randomseed(os.time())
request = function() return wrk.format("GET", prefix .. ids[math.random(#ids)] .. suffix) end
LUA

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
  if (f < 0) exit 1; printf "%.2f", n * f }'; }

start_postgres() {
  # Stock settings but the port and socket directory: the durability and memory a default install has.
  start_private_postgres
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtAX -c "CREATE DATABASE slipway_at_scale" >/dev/null
  PG_CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=slipway_at_scale"
  PG_VERSION=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtAX -c "SHOW server_version")
}

HOST_PID=""
# host_command COMMAND EXPECTED: sends a line to the host, waits (up to 10 min) for a line of output starting with EXPECTED.
host_command() {
  local before
  before=$(wc -l <"$HOST_OUT")
  echo "$1" >&7
  for _ in $(seq 1 6000); do
    if tail -n +$((before + 1)) "$HOST_OUT" | grep -q "^$2"; then tail -n +$((before + 1)) "$HOST_OUT" | grep "^$2" | head -1; return; fi
    kill -0 "$HOST_PID" 2>/dev/null || die "the host died: $(tail -20 "$HOST_LOG")"
    sleep 0.1
  done
  die "the host did not answer '$1' with $2"
}

# CPU time (clock ticks) of the host, and of the PostgreSQL server's processes when it runs: the CPU a request
# costs, which the machine's load does not change the way it changes latency.
cpu_ticks() {
  local ticks pids=("$HOST_PID")
  [[ -n "${PG_DIR:-}" && -f "$PG_DIR/data/postmaster.pid" ]] && { local pm; pm=$(head -1 "$PG_DIR/data/postmaster.pid"); pids+=("$pm" $(pgrep -P "$pm" || true)); }
  ticks=0
  for pid in "${pids[@]}"; do
    [[ -r "/proc/$pid/stat" ]] && ticks=$((ticks + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$ticks"
}

# read_run DB LABEL IDS PREFIX SUFFIX DURATION -> appends "db label rps p50 p90 p99 max cpu_ms_per_request" to $WORK/results (skipped for warm-ups)
read_run() {
  local db=$1 label=$2 ids=$3 prefix=$4 suffix=$5 duration=$6 out
  out="$WORK/wrk-$db-$label-$(date +%s%N).txt"
  local cpu_before
  cpu_before=$(cpu_ticks)
  AT_SCALE_IDS=$ids AT_SCALE_PREFIX=$prefix AT_SCALE_SUFFIX=$suffix \
    wrk -t1 -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency -s "$WORK/random.lua" -H "Authorization: Bearer $READ_TOKEN" "$URL" >"$out" 2>&1 \
    || die "wrk failed for $label: $(cat "$out")"
  kill -0 "$HOST_PID" 2>/dev/null || die "the host died during $label: $(tail -20 "$HOST_LOG")"
  grep -q 'Non-2xx' "$out" && die "$label: $(grep 'Non-2xx' "$out")"
  grep -q 'Socket errors' "$out" && die "$label: $(grep 'Socket errors' "$out")"
  [[ "$label" == warm-* ]] && return
  local rps p50 p90 p99 max cpu
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p90=$(to_ms "$(awk '$1 == "90%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  max=$(to_ms "$(awk '$1 == "Latency" { print $4; exit }' "$out")")
  cpu=$(awk -v t="$(($(cpu_ticks) - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ { print $1 }' "$out")" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
  echo "$db $label $rps $p50 $p90 $p99 $max $cpu" >>"$WORK/results"
  log "$(printf '%-8s %-12s %7s req/s  p50 %7s ms  p90 %7s ms  p99 %7s ms  max %7s ms  CPU %s ms/request' "$db" "$label" "$rps" "$p50" "$p90" "$p99" "$max" "$cpu")"
}

appends() { # DB PHASE -> appends "db append-PHASE count p50 p90 p99 max" to $WORK/results
  local stats
  stats=$(host_command "stats $2" "STATS $2")
  read -r _ _ count p50 p90 p99 max <<<"$stats"
  echo "$1 append-$2 $count $p50 $p90 $p99 $max" >>"$WORK/results"
  log "$(printf '%-8s %-12s %7s lines  p50 %7s ms  p90 %7s ms  p99 %7s ms  max %7s ms' "$1" "append-$2" "$count" "$p50" "$p90" "$p99" "$max")"
}

measure() { # DB
  local db=$1 data="$WORK/$1-data" out="$WORK/$1-out" port seed_args=()
  local -a env_vars=()
  if [[ "$db" == postgres ]]; then
    start_postgres
    seed_args=(--database postgres --postgres "$PG_CS" --master-key "$MASTER_KEY")
    env_vars=(SLIPWAY_DATABASE=postgres "SLIPWAY_POSTGRES=$PG_CS" "SLIPWAY_MASTER_KEY=$MASTER_KEY")
  else
    seed_args=(--database sqlite)
  fi
  log "$db: seeding $DEPLOYMENTS deployments over $APPLICATIONS applications, $PER_DEPLOYMENT log rows each (size measured at $SMALL and $DEPLOYMENTS)"
  "$TOOL" seed "${seed_args[@]}" --data-dir "$data" --out "$out" --applications "$APPLICATIONS" --stages "$SMALL,$DEPLOYMENTS" \
    --log-rows-per-deployment "$PER_DEPLOYMENT" >"$WORK/$db-seed.json" 2>"$WORK/$db-seed.log" || die "$db seed failed: $(tail -20 "$WORK/$db-seed.log")"
  cat "$WORK/$db-seed.log" >&2
  jq -r --arg db "$db" '.stages[] | "\($db) \(.deployments) \(.logRows) \(.bytes) \(.seconds) \(.detail)"' "$WORK/$db-seed.json" >>"$WORK/sizes"
  READ_TOKEN=$(jq -r .readToken "$WORK/$db-seed.json")
  ROOT_TOKEN=$(jq -r .rootToken "$WORK/$db-seed.json")
  local running
  running=$(jq -r '.running | join(" ")' "$WORK/$db-seed.json")

  port=$(free_port)
  URL="http://127.0.0.1:$port"
  HOST_OUT="$WORK/$db-host.out"; HOST_LOG="$WORK/$db-host.log"
  : >"$HOST_OUT"
  rm -f "$WORK/host-in"; mkfifo "$WORK/host-in"
  env "${env_vars[@]}" "$TOOL" host --urls "$URL" --data-dir "$data" <"$WORK/host-in" >"$HOST_OUT" 2>"$HOST_LOG" &
  HOST_PID=$!
  BENCH_PIDS+=("$HOST_PID")
  exec 7>"$WORK/host-in"
  for _ in $(seq 1 600); do grep -q '^READY' "$HOST_OUT" && break; kill -0 "$HOST_PID" 2>/dev/null || die "the host exited: $(tail -20 "$HOST_LOG")"; sleep 0.1; done
  grep -q '^READY' "$HOST_OUT" || die "the host did not start within 60 s"
  curl -fsS -H "Authorization: Bearer $READ_TOKEN" "$URL/api/v1/deployments/$(head -1 "$out/deployments.txt")" >"$WORK/one.json" || die "read of one deployment failed"
  jq -e 'has("logs") | not' "$WORK/one.json" >/dev/null || die "the read-token answer shows logs"

  host_command "append $RATE $running" APPENDING >/dev/null
  log "$db: 2 running deployments append $RATE lines/s each; warming up ($WARMUP per endpoint)"
  read_run "$db" warm-uuid "$out/deployments.txt" "/api/v1/deployments/" "" "$WARMUP"
  read_run "$db" warm-app "$out/applications.txt" "/api/v1/deployments/applications/" "?take=20" "$WARMUP"
  # GET /deployments takes no id: one empty line, so the "random" path is always the list's.
  echo "" >"$WORK/empty.txt"
  read_run "$db" warm-list "$WORK/empty.txt" "/api/v1/deployments" "" "$WARMUP"
  local load_before
  load_before=$(cut -d" " -f1-3 /proc/loadavg)
  host_command "phase reads" PHASE >/dev/null
  read_run "$db" uuid "$out/deployments.txt" "/api/v1/deployments/" "" "$DURATION"
  read_run "$db" app "$out/applications.txt" "/api/v1/deployments/applications/" "?take=20" "$DURATION"
  read_run "$db" list "$WORK/empty.txt" "/api/v1/deployments" "" "$DURATION"
  appends "$db" reads
  host_command "phase quiet" PHASE >/dev/null
  sleep "${DURATION%s}"
  appends "$db" quiet

  # Retention: the server keeps RETENTION deployments' logs per application; the real pass, on demand.
  local server
  server=$(curl -fsS -H "Authorization: Bearer $ROOT_TOKEN" "$URL/api/v1/servers" | jq -r '.[0].uuid')
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $ROOT_TOKEN" -H "Content-Type: application/json" \
    -d "{\"deployment_log_retention\": $RETENTION}" "$URL/api/v1/servers/$server" || die "PATCH deployment_log_retention failed"
  local rows_before
  rows_before=$(count_rows "$db" "$data")
  host_command "phase prune" PHASE >/dev/null
  host_command prune PRUNING >/dev/null
  log "$db: pruning with deployment_log_retention = $RETENTION for $DURATION"
  sleep "${DURATION%s}"
  local finished=""
  grep -q '^PRUNED' "$HOST_OUT" && finished=$(grep '^PRUNED' "$HOST_OUT" | tail -1)
  host_command "phase after" PHASE >/dev/null
  host_command stop-prune PRUNE-STOPPED >/dev/null
  appends "$db" prune
  local rows_after pruned
  rows_after=$(count_rows "$db" "$data")
  pruned=$(count_pruned "$db" "$data")
  echo "$db $rows_before $rows_after $pruned ${finished:-not finished within $DURATION}" >>"$WORK/prunes"
  log "$db: the pass deleted $((rows_before - rows_after)) log rows, $pruned deployments pruned (${finished:-still running at the end})"
  LOADS+=("$db: $load_before (before the reads), $(cut -d" " -f1-3 /proc/loadavg) (after the prune)")
  host_command quit BYE >/dev/null
  exec 7>&-
  wait "$HOST_PID" 2>/dev/null || true
  [[ "$db" == postgres ]] && PG_NOTE="PostgreSQL $PG_VERSION (private, initdb with stock settings)"
  return 0
}

count_rows() {
  if [[ "$1" == postgres ]]; then psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d slipway_at_scale -qtAX -c "SELECT count(*) FROM deployment_log_entries"
  else sqlite3 "$2/slipway.db" "SELECT count(*) FROM deployment_log_entries"; fi
}
count_pruned() {
  if [[ "$1" == postgres ]]; then psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d slipway_at_scale -qtAX -c "SELECT count(*) FROM application_deployment_queues WHERE logs_pruned_at IS NOT NULL"
  else sqlite3 "$2/slipway.db" "SELECT count(*) FROM application_deployment_queues WHERE logs_pruned_at IS NOT NULL"; fi
}

LOADS=()
PG_NOTE=""
: >"$WORK/results"; : >"$WORK/sizes"; : >"$WORK/prunes"
STARTED=$(date +%s)
IFS=, read -r -a DB_LIST <<<"$DATABASES"
for db in "${DB_LIST[@]}"; do
  [[ "$db" == sqlite || "$db" == postgres ]] || die "DATABASES takes sqlite and postgres: $db"
  [[ "$db" == sqlite ]] && { command -v sqlite3 >/dev/null || die "sqlite3 is not installed (apt-get install sqlite3)"; }
  measure "$db"
done
ELAPSED=$(($(date +%s) - STARTED))

field() { awk -v d="$1" -v l="$2" -v c="$3" '$1 == d && $2 == l { print $c }' "$WORK/results"; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v != "" && v + 0 < g) ? "met" : "missed" }'; }
SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/at-scale.sh) -->"
  echo "### Latest run"
  echo
  echo "| database | measurement | req/s (lines) | p50 ms | p90 ms | p99 ms | max ms | CPU ms/request | goal |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for db in "${DB_LIST[@]}"; do
    echo "| $db | \`GET /deployments/{uuid}\`, random of $DEPLOYMENTS | $(field "$db" uuid 3) | $(field "$db" uuid 4) | $(field "$db" uuid 5) | $(field "$db" uuid 6) | $(field "$db" uuid 7) | $(field "$db" uuid 8) | p99 < 20: **$(verdict "$(field "$db" uuid 6)" 20)** |"
    echo "| $db | \`GET /deployments/applications/{uuid}?take=20\`, random of $APPLICATIONS | $(field "$db" app 3) | $(field "$db" app 4) | $(field "$db" app 5) | $(field "$db" app 6) | $(field "$db" app 7) | $(field "$db" app 8) | p99 < 50: **$(verdict "$(field "$db" app 6)" 50)** |"
    echo "| $db | \`GET /deployments\` | $(field "$db" list 3) | $(field "$db" list 4) | $(field "$db" list 5) | $(field "$db" list 6) | $(field "$db" list 7) | $(field "$db" list 8) | p99 < 20: **$(verdict "$(field "$db" list 6)" 20)** |"
    echo "| $db | log append (AppendAsync + FlushAsync), during the reads | ($(field "$db" append-reads 3)) | $(field "$db" append-reads 4) | $(field "$db" append-reads 5) | $(field "$db" append-reads 6) | $(field "$db" append-reads 7) | | |"
    echo "| $db | log append, nothing else running | ($(field "$db" append-quiet 3)) | $(field "$db" append-quiet 4) | $(field "$db" append-quiet 5) | $(field "$db" append-quiet 6) | $(field "$db" append-quiet 7) | | |"
    echo "| $db | log append, while the retention pass prunes | ($(field "$db" append-prune 3)) | $(field "$db" append-prune 4) | $(field "$db" append-prune 5) | $(field "$db" append-prune 6) | $(field "$db" append-prune 7) | | p99 < 50: **$(verdict "$(field "$db" append-prune 6)" 50)** |"
  done
  echo
  echo "| database | deployments | log rows | bytes | bytes per deployment | seeded in | measured as |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  awk '{ d = $1; n = $2; r = $3; b = $4; s = $5; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, "");
    printf "| %s | %d | %d | %d | %.0f | %s s | %s |\n", d, n, r, b, b / n, s, $0 }' "$WORK/sizes"
  echo
  for db in "${DB_LIST[@]}"; do
    ratio=$(awk -v d="$db" '$1 == d { p[++n] = $4 / $2 } END { printf "%.3f", p[n] / p[1] }' "$WORK/sizes")
    ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.9 && r <= 1.1) ? "met" : "missed" }')
    echo "- **$db: bytes per deployment at $DEPLOYMENTS / at $SMALL = $ratio** (goal within ±10 %: **$ok**)."
  done
  while read -r db before after pruned rest; do
    echo "- $db retention pass (\`deployment_log_retention\` = $RETENTION, PATCHed through the API, then the real LogRetention pass): in $DURATION it deleted $((before - after)) of $before log rows and finished $pruned deployments; $rest."
  done <"$WORK/prunes"
  echo "- Reads: \`wrk -t1 -c$CONNECTIONS -d$DURATION --latency\` per endpoint after a $WARMUP warm-up each, a Lua script picking a random deployment (or application) per request; \`read\` token (no logs rendered). Meanwhile 2 deployments (queued, moved to in_progress by the host) append $RATE lines/s each through the host's own IDeploymentLogStore, each line timed from AppendAsync until FlushAsync has stored it (one commit per line; a late line is sent at once, so a lagging spell is followed by more lines than RATE). CPU ms/request: the host's CPU time (and the PostgreSQL server's processes', on PostgreSQL) during the run over the requests wrk made, which the machine's load inflates far less than latency. The server is Slipway's API as \`slipway serve\` builds it (SlipwayServer.Build) with the engine off, in bench/Slipway.Bench.AtScale's host, which also runs the retention pass on demand."
  echo "- Seed (bench/Slipway.Bench.AtScale seed): Slipway's migrations and initialiser, $APPLICATIONS applications, one template deployment with $PER_DEPLOYMENT log rows (bench/Slipway.Bench.Seed's LogLines), cloned with set-based SQL (random uuids and commits, one in 17 failed) and its rows copied to every clone; the 10 % size is measured, then the rest added. $(grep -h 'Log rows per deployment' "$WORK"/*-seed.log | head -1)"
  echo "- Machine: \`nproc\` = $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 }') GiB; load average ${LOADS[*]}; $(dotnet --version) SDK; ${PG_NOTE:+$PG_NOTE; }commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC'); the whole run took $ELAPSED s."
  echo "- Command: \`DATABASES=$DATABASES APPLICATIONS=$APPLICATIONS DEPLOYMENTS=$DEPLOYMENTS LOG_ROWS=$LOG_ROWS DURATION=$DURATION CONNECTIONS=$CONNECTIONS RATE=$RATE RETENTION=$RETENTION bench/at-scale.sh\`"
  echo
  echo "<details><summary>Every measurement (database, label, req/s or lines, p50, p90, p99, max ms, CPU ms per request)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- $NAME:end -->"
} >"$SECTION"

write_section "$SECTION"
