#!/usr/bin/env bash
# A binlog of the local archive edited after rotate-binlogs verified it, its event's CRC32
# recomputed so that every event still reads as whole: restore-pitr (and --flashback) compare each
# archived copy they read with rotate-binlogs' record of it (size, SHA-256) and refuse with exit 5
# naming the file before anything is dropped. The good copy back, the restore reaches the data as
# it was. A copy cut short is the continuity checks' (test_pitr_continuity.sh).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW
source "$(dirname "$0")/pitr_lib.sh"
A=$BACKUP_DIR/binlogs

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"
make_pitr_base shop
sleep 1.1
SINCE=$(sql "SELECT NOW()")
sleep 1.1
sql "INSERT INTO shop.t VALUES (10,'after base'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (11,'later')"
FP=$(fingerprint shop)
sql "FLUSH BINARY LOGS"
expect_exit 0 mp rotate-binlogs
active=$(sql "SHOW MASTER STATUS" | cut -f1)
sql "PURGE BINARY LOGS TO '$active'"
DOCTORED=$(cd "$A" && grep -l "after base" mysql-bin.* | head -1)
check "the archived binlog holding the row is found ($DOCTORED)" test -n "$DOCTORED"
cp "$A/$DOCTORED" "$HARNESS_TMP/good"
# The row's value changed and the event's CRC32 recomputed: the binlog reads as whole.
python3 "$HARNESS_SOURCE_DIR/tests/tools/doctor_binlog.py" "$A/$DOCTORED" "after base" "after bXse"
touch -r "$HARNESS_TMP/good" "$A/$DOCTORED"

sql "CREATE DATABASE shop_r; CREATE TABLE shop_r.keep (id INT); INSERT INTO shop_r.keep VALUES (7)"
KEPT=$(fingerprint shop_r)
expect_exit 5 mp --yes restore-pitr --db shop --into shop_r --replace
check "the edited copy is refused, naming it and rotate-binlogs' record" \
  contains "$ERR" "$A/$DOCTORED is not the binlog rotate-binlogs, when it verified the copy, recorded"
check "the target was not dropped" same_text "$(fingerprint shop_r)" "$KEPT"
expect_exit 5 mp --yes restore-pitr --flashback --db shop --since "$SINCE"
check "--flashback refuses it too" contains "$ERR" "$A/$DOCTORED is not the binlog rotate-binlogs"

cp "$HARNESS_TMP/good" "$A/$DOCTORED"
expect_exit 0 mp --yes restore-pitr --db shop --into shop_r --replace
check "with the good copy back the restore reaches the data as it was" \
  same_text "$(fingerprint shop_r | sed 's/`shop_r`/shop/g; s/shop_r/shop/g')" "$FP"

harness_finish
