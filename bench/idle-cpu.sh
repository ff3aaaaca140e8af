#!/usr/bin/env bash
# CPU an idle `slipway serve` spends doing nothing (SQLite, embedded defaults, no deployments): CPU milliseconds per
# second and thread wake-ups (voluntary context switches, all threads) per second over WINDOW seconds, measured
# SETTLE seconds after start (past tiered compilation and the first log-retention pass, at 60 s). This build and,
# with COMPARE_REF, that commit's build run side by side in each round (both idle, so neither disturbs the other much).
# Results go into the "idle-cpu" section of docs/benchmarks.md.
#
#   bench/idle-cpu.sh                       # 3 rounds of SETTLE 75 s + WINDOW 30 s
#   COMPARE_REF=4f8c673 bench/idle-cpu.sh   # also that commit's build, in the same rounds
#   NO_DOCS=1 bench/idle-cpu.sh             # print the section, leave docs/benchmarks.md alone
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SETTLE=${SETTLE:-75}
WINDOW=${WINDOW:-30}
COMPARE_REF=${COMPARE_REF:-}

NAME=idle-cpu
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log "building Release"
dotnet build "$ROOT/src/Slipway.Cli" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || die "build failed: $(tail -20 "$WORK/build.log")"
TARGETS=("this $ROOT/artifacts/bin/Slipway.Cli/release/slipway")
if [[ -n "$COMPARE_REF" ]]; then
  build_compare_ref "$COMPARE_REF"
  TARGETS+=("$COMPARE_COMMIT $WORK/base/artifacts/bin/Slipway.Cli/release/slipway")
fi

HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wakeups() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '$1 == "voluntary_ctxt_switches:" { s += $2 } END { print s + 0 }'; }

: >"$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
  pids=() labels=()
  for target in "${TARGETS[@]}"; do
    read -r label binary <<<"$target"
    port=$(free_port)
    # Its own working directory: the configuration's file watcher looks at the content root, and /tmp is busy.
    mkdir -p "$WORK/$label-$round"
    (cd "$WORK/$label-$round" && exec "$binary" serve --urls "http://127.0.0.1:$port" --data-dir "$WORK/$label-$round/data") >"$WORK/serve-$label-$round.log" 2>&1 &
    pids+=("$!") labels+=("$label")
    BENCH_PIDS+=("$!")
  done
  log "round $round: ${labels[*]} started; waiting $SETTLE s, then measuring $WINDOW s"
  sleep "$SETTLE"
  before=()
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "a server exited: $(tail -5 "$WORK"/serve-*-"$round".log)"
    before+=("$(cpu_ticks "$pid") $(wakeups "$pid")")
  done
  sleep "$WINDOW"
  for i in "${!pids[@]}"; do
    read -r t0 w0 <<<"${before[$i]}"
    t1=$(cpu_ticks "${pids[$i]}") w1=$(wakeups "${pids[$i]}")
    awk -v l="${labels[$i]}" -v r="$round" -v t="$((t1 - t0))" -v w="$((w1 - w0))" -v hz="$HZ" -v s="$WINDOW" \
      'BEGIN { printf "%s %s %.1f %.1f\n", l, r, t * 1000 / hz / s, w / s }' >>"$WORK/results"
    kill "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
done

{
  echo "<!-- idle-cpu:begin (written by bench/idle-cpu.sh) -->"
  echo "### Latest run"
  echo
  echo "| build | CPU while idle (ms per s, median) | wake-ups per s (median) |"
  echo "| --- | ---: | ---: |"
  for target in "${TARGETS[@]}"; do
    read -r label _ <<<"$target"
    name=$label
    [[ "$label" != this ]] || name="this build ($(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+dirty'))"
    [[ "$label" != "${COMPARE_COMMIT:-}" ]] || name="$COMPARE_COMMIT (COMPARE_REF)"
    echo "| $name | $(column_of "$label" 3 | median) | $(column_of "$label" 4 | median) |"
  done
  echo
  echo "- Each round: every build started at once on a fresh SQLite data directory (no settings, engine on, nothing queued), $SETTLE s to settle, then CPU (utime + stime from /proc/PID/stat) and voluntary context switches summed over /proc/PID/task/* across $WINDOW s."
  echo "- Machine: \`nproc\` = $(nproc); load average before the last round's window $(cut -d' ' -f1-3 /proc/loadavg); $(dotnet --version) SDK; $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo "- Command: \`${COMPARE_REF:+COMPARE_REF=$COMPARE_REF }ROUNDS=$ROUNDS SETTLE=$SETTLE WINDOW=$WINDOW bench/idle-cpu.sh\`"
  echo
  echo "<details><summary>Every measurement (build, round, CPU ms per s, wake-ups per s)</summary>"
  echo
  echo '```'
  cat "$WORK/results"
  echo '```'
  echo "</details>"
  echo "<!-- idle-cpu:end -->"
} >"$WORK/section.md"
write_section "$WORK/section.md"
