#!/usr/bin/env bash
# restore-pitr stop points, end to end on a server with gtid_strict_mode=ON: --stop-position at an
# exact binlog position taken with SHOW MASTER STATUS (the event there is not applied, a cut
# transaction is not applied at all), --stop-gtid (documented as "before the transaction"),
# --until-binlog alone (that binlog whole and every earlier one), and the refusals: a position
# that is no event boundary (2), past the end of its file or in a binlog that is not there (5), a
# malformed GTID (2), an unknown one (5), a stop point before the base (5), each leaving the
# database untouched. The replay must never force the logged GTIDs onto the server.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW --gtid-strict-mode=ON
source "$(dirname "$0")/pitr_lib.sh"

check "the server runs with gtid_strict_mode=ON" test "$(sql 'SELECT @@gtid_strict_mode')" = 1

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2)) ENGINE=InnoDB;
  CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT, note VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE other.log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(60)) ENGINE=InnoDB;
  CREATE TRIGGER shop.items_ai AFTER INSERT ON shop.items FOR EACH ROW
    INSERT INTO shop.audit (item_id, note) VALUES (NEW.id, CONCAT('new ', NEW.name));
  INSERT INTO shop.items (name, price) VALUES ('seed', 2.00);
  INSERT INTO other.log (msg) VALUES ('seed');"
EARLY_GTID=$(sql "INSERT INTO shop.items (name, price) VALUES ('before the base', 1); SELECT @@last_gtid")
sql "FLUSH BINARY LOGS"
make_pitr_base shop
BASE_FILE=$(sed -n "s/.*MASTER_LOG_FILE='\([^']*\)'.*/\1/p" "$BACKUP_DIR/incremental/shop-back.sql" | head -1)
BASE_POS=$(sed -n "s/.*MASTER_LOG_POS=\([0-9]*\).*/\1/p" "$BACKUP_DIR/incremental/shop-back.sql" | head -1)
FP_BASE=$(fingerprint shop)
sql "INSERT INTO shop.items (name, price) VALUES ('after the base, same binlog', 3); FLUSH BINARY LOGS"

# F1: small transactions of both databases; FP_F1 is shop when F1 is closed.
for i in $(seq 1 20); do
  echo "INSERT INTO items (name, price) VALUES ('one $i', $i); INSERT INTO other.log (msg) VALUES ('one $i');"
done | sql -D shop
F1=$(master_status | cut -f1)
FP_F1=$(fingerprint shop)
sql "FLUSH BINARY LOGS"

