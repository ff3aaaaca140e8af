#!/usr/bin/env bash
# Idle memory of `slipway serve` as shipped (SQLite, embedded defaults, the runtimeconfig the build writes): the
# server's RSS 2 s after it first answers, and 2 s after 2,000 authenticated GET /api/v1/deployments. Each round
# starts a fresh server on a fresh copy of the seeded data directory; medians over the rounds. Results go into the
# "idle-rss" section of docs/benchmarks.md.
#
#   bench/idle-rss.sh                          # 5 rounds, 2,000 requests over 4 connections
#   ROUNDS=3 bench/idle-rss.sh                 # a quicker look
#   NO_DOCS=1 bench/idle-rss.sh                # print the section, leave docs/benchmarks.md alone
#   COMPARE_REF=5a29fb9 bench/idle-rss.sh      # also that commit's build, alternated in the same rounds
#   VARIANTS="conserve:DOTNET_GCConserveMemory=5 gen0:DOTNET_GCgen0size=0x400000" bench/idle-rss.sh
#                                              # also this build with runtime settings (LABEL:VAR=VALUE[,VAR=VALUE])
#   STEPS=1 bench/idle-rss.sh                  # also bench/Slipway.Bench.DataLayer at each step of the data layer
#                                              # (bare host … EF Core context … first query … the list's reads)
#
# Exits non-zero when a server dies or a response is not 200; missing the goal is reported, not an error.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
REQUESTS=${REQUESTS:-2000}
CONNECTIONS=${CONNECTIONS:-4}
SETTLE=${SETTLE:-2}
DEPLOYMENTS=${DEPLOYMENTS:-1000}
LOG_LINES=${LOG_LINES:-5000}
COMPARE_REF=${COMPARE_REF:-}
VARIANTS=${VARIANTS:-}
STEPS=${STEPS:-}
GOAL_MIB=100
((REQUESTS % CONNECTIONS == 0)) || { echo "REQUESTS must be a multiple of CONNECTIONS (hey sends REQUESTS / CONNECTIONS on each)" >&2; exit 2; }

NAME=idle-rss
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v hey >/dev/null || die "hey is not installed (apt-get install hey)"
command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed (apt-get install sqlite3)"

log "building Release"
PROJECTS=(src/Slipway.Cli bench/Slipway.Bench.Seed)
[[ -z "$STEPS" ]] || PROJECTS+=(bench/Slipway.Bench.DataLayer)
for project in "${PROJECTS[@]}"; do
  dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || die "build of $project failed: $(tail -20 "$WORK/build.log")"
done
BIN="$ROOT/artifacts/bin"
# Targets: "label binary env" lines; the env column is VAR=VALUE pairs joined by commas ("-" for none).
TARGETS=("shipped $BIN/Slipway.Cli/release/slipway -")
if [[ -n "$COMPARE_REF" ]]; then
  build_compare_ref "$COMPARE_REF"
  TARGETS+=("$COMPARE_COMMIT $WORK/base/artifacts/bin/Slipway.Cli/release/slipway -")
fi
for variant in $VARIANTS; do
  [[ "$variant" == *:*=* ]] || die "a variant is LABEL:VAR=VALUE[,VAR=VALUE]: $variant"
  TARGETS+=("${variant%%:*} $BIN/Slipway.Cli/release/slipway ${variant#*:}")
done
if [[ -n "$STEPS" ]]; then
  for step in bare registered context statement query initializer services reads; do
    TARGETS+=("step-$step $BIN/Slipway.Bench.DataLayer/release/Slipway.Bench.DataLayer SLIPWAY_BENCH_STEP=$step")
  done
fi

log "seeding $WORK/seed with $DEPLOYMENTS + 1 finished deployments, the last with $LOG_LINES log rows"
"$BIN/Slipway.Bench.Seed/release/Slipway.Bench.Seed" --data-dir "$WORK/seed" --log-lines "$LOG_LINES" --deployments "$DEPLOYMENTS" \
  >"$WORK/seed.json" 2>"$WORK/seed.log" || die "seed failed: $(cat "$WORK/seed.log")"
ROOT_TOKEN=$(jq -r .rootToken "$WORK/seed.json")
# Idle: nothing runs. The seed's running deployment would be adopted as an orphan at start (marked failed, its
# leftovers looked for in Docker), start-up work a plain restart does not do; it goes.
sqlite3 "$WORK/seed/slipway.db" "DELETE FROM application_deployment_queues WHERE status = 'in_progress';" \
  || die "could not remove the seed's running deployment"

