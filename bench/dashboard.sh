#!/usr/bin/env bash
# The dashboard's pages under load (issue 11): with 10,000 deployments of one application and a 100,000-line log,
# the application page and the deployment page fetched by 8 concurrent signed-in clients (wrk with the session
# cookie; wrk's latency is to the last byte of the response). Baseline in the same run: a bare Kestrel endpoint
# answering each page's own bytes (bench/Slipway.Bench.Bare), so the ratio is what rendering the page costs
# over sending it. Targets alternate over several rounds. Then the live log: a fresh host (bench/Slipway.Bench.LiveLog)
# stores 1,000 lines while the deployment page is open in Debian's Chromium, and each line's delay until the page
# has it is taken. Results go into the "dashboard" section of docs/benchmarks.md.
#
#   bench/dashboard.sh                          # 5 rounds x 10 s per target, 8 connections
#   ROUNDS=3 DURATION=5s bench/dashboard.sh     # a quicker look
#   DEPLOYMENTS=1000 LOG_LINES=10000 bench/dashboard.sh
#   LIVE_LINES=1000 LIVE_RATE=20 bench/dashboard.sh   # the live-log part: lines, and lines stored per second
#   NO_DOCS=1 bench/dashboard.sh                # print the section, leave docs/benchmarks.md alone
#
# Exits non-zero when a server dies, a response is not 2xx, wrk reports socket errors or timeouts, or a page is
# not the signed-in page it claims to measure. Missing the speed goal is reported, not an error.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-8}
DEPLOYMENTS=${DEPLOYMENTS:-10000}
LOG_LINES=${LOG_LINES:-100000}
LIVE_LINES=${LIVE_LINES:-1000}
LIVE_RATE=${LIVE_RATE:-20}
EMAIL=bench@example.com
PASSWORD="correct horse battery staple"

NAME=dashboard
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PIDS_WATCHED=()

wait_ready() { # url pid name
  for _ in $(seq 1 150); do
    kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (log: $WORK/$3.log): $(tail -5 "$WORK/$3.log")"
    curl -fs -o /dev/null "$1" && return
    sleep 0.2
  done
  die "$3 did not answer $1 within 30 s"
}

alive() {
  local pid
  for pid in "${PIDS_WATCHED[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "a server died (pid $pid; logs in $WORK)"
  done
}

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
  if (f < 0) exit 1; printf "%.3f", n * f }'; }

# run LABEL URL DURATION -> appends "label rps p50 p99" to $WORK/results
run() {
  local label=$1 url=$2 duration=$3 out
  out="$WORK/wrk-$label-$(date +%s%N).txt"
  wrk -t1 -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency -H "Cookie: slipway_session=$SESSION" "$url" >"$out" 2>&1 \
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
  log "$(printf '%-12s %10s req/s  p50 %8s ms  p99 %8s ms' "$label" "$rps" "$p50" "$p99")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"

log "building Release"
for project in src/Slipway.Cli bench/Slipway.Bench.Seed bench/Slipway.Bench.Bare bench/Slipway.Bench.LiveLog; do
  dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || die "build of $project failed: $(tail -20 "$WORK/build.log")"
done
BIN="$ROOT/artifacts/bin"

log "seeding $WORK/data: $DEPLOYMENTS earlier deployments, one with $LOG_LINES log rows"
SEED_START=$(date +%s)
"$BIN/Slipway.Bench.Seed/release/Slipway.Bench.Seed" --data-dir "$WORK/data" --log-lines "$LOG_LINES" --deployments "$DEPLOYMENTS" \
  >"$WORK/seed.json" 2>"$WORK/seed.log" || die "seed failed: $(cat "$WORK/seed.log")"
log "seeded in $(($(date +%s) - SEED_START)) s"
APP_PATH=$(jq -r .applicationPath "$WORK/seed.json")
DEPLOYMENT_PATH=$(jq -r .deploymentPath "$WORK/seed.json")
SEED_NOTE=$(cat "$WORK/seed.log")
printf '%s\n' "$PASSWORD" | "$BIN/Slipway.Cli/release/slipway" users create --email "$EMAIL" --role owner --data-dir "$WORK/data" >"$WORK/user.log" 2>&1 \
  || die "users create failed: $(cat "$WORK/user.log")"

PORT=$(free_port)
"$BIN/Slipway.Cli/release/slipway" serve --urls "http://127.0.0.1:$PORT" --data-dir "$WORK/data" >"$WORK/slipway.log" 2>&1 &
SLIPWAY_PID=$!
BENCH_PIDS+=("$SLIPWAY_PID")
PIDS_WATCHED+=("$SLIPWAY_PID")
BASE="http://127.0.0.1:$PORT"
wait_ready "$BASE/api/health" "$SLIPWAY_PID" slipway

# Sign in as a browser does: the form's antiforgery token and cookie, then the session cookie.
JAR="$WORK/cookies"
curl -fsS -c "$JAR" -b "$JAR" -o "$WORK/login.html" "$BASE/login" || die "GET /login failed"
CSRF=$(grep -o 'name="__csrf" type="hidden" value="[^"]*"\|name="__csrf" value="[^"]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//; s/"$//')
[[ -n "$CSRF" ]] || die "no antiforgery token on /login"
STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "__csrf=$CSRF" "$BASE/login")
[[ "$STATUS" == 302 ]] || die "sign-in answered $STATUS, not a redirect"
SESSION=$(awk '$6 == "slipway_session" { print $7 }' "$JAR")
[[ -n "$SESSION" ]] || die "no session cookie after signing in"

