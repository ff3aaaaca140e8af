#!/usr/bin/env bash
# The test command (see docs/testing.md). On a Debian 12 machine, as root, it installs what is missing,
# starts what the tests need (a Docker engine only if none answers, a Caddy image, sshd, PostgreSQL 15) in a run directory,
# then runs `dotnet format --verify-no-changes`, the Release build (warnings are errors) and every test
# project, the PostgreSQL-enabled ones a second time on PostgreSQL. It stops what it started, by PID.
#
#   ./test.sh                                  everything
#   ./test.sh tests/Slipway.Api.Tests          the same setup and checks, but only these test projects
#   ./test.sh tests/Slipway.Api.Tests -- --filter-class '*Cli*'   extra arguments for every `dotnet test`
#   KEEP_TEST_RUN=1 ./test.sh                  keep the run directory (logs, keys, PostgreSQL data) afterwards
#   TEST_TIMEOUT=15m ./test.sh                 per test-project timeout (default 15m; the integration project takes about 8 min here)
#   SLIPWAY_COOLIFY_OPENAPI=FILE ./test.sh     also check tests/Contract/coolify-facts.json against Coolify's document
set -euo pipefail

REPO="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"
cd "$REPO"

readonly CONFIGURATION=Release
readonly BASE_IMAGE=slipway-test/busybox:latest
# The edge proxy tests run Caddy in a container; with no registry reachable it is built from Debian's caddy package.
readonly CADDY_IMAGE=slipway-test/caddy:latest
readonly BUSYBOX_APPLETS=(sh httpd echo cat ls mkdir sleep true wget env grep)
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly SSH_PORT_PREFERRED=2222
readonly PG_PORT_PREFERRED=5433
readonly TEST_TIMEOUT="${TEST_TIMEOUT:-15m}"
# A test project opts into the second, PostgreSQL run with this property in its .csproj.
readonly POSTGRES_MARKER='<SlipwayTestOnPostgres>true</SlipwayTestOnPostgres>'

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
unset SLIPWAY_TEST_DATABASE

RUN_DIR=""
DOCKERD_PID=""
SSHD_PID=""
PG_PID=""
POLICY_RC_CREATED=0
FAILED=0
RUN_START=$EPOCHREALTIME
PHASE_NAMES=()
PHASE_TIMES=()
PHASE_RESULTS=()
CURRENT_PHASE=""
CURRENT_START=""

# ---------------------------------------------------------------------------------------------- helpers

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
  printf 'test.sh: ERROR: %s\n' "$*" >&2
  exit 1
}

# Microseconds since the epoch, from bash's own clock (no external date calls).
now_us() { local t=${1:-$EPOCHREALTIME}; printf '%s' "${t/./}"; }
seconds_since() {
  local us=$(($(now_us) - $(now_us "$1")))
  printf '%d.%01d s' $((us / 1000000)) $((us % 1000000 / 100000))
}

# Setup phases run under `set -e`: a failure exits, and the summary marks the phase that was running.
begin_phase() {
  CURRENT_PHASE=$1
  CURRENT_START=$EPOCHREALTIME
  say "$1"
}
end_phase() {
  record "$CURRENT_PHASE" "$(seconds_since "$CURRENT_START")" "${1:-ok}"
  CURRENT_PHASE=""
}
record() {
  PHASE_NAMES+=("$1")
  PHASE_TIMES+=("$2")
  PHASE_RESULTS+=("$3")
}

