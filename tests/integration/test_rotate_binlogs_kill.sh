#!/usr/bin/env bash
# kill -9 in the middle of copying a large binlog leaves no final-named partial file; the next
# rotation removes the temporary copy and archives the binlog whole.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --max-allowed-packet=64M --max-binlog-size=1G
A=$BACKUP_DIR/binlogs

# A binlog of about 300 MB: large rows in ROW format.
sql "CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, b LONGBLOB);"
for i in $(seq 1 20); do sql "INSERT INTO big.t VALUES ($i, REPEAT(SHA2('$i',256), 250000))"; done
sql "FLUSH BINARY LOGS"
large=$(sql "SHOW BINARY LOGS" | sort -k2 -n | tail -1 | cut -f1)
check "the test binlog is large ($(stat -c %s "$DATADIR/$large") bytes)" test "$(stat -c %s "$DATADIR/$large")" -gt 100000000

# Start a rotation and kill it -9 once its temporary copy of the large binlog has data.
"$MYSQLPITR_BIN" -c "$CONFIG" rotate-binlogs --no-flush </dev/null >/dev/null 2>&1 &
pid=$!
caught=""
for _ in $(seq 1 3000); do
  partial=$(ls -A "$A" | grep "^\.$large\.partial-" | head -1)
  if [ -n "$partial" ] && [ "$(stat -c %s "$A/$partial" 2>/dev/null || echo 0)" -gt 0 ]; then
    kill -9 "$pid"; caught=$partial; break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.01
done
wait "$pid" 2>/dev/null
check "the rotation was killed while copying $large" test -n "$caught"
check "no final-named copy of $large exists" test ! -e "$A/$large"
for name in $(ls "$A" | grep -E '^mysql-bin\.[0-9]+$'); do
  check "archived $name is whole (any final name holds the whole file)" cmp -s "$DATADIR/$name" "$A/$name"
done
check "the killed run left its temporary copy${caught:+ $caught}" test -n "$caught" -a -f "$A/$caught"

expect_exit 0 mp rotate-binlogs --no-flush --json
check "the next rotation removed the temporary copy" test -n "$caught" -a ! -e "$A/$caught"
check "... and left no other" test -z "$(ls -A "$A" | grep partial)"
check "the large binlog is archived byte-identical" cmp -s "$DATADIR/$large" "$A/$large"
check "JSON reports it copied and verified" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert sys.argv[2] in d['copied'] and sys.argv[2] in d['verified'] and d['whole'], d" "$OUT" "$large"

harness_finish
