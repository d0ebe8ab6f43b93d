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
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

# Listing, the old way: mysqlbinlog on every file, first and last "#YYMMDD HH:MM:SS" line.
t0=$(now)
for f in "${FILES[@]}"; do
  mysqlbinlog --no-defaults "$f" | grep -E '^#[0-9]{6} ' | sed -n '1p;$p' >/dev/null
done
t1=$(now)
OLD_LIST=$(elapsed "$t0" "$t1")
rm -f "$ARCHIVE/.mysqlpitr-binlog-cache.json"
t0=$(now); mp --json list binlogs >"$HARNESS_TMP/list.json"; t1=$(now)
COLD_LIST=$(elapsed "$t0" "$t1")
t0=$(now); mp --json list binlogs >/dev/null; t1=$(now)
WARM_LIST=$(elapsed "$t0" "$t1")
LISTED=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["binlogs"]))' "$HARNESS_TMP/list.json")
[ "$LISTED" -eq "$COUNT" ] || echo "WARNING: list binlogs listed $LISTED of $COUNT files"

# Decoding every event of every file.
t0=$(now)
for f in "${FILES[@]}"; do mysqlbinlog --no-defaults "$f" >/dev/null; done
t1=$(now)
OLD_DECODE=$(elapsed "$t0" "$t1")
t0=$(now)
for f in "${FILES[@]}"; do mp binlogs show "$f" >/dev/null 2>&1 || echo "binlogs show failed on $f"; done
t1=$(now)
NEW_DECODE=$(elapsed "$t0" "$t1")

ratio() { echo "scale=1; $1 / $2" | bc; }
mbps() { echo "scale=1; $BYTES / 1048576 / $1" | bc; }
REPORT=$(cat <<TEXT

### $(date -u '+%Y-%m-%d %H:%M UTC') — bench/binlogs.sh $SECONDS_OF_LOAD ($(nproc) CPUs, $(mariadbd --version | awk '{print $3}'))
$COUNT binlogs, $BYTES bytes (sysbench oltp_write_only, ROW, CRC32, max_binlog_size 16M).

| task | mysqlbinlog | mysqlpitr | speed-up |
| --- | --- | --- | --- |
| first/last event time of every file (list) | ${OLD_LIST} s | ${COLD_LIST} s cold, ${WARM_LIST} s cached | $(ratio "$OLD_LIST" "$COLD_LIST")x cold, $(ratio "$OLD_LIST" "$WARM_LIST")x cached |
| decode every event to /dev/null | ${OLD_DECODE} s ($(mbps "$OLD_DECODE") MiB/s) | ${NEW_DECODE} s ($(mbps "$NEW_DECODE") MiB/s) | $(ratio "$OLD_DECODE" "$NEW_DECODE")x |
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
