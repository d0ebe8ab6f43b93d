#!/usr/bin/env bash
# PITR speed: a sysbench write workload over several binlogs, restored twice on a private mariadbd:
#   reference: mariadb < base  +  mariadb-binlog --database=sbtest --start-position=POS FILES | mariadb
#   mysqlpitr: restore-pitr --db sbtest --until-binlog LAST
# Both must give identical CHECKSUM TABLE results; the times are appended to bench/RESULTS.md.
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/pitr.sh [seconds of workload, default 60]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export MYSQLPITR_BIN=${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}
source "$here/../tests/integration/harness.sh"
SECONDS_OF_LOAD=${1:-60}
FORMAT=${BINLOG_FORMAT:-ROW}
command -v sysbench >/dev/null || skip "sysbench not installed"
harness_start_mariadb --binlog-format="$FORMAT"
q() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B "$@"; }
sb() { sysbench "$@" --db-driver=mysql --mysql-socket="$SOCKET" --mysql-user=root --mysql-db=sbtest --tables=4 \
  --table-size=20000; }

q -e "CREATE DATABASE sbtest"
sb oltp_write_only prepare >/dev/null
mariadb-dump --no-defaults -S "$SOCKET" -uroot --master-data=2 --single-transaction --databases sbtest \
  >"$BACKUP_DIR/incremental/sbtest-back.sql"
START_FILE=$(sed -n "s/.*MASTER_LOG_FILE='\([^']*\)'.*/\1/p" "$BACKUP_DIR/incremental/sbtest-back.sql" | head -1)
START_POS=$(sed -n "s/.*MASTER_LOG_POS=\([0-9]*\).*/\1/p" "$BACKUP_DIR/incremental/sbtest-back.sql" | head -1)

( for _ in $(seq 1 $((SECONDS_OF_LOAD / 10))); do sleep 10; q -e "FLUSH BINARY LOGS"; done ) &
flusher=$!
sb oltp_write_only --threads=4 --time="$SECONDS_OF_LOAD" --report-interval=0 run >"$HARNESS_TMP/sysbench.out"
wait "$flusher"
TRANSACTIONS=$(sed -n 's/.*transactions: *\([0-9]*\).*/\1/p' "$HARNESS_TMP/sysbench.out")
LAST=$(q -e "SHOW MASTER STATUS" | cut -f1)
q -e "FLUSH BINARY LOGS"
checksums() { q -e "CHECKSUM TABLE sbtest.sbtest1, sbtest.sbtest2, sbtest.sbtest3, sbtest.sbtest4" | cut -f2 | tr '\n' ' '; }
EXPECTED=$(checksums)
FILES=()
for f in $(ls "$DATADIR"/mysql-bin.[0-9]* | sort); do
  n=$(basename "$f")
  [[ "$n" < "$START_FILE" ]] && continue
  [[ "$n" > "$LAST" ]] && continue
  FILES+=("$f")
done
BINLOG_BYTES=$(cat "${FILES[@]}" | wc -c)

q -e "DROP DATABASE sbtest"
t0=$(date +%s.%N)
q <"$BACKUP_DIR/incremental/sbtest-back.sql"
t1=$(date +%s.%N)
mariadb-binlog --no-defaults --database=sbtest --start-position="$START_POS" "${FILES[@]}" | q
t2=$(date +%s.%N)
REFERENCE=$(checksums)

q -e "DROP DATABASE sbtest"
t3=$(date +%s.%N)
"$MYSQLPITR_BIN" -c "$CONFIG" --yes --json restore-pitr --db sbtest --until-binlog "$LAST" </dev/null \
  >"$HARNESS_TMP/pitr.json" 2>"$HARNESS_TMP/pitr.err" || { cat "$HARNESS_TMP/pitr.err"; exit 1; }
t4=$(date +%s.%N)
OURS=$(checksums)
REPLAY_SECONDS=$(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["result"]["seconds"])' "$HARNESS_TMP/pitr.json")

ref_total=$(echo "$t2 - $t0" | bc); ref_replay=$(echo "$t2 - $t1" | bc); ours_total=$(echo "$t4 - $t3" | bc)
verdict=identical
[ "$REFERENCE" = "$EXPECTED" ] && [ "$OURS" = "$EXPECTED" ] || verdict="DIFFERENT (expected $EXPECTED, reference $REFERENCE, mysqlpitr $OURS)"
speedup=$(echo "scale=1; $ref_replay / $REPLAY_SECONDS" | bc 2>/dev/null || echo "?")
summary=$(cat <<TEXT

### $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, MariaDB $(q -e 'SELECT VERSION()'), binlog_format=$FORMAT
sysbench oltp_write_only, 4 tables x 20000 rows, 4 threads, ${SECONDS_OF_LOAD}s: $TRANSACTIONS transactions in ${#FILES[@]} binlogs ($((BINLOG_BYTES / 1048576)) MiB); default durability (innodb_flush_log_at_trx_commit=1, sync_binlog=$(q -e 'SELECT @@sync_binlog')).

| | base load + replay | replay only |
| --- | --- | --- |
| mariadb < base; mariadb-binlog --database --start-position \| mariadb | ${ref_total}s | ${ref_replay}s |
| mysqlpitr restore-pitr --until-binlog | ${ours_total}s | ${REPLAY_SECONDS}s |

Replay speed-up: ${speedup}x. CHECKSUM TABLE: $verdict.
TEXT
)
echo "$summary"
results=$here/RESULTS.md
grep -q '^## PITR' "$results" 2>/dev/null || printf '\n## PITR\n' >>"$results"
echo "$summary" >>"$results"
[ "$verdict" = identical ]
