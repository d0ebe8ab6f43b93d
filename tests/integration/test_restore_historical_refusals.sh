#!/usr/bin/env bash
# restore-historical reads the whole file before touching anything: a truncated gzip stream, a
# dump cut before its completion marker and a file ending inside a string are refused with exit 1,
# a message naming the file and the problem, and the database exactly as it was.
source "$(dirname "$0")/harness.sh"
source "$(dirname "$0")/restore_common.sh"
command -v mysqldump >/dev/null || skip "mysqldump not installed"
harness_start_mariadb

load_fixture
DIR=$BACKUP_DIR/historical
legacy_dump shop "$DIR/shop-back_2026-11-24_23-10.sql.gz"
sql "INSERT INTO shop.legacy_log VALUES (99999, 'changed after the dump')"
normalised_fingerprint shop >"$HARNESS_TMP/before"

unchanged() {
  normalised_fingerprint shop >"$HARNESS_TMP/after"
  same_fingerprint "$HARNESS_TMP/before" "$HARNESS_TMP/after"
}

# A gzip file cut in the middle (a failed copy, a full disk).
size=$(stat -c %s "$DIR/shop-back_2026-11-24_23-10.sql.gz")
head -c $((size / 2)) "$DIR/shop-back_2026-11-24_23-10.sql.gz" >"$DIR/shop-back_2026-11-25_23-10.sql.gz"
expect_exit 1 mp --yes restore-historical "$DIR/shop-back_2026-11-25_23-10.sql.gz"
check "truncated gzip: the error names the file" contains "$ERR" "shop-back_2026-11-25_23-10.sql.gz"
check "truncated gzip: database unchanged" unchanged

# A whole gzip stream of an interrupted dump: the old scripts' `mysqldump | gzip` left these.
gunzip -c "$DIR/shop-back_2026-11-24_23-10.sql.gz" | head -n 60 | gzip >"$DIR/shop-back_2026-11-26_23-10.sql.gz"
expect_exit 1 mp --yes restore-historical --db shop
check "interrupted dump: the newest file is the one refused" contains "$ERR" "shop-back_2026-11-26_23-10.sql.gz"
check "interrupted dump: the error says the marker is missing" contains "$ERR" "Dump completed"
check "interrupted dump: database unchanged" unchanged
expect_exit 1 mp --yes restore-historical --db shop --dry-run
check "--dry-run refuses the same file" contains "$ERR" "incomplete"

# A plain file ending inside a string.
gunzip -c "$DIR/shop-back_2026-11-24_23-10.sql.gz" | head -c 20000 >"$HARNESS_TMP/cut.sql"
expect_exit 1 mp --yes restore-historical "$HARNESS_TMP/cut.sql"
check "plain file cut inside a statement: refused" contains "$ERR" "cut.sql"
check "plain file cut: database unchanged" unchanged

# A SQL error while loading names the file, the line and the statement, and stops the load.
{ echo "CREATE DATABASE IF NOT EXISTS broken; USE broken;"; echo "CREATE TABLE t (a int);"
  echo "INSERT INTO t VALUES (1);"; echo "CREATE TABLE t (b int);"; echo "CREATE TABLE after_error (a int);"; } >"$HARNESS_TMP/broken.sql"
expect_exit 1 mp --yes restore-historical "$HARNESS_TMP/broken.sql"
check "a failing statement is reported with its file and line" contains "$ERR" "broken.sql: line 4"
check "the load stops at the error" \
  test "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='broken' AND TABLE_NAME='after_error'")" = 0
# Rows are loaded by other connections: their errors point into the file just the same.
{ echo "CREATE DATABASE IF NOT EXISTS broken2; USE broken2;"; echo "CREATE TABLE t (a int);"
  echo "INSERT INTO t VALUES (1);"; echo "INSERT INTO t VALUES (2),"; echo "  (3, 'too many');"; } >"$HARNESS_TMP/broken2.sql"
expect_exit 1 mp --yes restore-historical "$HARNESS_TMP/broken2.sql"
check "a failing INSERT is reported with its file and line" contains "$ERR" "broken2.sql: line 4"

# Something other than a regular file under a dump's name is never opened (a FIFO would hang the read).
mkfifo "$HARNESS_TMP/fifo.sql.gz"
expect_exit 2 timeout 20 "$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-historical "$HARNESS_TMP/fifo.sql.gz"
check "a FIFO named as the dump is refused at once, named" contains "$ERR" "fifo.sql.gz: no such dump file"
check "FIFO: database unchanged" unchanged

# A link the operator names is read as the file it points to (its name tells the database).
ln -s "$DIR/shop-back_2026-11-24_23-10.sql.gz" "$HARNESS_TMP/latest.sql.gz"
expect_exit 0 mp --yes restore-historical "$HARNESS_TMP/latest.sql.gz"
check "a named link restores the file it points to" contains "$OUT" "shop-back_2026-11-24_23-10.sql.gz"
check "the dump's rows are back (the row added after it is gone)" \
  test "$(sql "SELECT COUNT(*) FROM shop.legacy_log WHERE id = 99999")" = 0

harness_finish
