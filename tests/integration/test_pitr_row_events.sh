#!/usr/bin/env bash
# restore-pitr of large row-based transactions and of a failing row event, binlog_format=ROW,
# max_allowed_packet=256M (so nothing but the replay's own limits cuts what it sends):
# - one statement of ~5 MiB of row events and one transaction of several such statements are
#   replayed whole (a statement cut into several BINLOG statements must carry its table maps in
#   each: MariaDB silently skips row events whose table map it has not seen);
# - a row event that fails on replay (a foreign key to another database whose row is gone) is
#   named by its own position, as mariadb-binlog prints it, in a one-line error.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW --max-allowed-packet=256M
source "$(dirname "$0")/pitr_lib.sh"

sql "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.big (id INT PRIMARY KEY, v VARCHAR(200), w INT) ENGINE=InnoDB;
  CREATE TABLE other.customers (id INT PRIMARY KEY) ENGINE=InnoDB;
  INSERT INTO other.customers VALUES (1), (2), (3);
  CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, note VARCHAR(20),
    FOREIGN KEY (customer) REFERENCES other.customers (id)) ENGINE=InnoDB;
  FLUSH BINARY LOGS"
make_pitr_base shop

# seq_1_to_N is a table of the SEQUENCE engine, in any database.
sql "INSERT INTO shop.big SELECT seq, REPEAT('x', 150), 0 FROM other.seq_1_to_30000"
sql "BEGIN; UPDATE shop.big SET v = REPEAT('y', 150); UPDATE shop.big SET w = id % 7; DELETE FROM shop.big WHERE id % 3 = 0;
  COMMIT"
read -r F POS_BIG < <(master_status)
check "the big transactions take more than 20 MiB of binlog" test "$POS_BIG" -gt $((20 << 20))
FP_BIG=$(fingerprint shop)
COUNTS=$(sql "SELECT COUNT(*), SUM(v LIKE 'y%'), SUM(w) FROM shop.big")
expect_exit 0 mp --yes restore-pitr --db shop --stop-position "$F:$POS_BIG" --skip-binlog
check "a 5 MiB statement and a 20 MiB transaction are replayed whole" same_text "$(fingerprint shop)" "$FP_BIG"
check "... every row there ($COUNTS)" test "$(sql "SELECT COUNT(*), SUM(v LIKE 'y%'), SUM(w) FROM shop.big")" = "$COUNTS"

# The failing row event: customer 3 is deleted from other (foreign key checks off) after the fact.
for i in $(seq 1 10); do echo "INSERT INTO shop.orders (customer, note) VALUES (1, 'o $i');"; done | sql
sql "INSERT INTO shop.orders (customer, note) VALUES (1, 'a'), (3, 'c'), (2, 'b')"
sql "INSERT INTO shop.orders (customer, note) VALUES (2, 'after')"
sql "SET foreign_key_checks = 0; DELETE FROM other.customers WHERE id = 3; FLUSH BINARY LOGS"
mariadb-binlog --no-defaults "$DATADIR/$F" >"$HARNESS_TMP/binlog.txt"
# The Write_rows event of the statement with customer 3 (annotated with its text before it).
POS_ROWS=$(awk -v s="(3, 'c')" '/^# at [0-9]+$/ {at=$3} index($0, s) {seen=1} seen && /Write_rows: table id/ {print at; exit}' \
  "$HARNESS_TMP/binlog.txt")
expect_exit 1 mp --yes restore-pitr --db shop --until-binlog "$F"
check "the error names the failing row event ($F:$POS_ROWS) as mariadb-binlog prints it" \
  contains "$ERR" "at $F:$POS_ROWS "
check "... and the server's reason" contains "$ERR" "foreign key constraint fails"
check "... in one line without the BINLOG statement" test "$(printf '%s\n' "$ERR" | grep -c '^mysqlpitr:')" = 1 -a \
  "$(printf '%s\n' "$ERR" | grep -c "BINLOG")" = 0
check "the ten orders before it were applied" test "$(sql "SELECT COUNT(*) FROM shop.orders")" = 10
# The big transactions were in the same group, already sent in parts when the row event failed:
# rolled back with it and replayed again one by one.
check "... and the big transactions of the same group, sent in parts before the failure" \
  test "$(sql "SELECT COUNT(*), SUM(v LIKE 'y%'), SUM(w) FROM shop.big")" = "$COUNTS"

harness_finish
