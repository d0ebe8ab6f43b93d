#!/usr/bin/env bash
# Undoing an accident on one table (issue 21), binlog_format=ROW with some STATEMENT sessions:
# a workload on several tables of shop, an accident on shop.orders (UPDATE without WHERE, DELETE of
# a range), later legitimate changes to the other tables.
# - table-level PITR (--table orders) to just before the accident: orders equals a reference taken
#   then (CHECKSUM TABLE), with its trigger; customers and stock keep their later changes; --into
#   puts orders in another database and touches nothing of shop; --dry-run changes nothing;
# - a multi-table statement naming orders and customers in the range is listed and refused (exit 5).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW
source "$(dirname "$0")/pitr_lib.sh"

checksum() { sql "CHECKSUM TABLE $1 EXTENDED" | cut -f2; }

sql "CREATE DATABASE shop;
  CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, amount DECIMAL(10,2), note VARCHAR(40))
    ENGINE=InnoDB;
  CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40), visits INT) ENGINE=InnoDB;
  CREATE TABLE shop.stock (sku INT PRIMARY KEY, qty INT) ENGINE=InnoDB;
  CREATE TRIGGER shop.orders_bi BEFORE INSERT ON shop.orders FOR EACH ROW SET NEW.note = CONCAT('t:', NEW.note);
  INSERT INTO shop.customers VALUES (1, 'ann', 0), (2, 'bob', 0), (3, 'cy', 0);
  INSERT INTO shop.stock SELECT seq, 100 FROM shop.seq_1_to_20;
  INSERT INTO shop.orders (customer, amount, note) SELECT seq % 3 + 1, seq * 1.5, CONCAT('seed ', seq) FROM shop.seq_1_to_30;
  FLUSH BINARY LOGS"
make_pitr_base shop

# Workload before the accident, ROW and STATEMENT, on every table.
sql "INSERT INTO shop.orders (customer, amount, note) SELECT seq % 3 + 1, seq, CONCAT('day ', seq) FROM shop.seq_1_to_20;
  UPDATE shop.orders SET amount = amount + 1 WHERE id % 4 = 0; UPDATE shop.stock SET qty = qty - 3 WHERE sku < 10;
  UPDATE shop.customers SET visits = visits + 1"
sql -D shop "SET SESSION binlog_format = STATEMENT; INSERT INTO orders (customer, amount, note) VALUES (2, 99.5, 'stmt');
  DELETE FROM orders WHERE id = 3; UPDATE customers SET name = 'ann b' WHERE id = 1"
sql "FLUSH BINARY LOGS"
sql "BEGIN; UPDATE shop.orders SET note = 'mixed txn' WHERE id = 7; UPDATE shop.stock SET qty = 0 WHERE sku = 20; COMMIT"
REF=$(checksum shop.orders)
ROWS_REF=$(sql "SELECT COUNT(*) FROM shop.orders")
read -r F_ACC P_ACC < <(master_status)

# The accident, then legitimate changes elsewhere.
sql "UPDATE shop.orders SET amount = 0; DELETE FROM shop.orders WHERE id BETWEEN 10 AND 30"
sql "INSERT INTO shop.customers VALUES (4, 'dee', 1); UPDATE shop.stock SET qty = qty + 50 WHERE sku > 15;
  UPDATE shop.customers SET visits = 9 WHERE id = 2"
CUST=$(checksum shop.customers)
STOCK=$(checksum shop.stock)
ACCIDENT=$(checksum shop.orders)
check "the accident changed orders" test "$ACCIDENT" != "$REF"

expect_exit 0 mp restore-pitr --db shop --table orders --stop-position "$F_ACC:$P_ACC" --dry-run
check "the plan says which table is replaced and how" contains "$OUT" "REPLACES:   orders in shop"
check "--dry-run changed nothing" test "$(checksum shop.orders)" = "$ACCIDENT"
expect_exit 0 mp --json restore-pitr --db shop --table orders --stop-position "$F_ACC:$P_ACC" --dry-run
check "--json gives the tables and the scratch database" \
  python3 -c 'import json,sys; p=json.loads(sys.argv[1])["plan"]; assert p["tables"] == ["orders"] and p["scratch"] and p["transactions"] > 0' "$OUT"

expect_exit 0 mp --yes restore-pitr --db shop --table orders --stop-position "$F_ACC:$P_ACC" --into shop_check
check "--into: the table equals the reference taken before the accident" test "$(checksum shop_check.orders)" = "$REF"
check "--into: only that table is created there" test "$(sql "SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop_check'")" = orders
check "--into: shop.orders is not touched" test "$(checksum shop.orders)" = "$ACCIDENT"
check "--into: its trigger came along" test "$(sql "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA='shop_check' AND EVENT_OBJECT_TABLE='orders'")" = 1

expect_exit 0 mp --yes restore-pitr --db shop --table orders --stop-position "$F_ACC:$P_ACC"
check "in place: orders equals the reference taken before the accident ($ROWS_REF rows)" test "$(checksum shop.orders)" = "$REF"
check "in place: customers keeps its later changes" test "$(checksum shop.customers)" = "$CUST"
check "in place: stock keeps its later changes" test "$(checksum shop.stock)" = "$STOCK"
check "in place: no scratch database or swapped-out table is left" test \
  "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE 'mysqlpitr_scratch%' OR TABLE_NAME LIKE '%#mysqlpitr'")$(sql "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'mysqlpitr_scratch%'")" = 00
sql "INSERT INTO shop.orders (customer, amount, note) VALUES (1, 1, 'after')"
check "in place: the trigger is on the restored table and fires" test "$(sql "SELECT note FROM shop.orders ORDER BY id DESC LIMIT 1")" = "t:after"

# A statement naming orders and customers (STATEMENT format): which it writes cannot be told.
sql -D shop "SET SESSION binlog_format = STATEMENT; UPDATE orders o JOIN customers c ON c.id = o.customer SET o.note = c.name WHERE o.id < 5"
read -r F2 P2 < <(master_status)
BEFORE=$(checksum shop.orders)
expect_exit 5 mp --yes restore-pitr --db shop --table orders --stop-position "$F2:$P2"
check "the multi-table statement is listed in the plan" contains "$OUT" "AMBIGUOUS:"
check "... with its text" contains "$OUT" "JOIN customers"
check "the refusal changed nothing" test "$(checksum shop.orders)" = "$BEFORE"
expect_exit 5 mp --yes restore-pitr --db shop --table nosuch --stop-position "$F2:$P2"
check "a table not in the base is refused" contains "$ERR" "nosuch is not in the base"

harness_finish
