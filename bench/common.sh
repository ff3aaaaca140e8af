# Shared by every benchmark script (api-read.sh and, through engine-common.sh, the engine benchmarks);
# sourced, not run. The caller sets NAME (its section in docs/benchmarks.md) before sourcing, and appends the
# PIDs it starts to BENCH_PIDS and cleanup commands to BENCH_CLEANUP: everything is stopped by PID on exit.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOC="$ROOT/docs/benchmarks.md"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-$NAME.XXXXXX")
BENCH_PIDS=()
BENCH_CLEANUP=()

log() { printf '[%s] %s\n' "$NAME" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

bench_stop() {
  local pid command
  for pid in "${BENCH_PIDS[@]}"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  for command in "${BENCH_CLEANUP[@]}"; do
    eval "$command" >/dev/null 2>&1 || true
  done
  if [[ -n "${KEEP_WORK:-}" ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap bench_stop EXIT

# A port nothing listens on: bash's /dev/tcp connect fails on it.
free_port() {
  local port ephemeral
  # Below the kernel's ephemeral range: a port an outgoing connection (to PostgreSQL, say) holds as its local port
  # answers no probe, yet a server cannot bind it; ha.sh lost an instance that way.
  ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    port=$((10000 + RANDOM % (ephemeral - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

median() { # [decimals, default 3]: numbers on stdin -> their median (nothing for none)
  sort -g | awk -v d="${1:-3}" '{ v[NR] = $1 } END { if (NR == 0) exit; printf "%." d "f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

column_of() { # label column: that column of the rows of $WORK/results whose first field is the label, one a line
  awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$WORK/results"
}

median_of() { # label column [decimals, default 2]: the median of column_of
  column_of "$1" "$2" | median "${3:-2}"
}

# build_compare_ref REF: builds `slipway` at commit REF in a worktree of its own, $WORK/base (removed on exit), for
# a benchmark that measures another commit in the same run (COMPARE_REF). Sets COMPARE_COMMIT (its short hash).
build_compare_ref() {
  COMPARE_COMMIT=$(git -C "$ROOT" rev-parse --short "$1^{commit}") || die "no commit $1"
  log "building $COMPARE_COMMIT (COMPARE_REF=$1) in $WORK/base"
  git -C "$ROOT" worktree add --detach "$WORK/base" "$COMPARE_COMMIT" >"$WORK/base-build.log" 2>&1 || die "git worktree add failed: $(cat "$WORK/base-build.log")"
  BENCH_CLEANUP+=("git -C '$ROOT' worktree remove --force '$WORK/base'")
  dotnet build "$WORK/base/src/Slipway.Cli" -c Release -nologo -v quiet >>"$WORK/base-build.log" 2>&1 || die "build of $COMPARE_COMMIT failed: $(tail -20 "$WORK/base-build.log")"
}

# write_section FILE [SECTION]: prints FILE, then replaces the <!-- SECTION:begin --> ... <!-- SECTION:end --> block
# of docs/benchmarks.md with it (FILE holds the markers itself), or appends a new "## SECTION" section. SECTION is
# NAME unless given. NO_DOCS=1 only prints.
write_section() {
  local section=${2:-$NAME}
  cat "$1"
  [[ -z "${NO_DOCS:-}" ]] || return 0
  if [[ -f "$DOC" ]] && grep -q "<!-- $section:begin" "$DOC"; then
    awk -v f="$1" -v b="<!-- $section:begin" -v e="<!-- $section:end -->" '
      index($0, b) == 1 { while ((getline l < f) > 0) print l; skip = 1; next }
      index($0, e) == 1 { skip = 0; next } !skip' "$DOC" >"$WORK/doc.md"
  else
    { [[ -f "$DOC" ]] && cat "$DOC" && echo; echo "## $section"; echo; cat "$1"; } >"$WORK/doc.md"
  fi
  cp "$WORK/doc.md" "$DOC"
  log "updated $DOC"
}

# start_private_postgres [SERVER OPTIONS]: a PostgreSQL of the bench's own (PG_BIN, default PostgreSQL 15): initdb in
# $WORK/pg, started on a free loopback port with its socket there and the given options; sets PG_DIR and PG_PORT and
# stops it on exit.
start_private_postgres() {
  PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 is not installed ($PG_BIN; apt-get install postgresql-15)"
  PG_DIR="$WORK/pg"
  mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR" && chmod 755 "$WORK"
  (cd / && runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$WORK/initdb.log" 2>&1) \
    || die "initdb failed: $(tail -5 "$WORK/initdb.log")"
  PG_PORT=$(free_port)
  (cd / && runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR ${1:-}" >/dev/null) || die "PostgreSQL did not start"
  BENCH_CLEANUP+=("cd / && runuser -u postgres -- $PG_BIN/pg_ctl stop -D $PG_DIR/data -m fast")
}