# What is measured is the real signed-in page: the application with its newest deployments, the deployment with
# the newest 1,000 lines of its 100,000.
fetch() { # path file
  curl -fsS -o "$2" -H "Cookie: slipway_session=$SESSION" "$BASE$1" || die "GET $1 failed"
  grep -q "Sign out" "$2" || die "GET $1 is not a signed-in page"
}
fetch "$APP_PATH" "$WORK/application.html"
fetch "$DEPLOYMENT_PATH" "$WORK/deployment.html"
grep -q "Older deployments" "$WORK/application.html" || die "the application page does not offer older deployments"
SHOWN=$(grep -o '<li data-order="' "$WORK/deployment.html" | wc -l)
((SHOWN >= 1000)) || die "the deployment page shows $SHOWN log lines, expected the newest 1,000"
APP_BYTES=$(stat -c %s "$WORK/application.html")
DEPLOYMENT_BYTES=$(stat -c %s "$WORK/deployment.html")

# Not in a $(...) subshell: the PIDs must reach BENCH_PIDS, which stops them on exit.
bare() { # name body -> BARE_URL
  local port pid
  port=$(free_port)
  "$BIN/Slipway.Bench.Bare/release/Slipway.Bench.Bare" --urls "http://127.0.0.1:$port" --body "$2" >"$WORK/bare-$1.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  PIDS_WATCHED+=("$pid")
  BARE_URL="http://127.0.0.1:$port/api/v1/deployments/x"
  wait_ready "$BARE_URL" "$pid" "bare-$1"
}
bare application "$WORK/application.html"
BARE_APP_URL=$BARE_URL
bare deployment "$WORK/deployment.html"
BARE_DEPLOYMENT_URL=$BARE_URL
[[ $(curl -fsS "$BARE_APP_URL" | wc -c) == "$APP_BYTES" ]] || die "the bare application body differs in size"
log "slipway pid $SLIPWAY_PID on :$PORT; pages: application $APP_BYTES B, deployment $DEPLOYMENT_BYTES B ($SHOWN lines)"

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
log "warming up ($WARMUP each); load average $LOAD_BEFORE"
run warm-app "$BASE$APP_PATH" "$WARMUP"
run warm-dep "$BASE$DEPLOYMENT_PATH" "$WARMUP"
run warm-bare "$BARE_APP_URL" "$WARMUP"

for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS"
  if ((round % 2)); then
    run bare-app "$BARE_APP_URL" "$DURATION"
    run application "$BASE$APP_PATH" "$DURATION"
    run bare-dep "$BARE_DEPLOYMENT_URL" "$DURATION"
    run deployment "$BASE$DEPLOYMENT_PATH" "$DURATION"
  else
    run deployment "$BASE$DEPLOYMENT_PATH" "$DURATION"
    run bare-dep "$BARE_DEPLOYMENT_URL" "$DURATION"
    run application "$BASE$APP_PATH" "$DURATION"
    run bare-app "$BARE_APP_URL" "$DURATION"
  fi
done
LOAD_AFTER=$(cut -d" " -f1-3 /proc/loadavg)
kill "$SLIPWAY_PID" 2>/dev/null || true
for pid in "${PIDS_WATCHED[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
PIDS_WATCHED=()

