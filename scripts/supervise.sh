#!/usr/bin/env bash
# supervise.sh - keep one kaowu-fcgi master (one worker pool) running: restart it within a
# second when it dies, log every death, and brake a crash loop. Started by instance.sh.
#
#   scripts/supervise.sh NAME PIDFILE -- COMMAND... >>LOG 2>&1
#
# NAME names the pool in the log; PIDFILE receives the supervisor's own pid; COMMAND runs in the
# foreground (the master writes its own pid file) and shares the supervisor's stdout/stderr. SIGTERM/SIGINT: pass SIGTERM to the master,
# wait for it, and exit without restarting.
# Brake: more than BRAKE_MAX (5) restarts within BRAKE_WINDOW (30) seconds waits 5 s before the
# next start, doubling up to 60 s while the loop lasts; a master that stays up resets it.
set -uo pipefail
name=$1 pidfile=$2
shift 2
[ "${1:-}" = -- ] && shift
BRAKE_MAX=${KAOWU_BRAKE_MAX:-5}
BRAKE_WINDOW=${KAOWU_BRAKE_WINDOW:-30}

log() { printf '%s [%d] %s supervise: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" $$ "$1" "$2" >&2; }

echo $$ >"$pidfile"
stopping=0
child=0
on_stop() {
  stopping=1
  [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null
}
trap on_stop TERM INT

starts=()
pause=5
while [ "$stopping" = 0 ]; do
  "$@" </dev/null &
  child=$!
  started=$(date +%s)
  # wait returns early when a trapped signal arrives; wait again until the master is gone.
  while :; do
    wait "$child" 2>/dev/null
    status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=0
  [ "$stopping" = 1 ] && break
  if [ "$status" -gt 128 ]; then
    how="killed by signal $((status - 128))"
  else
    how="exited with $status"
  fi
  now=$(date +%s)
  [ $((now - started)) -ge "$BRAKE_WINDOW" ] && { starts=(); pause=5; }
  recent=()
  for t in "${starts[@]}"; do [ $((now - t)) -lt "$BRAKE_WINDOW" ] && recent+=("$t"); done
  starts=("${recent[@]}" "$now")
  if [ "${#starts[@]}" -gt "$BRAKE_MAX" ]; then
    log error "pool $name master $how; ${#starts[@]} restarts in ${BRAKE_WINDOW} s, crash loop: waiting ${pause} s"
    sleep "$pause" &
    wait $! 2>/dev/null
    pause=$((pause * 2 > 60 ? 60 : pause * 2))
  else
    log warn "pool $name master $how; restarting"
    sleep 0.2
  fi
done
log info "pool $name stopped"
rm -f "$pidfile"
