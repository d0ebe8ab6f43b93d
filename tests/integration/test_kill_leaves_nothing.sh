#!/usr/bin/env bash
# A run killed with -9 or interrupted leaves nothing that looks finished and nothing that troubles
# the next run: a MongoDB dump's files and folder (SIGINT: nothing at all; kill -9: only hidden
# temporary names), and libmongoc's /dev/shm/mongoc-<pid> counters file (which made a later run
# with the same pid print a warning before main()).
source "$(dirname "$0")/mongo_common.sh"

# --- libmongoc's counters file -------------------------------------------------------------------
# In a private user, mount and pid namespace the run's pid is known in advance (the first process
# is pid 1, its first child pid 2) and /dev/shm is a private tmpfs, so a stale file for exactly that
# pid can be planted without touching the machine's /dev/shm. MONGOC_DISABLE_SHM (set by the
# harness) is removed: the product must cope without it.
in_private_shm() { unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t tmpfs shm /dev/shm && eval "$1"' sh "$1"; }
if ! command -v unshare >/dev/null || ! in_private_shm true 2>/dev/null; then
  # A kernel or container policy (not a missing package) can forbid these namespaces, in CI too:
  # reported as a skip, never as a pass.
  HARNESS_SKIPPED=$((HARNESS_SKIPPED + 1))
  echo "SKIP - libmongoc's counters file: unshare cannot make a user, mount and pid namespace here"
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

# --- a MongoDB dump interrupted while it writes --------------------------------------------------
if is_test_double; then
  BACKUP_DIR=$HARNESS_TMP/mongo
  mongo_start "$BACKUP_DIR"
  # slowdb.slow_find_c: the test double takes 200 ms per batch of it (15 batches of 1000 with the
  # backup's batch size); slowdb.quick is whole long before.
  SOURCE=$HARNESS_TMP/source/slowdb
  mkdir -p "$SOURCE"
  python3 -c 'import struct,sys
out=sys.stdout.buffer
for n in range(int(sys.argv[1])):
    b=b"\x10_id\x00"+struct.pack("<i",n)+b"\x00"; out.write(struct.pack("<i",len(b)+4)+b)' 15000 >"$SOURCE/slow_find_c.bson"
  bson_int_id 1 >"$SOURCE/quick.bson"
  expect_exit 0 mp --yes mongo-restore "$HARNESS_TMP/source"

  # start_backup: a mongo backup of slowdb in the background (pid in BACKUP_PID), returned once it
  # is writing slow_find_c's data (under any name).
  start_backup() {
    "$MYSQLPITR_BIN" -c "$CONFIG" backup --kind mongo --db slowdb </dev/null >/dev/null 2>"$HARNESS_TMP/backup.err" &
    BACKUP_PID=$!
    for _ in $(seq 1 500); do
      ls -A "$BACKUP_DIR"/.backup_*.partial/slowdb 2>/dev/null | grep -q 'slow_find_c\.bson' && return 0
      kill -0 "$BACKUP_PID" 2>/dev/null || break
      sleep 0.02
    done
    return 1
  }
  finals() { ls "$BACKUP_DIR" | grep '^backup_' | tr '\n' ' '; }

  check "the backup was writing slow_find_c when killed -9" start_backup
  inside=$(ls -A "$BACKUP_DIR"/.backup_*.partial/slowdb 2>/dev/null | tr '\n' ' ')
  kill -9 "$BACKUP_PID"; wait "$BACKUP_PID" 2>/dev/null
  check "kill -9: no backup_* folder ($(finals))" test -z "$(finals)"
  check "kill -9: the collection being written has only a temporary name ($inside)" \
    matches "$inside" '(^| )\.slow_find_c\.bson\.partial-[A-Za-z0-9]+ '
  check "kill -9: no final-named data file of it ($inside)" bash -c "! grep -Eq '(^| )slow_find_c\.bson ' <<<'$inside'"
  rm -rf "$BACKUP_DIR"/.backup_*

  check "the backup was writing slow_find_c when interrupted" start_backup
  kill -INT "$BACKUP_PID"; wait "$BACKUP_PID"; rc=$?
  check "SIGINT: exit 130 (got $rc)" test "$rc" = 130
  check "SIGINT: says nothing was finished" contains "$(cat "$HARNESS_TMP/backup.err")" "interrupted"
  check "SIGINT: nothing is left in the backup folder ($(ls -A "$BACKUP_DIR" | tr '\n' ' '))" \
    test -z "$(ls -A "$BACKUP_DIR" | grep -v '^\.mysqlpitr-mongo\.lock$')"

  # The same, then: a whole backup, without MONGOC_DISABLE_SHM, silent under --quiet.
  sleep 1
  expect_exit 0 env -u MONGOC_DISABLE_SHM "$MYSQLPITR_BIN" -c "$CONFIG" --quiet backup --kind mongo --db slowdb
  check "a whole backup afterwards prints nothing on stderr" test -z "$ERR"
  FOLDER=$(ls -d "$BACKUP_DIR"/backup_* | head -1)
  check "and holds every document" cmp "$SOURCE/slow_find_c.bson" "$FOLDER/slowdb/slow_find_c.bson"
else
  skip_check "a MongoDB dump interrupted while it writes" "needs the test double's slow collections"
fi

harness_finish
