#!/usr/bin/env bash
# binlogs stream (issue 17): the archive's files byte for byte equal to the server's own and to
# mariadb-binlog --read-from-remote-server --raw; rotate-binlogs on the same archive; a closed
# binlog left unrecorded recorded by the next stream; kill -9 of
# the stream with a torn tail; server restart and crash under a running stream; SIGTERM; a binlog
# purged while the stream was down (exit 5); refusals of a missing or taken server_id; in mode s3
# the stream alone releases the local copies the server purged and the bucket holds.
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
expect_exit 0 mp check
check "check: the stream's privileges and server_id" matches "$OUT" "binlogs stream.*OK|OK.*binlogs stream"
check "check: stream.server_id free" matches "$OUT" "stream.server_id.*77"
expect_exit 0 mp binlogs stream --dry-run
check "a dry run says where it would start and writes nothing" test -z "$(ls -A "$BACKUP_DIR/binlogs" | grep -v '\.lock$')" -a -n "$(echo "$OUT$ERR" | grep "from mysql-bin.000001 at byte 4")"

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
expect_exit 5 mp binlogs stream --until-current
check "a second stream on the archive is refused, naming the running one" contains "$ERR" "binlogs stream"
harness_restart_mariadb
workload 10
harness_restart_mariadb --kill
workload 10
expect_exit 0 mp rotate-binlogs    # its flush and copy race the running stream's close of the same binlog
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

# --- 5. network loss: the connection dropped, then stalled (tests/tools/tcp_fault_proxy.py) ---------
python3 "$HARNESS_SOURCE_DIR/tests/tools/tcp_fault_proxy.py" --upstream "127.0.0.1:$PORT" \
  --port-file "$HARNESS_TMP/proxy.port" >"$HARNESS_TMP/proxy.out" 2>&1 &
PROXY_PID=$!
HARNESS_HELPERS+=("$PROXY_PID")
for _ in $(seq 1 100); do [ -s "$HARNESS_TMP/proxy.port" ] && break; sleep 0.05; done
CONFIG_TCP=$HARNESS_TMP/tcp.toml
PROXY_PORT=$(cat "$HARNESS_TMP/proxy.port")
grep -v '^socket = ' "$CONFIG" | sed "s/^\[mysql\]$/[mysql]\nhost = '127.0.0.1'\nport = $PROXY_PORT/" >"$CONFIG_TCP"
chmod 600 "$CONFIG_TCP"
: >"$STREAM_LOG"
"$MYSQLPITR_BIN" -c "$CONFIG_TCP" binlogs stream </dev/null >>"$STREAM_LOG" 2>&1 &
STREAM_PID=$!
workload 10
sleep 0.5
kill -USR1 "$PROXY_PID"     # drop
workload 10
sleep 0.5
kill -USR2 "$PROXY_PID"     # stall: no error, no bytes; the heartbeats stop coming
workload 10
sleep 4.5
kill -USR2 "$PROXY_PID"     # flowing again
workload 5
for _ in $(seq 1 150); do
  [ "$(state file 2>/dev/null)" = "$(active)" ] && [ "$(state position 2>/dev/null)" = "$(active_pos)" ] && break
  sleep 0.1
done
kill -TERM "$STREAM_PID"; wait "$STREAM_PID"; rc=$?
check "through the proxy: SIGTERM exit 0" test "$rc" = 0
check "the dropped and the stalled connection were both noticed" test "$(grep -c reconnecting "$STREAM_LOG")" -ge 2
check "after a drop and a stall: closed binlogs equal the server's" same_as_server
check "after a drop and a stall: the active one as mariadb-binlog fetches it" same_as_oracle "$(active)"

# --- 6. repository mode both: the closed binlogs uploaded as rotate-binlogs uploads them --------
start_s3
CONFIG_S3=$HARNESS_TMP/s3.toml
cp "$CONFIG" "$CONFIG_S3"
append_s3_config "$CONFIG_S3" both
sql "FLUSH BINARY LOGS"
CLOSED=$(sql "SHOW BINARY LOGS" | cut -f1 | tail -2 | head -1)
expect_exit 0 "$MYSQLPITR_BIN" -c "$CONFIG_S3" binlogs stream --until-current
aws_s3 cp "s3://$S3_BUCKET/binlogs/$CLOSED" "$HARNESS_TMP/from-bucket" >/dev/null 2>&1
check "the binlog the stream closed is in the bucket, equal to the server's" cmp -s "$HARNESS_TMP/from-bucket" "$DATADIR/$CLOSED"

# --- 6b. mode s3: a stream running alone keeps locally only what the server still has -----------
CONFIG_S3ONLY=$HARNESS_TMP/s3only.toml
cp "$CONFIG" "$CONFIG_S3ONLY"
append_s3_config "$CONFIG_S3ONLY" s3
OLDEST=$(cd "$ARCHIVE" && ls | grep -E '^mysql-bin\.[0-9]+$' | sort | head -1)
sql "FLUSH BINARY LOGS"
expect_exit 0 "$MYSQLPITR_BIN" -c "$CONFIG_S3ONLY" binlogs stream --until-current  # the stream is where the server is
sql "PURGE BINARY LOGS TO '$(active)'"
workload 2
sql "FLUSH BINARY LOGS"  # the stream closes one binlog: it records, uploads and releases
expect_exit 0 "$MYSQLPITR_BIN" -c "$CONFIG_S3ONLY" binlogs stream --until-current
ON_SERVER=$(sql "SHOW BINARY LOGS" | cut -f1)
LOCAL=$(cd "$ARCHIVE" && ls | grep -E '^mysql-bin\.[0-9]+$' | sort)
check "the oldest archived binlog ($OLDEST) was released locally" bash -c '! grep -qx "$1" <<<"$2"' _ "$OLDEST" "$LOCAL"
check "every binlog kept locally is one the server still has" bash -c 'for f in $1; do grep -qx "$f" <<<"$2" || exit 1; done' _ "$LOCAL" "$ON_SERVER"
aws_s3 cp "s3://$S3_BUCKET/binlogs/$OLDEST" "$HARNESS_TMP/released" >/dev/null 2>&1
check "the bucket holds the released binlog, its record too" bash -c 'test -s "$1" && grep -qF "$2.json" <<<"$3"' _ \
  "$HARNESS_TMP/released" "$OLDEST" "$(aws_s3 ls --recursive "s3://$S3_BUCKET/binlogs/.mysqlpitr-records/")"

# --- 7. a binlog purged while the stream was down ------------------------------------------------
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
check "the purged binlog ($needed) is named" contains "$ERR" "${needed:-no binlog name}"
harness_finish