field_kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; } # FIELD PID -> kB
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# measure LABEL BINARY ENV ROUND -> appends "label round rss_start rss_after anon_after file_after hwm" (MiB) to $WORK/results
measure() {
  local label=$1 binary=$2 environment=$3 round=$4 data="$WORK/data-$1-$4" port pid out
  local -a vars=()
  [[ "$environment" == - ]] || IFS=, read -r -a vars <<<"$environment"
  cp -a "$WORK/seed" "$data"
  port=$(free_port)
  env "${vars[@]}" "$binary" serve --urls "http://127.0.0.1:$port" --data-dir "$data" >"$WORK/serve-$label-$round.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || die "$label exited during start-up: $(tail -5 "$WORK/serve-$label-$round.log")"
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/health" && break
    sleep 0.1
  done
  curl -fs -o /dev/null "http://127.0.0.1:$port/api/health" || die "$label did not answer within 30 s"
  sleep "$SETTLE"
  local start after anon file hwm
  start=$(field_kib VmRSS "$pid")

  # Checked once per server: nothing queued or running, so the list is empty.
  curl -fsS -H "Authorization: Bearer $ROOT_TOKEN" "http://127.0.0.1:$port/api/v1/deployments" >"$WORK/list.json" \
    || die "$label: GET /api/v1/deployments failed"
  jq -e 'length == 0' "$WORK/list.json" >/dev/null \
    || die "$label: GET /api/v1/deployments answered $(head -c 300 "$WORK/list.json")"
  out="$WORK/hey-$label-$round.txt"
  hey -n "$REQUESTS" -c "$CONNECTIONS" -H "Authorization: Bearer $ROOT_TOKEN" "http://127.0.0.1:$port/api/v1/deployments" >"$out" 2>&1 \
    || die "hey failed for $label: $(cat "$out")"
  grep -Eq "^ +\[200\]\s+$REQUESTS responses" "$out" || die "$label: not every answer was 200: $(sed -n '/Status code/,$p' "$out")"
  sleep "$SETTLE"
  kill -0 "$pid" 2>/dev/null || die "$label died: $(tail -20 "$WORK/serve-$label-$round.log")"
  after=$(field_kib VmRSS "$pid"); anon=$(field_kib RssAnon "$pid"); file=$(field_kib RssFile "$pid"); hwm=$(field_kib VmHWM "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "$label $round $(mib "$start") $(mib "$after") $(mib "$anon") $(mib "$file") $(mib "$hwm")" >>"$WORK/results"
  log "$(printf '%-10s round %s: RSS %6s MiB after start, %6s MiB after the requests (anon %s, file %s, peak %s)' \
    "$label" "$round" "$(mib "$start")" "$(mib "$after")" "$(mib "$anon")" "$(mib "$file")" "$(mib "$hwm")")"
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  # Rotate the order so no target always runs right after another's start-up.
  count=${#TARGETS[@]}
  for ((i = 0; i < count; i++)); do
    read -r label binary environment <<<"${TARGETS[$(((i + round - 1) % count))]}"
    measure "$label" "$binary" "$environment" "$round"
  done
done
LOAD_AFTER=$(cut -d" " -f1-3 /proc/loadavg)

AFTER=$(median_of shipped 4 1)
OK=$(awk -v r="$AFTER" -v g="$GOAL_MIB" 'BEGIN { print (r <= g) ? "met" : "missed" }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo "+dirty")
SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/idle-rss.sh) -->"
  echo "### Latest run"
  echo
  echo "| build | RSS ${SETTLE} s after start (MiB) | RSS ${SETTLE} s after the requests (MiB) | of which anonymous / file-backed | peak (VmHWM) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for target in "${TARGETS[@]}"; do
    read -r label binary environment <<<"$target"
    what="this build ($COMMIT), as shipped"
    [[ "$label" == shipped ]] || what="\`$label\`"
    [[ "$environment" == - ]] || what="this build with \`${environment//,/ }\`"
    [[ "$label" != step-* ]] || what="\`Slipway.Bench.DataLayer\`, step \`${label#step-}\`"
    [[ -z "$COMPARE_REF" || "$label" != "${COMPARE_COMMIT:-}" ]] || what="$COMPARE_COMMIT (COMPARE_REF), as shipped then"
    echo "| $what | $(median_of "$label" 3 1) | $(median_of "$label" 4 1) | $(median_of "$label" 5 1) / $(median_of "$label" 6 1) | $(median_of "$label" 7 1) |"
  done
  echo
  echo "- **RSS after the requests = $AFTER MiB** (median of $ROUNDS rounds; goal ≤ $GOAL_MIB MB: **$OK**)."
  echo "- Each round: a fresh copy of the seeded data directory, \`slipway serve --urls http://127.0.0.1:PORT --data-dir DIR\`" \
    "(SQLite, engine on, no other settings), $SETTLE s after \`/api/health\` first answers VmRSS is read from /proc/PID/status;" \
    "then one checked \`GET /api/v1/deployments\` and $REQUESTS more with \`hey -n $REQUESTS -c $CONNECTIONS\` (root token; all 200), $SETTLE s, VmRSS again."
  echo "- Seed (bench/Slipway.Bench.Seed): one project, one application, $DEPLOYMENTS finished deployments and one more with $LOG_LINES log rows; nothing queued or running, so the list answers \`[]\`. $(cat "$WORK/seed.log")"
  echo "- Machine: \`nproc\` = $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "load average before the run $LOAD_BEFORE, after it $LOAD_AFTER; $(dotnet --version) SDK; commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "- Command: \`${COMPARE_REF:+COMPARE_REF=$COMPARE_REF }${VARIANTS:+VARIANTS=\"$VARIANTS\" }${STEPS:+STEPS=$STEPS }ROUNDS=$ROUNDS REQUESTS=$REQUESTS CONNECTIONS=$CONNECTIONS bench/idle-rss.sh\`"
  echo
  echo "<details><summary>Every measurement (build, round, RSS after start, after the requests, anonymous, file-backed, peak; MiB)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- $NAME:end -->"
} >"$SECTION"

write_section "$SECTION"
