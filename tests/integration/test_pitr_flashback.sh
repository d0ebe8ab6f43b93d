#!/usr/bin/env bash
# restore-pitr --flashback (issue 21), binlog_format=ROW: an accident on shop.orders (UPDATE
# without WHERE, DELETE of a range) between P1 and P2, then a later legitimate insert into orders
# and changes to customers.
# - flashback of [P1, P2) gives back every row as it was before the accident, keeps the later
#   changes, and equals `mariadb-binlog --flashback | mariadb` on the same range (CHECKSUM TABLE),
#   over columns of many types;
# - a row changed again after the accident is a conflict: listed, exit 5, nothing changed;
#   --skip-conflicts undoes the rest and leaves that row;
# - refusals (exit 5, nothing changed): a statement-logged change, a row image without every
#   column (binlog_row_image=MINIMAL), a table with triggers, a DDL in the range, a MyISAM table,
#   a system-versioned one;
# - ON UPDATE CURRENT_TIMESTAMP columns, fixed-width strings and a partitioned table, row by row
#   and as sets.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW
source "$(dirname "$0")/pitr_lib.sh"

checksum() { sql "CHECKSUM TABLE $1 EXTENDED" | cut -f2; }
# The rows of orders but the later insert (id 1000), as one line.
rows_but_later() {
  sql "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, customer, amount, note, created, ts, f, fl, d, tm, flag + 0, e, s,
    u, big, t, c, y, ISNULL(note)))) FROM shop.orders WHERE id <> 1000"
}
replay_range() { mariadb-binlog --no-defaults "$@" | sql; }
# mark_range SQL: runs SQL, its binlog range left in R1 and R2 (FILE:POS).
mark_range() {
  local f p
  read -r f p < <(master_status); R1="$f:$p"
  sql "$1"
  read -r f p < <(master_status); R2="$f:$p"
}

sql "CREATE DATABASE shop;
  CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, amount DECIMAL(12,3), note VARCHAR(40),
    created DATETIME(3), ts TIMESTAMP(2) NULL, f DOUBLE, fl FLOAT, d DATE, tm TIME(2), flag BIT(3),
    e ENUM('a','b','c'), s SET('x','y','z'), u INT UNSIGNED, big BIGINT, t TEXT, c CHAR(5), y YEAR) ENGINE=InnoDB;
  CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO shop.customers VALUES (1, 'ann'), (2, 'bob');
  INSERT INTO shop.orders (customer, amount, note, created, ts, f, fl, d, tm, flag, e, s, u, big, t, c, y)
    SELECT seq % 2 + 1, CAST(seq AS SIGNED) * 12.345 - 300, IF(seq % 7 = 0, NULL, CONCAT('n', seq, ' é')),
      '2026-01-02 03:04:05.678' + INTERVAL seq DAY, '2026-03-04 05:06:07.89' + INTERVAL seq HOUR, seq / 3, seq / 7,
      '2025-12-31' - INTERVAL seq DAY, SEC_TO_TIME(CAST(seq AS SIGNED) * 977 - 20000) + INTERVAL 0.25 SECOND, seq % 8,
      ELT(seq % 3 + 1, 'a', 'b', 'c'), IF(seq % 2, 'x,z', 'y'), 4000000000 + seq, -9000000000000 * CAST(seq AS SIGNED),
      REPEAT('text ', seq), LEFT(CONCAT('c', seq), 5), 1990 + seq % 100
    FROM shop.seq_1_to_200"
REF=$(rows_but_later)
sleep 1.1
T=$(sql "SELECT NOW()")
sleep 1.1
read -r F P1 < <(master_status)
sql "UPDATE shop.orders SET amount = 0, note = 'oops', flag = 0; DELETE FROM shop.orders WHERE id BETWEEN 5 AND 90"
read -r F2 P2 < <(master_status)
sql "INSERT INTO shop.orders (id, customer, amount, note) VALUES (1000, 1, 5, 'later');
  UPDATE shop.customers SET name = 'ann later' WHERE id = 1"
CUST=$(checksum shop.customers)
ACCIDENT=$(checksum shop.orders)
check "P1 and P2 are in one binlog" test "$F" = "$F2"

