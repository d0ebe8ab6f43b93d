#!/usr/bin/env bash
# restore-pitr when the replay cannot go on, binlog_format=STATEMENT:
# - a statement the filter cannot attribute with certainty (SELECT of a stored function that
#   writes) is listed in the plan with its binlog position and refused with exit 5, nothing
#   touched; --include-ambiguous applies it and reaches the fingerprint;
# - a statement that fails on replay inside a group of many transactions (INSERT ... SELECT from
#   a table of another database that has been dropped since) makes the group roll back and replay
#   one transaction at a time: the error names the failing event's file:pos exactly as
#   mariadb-binlog prints '# at N', exits 1, the group's earlier transactions are applied and
#   recorded, and --resume after the cause is fixed continues to the same fingerprint;
# - a stop time when an event before the base is stamped in the future is refused, saying so.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=STATEMENT
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2)) ENGINE=InnoDB;
  CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB;
  CREATE TABLE other.src (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO other.src VALUES (1, 'from other 1'), (2, 'from other 2');
  INSERT INTO shop.items (name, price) VALUES ('seed', 1);"
printf '%s\n' "DELIMITER //" "CREATE FUNCTION bump(n INT) RETURNS INT DETERMINISTIC MODIFIES SQL DATA
  BEGIN INSERT INTO audit (note) VALUES (CONCAT('bump ', n)); RETURN n; END//" | sql -D shop
sql "FLUSH BINARY LOGS"
# An event before the base stamped ten years ahead (a session's SET TIMESTAMP): see section 6.
sql "SET TIMESTAMP=UNIX_TIMESTAMP() + 315360000; CREATE DATABASE clock; SET TIMESTAMP=DEFAULT"
make_pitr_base shop

# One group's worth of small transactions; the 21st reads other.src.
for i in $(seq 1 40); do
  if [ "$i" = 21 ]; then echo "INSERT INTO items (name, price) SELECT name, 21 FROM other.src;"; fi
  echo "INSERT INTO items (name, price) VALUES ('g $i', $i);"
done | sql -D shop
read -r F POS_A < <(master_status)
FP_A=$(fingerprint shop)
sql -D shop "SELECT bump(7); INSERT INTO items (name, price) VALUES ('after the function', 8)" >/dev/null
FP_END=$(fingerprint shop)
sql "DROP TABLE other.src; FLUSH BINARY LOGS"

# Where mariadb-binlog says the events are.
mariadb-binlog --no-defaults "$DATADIR/$F" >"$HARNESS_TMP/binlog.txt"
at_of() { awk -v s="$1" '/^# at [0-9]+$/ {at=$3} index($0, s) {print at; exit}' "$HARNESS_TMP/binlog.txt"; }
POS_FUNCTION=$(at_of 'SELECT `shop`.`bump`(7)')
POS_FAILING=$(at_of "SELECT name, 21 FROM other.src")
# The failing transaction starts at its GTID event: the last '# at' before the statement's
# whose event is a GTID.
POS_FAILING_TX=$(awk -v stop="$POS_FAILING" '/^# at [0-9]+$/ {at=$3; if (at+0 >= stop+0) exit}
  /GTID [0-9]+-[0-9]+-[0-9]+/ {tx=at} END {print tx}' "$HARNESS_TMP/binlog.txt")
check "mariadb-binlog shows the function call as a logged SELECT (at $POS_FUNCTION)" test -n "$POS_FUNCTION"
check "mariadb-binlog shows the INSERT ... SELECT (at $POS_FAILING, transaction at $POS_FAILING_TX)" \
  test -n "$POS_FAILING" -a -n "$POS_FAILING_TX"

# 1. The ambiguous statement: refused with exit 5, listed with its position, nothing touched.
sql "INSERT INTO shop.items (name, price) VALUES ('marker', 5)"
CURRENT=$(fingerprint shop)
expect_exit 5 mp --yes restore-pitr --db shop
check "the plan lists the ambiguous statement at $F:$POS_FUNCTION" matches "$OUT" "$F:$POS_FUNCTION .*bump"
check "the refusal says how to apply it" contains "$ERR" "--include-ambiguous"
check "a refused ambiguous statement leaves the database untouched" same_text "$(fingerprint shop)" "$CURRENT"
check "... and starts no replay" no_database _mysqlpitr
expect_exit 5 mp --json restore-pitr --db shop --dry-run
check "--json lists it too" python3 -c 'import json,sys; a=json.loads(sys.argv[1])["plan"]["ambiguous"]
assert [(x["file"], x["position"]) for x in a] == [(sys.argv[2], int(sys.argv[3]))], a' "$OUT" "$F" "$POS_FUNCTION"

# 2. A failing statement in the middle of a group (default: 1000 transactions per commit).
expect_exit 1 mp --yes restore-pitr --db shop --stop-position "$F:$POS_A"
check "the error names the failing event as mariadb-binlog prints it ($F:$POS_FAILING)" \
  contains "$ERR" "at $F:$POS_FAILING "
check "... and the server's reason" contains "$ERR" "other.src"
check "... in one line" test "$(printf '%s\n' "$ERR" | grep -c '^mysqlpitr:')" = 1
check "the 20 transactions before it in the same group were applied" \
  test "$(sql "SELECT COUNT(*) FROM shop.items WHERE name LIKE 'g %'")" = 20
check "... and none after it" test "$(sql "SELECT COUNT(*) FROM shop.items WHERE name IN ('g 21', 'g 40')")" = 0
check "the progress record points at the failing transaction's start" \
  test "$(sql "SELECT CONCAT(file, ':', position, ':', state) FROM _mysqlpitr.pitr_progress WHERE target='shop'")" \
  = "$F:$POS_FAILING_TX:replaying"
expect_exit 1 mp --yes restore-pitr --db shop --stop-position "$F:$POS_A" --resume
check "--resume before the cause is fixed fails at the same event" contains "$ERR" "at $F:$POS_FAILING "
check "... applying nothing twice" test "$(sql "SELECT COUNT(*) FROM shop.items WHERE name LIKE 'g %'")" = 20
POS_G10=$(at_of "VALUES ('g 10', 10)")
expect_exit 5 mp --yes restore-pitr --db shop --stop-position "$F:$POS_G10" --resume
check "--resume to a stop point before where it resumes is refused" contains "$ERR" "where the interrupted replay resumes"

# The cause fixed (other.src as it was), --resume continues to the stop point.
sql "CREATE TABLE other.src (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO other.src VALUES (1, 'from other 1'), (2, 'from other 2');"
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F:$POS_A" --resume
check "--resume after fixing the cause reaches the fingerprint" same_text "$(fingerprint shop)" "$FP_A"
check "no progress record is left" no_database _mysqlpitr

# 3. --include-ambiguous applies the function call ($F holds the whole workload).
expect_exit 0 mp --yes restore-pitr --db shop --include-ambiguous --until-binlog "$F"
check "--include-ambiguous applies the statement and reaches the fingerprint" same_text "$(fingerprint shop)" "$FP_END"
check "the plan says it was applied" contains "$ERR" "applied: --include-ambiguous"

# 4. The restores above were logged (no --skip-binlog): DROP DATABASE, CREATE DATABASE (logged
# under the database it creates), the base's load, the replays. A restore to the end of the
# binlogs replays them too and ends where the last one did.
CURRENT=$(fingerprint shop)
expect_exit 0 mp --yes restore-pitr --db shop --include-ambiguous
check "replaying earlier restores (DROP/CREATE DATABASE, loads, replays) reproduces their result" \
  same_text "$(fingerprint shop)" "$CURRENT"

# 5. A base backup running (it holds the pitr-base lock and renames a new base over the old one):
# the restore refuses before reading the base, and the database stays as it is.
exec 9>"$BACKUP_DIR/incremental/.mysqlpitr-pitr-base.lock"
flock -n 9
expect_exit 5 mp --yes restore-pitr --db shop --include-ambiguous
check "a restore beside a running base backup is refused, naming the lock" contains "$ERR" ".mysqlpitr-pitr-base.lock"
check "and the database is unchanged" same_text "$(fingerprint shop)" "$CURRENT"
expect_exit 0 mp restore-pitr --db shop --include-ambiguous --dry-run
exec 9>&-

# 6. A stop time after the base, but before the future stamp of an event before the base: which
# stamp is genuine cannot be told, so it is refused; the error says why and what to use instead.
expect_exit 5 mp --yes restore-pitr --db shop --include-ambiguous --stop-datetime "$(sql "SELECT NOW()")"
check "a stop time is refused when an event before the base is stamped after the server's clock" \
  contains "$ERR" "later than the server's clock"
check "... suggesting a stop position or GTID" contains "$ERR" "--stop-position or --stop-gtid"
check "... touching nothing" same_text "$(fingerprint shop)" "$CURRENT"

harness_finish
