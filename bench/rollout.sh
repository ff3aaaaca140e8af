#!/usr/bin/env bash
# Zero-downtime rollout through the edge proxy: an application with a domain (no host ports) on the localhost
# server's Caddy is redeployed REDEPLOYS times (alternating two image versions) while a load client sends GETs
# through the proxy on 8 keep-alive connections. A request on a reused connection that the server closed is
# retried once (RFC 9112 §9.3.1, as browsers and curl do) and counted as a retry; anything else that is not a
# 200 counts as failed. Then requests/s through the proxy and straight to the container (hey, 8 connections,
# the same run). Results go into the "rollout" section of docs/benchmarks.md.
#
#   bench/rollout.sh                      # 10 redeploys
#   REDEPLOYS=3 bench/rollout.sh          # a quicker look
#   NO_DOCS=1 bench/rollout.sh            # print the section, leave docs/benchmarks.md alone
#
# Goals (issue 9): 0 failed requests; for each redeploy, the last answer from the old version at most 1 s after
# the engine logged "New container is healthy."; proxy ÷ direct requests/s >= 0.5. Missing a goal is reported.
set -euo pipefail

NAME=rollout
REDEPLOYS=${REDEPLOYS:-10}
CONNECTIONS=8
CADDY_IMAGE=${SLIPWAY_TEST_CADDY_IMAGE:-slipway-test/caddy:latest}
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

require_tools jq curl hey python3 awk
docker image inspect "$CADDY_IMAGE" >/dev/null 2>&1 || die "the image $CADDY_IMAGE is missing (./test.sh builds it)"
build_release src/Slipway.Cli

# --- two versions of a small web server ---------------------------------------------------------------------
IMAGE="slipway-bench/rollout-$$"
for version in v1 v2; do
  mkdir -p "$WORK/image-$version"
  cat >"$WORK/image-$version/Dockerfile" <<DOCKERFILE
FROM $TEST_IMAGE
RUN mkdir -p /www && echo $version > /www/index.html
CMD ["sh", "-c", "exec httpd -f -p \"\$PORT\" -h /www"]
DOCKERFILE
  docker build -q -t "$IMAGE:$version" "$WORK/image-$version" >/dev/null || die "building $IMAGE:$version failed"
done
BENCH_CLEANUP+=("docker image rm -f $IMAGE:v1 $IMAGE:v2")

# --- Slipway with its own proxy container ---------------------------------------------------------------------
PROXY_NAME="slipway-proxy-bench-$$"
start_slipway "Slipway__Proxy__ContainerName=$PROXY_NAME"
BENCH_CLEANUP+=("docker rm -f $PROXY_NAME" "docker volume rm -f $PROXY_NAME-data")
placement
HTTP_PORT=$(free_port); HTTPS_PORT=$(free_port); ADMIN_PORT=$(free_port)
api PATCH "/servers/$SERVER_UUID/proxy" "$(jq -n --arg i "$CADDY_IMAGE" --argjson h "$HTTP_PORT" --argjson s "$HTTPS_PORT" --argjson a "$ADMIN_PORT" \
  '{proxy_type: "caddy", image: $i, http_port: $h, https_port: $s, admin_port: $a}')" >/dev/null
DOMAIN="rollout-bench.slipway.test"
APP=$(api POST /applications/dockerimage "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg i "$IMAGE" --arg d "http://$DOMAIN" '{
    project_uuid: $p, environment_name: "production", server_uuid: $s, name: "bench-rollout",
    docker_registry_image_name: $i, docker_registry_image_tag: "v1", ports_exposes: "8080", domains: $d,
    health_check_enabled: true, health_check_path: "/", health_check_start_period: 0,
    health_check_interval: 1, health_check_timeout: 5, health_check_retries: 30, stop_grace_period: 5 }')" | jq -r .uuid)
BENCH_CLEANUP+=("remove_application_leftovers $APP")
log "application $APP at http://$DOMAIN via 127.0.0.1:$HTTP_PORT"

# deploy TAG: deploys, waits until finished; prints the deployment uuid.
deploy() {
  api PATCH "/applications/$APP" "$(jq -n --arg t "$1" '{docker_registry_image_tag: $t}')" >/dev/null
  local uuid status
  uuid=$(api POST "/deploy?uuid=$APP&force=false" | jq -r '.deployments[0].deployment_uuid')
  for _ in $(seq 1 1200); do
    status=$(api GET "/deployments/$uuid" | jq -r .status)
    [[ "$status" == finished ]] && { echo "$uuid"; return; }
    [[ "$status" == failed || "$status" == cancelled* ]] && die "deployment $uuid $status: $(api GET "/deployments/$uuid/logs" | jq -r '.entries[].output' | tail -20)"
    sleep 0.2
  done
  die "deployment $uuid did not finish within 4 minutes"
}

