#!/usr/bin/env bash
# Undoing an accident (issue 21) on a private mariadbd, binlog_format=ROW: shop.orders and
# TABLES - 1 other tables (default 4 in all) of ROWS rows each (default 100000), a PITR base, then
# an UPDATE of 50,000 rows of orders (the accident). Timed, each checked with CHECKSUM TABLE against the state before the accident:
#   flashback:      restore-pitr --flashback --table orders over the accident (plan with its trial included)
#   reference:      mariadb-binlog --flashback over the same range | mariadb
#   database PITR:  restore-pitr --db shop to just before the accident (base + replay of the whole database)
#   table PITR:     restore-pitr --db shop --table orders to the same point
#   the accident:   the UPDATE itself, the server's cost of writing those rows once (a floor for any undo)
#   MYSQLPITR_BIN=build/apps/mysqlpitr/mysqlpitr [TABLES=N] bench/undo.sh [ROWS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export MYSQLPITR_BIN=${MYSQLPITR_BIN:?set MYSQLPITR_BIN to the mysqlpitr binary}
source "$here/../tests/integration/harness.sh"
ROWS=${1:-100000}
TABLES=${TABLES:-4}
harness_start_mariadb --binlog-format=ROW
source "$here/../tests/integration/pitr_lib.sh"
q() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B "$@"; }
now() { date +%s.%N; }
seconds() { echo "$2 - $1" | bc; }

q -e "CREATE DATABASE shop"
names="orders customers stock events"
for i in $(seq 5 "$TABLES"); do names="$names extra$i"; done
for t in $(echo $names | cut -d' ' -f1-"$TABLES"); do
  q -e "CREATE TABLE shop.$t (id INT PRIMARY KEY, k INT, amount DECIMAL(10,2), note VARCHAR(60), at DATETIME) ENGINE=InnoDB;
    INSERT INTO shop.$t SELECT seq, seq % 1000, seq / 7, CONCAT('row ', seq, ' of $t'), '2026-01-01' + INTERVAL seq MINUTE
    FROM shop.seq_1_to_$ROWS"
done
q -e "FLUSH BINARY LOGS"
make_pitr_base shop
q -e "UPDATE shop.customers SET k = k + 1 WHERE id % 10 = 0"
REF=$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)
read -r F P1 < <(master_status)
# The accident itself, timed: the server writing these 50,000 rows once, which any undo does again.
t0=$(now)
q -e "UPDATE shop.orders SET amount = 0, note = 'oops' WHERE id <= 50000"
t1=$(now)
ACCIDENT=$(seconds "$t0" "$t1")
read -r F2 P2 < <(master_status)
DAMAGE=$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)

t0=$(now)
mp --yes restore-pitr --flashback --db shop --table orders --since-position "$F:$P1" --stop-position "$F:$P2" >/dev/null 2>&1
t1=$(now)
FLASHBACK=$(seconds "$t0" "$t1")
[ "$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)" = "$REF" ] || echo "flashback: CHECKSUM differs"

mariadb-binlog --no-defaults --start-position="$P1" --stop-position="$P2" "$DATADIR/$F" | q
[ "$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)" = "$DAMAGE" ] || echo "forward replay: not the damage"
t0=$(now)
mariadb-binlog --no-defaults --flashback --start-position="$P1" --stop-position="$P2" "$DATADIR/$F" | q
t1=$(now)
REFERENCE=$(seconds "$t0" "$t1")
[ "$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)" = "$REF" ] || echo "reference: CHECKSUM differs"

t0=$(now)
mp --yes restore-pitr --db shop --stop-position "$F:$P1" --skip-binlog >/dev/null 2>&1
t1=$(now)
DATABASE=$(seconds "$t0" "$t1")
[ "$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)" = "$REF" ] || echo "database PITR: CHECKSUM differs"

t0=$(now)
mp --yes restore-pitr --db shop --table orders --stop-position "$F:$P1" --skip-binlog >/dev/null 2>&1
t1=$(now)
TABLE=$(seconds "$t0" "$t1")
[ "$(q -e "CHECKSUM TABLE shop.orders" | cut -f2)" = "$REF" ] || echo "table PITR: CHECKSUM differs"

printf 'flashback of 50000 rows: %.2f s; mariadb-binlog --flashback | mariadb: %.2f s (%.1fx); database PITR: %.2f s (%.1fx)\n' \
  "$FLASHBACK" "$REFERENCE" "$(echo "$REFERENCE / $FLASHBACK" | bc -l)" "$DATABASE" "$(echo "$DATABASE / $FLASHBACK" | bc -l)"
printf 'the accident itself (one UPDATE of the 50000 rows through the mariadb client): %.2f s\n' "$ACCIDENT"
printf 'table PITR of orders: %.2f s; database PITR: %.2f s (%.1fx); %s tables of %s rows, base %s\n' \
  "$TABLE" "$DATABASE" "$(echo "$DATABASE / $TABLE" | bc -l)" "$TABLES" "$ROWS" \
  "$(du -h "$BACKUP_DIR/incremental/shop-back.sql" | cut -f1)"
