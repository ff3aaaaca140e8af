#!/usr/bin/env bash
# POST /deploy -> finished for the static example app, against a plain shell script doing the same git
# ls-remote + clone + docker build + docker run + health check (curl until 200) + retire the old container,
# alternating, same machine, same run. Results go into the "deploy-overhead" section of docs/benchmarks.md.
#
#   bench/deploy-overhead.sh               # 10 runs of each, alternating
#   RUNS=3 bench/deploy-overhead.sh        # a quicker look
#   NO_DOCS=1 bench/deploy-overhead.sh     # print the section, leave docs/benchmarks.md alone
#
# Every run deploys a new commit (a changed file), so both sides build a new image layer on the same cached
# base image and must serve the new content afterwards; that is checked. Exits non-zero when a deployment
# fails or serves the wrong content; missing the speed goal is reported, not an error.
set -euo pipefail

NAME=deploy-overhead
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-1}
GOAL=1.15
# shellcheck source=bench/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-common.sh"

require_tools jq curl git sqlite3 awk
build_release src/Slipway.Cli

# --- the repository: the bundled example at the same path, on branch main, as the README deploys it --------
REPO="$WORK/repo"
mkdir -p "$REPO/examples"
cp -r "$ROOT/examples/static-site" "$REPO/examples/"
git -C "$REPO" init -q -b main
git -C "$REPO" add -A
git -C "$REPO" -c user.email=bench@slipway.local -c user.name=Bench commit -q -m "The bundled example"
REPO_URL="file://$REPO"

# new_commit MARKER: what the next deployment must serve at /version.txt.
new_commit() {
  echo "$1" >"$REPO/examples/static-site/version.txt"
  git -C "$REPO" add -A
  git -C "$REPO" -c user.email=bench@slipway.local -c user.name=Bench commit -q -m "Version $1"
}

# --- Slipway ------------------------------------------------------------------------------------------------
start_slipway
placement
SLIPWAY_PORT=$(free_port)
SCRIPT_PORT=$(free_port)
while [[ "$SCRIPT_PORT" == "$SLIPWAY_PORT" ]]; do SCRIPT_PORT=$(free_port); done
APP=$(api POST /applications/public "$(jq -n --arg p "$PROJECT_UUID" --arg s "$SERVER_UUID" --arg r "$REPO_URL" \
  --arg port "$SLIPWAY_PORT" --arg image "$TEST_IMAGE" '{
    project_uuid: $p, environment_name: "production", server_uuid: $s, name: "bench-static",
    git_repository: $r, git_branch: "main", build_pack: "static", base_directory: "/examples/static-site",
    ports_exposes: $port, static_image: $image, static_server: "busybox-httpd",
    custom_docker_run_options: "--network host",
    health_check_enabled: true, health_check_path: "/", health_check_start_period: 0,
    health_check_interval: 1, health_check_timeout: 5, health_check_retries: 30 }')" | jq -r .uuid)
BENCH_CLEANUP+=("remove_application_leftovers $APP")
log "application $APP on :$SLIPWAY_PORT"

DB="$WORK/data/slipway.db"
sql() { sqlite3 -readonly -cmd '.timeout 5000' "$DB" "$@"; }

# Timestamps as the API and the database write them (UTC, microseconds) -> nanoseconds since the epoch.
to_ns() {
  local t=${1/T/ } fraction=000000000
  t=${t%Z}
  [[ -n "$t" ]] || die "no timestamp"
  if [[ "$t" == *.* ]]; then fraction=$(printf '%-9s' "${t#*.}" | tr ' ' 0); t=${t%.*}; fi
  printf '%s%s\n' "$(date -u -d "$t" +%s)" "$fraction"
}