expect_exit 0 mp restore-pitr --flashback --db shop --table orders --since-position "$F:$P1" --stop-position "$F:$P2" --dry-run
check "the plan counts the rows per table and operation" contains "$OUT" "shop.orders: 0 inserts deleted, 200 updates reverted, 86 deletes re-inserted"
check "--dry-run changed nothing" test "$(checksum shop.orders)" = "$ACCIDENT"
expect_exit 0 mp restore-pitr --flashback --db shop --table orders --since "$T" --stop-position "$F:$P2" --dry-run
check "--since T finds the same range" contains "$OUT" "shop.orders: 0 inserts deleted, 200 updates reverted, 86 deletes re-inserted"

expect_exit 0 mp --yes --json restore-pitr --flashback --db shop --table orders --since-position "$F:$P1" --stop-position "$F:$P2"
check "the accident's transactions were undone as sets (a few statements, not one per row)" python3 -c 'import json,sys
r=json.loads(sys.argv[1])["result"]; assert r["transactions_as_sets"] == 2 and r["rows"] == 286, r' "$OUT"
OURS=$(checksum shop.orders)
check "flashback gives back every row as it was before the accident" same_text "$(rows_but_later)" "$REF"
check "... keeps the later insert into the same table" test "$(sql "SELECT note FROM shop.orders WHERE id = 1000")" = later
check "... and leaves customers alone" test "$(checksum shop.customers)" = "$CUST"
expect_exit 5 mp --yes restore-pitr --flashback --db shop --table orders --since-position "$F:$P1" --stop-position "$F:$P2"
check "a second flashback of the same range finds every row changed since (conflicts) and changes nothing" \
  test "$(checksum shop.orders)" = "$OURS"
expect_exit 5 mp --json restore-pitr --flashback --db shop --table orders --since-position "$F:$P1" --stop-position "$F:$P2" --dry-run
check "--json gives the counts and the conflicts" python3 -c 'import json,sys; p=json.loads(sys.argv[1])["plan"]
assert p["rows"] == 286 and p["counts"]["shop.orders"]["updates"] == 200 and p["conflict_count"] == 286, p' "$OUT"

# The oracle on the same state: the accident replayed forward again, then mariadb-binlog --flashback.
replay_range --start-position="$P1" --stop-position="$P2" "$DATADIR/$F"
check "the accident replayed again gives the same damage" test "$(checksum shop.orders)" = "$ACCIDENT"
replay_range --flashback --start-position="$P1" --stop-position="$P2" "$DATADIR/$F"
check "mariadb-binlog --flashback | mariadb gives the same table (CHECKSUM TABLE)" test "$(checksum shop.orders)" = "$OURS"

# A conflict: after the damage again, row 2 is changed once more.
replay_range --start-position="$P1" --stop-position="$P2" "$DATADIR/$F"
sql "UPDATE shop.orders SET note = 'changed since' WHERE id = 2"
BEFORE=$(checksum shop.orders)
expect_exit 5 mp --yes restore-pitr --flashback --db shop --since-position "$F:$P1" --stop-position "$F:$P2"
check "the conflict is listed in the plan" contains "$OUT" "conflicts:  1 rows were changed since"
check "... and refused without changing anything" test "$(checksum shop.orders)" = "$BEFORE"
expect_exit 0 mp --yes restore-pitr --flashback --db shop --since-position "$F:$P1" --stop-position "$F:$P2" --skip-conflicts
check "--skip-conflicts leaves the conflicting row as it is" test "$(sql "SELECT note FROM shop.orders WHERE id = 2")" = "changed since"
check "... and undoes every other row" test "$(sql "SELECT COUNT(*) FROM shop.orders WHERE amount = 0")" = 1

# A row changed since only in letter case or trailing spaces: equal to the accident's image in the
# column's collation (utf8mb4_general_ci, PAD SPACE), different bytes. A conflict, never overwritten.
# Enough rows for the set-based undo, which must find them as the row-by-row one does.
labels() { sql "SELECT id, HEX(name) FROM shop.labels WHERE id <= 3 ORDER BY id" | tr '\t\n' ' ;'; }
sql "CREATE TABLE shop.labels (id INT PRIMARY KEY, name VARCHAR(20)) DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci;
  INSERT INTO shop.labels VALUES (1, 'first'), (2, 'second'), (3, 'third');
  INSERT INTO shop.labels SELECT seq, CONCAT('label ', seq) FROM shop.seq_4_to_100"
