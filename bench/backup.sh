#!/usr/bin/env bash
# Backup benchmark: a sysbench database (4 tables x 250,000 rows) dumped in one run by the old
# pipeline (mysqldump with LEGACY.md's options | gzip -9), by mydumper, and by `mysqlpitr backup`.
# Records wall time, CPU time (user + system, load-independent), output size and peak memory in
# bench/RESULTS.md (section "## Backup").
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/backup.sh [--rows N] [--jobs N] [--level N]...
# --level is repeatable (default: 6, the configuration's default, and 1); each level is one more row.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${MYSQLPITR_BIN:=$here/../build/apps/mysqlpitr/mysqlpitr}"
export MYSQLPITR_BIN
ROWS=250000
JOBS=2
LEVELS=()
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --level) LEVELS+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ ${#LEVELS[@]} -gt 0 ] || LEVELS=(6 1)
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
# Runs a command under GNU time; sets SECONDS_TAKEN, CPU_TAKEN and PEAK_KB.
measure() {
  local log=$HARNESS_TMP/time.log
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
  /usr/bin/time -f '%e %M %U %S' -o "$log" "$@" || { echo "FAILED: $*" >&2; exit 1; }
  local user system
  read -r SECONDS_TAKEN PEAK_KB user system <"$log"
  CPU_TAKEN=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
}

# The old pipeline. --set-gtid-purged=OFF is a MySQL-only option that MariaDB's mysqldump rejects.
measure bash -c "mariadb-dump --no-defaults -S '$SOCKET' -uroot --databases sbtest --routines --events --triggers \
  --single-transaction --add-drop-database | gzip -9 >'$out/old/sbtest-back.sql.gz'"
old_time=$SECONDS_TAKEN old_cpu=$CPU_TAKEN old_mem=$PEAK_KB old_size=$(stat -c %s "$out/old/sbtest-back.sql.gz")

measure mydumper -S "$SOCKET" -u root -B sbtest -o "$out/mydumper" -t "$JOBS" -c -G -E -R --trx-consistency-only
my_time=$SECONDS_TAKEN my_cpu=$CPU_TAKEN my_mem=$PEAK_KB my_size=$(du -sb "$out/mydumper" | cut -f1)

table="| tool | time (s) | CPU (s) | size (bytes) | peak memory (KiB) | speed-up | size / gzip -9 |
| --- | --- | --- | --- | --- | --- | --- |
| mysqldump \| gzip -9 (old pipeline) | $old_time | $old_cpu | $old_size | $old_mem | 1.0x | 1.000 |
| mydumper -t $JOBS -c | $my_time | $my_cpu | $my_size | $my_mem | $(awk -v a="$old_time" -v b="$my_time" 'BEGIN { printf "%.1fx", a / b }') | $(awk -v a="$my_size" -v b="$old_size" 'BEGIN { printf "%.3f", a / b }') |"
summary=""
for level in "${LEVELS[@]}"; do
  rm -f "$BACKUP_DIR"/historical/sbtest-back_*.sql.gz
  measure "$MYSQLPITR_BIN" -q -c "$CONFIG" backup --kind historical --db sbtest --jobs "$JOBS" --compression gzip --level "$level"
  mp_time=$SECONDS_TAKEN mp_cpu=$CPU_TAKEN mp_mem=$PEAK_KB
  mp_file=$(ls "$BACKUP_DIR"/historical/sbtest-back_*.sql.gz)
  mp_size=$(stat -c %s "$mp_file")
  "$MYSQLPITR_BIN" -q -c "$CONFIG" verify "$mp_file" || { echo "verify failed"; exit 1; }
  speedup=$(awk -v a="$old_time" -v b="$mp_time" 'BEGIN { printf "%.1f", a / b }')
  ratio=$(awk -v a="$mp_size" -v b="$old_size" 'BEGIN { printf "%.3f", a / b }')
  table="$table
| mysqlpitr backup --jobs $JOBS --level $level | $mp_time | $mp_cpu | $mp_size | $mp_mem | ${speedup}x | $ratio |"
  summary="$summary level $level: ${speedup}x faster, ${ratio}x the size of gzip -9's;"
done
echo "$table"
echo "$summary"

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
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).$summary"
} >>"$results"
