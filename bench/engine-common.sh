# Shared by the engine benchmarks (deploy-overhead.sh, log-ingestion.sh, scheduler.sh); sourced, not run.
# Builds on common.sh (NAME, WORK, log/die, stopping by PID on exit): the Docker checks, the Release builds,
# a `slipway serve` of the benchmark's own and the docs/benchmarks.md section writer.

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BIN="$ROOT/artifacts/bin"
SLIPWAY="$BIN/Slipway.Cli/release/slipway"
TEST_IMAGE=slipway-test/busybox:latest
SLIPWAY_PID=""

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

require_tools() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
  docker version >/dev/null 2>&1 || die "the Docker engine is not running (this benchmark never starts one)"
  docker image inspect "$TEST_IMAGE" >/dev/null 2>&1 || die "the image $TEST_IMAGE is missing (./test.sh builds it)"
}

build_release() { # project...
  local project
  for project in "$@"; do
    log "building $project (Release)"
    dotnet build "$ROOT/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 \
      || die "build of $project failed: $(tail -20 "$WORK/build.log")"
  done
}

# start_slipway [ENV=VALUE...]: a fresh data directory, production engine settings unless the caller passes
# Slipway__Engine__* variables. Sets SLIPWAY_URL, SLIPWAY_PID and TOKEN (the root token printed on first start).
start_slipway() {
  local port
  port=$(free_port)
  env SLIPWAY_ALLOW_LOCAL_REPOSITORIES=true "$@" \
    "$SLIPWAY" serve --urls "http://127.0.0.1:$port" --data-dir "$WORK/data" >"$WORK/slipway.log" 2>&1 &
  SLIPWAY_PID=$!
  BENCH_PIDS+=("$SLIPWAY_PID")
  SLIPWAY_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    kill -0 "$SLIPWAY_PID" 2>/dev/null || die "slipway serve exited during start-up: $(tail -5 "$WORK/slipway.log")"
    if curl -fs -o /dev/null "$SLIPWAY_URL/api/health"; then break; fi
    sleep 0.1
  done
  curl -fs -o /dev/null "$SLIPWAY_URL/api/health" || die "slipway did not answer within 30 s"
  TOKEN=$(sed -n 's/.*Root API token: \([^ ]*\).*/\1/p' "$WORK/slipway.log" | head -1)
  [[ -n "$TOKEN" ]] || die "no root token in slipway's output: $(head -20 "$WORK/slipway.log")"
  log "slipway pid $SLIPWAY_PID at $SLIPWAY_URL"
}

alive() { kill -0 "$SLIPWAY_PID" 2>/dev/null || die "slipway serve died: $(tail -20 "$WORK/slipway.log")"; }

api() { # METHOD PATH [JSON]
  local out
  if [[ $# -ge 3 ]]; then
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      --data "$3" "$SLIPWAY_URL/api/v1$2") || die "$1 $2: curl failed"
  else
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" "$SLIPWAY_URL/api/v1$2") || die "$1 $2: curl failed"
  fi
  local code=${out##*$'\n'}
  [[ "$code" == 2* ]] || die "$1 $2: HTTP $code ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}

# A project on the localhost server: sets PROJECT_UUID and SERVER_UUID.
placement() {
  PROJECT_UUID=$(api POST /projects '{"name":"bench"}' | jq -r .uuid)
  SERVER_UUID=$(api GET /servers | jq -r '[.[] | select(.is_localhost)][0].uuid')
  [[ -n "$PROJECT_UUID" && "$SERVER_UUID" != null ]] || die "no project or localhost server"
  # The benchmarks' applications run on host networking (as their baselines do), a per-server opt-in.
  api PATCH "/servers/$SERVER_UUID" '{"allow_host_network":true}' >/dev/null
}

# Removes every container and image an application left (registered for exit by the caller).
remove_application_leftovers() { # application uuid
  local ids
  ids=$(docker ps -aq --filter "label=slipway.application=$1")
  [[ -z "$ids" ]] || docker rm -f $ids >/dev/null 2>&1 || true
  ids=$(docker image ls "$1" --format '{{.Repository}}:{{.Tag}}')
  [[ -z "$ids" ]] || docker image rm -f $ids >/dev/null 2>&1 || true
}

percentile() { # p numbers-on-stdin -> nearest-rank percentile
  sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) exit; r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; printf "%.3f", v[r] }'
}

machine_note() {
  echo "\`nproc\` = $(nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "load average before the run $LOAD_BEFORE; $(dotnet --version) SDK; Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null);" \
    "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo "+dirty"); $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# Every printed line must reach the stored log as printed: BuildKit (which the engine's probe picks where the server's
# Docker has it) prefixes each line with its step and time and clips a step's output at a few MiB. The benches that
# count a build's lines record the server as probed with the legacy builder, as LogLimitTests does.
record_legacy_builder() { # sqlite db file, server uuid
  local client=/usr/bin/docker bridge=0
  [[ -x "$client" ]] || client=$(command -v docker)
  docker network inspect bridge >/dev/null 2>&1 && bridge=1
  sqlite3 "$1" "UPDATE servers SET docker_client_path = '$client', docker_buildkit = 0, docker_default_bridge = $bridge,
    docker_probed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE uuid = '$2'" || die "could not record the legacy builder on the server"
}