slipway_run() { # label marker
  local label=$1 marker=$2 t0 answer dep status t_seen t_end
  t0=$(now_ns)
  answer=$(api POST "/deploy?uuid=$APP")
  dep=$(jq -r '.deployments[0].deployment_uuid' <<<"$answer")
  [[ "$dep" != null ]] || die "deploy answered $answer"
  for _ in $(seq 1 1800); do
    status=$(api GET "/deployments/$dep" | jq -r .status)
    [[ "$status" == queued || "$status" == in_progress ]] || break
    sleep 0.1
  done
  t_seen=$(now_ns)
  alive
  api GET "/deployments/$dep" >"$WORK/deployment-$label.json"
  [[ "$status" == finished ]] || die "slipway deployment $dep ended $status: $(jq -r '.logs' "$WORK/deployment-$label.json" | jq -r '.[] | select(.hidden | not) | .output' | tail -30)"
  [[ "$(curl -fsS "http://127.0.0.1:$SLIPWAY_PORT/version.txt")" == "$marker" ]] || die "slipway does not serve $marker after $dep"
  # The end is the moment the row turned finished (finished_at), not when this loop's 100 ms poll saw it.
  t_end=$(to_ns "$(sql "SELECT finished_at FROM application_deployment_queues WHERE deployment_uuid = '$dep'")")
  echo "$label $(( (t_end - t0) / 1000000 )) $(( (t_seen - t0) / 1000000 ))" >>"$WORK/results"
  # Where the time went, from the log's own timestamps: request -> queued row -> first line -> each step header -> finished.
  jq -r --argjson t0 "$t0" --argjson tend "$t_end" '
    def ns: (.[0:19] + "Z" | fromdateiso8601) * 1e9 + ((.[20:26] + "000") | tonumber);
    (.created_at | ns) as $created | (.logs | fromjson) as $log
    | [ { step: "request (POST /deploy until the row is queued)", at: $t0 },
        { step: "dispatch (queued until the first log line)", at: $created },
        ($log[0] | { step: "load (until the settings check)", at: (.timestamp | ns) }),
        ($log[] | select(.output | startswith("-----> ")) | { step: .output[7:], at: (.timestamp | ns) }),
        ($log[] | select(.output == "Deployment finished.") | { step: "finish (work dir removed, log flushed, status set)", at: (.timestamp | ns) }),
        { step: "end", at: $tend } ]
    | . as $p | range(0; length - 1) | "\($p[.].step)\t\((($p[. + 1].at - $p[.].at) / 1e6) | floor)"' \
    "$WORK/deployment-$label.json" | sed "s/^/$label\t/" >>"$WORK/phases"
  log "$(printf '%-8s %6d ms  (seen after %d ms)  %s' "$label" $(( (t_end - t0) / 1000000 )) $(( (t_seen - t0) / 1000000 )) "$dep")"
}

# --- the plain script: Slipway's steps, each a command as a person would write it ------------------------------
SCRIPT_LABEL=bench.script=$WORK
SCRIPT_IMAGE=slipway-bench-script-$RANDOM
BENCH_CLEANUP+=("docker ps -aq --filter label=$SCRIPT_LABEL | xargs -r docker rm -f"
  "docker image ls $SCRIPT_IMAGE --format '{{.Repository}}:{{.Tag}}' | xargs -r docker image rm -f")

# Slipway's generated Dockerfile for this app (StaticServer.Dockerfile) without its LABEL line: Slipway's own
# bookkeeping is part of its overhead.
STATIC_DOCKERFILE="FROM $TEST_IMAGE
EXPOSE $SCRIPT_PORT
CMD [\"httpd\", \"-f\", \"-p\", \"$SCRIPT_PORT\", \"-h\", \"/srv/www\"]
COPY . /srv/www"

# The builder Slipway's probe recorded on the server (after the first Slipway run): the script builds the same way.
SCRIPT_DOCKER=
SCRIPT_BUILDKIT=0
script_builder() {
  read -r SCRIPT_DOCKER SCRIPT_BUILDKIT < <(api GET "/servers/$SERVER_UUID" |
    jq -r '.settings | "\(.docker_client_path) \(if .docker_buildkit then 1 else 0 end)"')
  [[ "$SCRIPT_DOCKER" == /* ]] || die "Slipway recorded no docker client for the server"
}

script_deploy() { # -> phases on stdout as "step ms"
  local dir="$WORK/script-run" t sha old name keep
  [[ -n "$SCRIPT_DOCKER" ]] || script_builder
  local builder_flags=(--rm --force-rm)
  ((SCRIPT_BUILDKIT)) && builder_flags=(--progress plain)
  t=$(now_ns)
  rm -rf "$dir" && mkdir -p "$dir"
  echo "Preparing work directory $(ms_since "$t")"; t=$(now_ns)
  sha=$(git ls-remote -- "$REPO_URL" refs/heads/main | cut -f1)
  echo "Resolving commit $(ms_since "$t")"; t=$(now_ns)
  git -c advice.detachedHead=false clone -q --branch main --single-branch --depth 1 \
    --recurse-submodules --shallow-submodules -- "$REPO_URL" "$dir/src"
  [[ "$(git -C "$dir/src" rev-parse HEAD)" == "$sha" ]]
  echo "Cloning repository $(ms_since "$t")"; t=$(now_ns)
  git -C "$dir/src" log -1 --pretty=%B >/dev/null
  rm -rf "$dir/src/.git"
  echo "Reading commit message $(ms_since "$t")"; t=$(now_ns)
  printf '%s\n' "$STATIC_DOCKERFILE" >"$dir/Dockerfile.static"
  DOCKER_BUILDKIT=$SCRIPT_BUILDKIT "$SCRIPT_DOCKER" build -q --network host "${builder_flags[@]}" -f "$dir/Dockerfile.static" -t "$SCRIPT_IMAGE:$sha" \
    "$dir/src/examples/static-site" >/dev/null 2>"$WORK/script-build.err" || { cat "$WORK/script-build.err" >&2; return 1; }
  echo "Building image $(ms_since "$t")"; t=$(now_ns)
  # Host networking: old and new cannot share the port, so the old one stops first (as Slipway does).
  old=$(docker ps -a --filter "label=$SCRIPT_LABEL" --format '{{.Names}}')
  for name in $old; do docker stop -t 30 "$name" >/dev/null; done
  (umask 077 && echo "PORT=$SCRIPT_PORT" >"$dir/.env")
  docker run -d --name "bench-script-$(date +%H%M%S%N)" --init --restart unless-stopped --label "$SCRIPT_LABEL" \
    --env-file "$dir/.env" --network host "$SCRIPT_IMAGE:$sha" >/dev/null
  echo "Starting new container $(ms_since "$t")"; t=$(now_ns)
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$SCRIPT_PORT/" && break
    sleep 0.1
  done
  curl -fs -o /dev/null "http://127.0.0.1:$SCRIPT_PORT/"
  echo "Checking health $(ms_since "$t")"; t=$(now_ns)
  for name in $old; do docker rm -f "$name" >/dev/null; done
  echo "Retiring old container $(ms_since "$t")"; t=$(now_ns)
  # Keep the newest 2 images for rollback, as Slipway does by default.
  keep=0
  for name in $(docker image ls "$SCRIPT_IMAGE" --format '{{.Tag}}'); do
    [[ "$name" == "$sha" ]] && continue
    keep=$((keep + 1))
    ((keep < 2)) || docker image rm "$SCRIPT_IMAGE:$name" >/dev/null
  done
  echo "Pruning old images $(ms_since "$t")"; t=$(now_ns)
  rm -rf "$dir"
  echo "finish (work dir removed) $(ms_since "$t")"
}

script_run() { # label marker
  local label=$1 marker=$2 t0 elapsed
  t0=$(now_ns)
  script_deploy >"$WORK/script-phases" # errexit applies inside: a failed step ends the benchmark
  elapsed=$(ms_since "$t0")
  [[ "$(curl -fsS "http://127.0.0.1:$SCRIPT_PORT/version.txt")" == "$marker" ]] || die "the script does not serve $marker"
  echo "$label $elapsed $elapsed" >>"$WORK/results"
  awk -v l="$label" '{ ms = $NF; $NF = ""; sub(/ $/, ""); printf "%s\t%s\t%s\n", l, $0, ms }' "$WORK/script-phases" >>"$WORK/phases"
  log "$(printf '%-8s %6d ms' "$label" "$elapsed")"
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
: >"$WORK/results"
: >"$WORK/phases"
n=0
for _ in $(seq 1 "$WARMUP"); do
  n=$((n + 1)); new_commit "v$n"; slipway_run warm-slipway "v$n"
  n=$((n + 1)); new_commit "v$n"; script_run warm-script "v$n"
done
for run in $(seq 1 "$RUNS"); do
  # The order alternates, so neither side always runs right after the other's build.
  if ((run % 2)); then
    n=$((n + 1)); new_commit "v$n"; slipway_run slipway "v$n"
    n=$((n + 1)); new_commit "v$n"; script_run script "v$n"
  else
    n=$((n + 1)); new_commit "v$n"; script_run script "v$n"
    n=$((n + 1)); new_commit "v$n"; slipway_run slipway "v$n"
  fi
done

SLIPWAY_MEDIAN=$(column_of slipway 2 | median)
SEEN_MEDIAN=$(column_of slipway 3 | median)
SCRIPT_MEDIAN=$(column_of script 2 | median)
RATIO=$(awk -v a="$SLIPWAY_MEDIAN" -v b="$SCRIPT_MEDIAN" 'BEGIN { printf "%.3f", a / b }')
PAIR_RATIOS=$(awk '$1 == "slipway" { s[++ns] = $2 } $1 == "script" { b[++nb] = $2 }
  END { for (i = 1; i <= ns; i++) printf "%s%.2f", (i > 1 ? ", " : ""), s[i] / b[i] }' "$WORK/results")
OK=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r <= g) ? "met" : "missed" }')

phase_table() { # label
  awk -F'\t' -v l="$1" '$1 == l && !seen[$2]++ { print $2 }' "$WORK/phases" | while IFS= read -r step; do
    printf '| %s | %s |\n' "$step" "$(awk -F'\t' -v l="$1" -v s="$step" '$1 == l && $2 == s { print $3 }' "$WORK/phases" | median | cut -d. -f1)"
  done
}

SECTION="$WORK/section.md"
{
  echo "<!-- $NAME:begin (written by bench/deploy-overhead.sh) -->"
  echo "### Latest run"
  echo
  echo "| target | runs | median ms | min ms | max ms |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for label in slipway script; do
    printf '| %s | %d | %s | %s | %s |\n' \
      "$([[ $label == slipway ]] && echo "slipway: \`POST /deploy\` → \`finished\` (finished_at)" || echo "plain script, same steps")" \
      "$(column_of "$label" 2 | wc -l)" "$(column_of "$label" 2 | median | cut -d. -f1)" \
      "$(column_of "$label" 2 | sort -g | head -1)" "$(column_of "$label" 2 | sort -g | tail -1)"
  done
  echo
  echo "- **slipway / script = $RATIO** (ratio of medians; goal ≤ $GOAL: **$OK**). Per pair: $PAIR_RATIOS."
  echo "- Seen by a client polling \`GET /deployments/{uuid}\` every 100 ms: median $(cut -d. -f1 <<<"$SEEN_MEDIAN") ms."
  echo "- $RUNS runs each after $WARMUP warm-up run each, alternating; every run deploys a new commit."
  echo "- Machine: $(machine_note)."
  echo "- Command: \`RUNS=$RUNS WARMUP=$WARMUP bench/deploy-overhead.sh\`"
  echo
  echo "Median per step (ms), Slipway from its log's timestamps, the script from its own clock:"
  echo
  echo "| Slipway step | ms |"
  echo "| --- | ---: |"
  phase_table slipway
  echo
  echo "| script step | ms |"
  echo "| --- | ---: |"
  phase_table script
  echo
  echo "<details><summary>Every run (label, ms to finished, ms until a 100 ms poll saw it)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- $NAME:end -->"
} >"$SECTION"
write_section "$SECTION"