read -r F5 P5 < <(master_status)
sql "UPDATE shop.labels SET name = 'oops'"
read -r F6 P6 < <(master_status)
sql "UPDATE shop.labels SET name = 'OOPS' WHERE id = 1; UPDATE shop.labels SET name = 'oops ' WHERE id = 2"
LABELS=$(labels)
expect_exit 5 mp --yes restore-pitr --flashback --db shop --table labels --since-position "$F5:$P5" --stop-position "$F6:$P6"
check "a row changed since only in letter case or trailing spaces is a conflict" contains "$OUT" "conflicts:  2 rows were changed since"
check "... and nothing is overwritten" test "$(labels)" = "$LABELS"
expect_exit 0 mp --yes restore-pitr --flashback --db shop --table labels --since-position "$F5:$P5" --stop-position "$F6:$P6" --skip-conflicts
check "--skip-conflicts keeps those changes byte for byte and undoes the rest" \
  test "$(labels)" = "1 4F4F5053;2 6F6F707320;3 7468697264;"

# Fixed-width strings: the row image of BINARY(4) 'ab' is 'ab' without the two 0x00 bytes the row
# keeps, of CHAR(6) 'ab' without its padding; the undo finds them all (no false conflict).
fixed() { sql "SELECT id, HEX(b), HEX(c), HEX(v), HEX(l) FROM shop.fixed ORDER BY id" | tr '\t\n' ' ;'; }
sql "CREATE TABLE shop.fixed (id INT PRIMARY KEY, b BINARY(4), c CHAR(6), v VARBINARY(5), l CHAR(4) CHARSET latin1);
  INSERT INTO shop.fixed VALUES (1, 'ab', 'ab', 'ab', 'ab'), (2, '', '', '', ''), (3, 'abcd', 'abcdef', X'610000', X'E9');
  INSERT INTO shop.fixed SELECT seq, IF(seq % 2, 'a', ''), IF(seq % 3, 'b ', ''), X'00', X'E9' FROM shop.seq_4_to_100"
FIXED=$(fixed)
mark_range "UPDATE shop.fixed SET id = id + 1000"
expect_exit 0 mp --yes restore-pitr --flashback --db shop --table fixed --since-position "$R1" --stop-position "$R2"
check "BINARY(n), CHAR(n), VARBINARY and latin1 CHAR rows are undone without a conflict" contains "$OUT$ERR" "0 conflicting rows"
check "... back byte for byte" test "$(fixed)" = "$FIXED"
# The same columns through the set-based undo (the key unchanged, 100 rows): found as row by row.
mark_range "UPDATE shop.fixed SET v = 'zz'"
expect_exit 0 mp --yes --json restore-pitr --flashback --db shop --table fixed --since-position "$R1" --stop-position "$R2"
check "the fixed-width rows are undone as a set, without a conflict" python3 -c 'import json,sys
r=json.loads(sys.argv[1])["result"]; assert r["transactions_as_sets"] == 1 and r["rows"] == 100 and r["conflicts"] == 0, r' "$OUT"
check "... back byte for byte" test "$(fixed)" = "$FIXED"

# ON UPDATE CURRENT_TIMESTAMP: the accident kept `ts` (assigned it to itself), so the images hold
# it unchanged; an undo that does not assign it would stamp it with the undo's time. A small
# transaction (row by row), a large one (as sets) and a large INSERT (deleted as a set).
sql "CREATE TABLE shop.stamped (id INT PRIMARY KEY, v INT,
    ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6));
  INSERT INTO shop.stamped (id, v, ts) SELECT seq, seq, '2026-01-01 00:00:00' + INTERVAL seq SECOND FROM shop.seq_1_to_100"