deploy v1 >/dev/null
for _ in $(seq 1 150); do
  [[ "$(curl -s -H "Host: $DOMAIN" "http://127.0.0.1:$HTTP_PORT/")" == v1 ]] && break
  sleep 0.2
done
[[ "$(curl -s -H "Host: $DOMAIN" "http://127.0.0.1:$HTTP_PORT/")" == v1 ]] || die "v1 is not served through the proxy"

# --- the load client: one thread per keep-alive connection, one line per answer (epoch seconds, body) -----------
cat >"$WORK/load.py" <<'PYTHON'
import http.client, sys, threading, time
port, host, connections, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
stop = threading.Event()
lock = threading.Lock()
counts = {"ok": 0, "failed": 0, "retries": 0}
lines = []
def worker():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while not stop.is_set():
        for attempt in (1, 2):
            reused = conn.sock is not None
            try:
                conn.request("GET", "/", headers={"Host": host})
                response = conn.getresponse()
                body = response.read().decode().strip()
                with lock:
                    if response.status == 200:
                        counts["ok"] += 1
                        lines.append(f"{time.time():.6f} {body}")
                    else:
                        counts["failed"] += 1
                        lines.append(f"{time.time():.6f} FAILED {response.status}")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.BadStatusLine) as error:
                conn.close()
                if attempt == 1 and reused:
                    with lock:
                        counts["retries"] += 1
                    continue
                with lock:
                    counts["failed"] += 1
                    lines.append(f"{time.time():.6f} FAILED {type(error).__name__}")
                break
            except OSError as error:
                conn.close()
                with lock:
                    counts["failed"] += 1
                    lines.append(f"{time.time():.6f} FAILED {type(error).__name__}")
                break
threads = [threading.Thread(target=worker) for _ in range(connections)]
for t in threads: t.start()
try:
    sys.stdin.read()
finally:
    stop.set()
    for t in threads: t.join()
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{counts['ok']} {counts['failed']} {counts['retries']}")
PYTHON

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
mkfifo "$WORK/load.in"
python3 "$WORK/load.py" "$HTTP_PORT" "$DOMAIN" "$CONNECTIONS" "$WORK/answers.txt" <"$WORK/load.in" >"$WORK/load.out" &
LOAD_PID=$!
BENCH_PIDS+=("$LOAD_PID")
exec 7>"$WORK/load.in"
sleep 1

: >"$WORK/redeploys.txt"
for i in $(seq 1 "$REDEPLOYS"); do
  if ((i % 2)); then old=v1 new=v2; else old=v2 new=v1; fi
  uuid=$(deploy "$new")
  healthy=$(api GET "/deployments/$uuid/logs" | jq -r '[.entries[] | select(.output == "New container is healthy.")][0].timestamp')
  echo "$i $old $new $healthy" >>"$WORK/redeploys.txt"
  log "redeploy $i ($old -> $new): healthy at $healthy"
  sleep 1
done
exec 7>&-
wait "$LOAD_PID"
read -r OK FAILED RETRIES <"$WORK/load.out"

# For each redeploy: the last answer from the old version, in seconds after "New container is healthy.".
LAGS=$(python3 - "$WORK/redeploys.txt" "$WORK/answers.txt" <<'PYTHON'
import sys, datetime
answers = [line.split() for line in open(sys.argv[2]) if line.strip()]
redeploys = [line.split() for line in open(sys.argv[1]) if line.strip()]
for index, (i, old, new, healthy) in enumerate(redeploys):
    start = datetime.datetime.strptime(healthy, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    end = float("inf")
    if index + 1 < len(redeploys):
        end = datetime.datetime.strptime(redeploys[index + 1][3], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() - 0.001
    last_old = max((float(t) for t, body in answers if body == old and t and float(t) <= end), default=start)
    print(f"{max(last_old - start, 0):.3f}")
PYTHON
)
MAX_LAG=$(echo "$LAGS" | sort -g | tail -1)

# --- requests/s through the proxy vs straight to the container, same run ----------------------------------------
CONTAINER=$(docker ps -q --filter "label=slipway.application=$APP" | head -1)
DIRECT_PORT=$(docker port "$CONTAINER" 8080/tcp | head -1 | awk -F: '{ print $NF }')
hey_rps() { hey -z 5s -c "$CONNECTIONS" "$@" | awk '/Requests\/sec/ { print $2 }'; }
PROXY_RPS=$(hey_rps -host "$DOMAIN" "http://127.0.0.1:$HTTP_PORT/")
DIRECT_RPS=$(hey_rps "http://127.0.0.1:$DIRECT_PORT/")
RATIO=$(awk -v p="$PROXY_RPS" -v d="$DIRECT_RPS" 'BEGIN { printf "%.2f", p / d }')

verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "NOT met"; fi; }
{
  echo "<!-- $NAME:begin (written by bench/rollout.sh) -->"
  echo "Command: \`bench/rollout.sh\` (REDEPLOYS=$REDEPLOYS). $(machine_note)"
  echo
  echo "| Measure | Result | Goal |"
  echo "|---|---|---|"
  echo "| Requests answered 200 during $REDEPLOYS redeploys ($CONNECTIONS keep-alive connections) | $OK | |"
  echo "| Failed requests | $FAILED | 0 ($(verdict "$FAILED == 0")) |"
  echo "| Retries of a reused connection the server closed (RFC 9112 §9.3.1) | $RETRIES | counted |"
  echo "| Last answer from the old version after \"New container is healthy.\", per redeploy (s) | $(echo "$LAGS" | paste -sd' ') | each ≤ 1 s ($(verdict "$MAX_LAG <= 1")) |"
  echo "| Requests/s through the proxy ÷ straight to the container's published 127.0.0.1 port (hey -c $CONNECTIONS, 5 s each) | $PROXY_RPS ÷ $DIRECT_RPS = $RATIO | ≥ 0.5 ($(verdict "$RATIO >= 0.5")) |"
  echo "<!-- $NAME:end -->"
} >"$WORK/section.md"
write_section "$WORK/section.md"
