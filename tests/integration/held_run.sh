#!/usr/bin/env bash
# Runs the binary on a terminal held at its SI prompt (sourced after harness.sh): the plan is made and
# the locks are taken, so a test can try a second run against them before it answers.

HELD_DIALOG="$(dirname "${BASH_SOURCE[0]}")/pty_dialog.py"

# held NAME COMMAND...: runs COMMAND with ${HELD_CONFIG:-$CONFIG} on a terminal in the background,
# held at its SI prompt until release NAME; true once it is there.
held() {
  local name=$1; shift
  mkdir -p "$HARNESS_TMP/$name"
  printf 'type SI to confirm\t{hold:%s}SI\n' "$HARNESS_TMP/$name" >"$HARNESS_TMP/$name.steps"
  python3 "$HELD_DIALOG" "$HARNESS_TMP/$name.txt" "$HARNESS_TMP/$name.steps" -- \
    "$MYSQLPITR_BIN" -c "${HELD_CONFIG:-$CONFIG}" "$@" &
  eval "HELD_$name=\$!"
  for _ in $(seq 1 600); do
    [ -e "$HARNESS_TMP/$name/reached" ] && return 0
    sleep 0.1
  done
  return 1
}
# release NAME: answers SI; the run's exit code in $RELEASED.
release() {
  touch "$HARNESS_TMP/$1/go"
  local pid_var="HELD_$1"
  wait "${!pid_var}"
  RELEASED=$?
  [ "$RELEASED" = 0 ] || cat "$HARNESS_TMP/$1.txt"
}