STAMPED=$(checksum shop.stamped)
mark_range "UPDATE shop.stamped SET v = -1, ts = ts WHERE id <= 10;
  UPDATE shop.stamped SET v = -2, ts = ts WHERE id > 10;
  INSERT INTO shop.stamped (id, v) SELECT seq, 7 FROM shop.seq_1001_to_1100"
expect_exit 0 mp --yes --json restore-pitr --flashback --db shop --table stamped --since-position "$R1" --stop-position "$R2"
check "the two large transactions were undone as sets" python3 -c 'import json,sys
r=json.loads(sys.argv[1])["result"]; assert r["transactions"] == 3 and r["transactions_as_sets"] == 2 and r["rows"] == 200, r' "$OUT"
check "ON UPDATE CURRENT_TIMESTAMP columns keep their values, row by row and as sets" \
  test "$(checksum shop.stamped)" = "$STAMPED"

# A partitioned table: the server makes no temporary table of its shape, so it is undone row by
# row, said once; the result is the same.
sql "CREATE TABLE shop.parts (id INT PRIMARY KEY, v INT) PARTITION BY HASH (id) PARTITIONS 3;
  INSERT INTO shop.parts SELECT seq, seq FROM shop.seq_1_to_100"
PARTS=$(checksum shop.parts)
mark_range "UPDATE shop.parts SET v = 0"
expect_exit 0 mp --yes restore-pitr --flashback --db shop --table parts --since-position "$R1" --stop-position "$R2"
check "a partitioned table is undone row by row, and the plan says why" contains "$OUT$ERR" "shop.parts is undone row by row"
check "... every row back" test "$(checksum shop.parts)" = "$PARTS"

# A FULLTEXT index: InnoDB makes no temporary table with one; row by row as well.
sql "CREATE TABLE shop.texts (id INT PRIMARY KEY, body TEXT, FULLTEXT (body)) ENGINE=InnoDB;
  INSERT INTO shop.texts SELECT seq, CONCAT('text ', seq) FROM shop.seq_1_to_100"
TEXTS=$(checksum shop.texts)
mark_range "UPDATE shop.texts SET body = 'oops'"
expect_exit 0 mp --yes restore-pitr --flashback --db shop --table texts --since-position "$R1" --stop-position "$R2"
check "a FULLTEXT table is undone row by row, said in the plan" contains "$OUT$ERR" "shop.texts is undone row by row"
check "... every row back" test "$(checksum shop.texts)" = "$TEXTS"

# A system-versioned table keeps a history the undo would add to: refused, nothing changed.
sql "CREATE TABLE shop.versioned (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING;
  INSERT INTO shop.versioned SELECT seq, seq FROM shop.seq_1_to_10"
mark_range "UPDATE shop.versioned SET v = 0"
VERSIONED=$(sql "SELECT COUNT(*) FROM shop.versioned FOR SYSTEM_TIME ALL")
expect_exit 5 mp --yes restore-pitr --flashback --db shop --table versioned --since-position "$R1" --stop-position "$R2"
check "a system-versioned table is refused, named" contains "$OUT$ERR" "shop.versioned is system-versioned"
check "... its rows and history unchanged" test "$(sql "SELECT COUNT(*) FROM shop.versioned FOR SYSTEM_TIME ALL")" = "$VERSIONED"