# F2: multi-statement transactions, DDL; T is a SHOW MASTER STATUS taken between two transactions.
sql -D shop "BEGIN; UPDATE items SET price = price * 2 WHERE id % 2 = 0; DELETE FROM audit WHERE id < 4; COMMIT;
  ALTER TABLE items ADD COLUMN extra INT NOT NULL DEFAULT 7;
  CREATE TABLE later (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO later VALUES (1), (2);"
read -r F2 POS_T < <(master_status)
FP_T=$(fingerprint shop)
# Y: the first transaction after T (several events), then its GTID and the position after it.
GTID_Y=$(sql -D shop "BEGIN; INSERT INTO items (name, price) VALUES ('Y first', 1);
  INSERT INTO items (name, price) VALUES ('Y second', 2); COMMIT; SELECT @@last_gtid")
read -r _ POS_Y_END < <(master_status)
FP_Y=$(fingerprint shop)
GTID_Z=$(sql -D shop "UPDATE items SET price = 0; SELECT @@last_gtid")
FP_F2=$(fingerprint shop)
sql "FLUSH BINARY LOGS"
sql -D shop "DELETE FROM items WHERE id < 5; DROP TABLE later"
sql "FLUSH BINARY LOGS"
GTID_POS_BEFORE=$(sql "SELECT @@gtid_binlog_pos")

check "the workload gave three binlogs after the base's ($BASE_FILE:$BASE_POS; F1 $F1, F2 $F2)" \
  test "$BASE_FILE" != "$F1" -a "$F1" != "$F2"
check "T is between two transactions: mariadb-binlog prints '# at $POS_T'" contains "$(event_starts "$F2")" "$POS_T"

# --stop-position at T: the fingerprint at T, the transaction starting there is not applied.
expect_exit 0 mp --yes --json restore-pitr --db shop --stop-position "$F2:$POS_T"
check "--stop-position FILE:POS from SHOW MASTER STATUS reproduces the fingerprint at T" \
  same_text "$(fingerprint shop)" "$FP_T"
check "the replay ended exactly at the stop position" \
  python3 -c 'import json,sys; r=json.loads(sys.argv[1])["result"]; assert r["final_file"]==sys.argv[2] and r["final_position"]==int(sys.argv[3]) and r["stop_reached"], r' \
  "$OUT" "$F2" "$POS_T"

# A stop position inside Y (its second event): Y is cut, so none of it is applied.
POS_IN_Y=$(event_starts "$F2" "$POS_T" | awk -v t="$POS_T" '$1 > t' | head -1)
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F2:$POS_IN_Y"
check "a stop position inside a transaction applies none of it" same_text "$(fingerprint shop)" "$FP_T"
check "the plan says the transaction is cut by the stop point" contains "$OUT$ERR" "$F2:$POS_T is cut by the stop point"

# The position just after Y: Y is applied, the next transaction is not.
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F2:$POS_Y_END"
check "--stop-position right after a transaction applies it and nothing after" same_text "$(fingerprint shop)" "$FP_Y"

# Refusals, each before anything is touched.
sql -D shop "INSERT INTO items (name, price) VALUES ('marker', 5)"
CURRENT=$(fingerprint shop)
expect_exit 2 mp --yes restore-pitr --db shop --stop-position "$F2:$((POS_T + 1))"
check "a position inside an event is refused naming it" contains "$ERR" "$F2:$((POS_T + 1))"
check "... and says it is not an event boundary" contains "$ERR" "not an event boundary"
check "the error is one line (was: $ERR)" test "$(printf '%s\n' "$ERR" | grep -c .)" = 1
expect_exit 5 mp --yes restore-pitr --db shop --stop-position "$F2:99999999"
check "a position past the end of its binlog is refused naming it" contains "$ERR" "$F2:99999999"
expect_exit 5 mp --yes restore-pitr --db shop --stop-position "mysql-bin.000099:4"
check "a position in a binlog that is not there is refused naming the binlog" contains "$ERR" "mysql-bin.000099"
check "... in one line" test "$(printf '%s\n' "$ERR" | grep -c .)" = 1
expect_exit 5 mp --yes restore-pitr --db shop --stop-position "other-bin.000002:4"
check "a position in a binlog of another sequence is refused naming it" contains "$ERR" "other-bin.000002"
expect_exit 2 mp --yes restore-pitr --db shop --stop-position "$F2"
check "FILE without :POS is a usage error naming the value" contains "$ERR" "'$F2'"
expect_exit 2 mp --yes restore-pitr --db shop --stop-position "$F2:$POS_T" --stop-gtid "$GTID_Y"
check "two stop points are a usage error" contains "$ERR" "one stop point"
check "no refused --stop-position touched the database" same_text "$(fingerprint shop)" "$CURRENT"

# --stop-gtid: documented as stopping before the transaction with that GTID.
expect_exit 0 mp restore-pitr --help
check "the help says --stop-gtid stops before the transaction" contains "$OUT" "stop before the transaction with this GTID"
check "the man page says the same" grep -q "Stop before the transaction with this GTID" "$MYSQLPITR_SOURCE_DIR/man/mysqlpitr.1"
expect_exit 0 mp --yes restore-pitr --db shop --stop-gtid "$GTID_Y"
check "--stop-gtid $GTID_Y reproduces the fingerprint before that transaction" same_text "$(fingerprint shop)" "$FP_T"
expect_exit 0 mp --yes restore-pitr --db shop --into shop_z --stop-gtid "$GTID_Z"
check "--stop-gtid of the next transaction includes $GTID_Y (--into)" \
  same_text "$(fingerprint shop_z | sed 's/`shop_z`/shop/g; s/shop_z/shop/g')" "$FP_Y"
sql "INSERT INTO shop.items (name, price) VALUES ('marker 2', 5)"
CURRENT=$(fingerprint shop)
expect_exit 5 mp --yes restore-pitr --db shop --stop-gtid 0-1-999999
check "an unknown GTID is refused naming it" contains "$ERR" "0-1-999999"
expect_exit 5 mp --yes restore-pitr --db shop --stop-gtid "$EARLY_GTID"
check "a GTID logged before the base is refused naming it" contains "$ERR" "$EARLY_GTID"
expect_exit 2 mp --yes restore-pitr --db shop --stop-gtid "not-a-gtid"
check "a malformed GTID is a usage error naming it" contains "$ERR" "not-a-gtid"
check "no refused --stop-gtid touched the database" same_text "$(fingerprint shop)" "$CURRENT"

# The replays were logged by the server with its own new GTIDs (strict mode never complained).
check "gtid_strict_mode is still ON" test "$(sql 'SELECT @@gtid_strict_mode')" = 1
GTID_POS_AFTER=$(sql "SELECT @@gtid_binlog_pos")
check "the restores were logged after the workload's GTIDs ($GTID_POS_BEFORE -> $GTID_POS_AFTER)" \
  test "${GTID_POS_AFTER##*-}" -gt "${GTID_POS_BEFORE##*-}"
check "the server's error log has no GTID out-of-order error" \
  bash -c "! grep -qi 'out-of-order\|gtid_strict' '$HARNESS_TMP/error.log'"

# --until-binlog alone: that binlog whole and every earlier one, nothing later.
expect_exit 0 mp --yes restore-pitr --db shop --until-binlog "$F1"
check "--until-binlog $F1 reproduces shop when $F1 was closed" same_text "$(fingerprint shop)" "$FP_F1"
expect_exit 0 mp --yes --json restore-pitr --db shop --until-binlog "$F2"
check "--until-binlog $F2 replays $F1 and $F2 whole" same_text "$(fingerprint shop)" "$FP_F2"
check "... reading no later binlog" \
  python3 -c 'import json,sys; b=json.loads(sys.argv[1])["plan"]["binlogs"]; assert [x["name"] for x in b][-1]==sys.argv[2], b' \
  "$OUT" "$F2"

# Stop points before the base: exit 5, the database untouched.
sql "INSERT INTO shop.items (name, price) VALUES ('marker 3', 5)"
CURRENT=$(fingerprint shop)
expect_exit 5 mp --yes restore-pitr --db shop --stop-position "$BASE_FILE:4"
check "a stop position before the base's coordinates is refused" contains "$ERR" "before the base"
expect_exit 5 mp --yes restore-pitr --db shop --stop-datetime "2001-01-01 00:00:00"
check "a stop time before the base is refused" contains "$ERR" "before the base"
PREVIOUS=$(printf 'mysql-bin.%06d' $((10#${BASE_FILE##*.} - 1)))
expect_exit 5 mp --yes restore-pitr --db shop --until-binlog "$PREVIOUS"
check "--until-binlog of a binlog before the base's is refused naming it" contains "$ERR" "$PREVIOUS"
check "no stop point before the base touched the database" same_text "$(fingerprint shop)" "$CURRENT"

# The base's own coordinates as the stop point: the base, nothing replayed.
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$BASE_FILE:$BASE_POS"
check "stopping at the base's coordinates gives the base" same_text "$(fingerprint shop)" "$FP_BASE"

harness_finish
