#!/usr/bin/env bash
# A run killed with -9 or interrupted leaves nothing that looks finished and nothing that troubles
# the next run: libmongoc's /dev/shm/mongoc-<pid> counters file (which made a later run with the
# same pid print a warning before main()).
source "$(dirname "$0")/mongo_common.sh"

# --- libmongoc's counters file -------------------------------------------------------------------
# In a private user, mount and pid namespace the run's pid is known in advance (the first process
# is pid 1, its first child pid 2) and /dev/shm is a private tmpfs, so a stale file for exactly that
# pid can be planted without touching the machine's /dev/shm. MONGOC_DISABLE_SHM (set by the
# harness) is removed: the product must cope without it.
in_private_shm() { unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t tmpfs shm /dev/shm && eval "$1"' sh "$1"; }
if ! command -v unshare >/dev/null || ! in_private_shm true 2>/dev/null; then
  skip_check "libmongoc's counters file" "unshare cannot make a user, mount and pid namespace here"
else
  export BIN=$MYSQLPITR_BIN
  expect_exit 0 in_private_shm 'touch /dev/shm/mongoc-1 && exec env -u MONGOC_DISABLE_SHM "$BIN" --version'
  check "a stale /dev/shm/mongoc-<pid> of the run's own pid: nothing on stderr" test -z "$ERR"

  # A run blocked on a server that never answers (past main(): it is connecting), then killed -9.
  python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); __import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
c,_=s.accept(); open(sys.argv[2], "w").close(); time.sleep(30)' "$HARNESS_TMP/silent.port" "$HARNESS_TMP/accepted" &
  SILENT_PID=$!
  for _ in $(seq 1 50); do [ -s "$HARNESS_TMP/silent.port" ] && break; sleep 0.1; done
  SILENT_PORT=$(cat "$HARNESS_TMP/silent.port")
  mkdir -p "$HARNESS_TMP/historical"
  export SILENT_CONFIG=$HARNESS_TMP/silent.toml ACCEPTED=$HARNESS_TMP/accepted
  printf '[mysql]\nhost = "127.0.0.1"\nport = %s\nuser = "backup"\n[paths]\nhistorical = "%s"\n' \
    "$SILENT_PORT" "$HARNESS_TMP/historical" >"$SILENT_CONFIG"
  chmod 600 "$SILENT_CONFIG"
  expect_exit 0 in_private_shm '
    env -u MONGOC_DISABLE_SHM "$BIN" -c "$SILENT_CONFIG" backup --kind historical --db x </dev/null >/dev/null 2>"$ACCEPTED.err" &
    for _ in $(seq 1 100); do [ -e "$ACCEPTED" ] && break; sleep 0.1; done
    [ -e "$ACCEPTED" ] || { echo "the run never connected: $(cat "$ACCEPTED.err")"; exit 1; }
    echo "running: $(ls -A /dev/shm | tr "\n" " ")"
    kill -9 $! 2>/dev/null; wait $! 2>/dev/null
    echo "after: $(ls -A /dev/shm | tr "\n" " ")"'
  kill "$SILENT_PID" 2>/dev/null; wait "$SILENT_PID" 2>/dev/null
  check "a run killed -9 leaves no /dev/shm/mongoc-<pid> (${OUT//$'\n'/; })" test "$OUT" = $'running: \nafter: '
fi

harness_finish
