#!/usr/bin/env bash
# Binlog reading speed, in one run on a private mariadbd:
#   listing:  `mysqlpitr list binlogs` (headers only, cold and with its cache) against running
#             mysqlbinlog on each file to find its first and last event times (how the old page did)
#   decoding: `mysqlpitr binlogs show FILE > /dev/null` against `mysqlbinlog FILE > /dev/null`
# Appends the figures to bench/RESULTS.md under "## Binlogs".
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/binlogs.sh [seconds of sysbench writes, default 60]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export MYSQLPITR_BIN=${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}
source "$here/../tests/integration/harness.sh"
SECONDS_OF_LOAD=${1:-60}
command -v sysbench >/dev/null || skip "sysbench not installed"
harness_start_mariadb --binlog-format=ROW --max-binlog-size=16M --binlog-checksum=CRC32
q() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B "$@"; }
q -e "CREATE DATABASE sbtest"
sb() { sysbench "$@" --db-driver=mysql --mysql-socket="$SOCKET" --mysql-user=root --mysql-db=sbtest --tables=4 \
  --table-size=20000; }
sb oltp_write_only prepare >/dev/null
sb oltp_write_only --threads=4 --time="$SECONDS_OF_LOAD" --report-interval=0 run >/dev/null
q -e "FLUSH BINARY LOGS"
ARCHIVE=$BACKUP_DIR/binlogs
ACTIVE=$(q -e "SHOW MASTER STATUS" | cut -f1)
for f in "$DATADIR"/mysql-bin.[0-9]*; do
  [ "$(basename "$f")" = "$ACTIVE" ] || cp "$f" "$ARCHIVE/"
done
FILES=("$ARCHIVE"/mysql-bin.[0-9]*)
COUNT=${#FILES[@]}
BYTES=$(cat "${FILES[@]}" | wc -c)
# Runs a shell command under /usr/bin/time: sets <NAME>_WALL and <NAME>_CPU (user + system seconds).
# CPU time is reported beside wall time because this machine may be shared and loaded.
measure() {
  local name=$1 command=$2 out=$HARNESS_TMP/time.$1
  /usr/bin/time -f '%e %U %S' -o "$out" bash -c "$command"
  read -r wall user sys <"$out"
  printf -v "${name}_WALL" '%s' "$wall"
  printf -v "${name}_CPU" '%s' "$(echo "$user + $sys" | bc)"
}
# The listing takes a fraction of a second, so a single run is at the mercy of the scheduler on a
# shared machine: its figures are the median of RUNS runs (wall and CPU medians taken separately).
RUNS=${RUNS:-11}
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
measure_median() {
  local name=$1 prepare=$2 command=$3 walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    eval "$prepare"
    measure ONE "$command"
    walls+=("$ONE_WALL")
    cpus+=("$(printf '%.2f' "$ONE_CPU")")
  done
  printf -v "${name}_WALL" '%s' "$(median "${walls[@]}")"
  printf -v "${name}_CPU" '%s' "$(median "${cpus[@]}")"
}
MP="'$MYSQLPITR_BIN' -c '$CONFIG'"
ONE_BY_ONE="for f in ${FILES[*]}; do"

# Listing, the old way: mysqlbinlog on every file, first and last "#YYMMDD HH:MM:SS" line.
measure OLD_LIST "$ONE_BY_ONE mysqlbinlog --no-defaults \$f | grep -E '^#[0-9]{6} ' | sed -n '1p;\$p' >/dev/null; done"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
measure_median COLD_LIST 'rm -f "$ARCHIVE/.mysqlpitr-binlog-cache.json"' "$MP --json list binlogs >$HARNESS_TMP/list.json 2>/dev/null"
measure_median WARM_LIST : "$MP --json list binlogs >/dev/null 2>&1"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
LISTED=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["binlogs"]))' "$HARNESS_TMP/list.json")
[ "$LISTED" -eq "$COUNT" ] || echo "WARNING: list binlogs listed $LISTED of $COUNT files"

# Decoding every event of every file.
measure OLD_DECODE "$ONE_BY_ONE mysqlbinlog --no-defaults \$f >/dev/null; done"
measure NEW_DECODE "$ONE_BY_ONE $MP binlogs show \$f >/dev/null 2>&1 || echo failed on \$f; done"

ratio() { echo "scale=1; $1 / $2" | bc; }
mbps() { echo "scale=1; $BYTES / 1048576 / $1" | bc; }
REPORT=$(cat <<TEXT

### $(date -u '+%Y-%m-%d %H:%M UTC') — bench/binlogs.sh $SECONDS_OF_LOAD ($(nproc) CPUs, $(mariadbd --version | awk '{print $3}'))
$COUNT binlogs, $BYTES bytes (sysbench oltp_write_only, ROW, CRC32, max_binlog_size 16M).
mysqlpitr listing: median of $RUNS runs; load average $LOAD_BEFORE before them, $LOAD_AFTER after.

| task | mysqlbinlog | mysqlpitr | speed-up |
| --- | --- | --- | --- |
| first/last event time of every file (list), wall | ${OLD_LIST_WALL} s | ${COLD_LIST_WALL} s cold, ${WARM_LIST_WALL} s cached | $(ratio "$OLD_LIST_WALL" "$COLD_LIST_WALL")x cold, $(ratio "$OLD_LIST_WALL" "$WARM_LIST_WALL")x cached |
| same, CPU (user+sys) | ${OLD_LIST_CPU} s | ${COLD_LIST_CPU} s cold, ${WARM_LIST_CPU} s cached | $(ratio "$OLD_LIST_CPU" "$COLD_LIST_CPU")x cold, $(ratio "$OLD_LIST_CPU" "$WARM_LIST_CPU")x cached |
| decode every event to /dev/null, wall | ${OLD_DECODE_WALL} s ($(mbps "$OLD_DECODE_WALL") MiB/s) | ${NEW_DECODE_WALL} s ($(mbps "$NEW_DECODE_WALL") MiB/s) | $(ratio "$OLD_DECODE_WALL" "$NEW_DECODE_WALL")x |
| same, CPU (user+sys) | ${OLD_DECODE_CPU} s | ${NEW_DECODE_CPU} s | $(ratio "$OLD_DECODE_CPU" "$NEW_DECODE_CPU")x |
TEXT
)
echo "$REPORT"
RESULTS=$here/RESULTS.md
touch "$RESULTS"
grep -q '^## Binlogs' "$RESULTS" || printf '\n## Binlogs\nCommand: `MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr bench/binlogs.sh [seconds]`.\n' >>"$RESULTS"
# Insert under "## Binlogs" (before the next section), never overwriting other sections.
python3 - "$RESULTS" "$REPORT" <<'PY'
import sys
path, block = sys.argv[1], sys.argv[2]
lines = open(path).read().split('\n')
start = lines.index('## Binlogs')
end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith('## ')), len(lines))
while end > start + 1 and lines[end - 1] == '':
    end -= 1
lines[end:end] = block.split('\n')
open(path, 'w').write('\n'.join(lines).rstrip('\n') + '\n')
PY
