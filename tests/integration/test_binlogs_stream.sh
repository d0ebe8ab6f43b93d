#!/usr/bin/env bash
# binlogs stream (issue 17): the archive's files byte for byte equal to the server's own and to
# mariadb-binlog --read-from-remote-server --raw; rotate-binlogs on the same archive; a closed
# binlog left unrecorded recorded by the next stream; kill -9 of
# the stream with a torn tail; server restart and crash under a running stream; SIGTERM; a binlog
# purged while the stream was down (exit 5); refusals of a missing or taken server_id.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
ARCHIVE=$BACKUP_DIR/binlogs
ORACLE=$HARNESS_TMP/oracle
STREAM_LOG=$HARNESS_TMP/stream.log

expect_exit 2 mp binlogs stream --until-current
check "no stream.server_id: the message says to set it" contains "$ERR" "stream.server_id is not set"
printf '\n[stream]\nserver_id = 1\nsync_interval = 1\n' >>"$CONFIG"
expect_exit 2 mp binlogs stream --until-current
check "the server's own server_id is refused" contains "$ERR" "is the server's own server_id"
sed -i 's/^server_id = 1$/server_id = 77/' "$CONFIG"

workload() {  # workload N: N transactions of rows and a statement or two
  local i
  for i in $(seq 1 "$1"); do
    echo "INSERT INTO shop.t (v) VALUES (REPEAT('x', 200)), ('$i'); UPDATE shop.t SET n = n + 1 WHERE id % 7 = $((i % 7));"
  done | sql
}
server_file() { echo "$DATADIR/$1"; }
active() { sql "SHOW MASTER STATUS" | cut -f1; }
active_pos() { sql "SHOW MASTER STATUS" | cut -f2; }

# Every closed binlog in the archive equal to the server's file; the streamed active one equal to
# what mariadb-binlog --raw fetches of it.
same_as_server() {
  local name ok=0 count=0
  for name in $(sql "SHOW BINARY LOGS" | cut -f1); do
    [ "$name" = "$(active)" ] && continue
    [ -f "$ARCHIVE/$name" ] || { echo "    $name missing in the archive"; ok=1; continue; }
    cmp -s "$ARCHIVE/$name" "$(server_file "$name")" || { echo "    $name differs"; ok=1; }
    count=$((count + 1))
  done
  [ "$count" -gt 0 ] && [ "$ok" = 0 ]
}
same_as_oracle() {
  local name=$1
  rm -rf "$ORACLE"; mkdir -p "$ORACLE"
  mariadb-binlog --no-defaults -R --raw -S "$SOCKET" -uroot --result-file="$ORACLE/" "$name" 2>"$ORACLE.err" ||
    { cat "$ORACLE.err"; return 1; }
  cmp "$ARCHIVE/$name.streaming" "$ORACLE/$name"
}
state() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$ARCHIVE/.mysqlpitr-stream.json" "$1"; }

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT, n INT DEFAULT 0)"
workload 30
sql "FLUSH BINARY LOGS"
workload 30

# --- 1. one-shot: from an empty archive to the server's position ---------------------------------
expect_exit 0 mp binlogs stream --until-current
check "closed binlogs streamed byte for byte as the server's files" same_as_server
check "the active binlog streamed as mariadb-binlog --raw fetches it" same_as_oracle "$(active)"
check "the streamed file holds the server's position" test "$(stat -c %s "$ARCHIVE/$(active).streaming")" = "$(active_pos)"
check "state stopped at the server's position" test "$(state state) $(state position)" = "stopped $(active_pos)"
check "closed binlogs recorded in the archive's manifest" grep -q '"mysql-bin.000001"' "$ARCHIVE/.mysqlpitr-binlogs.json"
check "no .streaming name for a closed binlog" test ! -e "$ARCHIVE/mysql-bin.000001.streaming"

