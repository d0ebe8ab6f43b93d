#!/usr/bin/env bash
# Backup benchmark: a sysbench database (4 tables x 250,000 rows) dumped in one run by the old
# pipeline (mysqldump with LEGACY.md's options | gzip -9), by mydumper, and by `mysqlpitr backup`.
# Records wall time, output size and peak memory in bench/RESULTS.md (section "## Backup").
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/backup.sh [--rows N] [--jobs N] [--level N]
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BIN:=$here/../build/apps/mysqlpitr/mysqlpitr}"
export MYSQLPITR_BIN
ROWS=250000
JOBS=2
LEVEL=6
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --level) LEVEL=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$here/../tests/integration/harness.sh"
for tool in sysbench mydumper /usr/bin/time; do command -v $tool >/dev/null || skip "$tool not installed"; done
harness_start_mariadb --innodb-buffer-pool-size=1G

sql "CREATE DATABASE sbtest"
sysbench oltp_read_write --db-driver=mysql --mysql-socket="$SOCKET" --mysql-user=root --mysql-db=sbtest \
  --tables=4 --table-size="$ROWS" --threads=2 prepare >"$HARNESS_TMP/sysbench.log" 2>&1 ||
  { cat "$HARNESS_TMP/sysbench.log"; exit 1; }
sql "ANALYZE TABLE sbtest.sbtest1, sbtest.sbtest2, sbtest.sbtest3, sbtest.sbtest4" >/dev/null

out=$HARNESS_TMP/out
mkdir -p "$out/old" "$out/mydumper" "$BACKUP_DIR/historical"
# Runs a command under GNU time; sets SECONDS_TAKEN and PEAK_KB.
measure() {
  local log=$HARNESS_TMP/time.log
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
  /usr/bin/time -f '%e %M' -o "$log" "$@" || { echo "FAILED: $*" >&2; exit 1; }
  read -r SECONDS_TAKEN PEAK_KB <"$log"
}

# The old pipeline. --set-gtid-purged=OFF is a MySQL-only option that MariaDB's mysqldump rejects.
measure bash -c "mariadb-dump --no-defaults -S '$SOCKET' -uroot --databases sbtest --routines --events --triggers \
  --single-transaction --add-drop-database | gzip -9 >'$out/old/sbtest-back.sql.gz'"
old_time=$SECONDS_TAKEN old_mem=$PEAK_KB old_size=$(stat -c %s "$out/old/sbtest-back.sql.gz")

measure mydumper -S "$SOCKET" -u root -B sbtest -o "$out/mydumper" -t "$JOBS" -c -G -E -R --trx-consistency-only
my_time=$SECONDS_TAKEN my_mem=$PEAK_KB my_size=$(du -sb "$out/mydumper" | cut -f1)

measure "$MYSQLPITR_BIN" -q -c "$CONFIG" backup --kind historical --db sbtest --jobs "$JOBS" --compression gzip --level "$LEVEL"
mp_time=$SECONDS_TAKEN mp_mem=$PEAK_KB
mp_file=$(ls "$BACKUP_DIR"/historical/sbtest-back_*.sql.gz)
mp_size=$(stat -c %s "$mp_file")
"$MYSQLPITR_BIN" -q -c "$CONFIG" verify "$mp_file" || { echo "verify failed"; exit 1; }

speedup=$(awk -v a="$old_time" -v b="$mp_time" 'BEGIN { printf "%.1f", a / b }')
ratio=$(awk -v a="$mp_size" -v b="$old_size" 'BEGIN { printf "%.3f", a / b }')
table="| tool | time (s) | size (bytes) | peak memory (KiB) |
| --- | --- | --- | --- |
| mysqldump \| gzip -9 (old pipeline) | $old_time | $old_size | $old_mem |
| mydumper -t $JOBS -c | $my_time | $my_size | $my_mem |
| mysqlpitr backup --jobs $JOBS --level $LEVEL | $mp_time | $mp_size | $mp_mem |"
echo "$table"
echo "speed-up over the old pipeline: ${speedup}x; size relative to gzip -9: $ratio"

results=$here/RESULTS.md
[ -f "$results" ] || echo "# Benchmark results" >"$results"
{
  echo
  echo "## Backup"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, sysbench 4 tables x $ROWS rows, $(mariadbd --version | awk '{print $3}')."
  echo
  echo "$table"
  echo
  echo "Speed-up over the old pipeline: ${speedup}x; mysqlpitr's size relative to gzip -9: $ratio."
} >>"$results"
