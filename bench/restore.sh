#!/usr/bin/env bash
# Restore benchmark: the same sysbench data loaded by
#   1. gunzip -c DUMP | mysql                  (what the old page did)
#   2. myloader -t JOBS                        (from a mydumper dump of the same data)
#   3. mysqlpitr restore-historical --jobs JOBS
# in one run on one private mariadbd, with identical CHECKSUM TABLE results required from all three.
# The server runs without a binary log so that the three do the same work (myloader turns binary
# logging off for its sessions by default; the mysql client cannot).
#
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/restore.sh [--append bench/RESULTS.md]
# Knobs (environment): TABLES=8 ROWS=100000 JOBS=2 ROUNDS=2 (best of ROUNDS per loader, loaders
# interleaved so that a busy machine hurts them alike).
set -u
set -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}"
TABLES=${TABLES:-8}
ROWS=${ROWS:-100000}
JOBS=${JOBS:-2}
ROUNDS=${ROUNDS:-2}
APPEND=""
[ "${1:-}" = "--append" ] && APPEND=${2:?--append needs a file}
for tool in sysbench mysqldump mydumper myloader mariadbd; do
  command -v $tool >/dev/null || { echo "bench/restore.sh: $tool is not installed" >&2; exit 77; }
done

source "$HERE/../tests/integration/harness.sh"
harness_start_mariadb --no-binlog --innodb-buffer-pool-size=1G --innodb-log-file-size=512M

source "$HERE/sysbench_data.sh"
prepare_sysbench
REFERENCE=$(checksums)

DUMP=$BACKUP_DIR/historical/sbtest-back_2026-11-24_23-10.sql.gz
mysqldump --no-defaults -S "$SOCKET" -uroot --databases sbtest --routines --events --triggers \
  --single-transaction --add-drop-database | gzip -6 >"$DUMP"
MYDUMPER_DIR=$HARNESS_TMP/mydumper
mydumper -S "$SOCKET" -u root -B sbtest -o "$MYDUMPER_DIR" -t 2 -c -r 50000 >/dev/null 2>&1 ||
  { echo "mydumper failed" >&2; exit 1; }
DUMP_SIZE=$(stat -c %s "$DUMP")
SQL_SIZE=$(gunzip -c "$DUMP" | wc -c)

now() { date +%s.%N; }
declare -A BEST
FAILED=0

run_loader() {
  local name=$1; shift
  sql "DROP DATABASE IF EXISTS sbtest"
  sync
  local start end seconds sums
  start=$(now)
  "$@" || { echo "$name failed" >&2; FAILED=1; return; }
  end=$(now)
  seconds=$(printf "%.1f" "$(echo "$end - $start" | bc)")
  sums=$(checksums)
  if [ "$sums" != "$REFERENCE" ]; then
    echo "$name: table checksums differ from the original" >&2
    FAILED=1
  fi
  echo "$name: ${seconds}s" >&2
  if [ -z "${BEST[$name]:-}" ] || [ "$(echo "$seconds < ${BEST[$name]}" | bc)" = 1 ]; then BEST[$name]=$seconds; fi
}

load_mysql() { gunzip -c "$DUMP" | mariadb --no-defaults -S "$SOCKET" -uroot; }
load_myloader() {
  sql "CREATE DATABASE sbtest"
  myloader -S "$SOCKET" -u root -d "$MYDUMPER_DIR" -t "$JOBS" -o -B sbtest
}
PEAK_KB=0
load_mysqlpitr() {  # its summary line is not the report
  /usr/bin/time -f %M -o "$HARNESS_TMP/peak" "$MYSQLPITR_BIN" -c "$CONFIG" --yes --quiet restore-historical "$DUMP" \
    --jobs "$JOBS" </dev/null >&2 || return 1
  local kb; kb=$(tail -1 "$HARNESS_TMP/peak")
  [ "$kb" -gt "$PEAK_KB" ] && PEAK_KB=$kb
  return 0
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round" >&2
  run_loader "gunzip | mysql" load_mysql
  run_loader "myloader" load_myloader
  run_loader "mysqlpitr" load_mysqlpitr
done

mysql_s=${BEST["gunzip | mysql"]}
myloader_s=${BEST[myloader]}
ours_s=${BEST[mysqlpitr]}
speedup_mysql=$(echo "scale=2; $mysql_s / $ours_s" | bc)
speedup_myloader=$(echo "scale=2; $myloader_s / $ours_s" | bc)
checks=$([ "$FAILED" = 0 ] && echo "identical in every run" || echo "DIFFERENT or a loader FAILED")

report=$(cat <<EOF

### $(date -u +'%Y-%m-%d %H:%M UTC') — $TABLES tables × $ROWS rows, --jobs $JOBS, best of $ROUNDS
- dump: $(numfmt --to=iec "$DUMP_SIZE") gzip, $(numfmt --to=iec "$SQL_SIZE") of SQL (mysqldump with the old scripts' options); mydumper 0.10 dump of the same data for myloader
- machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; server $(mariadbd --version | awk '{print $3}'), no binary log, buffer pool 1G

| loader | seconds | mysqlpitr is |
| --- | ---: | ---: |
| \`gunzip -c \\| mysql\` | $mysql_s | ${speedup_mysql}× faster |
| \`myloader -t $JOBS\` | $myloader_s | ${speedup_myloader}× faster |
| \`mysqlpitr restore-historical --jobs $JOBS\` (includes the full verification pass; peak memory $((PEAK_KB / 1024)) MiB) | $ours_s | |

Table checksums: $checks.
EOF
)
echo "$report"
if [ -n "$APPEND" ]; then
  grep -q '^## Restore' "$APPEND" 2>/dev/null || printf '\n## Restore\n' >>"$APPEND"
  echo "$report" >>"$APPEND"
fi
[ "$FAILED" = 0 ]
