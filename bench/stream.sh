#!/usr/bin/env bash
# binlogs stream under load (issue 17): sysbench oltp_write_only for SECONDS on a private mariadbd
# while `mysqlpitr binlogs stream` and `mariadb-binlog --read-from-remote-server --raw --stop-never`
# both follow the server. Every 0.1 s the server's position (SHOW MASTER STATUS) is sampled; the
# stream's lag for a sample is how long until the archive held that many bytes of that binlog
# (written; fsync follows within stream.sync_interval). CPU time (user + system) of each follower
# from /usr/bin/time. Appends to bench/RESULTS.md under "## Binlog stream".
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/stream.sh [SECONDS, default 60]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export MYSQLPITR_BIN=${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}
source "$here/../tests/integration/harness.sh"
SECONDS_OF_LOAD=${1:-60}
for tool in sysbench /usr/bin/time mariadb-binlog; do command -v $tool >/dev/null || skip "$tool not installed"; done
harness_start_mariadb --binlog-format=ROW --max-binlog-size=16M --binlog-checksum=CRC32
printf '\n[stream]\nserver_id = 77\nsync_interval = 1\n' >>"$CONFIG"
ARCHIVE=$BACKUP_DIR/binlogs
ORACLE=$HARNESS_TMP/oracle
mkdir -p "$ORACLE"
sql "CREATE DATABASE sbtest"
sb() { sysbench "$@" --db-driver=mysql --mysql-socket="$SOCKET" --mysql-user=root --mysql-db=sbtest --tables=4 \
  --table-size=20000 --threads=2; }
sb oltp_write_only prepare >"$HARNESS_TMP/prepare.log" 2>&1 || { cat "$HARNESS_TMP/prepare.log"; exit 1; }
FIRST=$(sql "SHOW MASTER STATUS" | cut -f1)
sql "PURGE BINARY LOGS TO '$FIRST'"

/usr/bin/time -f '%U %S' -o "$HARNESS_TMP/time.stream" "$MYSQLPITR_BIN" -c "$CONFIG" binlogs stream \
  >"$HARNESS_TMP/stream.log" 2>&1 &
STREAM_TIME=$!
/usr/bin/time -f '%U %S' -o "$HARNESS_TMP/time.oracle" mariadb-binlog --no-defaults -R --raw --stop-never \
  --stop-never-slave-server-id=78 -S "$SOCKET" -uroot --result-file="$ORACLE/" "$FIRST" 2>"$HARNESS_TMP/oracle.log" &
ORACLE_TIME=$!
sleep 1
python3 - "$SOCKET" "$ARCHIVE" "$SECONDS_OF_LOAD" >"$HARNESS_TMP/samples" <<'PY' &
import os, subprocess, sys, time
sock, archive, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]) + 3
end = time.time() + seconds
while time.time() < end:
    out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-N", "-B", "-e", "SHOW MASTER STATUS"],
                         capture_output=True, text=True).stdout.split()
    t = time.time()
    if len(out) >= 2:
        print(f"S {t:.3f} {out[0]} {out[1]}")
    for name in os.listdir(archive):
        if name.startswith("mysql-bin."):
            print(f"A {t:.3f} {name.replace('.streaming', '')} {os.stat(os.path.join(archive, name)).st_size}")
    time.sleep(0.1)
PY
SAMPLER=$!
sb oltp_write_only run --time="$SECONDS_OF_LOAD" >"$HARNESS_TMP/run.log" 2>&1
wait "$SAMPLER"
for parent in "$STREAM_TIME" "$ORACLE_TIME"; do
  child=$(pgrep -P "$parent")
  [ -n "$child" ] && kill -TERM "$child"
  wait "$parent" 2>/dev/null
done
TRANSACTIONS=$(sed -n 's/.*transactions: *\([0-9]*\).*/\1/p' "$HARNESS_TMP/run.log")
BYTES=$(sql "SHOW BINARY LOGS" | awk '{s += $2} END {print s}')
read -r MEDIAN P99 MAX < <(python3 - "$HARNESS_TMP/samples" <<'PY'
import sys
server, archive = [], {}
for line in open(sys.argv[1]):
    kind, t, name, size = line.split()
    t, size = float(t), int(size)
    if kind == "S":
        server.append((t, name, size))
    else:
        archive.setdefault(name, []).append((t, size))
lags = []
for t, name, size in server:
    reached = next((at for at, have in archive.get(name, []) if at >= t and have >= size), None)
    if reached is not None:
        lags.append(reached - t)
lags.sort()
pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
print(f"{pick(0.5):.2f} {pick(0.99):.2f} {lags[-1]:.2f}" if lags else "n/a n/a n/a")
PY
)
cpu() { tail -1 "$1" | awk '{printf "%.2f", $1 + $2}'; }
SAME=identical
for f in "$ORACLE"/mysql-bin.*; do
  name=$(basename "$f")
  target=$ARCHIVE/$name
  [ -f "$target" ] || target=$ARCHIVE/$name.streaming
  cmp -s "$f" "$target" || SAME="DIFFERENT ($name)"
done
REPORT=$(cat <<TEXT

### $(date -u '+%Y-%m-%d %H:%M UTC') — bench/stream.sh $SECONDS_OF_LOAD ($(nproc) CPUs, $(mariadbd --version | awk '{print $3}'))
sysbench oltp_write_only, 4 tables x 20000 rows, 2 threads, ${SECONDS_OF_LOAD}s: $TRANSACTIONS transactions,
$BYTES bytes of binlogs (ROW, CRC32, max_binlog_size 16M). Lag sampled every 0.1 s: how long until the
archive held the server's position of the sample.

| follower | lag median | lag p99 | lag max | CPU (user + system) |
| --- | --- | --- | --- | --- |
| mysqlpitr binlogs stream (sync_interval 1 s) | ${MEDIAN} s | ${P99} s | ${MAX} s | $(cpu "$HARNESS_TMP/time.stream") s |
| mariadb-binlog -R --raw --stop-never | | | | $(cpu "$HARNESS_TMP/time.oracle") s |

Files of both: $SAME.
TEXT
)
echo "$REPORT"
grep -q '^## Binlog stream' "$here/RESULTS.md" || printf '\n## Binlog stream\n\nCommand: `MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/stream.sh 60`.\n' >>"$here/RESULTS.md"
echo "$REPORT" >>"$here/RESULTS.md"
