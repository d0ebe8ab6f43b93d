#!/usr/bin/env bash
# Table-level PITR (restore-pitr --table) with hostile names and targets: a table name with a
# backtick and a space, a long UTF-8 name (its swapped-out name is cut on a character, not inside
# one), each restored to its reference (CHECKSUM TABLE) with the other tables untouched; --into a
# database whose same-named table a foreign key references is refused (exit 5), not half-swapped.
# A STATEMENT-format INSERT into another table whose trigger writes the selected one (or calling a
# stored function that does) is refused (exit 5, naming it) even with --include-ambiguous: skipped,
# the rows its trigger wrote would be lost.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW
source "$(dirname "$0")/pitr_lib.sh"
checksum() { sql "CHECKSUM TABLE $1 EXTENDED" | cut -f2; }

sql "CREATE DATABASE shop;
  CREATE TABLE shop.\`my \`\`tbl\` (id INT PRIMARY KEY, v INT);
  CREATE TABLE shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\` (id INT PRIMARY KEY, v INT);
  CREATE TABLE shop.other (id INT PRIMARY KEY, v INT);
  INSERT INTO shop.\`my \`\`tbl\` SELECT seq, seq FROM shop.seq_1_to_50;
  INSERT INTO shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\` SELECT seq, seq FROM shop.seq_1_to_50;
  INSERT INTO shop.other SELECT seq, seq FROM shop.seq_1_to_50;
  FLUSH BINARY LOGS"
make_pitr_base shop
sql "UPDATE shop.\`my \`\`tbl\` SET v = v + 1 WHERE id < 10; UPDATE shop.other SET v = v + 1 WHERE id < 10;
  UPDATE shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\` SET v = v + 1 WHERE id < 10"
sql -D shop "SET SESSION binlog_format = STATEMENT; UPDATE \`my \`\`tbl\` SET v = v + 100 WHERE id = 20"
REF=$(checksum "shop.\`my \`\`tbl\`")
REFJ=$(checksum "shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\`")
read -r F P < <(master_status)
sql "DELETE FROM shop.\`my \`\`tbl\`; DELETE FROM shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\`; UPDATE shop.other SET v = 0"
OTHER=$(checksum shop.other)
expect_exit 0 mp --yes restore-pitr --db shop --table 'my `tbl' --stop-position "$F:$P"
check "a name with a backtick and a space is restored" test "$(checksum "shop.\`my \`\`tbl\`")" = "$REF"
check "other untouched" test "$(checksum shop.other)" = "$OTHER"
expect_exit 0 mp --yes restore-pitr --db shop --table 'a日本語テーブル名前がとても長いもの日本語テーブル名前' --stop-position "$F:$P"
check "a long unicode name is restored" test "$(checksum "shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\`")" = "$REFJ"
check "... with its rows" test "$(sql "SELECT COUNT(*), SUM(v) FROM shop.\`a日本語テーブル名前がとても長いもの日本語テーブル名前\`")" = "50	1284"

# --into a database whose same-named table is referenced by a foreign key.
sql "CREATE DATABASE tgt; CREATE TABLE tgt.other (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
  INSERT INTO tgt.other VALUES (1, 1);
  CREATE TABLE tgt.child (id INT PRIMARY KEY, o INT, FOREIGN KEY (o) REFERENCES tgt.other (id)) ENGINE=InnoDB;
  INSERT INTO tgt.child VALUES (1, 1)"
expect_exit 5 mp --yes restore-pitr --db shop --table other --stop-position "$F:$P" --into tgt
echo "$ERR" | tail -3
check "the target's table with foreign keys is left as it was" test "$(sql "SELECT COUNT(*) FROM tgt.other")" = 1
check "no swapped-out table left" test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME LIKE '%#mysqlpitr'")" = 0

# Rows written into the selected table by a trigger of another table, or by a stored function,
# are not in a STATEMENT-format event's text.
sql "CREATE DATABASE trig;
  CREATE TABLE trig.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT) ENGINE=InnoDB;
  CREATE TABLE trig.customers (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
  CREATE TABLE trig.log (v INT) ENGINE=InnoDB;
  CREATE TRIGGER trig.customers_ai AFTER INSERT ON trig.customers FOR EACH ROW INSERT INTO orders (customer) VALUES (NEW.id);
  INSERT INTO trig.orders (customer) VALUES (0)"
sql <<'SQL'
SET GLOBAL log_bin_trust_function_creators = 1;
DELIMITER //
CREATE FUNCTION trig.add_order(c INT) RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO trig.orders (customer) VALUES (c); RETURN c; END//
SQL
make_pitr_base trig
sql -D trig "SET SESSION binlog_format = STATEMENT; INSERT INTO customers VALUES (1, 'ann'), (2, 'bob')"
read -r FT PT < <(master_status)
check "the trigger wrote orders" test "$(sql "SELECT COUNT(*) FROM trig.orders")" = 3
sql "DELETE FROM trig.orders"
expect_exit 5 mp --yes restore-pitr --db trig --table orders --stop-position "$FT:$PT"
check "the INSERT whose trigger writes orders is named" contains "$OUT" "INSERT INTO customers VALUES (1, 'ann')"
check "... with why" contains "$OUT" "whose trigger writes a selected table"
check "the refusal changed nothing" test "$(sql "SELECT COUNT(*) FROM trig.orders")" = 0
expect_exit 5 mp --yes restore-pitr --db trig --table orders --stop-position "$FT:$PT" --include-ambiguous
check "--include-ambiguous does not skip it either" test "$(sql "SELECT COUNT(*) FROM trig.orders")" = 0
sql -D trig "SET SESSION binlog_format = STATEMENT; INSERT INTO log VALUES (add_order(7))"
read -r FT PT < <(master_status)
expect_exit 5 mp --yes restore-pitr --db trig --table orders --stop-position "$FT:$PT"
check "an INSERT calling a function that writes orders is named" contains "$OUT" "INSERT INTO log VALUES (add_order(7))"
check "... with why" contains "$OUT" "calls trig.add_order"
check "orders is still as it was" test "$(sql "SELECT COUNT(*) FROM trig.orders")" = 1
harness_finish