# Unattended (--yes), a trial that found no conflict is committed as the undo (one transaction);
# asked (SI), the trial is rolled back before the question, holds no row while the operator reads,
# and the undo runs after it, one transaction per original one.
sql "CREATE TABLE shop.ledger (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO shop.ledger SELECT seq, seq FROM shop.seq_1_to_300"
LEDGER=$(checksum shop.ledger)
read -r FL1 PL1 < <(master_status)
sql "UPDATE shop.ledger SET v = 0 WHERE id <= 200"
sql "DELETE FROM shop.ledger WHERE id > 250"
read -r FL2 PL2 < <(master_status)
DAMAGED=$(checksum shop.ledger)
# undo_commits FILE:POS: the transactions the server logged from FILE:POS to now.
undo_commits() { mariadb-binlog --no-defaults --start-position="${1#*:}" "$DATADIR/${1%%:*}" | grep -c 'Xid = '; }
read -r f p < <(master_status); U1="$f:$p"
expect_exit 0 mp --yes --json restore-pitr --flashback --db shop --table ledger --since-position "$FL1:$PL1" --stop-position "$FL2:$PL2"
check "--yes: the ledger is back as it was" test "$(checksum shop.ledger)" = "$LEDGER"
check "... undone in one transaction (the trial, committed)" test "$(undo_commits "$U1")" = 1
check "... and the result counts its rows" python3 -c 'import json,sys
r=json.loads(sys.argv[1])["result"]; assert r["transactions"] == 2 and r["rows"] == 250 and r["conflicts"] == 0, r' "$OUT"
replay_range --start-position="$PL1" --stop-position="$PL2" "$DATADIR/$FL1"
check "the accident replayed again" test "$(checksum shop.ledger)" = "$DAMAGED"
source "$(dirname "$0")/held_run.sh"
read -r f p < <(master_status); U2="$f:$p"
held ledger restore-pitr --flashback --db shop --table ledger --since-position "$FL1:$PL1" --stop-position "$FL2:$PL2"
check "asked: at the SI prompt nothing is undone yet" test "$(checksum shop.ledger)" = "$DAMAGED"
check "... and no row of the range is held (the trial was rolled back)" \
  test "$(sql "SET SESSION innodb_lock_wait_timeout = 1; START TRANSACTION; SELECT v FROM shop.ledger WHERE id = 7 FOR UPDATE; ROLLBACK")" = 0
release ledger
check "... after SI the flashback ran" test "$RELEASED" = 0
check "... the ledger is back as it was" test "$(checksum shop.ledger)" = "$LEDGER"
check "... one transaction per original one" test "$(undo_commits "$U2")" = 2

# Refusals: a statement-logged change, an image without every column, a DDL.
refused() {  # refused WHAT SQL...: the range of SQL is refused with exit 5, nothing changed
  local what=$1; shift
  read -r F3 P3 < <(master_status)
  sql "$@"
  read -r F4 P4 < <(master_status)
  local before
  before=$(checksum shop.orders)
  expect_exit 5 mp --yes restore-pitr --flashback --db shop --table orders --since-position "$F3:$P3" --stop-position "$F4:$P4"
  check "$what is refused" contains "$OUT$ERR" "REFUSED:"
  check "... nothing changed" test "$(checksum shop.orders)" = "$before"
}
refused "a statement-logged change" "SET SESSION binlog_format = STATEMENT; UPDATE shop.orders SET amount = 1 WHERE id = 1"
check "... named as a statement" contains "$OUT" "a statement, not row events"
refused "a row image without every column" "SET SESSION binlog_row_image = MINIMAL; UPDATE shop.orders SET amount = 2 WHERE id = 1"
check "... named" contains "$OUT" "binlog_row_image is not FULL"
refused "a table with a trigger" "CREATE TRIGGER shop.orders_bu BEFORE UPDATE ON shop.orders FOR EACH ROW SET NEW.c = 'trg';
  UPDATE shop.orders SET amount = 4 WHERE id = 1"
check "... named" contains "$OUT" "has triggers"
sql "DROP TRIGGER shop.orders_bu"
refused "a DDL in the range" "UPDATE shop.orders SET amount = 3 WHERE id = 1; ALTER TABLE shop.orders ADD COLUMN extra INT"
check "... named" contains "$OUT" "a DDL in the range"

# A table that cannot roll back (MyISAM): the plan's trial would change it for good, so it is
# refused before anything runs, --dry-run included.
sql "CREATE TABLE shop.legacy (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM;
  INSERT INTO shop.legacy SELECT seq, 'ok' FROM shop.seq_1_to_100"
read -r F7 P7 < <(master_status)
sql "UPDATE shop.legacy SET v = 'oops'"
read -r F8 P8 < <(master_status)
LEGACY=$(checksum shop.legacy)
expect_exit 5 mp restore-pitr --flashback --db shop --table legacy --since-position "$F7:$P7" --stop-position "$F8:$P8" --dry-run
check "a MyISAM table is refused, naming its engine" contains "$OUT$ERR" "MyISAM"
check "... and the dry run changed nothing" test "$(checksum shop.legacy)" = "$LEGACY"

harness_finish