# --- 2. rotate-binlogs on the same archive -------------------------------------------------------
inode_before=$(stat -c %i "$ARCHIVE/mysql-bin.000001")
expect_exit 0 mp rotate-binlogs
check "rotate-binlogs keeps the stream's verified file (not rewritten)" test "$(stat -c %i "$ARCHIVE/mysql-bin.000001")" = "$inode_before"
check "rotate-binlogs: archive whole" contains "$ERR$OUT" "archive whole"
workload 5
expect_exit 0 mp binlogs stream --until-current
check "after rotate-binlogs archived the streamed binlog, its .streaming is gone" test ! -e "$ARCHIVE/mysql-bin.000002.streaming"
check "the stream goes on after rotate-binlogs' copies" same_as_oracle "$(active)"
check "all closed binlogs equal the server's" same_as_server

# --- 2b. a closed binlog named but not recorded (killed between the two, or stopped while another
# run held the archive's lock): the next stream records it ------------------------------------------
unrecorded=$(cd "$ARCHIVE" && ls | grep -x 'mysql-bin\.[0-9]*' | tail -1)
python3 -c "
import json, sys; p = sys.argv[1] + '/.mysqlpitr-binlogs.json'; m = json.load(open(p))
del m['copies'][sys.argv[2]]; json.dump(m, open(p, 'w'))" "$ARCHIVE" "$unrecorded"
expect_exit 0 mp binlogs stream --until-current
check "the next stream records the unrecorded $unrecorded" grep -q "\"$unrecorded\"" "$ARCHIVE/.mysqlpitr-binlogs.json"

# --- 3. kill -9 of the stream, a torn tail, resume -----------------------------------------------
"$MYSQLPITR_BIN" -c "$CONFIG" binlogs stream </dev/null >>"$STREAM_LOG" 2>&1 &
STREAM_PID=$!
workload 20
sleep 1.5
kill -9 "$STREAM_PID"; wait "$STREAM_PID" 2>/dev/null
printf 'torn-event-tail' >>"$ARCHIVE/$(active).streaming"
workload 10
expect_exit 0 mp binlogs stream --until-current
check "after kill -9 and a torn tail: no gap, no duplicate" same_as_oracle "$(active)"

# --- 4. server restart and crash under a running stream; SIGTERM ----------------------------------
"$MYSQLPITR_BIN" -c "$CONFIG" binlogs stream </dev/null >>"$STREAM_LOG" 2>&1 &
STREAM_PID=$!
workload 10
harness_restart_mariadb
workload 10
harness_restart_mariadb --kill
workload 10
sql "FLUSH BINARY LOGS"
workload 5
for _ in $(seq 1 100); do
  [ "$(state file 2>/dev/null)" = "$(active)" ] && [ "$(state position 2>/dev/null)" = "$(active_pos)" ] && break
  sleep 0.1
done
kill -TERM "$STREAM_PID"; wait "$STREAM_PID"; rc=$?
check "SIGTERM: exit 0" test "$rc" = 0
check "SIGTERM: state stopped" test "$(state state)" = stopped
check "the stream reconnected after the restarts" grep -q "reconnecting" "$STREAM_LOG"
check "after a restart and a crash: closed binlogs equal the server's" same_as_server
check "after a restart and a crash: the active one as mariadb-binlog fetches it" same_as_oracle "$(active)"

# --- 5. a binlog purged while the stream was down ------------------------------------------------
needed=$(active)
workload 3
# After the crash the server may hold a binlog until its next checkpoint: purge until it is gone.
for _ in $(seq 1 20); do
  sql "FLUSH BINARY LOGS"
  sql "PURGE BINARY LOGS TO '$(active)'"
  sql "SHOW BINARY LOGS" | cut -f1 | grep -qx "$needed" || break
  sleep 0.2
done
check "the server purged $needed" test -z "$(sql "SHOW BINARY LOGS" | cut -f1 | grep -x "$needed")"
expect_exit 5 mp binlogs stream --until-current
check "the purged binlog is named" contains "$ERR" "$needed"
harness_finish