log "live log: $LIVE_LINES lines at $LIVE_RATE lines/s into an open deployment page in Chromium"
LIVE_LOAD=$(cut -d" " -f1-3 /proc/loadavg)
LIVE_NOTE=""
"$BIN/Slipway.Bench.LiveLog/release/Slipway.Bench.LiveLog" --lines "$LIVE_LINES" --rate "$LIVE_RATE" >"$WORK/live.out" 2>"$WORK/live.log" || LIVE_NOTE="; **some lines never reached the page**"
# Its host writes its own start-up lines (the root token among them) to the same output: only the figures are kept.
grep '^- ' "$WORK/live.out" >"$WORK/live.md" || die "the live-log measurement printed no figures: $(tail -20 "$WORK/live.out" "$WORK/live.log")"
cat "$WORK/live.md" >&2

APP_P99=$(median_of application 4); DEP_P99=$(median_of deployment 4)
APP_OK=$(awk -v p="$APP_P99" 'BEGIN { print (p < 100) ? "met" : "missed" }')
DEP_OK=$(awk -v p="$DEP_P99" 'BEGIN { print (p < 100) ? "met" : "missed" }')
per_round() { awk -v l="$1" '$1 == l { printf "%s%s", (n++ ? ", " : ""), $4 }' "$WORK/results"; }
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo "+dirty")

SECTION="$WORK/section.md"
{
  echo "<!-- dashboard:begin (written by bench/dashboard.sh) -->"
  echo "### Latest run"
  echo
  echo "| target | bytes | req/s (median) | p50 ms (median) | p99 ms (median) | p99 / bare p99 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  echo "| application page (newest 20 of $DEPLOYMENTS deployments) | $APP_BYTES | $(median_of application 2) | $(median_of application 3) | $APP_P99 | $(ratio "$APP_P99" "$(median_of bare-app 4)") |"
  echo "| bare Kestrel, the application page's bytes | $APP_BYTES | $(median_of bare-app 2) | $(median_of bare-app 3) | $(median_of bare-app 4) | 1 |"
  echo "| deployment page (newest $SHOWN of $LOG_LINES log lines) | $DEPLOYMENT_BYTES | $(median_of deployment 2) | $(median_of deployment 3) | $DEP_P99 | $(ratio "$DEP_P99" "$(median_of bare-dep 4)") |"
  echo "| bare Kestrel, the deployment page's bytes | $DEPLOYMENT_BYTES | $(median_of bare-dep 2) | $(median_of bare-dep 3) | $(median_of bare-dep 4) | 1 |"
  echo
  echo "- **application page p99 = $APP_P99 ms** (goal < 100 ms: **$APP_OK**). Per round: $(per_round application) ms."
  echo "- **deployment page p99 = $DEP_P99 ms** (goal < 100 ms: **$DEP_OK**). Per round: $(per_round deployment) ms."
  echo "- Throughput against the bare server with the same bytes: application $(ratio "$(median_of application 2)" "$(median_of bare-app 2)"), deployment $(ratio "$(median_of deployment 2)" "$(median_of bare-dep 2)") (ratios of median req/s)."
  echo "- $CONNECTIONS connections signed in with one owner's session cookie (\`wrk -t1 -c$CONNECTIONS --latency\`, time to the last byte); $ROUNDS rounds × $DURATION per target after a $WARMUP warm-up; the order alternates per round."
  cat "$WORK/live.md"
  echo "- The live-log part ran alone after the page rounds (load average $LIVE_LOAD before it)$LIVE_NOTE: a fresh host with the dashboard, one owner signed in, the running deployment's page open; lines stored through the host's own log writer one call each."
  echo "- Seed: $DEPLOYMENTS earlier deployments of the application (SQLite, \`bench/Slipway.Bench.Seed --deployments\`); $SEED_NOTE"
  echo "- Machine: \`nproc\` = $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "**load average before the run $LOAD_BEFORE, after it $LOAD_AFTER** (a shared machine); $(dotnet --version) SDK; $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'); commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "- Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS DEPLOYMENTS=$DEPLOYMENTS LOG_LINES=$LOG_LINES LIVE_LINES=$LIVE_LINES LIVE_RATE=$LIVE_RATE bench/dashboard.sh\`"
  echo
  echo "<details><summary>Every measurement (label, req/s, p50 ms, p99 ms)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- dashboard:end -->"
} >"$SECTION"

write_section "$SECTION"
