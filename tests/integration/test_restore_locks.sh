#!/usr/bin/env bash
# Two runs at once never both change one database, and prune never deletes what a restore reads.
# A restore holds the server lock of its database from before its plan to its end, so a first run
# held at its SI prompt (pty_dialog.py {hold:}) keeps a second restore-historical, restore-pitr (also
# --resume, also from another base file) of that database out with exit 5 naming the holder, while
# prune of the folder it reads exits 5 and leaves the file; the first run then restores exactly.
# A replay finds its progress record moved by someone else and stops (exit 1) instead of going on.
# restore-pitr --into an existing database needs --replace.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"
source "$(dirname "$0")/held_run.sh"
command -v mysqldump >/dev/null || skip "mysqldump not installed"
DIR=$BACKUP_DIR/historical

# The binary with a time limit: on a build without these locks a second run can block on the
# first one's transaction instead of failing.
mpt() { timeout "$1" "$MYSQLPITR_BIN" -c "$CONFIG" "${@:2}" </dev/null; }
checksums() { sql "CHECKSUM TABLE \`$1\`.items EXTENDED; SELECT COUNT(*) FROM \`$1\`.items" | cut -f2 | tr '\n' ' '; }
dump_shop() {
  mysqldump --no-defaults -S "$SOCKET" -uroot --databases shop --single-transaction --add-drop-database | gzip >"$1"
}

sql "CREATE DATABASE shop; CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;"
for i in $(seq 1 50); do echo "INSERT INTO shop.items (name) VALUES ('old $i');"; done | sql
dump_shop "$DIR/shop-back_2026-11-20_23-10.sql.gz"
OLD=$(checksums shop)
for i in $(seq 1 30); do echo "INSERT INTO shop.items (name) VALUES ('new $i');"; done | sql
dump_shop "$DIR/shop-back_2026-11-24_23-10.sql.gz"
sql "DELETE FROM shop.items WHERE id % 3 = 0"

# --- restore-historical: a second restore of the database and prune, while the first waits at SI.
check "the first restore-historical is at its SI prompt" held h1 restore-historical "$DIR/shop-back_2026-11-20_23-10.sql.gz"
expect_exit 5 mpt 60 --yes restore-historical --db shop
check "the second restore-historical names the holder's connection" contains "$ERR" "held by connection"
check "the second restore-historical says the database is being restored" contains "$ERR" "database shop is being restored by another run"
expect_exit 5 mpt 60 --yes prune --older-than 1 --what historical
check "prune names the restore reading the folder" contains "$ERR" "restore-historical pid"
check "prune left the dump the restore verified" test -f "$DIR/shop-back_2026-11-20_23-10.sql.gz"
expect_exit 0 mpt 60 restore-historical --db shop --dry-run
check "a --dry-run is not refused but warns that a real run would be" contains "$ERR" "a real restore-historical now would exit 5"
release h1
check "the first restore-historical finished (exit 0)" test "$RELEASED" = 0
check "the database is exactly the dump the first run verified (CHECKSUM TABLE)" test "$(checksums shop)" = "$OLD"
expect_exit 0 mp --yes prune --older-than 1 --what historical
check "once the restore ended, prune deletes the old dump" test ! -e "$DIR/shop-back_2026-11-20_23-10.sql.gz"

# --- restore-pitr: the base and a workload in one binlog.
sql "DROP DATABASE shop; CREATE DATABASE shop;
  CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB;
  INSERT INTO shop.items (name) VALUES ('seed'); FLUSH BINARY LOGS;"
make_pitr_base shop
sql "FLUSH BINARY LOGS"
for i in $(seq 1 200); do echo "INSERT INTO shop.items (name) VALUES ('tx $i');"; done | sql
F=$(master_status | cut -f1)
sql "FLUSH BINARY LOGS"
END=$(checksums shop)
sql "UPDATE shop.items SET name = 'damaged'"
BASE=$BACKUP_DIR/incremental/shop-back.sql
cp "$BASE" "$HARNESS_TMP/shop-base-copy.sql"

check "the first restore-pitr is at its SI prompt" held p1 restore-pitr --db shop --until-binlog "$F"
# Another base file: the folder's base lock cannot be what keeps it out.
expect_exit 5 mpt 60 --yes restore-pitr --db shop --until-binlog "$F" \
  --base "$HARNESS_TMP/shop-base-copy.sql"
check "the second restore-pitr names the holder's connection" contains "$ERR" "held by connection"
expect_exit 5 mpt 60 --yes restore-historical --db shop
check "restore-historical of the database restore-pitr holds exits 5 naming the lock" contains "$ERR" "mysqlpitr.restore.shop"
release p1
check "the first restore-pitr finished (exit 0)" test "$RELEASED" = 0
check "the database is exactly as at the end of $F (CHECKSUM TABLE)" test "$(checksums shop)" = "$END"

# --- a replay held mid-way: --resume beside it exits 5; a record moved by another writer stops it.
sql "UPDATE shop.items SET name = 'damaged'"
"$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-pitr --db shop --until-binlog "$F" --group-transactions 1 \
  </dev/null >"$HARNESS_TMP/p3.out" 2>&1 &
P3=$!
holding=no
hold_progress_row shop 20 "$P3" && holding=yes
check "the replay is held in the middle (progress recorded)" test "$holding" = yes
expect_exit 5 mpt 20 --yes restore-pitr --db shop --until-binlog "$F" --resume
check "--resume while the replay runs names the lock" contains "$ERR" "mysqlpitr.restore.shop"
# Someone else moves the record (as a second replay would) while the replay waits for the row.
echo "UPDATE _mysqlpitr.pitr_progress SET position = position + 1 WHERE target = 'shop'; COMMIT; SELECT 'moved';" >&"$hold_in"
while read -r -t 20 line <&"$hold_out" && [ "$line" != moved ]; do :; done
wait "$P3"
P3_EXIT=$?
eval "exec $hold_in>&-" 2>/dev/null
wait "$hold_pid" 2>/dev/null
check "a replay whose progress record was moved stops with exit 1 (got $P3_EXIT)" test "$P3_EXIT" = 1
check "it says the record no longer holds what it wrote" grep -q "no longer holds what this replay wrote" "$HARNESS_TMP/p3.out"
check "the moved record is left for the operator" test "$(sql "SELECT COUNT(*) FROM _mysqlpitr.pitr_progress WHERE target='shop'")" = 1
expect_exit 0 mp --yes restore-pitr --db shop --until-binlog "$F"
check "a new restore-pitr afterwards gives the exact result" test "$(checksums shop)" = "$END"

# --- restore-pitr --into an existing database: only with --replace.
sql "CREATE DATABASE shop_copy; CREATE TABLE shop_copy.keep_me (id INT) ENGINE=InnoDB;"
expect_exit 5 mp --yes restore-pitr --db shop --until-binlog "$F" --into shop_copy
check "--into an existing database without --replace names --replace" contains "$ERR" "--replace"
check "--into without --replace left the existing database alone" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop_copy' AND TABLE_NAME='keep_me'")" = 1
# Back to a database the first attempt did not touch: only --replace may restore over it.
sql "DROP DATABASE shop_copy; CREATE DATABASE shop_copy; CREATE TABLE shop_copy.keep_me (id INT) ENGINE=InnoDB;"
expect_exit 0 mp --yes restore-pitr --db shop --until-binlog "$F" --into shop_copy --replace
check "--into with --replace restores exactly" test "$(checksums shop_copy)" = "$END"
check "--replace dropped what the database held" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop_copy' AND TABLE_NAME='keep_me'")" = 0

harness_finish
