#!/usr/bin/env bash
# restore-pitr end to end against a private mariadbd, for one binlog format (PITR_FORMAT): a
# workload with triggers, a stored procedure, temporary tables across a rotation, LAST_INSERT_ID(),
# RAND(), user variables, NOW(), statements under one default database against another and DDL;
# a fingerprint at time T; PITR to T (in place and --into) must reproduce it exactly and leave the
# other database alone; a missing binlog gives exit 5 and an untouched database; kill -9 in the
# middle of a replay then --resume reaches the same result.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format="$PITR_FORMAT"
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2),
    created DATETIME, r DOUBLE) ENGINE=InnoDB;
  CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT, note VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE other.log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(60)) ENGINE=InnoDB;
  CREATE TRIGGER shop.items_ai AFTER INSERT ON shop.items FOR EACH ROW
    INSERT INTO shop.audit (item_id, note) VALUES (NEW.id, CONCAT('new ', NEW.name));
  CREATE PROCEDURE shop.add_item(n VARCHAR(40)) INSERT INTO shop.items (name, price, created) VALUES (n, 1.50, NOW());
  INSERT INTO shop.items (name, price, created) VALUES ('seed', 2.00, NOW());
  INSERT INTO other.log (msg) VALUES ('seed');"

make_pitr_base shop

# Workload A: everything up to T must come back.
sql "FLUSH BINARY LOGS"
sql -D shop "CALL add_item('by procedure');
  INSERT INTO items (name, price, created, r) VALUES ('now and rand', 3.25, NOW(), RAND());
  INSERT INTO items (name, price, created) VALUES ('for last id', 4.00, NOW());
  INSERT INTO audit (item_id, note) VALUES (LAST_INSERT_ID(), 'last insert id');
  SET @price := 7.75, @label := 'user var', @n := 3;
  INSERT INTO items (name, price, created) VALUES (CONCAT(@label, ' ', @n), @price, NOW());
  CREATE TEMPORARY TABLE tmp_new AS SELECT CONCAT('tmp ', name) AS name, price FROM items WHERE id <= 2;
  FLUSH BINARY LOGS;
  INSERT INTO items (name, price, created) SELECT name, price, NOW() FROM tmp_new;
  DROP TEMPORARY TABLE tmp_new;
  INSERT INTO other.log (msg) VALUES ('written under USE shop: not shop');
  BEGIN; UPDATE items SET price = price * 2 WHERE id % 2 = 0; DELETE FROM audit WHERE id = 1; COMMIT;"
sql -D other "INSERT INTO shop.items (name, price, created) VALUES ('written under USE other', 9.99, NOW());
  UPDATE log SET msg = 'changed' WHERE id = 1;
  CALL shop.add_item('called from other');"
sql "FLUSH BINARY LOGS"
sql -D shop "ALTER TABLE items ADD COLUMN extra INT NOT NULL DEFAULT 7;
  CREATE TABLE later (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO later VALUES (1), (2);
  UPDATE items SET extra = id * 10 WHERE id > 2;"
for i in $(seq 1 300); do echo "INSERT INTO items (name, price, created, r) VALUES ('bulk $i', $i, NOW(), RAND());"; done |
  sql -D shop
sleep 1.2
T=$(sql "SELECT NOW()")
sleep 1.2
FP_T=$(fingerprint shop)
echo "$FP_T" >"$HARNESS_TMP/fp_t"
OTHER_T=$(fingerprint other)

# Workload B, after T: must not come back.
sql -D shop "INSERT INTO items (name, price, created) VALUES ('after T', 1, NOW()); DROP TABLE later;
  UPDATE items SET price = 0;"
sql "FLUSH BINARY LOGS"
OTHER_NOW=$(fingerprint other)

expect_exit 0 mp restore-pitr --db shop --stop-datetime "$T" --dry-run
check "the plan names the base's coordinates" contains "$OUT$ERR" "coordinates mysql-bin."
check "the plan shows the stop time in server time and UTC" contains "$OUT$ERR" "UTC"
expect_exit 0 mp --json restore-pitr --db shop --stop-datetime "$T" --dry-run
check "--dry-run --json gives the plan with the binlog chain" \
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["plan"]["binlogs"] and d["plan"]["transactions"] > 0' "$OUT"
check "--dry-run changed nothing" test "$(sql 'SELECT COUNT(*) FROM shop.items WHERE price = 0')" -gt 0

expect_exit 0 mp --yes restore-pitr --db shop --stop-datetime "$T"
fingerprint shop >"$HARNESS_TMP/fp_restored"
check "PITR to T reproduces the fingerprint at T exactly" test "$(fingerprint shop)" = "$FP_T"
check "the other database is unchanged by the restore" test "$(fingerprint other)" = "$OTHER_NOW"
check "no progress record is left after a finished replay" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='_mysqlpitr'")" = 0

expect_exit 0 mp --yes restore-pitr --db shop --into shop_copy --stop-datetime "$T"
fingerprint shop_copy >"$HARNESS_TMP/fp_into"
# Routine and trigger bodies name the database: --into renames them too.
check "--into reproduces the fingerprint at T under the new name" test "$(fingerprint shop_copy | sed 's/`shop_copy`/shop/g; s/shop_copy/shop/g')" = "$FP_T"
check "--into leaves the original alone" test "$(fingerprint shop)" = "$FP_T"

# A missing binlog: exit 5, nothing touched.
sql -D shop "INSERT INTO items (name, price, created) VALUES ('marker', 5, NOW())"
BEFORE=$(fingerprint shop)
SECOND=$(ls "$DATADIR"/mysql-bin.0* | sort | sed -n 3p)
mv "$SECOND" "$HARNESS_TMP/moved-binlog"
expect_exit 5 mp --yes restore-pitr --db shop
check "the refusal names the missing binlog" contains "$ERR" "$(basename "$SECOND")"
check "a binlog gap leaves the database untouched" test "$(fingerprint shop)" = "$BEFORE"
mv "$HARNESS_TMP/moved-binlog" "$SECOND"

# kill -9 during the replay, then --resume: the same result.
sql "FLUSH BINARY LOGS"
expect_exit 0 mp --yes restore-pitr --db shop --stop-datetime "$T"
FP_AGAIN=$(fingerprint shop)
"$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-pitr --db shop --stop-datetime "$T" --group-transactions 1 \
  </dev/null >"$HARNESS_TMP/killed.out" 2>&1 &
PITR_PID=$!
killed=no
if hold_progress_row shop 15 "$PITR_PID"; then kill -9 "$PITR_PID"; killed=yes; fi
wait "$PITR_PID" 2>/dev/null
echo "ROLLBACK;" >&"$hold_in" 2>/dev/null
eval "exec $hold_in>&-" 2>/dev/null
wait "$hold_pid" 2>/dev/null
check "the replay was killed in the middle (progress recorded)" test "$killed" = yes
expect_exit 0 mp --yes restore-pitr --db shop --stop-datetime "$T" --resume
check "--resume after kill -9 reaches the same result" test "$(fingerprint shop)" = "$FP_T"
check "the result equals an uninterrupted restore" test "$FP_AGAIN" = "$FP_T"

harness_finish