# Check phases (format, build, tests) keep going after a failure so one run reports everything.
run_check() {
  local name=$1
  shift
  local start=$EPOCHREALTIME rc=0
  say "$name"
  "$@" || rc=$?
  if ((rc == 0)); then
    record "$name" "$(seconds_since "$start")" ok
  else
    record "$name" "$(seconds_since "$start")" "FAILED (exit $rc)"
    FAILED=1
  fi
  return $rc
}

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_until() {
  local seconds=$1
  shift
  local deadline=$(($(now_us) + seconds * 1000000))
  until "$@" >/dev/null 2>&1; do
    (($(now_us) < deadline)) || return 1
    sleep 0.1
  done
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

first_free_port() {
  local port=$1
  while port_in_use "$port"; do
    port=$((port + 1))
    ((port < $1 + 200)) || die "no free port in $1..$((port - 1))"
  done
  printf '%s' "$port"
}

# PID of a running process whose command name is exactly NAME (from /proc, no procps needed).
find_process() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    if [[ "$(cat "$comm" 2>/dev/null)" == "$1" ]]; then
      comm=${comm#/proc/}
      printf '%s' "${comm%/comm}"
      return 0
    fi
  done
  return 1
}

show_log_tail() {
  note "last lines of $1:"
  tail -n 30 "$1" 2>/dev/null | sed 's/^/      /' || true
}

process_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

# Sends SIGNAL to PID and waits up to SECONDS for it to go, then SIGKILLs it.
stop_pid() {
  local pid=$1 signal=$2 seconds=$3 what=$4
  process_alive "$pid" || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  if ! wait_until "$seconds" bash -c "! kill -0 $pid 2>/dev/null"; then
    note "$what (PID $pid) did not stop within ${seconds}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  note "stopped $what (PID $pid)"
}

# ---------------------------------------------------------------------------------------------- cleanup

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [[ -n "$CURRENT_PHASE" ]]; then
    record "$CURRENT_PHASE" "$(seconds_since "$CURRENT_START")" "FAILED (exit $rc)"
    FAILED=1
  fi
  ((rc == 0)) || FAILED=1

  # The names of failed tests, read before the run directory goes.
  local failed=""
  if [[ -n "$RUN_DIR" ]]; then
    # Each failed test's line and the first lines of its message (up to its stack trace).
    failed=$(awk '/^[[:space:]]*failed [^:]/ { print FILENAME ": " $0; n = 6; next }
                  n > 0 && /^[[:space:]]+at |^[[:space:]]*(from |Stack Trace)/ { if ($0 ~ /^[[:space:]]+at /) n = 0; next }
                  n > 0 { print "      " $0; n-- }' "$RUN_DIR"/test-results/*.log 2>/dev/null | sed "s|$RUN_DIR/test-results/||" || true)
  fi

  local start=$EPOCHREALTIME
  say "Cleaning up"
  if ((POLICY_RC_CREATED)); then rm -f /usr/sbin/policy-rc.d; fi
  stop_pid "$SSHD_PID" TERM 10 sshd
  stop_pid "$PG_PID" INT 30 PostgreSQL # SIGINT = fast shutdown
  stop_pid "$DOCKERD_PID" TERM 30 dockerd
  if [[ -n "$RUN_DIR" && -d "$RUN_DIR" ]]; then
    if [[ "${KEEP_TEST_RUN:-0}" == 1 ]]; then
      note "kept the run directory $RUN_DIR (KEEP_TEST_RUN=1)"
    else
      rm -rf -- "$RUN_DIR"
    fi
  fi
  record "cleanup" "$(seconds_since "$start")" ok

  say "Summary"
  local i
  for i in "${!PHASE_NAMES[@]}"; do
    printf '  %-52s %10s  %s\n' "${PHASE_NAMES[$i]}" "${PHASE_TIMES[$i]}" "${PHASE_RESULTS[$i]}"
  done
  printf '  %-52s %10s  %s\n' "total" "$(seconds_since "$RUN_START")" "$( ((FAILED)) && echo FAILED || echo ok)"
  [[ -z "$failed" ]] || printf '\n  failed tests:\n%s\n' "$(printf '%s\n' "$failed" | cut -c1-300 | sed 's/^/    /')"
  ((FAILED)) && exit 1
  exit 0
}

# ---------------------------------------------------------------------------------------------- setup

docker_answers() { timeout 20 docker version >/dev/null 2>&1; }
package_installed() { [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]; }

install_missing_packages() {
  local missing=()
  if ! command -v docker >/dev/null || { ! command -v dockerd >/dev/null && ! docker_answers; }; then
    missing+=(docker.io)
  fi
  # The image needs a static busybox; Debian's dynamic `busybox` package would not run in it.
  package_installed busybox-static || missing+=(busybox-static)
  if ! [[ -x /usr/sbin/sshd ]] || ! command -v ssh-keygen >/dev/null || ! command -v ssh >/dev/null; then
    missing+=(openssh-server)
  fi
  if ! [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || ! command -v psql >/dev/null; then
    missing+=(postgresql-15)
  fi
  command -v git >/dev/null || missing+=(git)
  # Applications with is_git_lfs_enabled pull their LFS files with git-lfs (the LFS tests clone such a repository).
  git lfs version >/dev/null 2>&1 || missing+=(git-lfs)
  # The edge proxy: Caddy (copied into an image), pebble (the ACME server the HTTPS tests get certificates from)
  # and openssl (pebble's own TLS certificate).
  command -v caddy >/dev/null || missing+=(caddy)
  command -v pebble >/dev/null || missing+=(pebble)
  command -v openssl >/dev/null || missing+=(openssl)
  # The generated-client test (integration project) runs a TypeScript generator and compiler (tests/clients/typescript).
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  [[ -s /etc/ssl/certs/ca-certificates.crt ]] || missing+=(ca-certificates)
  # The dashboard's browser tests drive Debian's Chromium through Playwright (never Playwright's downloads).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)

  if ((${#missing[@]} == 0)); then
    note "nothing to install"
    return
  fi
  note "installing: ${missing[*]}"
  # Keep package scripts from starting services (a default dockerd with a bridge, a system PostgreSQL):
  # this script starts exactly what it needs.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  local log="$RUN_DIR/apt.log"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade "${missing[@]}"; } >"$log" 2>&1; then
    show_log_tail "$log"
    die "apt-get could not install: ${missing[*]}"
  fi
  if ((POLICY_RC_CREATED)); then
    rm -f /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=0
  fi
}

start_docker() {
  if docker_answers; then
    note "reusing the Docker engine that answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
    return
  fi
  local pid
  if pid=$(find_process dockerd); then
    die "a dockerd (PID $pid) is running but 'docker version' cannot reach it; not starting a second daemon (see DOCKER_HOST)"
  fi
  dockerd --iptables=false --bridge=none >"$RUN_DIR/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  note "started dockerd (PID $DOCKERD_PID, log $RUN_DIR/dockerd.log)"
  if ! wait_until 60 docker_answers; then
    show_log_tail "$RUN_DIR/dockerd.log"
    die "dockerd did not answer within 60 s"
  fi
}

# Prints the applets the base image lacks; fails when no container can run from it.
image_missing_applets() {
  # shellcheck disable=SC2016 # $a and $@ expand inside the container's shell
  docker run --rm --network none "$BASE_IMAGE" sh -c 'for a in "$@"; do [ -e "/bin/$a" ] || echo "$a"; done' \
    sh "${BUSYBOX_APPLETS[@]}"
}

build_base_image() {
  local missing
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    missing=$(image_missing_applets) || die "could not run a container from $BASE_IMAGE"
    if [[ -z "$missing" ]]; then
      note "$BASE_IMAGE exists with every applet"
      return
    fi
    note "$BASE_IMAGE lacks $(echo "$missing" | tr '\n' ' ')- rebuilding it"
  fi
  local root="$RUN_DIR/busybox-root" applet
  mkdir -p "$root/bin"
  cp "$(readlink -f /bin/busybox)" "$root/bin/busybox"
  for applet in "${BUSYBOX_APPLETS[@]}"; do
    ln -s busybox "$root/bin/$applet"
  done
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$BASE_IMAGE" >/dev/null
  # Running it proves the engine can start containers before any test depends on that.
  missing=$(image_missing_applets) || die "could not run a container from the new $BASE_IMAGE"
  [[ -z "$missing" ]] || die "the new $BASE_IMAGE still lacks: $missing"
  note "built $BASE_IMAGE"
}

caddy_image_version() { docker run --rm --network none "$CADDY_IMAGE" caddy version 2>/dev/null; }

# A scratch image with Debian's /usr/bin/caddy and the libraries ldd lists (rebuilt when the package changed), as
# ENVIRONMENT.md describes: the tests set it as the servers' proxy image instead of the official caddy:2-alpine.
build_caddy_image() {
  local want have root lib
  want=$(caddy version)
  if docker image inspect "$CADDY_IMAGE" >/dev/null 2>&1; then
    have=$(caddy_image_version) || have=""
    if [[ "$have" == "$want" ]]; then
      note "$CADDY_IMAGE exists with Caddy $have"
      return
    fi
    note "$CADDY_IMAGE has Caddy '${have:-?}', the package $want - rebuilding it"
  fi
  root="$RUN_DIR/caddy-root"
  mkdir -p "$root/usr/bin" "$root/tmp" "$root/etc/ssl/certs"
  chmod 1777 "$root/tmp"
  cp "$(command -v caddy)" "$root/usr/bin/caddy"
  for lib in $(ldd "$(command -v caddy)" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/usr/bin XDG_DATA_HOME=/data XDG_CONFIG_HOME=/config' \
    -c 'CMD ["caddy","run","--config","/etc/caddy/Caddyfile","--adapter","caddyfile"]' - "$CADDY_IMAGE" >/dev/null
  have=$(caddy_image_version) || die "could not run Caddy from the new $CADDY_IMAGE"
  [[ "$have" == "$want" ]] || die "the new $CADDY_IMAGE runs Caddy '$have', expected $want"
  note "built $CADDY_IMAGE (Caddy $have)"
}

ssh_probe() {
  ssh -F /dev/null -i "$SLIPWAY_TEST_SSH_KEY" -p "$SLIPWAY_TEST_SSH_PORT" \
    -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$RUN_DIR/ssh/known_hosts" -o LogLevel=ERROR \
    "$SLIPWAY_TEST_SSH_USER@$SLIPWAY_TEST_SSH_HOST" true
}

start_sshd() {
  local dir="$RUN_DIR/ssh" port
  mkdir -m 700 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C slipway-test-host -f "$dir/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C slipway-test-client -f "$dir/client_ed25519"
  cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"

  port=$(first_free_port "$SSH_PORT_PREFERRED")
  [[ "$port" == "$SSH_PORT_PREFERRED" ]] || note "port $SSH_PORT_PREFERRED is taken (not by this script); using $port"
  printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$dir/host_ed25519.pub")" >"$dir/known_hosts"
  cat >"$dir/sshd_config" <<EOF
# sshd for the tests only: loopback, key-only, its own host key and authorized keys.
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
# Without it root's .bashrc may start heavy shell tooling on every command.
SetEnv SHLVL=5
Subsystem sftp internal-sftp
EOF
  mkdir -p /run/sshd
  /usr/sbin/sshd -t -f "$dir/sshd_config"
  /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$RUN_DIR/sshd.log" &
  SSHD_PID=$!
  note "started sshd on 127.0.0.1:$port (PID $SSHD_PID)"

  export SLIPWAY_TEST_SSH_HOST=127.0.0.1
  export SLIPWAY_TEST_SSH_PORT="$port"
  export SLIPWAY_TEST_SSH_USER=root
  export SLIPWAY_TEST_SSH_KEY="$dir/client_ed25519"
  if ! wait_until 15 ssh_probe; then
    show_log_tail "$RUN_DIR/sshd.log"
    die "cannot log in to sshd on 127.0.0.1:$port as root with the test key"
  fi
}

postgres_probe() {
  PGPASSFILE="$RUN_DIR/pgpass" psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -w -qtAc 'SELECT 1'
}

start_postgres() {
  local dir="$RUN_DIR/postgres" port password
  id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (it comes with the postgresql-15 package)"
  mkdir -m 700 "$dir"
  chown postgres:postgres "$dir"
  password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true)
  install -m 600 -o postgres -g postgres /dev/null "$dir/pwfile"
  printf '%s\n' "$password" >"$dir/pwfile"
  (cd / && runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync --no-instructions) \
    >"$RUN_DIR/initdb.log" 2>&1 || {
    show_log_tail "$RUN_DIR/initdb.log"
    die "initdb failed"
  }
  rm -f "$dir/pwfile"

  port=$(first_free_port "$PG_PORT_PREFERRED")
  [[ "$port" == "$PG_PORT_PREFERRED" ]] || note "port $PG_PORT_PREFERRED is taken (not by this script); using $port"
  # Durability is not needed for throwaway test databases; the tests create and drop many of them.
  (cd / && runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300") \
    >"$RUN_DIR/pg_ctl.log" 2>&1 || {
    show_log_tail "$RUN_DIR/pg_ctl.log"
    show_log_tail "$dir/postgres.log"
    die "PostgreSQL did not start"
  }
  PG_PID=$(head -n 1 "$dir/data/postmaster.pid")
  note "started PostgreSQL 15 on 127.0.0.1:$port (PID $PG_PID)"

  printf '127.0.0.1:%s:*:postgres:%s\n' "$port" "$password" >"$RUN_DIR/pgpass"
  chmod 600 "$RUN_DIR/pgpass"
  if ! wait_until 30 postgres_probe "$port"; then
    show_log_tail "$dir/postgres.log"
    die "PostgreSQL on 127.0.0.1:$port does not accept connections"
  fi
  export SLIPWAY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
}

# The packages of the generated-client test (integration project), from its lock file; skipped when node_modules matches it already.
install_client_packages() {
  local dir=tests/clients/typescript
  if cmp -s "$dir/package-lock.json" "$dir/node_modules/.slipway-installed-lock" 2>/dev/null; then
    note "node_modules matches package-lock.json"
    return
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$RUN_DIR/npm.log" 2>&1 || {
    show_log_tail "$RUN_DIR/npm.log"
    die "npm ci in $dir failed"
  }
  cp "$dir/package-lock.json" "$dir/node_modules/.slipway-installed-lock"
  note "installed $(ls "$dir/node_modules" | wc -l) packages into $dir/node_modules"
}

# ---------------------------------------------------------------------------------------------- checks

check_format() {
  local report="$RUN_DIR/format-report"
  if dotnet format Slipway.slnx --verify-no-changes --report "$report"; then
    return 0
  fi
  local files
  files=$(grep -ho '"FilePath": *"[^"]*"' "$report"/*.json 2>/dev/null | sed 's/^"FilePath": *"//; s/"$//' | sort -u || true)
  if [[ -n "$files" ]]; then
    note "files that 'dotnet format Slipway.slnx' would change:"
    printf '%s\n' "$files" | sed "s|^$REPO/|      |"
  fi
  return 1
}

has_tests() { grep -rqsE '\[(Fact|Theory)\b' --include='*.cs' "$(dirname "$1")"; }

# xunit v3 on Microsoft.Testing.Platform (global.json): `dotnet test --project`; the rest goes to the test app.
# --fail-skips: a test that cannot run here (no Docker, sshd, PostgreSQL) fails instead of passing quietly.
# Its output is also kept, so the summary can name the failed tests (a CI log is often cut to its tail).
run_tests() { # PROJECT RESULTS [ARGUMENTS for this pass…]
  local project=$1 results=$2
  mkdir -p "$RUN_DIR/test-results"
  dotnet test --project "$project" -c "$CONFIGURATION" --no-build --no-ansi --no-progress \
    --results-directory "$RUN_DIR/test-results/$results" --timeout "$TEST_TIMEOUT" --fail-skips on \
    "${@:3}" ${EXTRA_TEST_ARGS[@]+"${EXTRA_TEST_ARGS[@]}"} 2>&1 | tee "$RUN_DIR/test-results/$results.log"
}

# Tests whose outcome no database decides (trait Database=any, see TestDatabase.TraitName) ran in the SQLite pass.
# A selection of only such tests leaves this pass none to run: exit code 8 (zero tests) is then not a failure.
run_tests_on_postgres() { SLIPWAY_TEST_DATABASE=postgres run_tests "$1" "$2" --filter-not-trait "Database=any" --ignore-exit-code 8; }

# True when no project was named on the command line, or this one was (by directory, .csproj or name).
is_selected() {
  ((${#SELECTED[@]})) || return 0
  local wanted
  for wanted in "${SELECTED[@]}"; do
    wanted=${wanted%/}
    [[ "$(basename "$1" .csproj)" == "$(basename "${wanted%.csproj}")" ]] && return 0
  done
  return 1
}

# Every tests/*/*.csproj marked <IsTestProject>true</IsTestProject> (or only those named on the command
# line): unit tiers first, integration last.
discover_test_projects() {
  local project
  for project in tests/*/*.csproj; do
    grep -qE '<IsTestProject>[[:space:]]*true[[:space:]]*</IsTestProject>' "$project" || continue
    is_selected "$project" || continue
    if [[ "$project" == *IntegrationTests* ]]; then printf '2 %s\n' "$project"; else printf '1 %s\n' "$project"; fi
  done | sort | cut -d' ' -f2-
}

# ---------------------------------------------------------------------------------------------- main

SELECTED=()
EXTRA_TEST_ARGS=()
while (($#)); do
  case "$1" in
    --) shift; EXTRA_TEST_ARGS=("$@"); break ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (test projects come first, then -- and arguments for dotnet test)" ;;
    *) SELECTED+=("$1"); shift ;;
  esac
done

for wanted in ${SELECTED[@]+"${SELECTED[@]}"}; do
  wanted=${wanted%/}
  [[ -f "tests/$(basename "${wanted%.csproj}")/$(basename "${wanted%.csproj}").csproj" ]] ||
    die "no test project $wanted (expected tests/NAME/NAME.csproj)"
done

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ $EUID -eq 0 ]] || die "run as root: the test command installs packages and starts sshd and PostgreSQL"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH; see global.json for the version"

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-test-run.XXXXXX")
chmod 755 "$RUN_DIR" # PostgreSQL runs as 'postgres' and must reach its directory inside
note "run directory: $RUN_DIR"

begin_phase "install missing packages"
install_missing_packages
end_phase
begin_phase "Docker engine"
start_docker
end_phase
begin_phase "base image $BASE_IMAGE"
build_base_image
end_phase
begin_phase "Caddy image $CADDY_IMAGE"
build_caddy_image
export SLIPWAY_TEST_CADDY_IMAGE="$CADDY_IMAGE"
end_phase
begin_phase "sshd"
start_sshd
end_phase
begin_phase "PostgreSQL 15"
start_postgres
end_phase
# Only the integration project has the generated-client test (tests/Slipway.IntegrationTests/EndToEnd).
if is_selected tests/Slipway.IntegrationTests/Slipway.IntegrationTests.csproj; then
  begin_phase "npm packages of the generated-client test"
  install_client_packages
  end_phase
fi

run_check "dotnet tool restore" dotnet tool restore || true
# Optional: with a copy of Coolify's OpenAPI document at hand, check that tests/Contract/coolify-facts.json
# is still what eng/coolify-facts.cs makes of it. The tests themselves read only the committed facts.
if [[ -n "${SLIPWAY_COOLIFY_OPENAPI:-}" ]]; then
  run_check "Coolify facts match \$SLIPWAY_COOLIFY_OPENAPI" dotnet run eng/coolify-facts.cs -- --check "$SLIPWAY_COOLIFY_OPENAPI" || true
fi
run_check "dotnet format --verify-no-changes" check_format || true
if run_check "dotnet build -c $CONFIGURATION" dotnet build Slipway.slnx -c "$CONFIGURATION" -warnaserror -nologo -v q; then
  mapfile -t projects < <(discover_test_projects)
  ((${#projects[@]} > 0)) || die "no test project under tests/ matches: ${SELECTED[*]:-(any)}"
  postgres_projects=()
  for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    if ! has_tests "$project"; then
      note "$name has no [Fact] or [Theory] yet: not run"
      record "test $name" "-" "no tests yet"
      continue
    fi
    run_check "test $name" run_tests "$project" "$name" || true
    if grep -qF "$POSTGRES_MARKER" "$project"; then postgres_projects+=("$project"); fi
  done
  for project in "${postgres_projects[@]}"; do
    name=$(basename "$project" .csproj)
    run_check "test $name on PostgreSQL" run_tests_on_postgres "$project" "$name-postgres" || true
  done
else
  note "build failed: tests not run"
fi
